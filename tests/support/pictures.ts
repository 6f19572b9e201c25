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
  const rgb = await sampleTileRgb(page, index, aspect);
  const out = new Uint8Array(THUMB_W * THUMB_H);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(yuv(rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!).y);
  return out;
}

// ---- Colour: luma and chroma -------------------------------------------------------------------------------------

/** A 64x36 RGB thumbnail (RGB triplets, row by row). */
export type RgbThumb = Uint8Array;
const rgbCache = new Map<string, RgbThumb[]>();

/** Every frame of a clip as a 64x36 RGB thumbnail (area-averaged; ffmpeg's BT.601 conversion, like the wall's kernel). */
export function referenceRgbThumbs(clipFile: string): RgbThumb[] {
  const hit = rgbCache.get(clipFile);
  if (hit) return hit;
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', join(ROOT, 'resources', 'clips', clipFile), '-vf',
    `scale=${THUMB_W}:${THUMB_H}:flags=area,format=rgb24`, '-f', 'rawvideo', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const n = THUMB_W * THUMB_H * 3;
  const frames: RgbThumb[] = [];
  for (let o = 0; o + n <= raw.length; o += n) frames.push(new Uint8Array(raw.subarray(o, o + n)));
  rgbCache.set(clipFile, frames);
  return frames;
}

/** Samples the painted picture of tile `index` as a 64x36 RGB thumbnail (area average, as sampleTile does for luma). */
export async function sampleTileRgb(page: Page, index: number, aspect = 16 / 9): Promise<RgbThumb> {
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
    const sum: number[] = new Array(W * H * 3).fill(0);
    const cnt: number[] = new Array(W * H).fill(0);
    for (let y = 0; y < h; y++) {
      const ty = Math.min(H - 1, Math.floor((y * H) / h));
      for (let x = 0; x < w; x++) {
        const c = ty * W + Math.min(W - 1, Math.floor((x * W) / w));
        const i = (y * w + x) * 4;
        sum[c * 3]! += px[i]!; sum[c * 3 + 1]! += px[i + 1]!; sum[c * 3 + 2]! += px[i + 2]!;
        cnt[c]!++;
      }
    }
    return sum.map((v, i) => Math.round(v / Math.max(1, cnt[Math.floor(i / 3)]!)));
  }, { index, aspect, W: THUMB_W, H: THUMB_H });
  return Uint8Array.from(data);
}

/** Mean absolute differences over the central region of two RGB thumbnails: luma (Y) and chroma (U and V, BT.601). */
export function colourError(a: RgbThumb, b: RgbThumb): { luma: number; chroma: number } {
  let dy = 0, dc = 0, count = 0;
  for (let y = 3; y < THUMB_H - 3; y++) {
    for (let x = 3; x < THUMB_W - 3; x++) {
      const i = (y * THUMB_W + x) * 3;
      const p = yuv(a[i]!, a[i + 1]!, a[i + 2]!), q = yuv(b[i]!, b[i + 1]!, b[i + 2]!);
      dy += Math.abs(p.y - q.y);
      dc += (Math.abs(p.u - q.u) + Math.abs(p.v - q.v)) / 2;
      count++;
    }
  }
  return { luma: dy / count, chroma: dc / count };
}

/** The clip frame whose luma matches best, with its luma and chroma errors. */
export function bestColourMatch(thumb: RgbThumb, frames: RgbThumb[]): { luma: number; chroma: number; frame: number } {
  let best = { luma: Infinity, chroma: Infinity, frame: -1 };
  frames.forEach((f, frame) => {
    const e = colourError(thumb, f);
    if (e.luma < best.luma) best = { ...e, frame };
  });
  return best;
}

/** The same picture with its colour removed (U = V = 128, luma kept): what a lost chroma plane paints. */
export function withoutChroma(t: RgbThumb): RgbThumb {
  const out = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i += 3) {
    const y = Math.round(yuv(t[i]!, t[i + 1]!, t[i + 2]!).y);
    out[i] = out[i + 1] = out[i + 2] = y;
  }
  return out;
}

/** The same picture with U and V swapped: what a painter that mixes up the chroma planes paints. */
export function withSwappedChroma(t: RgbThumb): RgbThumb {
  const out = new Uint8Array(t.length);
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (let i = 0; i < t.length; i += 3) {
    const { y, u, v } = yuv(t[i]!, t[i + 1]!, t[i + 2]!);
    // BT.601 full range, inverse with u and v exchanged
    out[i] = clamp(y + 1.402 * (u - 128));
    out[i + 1] = clamp(y - 0.344136 * (v - 128) - 0.714136 * (u - 128));
    out[i + 2] = clamp(y + 1.772 * (v - 128));
  }
  return out;
}

function yuv(r: number, g: number, b: number): { y: number; u: number; v: number } {
  return {
    y: 0.299 * r + 0.587 * g + 0.114 * b,
    u: -0.168736 * r - 0.331264 * g + 0.5 * b + 128,
    v: 0.5 * r - 0.418688 * g - 0.081312 * b + 128,
  };
}
