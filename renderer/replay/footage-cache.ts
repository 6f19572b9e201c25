/**
 * An incident's segment lists, asked once per camera: a replay seek anywhere in the incident finds each tile's list in
 * the page instead of asking the host again (one round trip less per tile and seek, before the footage can even be
 * fetched; under load that round trip took 0.3-1.5 s). The first ask of a camera lists the whole range in pages (the
 * host answers at most 256 segments at a time); windows outside the range are asked of the host as before. Answers
 * are what `playback.segments` would give: the segments overlapping [fromMs, toMs) in order, at most 256, and `nextMs`
 * the start of the first one at or after the window's end (or after the 256th).
 * `preload` lists the cameras the incident shows, both streams, when replay opens: a seek then starts every tile's fetch
 * in its own task (before, a camera's first list of a stream, three pages one after the other, came in the seek: p99
 * 248 ms of a 16-tile seek).
 */
import type { PlaybackSegment } from '../../electron/contract/review-api.js';
import type { StreamProfile } from '../../electron/contract/schemas.js';
import type { Footage } from '../review/review-player.js';

/** The host's cap on one answer (PlaybackClips.MAX_SEGMENTS). */
export const MAX_LISTED = 256;

interface Listed { segments: PlaybackSegment[]; nextMs: number | null; stream?: StreamProfile }

/**
 * `inner` answered from a per-camera list of [fromMs, toMs). Only footage that is complete is cached: pass a `toMs`
 * in the past (recordings still being written near now are asked of the host every time).
 */
export function cachedFootage(inner: Footage, fromMs: number, toMs: number): Footage {
  // per camera and wanted stream (a small tile's list is the sub-stream's where it covers the incident)
  const lists = new Map<string, Promise<Listed | null>>();
  const listAll = async (cameraId: string, want: StreamProfile): Promise<Listed | null> => {
    const all: PlaybackSegment[] = [];
    let cursor = fromMs;
    let stream: StreamProfile | undefined;
    for (let page = 0; page < 64; page++) {
      const r = await inner.segments(cameraId, cursor, toMs, want);
      if (page > 0 && r.stream !== stream) return null; // pages of both streams: leave it to the host
      stream = r.stream;
      for (const s of r.segments) if (!all.length || s.startMs > (all.at(-1) as PlaybackSegment).startMs) all.push(s);
      const last = r.segments.at(-1);
      if (r.segments.length < MAX_LISTED || !last) return { segments: all, nextMs: r.nextMs, ...(stream ? { stream } : {}) };
      if (last.endMs <= cursor) return null; // not advancing: leave it to the host
      cursor = last.endMs;
    }
    return null;
  };
  /** The camera's list of the range: started now when nobody asked for it yet. */
  const listOf = (cameraId: string, want: StreamProfile): Promise<Listed | null> => {
    const key = `${cameraId} ${want}`;
    let p = lists.get(key);
    if (!p) {
      p = listAll(cameraId, want).catch(() => null);
      lists.set(key, p);
      // a list that failed is asked again next time (and the host answers the window meanwhile)
      void p.then((all) => { if (!all && lists.get(key) === p) lists.delete(key); });
    }
    return p;
  };
  return {
    timeline: (cameraIds, f, t) => inner.timeline(cameraIds, f, t),
    segments: async (cameraId, f, t, want = 'main') => {
      if (f < fromMs || t > toMs || t <= f) return inner.segments(cameraId, f, t, want);
      const all = await listOf(cameraId, want);
      if (!all) return inner.segments(cameraId, f, t, want);
      return windowOf(all, f, t);
    },
    preload: (cameraIds, streams) => {
      // every camera's list of the first stream before any of the next (the small tiles' sub-stream first), PRELOAD_AT_ONCE
      // at a time: a seek's own ask of a camera not reached yet starts it at once (listOf) instead of queueing behind these
      const queue = streams.flatMap((s) => cameraIds.map((c) => [c, s] as const)).filter(([c, s]) => !lists.has(`${c} ${s}`));
      const next = async (): Promise<void> => {
        for (let job = queue.shift(); job; job = queue.shift()) await listOf(job[0], job[1]);
      };
      return Promise.all(Array.from({ length: Math.min(PRELOAD_AT_ONCE, queue.length) }, next)).then(() => undefined);
    },
  };
}

/** Lists asked of the host at once while replay preloads them (each is up to 3 pages one after the other). */
const PRELOAD_AT_ONCE = 4;

/** What the host answers for [f, t) when `all` is every segment of [fromMs, toMs) and `all.nextMs` the first start after it. */
export function windowOf(all: Listed, f: number, t: number): Listed {
  const segments = all.segments.filter((s) => s.endMs > f && s.startMs < t).slice(0, MAX_LISTED);
  const after = segments.length === MAX_LISTED ? (segments.at(-1) as PlaybackSegment).endMs : t;
  const next = all.segments.find((s) => s.startMs >= after);
  return { segments, nextMs: next ? next.startMs : all.nextMs, ...(all.stream ? { stream: all.stream } : {}) };
}
