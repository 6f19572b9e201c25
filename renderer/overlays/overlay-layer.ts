/**
 * Draws the overlay layer onto the wall canvas right after a tile's frame (same paint, same capture time), so a
 * box is never shown on a picture it does not belong to. Canvas2D only: with the WebGL compositor there is no
 * 2D context on the wall canvas and the layer draws nothing (see docs/alarms.md).
 */
import type { Rect } from '../wall/tile-geometry.js';
import type { OverlayStore } from './overlay-store.js';

export interface OverlayLayer {
  /** Called by the wall painter after it drew a frame captured at `captureMs` into `fit` on tile `tileIndex`. */
  draw(tileIndex: number, cameraId: string, captureMs: number, fit: Rect): void;
}

const COLOURS: Record<string, string> = {
  face_match: '#ff4d55', plate: '#ff8a3d', traffic_violation: '#f0c020', abandoned_object: '#ff4dd2',
  crowd: '#7fb3ff', motion: '#2fbf71', object: '#9cc3ff', tamper: '#ff4d55', camera_offline: '#ff4d55',
};

export interface OverlayStats { drawn: number; lagMs: number[] }

export function createOverlayLayer(canvas: HTMLCanvasElement, store: OverlayStore): OverlayLayer {
  const ctx = canvas.getContext('2d');
  const stats: OverlayStats = { drawn: 0, lagMs: [] };
  (window as unknown as { __kuzetOverlay?: OverlayStats }).__kuzetOverlay = stats;
  return {
    draw(tileIndex, cameraId, captureMs, fit) {
      if (!ctx || !store.shown(tileIndex)) return;
      const t = captureMs > 0 ? captureMs : Date.now();
      const items = store.forFrame(cameraId, t);
      if (!items.length) return;
      ctx.save();
      ctx.beginPath();
      ctx.rect(fit.x, fit.y, fit.w, fit.h);
      ctx.clip();
      ctx.lineWidth = Math.max(1.5, fit.w / 320);
      const px = Math.max(10, Math.min(18, Math.round(fit.h / 30)));
      ctx.font = `${px}px system-ui, sans-serif`;
      ctx.textBaseline = 'bottom';
      for (const it of items) {
        const colour = COLOURS[it.type] ?? '#ffffff';
        for (const b of it.boxes) {
          const x = fit.x + b.x * fit.w, y = fit.y + b.y * fit.h, w = b.w * fit.w, h = b.h * fit.h;
          ctx.strokeStyle = colour;
          ctx.strokeRect(x, y, w, h);
          const label = (b.label ?? it.label).slice(0, 40);
          const tw = ctx.measureText(label).width + 6;
          ctx.fillStyle = 'rgba(0,0,0,0.6)';
          const ty = y > px + 4 ? y : y + h + px + 4;
          ctx.fillRect(x, ty - px - 4, tw, px + 4);
          ctx.fillStyle = colour;
          ctx.fillText(label, x + 3, ty - 2);
        }
        stats.drawn++;
        if (stats.lagMs.length < 5000) stats.lagMs.push(t - it.captureTime);
      }
      ctx.restore();
    },
  };
}
