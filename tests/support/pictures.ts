/**
 * Pixel truth for end-to-end tests: reference decodes of the simulator's clips and in-page sampling of what the
 * wall actually painted. Pictures are compared as 64x36 thumbnails of the letterboxed picture in full-range BT.601
 * Y, U and V (4:4:4), against every frame of the clip the camera loops (the tile may show any of them). Luma and
 * chroma are both checked: a corrupt decode (green smears, broken slices), the wrong camera, swapped U and V planes or
 * missing colour (grey chroma) each give a large error even when frame counters look healthy.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './harness.js';

export const THUMB_W = 64;
export const THUMB_H = 36;
/** A 64x36 picture: full-range BT.601 luma and the two colour-difference planes at full resolution (4:4:4). */
export interface Thumb { y: Uint8Array; u: Uint8Array; v: Uint8Array }
/** Largest mean luma and chroma errors (0-255) of a picture that matches (own clip, scaled, painted, re-sampled). */
export const MATCH_LUMA = 12;
export const MATCH_CHROMA = 8;
const cache = new Map<string, Thumb[]>();

/** Thumbnails of every frame of raw YUV 4:4:4 64x36 frames (ffmpeg `format=yuv444p` output). */
export function thumbsOfYuv444(raw: Uint8Array): Thumb[] {
  const n = THUMB_W * THUMB_H;
  const frames: Thumb[] = [];
  for (let o = 0; o + 3 * n <= raw.length; o += 3 * n) {
    frames.push({ y: raw.slice(o, o + n), u: raw.slice(o + n, o + 2 * n), v: raw.slice(o + 2 * n, o + 3 * n) });
  }
  return frames;
}

/** The ffmpeg filter that turns a decoded picture into a Thumb (area average, full range, 4:4:4). */
export const THUMB_FILTER = `scale=${THUMB_W}:${THUMB_H}:flags=area:out_range=full,format=yuv444p`;

/**
 * 64x36 thumbnails of tightly packed I420 (yuv420p, limited range) pictures of w x h, as the host sends them. Async:
 * a test that hosts the stream service in its own process must not block its event loop meanwhile (the workers'
 * frame pipes fill, their RTSP reads stop, and the simulator's cameras time out: seen as "Could not read from resource").
 */
export function thumbsOfI420(raw: Uint8Array, w: number, h: number): Promise<Thumb[]> {
  return new Promise((resolve, reject) => {
    const child = execFile('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${w}x${h}`, '-i', '-',
      '-vf', THUMB_FILTER, '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
    (err, stdout) => (err ? reject(err) : resolve(thumbsOfYuv444(new Uint8Array(stdout)))));
    child.stdin!.end(raw);
  });
}

/** Every frame of a clip as a 64x36 full-range YUV thumbnail (area-averaged, like the in-page sampler). */
export function referenceThumbs(clipFile: string): Thumb[] {
  const hit = cache.get(clipFile);
  if (hit) return hit;
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', join(ROOT, 'resources', 'clips', clipFile), '-vf', THUMB_FILTER,
    '-f', 'rawvideo', '-'], { maxBuffer: 256 * 1024 * 1024 });
  const frames = thumbsOfYuv444(new Uint8Array(raw));
  cache.set(clipFile, frames);
  return frames;
}

/** Mean absolute difference of one plane over the central region (the edges carry letterbox and scaling seams). */
function planeError(a: Uint8Array, b: Uint8Array): number {
  let sum = 0, count = 0;
  for (let y = 3; y < THUMB_H - 3; y++) {
    for (let x = 3; x < THUMB_W - 3; x++) { sum += Math.abs(a[y * THUMB_W + x]! - b[y * THUMB_W + x]!); count++; }
  }
  return sum / count;
}

/**
 * Luma error and chroma error, each a mean absolute difference 0-255. Chroma is the mean of U's and V's error over
 * the reference's coloured cells (|U-128| + |V-128| >= 8), where swapped or missing colour shows; a reference with
 * almost no colour (under 5 % of the cells) is compared over every cell (colour where there is none shows there).
 */
export interface PictureError { luma: number; chroma: number }

const COLOURED = 8;

/** `a` a sampled picture, `b` the reference it is compared with. */
export function pictureError(a: Thumb, b: Thumb): PictureError {
  let sum = 0, count = 0, all = 0, cells = 0;
  for (let y = 3; y < THUMB_H - 3; y++) {
    for (let x = 3; x < THUMB_W - 3; x++) {
      const k = y * THUMB_W + x;
      const e = (Math.abs(a.u[k]! - b.u[k]!) + Math.abs(a.v[k]! - b.v[k]!)) / 2;
      all += e; cells++;
      if (Math.abs(b.u[k]! - 128) + Math.abs(b.v[k]! - 128) >= COLOURED) { sum += e; count++; }
    }
  }
  return { luma: planeError(a.y, b.y), chroma: count >= 0.05 * cells ? sum / count : all / cells };
}

/** Mean absolute luma difference (how much a picture changed over time). */
export function thumbError(a: Thumb, b: Thumb): number {
  return planeError(a.y, b.y);
}

