/**
 * The `units.changed` delta (units-schema.ts, UnitsDelta) from the units last sent to the units the store holds now:
 * a unit not sent before goes whole, a changed one (the store replaces a unit's object on every change) with its fields
 * and the edit of its trail, a gone one by id. Pure; map-module.ts keeps what it sent.
 */
import type { MapUnit, TrackPoint, TrailEdit, UnitChange, UnitRejectCounts, UnitsDelta } from '../../contract/units-schema.js';

const same = (a: TrackPoint, b: TrackPoint): boolean => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/** The edit that turns trail `from` into `to` (applyTrailEdit): the old points older than `to`'s first trimmed, the shared run kept, the rest added. */
export function trailEdit(from: ReadonlyArray<TrackPoint>, to: ReadonlyArray<TrackPoint>): TrailEdit {
  const first = to[0];
  let trim = first === undefined ? from.length : from.findIndex((p) => p[2] >= first[2]);
  if (trim < 0) trim = from.length;
  let kept = 0;
  while (trim + kept < from.length && kept < to.length && same(from[trim + kept]!, to[kept]!)) kept++;
  return { trim, drop: from.length - trim - kept, add: to.slice(kept) };
}

/**
 * What changed from `sent` to `now`. `whole`: every unit whole in `added` (the wire before 2026-12-05, for the
 * benchmark's A/B only: KUZET_UNITS_WIRE=whole, docs/map.md "Units on the wire").
 */
export function unitsDelta(sent: ReadonlyMap<string, MapUnit>, now: readonly MapUnit[], seq: number, rejected: UnitRejectCounts, whole = false): UnitsDelta {
  const added: MapUnit[] = [];
  const changed: UnitChange[] = [];
  const present = new Set<string>();
  const again: string[] = [];
  const order = new Map([...sent.keys()].map((id, i) => [id, i]));
  // The store keeps units in the order first heard, a forgotten one heard again last: a window appends what is added.
  // A unit sent before that comes after a new one, or before one it preceded, was forgotten and heard again: whole.
  let appended = false;
  let latest = -1;
  for (const u of now) {
    present.add(u.id);
    const before = sent.get(u.id);
    const at = order.get(u.id) ?? -1;
    if (!before) { added.push(u); appended = true; continue; }
    if (appended || at < latest) { again.push(u.id); added.push(u); appended = true; continue; }
    latest = at;
    if (whole) { added.push(u); continue; }
    if (before === u) continue;
    const { track, ...fields } = u;
    changed.push({ ...fields, trail: before.track === track ? { trim: 0, drop: 0, add: [] } : trailEdit(before.track, track) });
  }
  const removed = [...sent.keys()].filter((id) => !present.has(id)).concat(again);
  return { seq, added, changed, removed, rejected };
}
