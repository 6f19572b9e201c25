import { describe, expect, it } from 'vitest';
import { LoadGovernor } from '../../electron/host/streams/load-governor.js';

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
});
