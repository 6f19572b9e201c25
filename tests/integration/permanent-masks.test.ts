/**
 * Permanent privacy masks in the media worker (issue 12 §3), against real processes: the RTSP simulator, the GStreamer
 * worker, the stream service. The pictures the host sends for a masked camera are black (Y 16, U and V 128) on every
 * pixel the mask covers, and outside it they are the camera's clip (luma and chroma, against a reference decode painted
 * with the same mask); the same camera without the mask shows a picture there. A masked camera is decoded in the
 * host even when the tile could decode compressed video itself.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_FLAG_ENCODED, FRAME_HEADER_BYTES, readFrameHeader } from '../../electron/contract/frames.js';
import type { MaskPoint } from '../../electron/contract/masks-schema.js';
import { createLogger } from '../../electron/host/log.js';
import { chromaSpans, lumaSpans, paintI420 } from '../../electron/host/masks/mask-raster.js';
import { StreamService } from '../../electron/host/streams/service.js';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { ROOT } from '../support/harness.js';
import { bestMatch, MATCH_CHROMA, MATCH_LUMA, thumbsOfI420 as thumbsOfI420At, type Thumb } from '../support/pictures.js';

const SIM_CAM = 'cam-extra-01';
const W = 320, H = 180;
/** A slanted quadrilateral: the polygon rule, not a rectangle, decides which pixels are covered. */
const MASK: MaskPoint[] = [{ x: 0.2, y: 0.2 }, { x: 0.62, y: 0.28 }, { x: 0.55, y: 0.72 }, { x: 0.15, y: 0.6 }];
const TAG = `kztest-pmask-${process.pid}`;

let sim: Simulator;
let svc: StreamService;
let clip: string;
const last = new Map<string, Buffer>();
const received = new Map<string, number>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function frameOf(id: string, timeoutMs = 60_000): Promise<Buffer> {
  last.delete(id);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const f = last.get(id);
    if (f) return f;
    await sleep(100);
  }
  throw new Error(`no frame of ${id} within ${timeoutMs} ms: ${JSON.stringify(svc.statuses())}`);
}

/** 64x36 thumbnails (pictures.ts) of tightly packed I420 pictures of W x H. */
const thumbsOfI420 = (raw: Uint8Array): Promise<Thumb[]> => thumbsOfI420At(raw, W, H);

/** Every frame of the camera's clip decoded at the tile's size, painted with the mask by the host's rule, as thumbnails. */
function maskedReference(): Promise<Thumb[]> {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', join(ROOT, 'resources', 'clips', clip), '-vf', `scale=${W}:${H}`,
    '-pix_fmt', 'yuv420p', '-f', 'rawvideo', '-'], { maxBuffer: 512 * 1024 * 1024 });
  const size = (W * H * 3) / 2;
  for (let o = 0; o + size <= raw.length; o += size) paintI420(raw.subarray(o, o + size), W, H, [MASK]);
  return thumbsOfI420(raw);
}

/** The covered pixels of each plane that are not the fill colour. */
function unpainted(frame: Buffer): { y: number; uv: number; covered: number } {
  const px = frame.subarray(FRAME_HEADER_BYTES);
  const cw = W / 2, uOff = W * H, vOff = uOff + cw * (H / 2);
  let y = 0, uv = 0, covered = 0;
  lumaSpans([MASK], W, H).forEach((spans, row) => { for (const [a, b] of spans) for (let x = a; x < b; x++) { covered++; if (px[row * W + x] !== 16) y++; } });
  chromaSpans(lumaSpans([MASK], W, H), W, H).forEach((spans, row) => {
    for (const [a, b] of spans) for (let x = a; x < b; x++) if (px[uOff + row * cw + x] !== 128 || px[vOff + row * cw + x] !== 128) uv++;
  });
  return { y, uv, covered };
}

beforeAll(async () => {
  sim = await startSimulator({ camerasFile: 'none', extra: 1 });
  clip = (await sim.cameras()).find((c) => c.id === SIM_CAM)!.streams.sub.file;
  // two camera records on the same simulated stream: one with a permanent mask, one without
  svc = new StreamService({
    resolve: (id) => (id === 'masked' || id === 'clear' ? { mainUrl: sim.url(SIM_CAM, 'main'), subUrl: sim.url(SIM_CAM, 'sub'), subCodec: 'h264', mainCodec: 'h264' } : undefined),
    privacyMasks: (id) => (id === 'masked' ? [MASK] : []),
    tag: TAG, graceMs: 2000, governor: false, standby: false, log: createLogger({ quiet: true }),
  });
  for (const id of ['masked', 'clear']) svc.subscribeFrames(id, (f) => { last.set(id, f); received.set(id, (received.get(id) ?? 0) + 1); });
  // the masked tile says it could decode H.264 itself: the host must decode it anyway
  svc.setDemand('a', [{ cameraId: 'masked', width: W, height: H, browserDecode: true }]);
  svc.setDemand('b', [{ cameraId: 'clear', width: W, height: H }]);
}, 120_000);

afterAll(async () => {
  await svc?.stopAll();
  await sim?.close();
});

describe('permanent masks painted by the media worker', () => {
  it('the masked region is uniform black in Y, U and V; the rest is the camera picture', async () => {
    await frameOf('masked');
    // past the first GOP (25 pictures at 25 fps): the pictures compared below are steady-state ones
    const from = received.get('masked') ?? 0;
    for (const until = Date.now() + 60_000; (received.get('masked') ?? 0) < from + 40;) {
      if (Date.now() > until) throw new Error('the masked camera stopped sending pictures');
      await sleep(100);
    }
    const reference = await maskedReference();
    for (let i = 0; i < 3; i++) {
      const f = await frameOf('masked');
      const h = readFrameHeader(f)!;
      expect(h.flags & FRAME_FLAG_ENCODED, 'a masked camera is never sent compressed').toBe(0);
      expect([h.width, h.height]).toEqual([W, H]);
      const u = unpainted(f);
      expect(u.covered).toBeGreaterThan(W * H * 0.1);
      expect(u, 'every covered pixel is the fill').toMatchObject({ y: 0, uv: 0 });
      const m = bestMatch((await thumbsOfI420(f.subarray(FRAME_HEADER_BYTES)))[0]!, reference);
      expect(m.luma, 'outside the mask: the picture (luma)').toBeLessThan(MATCH_LUMA);
      expect(m.chroma, 'outside the mask: the picture (chroma)').toBeLessThan(MATCH_CHROMA);
      await sleep(700); // paces the samples: three different pictures, 0.7 s apart (not a wait for a state)
    }
    expect(svc.statuses().find((s) => s.cameraId === 'masked')?.encoded).toBe(false);
  }, 120_000);

  it('the same stream without the mask shows the picture in that region', async () => {
    const f = await frameOf('clear');
    const u = unpainted(f);
    expect(u.y, 'unmasked: most covered pixels are not the fill').toBeGreaterThan(u.covered * 0.5);
  }, 60_000);
});
