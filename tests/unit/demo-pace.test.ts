/**
 * The demo's alarm rate (electron/host/alarms/demo-pace.ts) with fake timers: every kind in the opening seconds,
 * then a few a minute with bursts now and then, never the same camera and kind twice within ten minutes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_PACE, startPacer, type PaceCandidate } from '../../electron/host/alarms/demo-pace.js';

const KINDS = ['face_match', 'plate', 'red_light', 'speeding', 'pedestrian_crossing', 'abandoned_object', 'crowd', 'motion', 'tamper'];
/** 20 cameras, each with one or two kinds, as the demo city has. */
const CANDIDATES: PaceCandidate[] = Array.from({ length: 20 }, (_, i) => [KINDS[i % KINDS.length]!, KINDS[(i + 3) % KINDS.length]!])
  .flatMap((kinds, i) => kinds.map((kind) => ({ key: `cam-${i}|${kind}`, kind })));

beforeEach(() => { vi.useFakeTimers({ now: 1_800_000_000_000 }); });
afterEach(() => { vi.useRealTimers(); });

function run(minutes: number, candidates = CANDIDATES) {
  const fired: Array<{ at: number; c: PaceCandidate }> = [];
  const t0 = Date.now();
  const p = startPacer(() => candidates, (c) => fired.push({ at: Date.now() - t0, c }));
  vi.advanceTimersByTime(minutes * 60_000);
  p.stop();
  return fired;
}

describe('demo alarm pacing', () => {
  it('opens with one alarm of every kind within 15 s, and no more than that', () => {
    const fired = run(0.25);
    expect(new Set(fired.map((f) => f.c.kind))).toEqual(new Set(KINDS));
    expect(fired).toHaveLength(KINDS.length);
  });

  it('then raises a few a minute: between 2 and 6 on average over an hour, never more than 8 in any minute (a burst on top of the steady rate)', () => {
    const fired = run(60).filter((f) => f.at >= 15_000);
    const perMinute = fired.length / (60 - 0.25);
    expect(perMinute).toBeGreaterThanOrEqual(2);
    expect(perMinute).toBeLessThanOrEqual(6);
    let worst = 0;
    for (const f of fired) worst = Math.max(worst, fired.filter((g) => g.at >= f.at && g.at < f.at + 60_000).length);
    expect(worst).toBeLessThanOrEqual(DEMO_PACE.burstSize + 4);
  });

  it('has bursts now and then: at least 3 alarms within 10 s several times an hour, quiet stretches between', () => {
    const fired = run(60).filter((f) => f.at >= 15_000);
    const burstStarts = fired.filter((f, i) => i + 2 < fired.length && fired[i + 2]!.at - f.at <= 10_000).map((f) => f.at);
    const distinct = burstStarts.filter((at, i) => i === 0 || at - burstStarts[i - 1]! > 60_000);
    expect(distinct.length).toBeGreaterThanOrEqual(6);
    const gaps = fired.slice(1).map((f, i) => f.at - fired[i]!.at);
    expect(Math.max(...gaps)).toBeGreaterThan(15_000);
  });

  it('never repeats a camera and kind within 10 minutes', () => {
    const fired = run(120);
    const last = new Map<string, number>();
    for (const f of fired) {
      const prev = last.get(f.c.key);
      if (prev !== undefined) expect(f.at - prev, f.c.key).toBeGreaterThanOrEqual(DEMO_PACE.noRepeatMs);
      last.set(f.c.key, f.at);
    }
    expect(fired.length).toBeGreaterThan(100);
  });

  it('spreads the kinds: within any 10 alarms, no kind more than 3 times', () => {
    const fired = run(60);
    for (let i = 0; i + 10 <= fired.length; i++) {
      const counts = new Map<string, number>();
      for (const f of fired.slice(i, i + 10)) counts.set(f.c.kind, (counts.get(f.c.kind) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(3);
    }
  });

  it('with few cameras it goes quiet rather than repeat', () => {
    const few = [{ key: 'a|crowd', kind: 'crowd' }, { key: 'b|motion', kind: 'motion' }];
    const fired = run(30, few);
    expect(fired.length).toBeLessThanOrEqual(2 * 3 + 2); // each key at most every 10 minutes
    expect(fired.length).toBeGreaterThanOrEqual(4);
  });

  it('stop() ends it', () => {
    const fired: PaceCandidate[] = [];
    const p = startPacer(() => CANDIDATES, (c) => fired.push(c));
    vi.advanceTimersByTime(20_000);
    p.stop();
    const n = fired.length;
    vi.advanceTimersByTime(600_000);
    expect(fired.length).toBe(n);
    expect(vi.getTimerCount()).toBe(0);
  });
});