/** Whether two pictures are the same within the bounds a faithful decode, scale and paint stays inside. */
export function pictureMatches(e: PictureError): boolean {
  return e.luma < MATCH_LUMA && e.chroma < MATCH_CHROMA;
}

/** The closest frame's error (by luma + chroma), and which frame it is. */
export function bestMatch(thumb: Thumb, frames: readonly Thumb[]): PictureError & { frame: number } {
  let best = { luma: Infinity, chroma: Infinity, frame: -1 };
  frames.forEach((f, frame) => {
    const e = pictureError(thumb, f);
    if (e.luma + e.chroma < best.luma + best.chroma) best = { ...e, frame };
  });
  return best;
}

/** The same picture without colour (U = V = 128): what a decoder that lost chroma paints. */
export function withoutChroma(t: Thumb): Thumb {
  return { y: t.y, u: new Uint8Array(t.u.length).fill(128), v: new Uint8Array(t.v.length).fill(128) };
}

/** The same picture with U and V swapped: what a painter that mixed up the planes paints. */
export function withSwappedChroma(t: Thumb): Thumb {
  return { y: t.y, u: t.v, v: t.u };
}

/** A picture seen through an overlay of colour `rgb` at opacity `a` (0-1), recovered: YUV is affine in RGB. */
export function underOverlay(t: Thumb, rgb: readonly [number, number, number], a: number): Thumb {
  const d = thumbOfRgba([rgb[0], rgb[1], rgb[2], 255], 1, 1);
  const un = (p: Uint8Array, c: number) => Uint8Array.from(p, (v) => Math.max(0, Math.min(255, Math.round((v - a * c) / (1 - a)))));
  return { y: un(t.y, d.y[0]!), u: un(t.u, d.u[0]!), v: un(t.v, d.v[0]!) };
}

/** Mean luma of a thumbnail. */
export function meanLuma(t: Thumb): number {
  return t.y.reduce((s, v) => s + v, 0) / t.y.length;
}

/** A thumbnail from RGBA pixels (`w` x `h`), area-averaged into 64x36, in full-range BT.601 YUV (as JPEG). */
export function thumbOfRgba(px: ArrayLike<number>, w: number, h: number): Thumb {
  const n = THUMB_W * THUMB_H;
  const sy = new Float64Array(n), su = new Float64Array(n), sv = new Float64Array(n), cnt = new Float64Array(n);
  for (let y = 0; y < h; y++) {
    const ty = Math.min(THUMB_H - 1, Math.floor((y * THUMB_H) / h));
    for (let x = 0; x < w; x++) {
      const tx = Math.min(THUMB_W - 1, Math.floor((x * THUMB_W) / w));
      const i = (y * w + x) * 4, k = ty * THUMB_W + tx;
      const r = px[i]!, g = px[i + 1]!, b = px[i + 2]!;
      sy[k] = sy[k]! + 0.299 * r + 0.587 * g + 0.114 * b;
      su[k] = su[k]! + 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
      sv[k] = sv[k]! + 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
      cnt[k] = cnt[k]! + 1;
    }
  }
  const out = (s: Float64Array) => Uint8Array.from(s, (v, k) => Math.max(0, Math.min(255, Math.round(v / Math.max(1, cnt[k]!)))));
  return { y: out(sy), u: out(su), v: out(sv) };
}

/**
 * Samples the painted picture of tile `index` from the wall canvas as a 64x36 YUV thumbnail (area average over the
 * letterboxed picture inside the tile's rect).
 */
export async function sampleTile(page: Page, index: number, aspect = 16 / 9): Promise<Thumb> {
  const { px, w, h } = await page.evaluate(({ index, aspect, W, H }) => {
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
    // RGB averaged into 64x36 cells here; YUV is linear in RGB, so converting the averages equals averaging YUV
    const d = ctx.getImageData(x0, y0, w, h).data;
    const acc = new Float64Array(W * H * 3), cnt = new Float64Array(W * H);
    for (let y = 0; y < h; y++) {
      const ty = Math.min(H - 1, Math.floor((y * H) / h));
      for (let x = 0; x < w; x++) {
        const tx = Math.min(W - 1, Math.floor((x * W) / w));
        const i = (y * w + x) * 4, k = ty * W + tx;
        acc[k * 3] = acc[k * 3]! + d[i]!; acc[k * 3 + 1] = acc[k * 3 + 1]! + d[i + 1]!; acc[k * 3 + 2] = acc[k * 3 + 2]! + d[i + 2]!; cnt[k] = cnt[k]! + 1;
      }
    }
    const px: number[] = new Array(W * H * 4);
    for (let k = 0; k < W * H; k++) {
      const c = Math.max(1, cnt[k]!);
      px[k * 4] = acc[k * 3]! / c; px[k * 4 + 1] = acc[k * 3 + 1]! / c; px[k * 4 + 2] = acc[k * 3 + 2]! / c; px[k * 4 + 3] = 255;
    }
    return { px, w: W, h: H };
  }, { index, aspect, W: THUMB_W, H: THUMB_H });
  return thumbOfRgba(px, w, h);
}
