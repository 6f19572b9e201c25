/**
 * Fetches review footage (recorded segments and their parts) in a dedicated worker (footage-worker.ts) shared by every
 * player of the page, abortably; where no worker can start, in the page itself. Same answer either way: the bytes, or
 * a rejection (an AbortError when aborted).
 */
import type { FootageAnswer, FootageRequest } from './footage-worker.js';

/** The worker's bundle, built beside app.js (scripts/build.mjs; chunks sit in the same folder). */
export const FOOTAGE_WORKER_FILE = 'footage-worker.js';

type Pending = { resolve(bytes: Uint8Array): void; reject(err: Error): void };

let worker: Worker | null | undefined;
/** Diagnostics (bench:replay `--ab-fetch`): fetch in the page instead, to compare both ways seek by seek. */
let inPageOnly = false;
export function setFootageInPage(value: boolean): void { inPageOnly = value; }
const pending = new Map<number, Pending>();
let nextId = 1;

function start(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    if (typeof Worker === 'undefined') return (worker = null);
    const w = new Worker(new URL(FOOTAGE_WORKER_FILE, import.meta.url), { type: 'module', name: 'kuzet-footage' });
    w.onmessage = (e: MessageEvent<FootageAnswer>) => {
      const a = e.data;
      const p = pending.get(a.id);
      if (!p) return;
      pending.delete(a.id);
      if ('bytes' in a) p.resolve(new Uint8Array(a.bytes));
      else p.reject(a.aborted ? new DOMException('aborted', 'AbortError') : new Error(a.error));
    };
    // a worker that fails to load (its file missing): every request waiting on it and later ones go through the page
    w.onerror = () => {
      worker = null;
      const waiting = [...pending.values()];
      pending.clear();
      for (const p of waiting) p.reject(new Error('footage worker failed'));
    };
    return (worker = w);
  } catch {
    return (worker = null);
  }
}

async function inPage(url: string, signal: AbortSignal): Promise<Uint8Array> {
  const r = await fetch(url, { signal });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** The bytes at url (an absolute URL), fetched off the page's main thread when a worker runs. */
export function fetchFootage(url: string, signal: AbortSignal): Promise<Uint8Array> {
  const w = inPageOnly ? null : start();
  if (!w) return inPage(url, signal);
  if (signal.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    const onAbort = () => { if (pending.delete(id)) { w.postMessage({ id, abort: true } satisfies FootageRequest); reject(new DOMException('aborted', 'AbortError')); } };
    pending.set(id, {
      resolve: (b) => { signal.removeEventListener('abort', onAbort); resolve(b); },
      reject: (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    });
    signal.addEventListener('abort', onAbort, { once: true });
    w.postMessage({ id, url } satisfies FootageRequest);
  });
}
