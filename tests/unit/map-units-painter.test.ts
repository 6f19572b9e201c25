/**
 * The units painter (renderer/map/units-painter.ts): a unit report goes from the feed's store to the canvases without
 * React; while the view pans or zooms (moved pictures stand in) it waits and the latest units are drawn when the view
 * settles, in the settle task; the trails snapshot is taken as MovingUnits took it (not on an alarm pulse).
 */
import { describe, expect, it } from 'vitest';
import { UnitsPainter, type UnitsCanvases, type UnitsContext } from '../../renderer/map/units-painter.js';
import { TRACK_STEP_MS, type MapUnit } from '../../electron/contract/units-schema.js';
import type { MovingScene } from '../../renderer/map/map-decks.js';

function fakeCanvases() {
  const calls: Array<{ kind: 'trails'; units: readonly MapUnit[] | null } | { kind: 'scene'; scene: MovingScene | null } | { kind: 'layers'; n: number }> = [];
  let standing = false;
  const settled = new Set<() => void>();
  const canvases: UnitsCanvases = {
    setTrails: (units) => { calls.push({ kind: 'trails', units }); },
    setMovingScene: (scene) => { calls.push({ kind: 'scene', scene }); },
    setMoving: (layers) => { calls.push({ kind: 'layers', n: layers.length }); },
    standingIn: () => standing,
    onSettled: (cb) => { settled.add(cb); return () => settled.delete(cb); },
  };
  return {
    canvases, calls,
    move: () => { standing = true; },
    settle: () => { standing = false; for (const cb of settled) cb(); },
    listeners: () => settled.size,
  };
}

const unit = (id: string, lon: number, ts: number): MapUnit => ({ id, kind: 'drone', lon, lat: 43.24, ts, stale: false, track: [[lon - 0.002, 43.24, ts - 6000], [lon - 0.001, 43.24, ts - 3000], [lon, 43.24, ts]] });
const NO_ALARMS: UnitsContext['alarms'] = [];
const ctx = (over: Partial<UnitsContext> = {}): UnitsContext => ({ alarms: NO_ALARMS, now: 0, trailZoom: 15, trailCanvas: true, flat: true, ...over });
const scenes = (calls: ReturnType<typeof fakeCanvases>['calls']) => calls.flatMap((c) => (c.kind === 'scene' && c.scene ? [c.scene] : []));

describe('units painter', () => {
  it('draws a report at once while the view holds still: the trails snapshot, then the tails and dots', () => {
    const f = fakeCanvases();
    const p = new UnitsPainter(f.canvases, () => 1_000_000);
    p.setUnits([unit('a', 76.93, 1_000_000)]);
    expect(f.calls).toEqual([]); // no context yet: nothing to draw with
    p.setContext(ctx());
    expect(f.calls.map((c) => c.kind)).toEqual(['trails', 'scene']);
    const [scene] = scenes(f.calls);
    expect(scene!.units[0]!.lon).toBe(76.93);
    // the tail starts at the snapshot's last drawn point (the track's second-newest) and ends at the dot
    expect(scene!.units[0]!.track).toEqual([[76.929, 43.24, 997_000], [76.93, 43.24, 1_000_000]]);
    // the same units and context again: nothing
    p.setContext(ctx());
    expect(f.calls).toHaveLength(2);
  });

  it('keeps reports that come while the view moves and draws the latest one when it settles', () => {
    const f = fakeCanvases();
    const p = new UnitsPainter(f.canvases, () => 1_000_000);
    p.setContext(ctx());
    p.setUnits([unit('a', 76.93, 1_000_000)]);
    const before = f.calls.length;
    f.move();
    p.setUnits([unit('a', 76.931, 1_000_500)]);
    p.setUnits([unit('a', 76.932, 1_001_000)]);
    p.setContext(ctx({ now: 100 })); // an alarm pulse meanwhile waits too
    expect(f.calls).toHaveLength(before);
    f.settle();
    const after = scenes(f.calls.slice(before));
    expect(after).toHaveLength(1);
    expect(after[0]!.units[0]!.lon).toBe(76.932);
    expect(after[0]!.nowMs).toBe(100);
    // nothing waits any more: a settle without reports draws nothing
    f.settle();
    expect(scenes(f.calls.slice(before))).toHaveLength(1);
  });

  it('draws at once again once the view has settled, and a first report during a move waits too', () => {
    const f = fakeCanvases();
    const p = new UnitsPainter(f.canvases, () => 1_000_000);
    p.setContext(ctx());
    expect(scenes(f.calls)).toHaveLength(1); // no units yet
    f.move();
    p.setUnits([unit('a', 76.93, 1_000_000)]);
    expect(f.calls.filter((c) => c.kind === 'trails')).toHaveLength(1); // not even the trails snapshot meanwhile
    expect(scenes(f.calls)).toHaveLength(1);
    f.settle();
    expect(scenes(f.calls)).toHaveLength(2);
    p.setUnits([unit('a', 76.931, 1_000_500)]);
    expect(scenes(f.calls)).toHaveLength(3);
  });

  it('takes a new trails snapshot when TRACK_STEP_MS has passed and the units changed, not on an alarm pulse', () => {
    const f = fakeCanvases();
    let now = 1_000_000;
    const p = new UnitsPainter(f.canvases, () => now);
    p.setContext(ctx());
    p.setUnits([unit('a', 76.93, now)]);
    // (the first snapshot had no units: the unit's coming took one at once)
    const trails = () => f.calls.filter((c) => c.kind === 'trails').length;
    expect(trails()).toBe(2);
    now += 500;
    p.setUnits([unit('a', 76.931, now)]);
    expect(trails()).toBe(2); // too soon: the tail grows instead
    now += TRACK_STEP_MS;
    p.setContext(ctx({ now: 1 })); // a pulse with the same units: no snapshot
    expect(trails()).toBe(2);
    p.setUnits([unit('a', 76.932, now)]);
    expect(trails()).toBe(3);
    // a unit added: at once
    p.setUnits([unit('a', 76.932, now), unit('b', 76.94, now)]);
    expect(trails()).toBe(4);
  });

  it('gives deck layers when the units are not drawn with Canvas 2D, and lets go of the settle hook', () => {
    const f = fakeCanvases();
    const p = new UnitsPainter(f.canvases, () => 1_000_000);
    p.setContext(ctx({ flat: false }));
    p.setUnits([unit('a', 76.93, 1_000_000)]);
    expect(f.calls.filter((c) => c.kind === 'layers').length).toBeGreaterThan(0);
    expect(f.calls.at(-1)).toMatchObject({ kind: 'layers' });
    expect(f.listeners()).toBe(1);
    p.dispose();
    expect(f.listeners()).toBe(0);
  });
});
