/**
 * A drone whose position comes from its own video (issue 10 §3): reads the MPEG-TS stream at `url`, takes the KLV
 * stream out (klv-ts.ts), parses each ST 0601 packet strictly (klv-0601.ts) and hands the unit store the sensor
 * position, altitude, heading and the footprint (four corners) at most `everyMs` apart. Transports, as encoders and
 * ground stations send it: `tcp://host:port` (a raw transport stream served over TCP, as the simulator's KLV drone),
 * `udp://address:port` (datagrams of TS packets sent to this machine; a multicast group address is joined) and
 * `srt://host:port?mode=caller|listener` (read with GStreamer's srtsrc in a child process, bytes untouched). A packet
 * cut off, with a wrong checksum or not a valid Local Set is counted in the store's rejects with its reason, never
 * thrown. A lost connection is retried with a capped back-off (1, 5, 10, 30 s), and a generation counter lets an old
 * connection's handlers exit by themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from '../log.js';
import { UNIT_TELEMETRY_VERSION, type MapUnit, type UnitTelemetry } from '../../contract/units-schema.js';
import type { UnitStore } from './unit-store.js';
import { parseUas0601, type Uas0601 } from './klv-0601.js';
import { TsKlvDemux } from './klv-ts.js';

export interface KlvSourceOptions {
  /** tcp://host:port, udp://address:port or srt://host:port[?mode=caller|listener] (KlvSourceConfig's url). */
  url: string;
  unitId: string;
  /** The registry camera that shows the drone's video. */
  cameraId?: string;
  /** Shortest gap between positions handed to the store (KLV comes with every frame). */
  everyMs?: number;
}

const BACKOFF_MS = [1000, 5000, 10_000, 30_000];

/** One ST 0601 packet as unit telemetry and ground view; null when it has no sensor position. */
export function klvToTelemetry(k: Uas0601, unitId: string, cameraId?: string): { t: UnitTelemetry; view: Pick<MapUnit, 'footprint' | 'frameCenter'> } | null {
  if (k.sensorLat === undefined || k.sensorLon === undefined) return null;
  const t: UnitTelemetry = {
    v: UNIT_TELEMETRY_VERSION, id: unitId, kind: 'drone', lat: k.sensorLat, lon: k.sensorLon, ts: Math.floor(k.timeUs / 1000),
    ...(k.sensorAlt !== undefined ? { alt: k.sensorAlt } : {}),
    ...(k.heading !== undefined ? { heading: Math.min(360, k.heading) } : {}),
    ...(cameraId ? { cameraId } : {}),
  };
  const view: Pick<MapUnit, 'footprint' | 'frameCenter'> = {};
  if (k.corners) view.footprint = k.corners.map(([lat, lon]): [number, number] => [lon, lat]);
  if (k.frameCenter) view.frameCenter = [k.frameCenter[1], k.frameCenter[0]];
  return { t, view };
}

/** A running connection: bytes in, then one close (an error closes too). */
interface KlvLink { stop(): void }
type LinkEvents = { data(d: Buffer): void; open(): void; error(message: string): void; close(): void };

function isMulticast(host: string): boolean {
  const first = Number(host.split('.')[0]);
  return net.isIPv4(host) && first >= 224 && first <= 239;
}

