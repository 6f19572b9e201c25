/**
 * Training footage through the live path (issue 11 §2, docs/training.md): a simulator camera recorded by the real host
 * (GStreamer worker -> fragmented MP4 segments), then a training session of a scenario over that footage whose footage
 * feeder (native/feeder/feeder.py) serves each scenario camera as an RTSP stream. Decoded with FFmpeg, the stream shows
 * that camera's recorded pictures (luma and chroma equal to frames decoded from its segments, not the other camera's);
 * a scripted camera failure takes the stream away while the other camera keeps streaming, and it comes back.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scenario } from '../../electron/contract/training/scenario-schema.js';
import { createLogger } from '../../electron/host/log.js';
import type { Segment } from '../../electron/host/recording/segment.js';
import { parseSegmentFile } from '../../electron/host/recording/segment.js';
import { createFootageFeeder, type FootageFeeder } from '../../electron/host/training/footage-feeder.js';
import { createTrainingSessions } from '../../electron/host/training/session-runtime.js';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { ApiClient } from '../support/api-client.js';
import { startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { addRecordedCameras, waitSegments } from '../support/recording.js';

const [A, B] = ['cam-extra-01', 'cam-extra-02'] as const; // two scenes: their pictures differ
const W = 64;
const H = 36;
const FRAME = (W * H * 3) / 2; // yuv420p
const ctx = { clientId: 'web-1-main' };
let sim: Simulator | undefined;
let shell: RunningShell | undefined;
const dirs: string[] = [];
let feeder: FootageFeeder | undefined;
let runtime: ReturnType<typeof createTrainingSessions> | undefined;
let segments: Record<string, Segment[]> = {};
let recRoot = '';
let refA: Buffer[] = [];
let refB: Buffer[] = [];

/** Frames decoded by FFmpeg, scaled to W x H yuv420p (the same scaler for the stream and the files). */
function decode(input: string, frames: number, timeoutMs = 30_000): Promise<{ frames: Buffer[]; code: number | null }> {
  const rtsp = input.startsWith('rtsp:') ? ['-rtsp_transport', 'tcp'] : [];
  return new Promise((resolve) => {
    execFile('nice', ['-n', '10', 'ffmpeg', '-v', 'error', ...rtsp, '-i', input, '-frames:v', String(frames), '-vf', `scale=${W}:${H}`, '-pix_fmt', 'yuv420p', '-f', 'rawvideo', 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 64 << 20, timeout: timeoutMs }, (err, stdout) => {
        const out: Buffer[] = [];
        for (let i = 0; i + FRAME <= stdout.length; i += FRAME) out.push(stdout.subarray(i, i + FRAME));
        resolve({ frames: out, code: err ? (typeof err.code === 'number' ? err.code : -1) : 0 });
      });
  });
}

/** Mean absolute difference of luma and of chroma between two frames. */
function diff(a: Buffer, b: Buffer): { luma: number; chroma: number } {
  let l = 0; let c = 0;
  for (let i = 0; i < W * H; i++) l += Math.abs(a[i]! - b[i]!);
  for (let i = W * H; i < FRAME; i++) c += Math.abs(a[i]! - b[i]!);
  return { luma: l / (W * H), chroma: c / (FRAME - W * H) };
}

/** For each stream frame, its closest reference frame; the worst of those over the stream's frames. */
function worstBestMatch(stream: Buffer[], reference: Buffer[]): { luma: number; chroma: number } {
  let luma = 0; let chroma = 0;
  for (const f of stream) {
    let best = { luma: Infinity, chroma: Infinity };
    for (const r of reference) { const d = diff(f, r); if (d.luma + d.chroma < best.luma + best.chroma) best = d; }
    luma = Math.max(luma, best.luma); chroma = Math.max(chroma, best.chroma);
  }
  return { luma, chroma };
}

/** The camera's segments from the files (the recording index's truth), sorted; the last one ends at the next start. */
function segmentsOnDisk(cameraId: string): Segment[] {
  const files = readdirSync(join(recRoot, cameraId), { recursive: true }).map((f) => `${cameraId}/${String(f)}`).filter((f) => f.endsWith('.mp4'));
  const starts = files.map((file) => ({ file, startMs: parseSegmentFile(file)!.startMs })).sort((a, b) => a.startMs - b.startMs);
  return starts.map((s, i) => ({ cameraId, startMs: s.startMs, endMs: starts[i + 1]?.startMs ?? s.startMs + 4000, file: s.file, bytes: 1, status: 'ok' as const }));
}

