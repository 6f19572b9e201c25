/**
 * Canvas2D compositor: `drawImage` of a VideoFrame (the browser's own decode, or one wrapped around the host's I420
 * planes), the measured fast path without a GPU.
 */
import { cssColour, type Compositor, type DrawTarget } from './compositor.js';
import type { Frame } from './frame-channel.js';
import type { Rect } from './tile-geometry.js';

// A translucent overlay, not ctx.filter: a grayscale filter cost ~15x the draw itself without a GPU (measured).
const DIM_OVERLAY = 'rgba(8, 10, 14, 0.62)';

export function createCanvas2dCompositor(canvas: HTMLCanvasElement | OffscreenCanvas): Compositor {
  const ctx = canvas.getContext('2d', { alpha: false, desynchronized: false }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('Canvas2D is not available');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'low';
  return {
    kind: 'canvas2d',
    resize(width, height) {
      canvas.width = width;
      canvas.height = height;
      ctx.imageSmoothingQuality = 'low';
    },
    fill(r: Rect, rgb: number) {
      ctx.fillStyle = cssColour(rgb);
      ctx.fillRect(r.x, r.y, r.w, r.h);
    },
    draw(frame: Frame, targets: readonly DrawTarget[]) {
      let vf: VideoFrame;
      try {
        vf = frame.picture ?? new VideoFrame(frame.data, { format: 'I420', codedWidth: frame.width, codedHeight: frame.height, timestamp: frame.seq });
      } catch {
        return false; // a picture closed meanwhile, or planes that do not fit
      }
      try {
        for (const t of targets) {
          if (t.clearBox) { ctx.fillStyle = '#000'; ctx.fillRect(t.box.x, t.box.y, t.box.w, t.box.h); }
          ctx.drawImage(vf, t.fit.x, t.fit.y, t.fit.w, t.fit.h);
          if (t.dim) { ctx.fillStyle = DIM_OVERLAY; ctx.fillRect(t.fit.x, t.fit.y, t.fit.w, t.fit.h); }
        }
      } catch {
        return false;
      } finally {
        if (vf !== frame.picture) vf.close(); // the feed keeps the decoder's picture for repaints
      }
      return true;
    },
    dispose() {},
  };
}
