/**
 * Chooses the transport at start: the Electron preload when `window.kuzet` exists, else the web shell's
 * WebSocket on the page's origin with the token from `?token=` (kept in sessionStorage afterwards).
 */
import { electronTransport, webSocketTransport, type PreloadApi, type Transport } from './transport.js';
import { sessionToken } from '../access/session-token.js';

export interface StartParams { token: string | null; displayId: string | null }

const TOKEN_KEY = 'kuzet.token';
const DISPLAY_KEY = 'kuzet.display';

function storage(): Storage | null {
  try { return window.sessionStorage; } catch { return null; }
}

/** Reads token and display from the URL, falls back to sessionStorage, and removes the token from the address bar. */
export function readStartParams(loc: Location = window.location): StartParams {
  const q = new URLSearchParams(loc.search);
  const store = storage();
  const token = q.get('token') ?? store?.getItem(TOKEN_KEY) ?? null;
  const displayId = q.get('display') ?? store?.getItem(DISPLAY_KEY) ?? null;
  if (token) store?.setItem(TOKEN_KEY, token);
  if (displayId) store?.setItem(DISPLAY_KEY, displayId);
  if (q.has('token')) {
    q.delete('token');
    const rest = q.toString();
    try { window.history.replaceState(null, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`); } catch { /* not fatal */ }
  }
  return { token, displayId };
}

/** Turns a host-relative or http(s) URL into a ws(s) URL on the page's origin. */
export function toWebSocketUrl(pathOrUrl: string, origin: string = window.location.origin): string {
  const base = origin.startsWith('http') ? origin : 'http://127.0.0.1';
  const u = new URL(pathOrUrl, base);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.toString();
}

export function chooseTransport(params: StartParams): Transport {
  const preload = (window as unknown as { kuzet?: PreloadApi }).kuzet;
  if (preload && typeof preload.invoke === 'function' && typeof preload.onEvent === 'function') return electronTransport(preload);
  if (!params.token && !sessionToken()) throw new Error('no access token: open the address the host printed (it ends with ?token=...)');
  // Signed in, a reconnect presents the session's token (issue 12); before that the start token opens the sign-in page.
  const display = params.displayId ? `&display=${encodeURIComponent(params.displayId)}` : '';
  return webSocketTransport(() => toWebSocketUrl(`/api?token=${encodeURIComponent(sessionToken() ?? params.token ?? '')}${display}`));
}