/** Opens the transport `u` names; exported for tests. */
export function openKlvLink(u: URL, on: LinkEvents): KlvLink {
  if (u.protocol === 'tcp:') {
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    s.on('connect', () => on.open());
    s.on('data', (d: Buffer) => on.data(d));
    s.on('error', (err) => on.error(err.message));
    s.on('close', () => on.close());
    return { stop: () => s.destroy() };
  }
  if (u.protocol === 'udp:') {
    const group = isMulticast(u.hostname);
    const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    let closed = false;
    const close = (): void => { if (!closed) { closed = true; try { s.close(); } catch { /* closed */ } on.close(); } };
    s.on('message', (d: Buffer) => on.data(d));
    s.on('error', (err) => { on.error(err.message); close(); });
    s.bind({ port: Number(u.port), address: group ? '0.0.0.0' : u.hostname }, () => {
      try { if (group) s.addMembership(u.hostname); } catch (e) { on.error(`joining ${u.hostname}: ${(e as Error).message}`); close(); return; }
      on.open();
    });
    return { stop: () => { closed = true; try { s.close(); } catch { /* closed */ } } };
  }
  // srt: GStreamer's srtsrc hands the transport stream's bytes to our stdin untouched (no remux)
  let child: ChildProcess | null = spawn('gst-launch-1.0', ['-q', 'srtsrc', `uri=${u.href}`, '!', 'fdsink', 'fd=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let opened = false;
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { if (!opened) { opened = true; on.open(); } on.data(d); });
  child.stderr!.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-400); });
  child.on('error', (e) => on.error(`gst-launch-1.0 srtsrc: ${e.message}`));
  child.on('exit', (code) => { if (child) { child = null; on.error(`srtsrc ended (${code}): ${err.trim().split('\n').pop() ?? ''}`); on.close(); } });
  return { stop: () => { const c = child; child = null; c?.kill('SIGTERM'); } };
}

export function startKlvSource(opts: KlvSourceOptions & { store: UnitStore; log: Logger }): { stop(): void; stats(): { packets: number; accepted: number; rejected: number } } {
  const u = new URL(opts.url);
  if (!['tcp:', 'udp:', 'srt:'].includes(u.protocol) || !u.port) throw new Error(`KLV source ${opts.url}: tcp://, udp:// or srt://host:port is read`);
  const every = opts.everyMs ?? 200;
  let generation = 0;
  let link: KlvLink | null = null;
  let timer: NodeJS.Timeout | null = null;
  let attempt = 0;
  let stopped = false;
  let lastTs = -Infinity;
  let lastWarn = 0;
  const counts = { packets: 0, accepted: 0, rejected: 0 };
  const warn = (message: string, fields: Record<string, unknown>): void => {
    if (Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    opts.log.warn(message, { unit: opts.unitId, ...fields });
  };

  const connect = (): void => {
    const gen = ++generation;
    const demux = new TsKlvDemux({
      packet: (klv) => {
        if (gen !== generation) return;
        counts.packets += 1;
        const r = parseUas0601(klv);
        if (!r.ok) { counts.rejected += 1; opts.store.reject(r.reason); warn('KLV packet rejected', { reason: r.reason, message: r.message }); return; }
        const m = klvToTelemetry(r.value, opts.unitId, opts.cameraId);
        if (!m) { counts.rejected += 1; opts.store.reject('klv-invalid'); warn('KLV packet rejected', { reason: 'klv-invalid', message: 'no sensor position (tags 13, 14)' }); return; }
        if (m.t.ts - lastTs < every) return;
        const res = opts.store.ingestTelemetry(m.t, m.view);
        if (res.ok) { lastTs = m.t.ts; counts.accepted += 1; } else { counts.rejected += 1; warn('KLV telemetry rejected', { reason: res.reason, message: res.message }); }
      },
      truncated: (message) => {
        if (gen !== generation) return;
        counts.rejected += 1; opts.store.reject('klv-truncated'); warn('KLV packet rejected', { reason: 'klv-truncated', message });
      },
    });
    link = openKlvLink(u, {
      open: () => { if (gen === generation) { attempt = 0; opts.log.info('reading KLV', { unit: opts.unitId, url: opts.url }); } },
      data: (d) => { if (gen === generation) demux.push(d); },
      error: (message) => { if (gen === generation) warn('KLV source unreachable', { url: opts.url, error: message }); },
      close: () => {
        if (gen !== generation || stopped) return;
        demux.end();
        const wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
        attempt += 1;
        timer = setTimeout(connect, wait);
        timer.unref();
      },
    });
  };
  connect();
  return {
    stop() { stopped = true; generation += 1; if (timer) clearTimeout(timer); link?.stop(); },
    stats: () => ({ ...counts }),
  };
}
