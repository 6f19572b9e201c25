/**
 * Draws the overlay layers onto the wall canvas right after a tile's frame (same paint, same capture time), so a
 * box is never shown on a picture it does not belong to: a box whose observation of the picture is still on its
 * way is withheld, and the picture is repainted with it when it arrives (while it is still the tile's picture).
 * Layers: zones and lines (the operator's), tracks (where
 * each tracked object walked in the last seconds), boxes, labels; each switched globally and per tile (the layout's
 * data). Canvas2D only: with the WebGL compositor there is no 2D context on the wall canvas and nothing is drawn
 * (see docs/alarms.md). `paintOverlays` is shared with review (recorded video).
 */
import type { OverlayMeta } from '../../electron/contract/events-schema.js';
import type { OverlayLayers } from '../../electron/contract/schemas.js';
import type { Zone } from '../../electron/contract/zones-schema.js';
import type { KeyedStore } from '../bridge/stores.js';
import type { Rect } from '../wall/tile-geometry.js';
import type { OverlayStore, trailsAt } from './overlay-store.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { overlayLabel } from '../i18n/alarm-text.js';

export interface OverlayLayer {
  /** Called by the wall painter after it drew a frame captured at `captureMs` into `fit` on tile `tileIndex`. */
  draw(tileIndex: number, cameraId: string, captureMs: number, fit: Rect): void;
}

const COLOURS: Record<string, string> = {
  face_match: '#ff4d55', plate: '#ff8a3d', traffic_violation: '#f0c020', abandoned_object: '#ff4dd2',
  crowd: '#7fb3ff', motion: '#2fbf71', object: '#9cc3ff', tamper: '#ff4d55', camera_offline: '#ff4d55',
};
export const ZONE_COLOUR = '#ffd23f';
export const LINE_COLOUR = '#00e5ff';

/**
 * Counters for tests and benchmarks. `lagMs`: per drawn box, picture capture time - observation capture time (the
 * first 5,000). `withheld`: boxes left off a painted picture because its observation had not arrived; `repaints`:
 * pictures repainted because it then did.
 */
export interface OverlayStats {
  drawn: number; lagMs: number[]; zonesDrawn: number; tracksDrawn: number; withheld: number; repaints: number;
  /** The last paints (newest last, at most 32): picture capture time, and the observations drawn on it (capture time, box centre x 0..1). */
  paints: Array<{ t: number; at: number; frameMs: number; withheld: number; obs: Array<{ c: number; x: number }> }>;
}

export interface OverlayContent {
  items: readonly OverlayMeta[];
  trails: ReturnType<typeof trailsAt>;
  zones: readonly Zone[];
}

/** Unit vector pointing to the left of a->b as seen on screen (y down). */
function leftNormal(a: { x: number; y: number }, b: { x: number; y: number }): { x: number; y: number } {
  const dx = b.x - a.x, dy = b.y - a.y, n = Math.hypot(dx, dy) || 1;
  return { x: dy / n, y: -dx / n };
}

function arrow(ctx: CanvasRenderingContext2D, x: number, y: number, nx: number, ny: number, len: number): void {
  const tx = x + nx * len, ty = y + ny * len;
  ctx.beginPath();
  ctx.moveTo(x, y); ctx.lineTo(tx, ty);
  ctx.moveTo(tx, ty); ctx.lineTo(tx - nx * len * 0.4 + ny * len * 0.3, ty - ny * len * 0.4 - nx * len * 0.3);
  ctx.moveTo(tx, ty); ctx.lineTo(tx - nx * len * 0.4 - ny * len * 0.3, ty - ny * len * 0.4 + nx * len * 0.3);
  ctx.stroke();
}

/** Draws zones and lines in picture coordinates mapped into `fit` (also used by the zone editor's preview). */
export function paintZones(ctx: CanvasRenderingContext2D, fit: Rect, zones: readonly Zone[], px: number): void {
  const X = (x: number) => fit.x + x * fit.w, Y = (y: number) => fit.y + y * fit.h;
  for (const z of zones) {
    const pts = z.points;
    if (!pts.length) continue;
    ctx.beginPath();
    pts.forEach((p, i) => (i ? ctx.lineTo(X(p.x), Y(p.y)) : ctx.moveTo(X(p.x), Y(p.y))));
    if (z.kind === 'zone') {
      ctx.closePath();
      ctx.fillStyle = 'rgba(255,210,63,0.14)';
      ctx.fill();
      ctx.setLineDash([6, 4]);
      ctx.strokeStyle = ZONE_COLOUR;
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.setLineDash([]);
    } else {
      ctx.strokeStyle = LINE_COLOUR;
      ctx.lineWidth = 3;
      ctx.stroke();
      const [a, b] = pts as [typeof pts[0], typeof pts[0]];
      const n = leftNormal({ x: X(a.x), y: Y(a.y) }, { x: X(b.x), y: Y(b.y) });
      const mx = (X(a.x) + X(b.x)) / 2, my = (Y(a.y) + Y(b.y)) / 2;
      const len = Math.max(14, fit.h / 18);
      ctx.lineWidth = 2.5;
      if (z.direction !== 'right') arrow(ctx, mx, my, n.x, n.y, len);
      if (z.direction !== 'left') arrow(ctx, mx, my, -n.x, -n.y, len);
    }
    const label = z.name.slice(0, 40);
    const p0 = pts[0]!;
    ctx.font = `${px}px system-ui, sans-serif`;
    ctx.textBaseline = 'bottom';
    const tw = ctx.measureText(label).width + 6;
    ctx.fillStyle = 'rgba(0,0,0,0.6)';
    ctx.fillRect(X(p0.x), Y(p0.y) - px - 4, tw, px + 4);
    ctx.fillStyle = z.kind === 'zone' ? ZONE_COLOUR : LINE_COLOUR;
    ctx.fillText(label, X(p0.x) + 3, Y(p0.y) - 2);
  }
}

