/**
 * The grid's footage requests: a seek's first parts (`?at=`), asked by up to 16 players in the same task, go to the host
 * as one request (`GET /rec/parts`, contract/seek-parts.ts) instead of 16 queued on Chromium's 6 connections to the host;
 * anything else (the rest of a segment, a whole one, an imported package's piece) is fetched alone as before. A part the
 * batch did not bring (the host has it not, or the batch failed) is fetched alone, so the player sees what a single
 * request would have given it.
 */
import { MAX_SEEK_PARTS, SEEK_PARTS_HEADER, SeekPartLengths, seekPartOf, seekPartParam, type SeekPart } from '../../electron/contract/seek-parts.js';

/** Fetches a footage path's bytes (throws on failure or abort, like fetch). */
export type FetchBytes = (path: string, signal: AbortSignal) => Promise<Uint8Array>;

interface Waiting { path: string; part: SeekPart; signal: AbortSignal; done(bytes: Uint8Array | null): void }

/** The bytes of each part from the answer's body and lengths; null for a part the answer has not (or a body too short). */
export function splitParts(body: Uint8Array, lengths: readonly number[], count: number): Array<Uint8Array | null> {
  const out: Array<Uint8Array | null> = [];
  let o = 0;
  for (let i = 0; i < count; i++) {
    const n = lengths[i] ?? -1;
    if (n < 0 || o + n > body.length) { out.push(null); continue; }
    out.push(body.subarray(o, o + n));
    o += n;
  }
  return out;
}

/**
 * `single` fetches one path (the players' own fetch); `urlOf` makes a path a URL with the session's token. Requests made
 * in one task are sent together when the task ends. `enabled` false: every request alone (the bench's A/B, `--ab-parts`).
 */
export function batchedFootage(single: FetchBytes, urlOf: (path: string) => string, enabled: () => boolean = () => true): FetchBytes {
  let waiting: Waiting[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    const live = batch.filter((w) => !w.signal.aborted);
    for (const w of batch) if (w.signal.aborted) w.done(null);
    for (let i = 0; i < live.length; i += MAX_SEEK_PARTS) void send(live.slice(i, i + MAX_SEEK_PARTS));
  };
  const send = async (batch: Waiting[]) => {
    if (batch.length === 1) { (batch[0] as Waiting).done(null); return; } // alone: its own request
    let given = 0; // parts handed out, in order
    try {
      const query = batch.map((w) => `p=${encodeURIComponent(seekPartParam(w.part))}`).join('&');
      const r = await fetch(urlOf(`/rec/parts?${query}`));
      const lengths = SeekPartLengths.safeParse(JSON.parse(r.headers.get(SEEK_PARTS_HEADER) ?? 'null'));
      if (!r.ok || !lengths.success || !r.body) throw new Error(`HTTP ${r.status}`);
      // each part handed to its player as soon as its bytes are in (its append and decode start while the rest arrive)
      const ends: number[] = [];
      let end = 0;
      for (let i = 0; i < batch.length; i++) { end += Math.max(0, lengths.data[i] ?? -1); ends.push(end); }
      const body = new Uint8Array(end);
      let got = 0;
      const reader = r.body.getReader();
      const handOut = () => {
        for (; given < batch.length && ends[given]! <= got; given++) {
          const n = lengths.data[given] ?? -1;
          // a view, not a copy: the page maps and zeroes every large buffer it allocates (appendBuffer copies it anyway)
          (batch[given] as Waiting).done(n < 0 ? null : body.subarray(ends[given]! - n, ends[given]));
        }
      };
      handOut(); // parts the host had not, at the start
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (got + value.length > body.length) throw new Error('longer than its parts');
        body.set(value, got);
        got += value.length;
        handOut();
      }
    } catch { /* what was not handed out is asked alone below */ }
    for (; given < batch.length; given++) (batch[given] as Waiting).done(null);
  };
  return (path, signal) => {
    const part = enabled() ? seekPartOf(path) : null;
    if (!part) return single(path, signal);
    return new Promise<Uint8Array | null>((done, fail) => {
      // an abort ends the wait at once, as it ends a fetch (the batch's answer is then dropped for this part)
      const aborted = () => fail(new DOMException('aborted', 'AbortError'));
      if (signal.aborted) { aborted(); return; }
      signal.addEventListener('abort', aborted, { once: true });
      if (waiting.length === 0) afterThisTask(flush);
      waiting.push({ path, part, signal, done: (bytes) => { signal.removeEventListener('abort', aborted); done(bytes); } });
    }).then((bytes) => bytes ?? single(path, signal));
  };
}

/**
 * Runs `f` once the current task is done: as a user-blocking task where the page has `scheduler.postTask` (Chromium),
 * so that a seek's requests leave before the render the seek also caused (React's scheduler posts ordinary tasks);
 * otherwise as a timer.
 */
function afterThisTask(f: () => void): void {
  const scheduler = (globalThis as { scheduler?: { postTask?(f: () => void, o: { priority: 'user-blocking' }): Promise<void> } }).scheduler;
  if (scheduler?.postTask) void scheduler.postTask(f, { priority: 'user-blocking' });
  else setTimeout(f, 0);
}

/** The players' own fetch of one path. */
export function fetchBytes(urlOf: (path: string) => string): FetchBytes {
  return async (path, signal) => {
    const r = await fetch(urlOf(path), { signal });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  };
}
