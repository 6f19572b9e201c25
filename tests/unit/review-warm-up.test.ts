import { describe, expect, it } from 'vitest';
import { nextToWarm, type WarmPlayer } from '../../renderer/review/warm-up.js';

const pool = (players: Record<string, WarmPlayer>) => (id: string) => players[id] ?? null;

describe('replay warm-up: the next camera opened ahead', () => {
  it('takes a camera without a player while the pool has room, in the order given', () => {
    expect(nextToWarm(['a', 'b'], pool({}), 0, 24, new Set())).toBe('a');
    expect(nextToWarm(['a', 'b'], pool({}), 24, 24, new Set())).toBeUndefined();
  });

  it('takes a parked player that has not opened: one parked while it loaded, not only an idle one', () => {
    const players = { a: { shown: true, opened: false }, b: { shown: false, opened: true }, c: { shown: false, opened: false } };
    expect(nextToWarm(['a', 'b', 'c'], pool(players), 3, 24, new Set())).toBe('c');
  });

  it('leaves shown players to the grid and opened ones alone', () => {
    const players = { a: { shown: true, opened: false }, b: { shown: false, opened: true } };
    expect(nextToWarm(['a', 'b'], pool(players), 2, 24, new Set())).toBeUndefined();
  });

  it('does not try again a camera it gave up on', () => {
    const players = { a: { shown: false, opened: false }, b: { shown: false, opened: false } };
    expect(nextToWarm(['a', 'b'], pool(players), 2, 24, new Set(['a']))).toBe('b');
    expect(nextToWarm(['a', 'b'], pool(players), 2, 24, new Set(['a', 'b']))).toBeUndefined();
  });
});
