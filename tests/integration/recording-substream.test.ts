/**
 * The sub-stream recorded beside the main one (issue 11, seeks that decode less): simulator cameras with a `/sub`
 * stream, the web shell host's GStreamer workers recording both, ffprobe on the files, playback.segments picking the
 * stream, a sub-stream that fails while the main recording goes on, retention over both.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { ApiClient } from '../support/api-client.js';
import { startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { tree } from '../support/procfs.js';
import { isWaitingStandby } from '../support/standby.js';
import { addRecordedCameras, probeFile } from '../support/recording.js';

const CAMS = ['cam-extra-01', 'cam-extra-02'];
const [A, B] = CAMS as [string, string];
let sim: Simulator;
let shell: RunningShell;
let api: ApiClient;
let dataDir: string;
const recRoot = () => join(dataDir, 'recordings');
const statusOf = async (id: string) => (await api.call('recording.status', {})).find((s) => s.cameraId === id);
/** Media workers of the host (the sub-stream is recorded inside the camera's one worker; the warm standby holds none). */
const workers = () => tree(shell.proc.pid!).filter((p) => p.cmdline.includes('media_worker.py') && !isWaitingStandby(p.pid)).length;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kuzet-recsub-'));
  sim = await startSimulator({ camerasFile: 'none', extra: 2 });
  shell = await startWebShell({ dataDir });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await addRecordedCameras(api, sim, [A]);
  // B's sub-stream URL names a stream the simulator does not have: its sub-stream fails, its main stream must not
  await api.call('cameras.add', { camera: { id: B, name: `Camera ${B}`, mainUrl: sim.url(B, 'main'), subUrl: sim.url('no-such-camera', 'sub') }, probe: false });
  await api.call('recording.configure', { cameraId: B, mode: 'continuous' });
}, 120_000);

afterAll(async () => {
  api?.close();
  await shell?.close();
  await sim?.close();
  if (!process.env.KZ_KEEP) rmSync(dataDir, { recursive: true, force: true });
});

