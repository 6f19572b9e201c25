import { describe, expect, it } from 'vitest';
import { applyPop, decideAutoPop, type AutoPopConfig, type AutoPopState } from '../../renderer/alarms/auto-pop.js';

const cfg: AutoPopConfig = { alarmTiles: [0, 1], minIntervalMs: 10_000, maxPriority: 3 };
const none = () => false;
const a = (id: string, priority: number, cameraId = `cam-${id}`) => ({ id, priority, cameraId });

describe('auto-pop policy', () => {
  it('fills empty alarm tiles in order; skips low priorities and undesignated walls', () => {
    let s: AutoPopState = new Map();
    expect(decideAutoPop(cfg, s, a('x', 1), none, 0)).toEqual({ kind: 'pop', tile: 0, preempted: null });
    s = applyPop(s, 0, a('x', 1), 0);
    expect(decideAutoPop(cfg, s, a('y', 2), none, 1)).toEqual({ kind: 'pop', tile: 1, preempted: null });
    expect(decideAutoPop(cfg, s, a('z', 4), none, 1)).toMatchObject({ kind: 'skip' });
    expect(decideAutoPop({ ...cfg, alarmTiles: [] }, new Map(), a('x', 1), none, 0)).toEqual({ kind: 'skip', reason: 'no alarm tile designated' });
  });

  it('a pinned tile is never taken', () => {
    expect(decideAutoPop(cfg, new Map(), a('x', 1), (t) => t === 0, 0)).toEqual({ kind: 'pop', tile: 1, preempted: null });
    expect(decideAutoPop(cfg, new Map(), a('x', 1), () => true, 0)).toEqual({ kind: 'skip', reason: 'every alarm tile is pinned' });
  });

  it('rate limit per tile; a more urgent alarm pre-empts a less urgent one at once', () => {
    let s: AutoPopState = new Map();
    s = applyPop(s, 0, a('p3', 3), 0);
    s = applyPop(s, 1, a('p2', 2), 1000);
    expect(decideAutoPop(cfg, s, a('n3', 3), none, 5000)).toMatchObject({ kind: 'skip' });
    expect(decideAutoPop(cfg, s, a('n3', 3), none, 10_000)).toEqual({ kind: 'pop', tile: 0, preempted: 'p3' });
    expect(decideAutoPop(cfg, s, a('n1', 1), none, 2000)).toEqual({ kind: 'pop', tile: 0, preempted: 'p3' });
    expect(decideAutoPop(cfg, s, a('n3', 3, 'cam-p3'), none, 20_000)).toMatchObject({ kind: 'skip', reason: 'camera already on an alarm tile' });
  });

  it('a storm never takes more than the alarm tiles and never replaces a more urgent alarm', () => {
    let s: AutoPopState = new Map();
    const used = new Set<number>();
    let pops = 0;
    for (let i = 0; i < 1000; i++) {
      const alarm = a(`s${i}`, 1 + (i % 3));
      const d = decideAutoPop(cfg, s, alarm, none, i * 10);
      if (d.kind !== 'pop') continue;
      const before = s.get(d.tile);
      if (before) expect(before.priority >= alarm.priority).toBe(true);
      used.add(d.tile); pops++;
      s = applyPop(s, d.tile, alarm, i * 10);
    }
    expect([...used].sort()).toEqual([0, 1]);
    expect(pops).toBeLessThan(10); // 10 s of storm: two tiles filled, then only at the rate limit
  });
});
