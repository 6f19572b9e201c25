/**
 * HTTP routes of review (token-protected like the WebSockets): `GET /rec/seg/<camera>/<startMs>.mp4?token=`
 * serves one indexed recorded segment as it is on disk (the MSE player appends it); `GET /rec/clip/<name>?token=`
 * a cached remuxed clip, with Range support;
 * `GET /rec/thumb/<camera>/<epochMs>.jpg?token=` a timeline hover thumbnail.
 * Only indexed segments and names the clip cache made are served: no path from the request reaches the file system.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlaybackClips } from './playback-clips.js';

export function serveReviewHttp(req: IncomingMessage, res: ServerResponse, clips: PlaybackClips, tokenOk: (t: string | null) => boolean): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (!tokenOk(url.searchParams.get('token'))) { res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden'); return; }
  const thumb = /^\/rec\/thumb\/([a-z0-9][a-z0-9_-]{0,63})\/(\d{1,16})\.jpg$/.exec(url.pathname);
  if (thumb) {
    void clips.thumbnail(thumb[1] as string, Number(thumb[2])).then((p) => {
      if (!p) { res.writeHead(404, { 'content-type': 'text/plain' }).end('nothing recorded then'); return; }
      res.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'max-age=3600', 'x-content-type-options': 'nosniff' });
      stream(p, res);
    }, () => res.writeHead(500).end());
    return;
  }
  const seg = /^\/rec\/seg\/([a-z0-9][a-z0-9_-]{0,63})\/(\d{1,16})\.mp4$/.exec(url.pathname);
  if (seg) {
    const path = clips.segmentPath(seg[1] as string, Number(seg[2]));
    if (!path) { res.writeHead(404, { 'content-type': 'text/plain' }).end('no such segment'); return; }
    // a recorded segment never changes once closed (retention may delete it: then 404)
    sendFile(req, res, path, 'private, max-age=3600');
    return;
  }
  const m = /^\/rec\/clip\/([^/]+)$/.exec(url.pathname);
  const path = m ? clips.pathOf(decodeURIComponent(m[1] as string)) : null;
  if (!path) { res.writeHead(404, { 'content-type': 'text/plain' }).end('no such clip'); return; }
  sendFile(req, res, path, 'no-store');
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
    stream(path, res);
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
