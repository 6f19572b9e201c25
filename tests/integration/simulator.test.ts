// The camera simulator against real clients: gst-launch-1.0 and ffmpeg/ffprobe over RTSP.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCameras, startSimulator, type Simulator } from '../../native/simulator/control.js';
import { decodeTimestampBlocks } from '../../native/simulator/timestamp-code.js';
import { ROOT } from '../support/harness.js';

interface Run { code: number | null; stdout: Buffer; stderr: string }

/** Runs a client in its own process group, killed as a group after `timeoutMs`. */
function run(cmd: string, args: string[], timeoutMs: number, onStdout?: (d: Buffer) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { out.push(d); onStdout?.(d); });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); });
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout: Buffer.concat(out), stderr }); });
  });
}

async function probe(url: string): Promise<{ width: number; height: number } | null> {
  const r = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v:0',
    '-show_entries', 'stream=width,height', '-of', 'json', url], 10_000);
  if (r.code !== 0) return null;
  const s = (JSON.parse(r.stdout.toString()) as { streams: { width: number; height: number }[] }).streams[0];
  return s ? { width: s.width, height: s.height } : null;
}

/** Frames a real GStreamer client decodes in `seconds` after the first one arrives. */
async function countFrames(url: string, seconds: number): Promise<number> {
  const r = await run('gst-launch-1.0', ['rtspsrc', `location=${url}`, 'protocols=tcp', 'latency=200', '!',
    'rtph264depay', '!', 'h264parse', '!', 'avdec_h264', '!', 'fpsdisplaysink', 'video-sink=fakesink',
    'text-overlay=false', 'fps-update-interval=500', 'signal-fps-measurements=false', '-v'], (seconds + 6) * 1000);
  const rendered = [...r.stderr.matchAll(/rendered: (\d+)/g), ...r.stdout.toString().matchAll(/rendered: (\d+)/g)]
    .map((m) => Number(m[1]));
  // fpsdisplaysink reports every 0.5 s; take the span of `seconds` ending at the last report.
  const last = rendered.at(-1) ?? 0;
  const earlier = rendered.at(-1 - seconds * 2) ?? 0;
  return last - earlier;
}


interface Watch { reports: { t: number; rendered: number }[]; widths: { t: number; width: number }[]; exited: Promise<Run>; kill(): void }

