/**
 * Pixel truth for end-to-end tests: reference decodes of the simulator's clips and in-page sampling of what the
 * wall actually painted. Pictures are compared as 64x36 luma thumbnails of the letterboxed picture, against every
 * frame of the clip the camera loops (the tile may show any of them). A corrupt decode (green smears, broken
 * slices) or the wrong camera gives a large error even when frame counters look healthy.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './harness.js';

export const THUMB_W = 64;
export const THUMB_H = 36;
const cache = new Map<string, Uint8Array[]>();

/** Every frame of a clip as a 64x36 full-range luma thumbnail (area-averaged, like the in-page sampler). */
export function referenceThumbs(clipFile: string): Uint8Array[] {
  const hit = cache.get(clipFile);
  if (hit) return hit;
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', join(ROOT, 'resources', 'clips', clipFile), '-vf',
    `scale=${THUMB_W}:${THUMB_H}:flags=area:out_range=full,format=gray`, '-f', 'rawvideo', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const n = THUMB_W * THUMB_H;
  const frames: Uint8Array[] = [];
  for (let o = 0; o + n <= raw.length; o += n) frames.push(new Uint8Array(raw.subarray(o, o + n)));
  cache.set(clipFile, frames);
  return frames;
}

/** Mean absolute luma difference over the central region (the edges carry letterbox and scaling seams). */
export function thumbError(a: Uint8Array, b: Uint8Array): number {
  let sum = 0, count = 0;
  for (let y = 3; y < THUMB_H - 3; y++) {
    for (let x = 3; x < THUMB_W - 3; x++) { sum += Math.abs(a[y * THUMB_W + x]! - b[y * THUMB_W + x]!); count++; }
  }
  return sum / count;
}

export function bestMatch(thumb: Uint8Array, frames: Uint8Array[]): number {
  let best = Infinity;
  for (const f of frames) best = Math.min(best, thumbError(thumb, f));
  return best;
}

/**
 * Samples the painted picture of tile `index` from the wall canvas as a 64x36 luma thumbnail (area average over
 * the letterboxed 16:9 picture inside the tile's rect).
 */
export async function sampleTile(page: Page, index: number, aspect = 16 / 9): Promise<Uint8Array> {
  const data = await page.evaluate(({ index, aspect, W, H }) => {
    const k = (window as unknown as { __kuzet: { tiles(): Array<{ index: number; rect: { x: number; y: number; w: number; h: number } }> } }).__kuzet;
    const t = k.tiles().find((x) => x.index === index);
    const canvas = document.querySelector('canvas') as HTMLCanvasElement;
    if (!t || !canvas) throw new Error(`no tile ${index}`);
    const b = canvas.getBoundingClientRect();
    const s = canvas.width / b.width;
    const box = { x: (t.rect.x - b.left) * s, y: (t.rect.y - b.top) * s, w: t.rect.w * s, h: t.rect.h * s };
    const scale = Math.min(box.w / aspect, box.h);
    const w = Math.round(aspect * scale), h = Math.round(scale);
    const x0 = Math.round(box.x + (box.w - w) / 2), y0 = Math.round(box.y + (box.h - h) / 2);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('wall canvas is not 2d');
    const px = ctx.getImageData(x0, y0, w, h).data;
    const out: number[] = new Array(W * H).fill(0);
    const cnt: number[] = new Array(W * H).fill(0);
    for (let y = 0; y < h; y++) {
      const ty = Math.min(H - 1, Math.floor((y * H) / h));
      for (let x = 0; x < w; x++) {
        const tx = Math.min(W - 1, Math.floor((x * W) / w));
        const i = (y * w + x) * 4;
        out[ty * W + tx]! += 0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!;
        cnt[ty * W + tx]!++;
      }
    }
    return out.map((v, i) => Math.round(v / Math.max(1, cnt[i]!)));
  }, { index, aspect, W: THUMB_W, H: THUMB_H });
  return Uint8Array.from(data);
}
