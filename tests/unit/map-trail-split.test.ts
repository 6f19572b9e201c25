/**
 * Unit trails split between the trails canvas (up to a snapshot) and the moving canvas (each unit's tail):
 * renderer/map/trail-split.ts. The trails a unit's reports build on the host (unit-store.ts `extendTrail`, which may
 * replace the newest point) are drawn whole and once: the trails canvas's segments and the tails' segments together are
 * the full trail's; a tail starts exactly at the trails canvas's last point and ends at the unit's dot.
 */
import { describe, expect, it } from 'vitest';
import { snapDue, snapTrails, trailTails } from '../../renderer/map/trail-split.js';
import { trailSegments } from '../../renderer/map/layers.js';
import { extendTrail } from '../../electron/host/map/unit-store.js';
import { TRACK_STEP_MS, type MapUnit } from '../../electron/contract/units-schema.js';

type Pt = [number, number, number];
const TRAIL_MS = 60_000;

/** A unit driving east, reporting every 500 ms from t0 to t1 (inclusive), its trail kept as the host keeps it. */
function drive(id: string, t0: number, t1: number, from: MapUnit | null = null): MapUnit {
  let u: MapUnit = from ?? { id, kind: 'patrol_car', lat: 43.24, lon: 76.93, ts: t0 - 500, stale: false, track: [] };
  for (let ts = from ? from.ts + 500 : t0; ts <= t1; ts += 500) {
    const lon = 76.93 + ts * 1e-8, lat = 43.24 + Math.sin(ts / 7_000) * 1e-4;
    const track = extendTrail(u.track as Pt[], [lon, lat, ts], ts - TRAIL_MS);
    u = { ...u, lon, lat, ts, track };
  }
  return u;
}

const key = (s: { from: number[]; to: number[]; colour: number[] }) => JSON.stringify(s);
const segs = (units: readonly MapUnit[]) => trailSegments(units, (u) => (u.stale ? [128, 128, 128, 255] : [255, 0, 0, 255])).map(key);

describe('trail split (trails canvas up to a snapshot, tails on the moving canvas)', () => {
  it('draws every segment of the trail once, the tail joined to the trails end and to the dot', () => {
    const before = drive('a', 0, 30_000);
    const { snapshot, drawn } = snapTrails([before], null, 30_000);
    // the newest point may still be replaced: the trails canvas ends at the second-newest, which stays
    expect(drawn[0]!.track.at(-1)).toEqual(before.track.at(-2));
    for (const later of [30_500, 31_000, 32_500, 33_000, 34_000]) {
      const now = drive('a', 0, later, before);
      const [tail] = trailTails([now], snapshot);
      expect(tail!.track[0]).toEqual(drawn[0]!.track.at(-1)); // exact joint
      expect(tail!.track.at(-1)!.slice(0, 2)).toEqual([now.lon, now.lat]); // ends at the dot
      expect(tail!.track.length).toBeLessThanOrEqual(4); // a few segments, not the trail
      // together they are the trail as drawn without the split, each segment once, same colour and alpha
      const split = [...segs(drawn), ...segs([tail!])];
      expect(split.sort()).toEqual(segs([now]).sort());
      expect(new Set(split).size).toBe(split.length);
    }
  });

  it('still joins when the track was trimmed at its old end since the snapshot', () => {
    const before = drive('a', 0, 90_000); // a full minute of trail: every report trims the old end
    const { snapshot, drawn } = snapTrails([before], null, 90_000);
    const now = drive('a', 0, 92_500, before);
    expect(now.track[0]![2]).toBeGreaterThan(before.track[0]![2]); // trimmed
    const [tail] = trailTails([now], snapshot);
    expect(tail!.track[0]).toEqual(drawn[0]!.track.at(-1));
    expect(tail!.track.at(-1)!.slice(0, 2)).toEqual([now.lon, now.lat]);
    // nothing of the current trail is missing (the trails canvas shows the trimmed old end until the next snapshot)
    const split = new Set([...segs(drawn), ...segs([tail!])]);
    for (const s of segs([now])) expect(split.has(s)).toBe(true);
  });

  it('a new unit (not in the snapshot) draws its whole trail as its tail, and asks for a snapshot at once', () => {
    const old = drive('a', 0, 10_000);
    const { snapshot } = snapTrails([old], null, 10_000);
    const fresh = drive('b', 5_000, 10_000);
    const tails = trailTails([old, fresh], snapshot);
    expect(tails[1]!.track).toEqual(fresh.track);
    expect(snapDue(snapshot, [old, fresh], null, 10_100, true)).toBe(true);
    expect(snapDue(snapshot, [], null, 10_100, true)).toBe(true); // a unit gone
  });

  it('a unit with one point: nothing on the trails canvas, its tail from that point to the dot', () => {
    const one: MapUnit = { id: 'c', kind: 'drone', lat: 43.2, lon: 76.9, ts: 1_000, stale: false, track: [[76.9, 43.2, 1_000]] };
    const { snapshot, drawn } = snapTrails([one], null, 1_000);
    expect(segs(drawn)).toEqual([]);
    const moved = drive('c', 0, 1_500, one);
    const [tail] = trailTails([moved], snapshot);
    expect(tail!.track[0]).toEqual([76.9, 43.2, 1_000]);
    expect(tail!.track.at(-1)!.slice(0, 2)).toEqual([moved.lon, moved.lat]);
    // no track at all: the tail is the dot alone (no segment)
    expect(trailTails([{ ...one, track: [] }], null)[0]!.track).toEqual([[76.9, 43.2, 1_000]]);
  });

  it('a unit turning stale (its colour) or a new zoom asks for a snapshot at once; otherwise once per TRACK_STEP_MS', () => {
    const u = drive('a', 0, 10_000);
    const { snapshot } = snapTrails([u], 15, 10_000);
    expect(snapDue(null, [u], 15, 10_000, false)).toBe(true);
    expect(snapDue(snapshot, [u], 15, 10_000 + 100, true)).toBe(false);
    expect(snapDue(snapshot, [u], 16, 10_000 + 100, true)).toBe(true);
    expect(snapDue(snapshot, [{ ...u, stale: true }], 15, 10_000 + 100, true)).toBe(true);
    expect(snapDue(snapshot, [u], 15, 10_000 + TRACK_STEP_MS, false)).toBe(false); // nothing changed: nothing to draw
    expect(snapDue(snapshot, [u], 15, 10_000 + TRACK_STEP_MS, true)).toBe(true);
    // a stale unit's tail and trail share its colour (the tail takes the unit's colour as the snapshot drew it)
    const stale = { ...u, stale: true };
    const again = snapTrails([stale], 15, 10_200);
    const [tail] = trailTails([stale], again.snapshot);
    expect(new Set([...trailSegments(again.drawn, () => [1, 2, 3, 255]), ...trailSegments([tail!], () => [1, 2, 3, 255])].map((s) => s.colour.join())).size).toBe(1);
  });
});
