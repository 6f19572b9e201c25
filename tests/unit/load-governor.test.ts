import { describe, expect, it } from 'vitest';
import { LoadGovernor, governorInput, initialGovernor, reduceGovernor, type GovernorState } from '../../electron/host/streams/load-governor.js';
import { paintedShare } from '../../renderer/wall/tile-state.js';

/** Deterministic noise in [-amp, amp] (a fixed-seed LCG), so a synthetic CPU series is the same on every run. */
function noise(amp: number, seed = 7) {
  let x = seed;
  return () => { x = (x * 1103515245 + 12345) % 2147483648; return (x / 2147483648 * 2 - 1) * amp; };
}

/**
 * A fake clock and a synthetic machine: each second the wall costs `wallPct` x the governor's scale on top of the
 * background load `background(t)` (seconds), plus noise, capped at 100 %. Returns the scale after every second.
 */
function run(seconds: number, background: (t: number) => number, wallPct: number, jitter = 0, state: GovernorState = initialGovernor()) {
  const n = noise(jitter);
  const scales: number[] = [];
  const busy: number[] = [];
  let s = state;
  for (let t = 1; t <= seconds; t++) {
    const b = Math.max(0, Math.min(100, background(t) + wallPct * s.scale + n()));
    busy.push(b);
    s = reduceGovernor(s, b, t * 1000);
    scales.push(s.scale);
  }
  return { scales, busy, state: s };
}

const moves = (scales: number[]) => scales.filter((x, i) => i > 0 && x !== scales[i - 1]).length;

