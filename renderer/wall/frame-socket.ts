/**
 * The frame channel's socket: a WebSocket (binaryType 'arraybuffer') carrying KZF1 frames for the
 * cameras subscribed, plus 'frames.slots' text messages mapping slots to camera ids. Parses and hands
 * each frame on; reconnects with back-off. Runs in the frame worker, or on the main thread as a fallback.
 */
import { ENCODED_ACK_DELAY_MS, FRAME_FLAG_KEY, FRAME_HEADER_BYTES, isEncoded, splitFrames, type FrameAckMessage, type FrameSlotsMessage, type FrameSubscribeMessage } from '../../electron/contract/frames.js';
import type { PlaneLayout } from './i420-painter.js';

/**
 * One picture as received. `data` views the I420 planes (no copy), or the H.264 access unit when `encoded`. After
 * the frame decoder, `data` holds the decoded picture's I420 planes copied out of the VideoFrame (with `layout`), or,
 * where the page cannot paint I420 itself, `picture` holds the VideoFrame (and `data` is empty).
 */

export interface Frame {
  data: Uint8Array;
  encoded?: boolean;
  /** An encoded access unit that starts a GOP (decodable on its own). */
  key?: boolean;
  picture?: VideoFrame;
  /** Plane offsets and strides of `data` when it is an I420 picture with padded rows (default: tight planes). */
  layout?: PlaneLayout[];
  /** Gives `data` back to its pool once the picture is replaced (pictures the page decoded and copied out). */
  recycle?: () => void;
  width: number;
  height: number;
  seq: number;
  flags: number;
  /** Epoch ms of capture, 0 when unknown. */
  captureMs: number;
  /** Client clock (Date.now()) when the message arrived. */
  receivedAt: number;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 5000];

export class FrameSocket {
  private readonly slots = new Map<number, string>();
  private ws: WebSocket | null = null;
  private cameraIds: string[] = [];
  private attempt = 0;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Messages that were not well-formed frames or slot tables. */
  rejected = 0;
  /** Slots of frames received but not yet acknowledged; acks are batched per task. */
  private acks: number[] = [];
  private ackTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly url: string, private readonly clientId: string, private readonly onFrame: (cameraId: string, frame: Frame) => void) {
    this.connect();
  }

  /** Sets the cameras wanted; sends a subscribe message only when the set changed. */
  setCameras(ids: readonly string[]): void {
    const next = [...new Set(ids)].sort();
    if (next.length === this.cameraIds.length && next.every((id, i) => id === this.cameraIds[i])) return;
    this.cameraIds = next;
    this.sendSubscribe();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
  }

  private sendSubscribe(): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    const msg: FrameSubscribeMessage = { type: 'frames.subscribe', clientId: this.clientId, cameraIds: this.cameraIds };
    this.ws.send(JSON.stringify(msg));
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => { this.attempt = 0; this.sendSubscribe(); };
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data === 'string') this.onText(e.data);
      else if (e.data instanceof ArrayBuffer) this.onBinary(e.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closed) return;
      this.timer = setTimeout(() => this.connect(), BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)]);
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  /**
   * Credit back to the host: it sends a camera's next frame only when fewer than its window are unacknowledged.
   * Decoded frames (a window of 2) are acknowledged after this task; encoded ones (a window of 12) are collected for
   * ENCODED_ACK_DELAY_MS, so a 16-camera wall sends ~40 acks a second instead of one per picture.
   */
  private ack(slots: number[], soon: boolean): void {
    for (const s of slots) this.acks.push(s);
    if (soon && this.ackSoon) return;
    if (!soon && this.ackTimer !== undefined) return;
    clearTimeout(this.ackTimer);
    this.ackSoon = soon;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      this.ackSoon = false;
      const msg: FrameAckMessage = { type: 'frames.ack', slots: this.acks };
      this.acks = [];
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
    }, soon ? 0 : ENCODED_ACK_DELAY_MS);
  }
  private ackSoon = false;

  private onText(text: string): void {
    let msg: unknown;
    try { msg = JSON.parse(text); } catch { this.rejected++; return; }
    const m = msg as Partial<FrameSlotsMessage>;
    if (m?.type !== 'frames.slots' || typeof m.slots !== 'object' || m.slots === null) { this.rejected++; return; }
    this.slots.clear();
    for (const [slot, id] of Object.entries(m.slots)) if (typeof id === 'string') this.slots.set(Number(slot), id);
  }

  /** Hot path: one call per message (one or more frames); no allocation beyond the Frame records and their views. */
  private onBinary(buf: ArrayBuffer): void {
    const { frames, malformed } = splitFrames(buf);
    if (malformed) this.rejected++;
    if (frames.length === 0) return;
    const receivedAt = Date.now();
    const slots: number[] = [];
    let decoded = false;
    for (const { header: h, offset } of frames) {
      slots.push(h.slot);
      const encoded = isEncoded(h.flags);
      if (!encoded) decoded = true;
      const cameraId = this.slots.get(h.slot);
      if (cameraId === undefined) continue;
      this.onFrame(cameraId, {
        data: new Uint8Array(buf, offset + FRAME_HEADER_BYTES, h.payloadBytes),
        encoded, key: (h.flags & FRAME_FLAG_KEY) !== 0,
        width: h.width, height: h.height, seq: h.seq, flags: h.flags, captureMs: h.captureMs, receivedAt,
      });
    }
    this.ack(slots, decoded);
  }
}
