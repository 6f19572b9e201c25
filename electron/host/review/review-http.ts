/**
 * HTTP routes of review (token-protected like the WebSockets): `GET /rec/seg/<camera>/<startMs>.mp4?token=`
 * serves one indexed recorded segment of the main stream as it is on disk (the MSE player appends it), `/rec/sub/…` one
 * of the sub-stream (segmentUrl); with `&at=<ms>` only its init
 * and the GOP holding the picture `ms` after the segment's start (what a seek needs first), with `&rest=<ms>` the init
 * and every other fragment; `GET /rec/parts?token=&p=…` the `at` parts of up to 16 segments in one response (a seek's
 * tiles: contract/seek-parts.ts); `GET /rec/clip/<name>?token=`
 * a cached remuxed clip, with Range support;
 * `GET /rec/thumb/<camera>/<epochMs>.jpg?token=` a timeline hover thumbnail;
 * `GET /rec/pkg/<incident>/<camera>/<startMs>.mp4?token=` a piece of an imported incident package's video, served as a
 * segment is (with `at` and `rest`; its own indexed pieces only, masked the same way);
 * `GET /rec/pkg/<incident>/<camera>/<epochMs>.jpg?token=` a replay's hover thumbnail: an imported incident's from its
 * package's video, this console's own incident's from its recordings.
 * Only indexed segments and names the clip cache made are served: no path from the request reaches the file system.
 * A camera with permanent privacy masks is served masked only (segments, clips, thumbnails; docs/masks.md).
 */
import { createReadStream, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamProfile } from '../../contract/schemas.js';
import { MAX_SEEK_PARTS, parseSeekParts, SEEK_PARTS_HEADER, type SeekPart } from '../../contract/seek-parts.js';
import type { PlaybackClips } from './playback-clips.js';
import { fragmentsFor, readSegmentLayout, type SegmentLayout } from './segment-layout.js';

/** What the review routes use of the clip cache (a test serves files through the same routes with a stand-in). */
export type ReviewFiles = Pick<PlaybackClips, 'thumbnail' | 'segmentPath' | 'masked' | 'pathOf' | 'maskedSegment'>;

/** The path a recorded segment is served at (`playback.segments` lists it; the route below reads it back). */
export function segmentUrl(cameraId: string, startMs: number, stream: StreamProfile): string {
  return `/rec/${stream === 'sub' ? 'sub' : 'seg'}/${cameraId}/${startMs}.mp4`;
}

export function serveReviewHttp(req: IncomingMessage, res: ServerResponse, clips: ReviewFiles, tokenOk: (t: string | null) => boolean,
  packageFiles?: (incidentId: string) => ReviewFiles | null,
  replayThumbnail?: (incidentId: string, cameraId: string, atMs: number) => Promise<string | null>): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (!tokenOk(url.searchParams.get('token'))) { res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden'); return; }
  const thumb = /^\/rec\/thumb\/([a-z0-9][a-z0-9_-]{0,63})\/(\d{1,16})\.jpg$/.exec(url.pathname);
  if (thumb) { sendThumbnail(res, clips.thumbnail(thumb[1] as string, Number(thumb[2]))); return; }
  const pkgThumb = /^\/rec\/pkg\/([A-Za-z0-9_-]{1,64})\/([a-z0-9][a-z0-9_-]{0,63})\/(\d{1,16})\.jpg$/.exec(url.pathname);
  if (pkgThumb) { sendThumbnail(res, replayThumbnail?.(pkgThumb[1] as string, pkgThumb[2] as string, Number(pkgThumb[3])) ?? Promise.resolve(null)); return; }
  if (url.pathname === '/rec/parts') {
    const parts = parseSeekParts(url.searchParams.getAll('p'));
    if (!parts) { res.writeHead(400, { 'content-type': 'text/plain' }).end(`1 to ${MAX_SEEK_PARTS} parts: p=<seg|sub>/<camera>/<startMs>/<atMs>`); return; }
    void sendSeekParts(res, clips, parts);
    return;
  }
  const seg = /^\/rec\/(seg|sub)\/([a-z0-9][a-z0-9_-]{0,63})\/(\d{1,16})\.mp4$/.exec(url.pathname);
  if (seg) { sendSegment(req, res, clips, seg[2] as string, Number(seg[3]), url, seg[1] === 'sub' ? 'sub' : 'main'); return; }
  const pkg = /^\/rec\/pkg\/([A-Za-z0-9_-]{1,64})\/([a-z0-9][a-z0-9_-]{0,63})\/(\d{1,16})\.mp4$/.exec(url.pathname);
  if (pkg) {
    const files = packageFiles?.(pkg[1] as string);
    if (!files) { res.writeHead(404, { 'content-type': 'text/plain' }).end('no such package video'); return; }
    sendSegment(req, res, files, pkg[2] as string, Number(pkg[3]), url);
    return;
  }
  const m = /^\/rec\/clip\/([^/]+)$/.exec(url.pathname);
  const path = m ? clips.pathOf(decodeURIComponent(m[1] as string)) : null;
  if (!path) { res.writeHead(404, { 'content-type': 'text/plain' }).end('no such clip'); return; }
  sendFile(req, res, path, 'no-store');
}

