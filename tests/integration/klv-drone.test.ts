/**
 * Issue 10 §3, §7 through real processes: the simulator's KLV drone (GStreamer mpegtsmux: H.264 and MISB ST 0601 in
 * one MPEG-TS stream over TCP) reaches the host's unit store through the map module, at a position on the route of
 * resources/map/klv-drone.json with its footprint ahead of it; and bytes of the same real stream, damaged, are refused
 * with their reasons (checksum, truncation) without a throw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { createLogger } from '../../electron/host/log.js';
import { createMapModule, type MapModule } from '../../electron/host/map/map-module.js';
import { greatCircleM } from '../../electron/host/map/unit-store.js';
import { parseUas0601 } from '../../electron/host/map/klv-0601.js';
import { TsKlvDemux } from '../../electron/host/map/klv-ts.js';
import { PROJECT_ROOT } from '../../native/project-root.js';
import { waitFor } from '../support/harness.js';

const route = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'resources/map/klv-drone.json'), 'utf8')) as {
  unitId: string; cameraId: string; altitudeM: number; depressionDeg: number; path: Array<[number, number]>;
};
let sim: Simulator;
let map: MapModule;
const dir = mkdtempSync(path.join(tmpdir(), 'kuzet-klv-'));

beforeAll(async () => {
  sim = await startSimulator({ only: [route.cameraId], klv: true });
  map = createMapModule({ log: createLogger({ quiet: true }), dataDir: dir, emit: () => {} });
}, 120_000);

afterAll(async () => {
  await map?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Metres from a point to the closest leg of the closed route (flat, fine at this scale). */
function offRouteM(lat: number, lon: number): number {
  const pts = [...route.path, route.path[0]!];
  const k = Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  for (let i = 0; i + 1 < pts.length; i++) {
    const [a, b] = [pts[i]!, pts[i + 1]!];
    const ax = a[1] * k, ay = a[0], bx = b[1] * k, by = b[0], px = lon * k, py = lat;
    const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    best = Math.min(best, Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay))) * 111_320);
  }
  return best;
}

/** Some seconds of the drone's raw transport stream. */
function capture(ms: number): Promise<Buffer> {
  const u = new URL(sim.klv!.url);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('error', reject);
    setTimeout(() => { s.destroy(); resolve(Buffer.concat(parts)); }, ms);
  });
}

