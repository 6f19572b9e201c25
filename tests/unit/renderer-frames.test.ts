// The renderer's frame channel against the host's real frame server (FrameSender over ws), with the
// `ws` client standing in for the browser's WebSocket (same API: binaryType, onmessage, readyState).
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsClient } from 'ws';
import type { AddressInfo } from 'node:net';
import { FrameSender, SlotTable } from '../../electron/host/frame-server.js';
import { createLogger } from '../../electron/host/log.js';
import { i420Size, writeFrameHeader } from '../../electron/contract/frames.js';
import { FrameChannel, type FrameWorkerLike } from '../../renderer/wall/frame-channel.js';
import { FrameRelay, type FromRelay, type ToRelay } from '../../renderer/wall/frame-relay.js';
import { runFrameWorker } from '../../renderer/wall/frame-worker.js';
import type { Frame } from '../../renderer/wall/frame-socket.js';
import { until } from '../support/until.js';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WsClient;

const W = 64;
const H = 36;
function frame(seq: number, luma: number, captureMs = Date.now()): Buffer {
  const b = Buffer.alloc(48 + i420Size(W, H), 128);
  b.fill(luma, 48, 48 + W * H);
  writeFrameHeader(b, { flags: 0, width: W, height: H, seq, ptsMs: seq * 40, captureMs, sentMs: 0, slot: 0, generation: 1 });
  return b;
}


