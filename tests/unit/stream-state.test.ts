import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, i420Size, readFrameHeader, writeFrameHeader } from '../../electron/contract/frames.js';
import { CorruptFrameStream, KzfFrameReader, RawI420FrameReader } from '../../electron/host/streams/frame-reader.js';
import { backoffMs, DEFAULT_TIMINGS, initialStream, QUICK_RETRY_WINDOW_MS, reduceStream, type StreamEvent, type StreamMachine, type StreamEffect } from '../../electron/host/streams/stream-state.js';

function run(events: StreamEvent[], m: StreamMachine = initialStream(0)) {
  const effects: StreamEffect[] = [];
  for (const e of events) {
    const r = reduceStream(m, e);
    m = r.next;
    effects.push(...r.effects);
  }
  return { m, effects };
}

describe('stream state machine', () => {
  it('start spawns generation 1 and the first frame makes it live', () => {
    const { m, effects } = run([{ type: 'start', at: 0 }, { type: 'frame', generation: 1, at: 800 }]);
    expect(effects).toEqual([{ kind: 'spawn', generation: 1 }]);
    expect(m.state).toBe('live');
    expect(m.since).toBe(800);
    expect(m.counters).toMatchObject({ connects: 1, frames: 1, errors: 0 });
  });

  it('ignores frames and failures from a stale generation', () => {
    const { m } = run([
      { type: 'start', at: 0 }, { type: 'frame', generation: 1, at: 100 },
      { type: 'failed', generation: 1, reason: 'error', at: 200 },
      { type: 'frame', generation: 1, at: 300 },
      { type: 'failed', generation: 1, reason: 'crash', at: 400 },
    ]);
    expect(m.state).toBe('reconnecting');
    expect(m.generation).toBe(2);
    expect(m.counters.frames).toBe(1);
    expect(m.counters.errors).toBe(1);
    expect(m.reason).toBe('error');
  });

  it('backs off 1 s, 5 s, 10 s, then 60 s and resets after a frame', () => {
    expect([1, 2, 3, 4, 9].map(backoffMs)).toEqual([1000, 5000, 10_000, 60_000, 60_000]);
    let m = run([{ type: 'start', at: 0 }]).m;
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = reduceStream(m, { type: 'failed', generation: m.generation, reason: 'error', at: i * 100 });
      const fx = r.effects.find((e) => e.kind === 'schedule-retry');
      if (fx?.kind === 'schedule-retry') delays.push(fx.delayMs);
      m = reduceStream(r.next, { type: 'retry', generation: r.next.generation, at: i * 100 + 50 }).next;
    }
    expect(delays).toEqual([1000, 5000, 10_000, 60_000]);
    m = reduceStream(m, { type: 'frame', generation: m.generation, at: 1000 }).next;
    // after pictures the first failure retries at once (below); the back-off starts again from 1 s after that
    const again = reduceStream(m, { type: 'failed', generation: m.generation, reason: 'error', at: 1100 });
    expect(again.effects).toContainEqual({ kind: 'schedule-retry', generation: m.generation + 1, delayMs: 0 });
    m = reduceStream(again.next, { type: 'retry', generation: m.generation + 1, at: 1100 }).next;
    const third = reduceStream(m, { type: 'failed', generation: m.generation, reason: 'error', at: 1200 });
    expect(third.effects).toContainEqual({ kind: 'schedule-retry', generation: m.generation + 1, delayMs: 5000 });
  });

  it('a stream with a retry cap (a training session\'s feeder) backs off no longer than the cap, auth and codec failures still long', () => {
    const t = { ...DEFAULT_TIMINGS, maxBackoffMs: 2000 };
    let m = run([{ type: 'start', at: 0 }]).m;
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = reduceStream(m, { type: 'failed', generation: m.generation, reason: 'timeout', at: i * 100 }, t);
      const fx = r.effects.find((e) => e.kind === 'schedule-retry');
      if (fx?.kind === 'schedule-retry') delays.push(fx.delayMs);
      m = reduceStream(r.next, { type: 'retry', generation: r.next.generation, at: i * 100 + 50 }, t).next;
    }
    expect(delays).toEqual([1000, 2000, 2000, 2000, 2000]);
    expect(m.state).toBe('offline'); // what the operator sees is unchanged: the source cannot be reached
    const auth = reduceStream(m, { type: 'failed', generation: m.generation, reason: 'auth', at: 600 }, t);
    expect(auth.effects).toContainEqual({ kind: 'schedule-retry', generation: m.generation + 1, delayMs: 60_000 });
  });

  it('a live stream that fails retries at once, at most once in QUICK_RETRY_WINDOW_MS; later failures back off', () => {
    const live = (m: StreamMachine, at: number) => reduceStream(m, { type: 'frame', generation: m.generation, at }).next;
    const delayOf = (effects: StreamEffect[]) => effects.flatMap((e) => (e.kind === 'schedule-retry' ? [e.delayMs] : []));
    let m = live(run([{ type: 'start', at: 0 }]).m, 500);
    // a crash of the live worker: killed and respawned without waiting
    let r = reduceStream(m, { type: 'failed', generation: m.generation, reason: 'crash', at: 2000 });
    expect(r.effects).toEqual([{ kind: 'kill', generation: 1 }, { kind: 'schedule-retry', generation: 2, delayMs: 0 }]);
    expect(r.next).toMatchObject({ state: 'reconnecting', reason: 'crash', quickRetryAt: 2000 });
    m = live(reduceStream(r.next, { type: 'retry', generation: 2, at: 2000 }).next, 2600);
    // crashing again within the window: the first back-off step (no crash loop at full speed)
    r = reduceStream(m, { type: 'failed', generation: m.generation, reason: 'crash', at: 2000 + QUICK_RETRY_WINDOW_MS - 1 });
    expect(delayOf(r.effects)).toEqual([1000]);
    m = live(reduceStream(r.next, { type: 'retry', generation: r.next.generation, at: 13_000 }).next, 13_500);
    // a window later it is quick again; a stalled stream that times out counts as up too
    m = reduceStream(m, { type: 'tick', at: 15_100 }).next;
    expect(m.state).toBe('stalled');
    r = reduceStream(m, { type: 'tick', at: 18_600 });
    expect(r.next.reason).toBe('timeout');
    expect(delayOf(r.effects)).toEqual([0]);
  });

  it('no quick retry for an attempt that never showed pictures, nor for auth and codec errors', () => {
    const delayOf = (effects: StreamEffect[]) => effects.flatMap((e) => (e.kind === 'schedule-retry' ? [e.delayMs] : []));
    const connecting = run([{ type: 'start', at: 0 }]).m;
    expect(delayOf(reduceStream(connecting, { type: 'failed', generation: 1, reason: 'crash', at: 300 }).effects)).toEqual([1000]);
    const live = reduceStream(connecting, { type: 'frame', generation: 1, at: 400 }).next;
    expect(delayOf(reduceStream(live, { type: 'failed', generation: 1, reason: 'auth', at: 500 }).effects)).toEqual([60_000]);
    expect(delayOf(reduceStream(live, { type: 'failed', generation: 1, reason: 'codec', at: 500 }).effects)).toEqual([60_000]);
  });

  it('retry spawns the new generation once; a second retry event is ignored', () => {
    const { m, effects } = run([
      { type: 'start', at: 0 }, { type: 'failed', generation: 1, reason: 'eos', at: 10 },
      { type: 'retry', generation: 2, at: 1010 }, { type: 'retry', generation: 2, at: 1020 },
    ]);
    expect(effects.filter((e) => e.kind === 'spawn')).toEqual([{ kind: 'spawn', generation: 1 }, { kind: 'spawn', generation: 2 }]);
    expect(m.counters).toMatchObject({ retries: 1, connects: 2 });
  });

  it('goes offline after repeated unreachable failures and live again on a frame', () => {
    let { m } = run([{ type: 'start', at: 0 }, { type: 'failed', generation: 1, reason: 'unreachable', at: 10 }]);
    expect(m.state).toBe('reconnecting');
    ({ m } = run([{ type: 'retry', generation: 2, at: 1010 }, { type: 'failed', generation: 2, reason: 'unreachable', at: 1020 }], m));
    expect(m.state).toBe('offline');
    ({ m } = run([{ type: 'retry', generation: 3, at: 6020 }], m));
    expect(m.state).toBe('offline'); // keeps retrying while offline
    ({ m } = run([{ type: 'frame', generation: 3, at: 6500 }], m));
    expect(m.state).toBe('live');
    expect(m.reason).toBe('none');
  });

  it('offline needs the latest failure to be unreachable; plain errors keep reconnecting', () => {
    const seq = (reasons: Array<'error' | 'unreachable' | 'eos'>) => {
      let m = run([{ type: 'start', at: 0 }]).m;
      for (const reason of reasons) {
        m = reduceStream(m, { type: 'failed', generation: m.generation, reason, at: 1 }).next;
        m = reduceStream(m, { type: 'retry', generation: m.generation, at: 2 }).next;
      }
      return m.state;
    };
    expect(seq(['eos', 'unreachable'])).toBe('offline');
    expect(seq(['error', 'error', 'error'])).toBe('reconnecting');
    expect(seq(['unreachable', 'unreachable', 'error'])).toBe('reconnecting');
  });

  it('auth and codec failures show error and retry on the long back-off', () => {
    const { m, effects } = run([{ type: 'start', at: 0 }, { type: 'failed', generation: 1, reason: 'auth', message: '401', at: 10 }]);
    expect(m.state).toBe('error');
    expect(m.message).toBe('401');
    expect(effects).toContainEqual({ kind: 'schedule-retry', generation: 2, delayMs: 60_000 });
  });

  it('a live stream without frames turns stalled at 1.5 s and is replaced at 5 s', () => {
    let { m } = run([{ type: 'start', at: 0 }, { type: 'frame', generation: 1, at: 1000 }, { type: 'tick', at: 2400 }]);
    expect(m.state).toBe('live');
    ({ m } = run([{ type: 'tick', at: 2500 }], m));
    expect(m.state).toBe('stalled');
    expect(m.since).toBe(2500);
    const r = run([{ type: 'frame', generation: 1, at: 2600 }, { type: 'tick', at: 7000 }, { type: 'tick', at: 7600 }], m);
    expect(r.m.state).toBe('reconnecting');
    expect(r.m.reason).toBe('timeout');
    expect(r.effects).toContainEqual({ kind: 'kill', generation: 1 });
  });

  it('a connection that never delivers a picture times out', () => {
    const { m, effects } = run([{ type: 'start', at: 0 }, { type: 'tick', at: 9000 }, { type: 'tick', at: 10_000 }]);
    expect(m.reason).toBe('timeout');
    expect(effects).toContainEqual({ kind: 'kill', generation: 1 });
  });

  it('takeover moves to the next generation and kills the old worker', () => {
    const { m, effects } = run([{ type: 'start', at: 0 }, { type: 'frame', generation: 1, at: 100 }, { type: 'takeover', at: 200 }, { type: 'frame', generation: 1, at: 210 }]);
    expect(m.generation).toBe(2);
    expect(effects).toContainEqual({ kind: 'kill', generation: 1 });
    expect(m.counters.frames).toBe(1); // the old worker's late frame is ignored
  });

  it('stop kills the worker, goes idle and cancels the pending retry', () => {
    const { m, effects } = run([{ type: 'start', at: 0 }, { type: 'failed', generation: 1, reason: 'error', at: 5 }, { type: 'stop', at: 10 }, { type: 'retry', generation: 2, at: 1005 }]);
    expect(m.state).toBe('idle');
    expect(effects.filter((e) => e.kind === 'spawn')).toHaveLength(1);
    expect(effects.at(-1)).toEqual({ kind: 'kill', generation: 2 });
  });
});