/** A thumbnail JPEG once made; 404 when there is no footage at that moment. */
function sendThumbnail(res: ServerResponse, made: Promise<string | null>): void {
  void made.then((p) => {
    if (!p) { res.writeHead(404, { 'content-type': 'text/plain' }).end('nothing recorded then'); return; }
    res.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'max-age=3600', 'x-content-type-options': 'nosniff' });
    stream(p, res);
  }, () => res.writeHead(500).end());
}

/** One indexed segment (or package piece) as it is on disk, its `at`/`rest` parts, or its masked copy. */
function sendSegment(req: IncomingMessage, res: ServerResponse, clips: ReviewFiles, cameraId: string, startMs: number, url: URL, stream: StreamProfile = 'main'): void {
  const path = clips.segmentPath(cameraId, startMs, stream);
  if (!path) { res.writeHead(404, { 'content-type': 'text/plain' }).end('no such segment'); return; }
  if (clips.masked(cameraId)) { void sendMasked(req, res, clips, cameraId, startMs, path, url, stream); return; }
  // a recorded segment never changes once closed (retention may delete it: then 404)
  const at = url.searchParams.get('at');
  const rest = url.searchParams.get('rest');
  const part = at !== null ? { rest: false, ms: Number(at) } : rest !== null ? { rest: true, ms: Number(rest) } : null;
  if (part && Number.isFinite(part.ms)) { void sendPart(res, path, part.ms, part.rest); return; }
  sendFile(req, res, path, 'private, max-age=3600');
}

/**
 * A segment of a camera with permanent masks: only its masked copy leaves the host (made on first request, cached).
 * The copy is sent whole for `at` (the GOP a seek needs is in it) and as nothing for `rest`, so the two parts together
 * are the file once, as for a file the layout reader does not know. No copy (ffmpeg failed): 503, never the original.
 */
async function sendMasked(req: IncomingMessage, res: ServerResponse, clips: ReviewFiles, cameraId: string, startMs: number, source: string, url: URL, stream: StreamProfile): Promise<void> {
  const masked = await clips.maskedSegment(cameraId, startMs, source, stream).catch(() => null);
  if (!masked) { res.writeHead(503, { 'content-type': 'text/plain' }).end('the masked copy of this segment could not be made'); return; }
  if (url.searchParams.get('rest') !== null) {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 0, 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' }).end();
    return;
  }
  sendFile(req, res, masked, 'private, max-age=3600');
}

const layouts = new Map<string, { size: number; layout: SegmentLayout | null }>();

/** Layouts of recently served segments (a segment is read again for the rest of its fragments right after a seek). */
async function layoutOf(path: string, size: number): Promise<SegmentLayout | null> {
  const hit = layouts.get(path);
  if (hit && hit.size === size) return hit.layout;
  const layout = await readSegmentLayout(path);
  layouts.set(path, { size, layout });
  if (layouts.size > 256) layouts.delete(layouts.keys().next().value as string);
  return layout;
}

/**
 * Init + the GOP holding msIn (rest = false), or init + every other fragment (rest = true). A file this reader
 * does not know is sent whole for the GOP and as nothing for the rest, so the two together are always the file once.
 */
