/**
 * Placing a site plan on the map (issue 10 §1): the affine transform from the image's pixels to the map, from 2
 * reference points (moved, turned and scaled, no shear: a plan drawn to scale) or 3 (any affine: a scan that is also
 * skewed). Solved in Web Mercator, the map's own plane, where a plan drawn to scale keeps its shape; pure functions.
 */
import type { PlanPoint } from '../../electron/contract/map-api.js';
import type { LonLat } from './geo.js';

/** Web Mercator in radians: x = lon, y = ln(tan(pi/4 + lat/2)). */
export function toMercator([lon, lat]: LonLat): [number, number] {
  const r = (lat * Math.PI) / 180;
  return [(lon * Math.PI) / 180, Math.log(Math.tan(Math.PI / 4 + r / 2))];
}
export function fromMercator([x, y]: [number, number]): LonLat {
  return [(x * 180) / Math.PI, ((2 * Math.atan(Math.exp(y)) - Math.PI / 2) * 180) / Math.PI];
}

/** x' = a u + b v + c, y' = d u + e v + f: image pixels (u right, v down) to Mercator radians. */
export interface PlanTransform { a: number; b: number; c: number; d: number; e: number; f: number }

/** The transform through the reference points; throws with the reason when they cannot place a plan. */
export function planTransform(points: readonly PlanPoint[]): PlanTransform {
  if (points.length < 2 || points.length > 3) throw new Error(`a plan needs 2 or 3 reference points (got ${points.length})`);
  const src = points.map((p) => p.px);
  const dst = points.map((p) => toMercator([p.lon, p.lat]));
  if (points.length === 2) {
    // similarity as complex numbers: w = k z + t, with z = u - i v (image y points down, map y up)
    const [u1, v1] = src[0]!, [u2, v2] = src[1]!;
    const [x1, y1] = dst[0]!, [x2, y2] = dst[1]!;
    const zr = u2 - u1, zi = -(v2 - v1), wr = x2 - x1, wi = y2 - y1;
    const n = zr * zr + zi * zi;
    if (n === 0) throw new Error('the two reference points are the same pixel');
    if (wr === 0 && wi === 0) throw new Error('the two reference points are the same place');
    const kr = (wr * zr + wi * zi) / n, ki = (wi * zr - wr * zi) / n;
    // w = (kr + i ki)(u - i v) + t  =>  x = kr u + ki v + tx,  y = ki u - kr v + ty
    return { a: kr, b: ki, c: x1 - (kr * u1 + ki * v1), d: ki, e: -kr, f: y1 - (ki * u1 - kr * v1) };
  }
  const [[u1, v1], [u2, v2], [u3, v3]] = src as [[number, number], [number, number], [number, number]];
  const det = u1 * (v2 - v3) - v1 * (u2 - u3) + (u2 * v3 - u3 * v2);
  if (Math.abs(det) < 1e-9) throw new Error('the three reference points lie on one line in the image');
  const solve = (p1: number, p2: number, p3: number): [number, number, number] => [
    (p1 * (v2 - v3) - v1 * (p2 - p3) + (p2 * v3 - p3 * v2)) / det,
    (u1 * (p2 - p3) - p1 * (u2 - u3) + (u2 * p3 - u3 * p2)) / det,
    (u1 * (v2 * p3 - v3 * p2) - v1 * (u2 * p3 - u3 * p2) + p1 * (u2 * v3 - u3 * v2)) / det,
  ];
  const [a, b, c] = solve(dst[0]![0], dst[1]![0], dst[2]![0]);
  const [d, e, f] = solve(dst[0]![1], dst[1]![1], dst[2]![1]);
  if (Math.abs(a * e - b * d) < 1e-30) throw new Error('the three reference points lie on one line on the map');
  return { a, b, c, d, e, f };
}

export function planPixelToLonLat(t: PlanTransform, [u, v]: [number, number]): LonLat {
  return fromMercator([t.a * u + t.b * v + t.c, t.d * u + t.e * v + t.f]);
}

/** The image's corners on the map in BitmapLayer's order: bottom-left, top-left, top-right, bottom-right. */
export function planCorners(t: PlanTransform, width: number, height: number): [LonLat, LonLat, LonLat, LonLat] {
  return [planPixelToLonLat(t, [0, height]), planPixelToLonLat(t, [0, 0]), planPixelToLonLat(t, [width, 0]), planPixelToLonLat(t, [width, height])];
}

/**
 * A third reference point for a plan placed by two (the editor's "Add point 3"): the corner of the image farthest off
 * the line through the two points' pixels (so the three are never on one line in the image), on the map where the
 * two points' placement puts it. Adding it leaves the plan where it was; dragging it then skews the plan (affine).
 */
export function thirdPoint(points: readonly PlanPoint[], width: number, height: number): PlanPoint {
  if (points.length !== 2) throw new Error(`a third point is added to 2 reference points (got ${points.length})`);
  const [a, b] = [points[0]!.px, points[1]!.px];
  const off = ([u, v]: [number, number]) => Math.abs((b[0] - a[0]) * (v - a[1]) - (b[1] - a[1]) * (u - a[0]));
  const corners: Array<[number, number]> = [[0, height], [width, height], [0, 0], [width, 0]];
  const px = corners.reduce((best, c) => (off(c) > off(best) ? c : best));
  const [lon, lat] = planPixelToLonLat(planTransform(points), px);
  return { px, lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7 };
}
