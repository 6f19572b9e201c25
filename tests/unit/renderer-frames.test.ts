// The renderer's frame channel against the host's real frame server (FrameSocket over ws), with the
// `ws` client standing in for the browser's WebSocket (same API: binaryType, onmessage, readyState).
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsClient } from 'ws';
import type { AddressInfo } from 'node:net';
import { FrameSocket, SlotTable } from '../../electron/host/frame-server.js';
import { createLogger } from '../../electron/host/log.js';
import { i420Size, writeFrameHeader } from '../../electron/contract/frames.js';
import { FrameChannel } from '../../renderer/wall/frame-channel.js';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WsClient;

const W = 64;
const H = 36;
function frame(seq: number, luma: number): Buffer {
  const b = Buffer.alloc(48 + i420Size(W, H), 128);
  b.fill(luma, 48, 48 + W * H);
  writeFrameHeader(b, { flags: 0, width: W, height: H, seq, ptsMs: seq * 40, captureMs: Date.now(), sentMs: 0, slot: 0, generation: 1 });
  return b;
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 10)); }
};

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
    const sockets: FrameSocket[] = [];
    wss.on('connection', (ws) => {
      ws.on('message', (d, bin) => { if (!bin) subscribed.push((JSON.parse(d.toString()) as { cameraIds: string[] }).cameraIds); });
      sockets.push(new FrameSocket(ws, source, slots, createLogger({ scope: 'test', level: 'error', quiet: true })));
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
