/**
 * Worker side of the frame channel: drains the socket off the main thread and keeps at most two pictures per camera
 * (a burst is paced over consecutive paints, else the newest wins: frame-pacing.ts); the main thread pulls a batch
 * after each paint, so at most one batch is in flight and a busy main thread drops stale frames here instead of
 * letting them queue in the network.
 */
import type { Frame } from './frame-socket.js';
import { admit } from './frame-pacing.js';
import { skipsToKey } from './frame-decoder.js';

/**
 * A frame handed to the main thread; `drops` counts frames replaced in the relay since the last batch. `pooled`: a
 * picture the worker's decoders copied into a pooled buffer; the main thread sends the buffer back with a later pull.
 */
export interface RelayedFrame extends Omit<Frame, 'recycle'> { cameraId: string; drops: number; pooled?: boolean }

export type ToRelay =
  /** `decode`: decode access units in the worker and hand on I420 pictures (the page paints I420 itself). */
  | { type: 'open'; url: string; clientId: string; decode?: boolean }
  | { type: 'cameras'; ids: string[] }
  /** The main thread painted; `returned` are the buffers of pooled pictures it has replaced since. */
  | { type: 'pull'; returned?: ArrayBuffer[] }
  /** Pacing on (default) or latest-wins (diagnostics A/B: `?pace=latest`, `window.__kuzet.pacing(false)`). */
  | { type: 'pace'; on: boolean }
  | { type: 'close' };

/** `decodedInWorker`: the worker decodes this socket's access units (else they come as they are). */
export type FromRelay = { type: 'frames'; frames: RelayedFrame[]; rejected: number; decodedInWorker: boolean };

type WaitingPicture = RelayedFrame & { recycle?: () => void };

export class FrameRelay {
  /** Pictures waiting for the main thread, per camera, oldest first (at most MAX_WAITING: frame-pacing.ts). */
  private readonly pending = new Map<string, WaitingPicture[]>();
  /** Pictures replaced here since the camera's last one was handed on (sent as the next one's `drops`). */
  private readonly dropped = new Map<string, number>();
  /** Pace bursts (keep a camera's two pictures that came closer together than captured) instead of latest-wins. */
  paced = true;
  /**
   * Encoded access units go to the main thread in order and all of them (each depends on the one before); a camera
   * whose oldest unit waited too long (the page stopped pulling: `skipsToKey`) skips to its next key unit.
   */
  private readonly units = new Map<string, RelayedFrame[]>();
  private readonly skipToKey = new Set<string>();
  private wanted = true;