describe('KLV drone (MISB ST 0601 in MPEG-TS)', () => {
  it('reaches the unit store: position on its route, altitude, heading, footprint ahead of it', async () => {
    expect(sim.klv).toMatchObject({ unitId: route.unitId, camera: route.cameraId });
    expect(sim.klv!.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    map.addKlvSource({ url: sim.klv!.url, unitId: sim.klv!.unitId, cameraId: sim.klv!.camera });
    const first = await waitFor('the KLV drone in the unit store', () => map.store.snapshot().units.find((u) => u.id === route.unitId && u.track.length >= 3) ?? null, 60_000);
    expect(first).toMatchObject({ kind: 'drone', cameraId: route.cameraId, stale: false });
    expect(first.alt).toBeCloseTo(route.altitudeM, 0);
    for (const [lon, lat] of first.track) expect(offRouteM(lat, lon)).toBeLessThan(3);
    // the picture's centre is on the ground ahead: altitude / tan(depression) along the heading
    const ahead = route.altitudeM / Math.tan((route.depressionDeg * Math.PI) / 180);
    const [cLon, cLat] = first.frameCenter!;
    expect(greatCircleM(first.lat, first.lon, cLat, cLon)).toBeGreaterThan(ahead - 3);
    expect(greatCircleM(first.lat, first.lon, cLat, cLon)).toBeLessThan(ahead + 3);
    const bearing = (Math.atan2((cLon - first.lon) * Math.cos((first.lat * Math.PI) / 180), cLat - first.lat) * 180) / Math.PI;
    expect(Math.abs(((bearing - first.heading! + 540) % 360) - 180)).toBeLessThan(1);
    expect(first.footprint).toHaveLength(4);
    // far corners (1, 2) farther from the drone than the near ones (3, 4)
    const d = first.footprint!.map(([lon, lat]) => greatCircleM(first.lat, first.lon, lat, lon));
    expect(Math.min(d[0]!, d[1]!)).toBeGreaterThan(Math.max(d[2]!, d[3]!));
    // it moves: a later position, further along, still on the route
    const later = await waitFor('the drone moved', () => { const u = map.store.snapshot().units.find((x) => x.id === route.unitId); return u && u.ts > first.ts + 1000 ? u : null; }, 30_000);
    expect(greatCircleM(first.lat, first.lon, later.lat, later.lon)).toBeGreaterThan(5);
    expect(offRouteM(later.lat, later.lon)).toBeLessThan(3);
    expect(map.store.snapshot().rejected).toEqual({});
  }, 120_000);

  it('starts the KLV drones map.json names, and refuses an entry that is not tcp://, udp:// or srt://', async () => {
    const d2 = mkdtempSync(path.join(tmpdir(), 'kuzet-klv-json-'));
    const bad = mkdtempSync(path.join(tmpdir(), 'kuzet-klv-bad-'));
    writeFileSync(path.join(d2, 'map.json'), JSON.stringify({ v: 1, klv: [{ unitId: 'uav-7', url: sim.klv!.url, cameraId: route.cameraId }] }));
    writeFileSync(path.join(bad, 'map.json'), JSON.stringify({ v: 1, klv: [{ unitId: 'uav-8', url: 'http://127.0.0.1:1/x' }] }));
    const m2 = createMapModule({ log: createLogger({ quiet: true }), dataDir: d2, emit: () => {} });
    const m3 = createMapModule({ log: createLogger({ quiet: true }), dataDir: bad, emit: () => {} });
    try {
      const u = await waitFor('the map.json drone', () => m2.store.snapshot().units.find((x) => x.id === 'uav-7' && x.footprint) ?? null, 60_000);
      expect(u).toMatchObject({ kind: 'drone', cameraId: route.cameraId });
      expect(offRouteM(u.lat, u.lon)).toBeLessThan(3);
      const refused = m3.handlers['map.config']({}, { clientId: 't' }) as { problems: string[] };
      expect(refused.problems.join(' ')).toMatch(/KLV url: tcp:\/\/host:port, udp:\/\/address:port or srt:\/\/host:port/);
      expect(m3.store.snapshot().units).toEqual([]);
    } finally {
      await m2.close(); await m3.close();
      rmSync(d2, { recursive: true, force: true }); rmSync(bad, { recursive: true, force: true });
    }
  }, 90_000);

  it('reads the same drone over UDP (TS packets in datagrams) and over SRT (an encoder listening), unchanged', async () => {
    // UDP: the simulator's real transport stream relayed as an encoder sends it, 7 TS packets to a datagram
    const udpPort = await freeUdpPort();
    const relay = relayToUdp(sim.klv!.url, udpPort);
    // SRT: GStreamer's srtsink listens as an encoder would, fed by the simulator's stream; Kuzet calls it
    const srtPort = await freeUdpPort();
    const srt = spawn('gst-launch-1.0', ['-q', 'tcpclientsrc', `host=127.0.0.1`, `port=${new URL(sim.klv!.url).port}`, '!',
      'srtsink', `uri=srt://127.0.0.1:${srtPort}?mode=listener`, 'wait-for-connection=false'], { stdio: 'ignore' });
    const d = mkdtempSync(path.join(tmpdir(), 'kuzet-klv-transports-'));
    const m = createMapModule({ log: createLogger({ quiet: true }), dataDir: d, emit: () => {} });
    try {
      m.addKlvSource({ url: `udp://127.0.0.1:${udpPort}`, unitId: 'uav-udp', cameraId: route.cameraId });
      m.addKlvSource({ url: `srt://127.0.0.1:${srtPort}?mode=caller`, unitId: 'uav-srt', cameraId: route.cameraId });
      for (const id of ['uav-udp', 'uav-srt']) {
        const u = await waitFor(`the drone over ${id.slice(4)}`, () => m.store.snapshot().units.find((x) => x.id === id && x.track.length >= 3 && x.footprint) ?? null, 60_000);
        expect(u).toMatchObject({ kind: 'drone', cameraId: route.cameraId, stale: false });
        expect(u.alt).toBeCloseTo(route.altitudeM, 0);
        for (const [lon, lat] of u.track) expect(offRouteM(lat, lon)).toBeLessThan(3);
      }
      expect(m.store.snapshot().rejected).toEqual({});
    } finally {
      await m.close();
      relay.stop(); srt.kill('SIGTERM');
      rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);

  it('follows map.json as it changes, without a restart: a drone added, one removed, a bad edit keeps what runs', async () => {
    const udpA = await freeUdpPort();
    const udpB = await freeUdpPort();
    const relayA = relayToUdp(sim.klv!.url, udpA);
    const relayB = relayToUdp(sim.klv!.url, udpB);
    const d = mkdtempSync(path.join(tmpdir(), 'kuzet-klv-reload-'));
    const file = path.join(d, 'map.json');
    const write = (klv: unknown[]) => writeFileSync(file, JSON.stringify({ v: 1, klv }));
    write([{ unitId: 'uav-a', url: `udp://127.0.0.1:${udpA}` }]);
    const m = createMapModule({ log: createLogger({ quiet: true }), dataDir: d, emit: () => {}, configPollMs: 100 });
    const unit = (id: string) => m.store.snapshot().units.find((x) => x.id === id);
    try {
      await waitFor('uav-a from map.json', () => unit('uav-a') ?? null, 60_000);
      // a second drone added to the file: read without a restart
      write([{ unitId: 'uav-a', url: `udp://127.0.0.1:${udpA}` }, { unitId: 'uav-b', url: `udp://127.0.0.1:${udpB}` }]);
      await waitFor('uav-b added', () => unit('uav-b') ?? null, 60_000);
      // uav-a removed: its reports stop while uav-b's go on (both relay the same drone, so their times run together)
      write([{ unitId: 'uav-b', url: `udp://127.0.0.1:${udpB}` }]);
      await waitFor('uav-a no longer read', () => (unit('uav-b')!.ts - unit('uav-a')!.ts > 3000 ? true : null), 60_000);
      // a broken edit is refused (shown in map.config) and the running drone keeps being read
      writeFileSync(file, '{ "v": 1, "klv": [ ');
      await waitFor('the refusal seen', () => ((m.handlers['map.config']({}, { clientId: 't' }) as { problems: string[] }).problems.length > 0 ? true : null), 10_000);
      const before = m.store.snapshot().units.find((x) => x.id === 'uav-b')!.ts;
      await waitFor('uav-b still read after the bad edit', () => (m.store.snapshot().units.find((x) => x.id === 'uav-b')!.ts > before + 1000 ? true : null), 30_000);
    } finally {
      await m.close();
      relayA.stop(); relayB.stop();
      rmSync(d, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses damaged KLV from the same real stream by reason, and the undamaged packets still parse', async () => {
    const stream = await capture(2500);
    const packets: Buffer[] = [];
    const truncated: string[] = [];
    new TsKlvDemux({ packet: (k) => packets.push(k), truncated: (m) => truncated.push(m) }).push(stream);
    expect(packets.length).toBeGreaterThan(20); // one per frame at 25 fps
    for (const p of packets) expect(parseUas0601(p).ok).toBe(true);
    const flipped = Buffer.from(packets[0]!); flipped[40]! ^= 0x04;
    expect(parseUas0601(flipped)).toMatchObject({ ok: false, reason: 'klv-checksum' });
    expect(parseUas0601(packets[0]!.subarray(0, 60))).toMatchObject({ ok: false, reason: 'klv-truncated' });

    // a KLV PES that says it continues into a TS packet that never comes (lost on the way): refused as truncated,
    // the packets after it still pass
    const damaged = Buffer.from(stream);
    const at = firstKlvPes(damaged);
    expect(at).toBeGreaterThan(0);
    damaged.writeUInt16BE(damaged.readUInt16BE(at + 4) + 184, at + 4);
    const after: Buffer[] = [];
    const why: string[] = [];
    new TsKlvDemux({ packet: (k) => after.push(k), truncated: (m) => why.push(m) }).push(damaged);
    expect(why).toHaveLength(1);
    expect(why[0]).toMatch(/cut off/);
    expect(after.length).toBe(packets.length - 1);
    for (const p of after) expect(parseUas0601(p).ok).toBe(true);
  }, 60_000);
});

/** Byte offset of the first KLV PES header (private stream 1, as mpegtsmux writes KLVA) in a TS capture. */
function firstKlvPes(ts: Buffer): number {
  for (let i = ts.indexOf(0x47); i + 188 <= ts.length; i += 188) {
    const p = ts.subarray(i, i + 188);
    const afc = (p[3]! >> 4) & 3;
    const off = afc === 3 ? 5 + p[4]! : 4;
    if ((p[1]! & 0x40) && off + 4 <= 188 && p.readUInt32BE(off) === 0x000001bd) return i + off;
  }
  return -1;
}

/** A free UDP port on loopback (bound, read, released). */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.on('error', reject);
    s.bind(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Reads a TS served over TCP and sends it on as an encoder does over UDP: 7 whole TS packets to a datagram. */
function relayToUdp(tcpUrl: string, udpPort: number): { stop(): void } {
  const u = new URL(tcpUrl);
  const out = dgram.createSocket('udp4');
  let pending = Buffer.alloc(0);
  let stopped = false;
  let sock: net.Socket | null = null;
  const connect = (): void => {
    if (stopped) return;
    pending = Buffer.alloc(0);
    const c = net.connect({ host: u.hostname, port: Number(u.port) });
    sock = c;
    c.on('data', (d: Buffer) => {
      pending = Buffer.concat([pending, d]);
      const start = pending.indexOf(0x47);
      if (start > 0) pending = pending.subarray(start);
      while (pending.length >= 1316) { out.send(pending.subarray(0, 1316), udpPort, '127.0.0.1'); pending = pending.subarray(1316); }
    });
    c.on('error', () => {});
    c.on('close', () => { if (!stopped) setTimeout(connect, 200); });
  };
  connect();
  return { stop() { stopped = true; sock?.destroy(); out.close(); } };
}
