/**
 * An imported incident's overlays and unit tracks answered from its package alone (issue 11 §1, issue 10 §3): the
 * same answers `events.query` and `units.tracks` give on the console that made it, for any window inside the
 * incident. Pure: the package's events.json and units.json in, answers out.
 */
import type { StoredOverlay } from '../../contract/alarms-api.js';
import { TRACK_LEAD_IN_MS, type RecordedPoint, type UnitTrack } from '../../contract/map-api.js';
import type { PackageEvents, PackageUnits } from '../../contract/replay-package.js';
import { storedOverlay } from '../alarms/describe-event.js';

/** As `events.query`: the camera's events with boxes captured in [fromMs, toMs), oldest first, at most `limit`. */
export function packageOverlays(events: PackageEvents, cameraId: string, fromMs: number, toMs: number, limit: number): { events: StoredOverlay[]; truncated: boolean } {
  const all = (events.cameras.find((c) => c.cameraId === cameraId)?.events ?? [])
    .filter((e) => e.captureTime >= fromMs && e.captureTime < toMs && e.boxes.length > 0)
    .sort((a, b) => a.captureTime - b.captureTime);
  return { events: all.slice(0, limit).map(storedOverlay), truncated: all.length > limit };
}

/**
 * As `units.tracks` (the track store's rule): each unit's reports in [fromMs, toMs] oldest first, led in by its last
 * report in the TRACK_LEAD_IN_MS before fromMs; only the units named when `unitIds` is given; at most `limit` reports
 * of the range (the oldest), units sorted by id. A package without units.json (null) answers no units.
 */
export function packageTracks(units: PackageUnits | null, fromMs: number, toMs: number, unitIds: readonly string[] | undefined, limit: number): { tracks: UnitTrack[]; truncated: boolean } {
  const named = unitIds?.length ? new Set(unitIds) : null;
  const chosen = (units?.units ?? []).filter((u) => !named || named.has(u.id));
  const inRange: Array<{ unit: string; p: RecordedPoint }> = [];
  const lead = new Map<string, RecordedPoint>();
  for (const u of chosen) {
    for (const p of u.points) {
      if (p[2] >= fromMs && p[2] <= toMs) inRange.push({ unit: u.id, p });
      else if (p[2] >= fromMs - TRACK_LEAD_IN_MS && p[2] < fromMs && (lead.get(u.id)?.[2] ?? -Infinity) < p[2]) lead.set(u.id, p);
    }
  }
  inRange.sort((a, b) => a.p[2] - b.p[2]);
  const kept = inRange.slice(0, limit);
  const byUnit = new Map<string, RecordedPoint[]>();
  for (const [unit, p] of lead) byUnit.set(unit, [p]);
  for (const { unit, p } of kept) {
    const list = byUnit.get(unit);
    if (list) list.push(p); else byUnit.set(unit, [p]);
  }
  const tracks = chosen.filter((u) => byUnit.has(u.id)).map((u): UnitTrack => ({
    id: u.id, kind: u.kind, ...(u.cameraId ? { cameraId: u.cameraId } : {}), points: byUnit.get(u.id)!,
  }));
  return { tracks: tracks.sort((a, b) => a.id.localeCompare(b.id)), truncated: inRange.length > limit };
}
