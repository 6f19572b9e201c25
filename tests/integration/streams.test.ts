/**
 * The media engine against real processes: the RTSP camera simulator, the GStreamer worker,
 * the supervisor. 16 cameras live, stall, offline and back, corruption isolation, kill -9,
 * live resize, make-before-break profile switch, and no orphan worker after the host dies.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrameHeader, FRAME_FLAG_ENCODED, FRAME_FLAG_KEY, FRAME_FLAG_KEYFRAME_ONLY, FRAME_HEADER_BYTES } from '../../electron/contract/frames.js';
import { avcCodecString } from '../../renderer/wall/frame-decoder.js';
import type { StreamState, StreamStatus, TileDemand } from '../../electron/contract/schemas.js';
import { createLogger } from '../../electron/host/log.js';
import { PROJECT_ROOT } from '../../electron/host/paths.js';
import { StreamService } from '../../electron/host/streams/service.js';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { bestMatch, pictureMatches, referenceThumbs, thumbsOfI420 } from '../support/pictures.js';

const N = 16;
const ids = Array.from({ length: N }, (_, i) => `cam-extra-${String(i + 1).padStart(2, '0')}`);
const TAG = `kztest-streams-${process.pid}-${Date.now()}`;
const SMALL = { width: 320, height: 180 };
const SECRET = 'pw-that-must-not-leak';
/** The engine's log for this run (debug level), for reading after a failure. */
const LOG_FILE = join(tmpdir(), 'kz-streams-test.log');

let sim: Simulator;
let svc: StreamService;
const lastFrame = new Map<string, Buffer>();
const history: Array<{ at: number; id: string; state: StreamState }> = [];
/**
 * State changes that say a camera was disturbed (reconnect, error, offline). 'stalled' and back to 'live' are left
 * out: on an overloaded machine (CI at load 20) any camera can go 1.5 s without a decoded picture and recover, which
 * is the product's stall rule reacting to load, not one camera's fault reaching another. Stalls are logged.
 */
