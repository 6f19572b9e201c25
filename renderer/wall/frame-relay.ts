/**
 * Worker side of the frame channel: drains the socket off the main thread and keeps only the newest
 * frame per camera; the main thread pulls a batch after each paint, so at most one batch is in flight
 * and a busy main thread drops stale frames here instead of letting them queue in the network.
 */
import type { Frame } from './frame-socket.js';

/** A frame handed to the main thread; `drops` counts frames replaced in the relay since the last batch. */
export interface RelayedFrame extends Frame { cameraId: string; drops: number }

export type ToRelay =
  | { type: 'open'; url: string; clientId: string }
  | { type: 'cameras'; ids: string[] }
  | { type: 'pull' }
  | { type: 'close' };

export type FromRelay = { type: 'frames'; frames: RelayedFrame[]; rejected: number };

/**
 * A quarter second of a camera's access units may wait for the main thread; past that the camera skips to its next
 * key unit, so an overloaded page shows fewer pictures instead of older ones (16 x 360p queued up to 0.9 s at 50).
 */
const MAX_QUEUED_UNITS = 6;

export class FrameRelay {
  private readonly pending = new Map<string, RelayedFrame>();
  /**
   * Encoded access units go to the main thread in order and all of them (each depends on the one before); a camera
   * whose queue overflows (the page stopped pulling) skips to its next key unit.
   */
  private readonly units = new Map<string, RelayedFrame[]>();
  private readonly skipToKey = new Set<string>();
  private wanted = true;

  constructor(private readonly post: (msg: FromRelay, transfer: Transferable[]) => void, private readonly rejected: () => number) {}

  offer(cameraId: string, frame: Frame): void {
    if (frame.encoded) { this.queueUnit(cameraId, frame); return; }
    const prev = this.pending.get(cameraId);
    this.pending.set(cameraId, { ...frame, cameraId, drops: prev ? prev.drops + 1 : 0 });
    this.flushSoon();
  }

  /** The main thread painted and wants the next batch. */
  pull(): void {
    this.wanted = true;
    if (this.pending.size > 0 || this.units.size > 0) this.flush();
  }

  forget(keep: ReadonlySet<string>): void {
    for (const id of this.pending.keys()) if (!keep.has(id)) this.pending.delete(id);
    for (const id of this.units.keys()) if (!keep.has(id)) this.units.delete(id);
  }

  private queueUnit(cameraId: string, frame: Frame): void {
    if (this.skipToKey.has(cameraId)) {
      if (!frame.key) return;
      this.skipToKey.delete(cameraId);
    }
    let list = this.units.get(cameraId);
    if (!list) { list = []; this.units.set(cameraId, list); }
    if (list.length >= MAX_QUEUED_UNITS) {
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
    const frames = [...this.pending.values(), ...[...this.units.values()].flat()];
    this.pending.clear();
    this.units.clear();
    this.wanted = false;
    // frames of one socket message share its buffer: each buffer is transferred once
    this.post({ type: 'frames', frames, rejected: this.rejected() }, [...new Set(frames.map((f) => f.data.buffer as ArrayBuffer))]);
  }
}
