/**
 * Where each unit was at a moment of recorded footage (issue 10 §3): the last report at or before that moment, never
 * a point between or after reports. Pure: recorded tracks (`units.tracks`) in, positions out; also the small Web
 * Mercator fit the review's unit map draws with (no deck.gl in the wall window).
 */
import type { UnitTrack } from '../../electron/contract/map-api.js';
import type { UnitKind } from '../../electron/contract/units-schema.js';
import type { LonLat } from './geo.js';

/** A unit is drawn stale when its last report is older than this at the player's time (the live store's stale time). */
export const REPLAY_STALE_MS = 10_000;
/** ... and not at all when older than this (it had stopped reporting, or left). */
export const REPLAY_GONE_MS = 60_000;
/** How much of the path before the player's time is drawn behind a unit. */
export const REPLAY_TRAIL_MS = 120_000;

export interface UnitAtTime {
  id: string; kind: UnitKind; position: LonLat; heading: number | null;
  /** The report's time (the unit's clock): always at or before the player's time. */
  reportedMs: number;
  stale: boolean;
  /** Reported positions of the last REPLAY_TRAIL_MS up to the player's time, oldest first, ending at `position`. */
  trail: LonLat[];
}

/** Index of the last point with ts <= atMs, or -1 (points oldest first). */
function lastAtOrBefore(points: UnitTrack['points'], atMs: number): number {
  let lo = 0, hi = points.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]![2] <= atMs) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

export function unitsAt(tracks: readonly UnitTrack[], atMs: number): UnitAtTime[] {
  const out: UnitAtTime[] = [];
  for (const t of tracks) {
    const i = lastAtOrBefore(t.points, atMs);
    if (i < 0) continue;
    const p = t.points[i]!;
    if (atMs - p[2] > REPLAY_GONE_MS) continue;
    const trail: LonLat[] = [];
    for (let j = i; j >= 0 && atMs - t.points[j]![2] <= REPLAY_TRAIL_MS; j--) trail.push([t.points[j]![0], t.points[j]![1]]);
    out.push({ id: t.id, kind: t.kind, position: [p[0], p[1]], heading: p[3], reportedMs: p[2], stale: atMs - p[2] > REPLAY_STALE_MS, trail: trail.reverse() });
  }
  return out;
}

/** A key that changes exactly when what `unitsAt` shows changes (the review map redraws on change only). */
export function unitsKey(units: readonly UnitAtTime[]): string {
  return units.map((u) => `${u.id}@${u.reportedMs}${u.stale ? 's' : ''}`).join(',');
}

/** Web Mercator, 0..1 across the world. */
export function mercator([lon, lat]: LonLat): [number, number] {
  const s = Math.sin((Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180);
  return [(lon + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
}

/** A view that shows every point inside a `width` x `height` canvas with `marginPx` around: point -> canvas pixels. */
export function fitView(points: readonly LonLat[], width: number, height: number, marginPx = 20, minSpanM = 400): ((p: LonLat) => [number, number]) | null {
  if (!points.length) return null;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of points) { const [x, y] = mercator(p); x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  // at least minSpanM across, so one parked unit is not drawn at a street-level zoom of a single pixel's extent
  const lat = points[0]![1];
  const minSpan = minSpanM / (40_075_016 * Math.cos((lat * Math.PI) / 180));
  const scale = Math.min((width - 2 * marginPx) / Math.max(x1 - x0, minSpan), (height - 2 * marginPx) / Math.max(y1 - y0, minSpan));
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  return (p) => { const [x, y] = mercator(p); return [width / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale]; };
}
