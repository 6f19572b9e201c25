/**
 * The moving canvas's units and alarms drawn with Canvas 2D when WebGL is software (docs/map.md, "A unit report's draw
 * without a GPU"). Without a GPU every deck.gl draw of the moving canvas goes through SwiftShader in the GPU process:
 * ~17 ms fixed (clearing, reading back and compositing a 1920x1080 WebGL canvas) plus the layers, with the renderer
 * blocked on it. A few hundred dots, rings, lines and quadrilaterals cost a millisecond or two in Skia's raster
 * canvas in the renderer, with no GPU-process round trip. A GPU keeps deck.gl for everything (map-decks.ts decides).
 *
 * Pure: `flatShapes` turns what the moving layers show (layers.ts `alarmLayers`, `unitLayers`: the same colours, sizes
 * and order) into shapes in CSS pixels by a projection (deck's viewport), `flatHit` is the hit test that replaces deck's
 * picking for them (nearest pickable shape under the pointer, the topmost on a tie, as deck picks), and `isSoftwareGl`
 * reads WebGL's renderer name. `drawFlat` paints shapes on a 2D context (thin: no logic to test).
 */
import type { MapUnit } from '../../electron/contract/units-schema.js';
import { PRIORITY_COLOURS, pulseRadiusPx, type MapAlarm } from './alarm-geo.js';
import { STALE_RING, type Rgba } from './camera-look.js';
import { offset, type LonLat } from './geo.js';
import { HEADING_LINE_M, trailSegments, unitColour } from './layers.js';

/** A point on the canvas in CSS pixels. */
export type Xy = [number, number];
/** What a click on a shape picks: deck's layer id for it (MapView's click handler reads it) and the object. */
export interface FlatPick { layer: 'alarms' | 'units' | 'unit-footprints'; object: MapUnit | MapAlarm; index: number }
export type FlatShape =
  | { kind: 'polygon'; points: Xy[]; fill: Rgba; stroke: Rgba; width: number; pick: FlatPick }
  | { kind: 'segments'; segments: Array<[Xy, Xy]>; stroke: Rgba; width: number }
  | { kind: 'line'; points: Xy[]; stroke: Rgba; width: number }
  | { kind: 'circle'; at: Xy; radius: number; fill: Rgba | null; stroke: Rgba; width: number; pick: FlatPick | null };

/** Deck's viewport projection: coordinates to CSS pixels of the canvas. */
export type Project = (p: LonLat) => readonly number[] | null | undefined;

function xy(project: Project, p: readonly number[]): Xy | null {
  const out = project([p[0]!, p[1]!]);
  const x = out?.[0], y = out?.[1];
  return x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
}

/**
 * The shapes of `alarmLayers(alarms, nowMs)` then `unitLayers(units, trailZoom)` (layers.ts), bottom to top in deck's
 * layer order: alarm pulses, alarm dots, footprints, trail segments, heading lines, unit dots. A point that does not
 * project leaves its shape out.
 */
export function flatShapes(units: readonly MapUnit[], alarms: readonly MapAlarm[], nowMs: number, trailZoom: number | null, project: Project): FlatShape[] {
  const out: FlatShape[] = [];
  const open = alarms.filter((a) => a.open);
  const alarmColour = (a: MapAlarm): Rgba => [...(PRIORITY_COLOURS[a.priority] ?? PRIORITY_COLOURS[3]!), 255] as Rgba;
  for (const a of open) {
    const at = xy(project, a.position);
    if (!at) continue;
    const c = alarmColour(a);
    const r = pulseRadiusPx(a.priority, nowMs);
    out.push({ kind: 'circle', at, radius: r, fill: null, stroke: [c[0], c[1], c[2], Math.round(255 * (1 - (r - 8) / 16))], width: 3, pick: null });
  }
  open.forEach((a, index) => {
    const at = xy(project, a.position);
    if (at) out.push({ kind: 'circle', at, radius: 7, fill: alarmColour(a), stroke: [255, 255, 255, 255], width: 1.5, pick: { layer: 'alarms', object: a, index } });
  });
  units.filter((u) => u.footprint).forEach((u, index) => {
    const points = (u.footprint ?? []).map((p) => xy(project, p));
    if (points.some((p) => !p)) return;
    const c = unitColour(u);
    out.push({ kind: 'polygon', points: points as Xy[], fill: [c[0], c[1], c[2], 70], stroke: c, width: 2, pick: { layer: 'unit-footprints', object: u, index } });
  });
  out.push(...trailShapes(units, trailZoom, project));
  for (const u of units) {
    if (u.heading === undefined) continue;
    const a = xy(project, [u.lon, u.lat]), b = xy(project, offset([u.lon, u.lat], u.heading, HEADING_LINE_M));
    if (a && b) out.push({ kind: 'line', points: [a, b], stroke: unitColour(u), width: 3 });
  }
  units.forEach((u, index) => {
    const at = xy(project, [u.lon, u.lat]);
    if (!at) return;
    out.push({ kind: 'circle', at, radius: 7, fill: unitColour(u), stroke: u.stale ? STALE_RING : [255, 255, 255, 255], width: u.stale ? 3 : 1.5, pick: { layer: 'units', object: u, index } });
  });
  return out;
}