/** Paints the switched-on layers of one picture. Returns how many boxes were drawn. */
export function paintOverlays(ctx: CanvasRenderingContext2D, fit: Rect, layers: OverlayLayers, c: OverlayContent, stats?: OverlayStats): number {
  let boxes = 0;
  ctx.save();
  ctx.beginPath();
  ctx.rect(fit.x, fit.y, fit.w, fit.h);
  ctx.clip();
  const px = Math.max(10, Math.min(18, Math.round(fit.h / 30)));
  if (layers.zones && c.zones.length) { paintZones(ctx, fit, c.zones, px); if (stats) stats.zonesDrawn++; }
  if (layers.tracks) {
    ctx.lineWidth = Math.max(2, fit.w / 400);
    for (const tr of c.trails) {
      ctx.strokeStyle = COLOURS[tr.type] ?? '#ffffff';
      ctx.globalAlpha = 0.85;
      ctx.beginPath();
      tr.points.forEach((p, i) => (i ? ctx.lineTo(fit.x + p.x * fit.w, fit.y + p.y * fit.h) : ctx.moveTo(fit.x + p.x * fit.w, fit.y + p.y * fit.h)));
      ctx.stroke();
      ctx.globalAlpha = 1;
      if (stats) stats.tracksDrawn++;
    }
  }
  if (layers.boxes || layers.labels) {
    ctx.lineWidth = Math.max(1.5, fit.w / 320);
    ctx.font = `${px}px system-ui, sans-serif`;
    ctx.textBaseline = 'bottom';
    for (const it of c.items) {
      const colour = COLOURS[it.type] ?? '#ffffff';
      for (const b of it.boxes) {
        const x = fit.x + b.x * fit.w, y = fit.y + b.y * fit.h, w = b.w * fit.w, h = b.h * fit.h;
        if (layers.boxes) { ctx.strokeStyle = colour; ctx.strokeRect(x, y, w, h); boxes++; }
        if (layers.labels) {
          const label = overlayLabel(it, b.label).slice(0, 40);
          const tw = ctx.measureText(label).width + 6;
          ctx.fillStyle = 'rgba(0,0,0,0.6)';
          const ty = y > px + 4 ? y : y + h + px + 4;
          ctx.fillRect(x, ty - px - 4, tw, px + 4);
          ctx.fillStyle = colour;
          ctx.fillText(label, x + 3, ty - 2);
        }
      }
    }
  }
  ctx.restore();
  return boxes;
}

/**
 * `repaint(cameraId)` asks the wall painter to paint that camera's last picture again: called when observations
 * withheld from it arrive. Returns the layer; `dispose` stops listening to the store.
 */
export function createOverlayLayer(canvas: HTMLCanvasElement, store: OverlayStore, zones: KeyedStore<Zone[]>, repaint?: (cameraId: string) => void): OverlayLayer & { dispose(): void } {
  const ctx = canvas.getContext('2d');
  const stats: OverlayStats = { drawn: 0, lagMs: [], zonesDrawn: 0, tracksDrawn: 0, withheld: 0, repaints: 0, paints: [] };
  exposeDiagnostics('__kuzetOverlay', stats);
  /** Per tile, the picture painted last with boxes withheld from it. */
  const waiting = new Map<number, { cameraId: string; t: number; withheld: number }>();
  const off = store.onAdd((cameras) => {
    const again = new Set<string>();
    for (const w of waiting.values()) {
      if (!cameras.has(w.cameraId) || again.has(w.cameraId)) continue;
      if (store.forPicture(w.cameraId, w.t, false).withheld < w.withheld) again.add(w.cameraId);
    }
    for (const id of again) { stats.repaints++; repaint?.(id); }
  });
  return {
    dispose: off,
    draw(tileIndex, cameraId, captureMs, fit) {
      if (!ctx) return;
      const layers = store.layers(tileIndex);
      // A picture without a capture time cannot be matched to observations: the newest sparse ones are shown.
      const t = captureMs > 0 ? captureMs : Date.now();
      const chosen = layers.boxes || layers.labels ? store.forPicture(cameraId, t) : { items: [], withheld: 0 };
      const items = chosen.items;
      if (chosen.withheld > 0) { waiting.set(tileIndex, { cameraId, t, withheld: chosen.withheld }); stats.withheld += chosen.withheld; } else waiting.delete(tileIndex);
      const trails = layers.tracks ? store.trails(cameraId, t) : [];
      const cameraZones = layers.zones && store.editingTile !== tileIndex ? zones.get(cameraId) ?? [] : [];
      if (layers.boxes) {
        stats.paints.push({ t, at: performance.now(), frameMs: store.frameMs(cameraId), withheld: chosen.withheld, obs: items.map((it) => ({ c: it.captureTime, x: it.boxes[0] ? it.boxes[0].x + it.boxes[0].w / 2 : -1 })) });
        if (stats.paints.length > 32) stats.paints.shift();
      }
      if (!items.length && !trails.length && !cameraZones.length) return;
      paintOverlays(ctx, fit, layers, { items, trails, zones: cameraZones }, stats);
      if (layers.boxes) for (const it of items) {
        stats.drawn++;
        if (stats.lagMs.length < 5000) stats.lagMs.push(t - it.captureTime);
      }
    },
  };
}
