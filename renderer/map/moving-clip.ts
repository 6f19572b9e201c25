/**
 * The moving canvas (units, pulsing alarms: map-decks.ts) is a transparent 1920x1080 WebGL canvas above the still one.
 * Without a GPU, Chromium composites in software and redraws the part of the screen a frame damaged: a WebGL canvas
 * damages its whole box on every draw, so each unit report made the compositor blend the whole window again (both
 * canvases and the page) although the units cover a small part of it. The moving canvas is therefore clipped (CSS
 * `clip-path: inset(...)`, in the canvas's own pixels) to the screen box of what it draws, plus a margin for dots,
 * rings and line widths: only that box is damaged and composited per report. Nothing drawn is cut: every point the
 * moving layers draw lies inside the box (tests/unit/map-moving-clip.test.ts).
 *
 * Pure: the geographic extent of what moves, and the box on screen for a projection.
 */
import type { LonLat } from './geo.js';

/** [west, south, east, north] in degrees. */
export type GeoBox = [number, number, number, number];
/** A box on the canvas in CSS pixels; empty when right <= left or bottom <= top. */
export interface ClipEdges { left: number; top: number; right: number; bottom: number }

/**
 * What the moving canvas draws around its points at most, in CSS pixels: an alarm's pulsing ring (radius up to 24 px,
 * alarm-geo.ts `pulseRadiusPx`, 3 px line), a unit's dot (7 px and a ring of up to 3 px), line widths (2-3 px), with
 * room to spare for antialiasing and rounding.
 */
export const MOVING_MARGIN_PX = 40;

/** The smallest box holding the points, null for none (non-finite coordinates are left out). */
export function geoBox(points: Iterable<readonly [number, number] | readonly number[]>): GeoBox | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const p of points) {
    const lon = p[0]!, lat = p[1]!;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    if (lon < w) w = lon;
    if (lon > e) e = lon;
    if (lat < s) s = lat;
    if (lat > n) n = lat;
  }
  return w <= e ? [w, s, e, n] : null;
}

/**
 * The box on a canvas of `width` x `height` CSS pixels that holds the geographic box as `project` shows it (its four
 * corners: with a bearing the box turns, with a pitch it is a trapezoid, both inside the corners' hull), widened by
 * `marginPx` and cut to the canvas. No geographic box: an empty box. A corner that does not project (behind the
 * camera): the whole canvas.
 */
export function screenBox(box: GeoBox | null, project: (p: LonLat) => readonly number[] | null | undefined, width: number, height: number, marginPx = MOVING_MARGIN_PX): ClipEdges {
  if (!box) return { left: 0, top: 0, right: 0, bottom: 0 };
  const whole = { left: 0, top: 0, right: width, bottom: height };
  let l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
  for (const corner of [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]] as LonLat[]) {
    const xy = project(corner);
    const x = xy?.[0], y = xy?.[1];
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) return whole;
    if (x < l) l = x;
    if (x > r) r = x;
    if (y < t) t = y;
    if (y > b) b = y;
  }
  return {
    left: Math.max(0, Math.floor(l - marginPx)), top: Math.max(0, Math.floor(t - marginPx)),
    right: Math.min(width, Math.ceil(r + marginPx)), bottom: Math.min(height, Math.ceil(b + marginPx)),
  };
}

/** The CSS `clip-path` that shows only the box of a canvas of that size (everything cut when the box is empty). */
export function clipPath(box: ClipEdges, width: number, height: number): string {
  if (box.right <= box.left || box.bottom <= box.top) return 'inset(50%)';
  if (box.left <= 0 && box.top <= 0 && box.right >= width && box.bottom >= height) return '';
  return `inset(${box.top}px ${Math.max(0, width - box.right)}px ${Math.max(0, height - box.bottom)}px ${box.left}px)`;
}
