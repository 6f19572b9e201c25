import { describe, expect, it } from 'vitest';
import { LoadGovernor, governorInput } from '../../electron/host/streams/load-governor.js';
import { paintedShare } from '../../renderer/wall/tile-state.js';

describe('load governor', () => {
  it('shrinks the decode budget while the machine is saturated and grows it back after sustained headroom', () => {
    const g = new LoadGovernor();
    expect(g.sample(99)).toBe(false); // one or two busy seconds are not enough
    expect(g.sample(99)).toBe(false);
    expect(g.sample(99)).toBe(true);
    expect(g.scale).toBe(0.85);
    for (let i = 0; i < 60; i++) g.sample(100);
    expect(g.scale).toBe(0.25); // never below the floor
    for (let i = 0; i < 4; i++) expect(g.sample(60)).toBe(false);
    expect(g.sample(60)).toBe(true);
    expect(g.scale).toBeCloseTo(0.28, 2);
    g.sample(90); // in the dead band: counters reset
    for (let i = 0; i < 4; i++) g.sample(60);
    expect(g.scale).toBeCloseTo(0.28, 2);
  });

  it('treats a window that paints too few of its frames as saturation, holds in the dead band, and ignores none', () => {
    expect(governorInput(40, null)).toBe(40);
    expect(governorInput(40, 30)).toBe(100); // the page's main thread is the limit, not the machine
    expect(governorInput(40, 80)).toBe(90); // dead band: neither shrink nor grow
    expect(governorInput(97, 95)).toBe(97);
    expect(governorInput(40, 95)).toBe(40);
    const g = new LoadGovernor();
    for (let i = 0; i < 3; i++) g.sample(governorInput(50, 25));
    expect(g.scale).toBe(0.85);
    for (let i = 0; i < 10; i++) g.sample(governorInput(50, 85));
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