async function sendPart(res: ServerResponse, path: string, msIn: number, rest: boolean): Promise<void> {
  try {
    const out = await partBytes(path, msIn, rest);
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': out.length, 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' });
    res.end(out);
  } catch {
    if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }).end('gone'); else res.destroy();
  }
}

/** The bytes sendPart sends; throws when the file is gone. */
async function partBytes(path: string, msIn: number, rest: boolean): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const layout = await layoutOf(path, size);
    let ranges: Array<[number, number]>;
    if (!layout) ranges = rest ? [] : [[0, size]];
    else {
      const f = layout.fragments;
      const [k, j] = fragmentsFor(layout, msIn);
      const gop: [number, number] = [f[k]!.start, f[j]!.end];
      ranges = [[0, layout.initEnd]];
      if (!rest) ranges.push(gop);
      else {
        if (k > 0) ranges.push([f[0]!.start, gop[0]]);
        if (j + 1 < f.length) ranges.push([gop[1], f[f.length - 1]!.end]);
      }
    }
    const out = Buffer.alloc(ranges.reduce((n, [a, b]) => n + b - a, 0));
    let o = 0;
    for (const [a, b] of ranges) { await fh.read(out, o, b - a, a); o += b - a; }
    return out;
  } finally { await fh.close(); }
}

/**
 * `GET /rec/parts` (contract/seek-parts.ts): the `at` part of each segment asked, one after the other, in one response;
 * a segment not indexed (or its masked copy not made) is -1 in the lengths and the page asks for it alone. A camera with
 * permanent masks gives its masked copy whole, as `at` does alone.
 */
async function sendSeekParts(res: ServerResponse, clips: ReviewFiles, parts: readonly SeekPart[]): Promise<void> {
  const bodies = await Promise.all(parts.map(async (p): Promise<Buffer | null> => {
    const stream: StreamProfile = p.route === 'sub' ? 'sub' : 'main';
    const path = clips.segmentPath(p.cameraId, p.startMs, stream);
    if (!path) return null;
    try {
      if (!clips.masked(p.cameraId)) return await partBytes(path, p.atMs, false);
      const masked = await clips.maskedSegment(p.cameraId, p.startMs, path, stream);
      return masked ? await readFile(masked) : null;
    } catch { return null; }
  }));
  const lengths = bodies.map((b) => (b ? b.length : -1));
  const out = Buffer.concat(bodies.flatMap((b) => (b ? [b] : [])));
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': out.length, [SEEK_PARTS_HEADER]: JSON.stringify(lengths), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(out);
}

/** An MP4 file with Range support. */
function sendFile(req: IncomingMessage, res: ServerResponse, path: string, cache: string): void {
  let size: number;
  try { size = statSync(path).size; } catch { res.writeHead(404, { 'content-type': 'text/plain' }).end('gone'); return; }
  const headers = { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'cache-control': cache, 'x-content-type-options': 'nosniff' };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range || (range[1] === '' && range[2] === '')) {
    res.writeHead(200, { ...headers, 'content-length': size });
    if (req.method === 'HEAD') { res.end(); return; }
    // the bytes the length says, no more: a file that grew since the stat (a segment indexed while its writer still
    // finished it) sent its extra bytes after the response, into the next one on the same connection
    if (size > 0) stream(path, res, { start: 0, end: size - 1 }); else res.end();
    return;
  }
  let start = range[1] === '' ? size - Number(range[2]) : Number(range[1]);
  let end = range[1] === '' || range[2] === '' ? size - 1 : Number(range[2]);
  start = Math.max(0, start);
  end = Math.min(size - 1, end);
  if (start > end || start >= size) { res.writeHead(416, { 'content-range': `bytes */${size}` }).end(); return; }
  res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}` });
  if (req.method === 'HEAD') { res.end(); return; }
  stream(path, res, { start, end });
}

/** A file deleted between stat and read (retention) ends the response; it never throws into the host. */
function stream(path: string, res: ServerResponse, range?: { start: number; end: number }): void {
  createReadStream(path, range).on('error', () => res.destroy()).pipe(res);
}
