/**
 * Small spherical-earth geometry for the map (WGS84 degrees, metres): view cones, offsets and the scale bar.
 * Accurate to well under 1 % over the few hundred metres a camera sees.
 */

/** Mean metres per degree of latitude. */
export const METRES_PER_DEGREE = 111_320;
/** Useful range of a camera when none is configured, in metres. */
export const DEFAULT_RANGE_M = 60;
/** The range a camera's cone can be dragged to on the map, metres (the camera form takes 1-10,000). */
export const RANGE_DRAG_M = { min: 5, max: 2_000 } as const;
export const clampRange = (m: number): number => Math.round(Math.min(RANGE_DRAG_M.max, Math.max(RANGE_DRAG_M.min, m)));

import type { LonLat } from '../../electron/contract/follow-core.js';
export type { LonLat };

/** Where the map opens: the demo district in Almaty's centre. */
export const HOME = { longitude: 76.945, latitude: 43.245, zoom: 13.5, bearing: 0, pitch: 0 } as const;

/** The point `distanceM` metres from `origin` along `bearingDeg` (clockwise from north). */
export function offset(origin: LonLat, bearingDeg: number, distanceM: number): LonLat {
  const b = (bearingDeg * Math.PI) / 180;
  const [lon, lat] = origin;
  const dLat = (distanceM * Math.cos(b)) / METRES_PER_DEGREE;
  const dLon = (distanceM * Math.sin(b)) / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
  return [lon + dLon, lat + dLat];
}

/** Distance in metres between two nearby points (equirectangular). */
export function distanceM(a: LonLat, b: LonLat): number {
  const midLat = (((a[1] + b[1]) / 2) * Math.PI) / 180;
  const dx = (b[0] - a[0]) * Math.cos(midLat) * METRES_PER_DEGREE;
  const dy = (b[1] - a[1]) * METRES_PER_DEGREE;
  return Math.hypot(dx, dy);
}

/**
 * A camera's view cone as a closed polygon ring: the camera, then an arc at `rangeM` from heading - fov/2 to
 * heading + fov/2. A fov of 360 gives a full circle around the camera (no apex).
 */
export function viewCone(at: LonLat, headingDeg: number, fovDeg: number, rangeM: number = DEFAULT_RANGE_M, steps = 12): LonLat[] {
  const fov = Math.min(Math.max(fovDeg, 1), 360);
  const start = headingDeg - fov / 2;
  const arc: LonLat[] = [];
  for (let i = 0; i <= steps; i++) arc.push(offset(at, start + (fov * i) / steps, rangeM));
  const ring = fov >= 360 ? arc : [at, ...arc];
  ring.push(ring[0]!);
  return ring;
}

/** Ground metres one CSS pixel covers at `zoom` and `lat` in deck.gl's Web Mercator (512-pixel world at zoom 0). */
export function metresPerPixel(zoom: number, lat: number): number {
  return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** A round scale-bar length (1, 2 or 5 x 10^n metres) that fits within `maxPx`, and its width in pixels. */
export function scaleBar(zoom: number, lat: number, maxPx = 120): { metres: number; px: number } {
  const mpp = metresPerPixel(zoom, lat);
  const max = mpp * maxPx;
  const p = 10 ** Math.floor(Math.log10(max));
  const metres = [5, 2, 1].map((k) => k * p).find((m) => m <= max) ?? p;
  return { metres, px: metres / mpp };
}
