import { describe, expect, it } from 'vitest';
import { LoadGovernor } from '../../electron/host/streams/load-governor.js';

describe('load governor', () => {
  it('shrinks the decode budget while the machine is saturated and grows it back only after sustained headroom', () => {
    const g = new LoadGovernor();
    expect(g.sample(99)).toBe(false); // one busy second is not enough
    expect(g.sample(99)).toBe(true);
    expect(g.scale).toBe(0.85);
    for (let i = 0; i < 40; i++) g.sample(100);
    expect(g.scale).toBe(0.25); // never below the floor: pinned and first tiles keep running
    for (let i = 0; i < 7; i++) expect(g.sample(50)).toBe(false);
    expect(g.sample(50)).toBe(true);
    expect(g.scale).toBeCloseTo(0.28, 2);
    g.sample(80); // in the dead band: counters reset
    for (let i = 0; i < 7; i++) g.sample(50);
    expect(g.scale).toBeCloseTo(0.28, 2);
  });
});
