/**
 * The review players' footage fetcher, a dedicated worker (bundle `footage-worker.js`, FOOTAGE_WORKER_FILE): fetches a
 * recorded segment (or its `at`/`rest` part) and hands the bytes to the page as a transferred buffer. The response and
 * its body are read on this thread, so a seek's footage does not wait for the page's main thread to get to each step
 * of a fetch (the response, every chunk of its body, the promise); the page takes one message per segment.
 * Protocol (footage-fetch.ts): `{ id, url }` fetches, `{ id, abort: true }` aborts; the answer is `{ id, bytes }` or
 * `{ id, error, status? }`.
 */
export interface FootageRequest { id: number; url?: string; abort?: boolean }
export type FootageAnswer = { id: number; bytes: ArrayBuffer } | { id: number; error: string; aborted: boolean };

interface WorkerScope {
  onmessage: ((e: MessageEvent<FootageRequest>) => void) | null;
  postMessage(message: FootageAnswer, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const running = new Map<number, AbortController>();

scope.onmessage = (e) => {
  const { id, url, abort } = e.data;
  if (abort) { running.get(id)?.abort(); running.delete(id); return; }
  if (!url) return;
  const ctl = new AbortController();
  running.set(id, ctl);
  void (async () => {
    try {
      const r = await fetch(url, { signal: ctl.signal });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const bytes = await r.arrayBuffer();
      if (running.get(id) !== ctl) return; // aborted meanwhile: the page no longer waits for it
      scope.postMessage({ id, bytes }, [bytes]);
    } catch (err) {
      scope.postMessage({ id, error: err instanceof Error ? err.message : String(err), aborted: ctl.signal.aborted });
    } finally {
      if (running.get(id) === ctl) running.delete(id);
    }
  })();
};