describe('worker frame stream', () => {
  const frame = (w: number, h: number, seq: number) => {
    const b = Buffer.alloc(FRAME_HEADER_BYTES + i420Size(w, h), seq & 0xff);
    writeFrameHeader(b, { flags: 0, width: w, height: h, seq, ptsMs: seq * 40, captureMs: 0, sentMs: 0, slot: 0, generation: 3 });
    return b;
  };

  it('reassembles frames split at any byte into one buffer each', () => {
    const stream = Buffer.concat([frame(8, 2, 1), frame(16, 4, 2), frame(8, 2, 3)]);
    for (const step of [1, 7, 48, 50, 1000]) {
      const r = new KzfFrameReader();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += step) out.push(...r.push(stream.subarray(i, i + step)));
      expect(out.map((f) => readFrameHeader(f)?.seq)).toEqual([1, 2, 3]);
      expect(out[1]?.equals(frame(16, 4, 2))).toBe(true);
    }
  });

  it('throws CorruptFrameStream on bytes that are not KZF1', () => {
    const r = new KzfFrameReader();
    expect(() => r.push(Buffer.from('this is not a frame header, it is text from a confused worker'))).toThrow(CorruptFrameStream);
    const bad = frame(8, 2, 1);
    bad.writeUInt16LE(0, 8);
    expect(() => new KzfFrameReader().push(bad)).toThrow(/size/);
  });

  it('wraps FFmpeg rawvideo in KZF1 headers', () => {
    const r = new RawI420FrameReader(8, 2, { flags: 2, generation: 7 });
    const out = r.push(Buffer.alloc(i420Size(8, 2) * 2 + 5, 9), 1234);
    expect(out).toHaveLength(2);
    expect(readFrameHeader(out[1] as Buffer)).toMatchObject({ width: 8, height: 2, seq: 1, flags: 2, generation: 7, captureMs: 1234, ptsMs: 40 });
  });
});
