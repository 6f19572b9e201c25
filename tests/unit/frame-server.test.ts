/** The host side of the frame channel: credit-based latest-wins delivery over a real WebSocket. */
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { FrameSocket, SlotTable } from '../../electron/host/frame-server.js';
import { FRAME_HEADER_BYTES, FRAME_WINDOW, i420Size, readFrameHeader, writeFrameHeader } from '../../electron/contract/frames.js';
import { createLogger } from '../../electron/host/log.js';

function frame(seq: number): Buffer {
  const b = Buffer.alloc(FRAME_HEADER_BYTES + i420Size(8, 8));
  writeFrameHeader(b, { flags: 0, width: 8, height: 8, seq, ptsMs: seq * 40, captureMs: 0, sentMs: 0, slot: 0, generation: 1 });
  return b;
}

describe('frame socket flow control', () => {
  it('keeps at most FRAME_WINDOW unacknowledged frames per camera and sends the newest when credit returns', async () => {
    let push: ((f: Buffer) => void) | undefined;
    let host: FrameSocket | undefined;
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (ws) => { host = new FrameSocket(ws, { subscribeFrames: (_id, cb) => { push = cb; return () => { push = undefined; }; } }, new SlotTable(), createLogger({ quiet: true })); });
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    const got: number[] = [];
    let slot = -1;
    client.on('message', (d, binary) => {
      if (!binary) { slot = Number(Object.keys(JSON.parse(d.toString()).slots)[0]); return; }
      got.push(readFrameHeader(new Uint8Array(d as Buffer))!.seq);
    });
    await new Promise((r) => client.once('open', r));
    client.send(JSON.stringify({ type: 'frames.subscribe', clientId: 't', cameraIds: ['cam-a'] }));
    while (!push || slot < 0) await new Promise((r) => setTimeout(r, 10));
    for (let i = 1; i <= 10; i++) push(frame(i));
    await new Promise((r) => setTimeout(r, 150));
    expect(got).toEqual([1, 2].slice(0, FRAME_WINDOW)); // no acks yet: the window is full, the rest wait
    expect(host!.drops).toBe(10 - FRAME_WINDOW - 1); // frames 3..9 were replaced by newer ones
    client.send(JSON.stringify({ type: 'frames.ack', slots: [slot] }));
    await new Promise((r) => setTimeout(r, 150));
    expect(got.at(-1)).toBe(10); // credit returned: the newest waiting frame, never a stale one
    expect(got).toHaveLength(FRAME_WINDOW + 1);
    client.close();
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  });
});
