/**
 * The two transports of the contract as the renderer sees them: the Electron preload's `window.kuzet`
 * and the web shell's JSON WebSocket at /api. Both carry RequestMessage / ReplyMessage / EventMessage.
 */
import type { EventMessage, ReplyMessage, RequestMessage } from '../../electron/contract/api.js';

export interface Transport {
  readonly kind: 'electron' | 'web';
  request(msg: RequestMessage): Promise<ReplyMessage>;
  onEvent(cb: (msg: EventMessage) => void): () => void;
  /** Connection state changes (always up for Electron). */
  onConnection(cb: (up: boolean) => void): () => void;
  close(): void;
}

/** What the desktop preload exposes (electron/preload.ts). */
export interface PreloadApi {
  invoke(method: string, params: unknown): Promise<ReplyMessage>;
  onEvent(cb: (msg: EventMessage) => void): () => void;
}

export class ConnectionLostError extends Error {
  constructor() { super('host connection lost'); this.name = 'ConnectionLostError'; }
}

export function electronTransport(api: PreloadApi): Transport {
  return {
    kind: 'electron',
    request: (msg) => api.invoke(msg.method, msg.params),
    onEvent: (cb) => api.onEvent(cb),
    onConnection: () => () => {},
    close: () => {},
  };
}

/** Reconnect delays in ms; the last one repeats. */
const BACKOFF_MS = [250, 500, 1000, 2000, 5000];
/** A request waits this long for a connection before it fails. */
const CONNECT_WAIT_MS = 15_000;

function isReply(v: unknown): v is ReplyMessage {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'number' && typeof (v as { ok?: unknown }).ok === 'boolean';
}
function isEvent(v: unknown): v is EventMessage {
  return typeof v === 'object' && v !== null && typeof (v as { event?: unknown }).event === 'string';
}

/** JSON WebSocket transport with back-off reconnect; requests in flight when the socket drops fail. `url` is read at each (re)connect. */
export function webSocketTransport(url: string | (() => string)): Transport {
  const pending = new Map<number, { resolve: (r: ReplyMessage) => void; reject: (e: Error) => void }>();
  const eventListeners = new Set<(msg: EventMessage) => void>();
  const connListeners = new Set<(up: boolean) => void>();
  let waiters: Array<() => void> = [];
  let ws: WebSocket | null = null;
  let up = false;
  let attempt = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setUp = (next: boolean) => {
    if (next === up) return;
    up = next;
    for (const l of connListeners) l(up);
  };

  const connect = () => {
    if (closed) return;
    const sock = new WebSocket(typeof url === 'function' ? url() : url);
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      setUp(true);
      const w = waiters;
      waiters = [];
      for (const fn of w) fn();
    };
    sock.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      let msg: unknown;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (isReply(msg)) {
        const p = pending.get(msg.id);
        if (p) { pending.delete(msg.id); p.resolve(msg); }
      } else if (isEvent(msg)) {
        for (const l of eventListeners) l(msg);
      }
    };
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      setUp(false);
      for (const p of pending.values()) p.reject(new ConnectionLostError());
      pending.clear();
      if (closed) return;
      const delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)]!;
      timer = setTimeout(connect, delay);
    };
    sock.onerror = () => { /* onclose follows and schedules the retry */ };
  };
  connect();

  const whenOpen = () => new Promise<void>((resolve, reject) => {
    if (ws && ws.readyState === WebSocket.OPEN) { resolve(); return; }
    const t = setTimeout(() => { waiters = waiters.filter((w) => w !== go); reject(new ConnectionLostError()); }, CONNECT_WAIT_MS);
    const go = () => { clearTimeout(t); resolve(); };
    waiters.push(go);
  });

  return {
    kind: 'web',
    async request(msg) {
      await whenOpen();
      return new Promise<ReplyMessage>((resolve, reject) => {
        pending.set(msg.id, { resolve, reject });
        try { ws!.send(JSON.stringify(msg)); } catch (err) { pending.delete(msg.id); reject(err instanceof Error ? err : new Error(String(err))); }
      });
    },
    onEvent(cb) { eventListeners.add(cb); return () => eventListeners.delete(cb); },
    onConnection(cb) { connListeners.add(cb); return () => connListeners.delete(cb); },
    close() {
      closed = true;
      clearTimeout(timer);
      ws?.close();
    },
  };
}
