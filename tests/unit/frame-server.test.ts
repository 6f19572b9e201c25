/** The host side of the frame channel: credit-based latest-wins delivery over a real WebSocket. */
import { describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { FrameSender, SlotTable } from '../../electron/host/frame-server.js';
import {
  ENCODED_FRAME_WINDOW, FRAME_FLAG_ENCODED, FRAME_FLAG_KEY, FRAME_HEADER_BYTES, FRAME_WINDOW, i420Size, splitFrames, writeFrameHeader,
} from '../../electron/contract/frames.js';
import { createLogger } from '../../electron/host/log.js';

/** The real timer, kept before any test fakes the clock. */
const realSetTimeout = globalThis.setTimeout;

function frame(seq: number): Buffer {
  const b = Buffer.alloc(FRAME_HEADER_BYTES + i420Size(8, 8));
  writeFrameHeader(b, { flags: 0, width: 8, height: 8, seq, ptsMs: seq * 40, captureMs: 0, sentMs: 0, slot: 0, generation: 1 });
  return b;
}

function accessUnit(seq: number, key: boolean): Buffer {
  const au = Buffer.from([0, 0, 0, 1, key ? 0x65 : 0x41, seq & 0xff, 0x80]);
  const b = Buffer.alloc(FRAME_HEADER_BYTES + au.length);
  writeFrameHeader(b, { flags: FRAME_FLAG_ENCODED | (key ? FRAME_FLAG_KEY : 0), width: 640, height: 360, seq, ptsMs: seq * 40, captureMs: 0, sentMs: 0, slot: 0, generation: 1, payloadBytes: au.length });
  au.copy(b, FRAME_HEADER_BYTES);
  return b;
}

/** A host FrameSender and a real client subscribed to one camera; `push` feeds the camera's frames. */
async function connected() {
  let push: ((f: Buffer) => void) | undefined;
  let host: FrameSender | undefined;
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => { host = new FrameSender(ws, { subscribeFrames: (_id, cb) => { push = cb; return () => { push = undefined; }; } }, new SlotTable(), createLogger({ quiet: true })); });
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const got: number[] = [];
  const messages: number[][] = [];
  let slot = -1;
  client.on('message', (d, binary) => {
    if (!binary) { slot = Number(Object.keys(JSON.parse(d.toString()).slots)[0]); return; }
    const { frames, malformed } = splitFrames(new Uint8Array(d as Buffer));
    expect(malformed).toBe(false);
    messages.push(frames.map((f) => f.header.seq));
    got.push(...frames.map((f) => f.header.seq));
  });
  await new Promise((r) => client.once('open', r));
  client.send(JSON.stringify({ type: 'frames.subscribe', clientId: 't', cameraIds: ['cam-a'] }));
  while (!push || slot < 0) await new Promise((r) => setTimeout(r, 10));
  return {
    got, messages, push: push!, host: host!,
    ack: (n: number) => client.send(JSON.stringify({ type: 'frames.ack', slots: Array(n).fill(slot) })),
    async close() { client.close(); for (const c of wss.clients) c.terminate(); await new Promise((r) => wss.close(r)); },
  };
}
/** The thing tested includes what does NOT arrive: 150 ms in which no frame beyond the window may come (not a wait for a state). */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('frame socket flow control', () => {
  it('keeps at most FRAME_WINDOW unacknowledged frames per camera and sends the newest when credit returns', async () => {
    const c = await connected();
    for (let i = 1; i <= 10; i++) c.push(frame(i));
    await settle();
    expect(c.got).toEqual([1, 2].slice(0, FRAME_WINDOW)); // no acks yet: the window is full, the rest wait
    expect(c.host.drops).toBe(10 - FRAME_WINDOW - 1); // frames 3..9 were replaced by newer ones
    c.ack(1);
    await settle();
    expect(c.got.at(-1)).toBe(10); // credit returned: the newest waiting frame, never a stale one
    expect(c.got).toHaveLength(FRAME_WINDOW + 1);
    await c.close();
  });

  it('never drops single access units of an encoded stream: it starts at a key unit and skips to the next one', async () => {
    const c = await connected();
    c.push(accessUnit(1, false)); // joined mid-GOP: undecodable, not sent
    c.push(accessUnit(2, true));
    for (let i = 3; i <= 30; i++) c.push(accessUnit(i, false));
    await settle();
    // the key unit and the deltas that fit the window, in order and without holes
    expect(c.got).toEqual(Array.from({ length: ENCODED_FRAME_WINDOW }, (_, i) => i + 2));
    c.ack(ENCODED_FRAME_WINDOW);
    await settle();
    c.push(accessUnit(31, false)); // after a gap, a delta unit would decode to garbage: still skipped
    c.push(accessUnit(32, true));
    c.push(accessUnit(33, false));
    await settle();
    expect(c.got.slice(ENCODED_FRAME_WINDOW)).toEqual([32, 33]);
    expect(c.host.drops).toBe(1 + (30 - ENCODED_FRAME_WINDOW - 1) + 1);
    await c.close();
  });

  it('sends every access unit at once when the socket shows only one camera', async () => {
    const c = await connected();
    c.push(accessUnit(1, true));
    c.push(accessUnit(2, false));
    c.push(accessUnit(3, false));
    await settle();
    expect(c.messages).toEqual([[1], [2], [3]]); // one camera: nothing to wait for
    await c.close();
  });
});

