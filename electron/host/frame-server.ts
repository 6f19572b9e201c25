/**
 * The frame channel: binary WebSocket messages (KZF1 header + I420) from the host to one renderer.
 * Latest frame wins per camera: stale frames are never queued.
 */
import type { WebSocket } from 'ws';
import { ENCODED_FRAME_WINDOW, FRAME_AT, FRAME_COALESCE_MS, FRAME_FLAG_ENCODED, FRAME_FLAG_KEY, FRAME_HEADER_BYTES, FRAME_MAGIC, FRAME_WINDOW, type FrameAckMessage, type FrameSlotsMessage, type FrameSubscribeMessage } from '../contract/frames.js';
import type { Logger } from './log.js';

export interface FrameSource {
  subscribeFrames(cameraId: string, cb: (frame: Buffer) => void): () => void;
}

/** An outbox this full leaves at once (a burst of key frames from many cameras). */
const OUTBOX_MAX_BYTES = 512 * 1024;

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

/**
 * One renderer's frame socket. Flow control is by credit: at most FRAME_WINDOW frames per camera are sent and
 * not yet acknowledged ('frames.ack'); while a camera is at its window, a newer frame replaces the waiting one
 * (counted as a drop), so delay can never build up in socket buffers or in the page. Encoded frames (access units
 * the renderer decodes) cannot be replaced one by one: past ENCODED_FRAME_WINDOW the socket drops everything up to
 * the next key unit, and a new subscription starts at one.
 *
 * Encoded frames wait in an outbox and leave together in one message once every camera this socket receives has one
 * there, a camera's next frame arrives, or FRAME_COALESCE_MS passed since the first: a 4x4 wall then gets one message
 * of 16 access units per frame interval, which the page decodes and paints as one (a paint costs ~5 ms of CPU across
 * Chromium's processes whatever it holds), and a single camera's frames leave at once. A decoded frame first flushes
 * the outbox, so order is kept.
 */
export class FrameSender {
  private readonly subs = new Map<string, () => void>();
  private readonly waiting = new Map<number, Buffer>();
  private readonly unacked = new Map<number, number>();
  /** Slots of encoded streams waiting for a key access unit (new subscription, or dropped to catch up). */
  private readonly awaitingKey = new Set<number>();
  private outbox: Buffer[] = [];
  private outboxBytes = 0;
  private readonly outboxSlots = new Set<number>();
  /** When each slot last sent an encoded frame: the cameras a full outbox waits for are those of the last second. */
  private readonly lastEncodedAt = new Map<number, number>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  drops = 0;
  sent = 0;
  /** Binary messages sent (several encoded frames travel in one). */
  messages = 0;
  clientId = '';

  /** The cameras last asked for (re-checked against the viewer's rights when they change). */
  private requested: string[] = [];

  /** `allow` keeps the cameras the viewer may see now (issue 12: the access gate); all when absent. */
  constructor(private readonly ws: WebSocket, private readonly source: FrameSource, private readonly slots: SlotTable, private readonly log: Logger,
    private readonly allow: (cameraIds: string[]) => string[] = (ids) => ids) {
    ws.on('message', (data, isBinary) => { if (!isBinary) this.onText(data.toString()); });
    ws.on('close', () => this.close());
    ws.on('error', () => this.close());
  }

  private onText(text: string): void {
    let msg: FrameSubscribeMessage | FrameAckMessage;
    try { msg = JSON.parse(text) as FrameSubscribeMessage | FrameAckMessage; } catch { this.log.warn('frame channel: malformed text message'); return; }
    if (msg?.type === 'frames.ack' && Array.isArray(msg.slots)) {
      for (const slot of msg.slots.slice(0, 4096)) this.onAck(slot);
      return;
    }
    if (msg?.type !== 'frames.subscribe' || !Array.isArray(msg.cameraIds)) return;
    if (typeof msg.clientId === 'string') this.clientId = msg.clientId.slice(0, 64);
    this.subscribe(msg.cameraIds.filter((c): c is string => typeof c === 'string').slice(0, 256));
  }

  /** The viewer's rights or session changed: stop what is no longer allowed, resume what is again. */
  recheck(): void { this.subscribe(this.requested); }

