/**
 * Which requests the loopback server answers, before any token is looked at (DNS rebinding, other pages): the Host
 * header must name this server (its address or `localhost` with its port, or a name given with --allow-host when bound
 * elsewhere), and an Origin header, when there is one, must be this server's own origin. The desktop shell's windows
 * are file:// pages talking to a server that serves no pages, so that server also takes the Origins `file://`, `null`
 * and `app://...`; the web shell refuses them.
 */
import { networkInterfaces } from 'node:os';

export interface GateOptions {
  bind: string;
  port: number;
  /** Extra host names (a DNS name or address) this server is reached by, without port. */
  allowedHosts?: readonly string[];
  /** Accept the Origins of file:// windows (desktop shell). */
  fileOrigins?: boolean;
}

/** Returns null when the request may go on, or the reason it is refused (sent with the 403). */
export type RequestGate = (headers: { host?: string | undefined; origin?: string | undefined }) => string | null;

const hostPort = (host: string, port: number) => `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`.toLowerCase();

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
}

export function requestGate(o: GateOptions): RequestGate {
  const wildcard = o.bind === '0.0.0.0' || o.bind === '::';
  const loopback = wildcard || o.bind === '127.0.0.1' || o.bind === '::1' || o.bind === 'localhost';
  const names = [...(wildcard ? localAddresses() : [o.bind]), ...(loopback ? ['localhost', '127.0.0.1'] : []), ...(o.allowedHosts ?? [])];
  const hosts = new Set(names.map((n) => hostPort(n, o.port)));
  if (o.port === 80) for (const n of names) hosts.add(hostPort(n, 80).replace(/:80$/, ''));
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  return ({ host, origin }) => {
    if (!host) return 'the request has no Host header';
    if (!hosts.has(host.toLowerCase())) return `Host '${host.slice(0, 100)}' is not this console (allowed: ${[...hosts].join(', ')}; a DNS rebinding attempt, or a name to add with --allow-host)`;
    if (origin === undefined) return null;
    if (origins.has(origin.toLowerCase())) return null;
    if (o.fileOrigins && (origin === 'null' || origin === 'file://' || origin.startsWith('app://'))) return null;
    return `Origin '${origin.slice(0, 100)}' is not this console's page`;
  };
}
