/** Entry of the frame worker (the same bundle, started as a module worker): socket + decoders + relay. */
import { FrameDecoders } from './frame-decoder.js';
import { FrameRelay, type FromRelay, type ToRelay } from './frame-relay.js';
import { FrameSocket } from './frame-socket.js';

interface WorkerScope { postMessage(msg: FromRelay, transfer: Transferable[]): void; onmessage: ((e: MessageEvent<ToRelay>) => void) | null }

export function runFrameWorker(scope: WorkerScope): void {
  let socket: FrameSocket | null = null;
  const relay = new FrameRelay((msg, transfer) => scope.postMessage(msg, transfer), () => socket?.rejected ?? 0);
  const decoders = new FrameDecoders((id, f) => relay.offer(id, f));
  scope.onmessage = (e) => {
    const msg = e.data;
    switch (msg.type) {
      case 'open': socket?.close(); socket = new FrameSocket(msg.url, msg.clientId, (id, f) => decoders.accept(id, f)); break;
      case 'cameras': { const keep = new Set(msg.ids); socket?.setCameras(msg.ids); decoders.forget(keep); relay.forget(keep); break; }
      case 'pull': relay.pull(); break;
      case 'close': socket?.close(); socket = null; decoders.close(); break;
    }
  };
}
