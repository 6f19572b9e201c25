/**
 * The registry against real processes: ffprobe probing live RTSP cameras served by GStreamer's RTSP
 * server (an open server with 1280x720 main and 640x360 sub streams, and one that demands Basic
 * auth), the project's camera simulator seeded from the demo city, a closed port, a silent server (hard timeout), an MPEG-4 file, and an import/export round trip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITY_FILE, startSimulator, type Simulator } from '../../native/simulator/control.js';
import { probeStream } from '../../electron/host/cameras/probe.js';
import { CameraRegistry } from '../../electron/host/cameras/registry.js';
import { createLogger } from '../../electron/host/log.js';
import { FileKeySecretBox } from '../../electron/host/settings/secrets.js';
import { waitFor } from '../support/harness.js';

const RTSP_SERVER = String.raw`
import ctypes, json, signal, sys
ctypes.CDLL('libc.so.6').prctl(1, signal.SIGKILL)
import gi
gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer
Gst.init(None)
main_clip, sub_clip = sys.argv[1], sys.argv[2]
def factory(clip, role=None):
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch('( filesrc location=%s ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )' % clip)
    if role:
        p = GstRtspServer.RTSPPermissions()
        p.add_permission_for_role(role, 'media.factory.access', True)
        p.add_permission_for_role(role, 'media.factory.construct', True)
        f.set_permissions(p)
    return f
def server():
    s = GstRtspServer.RTSPServer(); s.set_address('127.0.0.1'); s.set_service('0'); return s
open_srv = server()
open_srv.get_mount_points().add_factory('/cam/main', factory(main_clip))
open_srv.get_mount_points().add_factory('/cam/sub', factory(sub_clip))
auth_srv = server()
auth = GstRtspServer.RTSPAuth()
token = GstRtspServer.RTSPToken(); token.set_string('media.factory.role', 'operator')
auth.add_basic(GstRtspServer.RTSPAuth.make_basic('op', 'p@ss w0rd'), token)
auth_srv.set_auth(auth)
auth_srv.get_mount_points().add_factory('/cam/main', factory(main_clip, 'operator'))
open_srv.attach(None); auth_srv.attach(None)
print(json.dumps({'open': open_srv.get_bound_port(), 'auth': auth_srv.get_bound_port()}), flush=True)
GLib.MainLoop().run()
`;

const log = createLogger({ quiet: true });
let work: string;
let rtsp: ChildProcess;
let ports: { open: number; auth: number };
let closedPort: number;
let silent: Server;
const silentSockets = new Set<Socket>();

function makeClip(file: string, size: string, codec: string[]) {
  const r = spawnSync('/usr/bin/ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-t', '20', ...codec, '-pix_fmt', 'yuv420p', file]);
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString()}`);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kuzet-reg-int-'));
  makeClip(join(work, 'main.mp4'), '1280x720', ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-sc_threshold', '0']);
  // a sub-stream with key frames 2 s apart (many cameras' default): the probe times them, the camera form warns
  makeClip(join(work, 'sub.mp4'), '640x360', ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-sc_threshold', '0']);
  makeClip(join(work, 'old.mp4'), '320x240', ['-c:v', 'mpeg4']);
  rtsp = spawn('/usr/bin/python3', ['-c', RTSP_SERVER, join(work, 'main.mp4'), join(work, 'sub.mp4')], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  ports = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('RTSP server did not start')), 20_000);
    rtsp.stdout!.once('data', (d: Buffer) => { clearTimeout(timer); resolve(JSON.parse(d.toString())); });
    rtsp.once('exit', (code) => reject(new Error(`RTSP server exited (${code})`)));
  });
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((r) => closed.close(r));
  silent = createServer((s) => { silentSockets.add(s); s.on('error', () => undefined); });
  await listen(silent);
});

afterAll(async () => {
  if (rtsp?.pid) { try { process.kill(-rtsp.pid, 'SIGKILL'); } catch { /* gone */ } }
  for (const s of silentSockets) s.destroy();
  await new Promise((r) => silent?.close(r));
  rmSync(work, { recursive: true, force: true });
});

