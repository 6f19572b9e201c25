/**
 * Reading the capture time the simulator burns into each picture in time-stamp mode (native/simulator/timestamp-code.ts)
 * from recordings and from what review's players painted. Shared by bench:review (tests/bench/review.ts) and the review
 * end-to-end test, so both read pictures the same way.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Page } from 'playwright-core';
import { decodeTimestampBlocks } from '../../native/simulator/timestamp-code.js';
import { ROOT } from './harness.js';

/** The time-stamp decoder for the page (the same module, bundled): window.__kuzetStamp.decodeTimestampBlocks. */
export const STAMP_IN_PAGE = buildSync({ entryPoints: [join(ROOT, 'native/simulator/timestamp-code.ts')], bundle: true, format: 'iife', globalName: '__kuzetStampLib', write: false, logLevel: 'silent' })
  .outputFiles[0]!.text + ';window.__kuzetStamp = __kuzetStampLib;';
/** The page's window once installStampReader ran. */
export type StampWindow = { __kuzetStamp: { decodeTimestampBlocks: typeof decodeTimestampBlocks } };

/**
 * Every frame of a recorded file: its pts (ms, the file's own time, which the player puts at the segment's start) and
 * the time stamp burnt into it (the band decoded from ffmpeg's gray pictures). The simulator stamps its wall clock
 * when it encodes a frame, so under load stamps are not pts + a constant: each frame's own stamp is what is expected.
 */
export function framesOf(file: string, nearMs: number): Array<{ ptsMs: number; stamp: number | null }> {
  const pts = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file], { encoding: 'utf8' })
    .trim().split('\n').map((x) => Math.round(Number(x) * 1000));
  const w = 640, h = 360;
  // every decoded frame 40 ms after the one before (setpts; any rising time stamps would do): a recording made on a
  // starved machine repeats time stamps, and the raw video muxer drops a frame whose time stamp does not increase,
  // which set every later frame's stamp on the wrong pts
  const gray = execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-i', file, '-vsync', '0', '-vf', `setpts=N/(25*TB),scale=${w}:${h}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 256 << 20 });
  return pts.map((ptsMs, k) => ({ ptsMs, stamp: (k + 1) * w * h <= gray.length ? decodeTimestampBlocks(gray.subarray(k * w * h, (k + 1) * w * h), w, h, w, 1, nearMs, 3_600_000) : null }));
}

/** Loads the in-page decoder once per page (idempotent). */
export async function installStampReader(page: Page): Promise<void> {
  if (!(await page.evaluate(() => '__kuzetStamp' in window))) await page.evaluate(STAMP_IN_PAGE);
}

/**
 * The time stamps of review's painted pictures (one per `.review-cell video`, grid order; null where none is readable)
 * with the camera each shows, and the playback position, read back in one task: each video drawn into a canvas, its band decoded.
 * Needs installStampReader(page) first.
 */
export function readPaintedStamps(page: Page): Promise<{ v: Array<number | null>; cams: Array<string | null>; pos: number }> {
  return page.evaluate(() => {
    const dec = (window as unknown as StampWindow).__kuzetStamp.decodeTimestampBlocks;
    const c = document.createElement('canvas');
    c.width = 640; c.height = 360;
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    const near = (window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position();
    const videos = [...document.querySelectorAll<HTMLVideoElement>('.review-cell video')];
    const v = videos.map((el) => {
      if (!el.videoWidth) return null;
      ctx.drawImage(el, 0, 0, 640, 360);
      return dec(ctx.getImageData(0, 0, 640, 360).data, 640, 360, 640 * 4, 4, near, 600_000);
    });
    return { v, cams: videos.map((el) => el.closest('.review-cell')?.getAttribute('data-camera') ?? null), pos: near };
  });
}
