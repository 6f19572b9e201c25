/** The review grid's player pool: a camera that leaves the grid is parked, not disposed; the oldest parked go first. */
import { describe, expect, it } from 'vitest';
import { PlayerPool } from '../../renderer/review/player-pool.js';
import { FakePlayer } from '../support/fake-player.js';


describe('review player pool', () => {
  it('keeps a camera that leaves the grid and gives the same player back when it returns', () => {
    const made: FakePlayer[] = [];
    const pool = new PlayerPool((id) => { const p = new FakePlayer(id); made.push(p); return p; }, 2);
    const a = pool.show(['a', 'b']);
    expect(a.map((p) => p.id)).toEqual(['a', 'b']);
    pool.show(['b', 'c']);
    const first = made.find((p) => p.id === 'a')!;
    expect(first.parks).toBe(1);
    expect(first.disposed).toBe(false);
    expect(pool.shown().map((p) => p.id)).toEqual(['b', 'c']);
    // 'a' comes back: no new player was made for it
    expect(pool.show(['a', 'c'])[0]).toBe(first);
    expect(made.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(made.find((p) => p.id === 'b')!.parks).toBe(1);
    // shown players are never parked again by showing them again
    pool.show(['a', 'c']);
    expect(first.parks).toBe(1);
  });

  it('disposes the least recently shown parked players beyond the cap, never a shown one', () => {
    const made = new Map<string, FakePlayer>();
    const pool = new PlayerPool((id) => { const p = new FakePlayer(id); made.set(id, p); return p; }, 2);
    pool.show(['a']);
    pool.show(['b']);
    pool.show(['c']);
    pool.show(['d']); // parked: a, b, c (a oldest): a goes
    expect(made.get('a')!.disposed).toBe(true);
    expect(['b', 'c', 'd'].map((id) => made.get(id)!.disposed)).toEqual([false, false, false]);
    expect(pool.has('a')).toBe(false);
    pool.show(['a', 'b', 'c', 'd', 'e']); // all shown: nothing disposed, 'a' made anew
    expect(pool.all().length).toBe(5);
    expect(pool.all().every((p) => !p.disposed)).toBe(true);
    pool.disposeAll();
    expect([...made.values()].every((p) => p.disposed)).toBe(true);
    expect(pool.shown()).toEqual([]);
  });
});