describe('frame socket coalescing across cameras', () => {
  /** A host FrameSender and a client subscribed to three cameras; `push(cam, frame)` feeds a camera. */
  async function three() {
    const pushers = new Map<string, (f: Buffer) => void>();
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const slots = new SlotTable();
    wss.on('connection', (ws) => { new FrameSender(ws, { subscribeFrames: (id, cb) => { pushers.set(id, cb); return () => pushers.delete(id); } }, slots, createLogger({ quiet: true })); });
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    const messages: Array<Array<[number, number]>> = [];
    client.on('message', (d, binary) => {
      if (!binary) return;
      messages.push(splitFrames(new Uint8Array(d as Buffer)).frames.map((f) => [f.header.slot, f.header.seq]));
    });
    await new Promise((r) => client.once('open', r));
    client.send(JSON.stringify({ type: 'frames.subscribe', clientId: 't', cameraIds: ['a', 'b', 'c'] }));
    while (pushers.size < 3) await new Promise((r) => setTimeout(r, 10));
    const slot = (id: string) => slots.slotOf(id);
    return {
      messages, slot, push: (id: string, f: Buffer) => pushers.get(id)!(f),
      async close() { client.close(); for (const x of wss.clients) x.terminate(); await new Promise((r) => wss.close(r)); },
    };
  }

  it('waits until every active camera has a unit, or a camera repeats, or the window ends', async () => {
    const c = await three();
    const [a, b, cc] = [c.slot('a'), c.slot('b'), c.slot('c')];
    // The coalescing window (FRAME_COALESCE_MS) runs on a fake clock, so a busy machine cannot end it early; the
    // socket stays real, so each check waits (real time, no bound) until the messages it expects have arrived.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const arrived = async (n: number, count = () => c.messages.length) => {
        for (let i = 0; count() < n; i++) {
          if (i > 4000) throw new Error(`expected ${n}, have ${JSON.stringify(c.messages)}`);
          await new Promise((r) => realSetTimeout(r, 5));
        }
      };
      /** Real time for the socket to deliver anything already sent (a message that should not exist would show). */
      const io = () => new Promise((r) => realSetTimeout(r, 30));
      // first frame interval: a camera not seen yet holds nothing back (all three units arrive, in order)
      c.push('a', accessUnit(1, true)); c.push('b', accessUnit(1, true)); c.push('c', accessUnit(1, true));
      await vi.advanceTimersByTimeAsync(100); await arrived(3, () => c.messages.flat().length); await io();
      expect(c.messages.flat()).toEqual([[a, 1], [b, 1], [cc, 1]]);
      c.messages.length = 0;
      // now all three are active: the message leaves as soon as the third camera's unit is there
      c.push('a', accessUnit(2, false)); await vi.advanceTimersByTimeAsync(10);
      c.push('b', accessUnit(2, false)); await vi.advanceTimersByTimeAsync(10); await io();
      expect(c.messages).toHaveLength(0);
      c.push('c', accessUnit(2, false)); await arrived(1);
      expect(c.messages[0]).toEqual([[a, 2], [b, 2], [cc, 2]]);
      // a camera's next unit before the others': what waits leaves first (a camera never has two units in one message)
      c.push('a', accessUnit(3, false)); c.push('a', accessUnit(4, false)); await arrived(2); await io();
      expect(c.messages).toHaveLength(2);
      expect(c.messages[1]).toEqual([[a, 3]]);
      await vi.advanceTimersByTimeAsync(60); // c and b are silent: the window ends
      await arrived(3);
      expect(c.messages[2]).toEqual([[a, 4]]);
    } finally {
      vi.useRealTimers();
    }
    await c.close();
  });
});
