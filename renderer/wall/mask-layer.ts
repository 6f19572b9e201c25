/**
 * Privacy masks drawn opaque over a tile's picture in the same paint as its frame (so the picture is never shown
 * without them), after the overlay layers (boxes do not show through). Canvas2D fills the polygons; with the WebGL
 * compositor (no 2D context on the wall canvas) each mask's bounding box is filled through the compositor instead:
 * more is hidden, never less.
 */
import type { Mask } from '../../electron/contract/masks-schema.js';
import type { Rect } from './tile-geometry.js';

export const MASK_RGB = 0x000000;

export interface MaskLayer {
  /** Covers the masks of `cameraId` inside `fit` (the picture's rect on the canvas). `fill` is the compositor's. */
  draw(cameraId: string, fit: Rect, fill: (r: Rect, rgb: number) => void): void;
}

/** Polygons in picture coordinates mapped into `fit`, filled black. Shared with review. */
export function paintMasks(ctx: CanvasRenderingContext2D, fit: Rect, masks: readonly Mask[]): void {
  ctx.save();
  ctx.fillStyle = '#000';
  for (const m of masks) {
    ctx.beginPath();
    m.points.forEach((p, i) => (i ? ctx.lineTo(fit.x + p.x * fit.w, fit.y + p.y * fit.h) : ctx.moveTo(fit.x + p.x * fit.w, fit.y + p.y * fit.h)));
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}

/** The bounding box of a mask in canvas pixels, rounded outwards. */
export function maskBox(fit: Rect, m: Mask): Rect {
  const xs = m.points.map((p) => fit.x + p.x * fit.w), ys = m.points.map((p) => fit.y + p.y * fit.h);
  const x = Math.floor(Math.min(...xs)), y = Math.floor(Math.min(...ys));
  return { x, y, w: Math.ceil(Math.max(...xs)) - x, h: Math.ceil(Math.max(...ys)) - y };
}

export function createMaskLayer(canvas: HTMLCanvasElement, masksOf: (cameraId: string) => readonly Mask[]): MaskLayer {
  const ctx = canvas.getContext('2d');
  return {
    draw(cameraId, fit, fill) {
      const masks = masksOf(cameraId);
      if (!masks.length) return;
      if (ctx) paintMasks(ctx, fit, masks);
      else for (const m of masks) fill(maskBox(fit, m), MASK_RGB);
    },
  };
}
