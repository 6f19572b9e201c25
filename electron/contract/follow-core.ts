/**
 * Follow a unit (issue 10 §3), the pure core the host runs: which fixed camera sees the unit's position best, and what
 * goes on the wall's follow tile. A camera sees a point inside its view cone (within its useful range and half its
 * field of view of its heading); the best is the one nearest to its cone's axis (the smallest angle off its heading),
 * ties to the nearer camera. Handover: the camera shown keeps the unit while it still sees it, unless another sees it
 * more than `marginDeg` nearer to its axis (no flapping between two cameras at the edge). Moving cameras (drones,
 * robots, body cameras) are never chosen: they are units' own video. Rights (issue 12): with `may` given, only the
 * cameras the following operator may view live are ever chosen (a camera they may not see is skipped even when it sees
 * the unit best), and the unit's own video only when they may see it. No I/O: cameras and a point in, decisions out.
 */
import type { Camera } from './schemas.js';

export type LonLat = [lon: number, lat: number];

/** A camera's useful range when unset, metres (the map draws the cone this long). */
export const DEFAULT_RANGE_M = 60;
const METRES_PER_DEGREE = 111_320;

/** May the following operator view this camera live (now)? Absent: every camera (the host acting for nobody). */
export type MayView = (cameraId: string) => boolean;

export interface SightCamera { id: string; position: LonLat; heading: number; fov: number; rangeM: number }

/** Distance in metres between two nearby points (equirectangular). */
export function groundDistanceM(a: LonLat, b: LonLat): number {
  const midLat = (((a[1] + b[1]) / 2) * Math.PI) / 180;
  return Math.hypot((b[0] - a[0]) * Math.cos(midLat) * METRES_PER_DEGREE, (b[1] - a[1]) * METRES_PER_DEGREE);
}

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
  const d = groundDistanceM(c.position, at);
  const off = d < 0.01 ? 0 : Math.abs(((bearingDeg(c.position, at) - c.heading + 540) % 360) - 180);
  return { sees: d <= c.rangeM && (c.fov >= 360 || off <= c.fov / 2), offAxisDeg: off, distanceM: d };
}

/** The camera to show for a unit at `at`, given the one shown now (`current`); null when no camera sees it. */
export function chooseFollowCamera(cameras: readonly SightCamera[], at: LonLat, current: string | null, marginDeg = 5, may?: MayView): string | null {
  let best: { id: string; off: number; d: number } | null = null;
  let kept: { id: string; off: number } | null = null;
  for (const c of cameras) {
    if (may && !may(c.id)) continue;
    const s = sight(c, at);
    if (!s.sees) continue;
    if (c.id === current) kept = { id: c.id, off: s.offAxisDeg };
    if (!best || s.offAxisDeg < best.off - 1e-9 || (Math.abs(s.offAxisDeg - best.off) <= 1e-9 && s.distanceM < best.d)) best = { id: c.id, off: s.offAxisDeg, d: s.distanceM };
  }
  if (kept && best && best.off > kept.off - marginDeg) return kept.id;
  return best?.id ?? null;
}

/** One display's follow: the unit, the camera on its follow tile and where that tile is. */
export interface FollowSession {
  displayId: string;
  unitId: string;
  /** The fixed camera that sees the unit now (on the follow tile), null when none does. */
  cameraId: string | null;
  /** The follow tile's cell, null until the first camera went on the wall (then the first free tile). */
  cellIndex: number | null;
  /** The unit's own video once it was put on the tile after the follow tile. */
  ownVideo: string | null;
  handovers: number;
}

/** What to put on the wall for a unit report: the follow tile's camera (to `cellIndex`, or the first free tile). */
export interface FollowPush { cameraId: string; cellIndex?: number }

export function newFollow(displayId: string, unitId: string): FollowSession {
  return { displayId, unitId, cameraId: null, cellIndex: null, ownVideo: null, handovers: 0 };
}

/**
 * A report of the followed unit at `at`: the session after it and the push to make, if any. Nobody seeing the unit
 * leaves the follow tile's last picture (cameraId null, no push); a camera that takes over goes onto the same tile.
 */
export function followStep(s: FollowSession, at: LonLat, cameras: readonly SightCamera[], may?: MayView): { next: FollowSession; push: FollowPush | null } {
  const best = chooseFollowCamera(cameras, at, s.cameraId, 5, may);
  if (best === s.cameraId) return { next: s, push: null };
  if (best === null) return { next: { ...s, cameraId: null }, push: null };
  const handover = s.cellIndex !== null;
  return {
    next: { ...s, cameraId: best, handovers: s.handovers + (handover ? 1 : 0) },
    push: { cameraId: best, ...(s.cellIndex !== null ? { cellIndex: s.cellIndex } : {}) },
  };
}

/**
 * After the follow tile was placed: the unit's own video goes once onto the tile after it, when the layout has one and
 * the operator may see that camera (`may`).
 */
export function ownVideoPush(s: FollowSession, unitCameraId: string | undefined, cells: number, may?: MayView): FollowPush | null {
  if (!unitCameraId || s.ownVideo === unitCameraId || s.cellIndex === null) return null;
  if (may && !may(unitCameraId)) return null;
  const next = s.cellIndex + 1;
  return next < cells ? { cameraId: unitCameraId, cellIndex: next } : null;
}
