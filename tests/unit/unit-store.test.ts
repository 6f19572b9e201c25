/** Issue 10 §3, §7: unit telemetry v1 is validated like events; bad input is counted by reason and changes nothing. */
import { describe, expect, it } from 'vitest';
import { TRACK_STEP_MS, UnitStore, extendTrail, greatCircleM } from '../../electron/host/map/unit-store.js';
import { MapUnit, UnitsSnapshot } from '../../electron/contract/units-schema.js';

const T0 = 1_780_000_000_000;
const msg = (over: Record<string, unknown> = {}) => JSON.stringify({ v: 1, id: 'drone-1', kind: 'drone', lat: 43.24, lon: 76.95, alt: 120, heading: 90, speed: 12, battery: 80, ts: T0, ...over });
const topic = 'kuzet/units/drone-1';

function store() {
  let now = T0;
  const s = new UnitStore({ staleAfterS: 10, trackMinutes: 1, now: () => now });
  return { s, advance: (ms: number) => { now += ms; } };
}

describe('unit telemetry', () => {
  it('keeps the last position and the track of the last minutes', () => {
    const { s } = store();
    for (let i = 0; i < 150; i++) expect(s.ingest(topic, msg({ ts: T0 + i * 500, lon: 76.95 + i * 0.00005 })).ok).toBe(true);
    const [u] = s.snapshot().units;
    expect(u).toMatchObject({ id: 'drone-1', kind: 'drone', stale: false, ts: T0 + 149 * 500 });
    expect(u!.lon).toBeCloseTo(76.95 + 149 * 0.00005, 9);
    // one minute as a trail: a point every TRACK_STEP_MS (not all 121 reports of 2 Hz), ending at the newest report
    expect(u!.track.at(-1)).toEqual([u!.lon, u!.lat, u!.ts]);
    expect(u!.track[0]![2]).toBeGreaterThanOrEqual(u!.ts - 60_000);
    expect(u!.track[0]![2]).toBeLessThan(u!.ts - 60_000 + TRACK_STEP_MS);
    expect(u!.track.length).toBeLessThanOrEqual(60_000 / TRACK_STEP_MS + 2);
    expect(u!.track.length).toBeGreaterThanOrEqual(60_000 / TRACK_STEP_MS);
    const steps = u!.track.slice(1, -1).map((p, i) => p[2] - u!.track[i]![2]);
    for (const d of steps) expect(d).toBeGreaterThanOrEqual(TRACK_STEP_MS);
    expect(() => UnitsSnapshot.parse({ seq: 0, ...s.snapshot() })).not.toThrow();
    expect(() => MapUnit.parse(u)).not.toThrow();
  });

  it('a trail keeps a point a step after the one before it, and always the newest report', () => {
    let trail: Array<[number, number, number]> = [];
    for (const ts of [0, 500, 1000, 2999, 3000, 3500, 6000, 6001]) trail = extendTrail(trail, [ts, 0, ts], -1);
    expect(trail.map((p) => p[2])).toEqual([0, 3000, 6000, 6001]);
    expect(extendTrail(trail, [9000, 0, 9000], 3500).map((p) => p[2])).toEqual([6000, 9000]); // 6001 was within a step of 6000
  });

  it('refuses bad messages with a reason, counts them, and leaves the unit where it was reported', () => {
    const { s } = store();
    s.ingest(topic, msg());
    const bad: Array<[string, string]> = [
      ['{"v":1,"id":"drone-1","kind":"drone","lat":NaN,"lon":76.95,"ts":1}', 'not-json'],
      [msg({ lat: 95 }), 'bad-coordinates'],
      [msg({ lon: -200 }), 'bad-coordinates'],
      [msg({ lat: '43.2' }), 'bad-coordinates'],
      [msg({ v: 2 }), 'unknown-version'],
      [JSON.stringify({ id: 'drone-1' }), 'unknown-version'],
      [msg({ kind: 'submarine', ts: T0 + 1000 }), 'invalid'],
      [msg({ battery: 140, ts: T0 + 1000 }), 'invalid'],
      [msg({ extra: 1, ts: T0 + 1000 }), 'invalid'],
      [msg({ ts: T0 }), 'out-of-order'],
      [msg({ lat: 47.74, ts: T0 + 1000 }), 'implausible-jump'], // about 500 km north in one second
      [msg({ lon: 76.96, ts: T0 + 1000 }), 'implausible-jump'], // 811 m in one second
    ];
    for (const [payload, reason] of bad) {
      const r = s.ingest(topic, payload);
      expect(r.ok ? 'accepted' : r.reason, payload).toBe(reason);
    }
    expect(s.ingest('kuzet/units/other', msg({ ts: T0 + 2000 }))).toMatchObject({ ok: false, reason: 'topic-mismatch' });
    const snap = s.snapshot();
    expect(snap.units).toHaveLength(1);
    expect(snap.units[0]).toMatchObject({ lat: 43.24, lon: 76.95, ts: T0 });
    expect(snap.units[0]!.track).toHaveLength(1);
    expect(snap.rejected).toEqual({ 'not-json': 1, 'bad-coordinates': 3, 'unknown-version': 2, invalid: 3, 'out-of-order': 1, 'implausible-jump': 2, 'topic-mismatch': 1 });
    // a plausible move (30 m/s for a second) is taken
    expect(s.ingest(topic, msg({ lon: 76.95037, ts: T0 + 1000 })).ok).toBe(true);
  });

  it('marks a silent unit stale, and live again when it reports', () => {
    const { s, advance } = store();
    const changes: number[] = [];
    s.onChange(() => changes.push(1));
    s.ingest(topic, msg());
    advance(9_000);
    expect(s.sweep()).toBe(false);
    advance(2_000);
    expect(s.sweep()).toBe(true);
    expect(s.snapshot().units[0]!.stale).toBe(true);
    expect(s.sweep()).toBe(false); // already stale: no change, no redraw
    s.ingest(topic, msg({ ts: T0 + 11_000 }));
    expect(s.snapshot().units[0]!.stale).toBe(false);
    expect(changes).toHaveLength(3);
  });

  it('measures great-circle distances', () => {
    expect(greatCircleM(43.24, 76.95, 47.74, 76.95)).toBeGreaterThan(499_000);
    expect(greatCircleM(43.24, 76.95, 47.74, 76.95)).toBeLessThan(502_000);
  });
});