describe('load governor', () => {
  it('shrinks the decode budget after 3 s of saturation, x0.85 a step, never below the floor', () => {
    const g = new LoadGovernor();
    expect(g.sample(99, 1000)).toBe(false); // one or two busy seconds are not enough
    expect(g.sample(99, 2000)).toBe(false);
    expect(g.sample(99, 3000)).toBe(false);
    expect(g.sample(99, 4000)).toBe(true);
    expect(g.scale).toBe(0.85);
    expect(g.move).toBe('overload');
    for (let t = 5; t < 65; t++) g.sample(100, t * 1000);
    expect(g.scale).toBe(0.25);
  });

  it('is back on the full budget within 10 s after a load spike ends (it remembers the budget that held)', () => {
    // the wall costs 40 % at full budget; 30 s at 20 % background, 40 s of a 90 % spike, then the background again
    const spike = (t: number) => (t > 30 && t <= 70 ? 90 : 20);
    const { scales } = run(120, spike, 40, 3);
    expect(scales[29]).toBe(1);
    expect(scales[69]).toBe(0.25); // the spike took the budget to its floor
    const back = scales.findIndex((x, i) => i >= 70 && x === 1);
    expect(back - 70 + 1).toBeLessThanOrEqual(10);
    expect(scales.slice(back)).toEqual(scales.slice(back).map(() => 1)); // and stays there
  });

  it('grows by the headroom when no budget was known to hold, and still recovers within 10 s', () => {
    // overloaded from the first second (nothing sustainable remembered); the quiet machine is 55 % busy besides the
    // wall (the access benchmark's third window: 63 % busy with the wall on key frames only)
    const { scales, state } = run(100, (t) => (t <= 50 ? 90 : 55), 32, 2);
    expect(scales[49]).toBe(0.25);
    const back = scales.findIndex((x, i) => i >= 50 && x === 1);
    expect(back).toBeGreaterThan(0);
    expect(back - 50 + 1).toBeLessThanOrEqual(10);
    expect(state.move === 'headroom' || state.move === 'restore').toBe(true);
  });

  it('stays down under sustained overload, probing a remembered budget at most once', () => {
    // the wall costs 40 % at full budget: 30 s quiet, then 5 min where the background alone is 70 %
    const steady = run(330, (t) => (t <= 30 ? 20 : 70), 40, 2);
    expect(Math.max(...steady.scales.slice(40))).toBeLessThan(1);
    expect(steady.scales.at(-1)).toBeLessThanOrEqual(0.61); // 70 + 40 x scale stays in the dead band (<= 95 %)
    expect(moves(steady.scales.slice(150))).toBeLessThanOrEqual(1);
    // full budget remembered, 40 s of a total overload, then a background of 70 %: quiet at the floor (80 %), so the
    // remembered budget is tried once, overloads, and the governor grows by headroom only from there
    const probed = run(330, (t) => (t <= 30 ? 20 : t <= 70 ? 100 : 70), 40, 2);
    const probeSeconds = probed.scales.filter((x, i) => i > 70 && x === 1).length;
    expect(probeSeconds).toBeGreaterThan(0); // the probe happened (the test can see it)
    expect(probed.scales.slice(90).filter((x) => x === 1)).toEqual([]); // and it was not repeated
    let high = 0; let overloads = 0;
    for (const b of probed.busy.slice(90)) { high = b >= 95 ? high + 1 : 0; if (high === 3) overloads++; }
    expect(overloads).toBe(0);
    // overloaded whatever the wall does: the floor, for good
    const total = run(300, () => 100, 40);
    expect(total.scales.slice(30)).toEqual(total.scales.slice(30).map(() => 0.25));
  });

  it('undoes a growth that overloads the machine and does not try that height again for a minute', () => {
    let s = initialGovernor();
    for (let t = 1; t <= 40; t++) s = reduceGovernor(s, 100, t * 1000);
    expect(s.scale).toBe(0.25);
    s = reduceGovernor(s, 20, 41_000); s = reduceGovernor(s, 20, 42_000);
    expect(s.scale).toBe(1); // 0.25 x 85/20 capped at x4
    expect(s.move).toBe('headroom');
    for (let t = 43; t <= 46; t++) s = reduceGovernor(s, 100, t * 1000);
    expect(s.scale).toBe(0.25); // straight back, not x0.85 steps from 1
    expect(s.move).toBe('overshoot');
    s = reduceGovernor(s, 10, 47_000); s = reduceGovernor(s, 10, 48_000);
    expect(s.scale).toBe(0.62); // halfway between what held (0.25) and what overloaded (1)
    for (let t = 49; t <= 100; t++) s = reduceGovernor(s, 10, t * 1000);
    expect(s.scale).toBe(0.62);
    for (let t = 101; t <= 110; t++) s = reduceGovernor(s, 10, t * 1000);
    expect(s.scale).toBe(1); // the ceiling has expired (60 s)
  });

  it('does not oscillate on a steady 90 % load', () => {
    // the machine at 90 % +-4 whatever the wall does: the dead band, nothing moves
    expect(moves(run(600, () => 90, 0, 4).scales)).toBe(0);
    // the wall's own share puts a full budget at 98 %: one cut brings it to ~90 %, and it stays there
    const own = run(600, () => 50, 48, 3);
    expect(moves(own.scales)).toBe(1);
    expect(own.scales.at(-1)).toBe(0.85);
    // the worst case for a headroom rule: the wall is the whole load, so a cut lands right at the quiet threshold
    const whole = run(600, () => 0, 100, 2);
    expect(moves(whole.scales.slice(60))).toBe(0);
  });

  it('treats a window that paints too few of its frames as saturation, holds in the dead band, and ignores none', () => {
    expect(governorInput(40, null)).toBe(40);
    expect(governorInput(40, 30)).toBe(100); // the page's main thread is the limit, not the machine
    expect(governorInput(40, 80)).toBe(90); // dead band: neither shrink nor grow
    expect(governorInput(97, 95)).toBe(97);
    expect(governorInput(40, 95)).toBe(40);
    const g = new LoadGovernor();
    for (let t = 1; t <= 4; t++) g.sample(governorInput(50, 25), t * 1000);
    expect(g.scale).toBe(0.85);
    for (let t = 5; t <= 15; t++) g.sample(governorInput(50, 85), t * 1000);
    expect(g.scale).toBe(0.85); // a window at its limit does not make the budget oscillate
  });

  it('measures the painted share over live full-rate tiles only', () => {
    expect(paintedShare([])).toBeNull();
    expect(paintedShare([{ paintedFps: 1, hostFps: 1, keyframeOnly: true }])).toBeNull();
    expect(paintedShare([{ paintedFps: 25, hostFps: 25, keyframeOnly: false }, { paintedFps: 5, hostFps: 25, keyframeOnly: false }])).toBe(60);
    // a tile cannot paint more than it is sent (repaints of one frame in two tiles); key-frame-only tiles do not count
    expect(paintedShare([{ paintedFps: 30, hostFps: 25, keyframeOnly: false }, { paintedFps: 1, hostFps: 1, keyframeOnly: true }])).toBe(100);
  });
});
