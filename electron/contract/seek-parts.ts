/**
 * `GET /rec/parts?token=&p=…&p=…`: the first part of several recorded segments in one HTTP response (a replay or review
 * seek moves up to 16 tiles; one request each queued on Chromium's 6 connections to the host). Each `p` names what
 * `GET /rec/<seg|sub>/<camera>/<startMs>.mp4?at=<atMs>` serves (the init and the GOP holding the picture `atMs` after the
 * segment's start): `<seg|sub>/<camera>/<startMs>/<atMs>`. The answer's body is the parts one after the other, in the
 * order asked; the header `x-kuzet-parts` gives each part's length in bytes, or -1 for a part the host has not (the
 * player then asks for that segment alone). Used by the host's route (electron/host/review/review-http.ts) and the page
 * (renderer/review/seek-parts.ts).
 */
import { z } from 'zod';
import { CameraId } from './schemas.js';

/** At most this many parts in one request (a 4x4 grid). */
export const MAX_SEEK_PARTS = 16;

/** The answer's header listing each part's length (-1: not there). */
export const SEEK_PARTS_HEADER = 'x-kuzet-parts';

/** One segment's first part: the stream's route, camera, the segment's start and the picture's offset into it (ms). */
export const SeekPart = z.object({
  route: z.enum(['seg', 'sub']),
  cameraId: CameraId,
  startMs: z.number().int().min(0).max(8.64e15),
  atMs: z.number().int().min(0).max(86_400_000),
});
export type SeekPart = z.infer<typeof SeekPart>;

export const SeekParts = z.array(SeekPart).min(1).max(MAX_SEEK_PARTS);

/** Each part's length in the answer's body, in order; -1 for a part the host has not. */
export const SeekPartLengths = z.array(z.number().int().min(-1)).max(MAX_SEEK_PARTS);

/** A part as the `p` query value. */
export function seekPartParam(p: SeekPart): string {
  return `${p.route}/${p.cameraId}/${p.startMs}/${p.atMs}`;
}

/** The part a single segment's `at` URL asks for (`/rec/seg|sub/<camera>/<startMs>.mp4?at=<ms>`), or null for any other URL. */
export function seekPartOf(url: string): SeekPart | null {
  const m = /^\/rec\/(seg|sub)\/([a-z0-9][a-z0-9_-]{0,63})\/(\d{1,16})\.mp4\?at=(\d{1,9})$/.exec(url);
  if (!m) return null;
  const r = SeekPart.safeParse({ route: m[1], cameraId: m[2], startMs: Number(m[3]), atMs: Number(m[4]) });
  return r.success ? r.data : null;
}

/** The `p` values of a request, validated: null when any is malformed or there are none or too many. */
export function parseSeekParts(values: readonly string[]): SeekPart[] | null {
  const parts = values.map((v) => {
    const m = /^(seg|sub)\/([^/]{1,64})\/(\d{1,16})\/(\d{1,9})$/.exec(v);
    return m ? { route: m[1], cameraId: m[2], startMs: Number(m[3]), atMs: Number(m[4]) } : null;
  });
  const r = SeekParts.safeParse(parts);
  return r.success ? r.data : null;
}
