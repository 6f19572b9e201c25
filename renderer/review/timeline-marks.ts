/**
 * A timeline row's markers as drawn on its canvas: where each one is, in the row's CSS pixels, and which one a
 * pointer is on. Pure. A replay's rows hold thousands of markers (every operator action on every camera's row): as
 * elements they cost the page's main thread layout and paint in every seek; on a canvas they are one element per row.
 */
import type { TimelineMarker } from '../../electron/contract/review-api.js';
import { fractionOf, type TimelineView } from './timeline-model.js';

export interface MarkRect {
  marker: TimelineMarker;
  /** Left edge and width in the row's CSS pixels. */
  x: number;
  w: number;
  /** An evidence lock: the row's whole height, under the others, not a seek target (it is a range). */
  range: boolean;
}

/** An alarm is 5 px wide, centred on its moment; the others at least 3 px from theirs. */
const ALARM_PX = 5;
const MIN_PX = 3;

/** The markers' rectangles on a row widthPx wide: those outside the view left out, locks first (drawn under the rest). */
export function markRects(view: TimelineView, markers: readonly TimelineMarker[], widthPx: number): MarkRect[] {
  const xOf = (ms: number) => fractionOf(view, ms) * widthPx;
  const out: MarkRect[] = [];
  const ranges: MarkRect[] = [];
  for (const m of markers) {
    const x0 = xOf(m.atMs);
    const x1 = m.endMs !== undefined ? xOf(m.endMs) : x0;
    if (x1 < -ALARM_PX || x0 > widthPx + ALARM_PX) continue;
    if (m.kind === 'lock') { ranges.push({ marker: m, x: x0, w: Math.max(MIN_PX, x1 - x0), range: true }); continue; }
    out.push(m.kind === 'alarm'
      ? { marker: m, x: x0 - Math.floor(ALARM_PX / 2), w: Math.max(ALARM_PX, x1 - x0), range: false }
      : { marker: m, x: x0, w: Math.max(MIN_PX, x1 - x0), range: false });
  }
  return [...ranges, ...out];
}

/** The marker a pointer at x (row CSS px) is on: the topmost (last drawn) one within a pixel, a lock only if nothing else is. */
export function markAt(rects: readonly MarkRect[], x: number): MarkRect | null {
  let range: MarkRect | null = null;
  for (let i = rects.length - 1; i >= 0; i--) {
    const r = rects[i]!;
    if (x < r.x - 1 || x > r.x + r.w + 1) continue;
    if (!r.range) return r;
    range ??= r;
  }
  return range;
}

/**
 * Fill, opacity and outline of each marker kind. A `--name` is the console's palette colour of that name (styles.css
 * :root), read from the page when drawn: one definition of the console's colours.
 */
export const MARK_STYLE: Record<TimelineMarker['kind'], { fill: string; alpha?: number; stroke?: string }> = {
  bookmark: { fill: '--accent' },
  alarm: { fill: '--red' },
  motion: { fill: '--amber', alpha: 0.7 },
  lock: { fill: '#b58cff', alpha: 0.27, stroke: '#b58cff' },
  action: { fill: '#7fd4ff', alpha: 0.8 },
};

/** Draws a row's markers on its canvas (sized here to its box in device pixels). */
export function drawMarks(canvas: HTMLCanvasElement, rects: readonly MarkRect[], widthPx: number, heightPx: number, dpr: number): void {
  const css = getComputedStyle(canvas);
  const colour = (c: string) => (c.startsWith('--') ? css.getPropertyValue(c).trim() : c);
  const w = Math.max(1, Math.round(widthPx * dpr)), h = Math.max(1, Math.round(heightPx * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, widthPx, heightPx);
  for (const r of rects) {
    const s = MARK_STYLE[r.marker.kind];
    const top = r.range ? 0 : 1, height = heightPx - 2 * top;
    ctx.globalAlpha = s.alpha ?? 1;
    ctx.fillStyle = colour(s.fill);
    ctx.fillRect(r.x, top, r.w, height);
    ctx.globalAlpha = 1;
    if (s.stroke) { ctx.strokeStyle = colour(s.stroke); ctx.lineWidth = 1; ctx.strokeRect(r.x + 0.5, top + 0.5, r.w - 1, height - 1); }
  }
}
