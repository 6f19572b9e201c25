/**
 * The seek poster (renderer/review/seek-poster.ts): with posters on, a paused seek's picture is decoded by WebCodecs and
 * drawn over the tile until the <video> shows that frame itself. Chromium through a web shell on recordings written here
 * (4 s fragmented-MP4 files of a 720p clip, one key-frame fragment a second, as the bench's); seeks to frame times in
 * different GOPs (key frame, mid-GOP, the GOP's last frame). The poster's pixels must match ffmpeg's decode of that
 * frame, `__kuzetReview.shown()` must give the poster's frame while it is what is on screen, and once the <video> has
 * taken over (the poster hidden) the tile's picture must be the same frame.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentFile } from '../../electron/host/recording/segment.js';
import { artifactsDir, launchBrowser, ROOT, waitFor } from '../support/harness.js';
import { pictureError, pictureMatches, THUMB_FILTER, THUMB_H, THUMB_W, thumbOfRgba, thumbsOfYuv444, type Thumb } from '../support/pictures.js';
import { openReviewOn, reviewTileThumb, type ReviewOnRecordings } from '../support/review-page.js';

const CAM = 'cam-poster';
const SLOT_MS = 4000;
const SLOTS = 30;
const dir = mkdtempSync(join(tmpdir(), 'kuzet-review-poster-'));
const shots = artifactsDir();
const T0 = Math.floor(Date.now() / 1000) * 1000 - 15 * 60_000;
let file = '';
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let review: ReviewOnRecordings | undefined;
const slotStart = (i: number) => T0 + i * SLOT_MS;
type Diag = { __kuzetReview: { seek(ms: number): void; shown(): Record<string, number | null>; traces(): Record<string, { poster?: number } | null>; posters(mode: string, waitMs?: number): void; posterOutcomes(): Record<string, number>; posterBitmap(cam: string): Promise<ImageBitmap | null> } };

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  file = join(dir, 'intersection.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-fflags', '+genpts', '-r', '25', '-i', join(ROOT, 'resources', 'clips', 'intersection-720p.h264'), '-frames:v', '100', '-c', 'copy',
    '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', '-y', file]);
  const index: string[] = [];
  for (let i = 0; i < SLOTS; i++) {
    const seg = segmentFile(CAM, slotStart(i));
    const f = join(dir, 'data', 'recordings', seg);
    mkdirSync(dirname(f), { recursive: true });
    linkSync(file, f);
    index.push(JSON.stringify({ add: { cameraId: CAM, startMs: slotStart(i), endMs: slotStart(i) + SLOT_MS, file: seg, bytes: statSync(f).size, status: 'ok' } }));
  }
  review = await openReviewOn(dir, index, [{ id: CAM, name: 'Poster' }], '1');
  ({ browser } = review);
  // 'wait' (up to 20 s here, not the product's 0.5 s: a busy machine must not make the video first): the <video>'s append
  // waits for the poster, so the poster is what shows the seek's picture first
  await browser.page.evaluate(() => (window as unknown as Diag).__kuzetReview.posters('wait', 20_000));
}, 150_000);

afterAll(async () => {
  await review?.close();
});

/** ffmpeg's decode of the file's frame at `ms` (a frame time) as a 64x36 YUV thumbnail. */
function decodeAt(ms: number): Thumb {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', (ms / 1000).toFixed(3), '-i', file, '-frames:v', '1', '-vf', THUMB_FILTER, '-f', 'rawvideo', '-']);
  const t = thumbsOfYuv444(new Uint8Array(raw))[0];
  if (!t) throw new Error(`ffmpeg decoded nothing ${ms} ms in`);
  return t;
}

/**
 * Seeks to `at` and, in the animation frame where the player's trace first says the poster is on screen, reads what
 * shown() reports, whether the poster canvas is visible, and the poster's picture (its contain rect, area-averaged).
 */