describe('frame channel', () => {
  let wss: WebSocketServer | null = null;
  let channel: FrameChannel | null = null;
  afterEach(async () => {
    channel?.close();
    for (const c of wss?.clients ?? []) c.terminate();
    await new Promise((r) => wss ? wss.close(r) : r(null));
  });

  async function start() {
    const pushers = new Map<string, (f: Buffer) => void>();
    const subscribed: string[][] = [];
    const source = { subscribeFrames(id: string, cb: (f: Buffer) => void) { pushers.set(id, cb); return () => pushers.delete(id); } };
    const slots = new SlotTable();
    slots.slotOf('warmup'); // so camera slots are not simply 0
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    const sockets: FrameSender[] = [];
    wss.on('connection', (ws) => {
      ws.on('message', (d, bin) => { if (!bin) subscribed.push((JSON.parse(d.toString()) as { cameraIds: string[] }).cameraIds); });
      sockets.push(new FrameSender(ws, source, slots, createLogger({ scope: 'test', level: 'error', quiet: true })));
    });
    await new Promise((r) => wss!.once('listening', r));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/frames`;
    return { pushers, subscribed, url, sockets };
  }

  it('subscribes, maps slots to cameras and keeps only the newest unpainted frame', async () => {
    const { pushers, subscribed, url } = await start();
    let notified = 0;
    channel = new FrameChannel(url, 'client-1', () => notified++);
    channel.setCameras(['cam-b', 'cam-a', 'cam-b']);
    await until(() => pushers.size === 2);
    expect(subscribed.at(-1)).toEqual(['cam-a', 'cam-b']);

    pushers.get('cam-a')!(frame(1, 50));
    pushers.get('cam-a')!(frame(2, 60));
    pushers.get('cam-a')!(frame(3, 70));
    await until(() => channel!.feed('cam-a').received === 3);
    const a = channel.feed('cam-a');
    expect(a.frame?.seq).toBe(3);
    expect(a.frame?.data[0]).toBe(70);
    expect(a.frame?.data.byteLength).toBe(i420Size(W, H));
    expect(a.drops).toBe(2); // two frames were replaced before anything painted them
    expect(a.unpainted).toBe(true);
    expect(channel.feed('cam-b').received).toBe(0);
    expect(notified).toBe(3);

    a.unpainted = false; // the compositor painted it
    pushers.get('cam-a')!(frame(4, 80));
    await until(() => a.received === 4);
    expect(a.drops).toBe(2);
  });

  it('does not resubscribe for the same set, and does for a new one', async () => {
    const { pushers, subscribed, url } = await start();
    channel = new FrameChannel(url, 'client-2', () => {});
    channel.setCameras(['x1']);
    await until(() => pushers.has('x1'));
    channel.setCameras(['x1']);
    channel.setCameras(['x2']);
    await until(() => pushers.has('x2') && !pushers.has('x1'));
    expect(subscribed).toEqual([['x1'], ['x2']]);
  });

  it('rejects malformed binary messages without crashing', async () => {
    const { pushers, url, sockets } = await start();
    channel = new FrameChannel(url, 'client-3', () => {});
    channel.setCameras(['cam']);
    await until(() => pushers.has('cam'));
    // Raw bytes straight down the socket: a truncated frame and garbage.
    const raw = (sockets[0] as unknown as { ws: WsClient }).ws;
    const truncated = frame(1, 10).subarray(0, 100);
    raw.send(truncated);
    raw.send(Buffer.from('not a frame at all, just text bytes'));
    await until(() => channel!.rejected === 2);
    expect(channel.feed('cam').received).toBe(0);
  });

  it('reconnects and subscribes again after the socket drops', async () => {
    const { pushers, subscribed, url } = await start();
    channel = new FrameChannel(url, 'client-4', () => {});
    channel.setCameras(['cam']);
    await until(() => subscribed.length === 1);
    for (const c of wss!.clients) c.terminate();
    await until(() => subscribed.length === 2, 5000);
    pushers.get('cam')!(frame(9, 99));
    await until(() => channel!.feed('cam').received === 1);
    expect(channel.feed('cam').frame?.seq).toBe(9);
  });
});

/** The real worker code run in-process: messages cross as in a worker (async, buffers detached by structuredClone). */
function inProcessWorker(): FrameWorkerLike {
  const scope = { onmessage: null as ((e: MessageEvent<ToRelay>) => void) | null, postMessage: (msg: FromRelay, transfer: Transferable[]) => {
    const copy = structuredClone(msg, { transfer });
    setTimeout(() => w.onmessage?.({ data: copy } as MessageEvent<FromRelay>), 0);
  } };
  const w: FrameWorkerLike = {
    onmessage: null, onerror: null,
    postMessage: (msg) => setTimeout(() => scope.onmessage?.({ data: msg } as MessageEvent<ToRelay>), 0),
    terminate: () => scope.onmessage?.({ data: { type: 'close' } } as MessageEvent<ToRelay>),
  };
  runFrameWorker(scope);
  return w;
}

/** The relay flushes once the socket message being read is done (a microtask later). */
const afterMessage = () => Promise.resolve();

describe('frame relay (worker side)', () => {
  const f = (seq: number): Frame => ({ data: new Uint8Array(new ArrayBuffer(16)), width: 4, height: 2, seq, flags: 0, captureMs: 0, receivedAt: seq });

  it('sends the first frame at once, then only the newest per camera when pulled, counting replaced frames (latest wins)', async () => {
    const batches: Array<{ msg: FromRelay; transfer: Transferable[] }> = [];
    const relay = new FrameRelay((msg, transfer) => batches.push({ msg, transfer }), () => 7);
    relay.paced = false; // bursts kept for consecutive paints: tests/unit/frame-pacing.test.ts
    relay.offer('a', f(1));
    await afterMessage();
    expect(batches).toHaveLength(1);
    relay.offer('a', f(2));
    relay.offer('a', f(3));
    relay.offer('b', f(4));
    expect(batches).toHaveLength(1); // nothing until the main thread pulls
    relay.pull();
    expect(batches).toHaveLength(2);
    const second = batches[1]!;
    expect(second.msg.frames.map((x) => [x.cameraId, x.seq, x.drops])).toEqual([['a', 3, 1], ['b', 4, 0]]);
    expect(second.msg.rejected).toBe(7);
    expect(second.transfer).toHaveLength(2);
    relay.pull(); // nothing pending: the next frame goes out as soon as it arrives
    expect(batches).toHaveLength(2);
    relay.offer('b', f(5));
    await afterMessage();
    expect(batches).toHaveLength(3);
  });

  it('forgets pending frames of cameras no longer shown', async () => {
    const batches: FromRelay[] = [];
    const relay = new FrameRelay((msg) => batches.push(msg), () => 0);
    relay.offer('a', f(1));
    await afterMessage();
    relay.offer('a', f(2));
    relay.offer('b', f(3));
    relay.forget(new Set(['b']));
    relay.pull();
    expect(batches[1]!.frames.map((x) => x.cameraId)).toEqual(['b']);
  });
});

describe('frame relay with encoded access units', () => {
  const unit = (seq: number, key = false, receivedAt = Date.now()): Frame => ({ data: new Uint8Array(new ArrayBuffer(8)), width: 640, height: 360, seq, flags: 4, captureMs: 0, receivedAt, encoded: true, key });

  it('forwards every unit in order (none is replaced), a burst too, and once a unit waited too long resumes only at a key unit', async () => {
    const batches: FromRelay[] = [];
    const relay = new FrameRelay((msg) => batches.push(msg), () => 0);
    relay.offer('a', unit(1, true));
    await afterMessage();
    relay.offer('a', unit(2));
    relay.offer('a', unit(3));
    relay.pull();
    expect(batches.map((b) => b.frames.map((x) => x.seq))).toEqual([[1], [2, 3]]);
    // a burst of 12 units that came in together while the main thread was busy: all of them go on
    for (let i = 4; i < 16; i++) relay.offer('a', unit(i));
    relay.pull();
    expect(batches[2]!.frames.map((x) => x.seq)).toEqual(Array.from({ length: 12 }, (_, i) => 4 + i));
    // the main thread stops pulling: once the oldest waiting unit is older than 160 ms the camera skips to its next key unit
    const old = Date.now() - 200;
    relay.offer('a', unit(16, false, old));
    for (let i = 17; i < 60; i++) relay.offer('a', unit(i, false, old));
    relay.offer('a', unit(60, true));
    relay.offer('a', unit(61));
    relay.pull();
    expect(batches[3]!.frames.map((x) => x.seq)).toEqual([60, 61]);
  });

  it('recycles a pooled picture replaced in the relay, and sends the newest as pooled (its buffer comes back later)', async () => {
    const batches: Array<{ msg: FromRelay; transfer: Transferable[] }> = [];
    const relay = new FrameRelay((msg, transfer) => batches.push({ msg, transfer }), () => 0);
    relay.paced = false; // latest wins here; with pacing: tests/unit/frame-pacing.test.ts
    const freed: number[] = [];
    const pic = (seq: number): Frame => ({ data: new Uint8Array(new ArrayBuffer(16)), width: 4, height: 2, seq, flags: 4, captureMs: 0, receivedAt: 0, recycle: () => freed.push(seq) });
    relay.offer('a', pic(1));
    await afterMessage();
    relay.offer('a', pic(2));
    relay.offer('a', pic(3)); // 2 never reaches the main thread: its buffer is free at once
    expect(freed).toEqual([2]);
    relay.pull();
    const sent = batches.map((b) => b.msg.frames.map((f) => ({ seq: f.seq, pooled: f.pooled, fn: 'recycle' in f })));
    expect(sent).toEqual([[{ seq: 1, pooled: true, fn: false }], [{ seq: 3, pooled: true, fn: false }]]);
    relay.offer('b', pic(4));
    relay.forget(new Set(['a'])); // b is no longer shown: its waiting picture is freed, not sent
    expect(freed).toEqual([2, 4]);
  });

  it('with settle on, hands a burst of decoded pictures on once it went quiet (or at the latest after maxMs)', async () => {
    const batches: FromRelay[] = [];
    const relay = new FrameRelay((msg) => batches.push(msg), () => 0);
    relay.settle = { quietMs: 15, maxMs: 60 };
    const pic = (seq: number): Frame => ({ data: new Uint8Array(new ArrayBuffer(16)), width: 4, height: 2, seq, flags: 4, captureMs: 0, receivedAt: 0, recycle: () => undefined });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    relay.offer('a', pic(1));
    await sleep(5);
    relay.offer('b', pic(2));
    await sleep(5);
    relay.offer('c', pic(3));
    expect(batches).toHaveLength(0); // still coming in: held
    await sleep(40);
    expect(batches.map((b) => b.frames.map((f) => f.cameraId))).toEqual([['a', 'b', 'c']]); // one batch, one paint
    relay.pull();
    for (let i = 0; i < 12; i++) { relay.offer(`x${i}`, pic(10 + i)); await sleep(8); } // never quiet for 15 ms
    expect(batches).toHaveLength(2); // ... but handed on after at most 60 ms
    expect(batches[1]!.frames.length).toBeLessThan(12);
  });

  it('hands over the frames of one socket message together, transferring their shared buffer once', async () => {
    const batches: Array<{ msg: FromRelay; transfer: Transferable[] }> = [];
    const relay = new FrameRelay((msg, transfer) => batches.push({ msg, transfer }), () => 0);
    const message = new ArrayBuffer(24);
    const part = (seq: number, at: number, cam: string): [string, Frame] => [cam, { ...unit(seq, true), data: new Uint8Array(message, at, 8) }];
    for (const [cam, fr] of [part(1, 0, 'a'), part(2, 8, 'b'), part(3, 16, 'c')]) relay.offer(cam, fr);
    await afterMessage();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.msg.frames.map((x) => [x.cameraId, x.seq, x.data.byteOffset])).toEqual([['a', 1, 0], ['b', 2, 8], ['c', 3, 16]]);
    expect(batches[0]!.transfer).toEqual([message]);
  });
});

describe('frame channel through the worker code', () => {
  it('delivers frames from the real frame server, one batch per paint, with drops counted', async () => {
    const pushers = new Map<string, (f: Buffer) => void>();
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const slots = new SlotTable();
    let hostSide: FrameSender | undefined;
    wss.on('connection', (ws) => { hostSide = new FrameSender(ws, { subscribeFrames: (id, cb) => { pushers.set(id, cb); return () => pushers.delete(id); } }, slots, createLogger({ quiet: true })); });
    let batches = 0;
    const channel = new FrameChannel(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/frames`, 'w-1', () => batches++, inProcessWorker());
    try {
      expect(channel.mode).toBe('worker');
      channel.setPacing(false); // latest wins first; the burst pacing at the end
      channel.setCameras(['cam']);
      await until(() => pushers.has('cam'));
      pushers.get('cam')!(frame(1, 11));
      await until(() => batches === 1);
      for (let i = 2; i <= 5; i++) pushers.get('cam')!(frame(i, 10 + i));
      await new Promise((r) => setTimeout(r, 100));
      expect(batches).toBe(1); // no paint yet, so no second batch
      const feed = channel.feed('cam');
      feed.unpainted = false;
      channel.painted();
      await until(() => batches === 2);
      expect(feed.frame?.seq).toBe(5);
      expect(feed.frame?.data[0]).toBe(15);
      // Frames 3 and 4 were replaced either on the host (credit window full) or in the relay: never both painted.
      expect(feed.received + hostSide!.drops).toBe(5);
      expect(feed.drops + hostSide!.drops).toBe(3);
      // paced: two frames in a burst are both painted, on consecutive paints
      channel.setPacing(true);
      feed.unpainted = false;
      channel.painted();
      await new Promise((r) => setTimeout(r, 20));
      const hostDrops = hostSide!.drops;
      // captured a minute apart: however late the busy test process hands the second on, it came closer together
      // than it was captured, so it is a burst (frame-pacing.ts), not a page behind
      const capturedAt = Date.now();
      pushers.get('cam')!(frame(6, 16, capturedAt));
      pushers.get('cam')!(frame(7, 17, capturedAt + 60_000));
      await until(() => batches === 3);
      expect(hostSide!.drops).toBe(hostDrops);
      expect(feed.frame?.seq).toBe(6);
      feed.unpainted = false;
      channel.painted();
      await until(() => batches === 4);
      expect(feed.frame?.seq).toBe(7);
      expect(feed.drops + hostSide!.drops).toBe(3);
    } finally {
      channel.close();
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
    }
  });
});