/** A GStreamer client decoding `url` as frames arrive (no clock sync), observed live: frame counts and picture width. */
function watch(url: string): Watch {
  const child = spawn('gst-launch-1.0', ['rtspsrc', `location=${url}`, 'protocols=tcp', 'latency=200', '!',
    'rtph264depay', '!', 'h264parse', '!', 'avdec_h264', '!', 'fpsdisplaysink', 'video-sink=fakesink',
    'text-overlay=false', 'sync=false', 'fps-update-interval=250', '-v'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const w: Omit<Watch, 'exited' | 'kill'> = { reports: [], widths: [] };
  const out: Buffer[] = [];
  let stderr = '';
  const onData = (d: Buffer): void => {
    const t = Date.now();
    for (const m of d.toString().matchAll(/rendered: (\d+)/g)) w.reports.push({ t, rendered: Number(m[1]) });
    for (const m of d.toString().matchAll(/avdec_h264.*src: caps = video\/x-raw.*?width=\(int\)(\d+)/g)) {
      w.widths.push({ t, width: Number(m[1]) });
    }
  };
  child.stdout.on('data', (d: Buffer) => { out.push(d); onData(d); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); onData(d); });
  const exited = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr })));
  return { ...w, exited, kill: () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } } };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond` holds; fails the test with a clear message after `timeoutMs`. */
async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Frames rendered between two wall-clock times, from fps reports. */
function renderedBetween(w: Watch, from: number, to: number): number {
  const at = (t: number): number => w.reports.filter((r) => r.t <= t).at(-1)?.rendered ?? 0;
  return at(to) - at(from);
}

describe('camera simulator', () => {
  let sim: Simulator;
  const cam = 'abay-dostyk';
  const other = 'tolebi-panfilov-crossing';

  beforeAll(async () => {
    sim = await startSimulator({ only: [cam, other] });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('serves the demo city cameras and reports their clips', async () => {
    expect(demoCameras().length).toBeGreaterThanOrEqual(16);
    const cams = await sim.cameras();
    expect(cams.map((c) => c.id).sort()).toEqual([cam, other].sort());
    const crossing = cams.find((c) => c.id === other)!;
    expect(crossing.streams.main).toMatchObject({ width: 1280, height: 720, slicesPerFrame: 4 });
    expect(crossing.streams.sub.url).toBe(sim.url(other, 'sub'));
  });

  it('serves 720p main and 360p sub streams', async () => {
    expect(await probe(sim.url(cam, 'main'))).toEqual({ width: 1280, height: 720 });
    expect(await probe(sim.url(other, 'sub'))).toEqual({ width: 640, height: 360 });
  });

  // Two real-time checks of different cameras, side by side (each mostly waits on the clock: about 11 s in all instead of 20).
  describe.concurrent('real-time clients, one camera each', () => {
    it('paces frames at 25 fps for a real client', async () => {
      // A clock-synced client renders no more than 25 frames a second: the simulator does not send ahead of real time.
      // How many it manages depends on load (a busy client drops late frames): logged, and it must render some.
      const frames = await countFrames(sim.url(cam, 'sub'), 3);
      console.log(`[simulator] a GStreamer client rendered ${frames} frames in 3 s`);
      expect(frames).toBeGreaterThan(0);
      expect(frames).toBeLessThanOrEqual(90);
    }, 30_000);

    it('loops a multi-slice clip seamlessly for a decoder', async () => {
      // The clips are 10 s long: 11 s of decoding crosses a loop point.
      const r = await run('ffmpeg', ['-v', 'warning', '-rtsp_transport', 'tcp', '-i', sim.url(other, 'sub'), '-t', '11',
        '-f', 'null', '-'], 25_000);
      expect(r.code).toBe(0);
      expect(r.stderr.trim()).toBe('');
    }, 30_000);
  });

  it('takes a stopped camera offline and brings it back', async () => {
    expect((await sim.stop(cam)).online).toBe(false);
    expect(await probe(sim.url(cam, 'sub'))).toBeNull();
    expect(await probe(sim.url(other, 'sub'))).not.toBeNull();
    expect((await sim.start(cam)).online).toBe(true);
    expect(await probe(sim.url(cam, 'sub'))).toEqual({ width: 640, height: 360 });
  }, 40_000);


  it('stalls a session without closing it, then resumes at 25 fps', async () => {
    const w = watch(sim.url(cam, 'sub'));
    const rendered = (): number => w.reports.at(-1)?.rendered ?? 0;
    try {
      await until(() => rendered() >= 25, 20_000);
      expect((await sim.stall(cam)).stalled).toBe(true);
      // frames already on their way drain; then no report for a second (the sink reports only as frames pass)
      await until(() => (w.reports.at(-1)?.t ?? 0) < Date.now() - 1000, 10_000);
      const stopped = rendered();
      // the thing tested: a stalled session sends nothing, however long it stays stalled. Meanwhile another camera's
      // session renders 50 frames (the simulator and this machine went on), and this one's count does not move
      const o = watch(sim.url(other, 'sub'));
      try {
        await until(() => (o.reports.at(-1)?.rendered ?? 0) >= 50, 20_000);
      } finally { o.kill(); }
      expect(rendered(), 'frames while stalled').toBe(stopped);
      const resumed = Date.now();
      await sim.unstall(cam);
      // the same session resumes: the client's count goes on (how soon and how fast depends on load: logged)
      await until(() => rendered() >= stopped + 35, 20_000);
      console.log(`[simulator] 35 frames after resuming in ${Date.now() - resumed} ms`);
    } finally {
      w.kill();
    }
    expect((await w.exited).stderr).not.toMatch(/ERROR/);
  }, 30_000);

  it('switches the main stream resolution in-stream (new SPS, same session)', async () => {
    const w = watch(sim.url(cam, 'main'));
    try {
      await until(() => w.widths.length > 0, 10_000);
      const before = w.widths.length;
      expect((await sim.resolution(cam, '1080p')).streams.main).toMatchObject({ width: 1920, height: 1080 });
      // The switch lands on the next keyframe (<= 1 s); a busy client may need longer to get there.
      await until(() => w.widths.slice(before).some((x) => x.width === 1920), 15_000);
      expect(w.widths.slice(0, before).map((x) => x.width)).toEqual([1280]);
      const at1080 = Date.now();
      // and keeps decoding at the new size in the same session
      await until(() => renderedBetween(w, at1080, Date.now()) >= 20, 20_000);
    } finally {
      w.kill();
      await sim.resolution(cam, '720p');
    }
  }, 45_000);

  it('rejects bad control requests with a clear error', async () => {
    await expect(sim.stop('no-such-camera')).rejects.toThrow(/404 unknown camera/);
    await expect(sim.resolution(cam, '4k' as never)).rejects.toThrow(/400 size must be one of/);
  });

  // The damaged stream of one camera and the stamped frames of the other, side by side (both wait on real time).
  describe.concurrent('damage and time stamps, one camera each', () => {
    it('corrupts the bitstream for the requested time', async () => {
      let progress = '';
      const decode = run('ffmpeg', ['-v', 'error', '-rtsp_transport', 'tcp', '-i', sim.url(other, 'sub'), '-t', '6',
        '-progress', 'pipe:1', '-f', 'null', '-'], 30_000, (d) => { progress += d.toString(); });
      // the client is decoding the stream before the damage starts
      await until(() => /frame=[1-9]/.test(progress), 20_000);
      expect((await sim.corrupt(other, 2)).corrupting).toBe(true);
      const r = await decode;
      expect(r.stderr).toMatch(/error while decoding|unavailable for requested|concealing|corrupt|Invalid/i);
      expect((await sim.cameras()).find((c) => c.id === other)!.corrupting).toBe(false);
    }, 45_000);

    it('burns the wall clock into frames in time-stamp mode', async () => {
      expect((await sim.timestamp(cam, true)).timestamp).toBe(true);
      const frameBytes = 640 * 360;
      const frames = 40; // past ffmpeg's start-up buffering, frames arrive in real time
      // Note when the last frame's bytes arrive: that is "now" for the stamp it carries.
      const started = Date.now();
      const child = spawn('ffmpeg', ['-v', 'error', '-fflags', 'nobuffer', '-flags', 'low_delay', '-rtsp_transport', 'tcp',
        '-i', sim.url(cam, 'sub'), '-frames:v', String(frames), '-vf', 'format=gray', '-f', 'rawvideo', '-'],
      { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 20_000);
      const chunks: Buffer[] = [];
      let received = 0;
      child.stdout.on('data', (d: Buffer) => { chunks.push(d); received = Date.now(); });
      await new Promise((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      expect(all.length).toBe(frames * frameBytes);
      const last = all.subarray((frames - 1) * frameBytes);
      const stamped = decodeTimestampBlocks(last, 640, 360, 640, 1);
      expect(stamped).not.toBeNull();
      // the sender's wall clock when the frame was made: after the client started and before its bytes arrived (same
      // machine, one clock); how long before depends on load: logged
      expect(stamped!).toBeGreaterThanOrEqual(started);
      expect(stamped!).toBeLessThanOrEqual(received);
      console.log(`[simulator] last frame stamped ${received - stamped!} ms before its bytes arrived`);
      // the stamped picture is one of the clip's (time-stamp mode encodes the clip's decoded pictures): below the
      // stamp's band it matches a frame of the clip's own decode closely (x264 at quantizer 21: 0.6 of 255 on average
      // here, the next frames 1.1-1.3); pictures read with a wrong size or layout differ by tens
      const file = (await sim.cameras()).find((c) => c.id === cam)!.streams.sub.file;
      const clip = (await run('ffmpeg', ['-v', 'error', '-i', join(ROOT, 'resources', 'clips', file), '-vf', 'format=gray', '-f', 'rawvideo', '-'], 30_000)).stdout;
      const below = Math.max(8, Math.floor(360 / 24)) * 640 + 640 * 8; // the stamp's band and a margin
      const diffs: number[] = [];
      for (let f = 0; (f + 1) * frameBytes <= clip.length; f++) {
        let sum = 0;
        for (let i = below; i < frameBytes; i += 7) sum += Math.abs(last[i]! - clip[f * frameBytes + i]!);
        diffs.push(sum / Math.ceil((frameBytes - below) / 7));
      }
      const sorted = [...diffs].sort((a, b) => a - b);
      expect(diffs.length).toBe(250);
      console.log(`[simulator] stamped picture against the clip's frames, closest: ${sorted.slice(0, 4).map((x) => x.toFixed(2)).join(', ')}`);
      expect(sorted[0]!).toBeLessThan(2);
      // An unstamped picture of the same camera does not decode.
      await sim.timestamp(cam, false);
      const plain = await run('ffmpeg', ['-v', 'error', '-rtsp_transport', 'tcp', '-i', sim.url(cam, 'sub'),
        '-frames:v', '1', '-vf', 'format=gray', '-f', 'rawvideo', '-'], 15_000);
      expect(plain.stdout.length).toBe(frameBytes);
      expect(decodeTimestampBlocks(plain.stdout, 640, 360, 640, 1)).toBeNull();
    }, 45_000);
  });
});
