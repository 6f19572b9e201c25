/**
 * Loopback HTTP + WebSocket server shared by both shells: the web shell serves the renderer and the request
 * channel from it; the desktop shell uses only its frame channel. Every request must name this server in its Host
 * header and come from its own page or none (request-gate.ts: DNS rebinding, other pages), and every WebSocket and
 * recording route needs the per-start token too.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventMessage } from '../contract/api.js';
import { dispatch, MAX_REQUEST_BYTES } from './dispatch.js';
import { FrameSender, SlotTable, type FrameSource } from './frame-server.js';
import type { Host } from './host.js';
import { serveReviewHttp } from './review/review-http.js';
import { parseSeekParts } from '../contract/seek-parts.js';
import { requestGate, type RequestGate } from './request-gate.js';
import { serveMapHttp } from './map/map-http.js';

export const CSP = "default-src 'self'; connect-src 'self' ws: http://127.0.0.1:*; media-src 'self' blob:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.wav': 'audio/wav', '.ico': 'image/x-icon',
};

export interface HttpServerOptions {
  host: Host;
  /** Folder with the built renderer (index.html, app.js); omit to serve no pages (desktop shell). */
  staticDir?: string;
  bind?: string;
  port?: number;
  token?: string;
  /** Names other than the bound address this server is reached by (--allow-host), without port. */
  allowedHosts?: readonly string[];
  /** Accept the Origins of file:// windows; default: when no pages are served (the desktop shell). */
  fileOrigins?: boolean;
}

export interface RunningServer {
  server: Server;
  port: number;
  token: string;
  origin: string;
  frameSockets: () => FrameSender[];
  close(): Promise<void>;
}

export function newToken(): string { return randomBytes(24).toString('base64url'); }