/** Every frame of the camera's segments (decoded before the session starts: the scenario clock does not wait). */
async function referenceFrames(cameraId: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const s of segments[cameraId]!) out.push(...(await decode(join(recRoot, s.file), 1000)).frames);
  return out;
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-feed-'));
  dirs.push(dataDir);
  recRoot = join(dataDir, 'recordings');
  sim = await startSimulator({ camerasFile: 'none', extra: 2 });
  shell = await startWebShell({ dataDir });
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  try {
    await addRecordedCameras(api, sim, [A, B]);
    await waitSegments(api, A, 9, 90_000);
    await waitSegments(api, B, 9, 90_000);
  } finally { api.close(); }
  await shell.close(); // the footage is on disk; the host's workers would only load the machine
  shell = undefined;
  await sim.close();
  sim = undefined;
  segments = { [A]: segmentsOnDisk(A), [B]: segmentsOnDisk(B) };
  refA = await referenceFrames(A);
  refB = await referenceFrames(B);
}, 180_000);

afterAll(async () => {
  runtime?.close();
  feeder?.close();
  await shell?.close();
  await sim?.close();
  if (!process.env.KZ_KEEP) for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('training footage feeder', () => {
  it('serves each scenario camera\'s recorded pictures as a live RTSP stream; a camera failure takes it away and it comes back', async () => {
    // the scenario starts at A's second segment (the first may begin before the camera's first sender report)
    const fromMs = segments[A]![1]!.startMs;
    const scenario = Scenario.parse({
      id: 'feed', name: 'Footage as live', source: { kind: 'recording', fromMs }, cameraIds: [A, B], durationMs: 60_000,
      events: [{ id: 'a-down', atMs: 14_000, kind: 'camera-failure', cameraId: A, durationMs: 8_000 }], expected: [],
    });
    const log = createLogger({ quiet: !process.env.KZ_DEBUG, level: 'warn' });
    feeder = createFootageFeeder({ log, segments: (c) => segments[c] ?? [], filePath: (s) => join(recRoot, s.file) });
    const sessionsDir = mkdtempSync(join(tmpdir(), 'kuzet-feed-sessions-'));
    dirs.push(sessionsDir);
    runtime = createTrainingSessions({
      dataDir: sessionsDir, log, tickMs: 100, scenario: () => scenario, cameras: () => [{ id: A }, { id: B }], rules: () => [], footage: feeder, emit: () => {},
    });
    const h = runtime.handlers;
    const id = (await h['training.sessions.start']({ scenarioId: 'feed', operator: 'dana' }, ctx)).status.id;
    const url = (c: string) => feeder!.url(id, c);
    await waitFor('the feeder', () => url(A), 20_000, 100);
    expect(url(A)).toMatch(/^rtsp:\/\/127\.0\.0\.1:\d+\/cam-extra-01$/);

    const liveA = await decode(url(A)!, 25);
    expect(liveA.frames.length).toBe(25);
    const toA = worstBestMatch(liveA.frames, refA);
    const toB = worstBestMatch(liveA.frames, refB);
    // the same bitstream decoded the same way: every streamed frame is one of A's recorded frames...
    expect(toA.luma).toBeLessThan(1.5);
    expect(toA.chroma).toBeLessThan(1.5);
    // ...and not a picture of the other camera's scene
    expect(toB.luma + toB.chroma).toBeGreaterThan(8);

    // the scripted failure of A: its stream is gone (DESCRIBE refused) while B keeps streaming
    await waitFor('camera A failing', async () => ((await h['training.sessions.status']({ id }, ctx)).status.failingCameras.includes(A) ? true : null), 30_000, 100);
    await new Promise((r) => setTimeout(r, 300)); // the feeder's answer to the stop command
    const downA = await decode(url(A)!, 1, 10_000);
    expect(downA.frames.length).toBe(0);
    expect(downA.code).not.toBe(0);
    const duringB = await decode(url(B)!, 10);
    expect(duringB.frames.length).toBe(10);
    expect(worstBestMatch(duringB.frames, refB).luma).toBeLessThan(1.5);

    // the failure is over: A streams its recorded pictures again, at the scenario's time
    await waitFor('camera A back', async () => ((await h['training.sessions.status']({ id }, ctx)).status.failingCameras.length === 0 ? true : null), 30_000, 100);
    const backA = await decode(url(A)!, 25);
    expect(backA.frames.length).toBe(25);
    expect(worstBestMatch(backA.frames, refA).luma).toBeLessThan(1.5);

    // the session's end stops its feeder
    await h['training.sessions.stop']({ id, operator: 'dana' }, ctx);
    await waitFor('feeder stopped', () => (url(A) === null ? true : null), 10_000, 100);
  }, 240_000);
});
