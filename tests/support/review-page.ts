/** Reading the review player's pictures in e2e tests (review and incident replay share the player). */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makePresetLayout, type PresetId } from '../../electron/contract/layout-presets.js';
import { INDEX_FILE } from '../../electron/host/recording/segment-index.js';
import { ApiClient } from './api-client.js';
import { launchBrowser, startWebShell, type RunningShell } from './harness.js';
import { thumbOfRgba, THUMB_H, THUMB_W, type Thumb } from './pictures.js';

/** A web shell over recordings written as the recorder journals them, with Chromium on its Review view. */
export interface ReviewOnRecordings {
  shell: RunningShell;
  api: ApiClient;
  browser: Awaited<ReturnType<typeof launchBrowser>>;
  /** Closes the browser, the client and the shell, and removes `dir`. */
  close(): Promise<void>;
}

/**
 * Review of recordings already on disk: `dir`/data/recordings holds the segment files, `index` the journal's lines; the
 * cameras are added without a live stream (`sub`: with a sub-stream URL too), the main display shows them in `preset`,
 * and Chromium opens the Review view.
 */
export async function openReviewOn(dir: string, index: readonly string[], cameras: ReadonlyArray<{ id: string; name: string; sub?: boolean }>, preset: PresetId): Promise<ReviewOnRecordings> {
  writeFileSync(join(dir, 'data', 'recordings', INDEX_FILE), `${index.join('\n')}\n`);
  const shell = await startWebShell({ dataDir: join(dir, 'data'), env: { KUZET_MQTT_PORT: '0' } });
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  for (const c of cameras) {
    await api.call('cameras.add', { camera: { id: c.id, name: c.name, mainUrl: 'rtsp://127.0.0.1:9/none', ...(c.sub ? { subUrl: 'rtsp://127.0.0.1:9/none-sub' } : {}) }, probe: false });
  }
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout(preset, cameras.map((c) => c.id), 'live', 'Live') });
  const browser = await launchBrowser();
  await browser.page.goto(shell.info.url);
  await browser.page.getByRole('button', { name: 'Review' }).click();
  await browser.page.getByTestId('review').waitFor();
  return {
    shell, api, browser,
    async close() {
      await browser.close();
      api.close();
      await shell.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The recorded picture a review or replay tile of `cameraId` shows (its <video>), as a 64x36 YUV thumbnail (area average
 * of the video frame). Read once the player says the picture is shown (`__kuzetReview.shown()`), which counts a picture
 * only once the compositor has it (ReviewPlayer `presented`): before, a new MediaSource's first picture could read black.
 */
export async function reviewTileThumb(page: Page, cameraId: string): Promise<Thumb> {
  const data = await page.evaluate(({ cameraId, W, H }) => {
    const v = document.querySelector(`.review-cell[data-camera="${cameraId}"] video`) as HTMLVideoElement | null;
    if (!v || v.videoWidth === 0) throw new Error('no picture');
    const c = document.createElement('canvas');
    c.width = v.videoWidth; c.height = v.videoHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(v, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const sum: number[] = new Array(W * H * 3).fill(0);
    const cnt: number[] = new Array(W * H).fill(0);
    for (let y = 0; y < c.height; y++) {
      const ty = Math.min(H - 1, Math.floor((y * H) / c.height));
      for (let x = 0; x < c.width; x++) {
        const cell = ty * W + Math.min(W - 1, Math.floor((x * W) / c.width));
        const i = (y * c.width + x) * 4;
        sum[cell * 3]! += px[i]!; sum[cell * 3 + 1]! += px[i + 1]!; sum[cell * 3 + 2]! += px[i + 2]!;
        cnt[cell]!++;
      }
    }
    const rgba: number[] = [];
    for (let k = 0; k < W * H; k++) { const n = Math.max(1, cnt[k]!); rgba.push(sum[k * 3]! / n, sum[k * 3 + 1]! / n, sum[k * 3 + 2]! / n, 255); }
    return rgba;
  }, { cameraId, W: THUMB_W, H: THUMB_H });
  return thumbOfRgba(data, THUMB_W, THUMB_H);
}

/**
 * The picture a replay mirror tile of `cameraId` shows (a tile whose camera's player is in another tile: its canvas
 * copy of that player's picture), as a 64x36 YUV thumbnail of the letterboxed picture on the canvas. `nth`: which of
 * the camera's mirror tiles (`displayId` narrows them to one replayed display).
 */
export async function mirrorTileThumb(page: Page, cameraId: string, displayId?: string): Promise<Thumb> {
  const data = await page.evaluate(({ cameraId, displayId, W, H }) => {
    const scope = displayId ? `.replay-wall[data-display="${displayId}"] ` : '';
    const c = document.querySelector(`${scope}.review-cell[data-mirror="${cameraId}"] canvas.review-mirror`) as HTMLCanvasElement | null;
    const v = document.querySelector(`.review-cell[data-camera="${cameraId}"] video`) as HTMLVideoElement | null;
    if (!c || !v || v.videoWidth === 0 || c.width === 0) throw new Error('no mirrored picture');
    // where the picture lies on the canvas (object-fit: contain, as drawn)
    const s = Math.min(c.width / v.videoWidth, c.height / v.videoHeight);
    const fw = Math.floor(v.videoWidth * s), fh = Math.floor(v.videoHeight * s);
    const fx = Math.ceil((c.width - fw) / 2), fy = Math.ceil((c.height - fh) / 2);
    const px = c.getContext('2d')!.getImageData(fx, fy, fw - 1, fh - 1);
    const sum: number[] = new Array(W * H * 3).fill(0);
    const cnt: number[] = new Array(W * H).fill(0);
    for (let y = 0; y < px.height; y++) {
      const ty = Math.min(H - 1, Math.floor((y * H) / px.height));
      for (let x = 0; x < px.width; x++) {
        const cell = ty * W + Math.min(W - 1, Math.floor((x * W) / px.width));
        const i = (y * px.width + x) * 4;
        sum[cell * 3]! += px.data[i]!; sum[cell * 3 + 1]! += px.data[i + 1]!; sum[cell * 3 + 2]! += px.data[i + 2]!;
        cnt[cell]!++;
      }
    }
    const rgba: number[] = [];
    for (let k = 0; k < W * H; k++) { const n = Math.max(1, cnt[k]!); rgba.push(sum[k * 3]! / n, sum[k * 3 + 1]! / n, sum[k * 3 + 2]! / n, 255); }
    return rgba;
  }, { cameraId, displayId, W: THUMB_W, H: THUMB_H });
  return thumbOfRgba(data, THUMB_W, THUMB_H);
}

/** A timeline marker as drawn on its row's canvas, in the page's CSS pixels (`__kuzetTimeline.marks()`, Timeline.tsx). */
export interface DrawnMark { cameraId: string; kind: string; atMs: number; text: string | null; x: number; y: number; width: number; height: number }

/** The timeline's markers as drawn now. */
export async function timelineMarks(page: Page): Promise<DrawnMark[]> {
  return page.evaluate(() => (window as unknown as { __kuzetTimeline?: { marks(): DrawnMark[] } }).__kuzetTimeline?.marks() ?? []);
}

/** The colour [r, g, b, a] drawn at a marker's centre on its row's canvas: what the operator sees there. */
export async function markPixel(page: Page, mark: DrawnMark): Promise<number[]> {
  return page.evaluate(({ cameraId, x, y, width, height }) => {
    const c = document.querySelector(`.tl-row[data-camera="${cameraId}"] canvas.tl-marks`) as HTMLCanvasElement;
    const r = c.getBoundingClientRect(), dpr = c.width / r.width;
    return Array.from(c.getContext('2d')!.getImageData(Math.round((x + width / 2 - r.left) * dpr), Math.round((y + height / 2 - r.top) * dpr), 1, 1).data);
  }, mark);
}