  /** Set by the worker when its decoders turn access units into pictures. */
  decodedInWorker = false;
  /**
   * Pictures decoded in the worker come in bursts (the host sends every camera's access unit of a frame interval in
   * one message): the relay hands them on once no new picture came for `quietMs`, or `maxMs` after the first waiting
   * one, so the main thread paints a burst once instead of in pieces (each paint costs ~5 ms of CPU across Chromium's
   * processes, however many tiles it holds). Null: hand on at once.
   */
  settle: { quietMs: number; maxMs: number } | null = null;
  private heldSince = 0;
  private lastPictureAt = 0;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly post: (msg: FromRelay, transfer: Transferable[]) => void, private readonly rejected: () => number) {}

  offer(cameraId: string, frame: Frame): void {
    if (frame.encoded) { this.queueUnit(cameraId, frame); return; }
    let list = this.pending.get(cameraId);
    if (!list) { list = []; this.pending.set(cameraId, list); }
    const replaced = admit(list, { ...frame, cameraId, drops: 0 }, this.paced);
    for (const r of replaced) r.recycle?.(); // a pooled picture replaced before the main thread took it: its buffer is free again
    if (replaced.length) this.dropped.set(cameraId, (this.dropped.get(cameraId) ?? 0) + replaced.length);
    if (this.settle && frame.recycle) {
      const now = performance.now();
      if (this.heldSince === 0) this.heldSince = now;
      this.lastPictureAt = now;
      this.settleSoon(now);
      return;
    }
    this.flushSoon();
  }

  /** The main thread painted and wants the next batch. */
  pull(): void {
    this.wanted = true;
    if (this.pending.size === 0 && this.units.size === 0) return;
    if (this.heldSince !== 0 && this.settle) { this.settleSoon(performance.now()); return; }
    this.flush();
  }

  /** Flushes when the burst has settled (see `settle`), now if it has. */
  private settleSoon(now: number): void {
    const s = this.settle!;
    clearTimeout(this.settleTimer);
    const wait = Math.min(this.lastPictureAt + s.quietMs, this.heldSince + s.maxMs) - now;
    if (wait <= 0) { this.settleTimer = undefined; this.flushSoon(); return; }
    this.settleTimer = setTimeout(() => { this.settleTimer = undefined; this.flushSoon(); }, wait);
  }

  forget(keep: ReadonlySet<string>): void {
    for (const [id, list] of this.pending) if (!keep.has(id)) { for (const f of list) f.recycle?.(); this.pending.delete(id); this.dropped.delete(id); }
    for (const id of this.units.keys()) if (!keep.has(id)) this.units.delete(id);
  }

  private queueUnit(cameraId: string, frame: Frame): void {
    if (this.skipToKey.has(cameraId)) {
      if (!frame.key) return;
      this.skipToKey.delete(cameraId);
    }
    let list = this.units.get(cameraId);
    if (!list) { list = []; this.units.set(cameraId, list); }
    // the decoders' rule: a unit that has waited too long for the main thread (not a burst that came in together)
    // skips the camera to its next key unit, so an overloaded page shows fewer pictures instead of older ones (16 x
    // 360p queued up to 0.9 s when 50 units could wait)
    if (skipsToKey(list.length, list[0]?.receivedAt ?? null, Date.now())) {
      this.units.delete(cameraId);
      if (!frame.key) { this.skipToKey.add(cameraId); return; }
      list = [];
      this.units.set(cameraId, list);
    }
    list.push({ ...frame, cameraId, drops: 0 });
    this.flushSoon();
  }

  /**
   * Flushes once the socket message being read is done: its frames share one buffer, which a flush transfers (a
   * flush after its first frame would detach the others).
   */
  private flushSoon(): void {
    if (!this.wanted || this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      if (this.wanted) this.flush();
    });
  }
  private flushQueued = false;

  private flush(): void {
    // functions do not cross threads: a pooled picture goes as `pooled` and its buffer comes back with a pull
    // each camera's oldest waiting picture; one queued behind it goes with the next pull (the next paint)
    const frames: RelayedFrame[] = [];
    for (const [id, list] of this.pending) {
      const { recycle, ...f } = list.shift()!;
      const drops = this.dropped.get(id) ?? 0;
      this.dropped.delete(id);
      frames.push({ ...f, drops, ...(recycle ? { pooled: true } : {}) });
      if (list.length === 0) this.pending.delete(id);
    }
    frames.push(...[...this.units.values()].flat());
    const transfer = new Set(frames.map((f) => f.data.buffer as ArrayBuffer));
    // a held picture whose buffer leaves with this batch (one socket message) would arrive detached: it is dropped
    for (const [id, list] of this.pending) {
      const keep = list.filter((f) => !transfer.has(f.data.buffer as ArrayBuffer));
      if (keep.length === list.length) continue;
      this.dropped.set(id, (this.dropped.get(id) ?? 0) + list.length - keep.length);
      if (keep.length) this.pending.set(id, keep); else this.pending.delete(id);
    }
    this.units.clear();
    this.wanted = false;
    this.heldSince = 0;
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    // frames of one socket message share its buffer: each buffer is transferred once
    this.post({ type: 'frames', frames, rejected: this.rejected(), decodedInWorker: this.decodedInWorker }, [...transfer]);
  }
}
