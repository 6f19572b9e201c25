/**
 * Entry of the frame worker (the same bundle, started as a module worker): socket + relay. Encoded access units are
 * decoded on the main thread (frame-channel.ts): a VideoFrame decoded here and transferred draws about 5x slower
 * (6.5 ms against 1.3 ms per 432x244 tile, measured in Chromium 156 without a GPU).
 */
import { FrameRelay, type FromRelay, type ToRelay } from './frame-relay.js';
import { FrameSocket } from './frame-socket.js';

interface WorkerScope { postMessage(msg: FromRelay, transfer: Transferable[]): void; onmessage: ((e: MessageEvent<ToRelay>) => void) | null }

export function runFrameWorker(scope: WorkerScope): void {
  let socket: FrameSocket | null = null;
  const relay = new FrameRelay((msg, transfer) => scope.postMessage(msg, transfer), () => socket?.rejected ?? 0);
  scope.onmessage = (e) => {
    const msg = e.data;
    switch (msg.type) {
      case 'open': socket?.close(); socket = new FrameSocket(msg.url, msg.clientId, (id, f) => relay.offer(id, f)); break;
      case 'cameras': socket?.setCameras(msg.ids); relay.forget(new Set(msg.ids)); break;
      case 'pull': relay.pull(); break;
      case 'close': socket?.close(); socket = null; break;
    }
  };
}
