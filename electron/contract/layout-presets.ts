/**
 * Layout presets of the wall: plain grids (1, 2x2 ... 8x8) and spans (1+5, 1+7, 1+12, 2+8), plus
 * the geometry check every layout must pass. Pure module shared by the host and the renderer.
 */
import type { Layout, LayoutCell } from './schemas.js';
import { reason, type ErrorReason } from './api-errors.js';

export const PRESET_IDS = ['1', '2x2', '3x3', '4x4', '5x5', '6x6', '8x8', '1+5', '1+7', '1+12', '2+8'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** Largest grid a layout may use in either direction (matches the Layout schema). */
export const MAX_GRID = 16;

interface Span { x: number; y: number; w: number; h: number }
interface PresetShape { cols: number; rows: number; big: Span[] }

const SHAPES: Record<PresetId, PresetShape> = {
  '1': { cols: 1, rows: 1, big: [] },
  '2x2': { cols: 2, rows: 2, big: [] },
  '3x3': { cols: 3, rows: 3, big: [] },
  '4x4': { cols: 4, rows: 4, big: [] },
  '5x5': { cols: 5, rows: 5, big: [] },
  '6x6': { cols: 6, rows: 6, big: [] },
  '8x8': { cols: 8, rows: 8, big: [] },
  '1+5': { cols: 3, rows: 3, big: [{ x: 0, y: 0, w: 2, h: 2 }] },
  '1+7': { cols: 4, rows: 4, big: [{ x: 0, y: 0, w: 3, h: 3 }] },
  '1+12': { cols: 4, rows: 4, big: [{ x: 1, y: 1, w: 2, h: 2 }] },
  '2+8': { cols: 4, rows: 4, big: [{ x: 0, y: 0, w: 2, h: 2 }, { x: 2, y: 0, w: 2, h: 2 }] },
};

export function isPresetId(value: unknown): value is PresetId {
  return typeof value === 'string' && (PRESET_IDS as readonly string[]).includes(value);
}

/** Number of cells a preset has (big cells count once). */
export function presetCellCount(preset: PresetId): number {
  const s = SHAPES[preset];
  return s.cols * s.rows - s.big.reduce((n, b) => n + b.w * b.h - 1, 0);
}

/** Which preset (if any) a layout's geometry matches, ignoring cameras. */
export function presetOf(layout: Pick<Layout, 'cols' | 'rows' | 'cells'>): PresetId | null {
  for (const id of PRESET_IDS) {
    const cells = presetCells(SHAPES[id]);
    if (SHAPES[id].cols !== layout.cols || SHAPES[id].rows !== layout.rows || cells.length !== layout.cells.length) continue;
    if (cells.every((c, i) => { const o = layout.cells[i]; return !!o && o.x === c.x && o.y === c.y && o.w === c.w && o.h === c.h; })) return id;
  }
  return null;
}

function presetCells(shape: PresetShape): Span[] {
  const taken = new Set<number>();
  for (const b of shape.big) for (let y = b.y; y < b.y + b.h; y++) for (let x = b.x; x < b.x + b.w; x++) taken.add(y * shape.cols + x);
  const cells: Span[] = shape.big.map((b) => ({ ...b }));
  for (let y = 0; y < shape.rows; y++) {
    for (let x = 0; x < shape.cols; x++) if (!taken.has(y * shape.cols + x)) cells.push({ x, y, w: 1, h: 1 });
  }
  return cells;
}

/**
 * Builds a layout from a preset or a custom grid. Cells are ordered big first, then row-major;
 * cell i shows cameraIds[i] (null or missing = empty). Throws a RangeError for an unknown preset
 * or a grid outside 1..16.
 */
export function makePresetLayout(
  preset: PresetId | { cols: number; rows: number },
  cameraIds: readonly (string | null)[],
  id = 'live',
  name?: string,
): Layout {
  let shape: PresetShape;
  if (typeof preset === 'string') {
    if (!isPresetId(preset)) throw new RangeError(`unknown layout preset "${String(preset)}"`);
    shape = SHAPES[preset];
  } else {
    const { cols, rows } = preset;
    for (const [label, v] of [['cols', cols], ['rows', rows]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > MAX_GRID) throw new RangeError(`grid ${label} must be a whole number from 1 to ${MAX_GRID}, got ${String(v)}`);
    }
    shape = { cols, rows, big: [] };
  }
  const cells: LayoutCell[] = presetCells(shape).map((s, i) => ({ ...s, cameraId: cameraIds[i] ?? null }));
  const label = name ?? (typeof preset === 'string' ? preset : `${shape.cols}x${shape.rows}`);
  return { id, name: label, cols: shape.cols, rows: shape.rows, cells };
}

/** Returns why a layout's geometry is wrong (cells outside the grid, overlapping), or null if it is fine. */
export function validateLayout(layout: Pick<Layout, 'cols' | 'rows' | 'cells'>): string | null {
  return layoutProblem(layout)?.message ?? null;
}

/** validateLayout's problem with its reason for the console to translate (electron/contract/api-errors.ts). */
export function layoutProblem(layout: Pick<Layout, 'cols' | 'rows' | 'cells'>): { message: string; reason: ErrorReason } | null {
  const { cols, rows, cells } = layout;
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 1 || rows < 1 || cols > MAX_GRID || rows > MAX_GRID) {
    return { message: `grid must be 1..${MAX_GRID} x 1..${MAX_GRID}, got ${String(cols)}x${String(rows)}`, reason: reason('layoutGrid', { max: MAX_GRID }) };
  }
  if (!Array.isArray(cells)) return { message: 'cells must be a list', reason: reason('badValue', { field: 'cells' }) };
  const owner = new Int32Array(cols * rows).fill(-1);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (![c.x, c.y, c.w, c.h].every(Number.isInteger) || c.x < 0 || c.y < 0 || c.w < 1 || c.h < 1) {
      return { message: `cell ${i}: position and size must be whole numbers (x, y >= 0; w, h >= 1)`, reason: reason('cellBadSize', { cell: i }) };
    }
    if (c.x + c.w > cols || c.y + c.h > rows) return { message: `cell ${i} (${c.x},${c.y} ${c.w}x${c.h}) is outside the ${cols}x${rows} grid`, reason: reason('cellOutside', { cell: i, cols, rows }) };
    for (let y = c.y; y < c.y + c.h; y++) {
      for (let x = c.x; x < c.x + c.w; x++) {
        const prev = owner[y * cols + x]!;
        if (prev >= 0) return { message: `cell ${i} overlaps cell ${prev} at ${x},${y}`, reason: reason('cellsOverlap', { cell: i, other: prev }) };
        owner[y * cols + x] = i;
      }
    }
  }
  return null;
}