const openRegistry = (dataDir = mkdtempSync(join(work, 'data-'))) =>
  new CameraRegistry({ dataDir, secrets: new FileKeySecretBox(dataDir), log, fileRoots: () => [work] });

function ffprobesWith(needle: string): number {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(needle); } catch { return false; }
  }).length;
}

describe('registry with real cameras', () => {
  it('probes main and sub streams on add', async () => {
    const reg = openRegistry();
    const base = `rtsp://127.0.0.1:${ports.open}/cam`;
    const cam = await reg.add({ name: 'Live square', mainUrl: `${base}/main`, subUrl: `${base}/sub` }, { probe: true });
    expect(cam.probe?.main).toMatchObject({ ok: true, codec: 'h264', width: 1280, height: 720, fps: 25, keyframeIntervalMs: 1000 });
    expect(cam.probe?.main?.keyframeIntervalAtLeast).toBeUndefined();
    // 2.5 s of packets hold the key frame at 0 and perhaps the one at 2 s: the interval, or at least the 1.96 s after it
    expect(cam.probe?.sub).toMatchObject({ ok: true, codec: 'h264', width: 640, height: 360, fps: 25 });
    expect(cam.probe?.sub?.keyframeIntervalMs).toBeGreaterThanOrEqual(1960);
    expect(cam.probe?.sub?.keyframeIntervalMs).toBeLessThanOrEqual(2000);
    expect(openRegistry(join(work, readdirSync(work).find((f) => f.startsWith('data-'))!)).get('live-square')?.probe?.main?.ok).toBe(true);
  });

  it('says unreachable for a closed port, without waiting for the probe timeout', async () => {
    const reg = openRegistry();
    const started = Date.now();
    const cam = await reg.add({ name: 'Dead', mainUrl: `rtsp://127.0.0.1:${closedPort}/cam/main` }, { probe: true });
    console.log(`[registry] closed port answered in ${Date.now() - started} ms`);
    // 'unreachable' (the refused connection), not 'timeout': the probe did not sit out its timer
    expect(cam.probe?.main).toMatchObject({ ok: false, errorKind: 'unreachable', error: expect.stringMatching(/connection refused/) });
  });

  it('tells wrong credentials apart and never stores them in the URL', async () => {
    const reg = openRegistry();
    const url = (user: string, pass: string) => `rtsp://${user}:${encodeURIComponent(pass)}@127.0.0.1:${ports.auth}/cam/main`;
    const wrong = await reg.add({ name: 'Locked', mainUrl: url('op', 'nope') }, { probe: true });
    expect(wrong.mainUrl).toBe(`rtsp://127.0.0.1:${ports.auth}/cam/main`);
    expect(wrong.probe?.main).toMatchObject({ ok: false, errorKind: 'auth' });
    const none = await reg.add({ name: 'No creds', mainUrl: `rtsp://127.0.0.1:${ports.auth}/cam/main` }, { probe: true });
    expect(none.probe?.main?.errorKind).toBe('auth');
    await reg.update('locked', { name: 'Locked', mainUrl: wrong.mainUrl, username: 'op', password: 'p@ss w0rd' });
    expect(await reg.probe('locked', 'main')).toMatchObject({ ok: true, codec: 'h264', width: 1280 });
    expect(reg.get('locked')?.probe?.main?.ok).toBe(true);
  });

  it('reports an unsupported codec in operator words', async () => {
    const reg = openRegistry();
    const cam = await reg.add({ name: 'Old DVR', mainUrl: `file://${join(work, 'old.mp4')}` }, { probe: true });
    expect(cam.probe?.main).toMatchObject({ ok: false, errorKind: 'codec', codec: 'mpeg4', error: 'unsupported codec mpeg4: Kuzet decodes H.264 and H.265' });
  });

  it('kills ffprobe when a server never answers (hard timeout)', async () => {
    const port = (silent.address() as { port: number }).port;
    const url = `rtmp://127.0.0.1:${port}/live/silent`;
    const started = Date.now();
    const result = await probeStream(url, { timeoutMs: 1500 });
    // the timer ran out (load can only make that later: the upper side is logged, not bounded)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    console.log(`[registry] silent server: probe gave up after ${Date.now() - started} ms (timeout 1500 ms)`);
    expect(result).toMatchObject({ ok: false, errorKind: 'timeout' });
    // the killed ffprobe is gone once its parent has reaped it: wait for that (5 s at most), not a fixed time
    await waitFor('ffprobe gone', () => ffprobesWith(url) === 0, 5000, 50).catch(() => undefined);
    expect(ffprobesWith(url)).toBe(0);
  });

  it('round-trips export and import, and the imported cameras still probe', async () => {
    const reg = openRegistry();
    const base = `rtsp://127.0.0.1:${ports.open}/cam`;
    await reg.add({ name: 'Square, "north"', mainUrl: `${base}/main`, subUrl: `${base}/sub`, kind: 'ptz', group: 'Centre', tags: ['plaza', 'ptz'], location: { lat: 51.128, lon: 71.43, heading: 45, fov: 70 } });
    await reg.add({ name: 'Locked', mainUrl: `rtsp://op:secret@127.0.0.1:${ports.auth}/cam/main` });
    for (const format of ['csv', 'json'] as const) {
      const text = reg.export(format);
      expect(text).not.toContain('secret');
      const copy = openRegistry();
      expect(copy.import(format, text)).toEqual({ added: 2, updated: 0, errors: [] });
      expect(copy.list()).toEqual(reg.list().map((c) => ({ ...c, hasCredentials: false })));
      expect(await copy.probe('square-north', 'sub')).toMatchObject({ ok: true, width: 640, height: 360 });
    }
  });
});