async function seekForPoster(at: number): Promise<{ shown: number | null; visible: boolean; rgba: number[] }> {
  return browser.page.evaluate(({ at, cam, W, H }) => new Promise<{ shown: number | null; visible: boolean; rgba: number[] }>((done, fail) => {
    const w = window as unknown as Diag;
    w.__kuzetReview.seek(at);
    const t0 = performance.now();
    const check = () => {
      const tr = w.__kuzetReview.traces()[cam];
      if (tr?.poster === undefined) {
        if (performance.now() - t0 > 30_000) fail(new Error(`no poster within 30 s: ${JSON.stringify(w.__kuzetReview.posterOutcomes())}`));
        else requestAnimationFrame(check);
        return;
      }
      const c = document.querySelector(`.review-cell[data-camera="${cam}"] canvas.review-poster`) as HTMLCanvasElement;
      const shown = w.__kuzetReview.shown()[cam] ?? null;
      const visible = !c.hidden;
      // the poster's pixels (its canvas is drawn by the poster worker: read there), area-averaged over the picture's rect
      void w.__kuzetReview.posterBitmap(cam).then((bm) => {
        if (!bm) { fail(new Error('no poster bitmap')); return; }
        const k = document.createElement('canvas');
        k.width = bm.width; k.height = bm.height;
        const ctx = k.getContext('2d')!;
        ctx.drawImage(bm, 0, 0);
        const s = Math.min(k.width / 1280, k.height / 720); // object-fit: contain of 1280x720
        const fw = Math.floor(1280 * s), fh = Math.floor(720 * s), fx = Math.ceil((k.width - fw) / 2), fy = Math.ceil((k.height - fh) / 2);
        const px = ctx.getImageData(fx, fy, fw - 1, fh - 1);
        const sum: number[] = new Array(W * H * 3).fill(0);
        const cnt: number[] = new Array(W * H).fill(0);
        for (let y = 0; y < px.height; y++) for (let x = 0; x < px.width; x++) {
          const cell = Math.min(H - 1, Math.floor((y * H) / px.height)) * W + Math.min(W - 1, Math.floor((x * W) / px.width));
          const i = (y * px.width + x) * 4;
          sum[cell * 3]! += px.data[i]!; sum[cell * 3 + 1]! += px.data[i + 1]!; sum[cell * 3 + 2]! += px.data[i + 2]!;
          cnt[cell]!++;
        }
        const rgba: number[] = [];
        for (let q = 0; q < W * H; q++) { const n = Math.max(1, cnt[q]!); rgba.push(sum[q * 3]! / n, sum[q * 3 + 1]! / n, sum[q * 3 + 2]! / n, 255); }
        done({ shown, visible, rgba });
      });
      return;
    };
    requestAnimationFrame(check);
  }), { at, cam: CAM, W: THUMB_W, H: THUMB_H });
}

describe('seek poster (WebCodecs picture over the tile until the video shows it)', () => {
  it('draws the exact frame of the moment, reports it, and the video takes over with the same frame', async () => {
    const { page } = browser;
    // the player's first seek opens its MediaSource (no poster for a player's first footage)
    await page.evaluate((ms) => (window as unknown as Diag).__kuzetReview.seek(ms), slotStart(8) + 1000);
    await waitFor('the first picture', async () => page.evaluate(({ cam, at }) => { const s = (window as unknown as Diag).__kuzetReview.shown()[cam]; return s !== null && s !== undefined && Math.abs(s - at) <= 40; }, { cam: CAM, at: slotStart(8) + 1000 }), 60_000);
    // [slot, frame time in the file]: a key frame, mid-GOP, a GOP's last frame (each slot far from the last: not buffered)
    for (const [slot, frameMs] of [[4, 520], [12, 1960], [20, 2000], [27, 3480]] as const) {
      const at = slotStart(slot) + frameMs + 1;
      const label = `slot ${slot} +${frameMs} ms`;
      const got = await seekForPoster(at);
      const want = decodeAt(frameMs);
      const poster = thumbOfRgba(got.rgba, THUMB_W, THUMB_H);
      const e = pictureError(poster, want);
      expect(got.visible, label).toBe(true);
      expect(got.shown, `${label}: shown() while the poster is up`).toBe(slotStart(slot) + frameMs);
      expect(pictureMatches(e), `${label}: poster vs ffmpeg's frame ${JSON.stringify(e)}`).toBe(true);
      // the <video> takes over: the poster hides once the element presents that frame
      await waitFor(`${label}: the video shows the frame and the poster is hidden`, async () => page.evaluate(({ cam, at }) => {
        const c = document.querySelector(`.review-cell[data-camera="${cam}"] canvas.review-poster`) as HTMLCanvasElement;
        const s = (window as unknown as Diag).__kuzetReview.shown()[cam];
        return c.hidden && s !== null && s !== undefined && Math.abs(s - at) <= 40;
      }, { cam: CAM, at }), 30_000);
      await page.screenshot({ path: join(shots, `review-poster-${slot}.png`) });
      const video = await reviewTileThumb(page, CAM);
      const ev = pictureError(video, want);
      const same = pictureError(video, poster);
      expect(pictureMatches(ev), `${label}: video vs ffmpeg's frame ${JSON.stringify(ev)}`).toBe(true);
      expect(same.luma, `${label}: video vs poster ${JSON.stringify(same)}`).toBeLessThan(4);
    }
    const outcomes = await page.evaluate(() => (window as unknown as Diag).__kuzetReview.posterOutcomes());
    expect(outcomes.drawn, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
