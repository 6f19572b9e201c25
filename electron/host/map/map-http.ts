/**
 * The map's HTTP routes on the loopback server (issue 10 §1): the PMTiles basemap (`/map/basemap.pmtiles`, read with
 * HTTP range requests) and site plan images (`/map/plan/<id>`). Behind the request gate like every route, and a
 * signed-in, unlocked session's token (`?token=`); only files map.json names are served, never a path from the URL.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MapFiles } from './map-files.js';

export interface MapHttpAccess {
  /** Null when the token opens the map's files, else the status and the reason (written to the audit by the caller). */
  refusal(token: string | null, path: string): { status: number; message: string } | null;
}

export function serveMapHttp(req: IncomingMessage, res: ServerResponse, files: () => MapFiles, access: MapHttpAccess): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const refused = access.refusal(url.searchParams.get('token'), url.pathname);
  if (refused) { res.writeHead(refused.status, { 'content-type': 'text/plain; charset=utf-8' }).end(refused.message); return; }
  const file = files().files.get(url.pathname);
  if (!file) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
  let size: number;
  try { size = statSync(file.path).size; } catch { res.writeHead(404, { 'content-type': 'text/plain' }).end('gone'); return; }
  const headers = { 'content-type': file.type, 'accept-ranges': 'bytes', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  let part: { start: number; end: number } | undefined;
  if (range && !(range[1] === '' && range[2] === '')) {
    const start = Math.max(0, range[1] === '' ? size - Number(range[2]) : Number(range[1]));
    const end = Math.min(size - 1, range[1] === '' || range[2] === '' ? size - 1 : Number(range[2]));
    if (start > end || start >= size) { res.writeHead(416, { 'content-range': `bytes */${size}` }).end(); return; }
    part = { start, end };
    res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}` });
  } else {
    res.writeHead(200, { ...headers, 'content-length': size });
  }
  if (req.method === 'HEAD') { res.end(); return; }
  createReadStream(file.path, part).on('error', () => res.destroy()).pipe(res);
}
