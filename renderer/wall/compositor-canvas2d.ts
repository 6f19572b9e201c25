/**
 * Canvas2D compositor, the measured fast path without a GPU. I420 pictures (the host's, or the browser's own decode
 * copied out of its VideoFrame) are converted and scaled by the WebAssembly kernel and put with `putImageData`
 * (~0.25 ms of CPU per 360p tile against ~1.5 ms for `drawImage(VideoFrame)`, docs/performance.md); a picture the
 * kernel cannot take (no WebAssembly SIMD, a VideoFrame, a downscale over 4x) is drawn with `drawImage`.
 */
import { cssColour, type Compositor, type DrawTarget } from './compositor.js';
import type { Frame } from './frame-channel.js';
import { I420Painter, MAX_DOWNSCALE, tightLayout } from './i420-painter.js';
import type { Rect } from './tile-geometry.js';

// A translucent overlay, not ctx.filter: a grayscale filter cost ~15x the draw itself without a GPU (measured).
export const DIM_OVERLAY = 'rgba(8, 10, 14, 0.62)';

export function createCanvas2dCompositor(canvas: HTMLCanvasElement | OffscreenCanvas, paintI420 = true): Compositor {
  const maybe = canvas.getContext('2d', { alpha: false, desynchronized: false }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!maybe) throw new Error('Canvas2D is not available');
  const ctx = maybe;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'low';
  const painter = paintI420 ? I420Painter.create() : null;
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
    paintsI420: painter !== null,
    draw(frame: Frame, targets: readonly DrawTarget[]) {
      if (painter && !frame.picture && frame.data.length > 0) {
        const layout = frame.layout ?? tightLayout(frame.width, frame.height);
        try {
          for (const t of targets) {
            if (t.clearBox) { ctx.fillStyle = '#000'; ctx.fillRect(t.box.x, t.box.y, t.box.w, t.box.h); }
            const w = Math.round(t.fit.w), h = Math.round(t.fit.h);
            if (w < 1 || h < 1) continue;
            if (frame.width / w > MAX_DOWNSCALE) { drawWithBrowser(frame, t); continue; }
            const px = painter.toRgba(frame.data, layout, frame.width, frame.height, w, h);
            ctx.putImageData(new ImageData(px, w, h), Math.round(t.fit.x), Math.round(t.fit.y));
            if (t.dim) { ctx.fillStyle = DIM_OVERLAY; ctx.fillRect(t.fit.x, t.fit.y, t.fit.w, t.fit.h); }
          }
        } catch {
          return false; // planes that do not fit the announced size
        }
        return true;
      }
      let vf: VideoFrame;
      try {
        vf = frame.picture ?? new VideoFrame(frame.data, { format: 'I420', codedWidth: frame.width, codedHeight: frame.height, timestamp: frame.seq, layout: frame.layout });
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

  /** One target drawn by the browser (a downscale beyond the kernel's window). */
  function drawWithBrowser(frame: Frame, t: DrawTarget): void {
    const vf = new VideoFrame(frame.data, { format: 'I420', codedWidth: frame.width, codedHeight: frame.height, timestamp: frame.seq, layout: frame.layout });
    try { ctx.drawImage(vf, t.fit.x, t.fit.y, t.fit.w, t.fit.h); } finally { vf.close(); }
    if (t.dim) { ctx.fillStyle = DIM_OVERLAY; ctx.fillRect(t.fit.x, t.fit.y, t.fit.w, t.fit.h); }
  }
}
