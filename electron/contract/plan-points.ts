/**
 * Whether reference points can place a site plan (issue 10 §1), checked by the host before map.json is written and by
 * the map while the points are dragged: each pixel inside the image, two points neither on one pixel nor on one place (within a metre),
 * three not on one line (in the image or on the map). Pure: a reason code and its values, or null.
 */
import type { PlanPoint } from './map-api.js';

export type PlanPointsProblem = { code: 'planPixelOutside'; params: { point: number } } | { code: 'planSamePixel' | 'planSamePlace' | 'planOnLine'; params: Record<string, never> };

/** Twice the signed area of a triangle, relative to the size of its sides (0: on one line). */
function flatness(a: readonly [number, number], b: readonly [number, number], c: readonly [number, number]): number {
  const area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  const scale = Math.max(Math.hypot(b[0] - a[0], b[1] - a[1]), Math.hypot(c[0] - a[0], c[1] - a[1])) ** 2;
  return scale === 0 ? 0 : Math.abs(area) / scale;
}

export function planPointsProblem(points: readonly PlanPoint[], width: number, height: number): PlanPointsProblem | null {
  const i = points.findIndex((p) => p.px[0] < 0 || p.px[1] < 0 || p.px[0] > width || p.px[1] > height);
  if (i >= 0) return { code: 'planPixelOutside', params: { point: i + 1 } };
  const px = points.map((p) => p.px);
  // on the map, points closer than a metre are one place (a drop onto another point's handle is that close)
  const ll = points.map((p): [number, number] => [p.lon * Math.cos((p.lat * Math.PI) / 180), p.lat]);
  for (let a = 0; a < points.length; a++) for (let b = a + 1; b < points.length; b++) {
    if (Math.hypot(px[a]![0] - px[b]![0], px[a]![1] - px[b]![1]) < 1) return { code: 'planSamePixel', params: {} };
    if (Math.hypot(ll[a]![0] - ll[b]![0], ll[a]![1] - ll[b]![1]) * 111_320 < 1) return { code: 'planSamePlace', params: {} };
  }
  if (points.length === 3 && (flatness(px[0]!, px[1]!, px[2]!) < 1e-3 || flatness(ll[0]!, ll[1]!, ll[2]!) < 1e-3)) return { code: 'planOnLine', params: {} };
  return null;
}
