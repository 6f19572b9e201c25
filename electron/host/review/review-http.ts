/**
 * HTTP routes of review (token-protected like the WebSockets): `GET /rec/clip/<name>?token=` serves a
 * cached playback clip with Range support (the <video> element seeks and steps inside it);
 * `GET /rec/thumb/<camera>/<epochMs>.jpg?token=` a timeline hover thumbnail.
 * Only names the clip cache made are served: no path from the request reaches the file system.
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
      createReadStream(p).pipe(res);
    }, () => res.writeHead(500).end());
    return;
  }
  const m = /^\/rec\/clip\/([^/]+)$/.exec(url.pathname);
  const path = m ? clips.pathOf(decodeURIComponent(m[1] as string)) : null;
  if (!path) { res.writeHead(404, { 'content-type': 'text/plain' }).end('no such clip'); return; }
  const size = statSync(path).size;
  const headers = { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range || (range[1] === '' && range[2] === '')) {
    res.writeHead(200, { ...headers, 'content-length': size });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(path).pipe(res);
    return;
  }
  let start = range[1] === '' ? size - Number(range[2]) : Number(range[1]);
  let end = range[1] === '' || range[2] === '' ? size - 1 : Number(range[2]);
  start = Math.max(0, start);
  end = Math.min(size - 1, end);
  if (start > end || start >= size) { res.writeHead(416, { 'content-range': `bytes */${size}` }).end(); return; }
  res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}` });
  if (req.method === 'HEAD') { res.end(); return; }
  createReadStream(path, { start, end }).pipe(res);
}
