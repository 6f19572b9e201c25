/**
 * Main-thread view of the frame channel: the newest frame per camera for the compositor. The socket (and, where the
 * page paints I420 itself, the decoders) run in a worker when one can be started (frame-worker.ts), else here. Latest frame wins:
 * frames replaced before any tile painted them are counted as drops (in the worker and here).
 */
import { FrameDecoders } from './frame-decoder.js';
import { FrameSocket, type Frame } from './frame-socket.js';
import type { FromRelay, ToRelay } from './frame-relay.js';

export type { Frame } from './frame-socket.js';

/** Per-camera feed state; the compositor reads it every animation frame, so it is mutated in place. */
export interface CameraFeed {
  /** The newest frame (kept after painting so tiles can be repainted on resize or dimming). */
  frame: Frame | null;
  /** Increments with every frame received; tiles compare it with what they painted. */
  version: number;
  /** True until some tile paints the newest frame. */
  unpainted: boolean;
  drops: number;
  /** Of `drops`, those replaced in the worker's relay before reaching this thread. */
  relayDrops: number;
  received: number;
}

export interface FrameWorkerLike {
  postMessage(msg: ToRelay, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<FromRelay>) => void) | null;
  onerror: ((e: Event) => void) | null;
  terminate(): void;
}

export class FrameChannel {
  readonly feeds = new Map<string, CameraFeed>();
  private socket: FrameSocket | null = null;
  /** Encoded frames that reach this thread are decoded here (no worker, or a page that draws VideoFrames). */
  private readonly decoders: FrameDecoders;
  private worker: FrameWorkerLike | null = null;
  private cameraIds: string[] = [];
  private batches = 0;
  private workerRejected = 0;
  private batchSincePull = false;
  /** Buffers of worker-decoded pictures replaced here, sent back with the next pull. */
  private returned: ArrayBuffer[] = [];
  private workerDecodes = false;

  /**
   * `onFrame` runs whenever new frames arrived (the compositor schedules a paint); call `painted()`
   * after each paint so the worker sends the next batch.
   */
  constructor(private readonly url: string, private readonly clientId: string, private readonly onFrame: () => void, worker: FrameWorkerLike | null = null, copyDecoded = false) {
    this.decoders = new FrameDecoders((id, f) => { this.accept(id, f, 0); this.onFrame(); }, copyDecoded);
    if (worker) {
      this.worker = worker;
      worker.onmessage = (e) => this.onBatch(e.data);
      // A worker that cannot load (CSP, custom protocol) fails asynchronously: fall back to this thread.
      worker.onerror = () => { if (this.batches === 0) this.useMainThread(); };
      // where the page paints I420 itself, the worker decodes too and this thread only paints
      worker.postMessage({ type: 'open', url, clientId, decode: copyDecoded });
    } else {
      this.useMainThread();
    }
  }

  private useMainThread(): void {
    this.worker?.terminate();
    this.worker = null;
    this.socket = new FrameSocket(this.url, this.clientId, (id, f) => this.decoders.accept(id, f));
    this.socket.setCameras(this.cameraIds);
  }

  get mode(): 'worker' | 'main' { return this.worker ? 'worker' : 'main'; }
  /** Where access units are decoded. */
  get decodeIn(): 'worker' | 'main' { return this.worker && this.workerDecodes ? 'worker' : 'main'; }
  get rejected(): number { return this.socket?.rejected ?? this.workerRejected; }

  feed(cameraId: string): CameraFeed {
    let f = this.feeds.get(cameraId);
    if (!f) { f = { frame: null, version: 0, unpainted: false, drops: 0, relayDrops: 0, received: 0 }; this.feeds.set(cameraId, f); }
    return f;
  }

  setCameras(ids: readonly string[]): void {
    this.cameraIds = [...ids];
    if (this.worker) this.worker.postMessage({ type: 'cameras', ids: [...ids] });
    else this.socket?.setCameras(ids);
    this.decoders.forget(new Set(ids));
  }

  private paced = true;
  /** Burst pacing in the worker's relay (frame-pacing.ts), or latest-wins (diagnostics A/B). */
  get pacing(): boolean { return this.paced; }
  setPacing(on: boolean): void {
    this.paced = on;
    this.worker?.postMessage({ type: 'pace', on });
  }

  /** The compositor painted: ask the worker for the next batch (if it sent one since the last ask). */
  painted(): void {
    if (!this.worker || !this.batchSincePull) return;
    this.batchSincePull = false;
    const returned = this.returned;
    this.returned = [];
    this.worker.postMessage({ type: 'pull', returned }, returned);
  }

  close(): void {
    this.socket?.close();
    this.decoders.close();
    for (const f of this.feeds.values()) { f.frame?.picture?.close(); f.frame = null; }
    if (this.worker) { this.worker.postMessage({ type: 'close' }); this.worker.terminate(); }
  }

  private onBatch(msg: FromRelay): void {
    if (msg?.type !== 'frames') return;
    this.workerRejected = msg.rejected;
    this.workerDecodes = msg.decodedInWorker;
    this.batches++;
    for (const f of msg.frames) {
      if (f.encoded) this.decoders.accept(f.cameraId, f);
      else if (f.pooled) { const buf = f.data.buffer as ArrayBuffer; this.accept(f.cameraId, { ...f, recycle: () => this.returned.push(buf) }, f.drops); }
      else this.accept(f.cameraId, f, f.drops);
    }
    this.batchSincePull = true;
    this.onFrame();
  }

  private accept(cameraId: string, frame: Frame, droppedBefore: number): void {
    const feed = this.feed(cameraId);
    if (feed.unpainted) feed.drops++;
    feed.drops += droppedBefore;
    feed.relayDrops += droppedBefore;
    if (feed.frame?.picture && feed.frame.picture !== frame.picture) feed.frame.picture.close();
    if (feed.frame && feed.frame.data !== frame.data) feed.frame.recycle?.();
    feed.frame = frame;
    feed.version++;
    feed.received += 1 + droppedBefore;
    feed.unpainted = true;
  }
}

/**
 * The frame worker's bundle (entry frame-worker-main.ts), built beside app.js and its chunks. Not `import.meta.url`:
 * that is the URL of whichever file this module is bundled into, a shared chunk once the map window imports it too,
 * and a worker started from a chunk loads it and never runs (docs/map.md, "The popup's live picture and the worker").
 */
export const FRAME_WORKER_FILE = 'frame-worker.js';

/** Starts the frame worker from its own bundle; null where workers cannot start (the socket then runs here). */
export function startFrameWorker(): FrameWorkerLike | null {
  try {
    if (typeof Worker === 'undefined') return null;
    return new Worker(new URL(FRAME_WORKER_FILE, import.meta.url), { type: 'module', name: 'kuzet-frames' }) as unknown as FrameWorkerLike;
  } catch {
    return null;
  }
}
