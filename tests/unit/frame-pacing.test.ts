import { describe, expect, it } from 'vitest';
import { admit, arrivedInBurst, FALLBACK_INTERVAL_MS, MAX_WAITING } from '../../renderer/wall/frame-pacing.js';
import { FrameRelay, type FromRelay } from '../../renderer/wall/frame-relay.js';
import type { Frame } from '../../renderer/wall/frame-socket.js';

const p = (seq: number, captureMs: number, receivedAt: number) => ({ seq, captureMs, receivedAt });

describe('frame pacing (pure)', () => {
  it('calls two pictures a burst when they arrived closer together than they were captured', () => {
    expect(arrivedInBurst(p(1, 1000, 5000), p(2, 1040, 5005))).toBe(true);
    expect(arrivedInBurst(p(1, 1000, 5000), p(2, 1040, 5040))).toBe(false);
    expect(arrivedInBurst(p(1, 1000, 5000), p(2, 1040, 5100))).toBe(false); // the first waited: the page is behind
    // capture times unknown: the cameras' 25 fps spacing
    expect(arrivedInBurst(p(1, 0, 5000), p(2, 0, 5000 + FALLBACK_INTERVAL_MS - 1))).toBe(true);
    expect(arrivedInBurst(p(1, 0, 5000), p(2, 0, 5000 + FALLBACK_INTERVAL_MS))).toBe(false);
  });

  it('keeps a burst (two waiting), falls back to latest-wins otherwise, never holds more than MAX_WAITING', () => {
    const q: ReturnType<typeof p>[] = [];
    expect(admit(q, p(1, 1000, 5000), true)).toEqual([]);
    expect(admit(q, p(2, 1040, 5003), true)).toEqual([]); // burst: queued behind 1
    expect(q.map((x) => x.seq)).toEqual([1, 2]);
    // a third while two wait: the oldest goes; 3 came in a burst with 2, so both stay
    expect(admit(q, p(3, 1080, 5006), true).map((x) => x.seq)).toEqual([1]);
    expect(q.map((x) => x.seq)).toEqual([2, 3]);
    // saturated (a steady 40 ms spacing, nothing painted): latest wins
    expect(admit(q, p(4, 1120, 5046), true).map((x) => x.seq)).toEqual([2, 3]);
    expect(q.map((x) => x.seq)).toEqual([4]);
    expect(admit(q, p(5, 1160, 5086), true).map((x) => x.seq)).toEqual([4]);
    expect(q.map((x) => x.seq)).toEqual([5]);
    // pacing off: latest wins even in a burst
    expect(admit(q, p(6, 1200, 5087), false).map((x) => x.seq)).toEqual([5]);
    expect(q.map((x) => x.seq)).toEqual([6]);
  });

  it('releases every picture exactly once and holds at most MAX_WAITING over any arrival pattern', () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (const paced of [true, false]) {
      const q: ReturnType<typeof p>[] = [];
      const released = new Map<number, number>();
      const taken: number[] = [];
      let t = 0;
      for (let seq = 1; seq <= 2000; seq++) {
        t += rnd() < 0.3 ? rnd() * 5 : rnd() * 90;
        for (const r of admit(q, p(seq, seq * 40, t), paced)) released.set(r.seq, (released.get(r.seq) ?? 0) + 1);
        expect(q.length).toBeLessThanOrEqual(MAX_WAITING);
        if (rnd() < 0.5 && q.length) taken.push(q.shift()!.seq); // a paint takes the oldest
      }
      taken.push(...q.splice(0).map((x) => x.seq));
      expect([...released.values()].every((n) => n === 1)).toBe(true);
      expect(released.size + taken.length).toBe(2000);
      for (const s of taken) expect(released.has(s)).toBe(false);
      expect(taken).toEqual([...taken].sort((a, b) => a - b)); // in order
    }
  });
});

describe('frame relay with pacing', () => {
  const pic = (seq: number, captureMs: number, receivedAt: number, freed: number[]): Frame => ({
    data: new Uint8Array(new ArrayBuffer(16)), width: 4, height: 2, seq, flags: 4, captureMs, receivedAt, recycle: () => freed.push(seq),
  });

  it('hands a burst of one camera on over consecutive pulls, recycling only what it replaced, exactly once', async () => {
    const batches: FromRelay[] = [];
    const relay = new FrameRelay((msg) => batches.push(msg), () => 0);
    const freed: number[] = [];
    relay.offer('a', pic(1, 1000, 5000, freed));
    await Promise.resolve();
    expect(batches.map((b) => b.frames.map((f) => f.seq))).toEqual([[1]]);
    relay.offer('a', pic(2, 1040, 5030, freed));
    relay.offer('a', pic(3, 1080, 5033, freed)); // came 3 ms after 2: both wait
    relay.offer('b', pic(10, 1000, 5033, freed));
    relay.pull();
    relay.pull();
    expect(batches.map((b) => b.frames.map((f) => [f.cameraId, f.seq, f.drops]))).toEqual([[['a', 1, 0]], [['a', 2, 0], ['b', 10, 0]], [['a', 3, 0]]]);
    expect(freed).toEqual([]);
    // the page fell behind: 4, 5, 6 a frame interval apart and unpulled; only the newest is handed on, the rest freed once
    relay.offer('a', pic(4, 1120, 5100, freed));
    relay.offer('a', pic(5, 1160, 5140, freed));
    relay.offer('a', pic(6, 1200, 5180, freed));
    expect(freed).toEqual([4, 5]);
    relay.pull();
    expect(batches[3]!.frames.map((f) => [f.seq, f.drops])).toEqual([[6, 2]]);
    relay.offer('a', pic(7, 1240, 5190, freed));
    relay.forget(new Set()); // no longer shown: the waiting picture is freed, not sent
    expect(freed).toEqual([4, 5, 7]);
  });

  it('latest-wins when pacing is off', async () => {
    const batches: FromRelay[] = [];
    const relay = new FrameRelay((msg) => batches.push(msg), () => 0);
    relay.paced = false;
    const freed: number[] = [];
    relay.offer('a', pic(1, 1000, 5000, freed));
    await Promise.resolve();
    relay.offer('a', pic(2, 1040, 5030, freed));
    relay.offer('a', pic(3, 1080, 5033, freed));
    relay.pull();
    expect(batches[1]!.frames.map((f) => [f.seq, f.drops])).toEqual([[3, 1]]);
    expect(freed).toEqual([2]);
  });

  it('drops a held picture whose buffer leaves with the batch (frames of one socket message share it)', async () => {
    const batches: FromRelay[] = [];
    const relay = new FrameRelay((msg) => batches.push(msg), () => 0);
    const shared = new ArrayBuffer(32);
    const part = (seq: number, at: number, receivedAt: number): Frame => ({ data: new Uint8Array(shared, at, 8), width: 4, height: 2, seq, flags: 0, captureMs: seq * 40, receivedAt });
    relay.offer('a', { ...part(1, 0, 100), data: new Uint8Array(8) });
    await Promise.resolve();
    relay.offer('a', part(2, 8, 130));
    relay.offer('a', part(3, 16, 131));
    relay.pull();
    relay.pull();
    expect(batches.map((b) => b.frames.map((f) => [f.seq, f.drops]))).toEqual([[[1, 0]], [[2, 0]]]);
    relay.offer('a', part(4, 24, 200));
    await Promise.resolve();
    expect(batches[2]!.frames.map((f) => [f.seq, f.drops])).toEqual([[4, 1]]);
  });
});
