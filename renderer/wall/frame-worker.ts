/**
 * Entry of the frame worker (the same bundle, started as a module worker): socket + relay, and, where the page paints
 * I420 itself, the H.264 decoders: each access unit is decoded here with WebCodecs, the picture copied out of its
 * VideoFrame into a pooled buffer, and only the newest picture per camera goes to the main thread, whose buffer comes
 * back with the next pull. The main thread then only paints. (Where the page draws VideoFrames, decoding stays on the
 * main thread: a VideoFrame decoded here and transferred drew about 5x slower, 6.5 ms against 1.3 ms per 432x244
 * tile, in Chromium 156 without a GPU.)
 */
import { BufferPool, FrameDecoders } from './frame-decoder.js';
import { FrameRelay, type FromRelay, type ToRelay } from './frame-relay.js';
import { FrameSocket } from './frame-socket.js';

/** A burst of pictures (one message of access units) is handed on when 4 ms pass without a new one, at most 25 ms. */
const SETTLE = { quietMs: 4, maxMs: 25 };

interface WorkerScope { postMessage(msg: FromRelay, transfer: Transferable[]): void; onmessage: ((e: MessageEvent<ToRelay>) => void) | null }

export function runFrameWorker(scope: WorkerScope): void {
  let socket: FrameSocket | null = null;
  let decoders: FrameDecoders | null = null;
  const pool = new BufferPool();
  const relay = new FrameRelay((msg, transfer) => scope.postMessage(msg, transfer), () => socket?.rejected ?? 0);
  scope.onmessage = (e) => {
    const msg = e.data;
    switch (msg.type) {
      case 'open':
        socket?.close();
        decoders?.close();
        decoders = msg.decode && typeof VideoDecoder !== 'undefined' ? new FrameDecoders((id, f) => relay.offer(id, f), true, pool) : null;
        relay.decodedInWorker = decoders !== null;
        relay.settle = decoders ? SETTLE : null;
        socket = new FrameSocket(msg.url, msg.clientId, (id, f) => { if (f.encoded && decoders) decoders.accept(id, f); else relay.offer(id, f); });
        break;
      case 'cameras': socket?.setCameras(msg.ids); relay.forget(new Set(msg.ids)); decoders?.forget(new Set(msg.ids)); break;
      case 'pace': relay.paced = msg.on; break;
      case 'pull':
        for (const b of msg.returned ?? []) pool.give(new Uint8Array(b));
        relay.pull();
        break;
      case 'close': socket?.close(); socket = null; decoders?.close(); decoders = null; break;
    }
  };
}
