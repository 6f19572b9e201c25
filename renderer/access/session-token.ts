/**
 * The console's tokens: the per-start token (opens only the sign-in page) and, once signed in, the session token that
 * opens the API signed in, the frame channel and the recordings. Kept in sessionStorage so a reload stays signed in.
 */
const START_KEY = 'kuzet.token';
const SESSION_KEY = 'kuzet.session';

function storage(): Storage | null { try { return window.sessionStorage; } catch { return null; } }

let session: string | null = null;

/** Reads `?session=` (the demo starts signed in) and removes it from the address bar. */
export function readSessionParam(loc: Location = window.location): string | null {
  const q = new URLSearchParams(loc.search);
  const fromUrl = q.get('session');
  session = fromUrl ?? storage()?.getItem(SESSION_KEY) ?? null;
  if (fromUrl) {
    storage()?.setItem(SESSION_KEY, fromUrl);
    dropParam(loc, 'session');
  }
  return session;
}

/** Removes a parameter from the address bar (history.replaceState: no new history entry, nothing reloads). */
function dropParam(loc: Location, name: string): void {
  const q = new URLSearchParams(loc.search);
  q.delete(name);
  const rest = q.toString();
  try { window.history.replaceState(null, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`); } catch { /* not fatal */ }
}

/**
 * Reads `?ticket=` (the map window the host started carries a one-time sign-in ticket, issue 10) and removes it from
 * the address bar at once: it is good once, and a reload must not present it again.
 */
export function readTicketParam(loc: Location = window.location): string | null {
  const ticket = new URLSearchParams(loc.search).get('ticket');
  if (ticket !== null) dropParam(loc, 'ticket');
  return ticket;
}

export function sessionToken(): string | null { return session; }

export function setSessionToken(token: string | null): void {
  session = token;
  if (token) storage()?.setItem(SESSION_KEY, token); else storage()?.removeItem(SESSION_KEY);
}

export function startToken(): string | null { return storage()?.getItem(START_KEY) ?? null; }

/** A host URL (frame channel, recordings) with the session's token in place of the start token. */
export function withSession(url: string): string {
  if (!session) return url;
  const hasQuery = url.includes('?');
  if (/[?&]token=[^&]*/.test(url)) return url.replace(/([?&]token=)[^&]*/, `$1${encodeURIComponent(session)}`);
  return `${url}${hasQuery ? '&' : '?'}token=${encodeURIComponent(session)}`;
}
