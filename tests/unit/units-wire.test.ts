/**
 * Units on the wire (issue 10 §6, docs/map.md "Units on the wire"): the host's delta builder (units-delta.ts), the
 * window's reducer and feed (renderer/map/unit-feed.ts), and the two together: every window ends with exactly the units
 * the host holds, whatever the reports (a random stream through the real map module's store, deltas and units.list).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyTrailEdit, UnitsDelta, UnitsSnapshot, type MapUnit } from '../../electron/contract/units-schema.js';
import { trailEdit, unitsDelta } from '../../electron/host/map/units-delta.js';
import { extendTrail } from '../../electron/host/map/unit-store.js';
import { createMapModule, type MapModule } from '../../electron/host/map/map-module.js';
import { createLogger } from '../../electron/host/log.js';
import { applyUnitsDelta, applyUnitsSnapshot, NO_UNITS, UnitFeed, type UnitsHeld } from '../../renderer/map/unit-feed.js';

const T0 = 1_780_000_000_000;
const unit = (id: string, ts: number, track: Array<[number, number, number]>, over: Partial<MapUnit> = {}): MapUnit =>
  ({ id, kind: 'robot', lat: 43.25, lon: 76.95, ts, stale: false, track, ...over });
const empty = (seq: number): UnitsDelta => ({ seq, added: [], changed: [], removed: [], rejected: {} });

/** A pseudo-random generator with a seed (the same stream on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1_664_525 + 1_013_904_223) >>> 0; return s / 2 ** 32; };
}

describe('trail edits', () => {
  it('turn the old trail into the new one exactly: trimmed start, replaced newest point, appended points', () => {
    const r = rng(7);
    for (let round = 0; round < 300; round++) {
      let trail: Array<[number, number, number]> = [];
      let ts = T0;
      for (let i = 0; i < 60; i++) {
        ts += [200, 500, 2_999, 3_000, 4_000, 40_000][Math.floor(r() * 6)]!;
        const next = extendTrail(trail, [76.95 + r() * 1e-3, 43.25 + r() * 1e-3, ts], ts - 60_000);
        const e = trailEdit(trail, next);
        expect(applyTrailEdit(trail, e)).toEqual(next);
        expect(e.add.length).toBeLessThanOrEqual(next.length);
        trail = next;
      }
    }
  });
  it('send only the new point, and say when the newest one was replaced or old ones trimmed', () => {
    const a: Array<[number, number, number]> = [[1, 1, 0], [2, 2, 3_000], [3, 3, 4_000]];
    expect(trailEdit(a, [[1, 1, 0], [2, 2, 3_000], [4, 4, 4_500]])).toEqual({ trim: 0, drop: 1, add: [[4, 4, 4_500]] }); // 4,000 was not a step after 3,000
    expect(trailEdit(a, [[2, 2, 3_000], [3, 3, 4_000], [5, 5, 7_000]])).toEqual({ trim: 1, drop: 0, add: [[5, 5, 7_000]] });
    expect(trailEdit(a, [[9, 9, 90_000]])).toEqual({ trim: 3, drop: 0, add: [[9, 9, 90_000]] });
    expect(trailEdit(a, a)).toEqual({ trim: 0, drop: 0, add: [] });
    expect(trailEdit([], a)).toEqual({ trim: 0, drop: 0, add: a });
  });
});

describe('the host\'s delta', () => {
  it('has new units whole, changed ones with their fields and trail edit, gone ones by id, unchanged ones not at all', () => {
    const a = unit('a', T0, [[76.95, 43.25, T0]]);
    const b = unit('b', T0, [[76.95, 43.25, T0]]);
    const c = unit('c', T0, [[76.95, 43.25, T0]]);
    const sent = new Map([['a', a], ['b', b], ['c', c]]);
    const a2 = unit('a', T0 + 500, [[76.95, 43.25, T0], [76.96, 43.25, T0 + 500]], { lon: 76.96 });
    const cStale = { ...c, stale: true };
    const d = unitsDelta(sent, [a2, cStale, unit('n', T0, [])], 4, { invalid: 2 });
    expect(d).toEqual({
      seq: 4, rejected: { invalid: 2 }, removed: ['b'],
      added: [unit('n', T0, [])],
      changed: [
        { ...a2, track: undefined, trail: { trim: 0, drop: 0, add: [[76.96, 43.25, T0 + 500]] } },
        { ...cStale, track: undefined, trail: { trim: 0, drop: 0, add: [] } },
      ].map(({ track: _t, ...x }) => x),
    });
    expect(UnitsDelta.parse(d)).toEqual(d); // the contract's wire format
    // a unit forgotten and heard again before the delta comes last in the store: removed and added whole, so windows keep its order
    const x2 = unit('b', T0 + 9e6, [[76.95, 43.25, T0 + 9e6]]);
    expect(unitsDelta(sent, [a, c, x2], 5, {})).toMatchObject({ added: [x2], changed: [], removed: ['b'] });
    expect(unitsDelta(new Map([['a', a], ['b', b]]), [a, unit('n', T0, []), x2], 5, {})).toMatchObject({ added: [unit('n', T0, []), x2], changed: [], removed: ['b'] });
    // the benchmark's A/B switch: every unit whole (the wire before 2026-12-05)
    expect(unitsDelta(sent, [a2, cStale], 5, {}, true)).toMatchObject({ added: [a2, cStale], changed: [], removed: ['b'] });
  });
});

describe('the window\'s units (unit-feed.ts)', () => {
  const snap = (seq: number, units: MapUnit[]): UnitsSnapshot => ({ seq, units, rejected: {} });
  it('needs a snapshot first, applies the next delta, drops older ones, and asks again on a gap or resync', () => {
    const a = unit('a', T0, [[76.95, 43.25, T0]]);
    expect(applyUnitsDelta(NO_UNITS, { ...empty(1), added: [a] })).toEqual({ held: NO_UNITS, resync: true }); // a first delta
    const held = applyUnitsSnapshot(snap(5, [a]));
    expect(applyUnitsDelta(held, empty(5))).toEqual({ held, resync: false }); // not after the snapshot: dropped
    expect(applyUnitsDelta(held, empty(7)).resync).toBe(true); // 6 missed
    expect(applyUnitsDelta(held, { ...empty(6), resync: true }).resync).toBe(true);
    const next = applyUnitsDelta(held, { ...empty(6), changed: [{ ...a, ts: T0 + 500, trail: { trim: 0, drop: 0, add: [[76.96, 43.25, T0 + 500]] } }], rejected: { 'not-json': 1 } });
    expect(next.resync).toBe(false);
    expect([...next.held.units.values()]).toEqual([{ ...a, ts: T0 + 500, track: [[76.95, 43.25, T0], [76.96, 43.25, T0 + 500]] }]);
    expect(next.held.rejected).toEqual({ 'not-json': 1 });
    expect(applyUnitsDelta(held, { ...empty(6), changed: [{ ...unit('zz', T0, []), trail: { trim: 0, drop: 0, add: [] } }].map(({ track: _t, ...x }) => x) }).resync).toBe(true); // a unit it never got
  });
  it('asks units.list on the first delta, applies the deltas that came while it asked, and ignores an older answer', async () => {
    const a = unit('a', T0, [[76.95, 43.25, T0]]);
    const answers: Array<(s: UnitsSnapshot) => void> = [];
    const shown: MapUnit[][] = [];
    const feed = new UnitFeed({ list: () => new Promise((resolve) => { answers.push(resolve); }) }, (units) => shown.push(units));
    feed.delta({ ...empty(3), added: [a] }); // no units yet: asks
    expect(answers).toHaveLength(1);
    feed.delta({ ...empty(4), changed: [{ ...a, lat: 43.3, trail: { trim: 0, drop: 0, add: [] } }].map(({ track: _t, ...x }) => x) }); // kept while it asks
    feed.delta(empty(5));
    answers[0]!(snap(3, [a]));
    await Promise.resolve();
    expect(feed.get().seq).toBe(5);
    expect(shown.at(-1)).toEqual([{ ...a, lat: 43.3 }]);
    feed.delta(empty(9)); // a gap: asks again, twice (a reconnection), and only the last answer counts
    feed.catchUp();
    answers[1]!(snap(9, []));
    answers[2]!(snap(10, [a]));
    await Promise.resolve();
    expect(feed.get().seq).toBe(10);
    expect(shown.at(-1)).toEqual([a]);
  });
});

describe('every window ends with exactly the units the host holds', () => {
  let dir: string | null = null;
  let map: MapModule | null = null;
  afterEach(async () => { await map?.close(); map = null; if (dir) rmSync(dir, { recursive: true, force: true }); dir = null; });

  it('after every step of a random report stream (moves, refusals, stale, forgotten), with windows that join late or miss a delta', () => {
    dir = mkdtempSync(join(tmpdir(), 'kuzet-units-wire-'));
    let now = T0;
    const deltas: UnitsDelta[] = [];
    map = createMapModule({
      log: createLogger({ quiet: true }), dataDir: dir, emit: (d) => { deltas.push(d); }, emitEveryMs: 3_600_000,
      store: { staleAfterS: 10, trackMinutes: 1, forgetAfterMin: 2, now: () => now },
    });
    const m = map;
    const list = (): UnitsSnapshot => UnitsSnapshot.parse(m.handlers['units.list']({}, { clientId: 'test' }));
    const r = rng(42);
    const ids = ['drone-1', 'robot-2', 'body-3', 'car-4', 'robot-5', 'drone-6'];
    const last = new Map<string, { ts: number; lon: number }>();
    // window 0 from the start; window 1 joins late; window 2 misses deltas now and then (a full socket)
    const windows: Array<UnitsHeld | null> = [NO_UNITS, null, NO_UNITS];
    let resyncs = 0;
    let edits = 0;
    let wholeUnits = 0;
    for (let step = 0; step < 1_500; step++) {
      const x = r();
      const id = ids[Math.floor(r() * ids.length)]!;
      const prev = last.get(id);
      if (x < 0.7) {
        const ts = (prev?.ts ?? T0) + [200, 500, 500, 1_000, 2_999, 3_000, 4_000, 30_000][Math.floor(r() * 8)]!;
        const lon = (prev?.lon ?? 76.95) + (r() - 0.5) * 1e-4;
        const ok = m.store.ingest(`kuzet/units/${id}`, JSON.stringify({ v: 1, id, kind: 'robot', lat: 43.25, lon, ts, speed: 1 + Math.round(r() * 5) }));
        if (ok.ok) last.set(id, { ts, lon });
        now += 250;
      } else if (x < 0.78) {
        m.store.ingest(`kuzet/units/${id}`, JSON.stringify({ v: 1, id, kind: 'robot', lat: 43.25, lon: 76.95, ts: prev?.ts ?? T0 })); // out of order (or first)
      } else if (x < 0.82) {
        m.store.ingest(`kuzet/units/${id}`, '{"v":1,"lat":NaN}');
      } else if (x < 0.9) {
        now += 12_000; m.store.sweep(); // stale
      } else if (x < 0.915) {
        now += 130_000; m.store.sweep(); last.clear(); // all forgotten
      }
      if (r() < 0.5) continue; // changes pile up until the next delta
      m.push();
      const d = UnitsDelta.parse(JSON.parse(JSON.stringify(deltas.at(-1)))); // as the wire carries it
      edits += d.changed.length;
      wholeUnits += d.added.length;
      const truth = list();
      expect(truth.seq).toBe(d.seq);
      for (let w = 0; w < windows.length; w++) {
        let held = windows[w]!;
        if (held === null) { if (step > 600) windows[w] = applyUnitsSnapshot(list()); continue; }
        if (w === 2 && r() < 0.05) continue; // missed
        const s = applyUnitsDelta(held, d);
        if (s.resync) { resyncs++; held = applyUnitsSnapshot(list()); } else held = s.held;
        windows[w] = held;
        expect([...held.units.values()]).toEqual(truth.units);
        expect(held.rejected).toEqual(truth.rejected);
        expect(held.seq).toBe(truth.seq);
      }
    }
    expect(windows[1]).not.toBeNull();
    expect(edits).toBeGreaterThan(wholeUnits); // mostly edits, not whole units
    expect(resyncs).toBeGreaterThan(2); // the first delta of windows 0 and 2, and window 2's misses
  });
});
