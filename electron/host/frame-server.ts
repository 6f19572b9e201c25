/**
 * The frame channel: binary WebSocket messages (KZF1 header + I420) from the host to one renderer.
 * Latest frame wins per camera: when the socket is behind, a newer frame replaces the waiting one and the
 * replaced frame is counted as a drop; stale frames are never queued.
 */
import type { WebSocket } from 'ws';
import type { FrameSlotsMessage, FrameSubscribeMessage } from '../contract/frames.js';
import { FRAME_MAGIC } from '../contract/frames.js';
import type { Logger } from './log.js';

export interface FrameSource {
  subscribeFrames(cameraId: string, cb: (frame: Buffer) => void): () => void;
}

/** Slots are host-wide so a shared frame buffer is patched identically for every socket. */
export class SlotTable {
  private readonly ids = new Map<string, number>();
  private next = 0;
  slotOf(cameraId: string): number {
    let s = this.ids.get(cameraId);
    if (s === undefined) { s = this.next++ & 0xffff; this.ids.set(cameraId, s); }
    return s;
  }
  snapshot(cameraIds: Iterable<string>): Record<number, string> {
    const out: Record<number, string> = {};
    for (const id of cameraIds) out[this.slotOf(id)] = id;
    return out;
  }
}

/** Bytes allowed in flight per socket before frames wait (latest-wins) instead of being sent. */
const MAX_IN_FLIGHT = 1_500_000;

export class FrameSocket {
  private readonly subs = new Map<string, () => void>();
  private readonly waiting = new Map<string, Buffer>();
  private inFlight = 0;
  drops = 0;
  sent = 0;
  clientId = '';

  constructor(private readonly ws: WebSocket, private readonly source: FrameSource, private readonly slots: SlotTable, private readonly log: Logger) {
    ws.on('message', (data, isBinary) => { if (!isBinary) this.onText(data.toString()); });
    ws.on('close', () => this.close());
    ws.on('error', () => this.close());
  }

  private onText(text: string): void {
    let msg: FrameSubscribeMessage;
    try { msg = JSON.parse(text) as FrameSubscribeMessage; } catch { this.log.warn('frame channel: malformed text message'); return; }
    if (msg?.type !== 'frames.subscribe' || !Array.isArray(msg.cameraIds)) return;
    if (typeof msg.clientId === 'string') this.clientId = msg.clientId.slice(0, 64);
    this.subscribe(msg.cameraIds.filter((c): c is string => typeof c === 'string').slice(0, 256));
  }

  subscribe(cameraIds: string[]): void {
    const want = new Set(cameraIds);
    for (const [id, off] of this.subs) if (!want.has(id)) { off(); this.subs.delete(id); this.waiting.delete(id); }
    for (const id of want) {
      if (this.subs.has(id)) continue;
      const slot = this.slots.slotOf(id);
      this.subs.set(id, this.source.subscribeFrames(id, (frame) => this.offer(id, slot, frame)));
    }
    const msg: FrameSlotsMessage = { type: 'frames.slots', slots: this.slots.snapshot(want) };
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private offer(cameraId: string, slot: number, frame: Buffer): void {
    if (frame.length < 48 || frame.readUInt32LE(0) !== FRAME_MAGIC) return;
    frame.writeUInt16LE(slot, 40);
    if (this.inFlight > MAX_IN_FLIGHT) {
      if (this.waiting.has(cameraId)) this.drops++;
      this.waiting.set(cameraId, frame);
      return;
    }
    this.send(frame);
  }

  private send(frame: Buffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    frame.writeDoubleLE(Date.now(), 32);
    this.inFlight += frame.length;
    this.sent++;
    this.ws.send(frame, { binary: true }, () => {
      this.inFlight -= frame.length;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight > MAX_IN_FLIGHT || this.waiting.size === 0) return;
    for (const [id, frame] of this.waiting) {
      this.waiting.delete(id);
      this.send(frame);
      if (this.inFlight > MAX_IN_FLIGHT) break;
    }
  }

  close(): void {
    for (const off of this.subs.values()) off();
    this.subs.clear();
    this.waiting.clear();
  }
}
