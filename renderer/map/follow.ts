/**
 * Follow a unit (issue 10 §3): which fixed camera sees the unit's position best. A camera sees a point inside its
 * view cone (within its useful range and half its field of view of its heading); the best is the one nearest to its
 * cone's axis (the smallest angle off its heading), ties to the nearer camera. Handover: the camera shown keeps the
 * unit while it still sees it, unless another sees it more than `marginDeg` nearer to its axis (no flapping between
 * two cameras at the edge). Moving cameras (drones, robots, body cameras) are never chosen: they are units' own video.
 * Pure: cameras and a point in, a camera id out.
 */
import type { Camera } from '../../electron/contract/schemas.js';
import { DEFAULT_RANGE_M, distanceM, type LonLat } from './geo.js';

export interface SightCamera { id: string; position: LonLat; heading: number; fov: number; rangeM: number }

/** The fixed cameras (fixed and PTZ) placed on the map, with their cones' range. */
export function sightCameras(cameras: readonly Camera[]): SightCamera[] {
  return cameras.filter((c) => c.location && (c.kind === 'fixed' || c.kind === 'ptz')).map((c) => ({
    id: c.id, position: [c.location!.lon, c.location!.lat], heading: c.location!.heading ?? 0, fov: c.location!.fov ?? 60, rangeM: c.location!.rangeM ?? DEFAULT_RANGE_M,
  }));
}

/** Bearing from a to b, degrees clockwise from north (0..360). */
export function bearingDeg(a: LonLat, b: LonLat): number {
  const dx = (b[0] - a[0]) * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  const dy = b[1] - a[1];
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
}

/** How a camera sees a point: whether it is inside the cone, its angle off the axis and its distance. */
export function sight(c: SightCamera, at: LonLat): { sees: boolean; offAxisDeg: number; distanceM: number } {
  const d = distanceM(c.position, at);
  const off = d < 0.01 ? 0 : Math.abs(((bearingDeg(c.position, at) - c.heading + 540) % 360) - 180);
  return { sees: d <= c.rangeM && (c.fov >= 360 || off <= c.fov / 2), offAxisDeg: off, distanceM: d };
}

/** The camera to show for a unit at `at`, given the one shown now (`current`); null when no camera sees it. */
export function chooseFollowCamera(cameras: readonly SightCamera[], at: LonLat, current: string | null, marginDeg = 5): string | null {
  let best: { id: string; off: number; d: number } | null = null;
  let kept: { id: string; off: number } | null = null;
  for (const c of cameras) {
    const s = sight(c, at);
    if (!s.sees) continue;
    if (c.id === current) kept = { id: c.id, off: s.offAxisDeg };
    if (!best || s.offAxisDeg < best.off - 1e-9 || (Math.abs(s.offAxisDeg - best.off) <= 1e-9 && s.distanceM < best.d)) best = { id: c.id, off: s.offAxisDeg, d: s.distanceM };
  }
  if (kept && best && best.off > kept.off - marginDeg) return kept.id;
  return best?.id ?? null;
}
