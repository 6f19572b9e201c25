/**
 * The binary frame channel: a WebSocket carrying KZF1 frames (frames.ts) for the cameras this wall
 * shows. Latest frame wins per camera: only the newest unpainted frame is kept; frames replaced
 * before any tile painted them are counted as drops. Reconnects when the socket closes.
 */
import { FRAME_HEADER_BYTES, readFrameHeader, i420Size, type FrameSlotsMessage, type FrameSubscribeMessage } from '../../electron/contract/frames.js';

/** One decoded picture as received. `data` views the I420 planes (no copy). */
export interface Frame {
  data: Uint8Array;
  width: number;
  height: number;
  seq: number;
  flags: number;
  /** Epoch ms of capture, 0 when unknown. */
  captureMs: number;
  /** Client clock (Date.now()) when the message arrived. */
  receivedAt: number;
}

/** Per-camera feed state; the compositor reads it every animation frame, so it is mutated in place. */
export interface CameraFeed {
  /** The newest frame (kept after painting so tiles can be repainted on resize or dimming). */
  frame: Frame | null;
  /** Increments with every frame received; tiles compare it with what they painted. */
  version: number;
  /** True until some tile paints the newest frame. */
  unpainted: boolean;
  drops: number;
  received: number;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 5000];

export class FrameChannel {
  readonly feeds = new Map<string, CameraFeed>();
  private readonly slots = new Map<number, string>();
  private ws: WebSocket | null = null;
  private cameraIds: string[] = [];
  private attempt = 0;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Messages that were not well-formed frames (kept for diagnostics). */
  rejected = 0;

  /** `onFrame` runs for every accepted frame: the compositor schedules a paint. */
  constructor(private readonly url: string, private readonly clientId: string, private readonly onFrame: () => void) {
    this.connect();
  }

  feed(cameraId: string): CameraFeed {
    let f = this.feeds.get(cameraId);
    if (!f) { f = { frame: null, version: 0, unpainted: false, drops: 0, received: 0 }; this.feeds.set(cameraId, f); }
    return f;
  }

  /** Sets the cameras this wall shows; sends a subscribe message only when the set changed. */
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

  private onText(text: string): void {
    let msg: unknown;
    try { msg = JSON.parse(text); } catch { this.rejected++; return; }
    const m = msg as Partial<FrameSlotsMessage>;
    if (m?.type !== 'frames.slots' || typeof m.slots !== 'object' || m.slots === null) return;
    this.slots.clear();
    for (const [slot, id] of Object.entries(m.slots)) if (typeof id === 'string') this.slots.set(Number(slot), id);
  }

  /** Hot path: one call per frame; no allocation beyond the Frame record. */
  private onBinary(buf: ArrayBuffer): void {
    const h = readFrameHeader(buf);
    if (!h) { this.rejected++; return; }
    const cameraId = this.slots.get(h.slot);
    if (cameraId === undefined) return;
    const feed = this.feed(cameraId);
    if (feed.unpainted) feed.drops++;
    feed.frame = {
      data: new Uint8Array(buf, FRAME_HEADER_BYTES, i420Size(h.width, h.height)),
      width: h.width, height: h.height, seq: h.seq, flags: h.flags, captureMs: h.captureMs, receivedAt: Date.now(),
    };
    feed.version++;
    feed.received++;
    feed.unpainted = true;
    this.onFrame();
  }
}