const disturbed = (h: typeof history) => h.filter((x) => x.state !== 'stalled' && x.state !== 'live');
const stalls = (h: typeof history) => h.filter((x) => x.state === 'stalled').length;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const status = (id: string): StreamStatus | undefined => svc.statuses().find((s) => s.cameraId === id);
async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, stepMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; statuses: ${JSON.stringify(svc.statuses().map((s) => [s.cameraId, s.state, s.reason, s.message]))}`);
    await sleep(stepMs);
  }
}
const tiles = (size: { width: number; height: number }, only = ids): TileDemand[] => only.map((cameraId) => ({ cameraId, ...size }));

/** Pids of processes whose argv holds the marker (scans /proc like ps would). */
function taggedPids(tag: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(tag)) out.push(Number(d));
    } catch { /* exited while scanning */ }
  }
  return out;
}

beforeAll(async () => {
  rmSync(LOG_FILE, { force: true });
  sim = await startSimulator({ camerasFile: 'none', extra: N });
  svc = new StreamService({
    resolve: (id) => (ids.includes(id) ? { mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub'), username: 'operator', password: SECRET } : undefined),
    tag: TAG, graceMs: 2000, governor: false, log: createLogger({ quiet: true, level: 'debug', file: LOG_FILE }),
  });
  svc.onStatus((s) => {
    const prev = [...history].reverse().find((h) => h.id === s.cameraId);
    if (!prev || prev.state !== s.state) history.push({ at: Date.now(), id: s.cameraId, state: s.state });
  });
  for (const id of ids) svc.subscribeFrames(id, (f) => lastFrame.set(id, f));
}, 150_000);

afterAll(async () => {
  await svc?.stopAll();
  await sim?.close();
  expect(taggedPids(TAG)).toEqual([]);
  if (existsSync(LOG_FILE)) expect(readFileSync(LOG_FILE, 'utf8')).not.toContain(SECRET);
});

describe('stream engine with simulated cameras', () => {
  it('16 cameras connect, go live and deliver tile-sized I420 frames with a real picture', async () => {
    const clips = new Map((await sim.cameras()).map((c) => [c.id, c.streams.sub.file]));
    // the clips' reference decodes before any stream runs (a synchronous decode here would stall every worker)
    for (const clip of new Set(clips.values())) referenceThumbs(clip);
    svc.setDemand('wall', tiles(SMALL));
    await waitFor('16 live cameras', () => ids.every((id) => status(id)?.state === 'live'), 30_000);
    // every camera delivers: its status has measured a rate of frames and bits (how high depends on load: logged)
    await waitFor('every camera measured delivering', () => ids.every((id) => (status(id)?.fps ?? 0) > 0 && (status(id)?.bitrateKbps ?? 0) > 0 && lastFrame.has(id)), 30_000);
    console.log(`[streams] fps per camera: ${ids.map((id) => status(id)!.fps).join(' ')}; kbps: ${ids.map((id) => status(id)!.bitrateKbps).join(' ')}`);
    for (const id of ids) {
      const s = status(id) as StreamStatus;
      expect(s).toMatchObject({ profile: 'sub', width: 320, height: 180, engine: 'gstreamer', keyframeOnly: false });
      const f = lastFrame.get(id) as Buffer;
      const h = readFrameHeader(f);
      expect(h).toMatchObject({ width: 320, height: 180 });
      expect(f.length).toBe(FRAME_HEADER_BYTES + 320 * 180 * 1.5);
      expect(h?.captureMs).toBeGreaterThan(Date.now() - 60_000);
      // the camera's own picture, not a flat, damaged or other camera's one: the nearest frame of its clip within the
      // bounds of a faithful decode, luma and chroma (tests/support/pictures.ts)
      const match = bestMatch((await thumbsOfI420(f.subarray(FRAME_HEADER_BYTES), 320, 180))[0]!, referenceThumbs(clips.get(id)!));
      expect(pictureMatches(match), `${id}: ${JSON.stringify(match)}`).toBe(true);
    }
    expect(svc.workerPids().length).toBe(N);
    // the cameras' workers and the warm standby (when it is up), nothing else
    expect(taggedPids(TAG).sort()).toEqual([...svc.workerPids(), ...(svc.standbyPid() ? [svc.standbyPid()] : [])].sort());
    // URL and credentials reach the worker on stdin, never in its argv
    for (const pid of taggedPids(TAG)) expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toMatch(/rtsp:|pw-that-must-not-leak/);
  }, 60_000);

  it('a stalled camera turns stalled (after 1.5 s without frames) and live again when video resumes', async () => {
    const id = ids[1] as string;
    await sim.stall(id);
    const t0 = Date.now();
    try {
      // The 1.5 s rule is the state machine's (tests/unit/stream-state.test.ts, no clock involved); how soon the host's
      // timer applies it depends on load, so it is reported here, not bounded. What is checked: it happens, and the
      // product did not call the camera stalled while frames were still coming.
      const s = await waitFor('stalled', () => { const x = status(id); return x?.state === 'stalled' ? x : false; }, 45_000, 50);
      console.log(`[streams] stalled ${Date.now() - t0} ms after the simulator stopped sending; ${s.since - (s.lastFrameAt ?? 0)} ms after the last frame`);
      expect(s.since - (s.lastFrameAt ?? 0), 'stalled only after 1.5 s without frames').toBeGreaterThanOrEqual(1500);
    } finally {
      await sim.unstall(id);
    }
    await waitFor('live after unstall', () => status(id)?.state === 'live', 45_000);
  }, 120_000);

  it('a corrupted stream is noticed (damaged pictures counted), crashes nothing, and no other camera changes state', async () => {
    const id = ids[2] as string;
    const mark = history.length;
    const pidsBefore = new Map(ids.filter((x) => x !== id).map((x) => [x, svc.workerPids(x)[0]]));
    const damagedBefore = new Map(ids.map((x) => [x, status(x)?.counters.damaged ?? 0]));
    await sim.corrupt(id, 4);
    await waitFor('corruption over', () => sim.cameras().then((cs) => cs.find((c) => c.id === id)?.corrupting === false), 20_000);
    await waitFor('corrupted camera live again', () => status(id)?.state === 'live', 20_000);
    // the decoder's losses reach the camera's status (the worker reports them once a second)
    const damaged = await waitFor('damaged pictures counted', () => { const n = status(id)?.counters.damaged ?? 0; return n > damagedBefore.get(id)! ? n : false; }, 30_000);
    console.log(`[streams] ${id}: ${damaged - damagedBefore.get(id)!} damage reports from the decoder in 4 s of corruption`);
    // ... and only for that camera: the others' pictures decoded cleanly meanwhile
    expect(ids.filter((x) => x !== id && (status(x)?.counters.damaged ?? 0) > damagedBefore.get(x)!)).toEqual([]);
    const others = history.slice(mark).filter((h) => h.id !== id);
    console.log(`[streams] other cameras' stalls during the corruption (machine load): ${stalls(others)}`);
    expect(disturbed(others)).toEqual([]);
    for (const [x, pid] of pidsBefore) expect(svc.workerPids(x)[0]).toBe(pid);
  }, 120_000);

  it('kill -9 of a worker respawns it', async () => {
    const id = ids[3] as string;
    const [pid] = svc.workerPids(id);
    expect(pid).toBeGreaterThan(0);
    const before = status(id)?.counters.connects ?? 0;
    process.kill(pid as number, 'SIGKILL');
    await waitFor('reason crash', () => status(id)?.reason === 'crash', 3000, 20);
    await waitFor('live again', () => status(id)?.state === 'live', 15_000);
    const [again] = svc.workerPids(id);
    expect(again).not.toBe(pid);
    expect(status(id)?.counters.connects).toBe(before + 1);
  }, 30_000);

  it('a stopped camera goes offline and returns to live after restart', async () => {
    const id = ids[4] as string;
    await sim.stop(id);
    await waitFor('offline', () => status(id)?.state === 'offline', 20_000);
    expect(['unreachable', 'timeout']).toContain(status(id)?.reason);
    await sim.start(id);
    await waitFor('live after restart', () => status(id)?.state === 'live', 25_000);
  }, 60_000);

  it('resizes within a profile without reconnecting, and switches profile make-before-break', async () => {
    const id = ids[5] as string;
    const s0 = status(id) as StreamStatus;
    svc.setDemand('wall', [...tiles(SMALL).filter((t) => t.cameraId !== id), { cameraId: id, width: 480, height: 270 }]);
    await waitFor('480x270 frames', () => readFrameHeader(lastFrame.get(id) as Buffer)?.width === 480, 5000, 50);
    const s1 = status(id) as StreamStatus;
    expect(s1).toMatchObject({ width: 480, height: 270, profile: 'sub', generation: s0.generation, state: 'live' });
    expect(s1.counters.connects).toBe(s0.counters.connects);

    const mark = history.length;
    // the frames delivered across the switch, in order: the sub-stream's until the main stream's first one
    const seen: Array<{ at: number; width: number }> = [];
    const off = svc.subscribeFrames(id, (f) => { seen.push({ at: Date.now(), width: readFrameHeader(f)?.width ?? 0 }); });
    svc.setDemand('wall', [...tiles(SMALL).filter((t) => t.cameraId !== id), { cameraId: id, width: 1280, height: 720 }]);
    await waitFor('ten main-stream frames', () => seen.filter((x) => x.width === 1280).length >= 10, 20_000, 50);
    off();
    const s2 = status(id) as StreamStatus;
    expect(s2).toMatchObject({ profile: 'main', width: 1280, height: 720, state: 'live' });
    expect(s2.generation).toBe(s1.generation + 1);
    expect(s2.decision.map((x) => x.key)).toContain('largerThanSub');
    const own = history.slice(mark).filter((h) => h.id === id);
    console.log(`[streams] profile switch: stalls of the switched camera (machine load): ${stalls(own)}`);
    expect(disturbed(own)).toEqual([]); // never reconnected, errored or went offline
    // make-before-break: the sub-stream kept delivering while the main stream connected, then only the main stream
    const firstMain = seen.findIndex((x) => x.width === 1280);
    expect(firstMain, 'sub-stream frames while the main stream connected').toBeGreaterThan(0);
    expect(seen.slice(0, firstMain).every((x) => x.width === 480)).toBe(true);
    expect(seen.slice(firstMain).every((x) => x.width === 1280)).toBe(true);
    const gaps = seen.slice(1).map((x, i) => x.at - seen[i]!.at);
    console.log(`[streams] profile switch: ${firstMain} sub-stream frames before the first main-stream frame; longest gap between frames ${Math.max(...gaps)} ms`);
    expect(svc.workerPids(id).length).toBe(1); // the old worker is gone
  }, 30_000);

  it('a camera nobody shows stops after the grace period', async () => {
    const id = ids[6] as string;
    svc.setDemand('wall', tiles(SMALL).filter((t) => t.cameraId !== id && t.cameraId !== ids[5]));
    // inside the grace period the camera still decodes, and says when it stops (observed, not timed: the policy's
    // clock is unit-tested in tests/unit/stream-policy)
    await waitFor('grace period announced', () => status(id)?.decision[0]?.key === 'graceStop', 20_000);
    expect(['live', 'stalled']).toContain(status(id)?.state);
    await waitFor('stopped', () => !status(id), 20_000);
    expect(svc.workerPids(id)).toEqual([]);
  }, 30_000);

  it('killing the host with SIGKILL leaves no worker behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kz-host-'));
    const tag = `${TAG}-host`;
    try {
      const entry = join(dir, 'host.ts');
      writeFileSync(entry, `
        import { StreamService } from ${JSON.stringify(join(PROJECT_ROOT, 'electron/host/streams/service.ts'))};
        import { createLogger } from ${JSON.stringify(join(PROJECT_ROOT, 'electron/host/log.ts'))};
        const urls = JSON.parse(process.argv[2]);
        const svc = new StreamService({ resolve: (id) => urls[id], tag: process.env.KZ_TAG, log: createLogger({ quiet: true }) });
        svc.setDemand('c', Object.keys(urls).map((cameraId) => ({ cameraId, width: 320, height: 180 })));
        setInterval(() => { if (svc.statuses().every((s) => s.state === 'live') && svc.standbyPid()) console.log('LIVE ' + [...svc.workerPids(), svc.standbyPid()].join(',')); }, 200);
      `);
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'host.mjs'), logLevel: 'silent' });
      const urls = Object.fromEntries(ids.slice(8, 12).map((id) => [id, { mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub') }]));
      const child = spawn(process.execPath, [join(dir, 'host.mjs'), JSON.stringify(urls)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KUZET_ROOT: PROJECT_ROOT, KZ_TAG: tag } });
      const pids = await new Promise<number[]>((resolve, reject) => {
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('host child never went live')); }, 30_000);
        child.stdout.on('data', (d: Buffer) => {
          const m = /LIVE ([\d,]+)/.exec(d.toString());
          if (m?.[1]) { clearTimeout(timer); resolve(m[1].split(',').map(Number)); }
        });
      });
      expect(pids.length).toBe(5); // 4 cameras and the warm standby: every one dies with the host
      expect(taggedPids(tag).sort()).toEqual([...pids].sort());
      child.kill('SIGKILL');
      await waitFor('workers gone', () => taggedPids(tag).length === 0, 5000, 50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a worker that writes garbage is killed and respawned, and nothing else notices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kz-garbage-'));
    const script = join(dir, 'garbage-worker.mjs');
    // stands in for a broken worker build: reads its config, then writes bytes that are not KZF1
    writeFileSync(script, "process.stdin.once('data', () => setInterval(() => process.stdout.write('definitely not a frame header, 48 bytes at least....'), 100));");
    const mark = history.length;
    const bad = new StreamService({
      resolve: () => ({ mainUrl: sim.url(ids[7] as string, 'main') }), python: process.execPath, workerPath: script,
      tag: `${TAG}-garbage`, log: createLogger({ quiet: true }),
    });
    try {
      bad.setDemand('c', [{ cameraId: 'broken', width: 320, height: 180 }]);
      await waitFor('two respawns', () => (bad.statuses()[0]?.counters.connects ?? 0) >= 2, 30_000);
      const s = bad.statuses()[0] as StreamStatus;
      expect(s.reason).toBe('crash');
      expect(s.message).toMatch(/corrupt worker output/);
      console.log(`[streams] the wall's stalls while the broken worker respawned (machine load): ${stalls(history.slice(mark))}`);
      expect(disturbed(history.slice(mark))).toEqual([]); // the wall's cameras were not disturbed
    } finally {
      await bad.stopAll();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(taggedPids(`${TAG}-garbage`)).toEqual([]);
  }, 20_000);

  it('sends H.264 access units to a client that decodes them, starting at a key unit, and pictures again when one cannot', async () => {
    const id = ids[9] as string;
    const enc = new StreamService({
      resolve: () => ({ mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub') }), tag: `${TAG}-enc`, log: createLogger({ quiet: true }), governor: false,
    });
    const got: Buffer[] = [];
    enc.subscribeFrames(id, (f) => { got.push(f); });
    try {
      enc.setDemand('web', [{ cameraId: id, width: 320, height: 180, browserDecode: true }]);
      await waitFor('encoded frames', () => got.length >= 30, 15_000);
      expect(enc.statuses()[0]).toMatchObject({ state: 'live', encoded: true, profile: 'sub' });
      const headers = got.map((f) => readFrameHeader(f)!);
      expect(headers.every((h) => (h.flags & FRAME_FLAG_ENCODED) !== 0)).toBe(true);
      // the stream's own size (the renderer scales), and payloads far smaller than pictures
      expect(headers[0]).toMatchObject({ width: 640, height: 360 });
      expect(Math.max(...headers.map((h) => h.payloadBytes))).toBeLessThan(640 * 360);
      const keys = got.filter((f) => (f.readUInt16LE(6) & FRAME_FLAG_KEY) !== 0);
      expect(keys.length).toBeGreaterThan(0);
      // a key unit is decodable on its own: its parameter sets name the codec
      expect(avcCodecString(keys[0]!.subarray(FRAME_HEADER_BYTES))).toMatch(/^avc1\.[0-9a-f]{6}$/);
      // consecutive sequence numbers: the worker forwards every access unit
      const seqs = headers.slice(1).map((h, i) => h.seq - headers[i]!.seq);
      expect(seqs.every((d) => d === 1)).toBe(true);

      // a second client that cannot decode shows the same camera: one worker, pictures for both
      enc.setDemand('old', [{ cameraId: id, width: 320, height: 180 }]);
      await waitFor('decoded pictures again', () => {
        const h = got.length ? readFrameHeader(got[got.length - 1]!) : null;
        return h && (h.flags & FRAME_FLAG_ENCODED) === 0 && h.width === 320 ? h : null;
      }, 15_000);
      expect(enc.statuses()[0]).toMatchObject({ state: 'live', encoded: false });
    } finally {
      await enc.stopAll();
    }
    expect(taggedPids(`${TAG}-enc`)).toEqual([]);
  }, 40_000);

  it('the FFmpeg engine delivers the same frame messages', async () => {
    const id = ids[7] as string;
    const ff = new StreamService({
      resolve: () => ({ mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub') }), engine: 'ffmpeg',
      tag: `${TAG}-ffmpeg`, log: createLogger({ quiet: true }),
    });
    // the clip's reference decode before the stream runs (cached when the first test ran)
    const clip = (await sim.cameras()).find((c) => c.id === id)!.streams.sub.file;
    referenceThumbs(clip);
    let got: Buffer | undefined;
    ff.subscribeFrames(id, (f) => { got = f; });
    try {
      ff.setDemand('c', [{ cameraId: id, width: 320, height: 180 }]);
      await waitFor('ffmpeg live', () => ff.statuses()[0]?.state === 'live', 15_000);
      // frames keep flowing: the status has measured a rate (its height depends on load: logged)
      await waitFor('ffmpeg frames measured', () => (ff.statuses()[0]?.fps ?? 0) > 0 && got !== undefined, 15_000);
      console.log(`[streams] ffmpeg engine: ${ff.statuses()[0]?.fps} fps`);
      expect(ff.statuses()[0]).toMatchObject({ engine: 'ffmpeg', profile: 'sub', width: 320, height: 180 });
      const h = readFrameHeader(got as Buffer);
      expect(h).toMatchObject({ width: 320, height: 180 });
      // the picture is the camera's: the nearest frame of its clip (decoded by ffmpeg here, scaled to the tile) within
      // the bounds of a faithful decode, luma and chroma. (A fresh clone once saw a first frame with a luma range of 54
      // and failed an old "range > 100" check: the intersection clip's frames 245-249 and 0 show no vehicle, only grey
      // roads on dark ground, a luma range of 62-65. That picture was right.)
      const pixels = (got as Buffer).subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + (320 * 180 * 3) / 2);
      const match = bestMatch((await thumbsOfI420(pixels, 320, 180))[0]!, referenceThumbs(clip));
      console.log(`[streams] ffmpeg engine picture against ${clip}: frame ${match.frame}, luma ${match.luma.toFixed(2)}, chroma ${match.chroma.toFixed(2)}`);
      expect(pictureMatches(match)).toBe(true);
    } finally {
      await ff.stopAll();
    }
    expect(taggedPids(`${TAG}-ffmpeg`)).toEqual([]);
  }, 30_000);

  it('falls back to FFmpeg when GStreamer cannot build the pipeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kz-nogst-'));
    const script = join(dir, 'no-gstreamer.mjs');
    // stands in for a machine without the decoder plugin: the worker's own report for that case
    writeFileSync(script, `process.stderr.write(JSON.stringify({ type: 'state', state: 'error', reason: 'codec', engineFailure: true, message: 'no element "avdec_h264"' }) + '\\n'); process.exit(3);`);
    const id = ids[7] as string;
    const svc2 = new StreamService({
      resolve: () => ({ mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub') }), python: process.execPath, workerPath: script,
      tag: `${TAG}-fallback`, log: createLogger({ quiet: true }),
    });
    try {
      svc2.setDemand('c', [{ cameraId: id, width: 320, height: 180 }]);
      await waitFor('live on FFmpeg', () => svc2.statuses()[0]?.state === 'live', 15_000);
      expect(svc2.statuses()[0]).toMatchObject({ engine: 'ffmpeg', width: 320, height: 180 });
      expect(svc2.statuses()[0]?.counters.errors).toBe(1);
    } finally {
      await svc2.stopAll();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('over the decode budget a camera drops to key frames only, visibly, and pinning restores it', async () => {
    const id = ids[8] as string;
    const kf = new StreamService({
      resolve: () => ({ mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub') }), budgetPct: 0.5,
      tag: `${TAG}-budget`, log: createLogger({ quiet: true }),
    });
    const flags: number[] = [];
    kf.subscribeFrames(id, (f) => flags.push(readFrameHeader(f)?.flags ?? -1));
    const states = new Set<string>();
    kf.onStatus((st) => states.add(st.state));
    try {
      kf.setDemand('c', [{ cameraId: id, width: 320, height: 180 }]);
      await waitFor('live', () => kf.statuses()[0]?.state === 'live', 15_000);
      states.clear();
      // four key-frame-only pictures in a row (one a second on the simulator's 1 s GOP): the camera stays live meanwhile
      await waitFor('key frames only', () => kf.statuses()[0]?.keyframeOnly, 15_000);
      const from = flags.length;
      await waitFor('four key-frame-only pictures', () => flags.slice(from).length >= 4, 20_000);
      const st = kf.statuses()[0] as StreamStatus;
      expect(st).toMatchObject({ keyframeOnly: true, state: 'live' });
      expect(st.downgrade).toBe('budgetKeyframes');
      expect(st.fps).toBeLessThan(5); // at most one picture per GOP: load can only lower it
      // about one frame a second must not look stalled: no state but live reported (none at all when the governor had
      // already downgraded it before `states` was cleared: statuses are sent on change)
      expect([...states].filter((x) => x !== 'live')).toEqual([]);
      expect(flags.every((f) => (f & FRAME_FLAG_KEYFRAME_ONLY) !== 0)).toBe(true);
      kf.pin(id, true);
      // every picture again: a full decode's frames (no key-frame-only flag)
      const pinnedAt = flags.length;
      await waitFor('full-decode pictures', () => flags.slice(pinnedAt).filter((f) => (f & FRAME_FLAG_KEYFRAME_ONLY) === 0).length >= 30, 20_000);
      console.log(`[streams] pinned: ${kf.statuses()[0]?.fps} fps`);
      expect(kf.statuses()[0]).toMatchObject({ keyframeOnly: false, pinned: true, downgrade: null, state: 'live' });
    } finally {
      await kf.stopAll();
    }
  }, 40_000);
});
