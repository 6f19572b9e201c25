/**
 * Unit trails split between two canvases (map-decks.ts). Without a GPU every trail segment costs vertex work
 * (SwiftShader runs deck.gl's line shader, ~30 us a segment here) on every draw of the canvas that holds it, and the
 * moving canvas is drawn on every unit report (twice a second). So the trails up to a **snapshot** are drawn on a
 * canvas of their own (`trails`), redrawn at most once per TRACK_STEP_MS for all units at once, and at once when the
 * picture must change (units added or gone, a unit turning stale or live again: its colour; the simplification's zoom).
 * The moving canvas draws per unit only the **tail**: from the last point the trails canvas drew for it, through the
 * newer track points, to the unit's position (a few segments).
 *
 * The host's trail (unit-store.ts `extendTrail`) may still replace its newest point (a report less than TRACK_STEP_MS
 * after the point before it), never an older one except by age at the old end. A snapshot therefore draws each unit's
 * track up to its second-newest point, which stays; the tail starts at that very point (kept in the snapshot, so the
 * joint is exact also when the track was trimmed at the old end since) and has the same colour and alpha.
 *
 * Pure: units in, units out (a unit with its `track` cut to what one canvas draws).
 */
import { TRACK_STEP_MS, type MapUnit, type TrackPoint } from '../../electron/contract/units-schema.js';

/** What the trails canvas drew: per unit its last drawn track point and whether the unit was stale (its colour). */
export interface TrailSnapshot {
  /** When it was taken (ms, the caller's clock). */
  atMs: number;
  /** The zoom the trails were simplified for (null: every point), as `unitLayers`' `trailZoom`. */
  zoom: number | null;
  units: ReadonlyMap<string, { last: TrackPoint | null; stale: boolean }>;
}

/**
 * A snapshot of the units' trails: `drawn` are the units with their track cut to what the trails canvas draws (up to
 * each track's second-newest point; a track of one point draws nothing but is the start of its tail).
 */
export function snapTrails(units: readonly MapUnit[], zoom: number | null, atMs: number): { snapshot: TrailSnapshot; drawn: MapUnit[] } {
  const byId = new Map<string, { last: TrackPoint | null; stale: boolean }>();
  const drawn: MapUnit[] = [];
  for (const u of units) {
    const n = u.track.length;
    const upTo = n >= 2 ? n - 1 : n; // points drawn: all but the newest (which may yet be replaced)
    byId.set(u.id, { last: upTo > 0 ? u.track[upTo - 1]! : null, stale: u.stale });
    drawn.push({ ...u, track: u.track.slice(0, upTo) });
  }
  return { snapshot: { atMs, zoom, units: byId }, drawn };
}

/**
 * The units as the moving canvas draws them: each with its track cut to the tail, from the snapshot's last drawn point
 * through every newer track point to the unit's position. A unit the snapshot does not know keeps its whole track.
 */
export function trailTails(units: readonly MapUnit[], snapshot: TrailSnapshot | null): MapUnit[] {
  return units.map((u) => {
    const last = snapshot?.units.get(u.id)?.last ?? null;
    const tail: TrackPoint[] = last ? [last, ...u.track.filter((p) => p[2] > last[2])] : [...u.track];
    const end = tail.at(-1);
    // the tail ends at the unit's dot (the host's newest track point is its position; a unit without a track starts here)
    if (!end || end[0] !== u.lon || end[1] !== u.lat) tail.push([u.lon, u.lat, u.ts]);
    return { ...u, track: tail };
  });
}

/**
 * Whether the trails canvas must be drawn from a new snapshot now: always without one; at once when the picture
 * would be wrong (the zoom changed, a unit came or went, a unit's stale mark changed its colour); otherwise when the
 * units changed and TRACK_STEP_MS has passed since the last one (one cadence for all units).
 */
export function snapDue(snapshot: TrailSnapshot | null, units: readonly MapUnit[], zoom: number | null, nowMs: number, changedSince: boolean): boolean {
  if (!snapshot) return true;
  if (snapshot.zoom !== zoom || snapshot.units.size !== units.length) return true;
  for (const u of units) {
    const s = snapshot.units.get(u.id);
    if (!s || s.stale !== u.stale) return true;
  }
  return changedSince && nowMs - snapshot.atMs >= TRACK_STEP_MS;
}
