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

export class FrameRelay {
  private readonly pending = new Map<string, RelayedFrame>();
  private wanted = true;

  constructor(private readonly post: (msg: FromRelay, transfer: Transferable[]) => void, private readonly rejected: () => number) {}

  offer(cameraId: string, frame: Frame): void {
    const prev = this.pending.get(cameraId);
    prev?.picture?.close();
    this.pending.set(cameraId, { ...frame, cameraId, drops: prev ? prev.drops + 1 : 0 });
    if (this.wanted) this.flush();
  }

  /** The main thread painted and wants the next batch. */
  pull(): void {
    this.wanted = true;
    if (this.pending.size > 0) this.flush();
  }

  forget(keep: ReadonlySet<string>): void {
    for (const [id, f] of this.pending) if (!keep.has(id)) { f.picture?.close(); this.pending.delete(id); }
  }

  private flush(): void {
    const frames = [...this.pending.values()];
    this.pending.clear();
    this.wanted = false;
    this.post({ type: 'frames', frames, rejected: this.rejected() }, frames.map((f) => f.picture ?? (f.data.buffer as ArrayBuffer)));
  }
}