describe('sub-stream recording', () => {
  it('records both streams of a camera into two indexes: the sub-stream 640x360, the main stream 1280x720, remuxed', async () => {
    await waitFor('4 segments of each stream', async () => { const s = await statusOf(A); return s && s.segments >= 4 && (s.sub?.segments ?? 0) >= 4 ? s : null; }, 60_000, 300);
    const st = (await statusOf(A))!;
    expect(st.state).toBe('recording');
    expect(st.sub).toMatchObject({ state: 'recording' });
    expect(st.sub!.bytes).toBeGreaterThan(0);
    // one worker per camera: the sub-stream's connection lives in the recording worker, not in a worker of its own
    // (waited for: a worker being replaced make-before-break, as a busy machine's start-up can cause, briefly adds one)
    await waitFor('one worker per camera', () => workers() === CAMS.length || null, 30_000, 300);

    const now = Date.now();
    const main = await api.call('playback.segments', { cameraId: A, fromMs: now - 120_000, toMs: now, stream: 'main' });
    const sub = await api.call('playback.segments', { cameraId: A, fromMs: now - 120_000, toMs: now, stream: 'sub' });
    expect(main.stream).toBe('main');
    expect(sub.stream).toBe('sub');
    expect(main.segments[0]!.url).toMatch(new RegExp(`^/rec/seg/${A}/\\d+\\.mp4$`));
    expect(sub.segments[0]!.url).toMatch(new RegExp(`^/rec/sub/${A}/\\d+\\.mp4$`));
    // the two streams' segments line up in time (both named by the camera's capture clock)
    expect(Math.abs(sub.segments[0]!.startMs - main.segments[0]!.startMs)).toBeLessThan(10_000);

    // what the routes serve, probed: the camera's own bitstreams, not re-encoded
    const fetchTo = async (url: string, name: string) => {
      const r = await fetch(`${shell.info.origin}${url}?token=${shell.info.token}`);
      expect(r.status).toBe(200);
      const path = join(dataDir, name);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path, Buffer.from(await r.arrayBuffer()));
      return path;
    };
    // the newest closed segments but one: past the start-up, where a worker rebuilt make-before-break overlaps the first
    // (the longest of the closed ones: a worker restarted by a busy machine cuts a segment short)
    const longest = (segs: typeof sub.segments) => segs.slice(1, -1).reduce((a, x) => (x.endMs - x.startMs > a.endMs - a.startMs ? x : a), segs.at(-2)!);
    const subSeg = longest(sub.segments);
    const subFile = probeFile(await fetchTo(subSeg.url, 'sub.mp4'), true);
    const mainFile = probeFile(await fetchTo(longest(main.segments).url, 'main.mp4'), true);
    console.log(`[recording-substream] probed sub ${JSON.stringify(subFile)}; main ${JSON.stringify(mainFile)}`);
    expect(subFile).toMatchObject({ ok: true, codec: 'h264', width: 640, height: 360, firstKey: true });
    expect(mainFile).toMatchObject({ ok: true, codec: 'h264', width: 1280, height: 720, firstKey: true });
    expect(subFile.frames).toBeGreaterThan(60);
    // files on disk: <camera>/sub/<day>/<start>.mp4
    const seg = subSeg;
    expect(existsSync(join(recRoot(), A, 'sub', new Date(seg.startMs).toISOString().slice(0, 10), `${seg.startMs}.mp4`))).toBe(true);
    // the sub route serves only indexed sub-stream segments, with the token
    expect((await fetch(`${shell.info.origin}${seg.url}`)).status).toBe(403);
    expect((await fetch(`${shell.info.origin}/rec/sub/${A}/${main.segments[1]!.startMs + 1}.mp4?token=${shell.info.token}`)).status).toBe(404);

    // the main-stream request and export stay main: the default is main
    const dflt = await api.call('playback.segments', { cameraId: A, fromMs: now - 120_000, toMs: now });
    expect(dflt.stream).toBe('main');
  }, 90_000);

  it('a sub-stream that fails never stops the main recording, and a camera whose sub-stream was not recorded plays main', async () => {
    await waitFor('the sub-stream failed', async () => (await statusOf(B))?.sub?.state === 'error' || null, 40_000, 300);
    const before = (await statusOf(B))!.segments;
    await waitFor('main segments go on', async () => { const s = await statusOf(B); return s && s.segments >= before + 2 && s.state === 'recording' ? s : null; }, 40_000, 300);
    const st = (await statusOf(B))!;
    expect(st.sub?.message ?? '').not.toBe('');
    expect(st.sub?.segments).toBe(0);
    // asked for the sub-stream, it gets the main stream's footage (nothing else covers the range)
    const r = await api.call('playback.segments', { cameraId: B, fromMs: Date.now() - 120_000, toMs: Date.now(), stream: 'sub' });
    expect(r.stream).toBe('main');
    expect(r.segments.length).toBeGreaterThanOrEqual(2);
    // the camera's worker was never rebuilt for it: still one worker per camera
    await waitFor('one worker per camera', () => workers() === CAMS.length || null, 30_000, 300);
  }, 90_000);

  it('retention deletes both streams oldest first under one quota', async () => {
    const oldest = async () => {
      const now = Date.now();
      const m = await api.call('playback.segments', { cameraId: A, fromMs: now - 3_600_000, toMs: now, stream: 'main' });
      const s = await api.call('playback.segments', { cameraId: A, fromMs: now - 3_600_000, toMs: now, stream: 'sub' });
      return { main: m.segments[0]!, sub: s.stream === 'sub' ? s.segments[0]! : null, mainCount: m.segments.length };
    };
    const before = await oldest();
    expect(before.sub).not.toBeNull();
    const all = await api.call('recording.status', {});
    const total = all.reduce((n, s) => n + s.bytes + (s.sub?.bytes ?? 0), 0);
    await api.call('recording.retention', { retention: { maxAgeDays: 30, quotaBytes: Math.round(total / 2), minFreeBytes: 0 } });
    const after = await oldest();
    const subFile = (ms: number) => join(recRoot(), A, 'sub', new Date(ms).toISOString().slice(0, 10), `${ms}.mp4`);
    const mainFile = (ms: number) => join(recRoot(), A, new Date(ms).toISOString().slice(0, 10), `${ms}.mp4`);
    expect(existsSync(mainFile(before.main.startMs))).toBe(false);
    expect(existsSync(subFile(before.sub!.startMs))).toBe(false);
    expect(after.main.startMs).toBeGreaterThan(before.main.startMs);
    const st = (await statusOf(A))!;
    expect(st.sub!.segments).toBeGreaterThan(0); // half the quota: not everything
    await api.call('recording.retention', { retention: { maxAgeDays: 30, quotaBytes: 0, minFreeBytes: 0 } });
  }, 60_000);
});

describe('the per-camera choice', () => {
  it('subStream: false stops the sub-stream only; a later mode change without it keeps the choice; true starts it again', async () => {
    await api.call('recording.configure', { cameraId: A, mode: 'continuous', subStream: false });
    expect((await statusOf(A))?.sub).toBeUndefined();
    await api.call('recording.configure', { cameraId: A, mode: 'continuous' }); // the mode select sends no subStream
    expect((await statusOf(A))?.sub).toBeUndefined();
    const main = (await statusOf(A))!.segments;
    await waitFor('main goes on without the sub-stream', async () => { const s = await statusOf(A); return s && s.segments >= main + 2 && s.state === 'recording' ? s : null; }, 40_000, 300);
    expect(workers()).toBe(CAMS.length);
    await api.call('recording.configure', { cameraId: A, mode: 'continuous', subStream: true });
    const subBefore = (await statusOf(A))!.sub!.segments;
    await waitFor('the sub-stream records again', async () => { const s = await statusOf(A); return s?.sub?.state === 'recording' && s.sub.segments >= subBefore + 2 ? s : null; }, 40_000, 300);
  }, 90_000);
});