function tokenOk(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The camera a /rec/ path names (segments of either stream, thumbnails, clips `<camera>_<start>_<end>.mp4`), or null. */
function recCamera(path: string): string | null {
  const m = /^\/rec\/(?:seg|sub|thumb|pkg\/[A-Za-z0-9_-]{1,64})\/([a-z0-9][a-z0-9_-]{0,63})\//.exec(path) ?? /^\/rec\/clip\/([a-z0-9][a-z0-9_-]{0,63})_\d+_\d+\.mp4$/.exec(path);
  return m ? m[1]! : null;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const { host } = opts;
  const log = host.log.child('http');
  const token = opts.token ?? newToken();
  const bind = opts.bind ?? '127.0.0.1';
  const files = new Map<string, Buffer>(); // renderer files are read once: the set is fixed at build time

  const serveStatic = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let name = url.pathname === '/' ? '/index.html' : url.pathname;
    if (!opts.staticDir || !/^\/[A-Za-z0-9._-]+$/.test(name)) { res.writeHead(404).end('not found'); return; }
    name = name.slice(1);
    let body = files.get(name);
    if (!body) {
      const p = join(opts.staticDir, name);
      if (!existsSync(p)) { res.writeHead(404).end('not found'); return; }
      body = readFileSync(p);
      files.set(name, body);
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(name)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    res.end(body);
  };

  let gate: RequestGate = () => 'starting';
  const refusal = (req: IncomingMessage): string | null => {
    const why = gate({ host: req.headers.host, origin: req.headers.origin });
    if (why) log.warn('request refused', { path: (req.url ?? '').split('?')[0]?.slice(0, 100), reason: why });
    return why;
  };

  const server = createServer((req, res) => {
    const why = refusal(req);
    if (why) { res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`forbidden: ${why}\n`); return; }
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
    if (req.url?.startsWith('/healthz')) { res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'); return; }
    if (req.url?.startsWith('/rec/')) { // issue 4: playback clips; issue 12: a session with viewRecordings on the camera
      const url = new URL(req.url, 'http://x');
      // one camera per route, or each camera of a seek's parts (/rec/parts): every one needs viewRecordings
      const recIds = url.pathname === '/rec/parts' ? [...new Set((parseSeekParts(url.searchParams.getAll('p')) ?? []).map((p) => p.cameraId))] : [recCamera(url.pathname)].filter((x) => x !== null);
      for (const id of recIds.length ? recIds : [null]) {
        const refusal = host.gate.httpRefusal(url.searchParams.get('token'), id, url.pathname);
        if (refusal) { res.writeHead(refusal.status, { 'content-type': 'text/plain' }).end(refusal.message); return; }
      }
      const viewer = recIds.length ? host.access.viewerOfToken(url.searchParams.get('token'), `web:${req.socket.remoteAddress ?? 'unknown'}`, url.searchParams.get('display')?.slice(0, 64)) : null;
      if (viewer) res.once('finish', () => { if (res.statusCode < 400) for (const id of recIds) host.access.views.recordingFetched(viewer, id); });
      serveReviewHttp(req, res, host.review.clips, () => true, (id) => host.replay.footage(id), (id, cameraId, atMs) => host.replay.thumbnail(id, cameraId, atMs));
      return;
    }
    if (req.url?.startsWith('/map/')) { serveMapHttp(req, res, () => host.map.files(), { refusal: (t, path) => host.gate.sessionRefusal(t, path) }); return; } // issue 10: basemap, plans
    serveStatic(req, res);
  });
  const wssApi = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  const wssFrames = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  const slots = new SlotTable();
  const frameSockets = new Set<FrameSender>();
  let port = 0;

  let frameSeq = 0;
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // Issue 12: the start token opens only the sign-in page (/api); a live session's token opens /api signed in and /frames.
    const given = url.searchParams.get('token');
    const isStart = tokenOk(token, given);
    const session = !isStart && given ? host.access.tokenSession(given) : null;
    const why = refusal(req) ?? (!isStart && !session ? 'bad token' : url.pathname === '/frames' && !session ? 'not signed in' : null);
    if (why) {
      if (why === 'bad token' || why === 'not signed in') log.warn('websocket refused', { path: url.pathname, reason: why });
      const body = `forbidden: ${why}\n`;
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      return;
    }
    const source = `web:${req.socket.remoteAddress ?? 'unknown'}`;
    if (url.pathname === '/api') wssApi.handleUpgrade(req, socket, head, (ws) => onApi(ws, url, source, session ? given : null));
    else if (url.pathname === '/frames') wssFrames.handleUpgrade(req, socket, head, (ws) => {
      const binding = host.access.connect(`frames-${++frameSeq}`, source, given);
      // issue 12: what the socket sends is what its session watches (the viewing audit, view-audit.ts)
      // a trainee console's scenario cameras come from its training session's footage (issue 11 §2)
      const frames: FrameSource = { subscribeFrames: (id, cb) => host.trainingCameras.follow(host.frames, () => binding.clientId, id, cb) };
      const fs: FrameSender = new FrameSender(ws, frames, slots, log, (ids) => {
        const ok = host.gate.framesAllowed(binding, ids);
        host.access.views.liveSet(binding.clientId, host.access.viewerOf(binding, fs.clientId || undefined), ok);
        return ok;
      });
      const off = host.access.onSessionChange((hash) => { if (hash === binding.tokenHash || binding.tokenHash === null) fs.recheck(); });
      frameSockets.add(fs);
      ws.on('close', () => {
        frameSockets.delete(fs); off();
        host.access.views.liveSet(binding.clientId, host.access.viewerOf(binding, fs.clientId || undefined), []);
        host.access.disconnect(binding.clientId);
      });
    });
    else socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  });

  let clientSeq = 0;
  const onApi = (ws: WebSocket, url: URL, source: string, sessionToken: string | null) => {
    const clientId = `web-${++clientSeq}-${(url.searchParams.get('display') ?? 'main').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32)}`;
    host.access.connect(clientId, source, sessionToken);
    const offEvents = host.onEvent((raw: EventMessage) => {
      const msg = host.eventFor(clientId, raw); // what this connection asked for and may see (host.ts)
      if (msg && ws.readyState === ws.OPEN && ws.bufferedAmount < 8_000_000) ws.send(JSON.stringify(msg));
    });
    ws.on('message', async (data, isBinary) => {
      if (isBinary) return;
      let parsed: unknown;
      try { parsed = JSON.parse(data.toString()); } catch { log.warn('api: malformed JSON dropped'); return; }
      const reply = await dispatch(host.service, parsed, clientId, log);
      if (reply && ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
    });
    ws.on('close', () => { offEvents(); host.clientGone(clientId); host.access.disconnect(clientId); });
    ws.on('error', () => ws.close());
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, bind, () => { server.off('error', reject); resolve(); });
  });
  port = (server.address() as AddressInfo).port;
  gate = requestGate({ bind, port, ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}), fileOrigins: opts.fileOrigins ?? !opts.staticDir });
  const origin = `http://${bind === '0.0.0.0' ? '127.0.0.1' : bind}:${port}`;
  return {
    server, port, token, origin,
    frameSockets: () => [...frameSockets],
    close: () => new Promise<void>((resolve) => {
      for (const ws of wssApi.clients) ws.terminate();
      for (const ws of wssFrames.clients) ws.terminate();
      server.close(() => resolve());
      server.closeAllConnections?.();
    }),
  };
}
