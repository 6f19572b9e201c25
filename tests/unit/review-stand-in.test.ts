/**
 * Progressive seeks (renderer/review/stand-in.ts): a paused tile that wants the main stream shows the sub-stream's
 * picture of the moment first, and the main stream's once the grid's other tiles have theirs. Time is a number here.
 */
import { describe, expect, it } from 'vitest';
import { standInFor, standInStep, UPGRADE_WAIT_MS, type StandIn } from '../../renderer/review/stand-in.js';

const at = { playing: false, want: 'main' as const, mainHolds: false, targetMs: 5_000, nowMs: 100 };
const step = (s: StandIn, over: Partial<Parameters<typeof standInStep>[1]> = {}) =>
  standInStep(s, { clockMs: 5_000, playing: false, want: 'main', listed: 'sub', atTarget: false, othersSettling: false, nowMs: 200, ...over });

describe('progressive seek: who gets a stand-in', () => {
  it('a paused tile that wants main and has not its footage of the moment', () => {
    expect(standInFor(at)).toEqual({ targetMs: 5_000, since: 100, shown: false, upgrading: false, mainSeek: false });
  });
  it('none when playing, a small tile (the sub-stream is its own), or main buffered there (a frame step)', () => {
    expect(standInFor({ ...at, playing: true })).toBeNull();
    expect(standInFor({ ...at, want: 'sub' })).toBeNull();
    expect(standInFor({ ...at, mainHolds: true })).toBeNull();
  });
});

describe('progressive seek: its steps', () => {
  it('waits for the sub-stream picture of the moment, then upgrades once no other tile is without its picture', () => {
    const s = standInFor(at)!;
    expect(step(s, { listed: 'main' })).toBe('wait'); // the sub-stream's list not in yet
    expect(step(s, { atTarget: false })).toBe('wait');
    expect(step(s, { atTarget: true, othersSettling: true })).toBe('wait'); // the grid's other pictures first
    expect(step(s, { atTarget: true, othersSettling: false })).toBe('upgrade');
  });
  it('upgrades after UPGRADE_WAIT_MS even while another tile is still without its picture', () => {
    const s = standInFor(at)!;
    expect(step(s, { atTarget: true, othersSettling: true, nowMs: 100 + UPGRADE_WAIT_MS - 1 })).toBe('wait');
    expect(step(s, { atTarget: true, othersSettling: true, nowMs: 100 + UPGRADE_WAIT_MS })).toBe('upgrade');
  });
  it('is done only when the main stream\'s picture is on screen after its own seek (not the stand-in still showing)', () => {
    const s = { ...standInFor(at)!, shown: true, upgrading: true };
    expect(step(s, { listed: 'main', atTarget: true })).toBe('wait'); // the stand-in's picture, main not seeked yet
    expect(step({ ...s, mainSeek: true }, { listed: 'main', atTarget: false })).toBe('wait'); // main decoding
    expect(step({ ...s, mainSeek: true }, { listed: 'main', atTarget: true })).toBe('done');
  });
  it('ends when the clock plays or moves without a seek, or the tile wants the sub-stream now', () => {
    const s = standInFor(at)!;
    expect(step(s, { playing: true })).toBe('end');
    expect(step(s, { clockMs: 5_040 })).toBe('end');
    expect(step(s, { want: 'sub' })).toBe('end');
    expect(step({ ...s, upgrading: true }, { playing: true })).toBe('end');
  });
});