  subscribe(cameraIds: string[]): void {
    this.requested = cameraIds;
    const want = new Set(this.allow(cameraIds));
    for (const [id, off] of this.subs) {
      if (want.has(id)) continue;
      off();
      this.subs.delete(id);
      const slot = this.slots.slotOf(id);
      this.waiting.delete(slot);
      this.unacked.delete(slot);
      this.awaitingKey.delete(slot);
      this.lastEncodedAt.delete(slot);
    }
    for (const id of want) {
      if (this.subs.has(id)) continue;
      const slot = this.slots.slotOf(id);
      this.awaitingKey.add(slot);
      this.subs.set(id, this.source.subscribeFrames(id, (frame) => this.offer(slot, frame)));
    }
    const msg: FrameSlotsMessage = { type: 'frames.slots', slots: this.slots.snapshot(want) };
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private offer(slot: number, frame: Buffer): void {
    if (frame.length < FRAME_HEADER_BYTES || frame.readUInt32LE(FRAME_AT.magic) !== FRAME_MAGIC) return;
    const flags = frame.readUInt16LE(FRAME_AT.flags);
    if (flags & FRAME_FLAG_ENCODED) { this.offerEncoded(slot, frame, (flags & FRAME_FLAG_KEY) !== 0); return; }
    if ((this.unacked.get(slot) ?? 0) >= FRAME_WINDOW) {
      if (this.waiting.has(slot)) this.drops++;
      this.waiting.set(slot, frame);
      return;
    }
    this.send(slot, frame);
  }

  private offerEncoded(slot: number, frame: Buffer, key: boolean): void {
    if (this.awaitingKey.has(slot)) {
      if (!key) { this.drops++; return; }
      this.awaitingKey.delete(slot);
    }
    if ((this.unacked.get(slot) ?? 0) >= ENCODED_FRAME_WINDOW) {
      this.awaitingKey.add(slot);
      this.drops++;
      return;
    }
    this.send(slot, frame);
  }

  private onAck(slot: unknown): void {
    if (typeof slot !== 'number') return;
    const n = this.unacked.get(slot);
    if (n === undefined) return;
    this.unacked.set(slot, Math.max(0, n - 1));
    const next = this.waiting.get(slot);
    if (next) { this.waiting.delete(slot); this.send(slot, next); }
  }

  private send(slot: number, frame: Buffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    frame.writeUInt16LE(slot, FRAME_AT.slot);
    this.unacked.set(slot, (this.unacked.get(slot) ?? 0) + 1);
    this.sent++;
    if (frame.readUInt16LE(FRAME_AT.flags) & FRAME_FLAG_ENCODED) {
      if (this.outboxSlots.has(slot)) this.flush(); // the camera's next frame: the last one waited long enough
      const now = Date.now();
      this.lastEncodedAt.set(slot, now);
      this.outbox.push(frame);
      this.outboxSlots.add(slot);
      this.outboxBytes += frame.length;
      if (this.outboxBytes >= OUTBOX_MAX_BYTES || this.outboxSlots.size >= this.activeEncoded(now)) this.flush();
      else this.flushTimer ??= setTimeout(() => this.flush(), FRAME_COALESCE_MS);
      return;
    }
    this.flush();
    frame.writeDoubleLE(Date.now(), FRAME_AT.sentMs);
    this.messages++;
    this.ws.send(frame, { binary: true });
  }

  /** Cameras of this socket that sent an encoded frame within the last second. */
  private activeEncoded(now: number): number {
    let n = 0;
    for (const [slot, at] of this.lastEncodedAt) {
      if (now - at <= 1000) n++;
      else this.lastEncodedAt.delete(slot);
    }
    return n;
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.outboxSlots.clear();
    if (this.outbox.length === 0) return;
    // a copy, always: frame buffers are shared by every socket showing the camera, the send time is this socket's
    const frames = this.outbox;
    const message = Buffer.concat(frames, this.outboxBytes);
    this.outbox = [];
    this.outboxBytes = 0;
    if (this.ws.readyState !== this.ws.OPEN) return;
    const now = Date.now();
    let off = 0;
    for (const f of frames) { message.writeDoubleLE(now, off + FRAME_AT.sentMs); off += f.length; }
    this.messages++;
    this.ws.send(message, { binary: true });
  }

  close(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.outbox = [];
    this.outboxBytes = 0;
    this.outboxSlots.clear();
    this.lastEncodedAt.clear();
    for (const off of this.subs.values()) off();
    this.subs.clear();
    this.waiting.clear();
    this.unacked.clear();
    this.awaitingKey.clear();
  }
}
