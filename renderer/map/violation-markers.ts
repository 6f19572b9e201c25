/**
 * Traffic violations on the map (issue 10 §4): one marker where pending violations happened (their camera's position
 * when they were read), standing for the newest there; a click opens that violation in the plate panel's review list.
 * Pure: no deck.gl here (the layer is violation-layer.ts).
 */
import type { Violation } from '../../electron/contract/plates/plates-api.js';
import type { LonLat } from './geo.js';
import type { Rgba } from './camera-look.js';

export interface ViolationMarker {
  position: LonLat;
  /** The newest violation at this place: the one a click opens. */
  newest: Violation;
  /** Violations at this place (all shown in the list). */
  count: number;
}

/** The marker's fill: a colour no camera state, alarm priority, unit or route uses. */
export const VIOLATION_COLOUR: Rgba = [233, 30, 140, 255];
/** The marker sits up and right of its place, in screen pixels, beside the camera's dot and any alarm on it. */
export const VIOLATION_OFFSET_PX: readonly [number, number] = [18, -18];

/** Markers for the violations with a position, one per place (a camera's position), newest first. */
export function violationMarkers(list: readonly Violation[]): ViolationMarker[] {
  const byPlace = new Map<string, ViolationMarker>();
  for (const v of list) {
    if (!v.position || !Number.isFinite(v.position.lat) || !Number.isFinite(v.position.lon)) continue;
    const key = `${v.position.lon.toFixed(6)},${v.position.lat.toFixed(6)}`;
    const m = byPlace.get(key);
    if (!m) { byPlace.set(key, { position: [v.position.lon, v.position.lat], newest: v, count: 1 }); continue; }
    m.count++;
    if (v.atMs > m.newest.atMs) m.newest = v;
  }
  return [...byPlace.values()].sort((a, b) => b.newest.atMs - a.newest.atMs);
}

/** The marker's text: '!' for one violation, '!' and the count for more. */
export function markerText(m: ViolationMarker): string {
  return m.count > 1 ? `!${m.count}` : '!';
}

/** The tag's half size in screen pixels (its '!' with the layer's padding), for hit testing. */
export const VIOLATION_TAG_HALF_PX: readonly [number, number] = [10, 11];

/**
 * The marker whose tag is under the screen point `at` (CSS pixels), the newest first where tags overlap; `project`
 * gives a position's screen point. The map tests the tag itself: deck.gl's picking of a text layer's background
 * did not report it (a click on the tag picked nothing).
 */
export function markerAt(markers: readonly ViolationMarker[], project: (p: LonLat) => readonly number[], at: readonly [number, number]): ViolationMarker | null {
  for (const m of markers) {
    const [x, y] = project(m.position);
    if (x === undefined || y === undefined) continue;
    const cx = x + VIOLATION_OFFSET_PX[0], cy = y + VIOLATION_OFFSET_PX[1];
    if (Math.abs(at[0] - cx) <= VIOLATION_TAG_HALF_PX[0] && Math.abs(at[1] - cy) <= VIOLATION_TAG_HALF_PX[1]) return m;
  }
  return null;
}