/**
 * The shapes of `trailLayer(units, trailZoom)` (layers.ts: each unit's trail segments in its colour at alpha 150, 2 px):
 * one `segments` shape a unit. The trails canvas's snapshot drawn with Canvas 2D (map-decks.ts) and the tails in
 * `flatShapes` are both these.
 */
export function trailShapes(units: readonly MapUnit[], trailZoom: number | null, project: Project): FlatShape[] {
  const out: FlatShape[] = [];
  for (const u of units) {
    const segments: Array<[Xy, Xy]> = [];
    let stroke: Rgba | null = null;
    for (const s of trailSegments([u], unitColour, trailZoom)) {
      const a = xy(project, s.from), b = xy(project, s.to);
      stroke = s.colour;
      if (a && b) segments.push([a, b]);
    }
    if (stroke && segments.length) out.push({ kind: 'segments', segments, stroke, width: 2 });
  }
  return out;
}

function segmentDistance(p: Xy, a: Xy, b: Xy): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

function inside(p: Xy, poly: readonly Xy[]): boolean {
  let odd = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!, [xj, yj] = poly[j]!;
    if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

/** How far a point is from what a pickable shape paints (0 on or inside it); Infinity for shapes nothing picks. */
export function shapeDistance(shape: FlatShape, p: Xy): number {
  if (shape.kind === 'circle') {
    if (!shape.pick) return Infinity;
    // deck's ScatterplotLayer: the stroke is centred on the radius, so it paints out to radius + width / 2
    return Math.max(0, Math.hypot(p[0] - shape.at[0], p[1] - shape.at[1]) - (shape.radius + shape.width / 2));
  }
  if (shape.kind === 'polygon') {
    if (inside(p, shape.points)) return 0;
    let d = Infinity;
    for (let i = 0; i < shape.points.length; i++) d = Math.min(d, segmentDistance(p, shape.points[i]!, shape.points[(i + 1) % shape.points.length]!));
    return Math.max(0, d - shape.width / 2);
  }
  return Infinity;
}

/**
 * What a click or hover at `p` picks among the shapes, as deck picks its layers: the pickable shape nearest to the point
 * within `radius` CSS pixels, the topmost (drawn last) among equally near ones; null for none.
 */
export function flatHit(shapes: readonly FlatShape[], p: Xy, radius = 0): FlatPick | null {
  let best: FlatPick | null = null;
  let bestD = Infinity;
  for (let i = shapes.length - 1; i >= 0; i--) {
    const s = shapes[i]!;
    const d = shapeDistance(s, p);
    if (d <= radius && d < bestD && (s.kind === 'circle' || s.kind === 'polygon') && s.pick) { best = s.pick; bestD = d; }
  }
  return best;
}

/** Whether a WebGL renderer name (WEBGL_debug_renderer_info's UNMASKED_RENDERER_WEBGL) is a software rasteriser. */
export function isSoftwareGl(renderer: string | null | undefined): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer ?? '');
}

const css = (c: Rgba) => `rgba(${c[0]},${c[1]},${c[2]},${c[3] / 255})`;

/** Paints the shapes on a 2D context whose transform maps CSS pixels to the canvas (devicePixelRatio). */
export function drawFlat(ctx: CanvasRenderingContext2D, shapes: readonly FlatShape[]): void {
  ctx.lineCap = 'butt';
  ctx.lineJoin = 'miter';
  for (const s of shapes) {
    ctx.beginPath();
    if (s.kind === 'circle') {
      ctx.arc(s.at[0], s.at[1], s.radius, 0, 2 * Math.PI);
      if (s.fill) { ctx.fillStyle = css(s.fill); ctx.fill(); }
    } else if (s.kind === 'polygon') {
      s.points.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
      ctx.closePath();
      ctx.fillStyle = css(s.fill);
      ctx.fill();
    } else if (s.kind === 'line') {
      s.points.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
    } else {
      for (const [a, b] of s.segments) { ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); }
    }
    ctx.strokeStyle = css(s.stroke);
    ctx.lineWidth = s.width;
    ctx.stroke();
  }
}