describe('registry with the camera simulator', () => {
  let sim: Simulator;
  beforeAll(async () => { sim = await startSimulator({ only: ['abay-dostyk'] }); });
  afterAll(async () => { await sim?.close(); });

  it('seeds the demo city, probes a simulated camera, and re-points after a port change', async () => {
    const reg = openRegistry();
    const seeded = reg.seedFromDemoCity(DEMO_CITY_FILE, (id, p) => sim.url(id, p));
    expect(seeded).toBeGreaterThanOrEqual(16);
    expect(reg.get('abay-dostyk')).toMatchObject({ kind: 'fixed', group: 'Medeu district', location: { lat: 43.2393, lon: 76.9573 } });
    expect(reg.get('abay-dostyk')?.tags).toContain('demo');
    expect(await reg.probe('abay-dostyk', 'main')).toMatchObject({ ok: true, codec: 'h264', width: 1280, height: 720, fps: 25 });
    const sub = await reg.probe('abay-dostyk', 'sub');
    expect(sub).toMatchObject({ ok: true, codec: 'h264', width: 640, height: 360, fps: 25 });
    // the simulator's sub-streams have a key frame every 12.5 frames (half a second), its main streams one a second
    expect(Math.abs(sub.keyframeIntervalMs! - 500), `sub-stream key frames ${sub.keyframeIntervalMs} ms apart`).toBeLessThanOrEqual(20);
    expect(reg.get('abay-dostyk')?.probe?.main?.keyframeIntervalMs).toBe(1000);
    // The probe's sizes and codecs go to the media engine with the URLs, so the stream policy knows the real
    // resolutions and the pipeline the codec each stream carries (issue 9: H.265 had been streamed as H.264).
    expect(reg.resolve('abay-dostyk')).toEqual({ mainUrl: sim.url('abay-dostyk', 'main'), subUrl: sim.url('abay-dostyk', 'sub'), mainSize: { width: 1280, height: 720 }, subSize: { width: 640, height: 360 }, mainCodec: 'h264', subCodec: 'h264' });
    // Next start: simulator on another port; only demo cameras move, and stale probes are dropped.
    expect(reg.repointDemoCameras((id, p) => `rtsp://127.0.0.1:1/${id}/${p}`)).toBe(seeded);
    expect(reg.get('abay-dostyk')?.probe).toBeUndefined();
    expect(await reg.probe('abay-dostyk', 'main')).toMatchObject({ ok: false, errorKind: 'unreachable' });
  });
});
