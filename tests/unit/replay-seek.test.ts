/**
 * A replay seek's pure parts (docs/replay.md, "Benchmark"): where a segment's appended frames stop so that a file
 * running past the next segment's start cannot cover its first pictures, which cameras replay opens ahead, and the
 * pool keeping a player opened ahead without showing it.
 */
import { describe, expect, it } from 'vitest';
import { appendEndMs } from '../../renderer/review/segment-plan.js';
import { camerasEverShown, camerasShown } from '../../renderer/replay/replay-model.js';
import { PlayerPool } from '../../renderer/review/player-pool.js';
import { FakePlayer } from '../support/fake-player.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { ConsoleAction } from '../../electron/contract/replay-schema.js';
import { cachedFootage, MAX_LISTED, windowOf } from '../../renderer/replay/footage-cache.js';
import type { Footage } from '../../renderer/review/review-player.js';

/** A seeded random sequence (mulberry32). */
const rng = (seed: number) => {
  let x = seed >>> 0;
  const next = () => { x = (x + 0x6d2b79f5) >>> 0; let t = x; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return { int: (n: number) => Math.floor(next() * n) };
};
const seg = (startMs: number, endMs = startMs + 4000) => ({ startMs, endMs, url: `/rec/seg/c/${startMs}.mp4`, bytes: 1 });

describe('append window of a recorded segment', () => {
  it('ends where the next segment starts when they join or overlap, and nowhere when nothing follows', () => {
    const segs = [seg(0), seg(4000), seg(7950, 12_000), seg(12_030), seg(30_000), seg(34_000, 34_100), seg(34_100)];
    expect(appendEndMs(segs, segs[0]!)).toBe(4000); // joined
    expect(appendEndMs(segs, segs[1]!)).toBe(7950); // the next starts 50 ms before this one ends (clock correction)
    expect(appendEndMs(segs, segs[2]!)).toBe(12_030); // a 30 ms gap is a join
    expect(appendEndMs(segs, segs[3]!)).toBe(Infinity); // a gap follows: nothing to protect
    expect(appendEndMs(segs, segs[4]!)).toBe(34_000);
    // a "next" that starts 100 ms after this one is a broken index, not a neighbour: no cut
    expect(appendEndMs(segs, segs[5]!)).toBe(Infinity);
    expect(appendEndMs(segs, segs[6]!)).toBe(Infinity); // the newest
  });

  it('cuts a file longer than its index entry at the next entry, whichever order they are listed in', () => {
    const segs = [seg(8000, 12_000), seg(4000, 8000), seg(0, 4000)];
    expect(appendEndMs(segs, segs[2]!)).toBe(4000);
    expect(appendEndMs(segs, segs[1]!)).toBe(8000);
  });
});

const layoutAt = (seq: number, at: number, displayId: string, cams: Array<string | null>, preset: '2x2' | '1' = '2x2'): ConsoleAction => ({
  seq, at, console: 'c1', user: 'u', action: 'wall.setLayout', change: { kind: 'layout', displayId, layout: makePresetLayout(preset, cams, 'live', 'L') },
});

describe('cameras replay opens ahead', () => {
  const record = {
    before: [layoutAt(1, 0, 'main', ['a', 'b', null, 'a']), layoutAt(2, 0, 'side', ['x'], '1')],
    actions: [layoutAt(3, 10, 'main', ['c', 'b', 'd', null]), layoutAt(4, 20, 'side', ['y'], '1'), layoutAt(5, 30, 'main', ['e', 'a', 'f', 'g'])],
  };

  it('lists every camera the display shows during the incident, once, in order of first appearance', () => {
    expect(camerasEverShown(record, 'main')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(camerasEverShown(record, 'side')).toEqual(['x', 'y']);
    expect(camerasEverShown(record, 'main', 3)).toEqual(['a', 'b', 'c']);
    // it holds what the grid shows at every moment
    for (const t of [0, 10, 20, 30]) for (const c of camerasShown(consoleStateAt(record, t), 'main')) expect(camerasEverShown(record, 'main')).toContain(c);
  });

  it('follows camerasShown for a display without a layout (the first display by name)', () => {
    expect(camerasShown(consoleStateAt(record, 0), 'nope')).toEqual(['a', 'b']);
    expect(camerasEverShown(record, 'nope')).toEqual(camerasEverShown(record, 'main'));
    expect(camerasEverShown({ before: [], actions: [] }, 'main')).toEqual([]);
  });
});


describe('a player opened ahead', () => {
  it('is in the pool, not shown, and is the player the grid gets when it shows the camera', () => {
    const pool = new PlayerPool((id) => new FakePlayer(id), 2);
    pool.show(['a']);
    const ahead = pool.player('b');
    expect(pool.size).toBe(2);
    expect(pool.isShown('b')).toBe(false);
    expect(pool.shown().map((p) => p.id)).toEqual(['a']);
    expect(pool.show(['b'])[0]).toBe(ahead);
    expect(pool.isShown('b')).toBe(true);
    expect(pool.isShown('a')).toBe(false);
    expect(ahead.disposed).toBe(false);
  });
});

describe('an incident\'s segment lists asked once', () => {
  // the host's answer (PlaybackClips.segments): overlapping [f, t), at most 256, nextMs the first start at or after the end
  const recorded = [...Array.from({ length: 700 }, (_, i) => seg(i * 4000)), ...Array.from({ length: 50 }, (_, i) => seg(3_000_000 + i * 4000))];
  const host = (f: number, t: number) => {
    const segments = recorded.filter((s) => s.endMs > f && s.startMs < t).slice(0, MAX_LISTED);
    const after = segments.length === MAX_LISTED ? segments.at(-1)!.endMs : t;
    return { segments, nextMs: recorded.find((s) => s.startMs >= after)?.startMs ?? null };
  };
  const counting = () => {
    const calls: Array<[number, number]> = [];
    const inner: Footage = {
      segments: async (_c, f, t) => { calls.push([f, t]); return host(f, t); },
      timeline: async () => [],
    };
    return { calls, inner };
  };

  it('answers every window inside the range as the host would, after listing each camera once', async () => {
    const { calls, inner } = counting();
    const f = cachedFootage(inner, 100_000, 2_950_000);
    const r = rng(7);
    for (let i = 0; i < 300; i++) {
      const a = 100_000 + r.int(2_800_000);
      const b = Math.min(2_950_000, a + 1 + r.int(1_500_000)); // up to 25 minutes: also windows the host caps at 256
      expect(await f.segments('cam-1', a, b)).toEqual(host(a, b));
    }
    const listing = calls.length;
    expect(listing).toBeGreaterThan(1); // 700 segments: pages of 256
    expect(listing).toBeLessThan(6);
    await f.segments('cam-1', 200_000, 300_000);
    expect(calls.length).toBe(listing); // nothing more asked for cam-1
    await f.segments('cam-2', 200_000, 300_000);
    expect(calls.length).toBeGreaterThan(listing); // another camera has its own list
  });

  it('asks the host for windows outside the range (before it, after it, footage still being recorded)', async () => {
    const { calls, inner } = counting();
    const f = cachedFootage(inner, 100_000, 2_950_000);
    expect(await f.segments('cam-1', 50_000, 400_000)).toEqual(host(50_000, 400_000));
    expect(await f.segments('cam-1', 2_900_000, 3_100_000)).toEqual(host(2_900_000, 3_100_000));
    expect(calls).toEqual([[50_000, 400_000], [2_900_000, 3_100_000]]);
  });

  it('preloads every camera\'s list of each stream when replay opens, and a seek then asks the host nothing', async () => {
    const calls: Array<[string, string, number, number]> = [];
    const inner: Footage = {
      // the host answers the sub-stream where asked (this recording has one), main otherwise
      segments: async (c, f, t, stream = 'main') => { calls.push([c, stream, f, t]); return { ...host(f, t), stream }; },
      timeline: async () => [],
    };
    const f = cachedFootage(inner, 100_000, 2_950_000);
    const cams = Array.from({ length: 10 }, (_, i) => `cam-${i}`);
    const loaded = f.preload!(cams, ['sub', 'main']);
    // four lists at a time, the sub-stream's of every camera first; a seek's ask of a camera not reached yet starts at once
    expect(calls.map(([c, s]) => `${c} ${s}`)).toEqual(['cam-0 sub', 'cam-1 sub', 'cam-2 sub', 'cam-3 sub']);
    const seek = f.segments('cam-9', 1_000_000, 1_360_000, 'main');
    expect(calls.at(-1)?.slice(0, 2)).toEqual(['cam-9', 'main']);
    expect(await seek).toEqual({ ...host(1_000_000, 1_360_000), stream: 'main' });
    await loaded;
    const asked = calls.length;
    // 10 cameras x 2 streams, each listed once in pages of 256 (700 segments in the range: 3 pages)
    expect(new Set(calls.map(([c, s]) => `${c} ${s}`)).size).toBe(20);
    expect(asked).toBe(20 * 3);
    const r = rng(3);
    for (let i = 0; i < 50; i++) {
      const a = 100_000 + r.int(2_500_000);
      const cam = cams[r.int(cams.length)]!;
      const stream = r.int(2) ? 'sub' : 'main';
      expect(await f.segments(cam, a, a + 360_000, stream)).toEqual({ ...host(a, a + 360_000), stream });
    }
    expect(calls.length).toBe(asked); // every seek answered in the page
    await f.preload!(cams, ['sub']);
    expect(calls.length).toBe(asked); // preloading again asks nothing
  });

  it('asks a failed list again on the next ask, and answers the window from the host meanwhile', async () => {
    let fail = true;
    const calls: string[] = [];
    const inner: Footage = {
      segments: async (c, f, t) => { calls.push(c); if (fail && f === 100_000) throw new Error('host gone'); return host(f, t); },
      timeline: async () => [],
    };
    const f = cachedFootage(inner, 100_000, 2_950_000);
    await f.preload!(['cam-1'], ['main']);
    expect(calls).toEqual(['cam-1']);
    fail = false;
    expect(await f.segments('cam-1', 200_000, 300_000)).toEqual(host(200_000, 300_000));
    const asked = calls.length;
    expect(asked).toBeGreaterThan(2); // listed again (pages), not answered from the failed one
    await f.segments('cam-1', 400_000, 500_000);
    expect(calls.length).toBe(asked);
  });

  it('gives windowOf the host\'s nextMs across the end of the list', () => {
    const all = { segments: [seg(0), seg(4000)], nextMs: 90_000 };
    expect(windowOf(all, 0, 3000)).toEqual({ segments: [seg(0)], nextMs: 4000 });
    expect(windowOf(all, 0, 9000)).toEqual({ segments: [seg(0), seg(4000)], nextMs: 90_000 });
    expect(windowOf(all, 20_000, 30_000)).toEqual({ segments: [], nextMs: 90_000 });
  });
});
