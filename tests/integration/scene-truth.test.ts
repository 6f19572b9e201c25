/**
 * The simulator's ground truth: the moving objects really move, the clips show them exactly where
 * native/simulator/sim_scenes.py says (decoded with ffmpeg), and truth mode reports every sent frame with a capture
 * time on the wall clock, 40 ms apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { CLIPS_DIR, ensureClips, startSimulator, type SimTruth, type Simulator } from '../../native/simulator/control.js';
import { ROOT, waitFor } from '../support/harness.js';

const SCENES = join(ROOT, 'native/simulator/sim_scenes.py');
type TruthObject = { track: string; x: number; w: number };
const truthAt = (scene: string, frame: number): TruthObject[] =>
  JSON.parse(execFileSync('/usr/bin/python3', [SCENES, 'truth', scene, String(frame)], { encoding: 'utf8' })) as TruthObject[];

/** RGB frames `frames` of a clip, decoded by ffmpeg. */
function decode(file: string, frames: number[], w: number, h: number): Buffer[] {
  const select = frames.map((f) => `eq(n\\,${f})`).join('+');
  const raw = execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-i', join(CLIPS_DIR, file), '-vf', `select='${select}'`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
  return frames.map((_, i) => raw.subarray(i * w * h * 3, (i + 1) * w * h * 3));
}

/** Horizontal extent [x0, x1) of the red car of the highway (0xd02020) in rows y0..y1. */
function redExtent(rgb: Buffer, w: number, y0: number, y1: number): [number, number] | null {
  let lo = w, hi = -1;
  for (let y = y0; y < y1; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 3;
    if (rgb[i]! > 140 && rgb[i + 1]! < 90 && rgb[i + 2]! < 90) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  }
  return hi < 0 ? null : [lo, hi + 1];
}

let sim: Simulator;
beforeAll(async () => { await ensureClips(); }, 300_000);
afterAll(async () => { await sim?.close(); });

describe('simulator ground truth', () => {
  it('the highway clip shows the red car where sim_scenes.py puts it, moving 17.8 px a frame', () => {
    const frames = [3, 40, 90, 150, 230];
    const pics = decode('highway-720p.h264', frames, 1280, 720);
    const xs: number[] = [];
    frames.forEach((f, i) => {
      const car = truthAt('highway', f).find((o) => o.track === 'car-red')!;
      const seen = redExtent(pics[i]!, 1280, 410, 450);
      expect(seen, `frame ${f}`).not.toBeNull();
      expect(Math.abs(seen![0] - car.x * 1280), `frame ${f} left edge`).toBeLessThanOrEqual(2);
      expect(Math.abs(seen![1] - (car.x + car.w) * 1280), `frame ${f} right edge`).toBeLessThanOrEqual(2);
      xs.push(seen![0]);
    });
    expect(new Set(xs).size, 'the car is somewhere else on every sampled frame').toBe(frames.length);
  });

  it('truth mode reports each sent frame: clip frame, capture time on the wall clock 40 ms apart, boxes', async () => {
    const started = Date.now();
    sim = await startSimulator({ only: ['airport-arrivals'] });
    const got: SimTruth[] = [];
    sim.onTruth((t) => { if (t.profile === 'main') got.push(t); });
    expect((await sim.truth('airport-arrivals', true)).truth).toBe(true);
    // A client makes the simulator send: read 1.5 s of the main stream with ffmpeg.
    await promisify(execFile)('ffmpeg', ['-hide_banner', '-v', 'error', '-rtsp_transport', 'tcp', '-i', sim.url('airport-arrivals', 'main'), '-t', '1.5', '-c', 'copy', '-f', 'null', '-'], { timeout: 30_000 });
    // the truth reports come over the control channel, a little after the frames: wait for them, not a fixed time
    await waitFor('25 truth reports', () => got.length >= 25, 10_000, 20).catch(() => undefined);
    expect(got.length).toBeGreaterThanOrEqual(25);
    const now = Date.now();
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.captureMs - got[i - 1]!.captureMs).toBeGreaterThanOrEqual(39);
      expect(got[i]!.captureMs - got[i - 1]!.captureMs).toBeLessThanOrEqual(41);
      expect(got[i]!.frame).toBe((got[i - 1]!.frame + 1) % 250);
    }
    // on the wall clock: after the simulator started, and no later than the few frames it queues ahead of their time
    expect(got[0]!.captureMs, 'capture times on the wall clock').toBeGreaterThanOrEqual(started);
    expect(got.at(-1)!.captureMs, 'capture times on the wall clock').toBeLessThanOrEqual(now + 1000);
    const last = got.at(-1)!;
    expect(last.scene).toBe('highway');
    expect(last.objects).toEqual(truthAt('highway', last.frame).map((o) => expect.objectContaining({ track: o.track, x: o.x, w: o.w })));
  }, 60_000);
});
