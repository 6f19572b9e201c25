/**
 * The shapes being edited on a camera's picture (zones and lines, privacy masks): the list, the one selected, the shape
 * being drawn with a tool, and the edits (add a point, close, move a corner, rename, delete). Generic over what a shape
 * is; zone-draft.ts and mask-draft.ts say which tools make which shapes. Pure: no React, no DOM.
 */
import { reasonOfIssue } from '../../electron/contract/api-errors.js';
import type { PicturePoint as Point } from '../../electron/contract/polygon.js';
import { reasonMessage } from '../app/ui-errors.js';

/** What every drawn shape has: a name (unique per camera) and its points on the picture. */
export interface Drawn { name: string; points: Point[] }

export interface ShapeDraft<S extends Drawn, T extends string> {
  shapes: S[];
  /** Index of the shape whose name, kind and points are being edited. */
  selected: number | null;
  tool: T | 'select';
  /** Points of the shape being drawn with a tool. */
  drawing: Point[];
}

/** Which tools make which shapes. */
export interface ShapeTools<S extends Drawn, T extends string> {
  /** Points a shape of this tool needs; `exact` shapes (a line: 2) finish by themselves at that count. */
  points(tool: T): { min: number; exact: boolean };
  /** The new shape (named so no other shape of the camera has its name). */
  make(tool: T, points: Point[], shapes: readonly S[]): S;
}

export function emptyShapeDraft<S extends Drawn, T extends string>(shapes: readonly S[]): ShapeDraft<S, T> {
  return { shapes: shapes.map((s) => structuredClone(s)), selected: null, tool: 'select', drawing: [] };
}

/** "Zone 1", "Zone 2" ...: the first `base n` not used by any shape of the camera (case-insensitive). */
export function nextName(shapes: readonly Drawn[], base: string): string {
  const used = new Set(shapes.map((s) => s.name.toLowerCase()));
  for (let i = 1; ; i++) if (!used.has(`${base} ${i}`.toLowerCase())) return `${base} ${i}`;
}

const clamp = (p: Point): Point => ({ x: Math.min(1, Math.max(0, p.x)), y: Math.min(1, Math.max(0, p.y)) });

/** Ends the shape being drawn; one with too few points is dropped. */
export function finishShape<S extends Drawn, T extends string>(d: ShapeDraft<S, T>, tools: ShapeTools<S, T>): ShapeDraft<S, T> {
  if (d.tool === 'select') return d;
  const need = tools.points(d.tool);
  const enough = need.exact ? d.drawing.length === need.min : d.drawing.length >= need.min;
  if (!enough) return { ...d, drawing: [], tool: 'select' };
  const shape = tools.make(d.tool, d.drawing, d.shapes);
  return { shapes: [...d.shapes, shape], selected: d.shapes.length, tool: 'select', drawing: [] };
}

/** A click of a drawing tool: adds a point (clamped into the picture); `close` (on the first corner) finishes a polygon. */
export function addShapePoint<S extends Drawn, T extends string>(d: ShapeDraft<S, T>, p: Point, tools: ShapeTools<S, T>, close = false): ShapeDraft<S, T> {
  if (d.tool === 'select') return d;
  const need = tools.points(d.tool);
  if (close && !need.exact) return finishShape(d, tools);
  const drawing = [...d.drawing, clamp(p)];
  if (need.exact && drawing.length === need.min) return finishShape({ ...d, drawing }, tools);
  return { ...d, drawing };
}

export function moveShapePoint<S extends Drawn, T extends string>(d: ShapeDraft<S, T>, shape: number, point: number, p: Point): ShapeDraft<S, T> {
  const s = d.shapes[shape];
  if (!s || !s.points[point]) return d;
  const points = s.points.map((q, i) => (i === point ? clamp(p) : q));
  return { ...d, shapes: d.shapes.map((x, i) => (i === shape ? { ...x, points } : x)) };
}

export function updateShape<S extends Drawn, T extends string>(d: ShapeDraft<S, T>, index: number, change: (s: S) => S): ShapeDraft<S, T> {
  return { ...d, shapes: d.shapes.map((s, i) => (i === index ? change(s) : s)) };
}

export function removeShape<S extends Drawn, T extends string>(d: ShapeDraft<S, T>, index: number): ShapeDraft<S, T> {
  return { ...d, shapes: d.shapes.filter((_, i) => i !== index), selected: null };
}

type Issue = { path: PropertyKey[]; message: string; code?: string; params?: unknown };

/**
 * The first problem the schema finds with the shapes, as a person would say it ("Zone 2 "Gate": …") in the interface's
 * language (the host's reasons, api-errors.ts), or null. `label(shape, n)` names the n-th shape (1-based).
 */
export function firstProblem<S extends Drawn>(shapes: readonly S[], issues: readonly Issue[] | null, label: (s: S, n: number) => string): string | null {
  const issue = issues?.[0];
  if (!issue) return null;
  const i = typeof issue.path[1] === 'number' ? issue.path[1] : null;
  const s = i !== null ? shapes[i] : undefined;
  const reason = reasonOfIssue(issue);
  return `${s ? `${label(s, i! + 1)}${s.name.trim() ? ` "${s.name.trim()}"` : ''}: ` : ''}${reason ? reasonMessage(reason) : issue.message}`;
}
