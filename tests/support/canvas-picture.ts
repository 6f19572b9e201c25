/**
 * Pixel truth for a Canvas2D picture other than the wall's (the map popup's live picture): the whole canvas, or the
 * letterboxed picture inside it, sampled in the page as a 64x36 thumbnail to compare with reference decodes
 * (tests/support/pictures.ts: the same area average, the same BT.601 full-range conversion).
 */
import type { Page } from 'playwright-core';
import { THUMB_H, THUMB_W, thumbOfRgba, type Thumb } from './pictures.js';

/** The picture painted on the 2D canvas `selector` (letterboxed at `aspect`) as a 64x36 YUV thumbnail. */
export async function sampleCanvas(page: Page, selector: string, aspect = 16 / 9): Promise<Thumb> {
  const px = await page.evaluate(({ selector, aspect, W, H }) => {
    const canvas = document.querySelector(selector) as HTMLCanvasElement | null;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) throw new Error(`no 2D canvas ${selector}`);
    const scale = Math.min(canvas.width / aspect, canvas.height);
    const w = Math.round(aspect * scale), h = Math.round(scale);
    const x0 = Math.round((canvas.width - w) / 2), y0 = Math.round((canvas.height - h) / 2);
    // RGB averaged into 64x36 cells here (YUV is linear in RGB, so converting the averages equals averaging YUV)
    const d = ctx.getImageData(x0, y0, w, h).data;
    const acc = new Float64Array(W * H * 3), cnt = new Float64Array(W * H);
    for (let y = 0; y < h; y++) {
      const ty = Math.min(H - 1, Math.floor((y * H) / h));
      for (let x = 0; x < w; x++) {
        const k = ty * W + Math.min(W - 1, Math.floor((x * W) / w)), i = (y * w + x) * 4;
        acc[k * 3] = acc[k * 3]! + d[i]!; acc[k * 3 + 1] = acc[k * 3 + 1]! + d[i + 1]!; acc[k * 3 + 2] = acc[k * 3 + 2]! + d[i + 2]!; cnt[k] = cnt[k]! + 1;
      }
    }
    const out: number[] = new Array(W * H * 4);
    for (let k = 0; k < W * H; k++) {
      const c = Math.max(1, cnt[k]!);
      out[k * 4] = acc[k * 3]! / c; out[k * 4 + 1] = acc[k * 3 + 1]! / c; out[k * 4 + 2] = acc[k * 3 + 2]! / c; out[k * 4 + 3] = 255;
    }
    return out;
  }, { selector, aspect, W: THUMB_W, H: THUMB_H });
  return thumbOfRgba(px, THUMB_W, THUMB_H);
}
