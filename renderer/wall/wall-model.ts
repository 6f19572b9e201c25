/**
 * The wall of this display as plain data with pure reducers (STYLE.md §4): the layout the host
 * stores, plus view state that stays local (selection, maximised tile). No React, no DOM.
 */
import { DEFAULT_LAYERS, maximisedIn, type LayerName, type Layout, type LayoutCell } from '../../electron/contract/schemas.js';
import { makePresetLayout, validateLayout, type PresetId } from '../../electron/contract/layout-presets.js';

export interface WallState {
  layout: Layout;
  /** Index of the selected cell (keyboard focus), always a valid index when cells exist. */
  selected: number;
  /** Index of the maximised cell, or null when the whole grid shows. */
  maximised: number | null;
}

export type Direction = 'left' | 'right' | 'up' | 'down';

export type WallAction =
  | { type: 'load'; layout: Layout }
  | { type: 'preset'; preset: PresetId }
  | { type: 'grid'; cols: number; rows: number }
  | { type: 'assign'; index: number; cameraId: string | null }
  | { type: 'swap'; from: number; to: number }
  | { type: 'clear'; index: number }
  | { type: 'maximise'; index: number }
  | { type: 'toggle-maximise'; index: number }
  | { type: 'restore' }
  | { type: 'tour'; index: number; cameraIds: string[]; seconds: number }
  | { type: 'stop-tour'; index: number }
  | { type: 'pin'; index: number; pinned: boolean }
  /** The top bar's switch of one overlay layer on every tile. */
  | { type: 'layer'; layer: LayerName; on: boolean }
  /** One tile's override of a layer; null follows the global switch again. */
  | { type: 'tile-layer'; index: number; layer: LayerName; on: boolean | null }
  | { type: 'select'; index: number }
  | { type: 'move'; direction: Direction };

export function initialWall(layout: Layout): WallState {
  return { layout, selected: 0, maximised: null };
}

type CellContent = Pick<LayoutCell, 'cameraId' | 'tour' | 'pinned' | 'layers'>;

function contentOf(c: LayoutCell): CellContent {
  const out: CellContent = { cameraId: c.cameraId };
  if (c.tour) out.tour = c.tour;
  if (c.pinned) out.pinned = true;
  if (c.layers) out.layers = c.layers;
  return out;
}

/** Rebuilds the grid, keeping each cell's camera (and tour, pin) in order; compacts if the new grid is smaller. */
function regrid(layout: Layout, next: Layout): Layout {
  let contents = layout.cells.map(contentOf);
  if (contents.length > next.cells.length) contents = contents.filter((c) => c.cameraId !== null || c.tour);
  const cells = next.cells.map((cell, i) => {
    const c = contents[i];
    return c ? { x: cell.x, y: cell.y, w: cell.w, h: cell.h, ...c } : cell;
  });
  return { ...layout, cols: next.cols, rows: next.rows, cells };
}

export function setPreset(layout: Layout, preset: PresetId): Layout {
  return regrid(layout, makePresetLayout(preset, [], layout.id, layout.name));
}

export function setGrid(layout: Layout, cols: number, rows: number): Layout {
  return regrid(layout, makePresetLayout({ cols, rows }, [], layout.id, layout.name));
}

function updateCell(layout: Layout, index: number, change: (c: LayoutCell) => LayoutCell): Layout {
  if (!layout.cells[index]) return layout;
  return { ...layout, cells: layout.cells.map((c, i) => (i === index ? change(c) : c)) };
}

function withoutExtras(c: LayoutCell): LayoutCell {
  return { x: c.x, y: c.y, w: c.w, h: c.h, cameraId: c.cameraId };
}

/** Puts a camera into a cell; a running tour and pin on that cell end (the operator chose a camera); its layers stay. */
export function assignCamera(layout: Layout, index: number, cameraId: string | null): Layout {
  return updateCell(layout, index, (c) => ({ ...withoutExtras(c), cameraId, ...(c.layers ? { layers: c.layers } : {}) }));
}

/** Switches one overlay layer on every tile (tiles that override it keep their override). */
export function setLayer(layout: Layout, layer: LayerName, on: boolean): Layout {
  return { ...layout, layers: { ...DEFAULT_LAYERS, ...layout.layers, [layer]: on } };
}

/** A tile's own setting of a layer; `null` (or the global value) removes the override. */
export function setTileLayer(layout: Layout, index: number, layer: LayerName, on: boolean | null): Layout {
  const global = { ...DEFAULT_LAYERS, ...layout.layers }[layer];
  return updateCell(layout, index, (c) => {
    const { layers, ...rest } = c;
    const next = { ...layers };
    if (on === null || on === global) delete next[layer]; else next[layer] = on;
    return Object.keys(next).length ? { ...rest, layers: next } : rest;
  });
}

/** Swaps what two cells show (camera, tour, pin); geometry stays. */
export function swapCells(layout: Layout, a: number, b: number): Layout {
  const ca = layout.cells[a];
  const cb = layout.cells[b];
  if (!ca || !cb || a === b) return layout;
  const cells = layout.cells.slice();
  cells[a] = { x: ca.x, y: ca.y, w: ca.w, h: ca.h, ...contentOf(cb) };
  cells[b] = { x: cb.x, y: cb.y, w: cb.w, h: cb.h, ...contentOf(ca) };
  return { ...layout, cells };
}

export function clearCell(layout: Layout, index: number): Layout {
  return updateCell(layout, index, (c) => ({ ...withoutExtras(c), cameraId: null }));
}

/** Starts a tour; seconds are clamped to the contract's 2..3600. Empty camera lists stop the tour. */
export function setTour(layout: Layout, index: number, cameraIds: string[], seconds: number): Layout {
  if (cameraIds.length === 0) return stopTour(layout, index);
  const s = Math.min(3600, Math.max(2, Math.round(Number.isFinite(seconds) ? seconds : 10)));
  return updateCell(layout, index, (c) => ({ ...c, cameraId: cameraIds[0] ?? null, tour: { cameraIds: [...cameraIds], seconds: s } }));
}

export function stopTour(layout: Layout, index: number): Layout {
  return updateCell(layout, index, (c) => {
    const { tour: _tour, ...rest } = c;
    return rest;
  });
}

export function setPinned(layout: Layout, index: number, pinned: boolean): Layout {
  return updateCell(layout, index, (c) => {
    const { pinned: _p, ...rest } = c;
    return pinned ? { ...rest, pinned: true } : rest;
  });
}

/** Camera a cell shows at `nowMs`: the tour's current camera, else its camera. */
export function cellCameraAt(cell: LayoutCell, nowMs: number): string | null {
  const t = cell.tour;
  if (!t || t.cameraIds.length === 0) return cell.cameraId;
  const step = Math.floor(nowMs / 1000 / t.seconds) % t.cameraIds.length;
  return t.cameraIds[step] ?? cell.cameraId;
}

/** The nearest cell in a direction from cell `from` (by centres), or `from` when there is none. */
export function neighbour(layout: Layout, from: number, direction: Direction): number {
  const cur = layout.cells[from];
  if (!cur) return layout.cells.length > 0 ? 0 : 0;
  const cx = cur.x + cur.w / 2;
  const cy = cur.y + cur.h / 2;
  let best = from;
  let bestScore = Infinity;
  layout.cells.forEach((c, i) => {
    if (i === from) return;
    const dx = c.x + c.w / 2 - cx;
    const dy = c.y + c.h / 2 - cy;
    // Only cells wholly on that side count, so a big cell never "moves left" into the row below.
    const beyond = direction === 'left' ? c.x + c.w <= cur.x : direction === 'right' ? c.x >= cur.x + cur.w
      : direction === 'up' ? c.y + c.h <= cur.y : c.y >= cur.y + cur.h;
    if (!beyond) return;
    const along = Math.abs(direction === 'left' || direction === 'right' ? dx : dy);
    const across = direction === 'left' || direction === 'right' ? Math.abs(dy) : Math.abs(dx);
    const score = along + 2 * across;
    if (score < bestScore) { bestScore = score; best = i; }
  });
  return best;
}

function clampIndex(state: WallState, index: number): number {
  const n = state.layout.cells.length;
  return n === 0 ? 0 : Math.min(n - 1, Math.max(0, index));
}

function withLayout(state: WallState, layout: Layout): WallState {
  if (layout === state.layout) return state;
  const n = layout.cells.length;
  return { layout, selected: n === 0 ? 0 : Math.min(state.selected, n - 1), maximised: maximisedIn(layout, state.maximised) };
}

/** Pure reducer of the wall. Actions with an out-of-range index leave the state unchanged. */
export function wallReducer(state: WallState, action: WallAction): WallState {
  const { layout } = state;
  switch (action.type) {
    case 'load':
      return validateLayout(action.layout) === null ? withLayout(state, action.layout) : state;
    case 'preset': return { ...withLayout(state, setPreset(layout, action.preset)), maximised: null };
    case 'grid': return { ...withLayout(state, setGrid(layout, action.cols, action.rows)), maximised: null };
    case 'assign': return withLayout(state, assignCamera(layout, action.index, action.cameraId));
    case 'swap': return withLayout(state, swapCells(layout, action.from, action.to));
    case 'clear': return withLayout(state, clearCell(layout, action.index));
    case 'tour': return withLayout(state, setTour(layout, action.index, action.cameraIds, action.seconds));
    case 'stop-tour': return withLayout(state, stopTour(layout, action.index));
    case 'pin': return withLayout(state, setPinned(layout, action.index, action.pinned));
    case 'layer': return withLayout(state, setLayer(layout, action.layer, action.on));
    case 'tile-layer': return withLayout(state, setTileLayer(layout, action.index, action.layer, action.on));
    case 'maximise':
      return layout.cells[action.index] ? { ...state, maximised: action.index, selected: action.index } : state;
    case 'toggle-maximise':
      if (!layout.cells[action.index]) return state;
      return { ...state, maximised: state.maximised === action.index ? null : action.index, selected: action.index };
    case 'restore': return state.maximised === null ? state : { ...state, maximised: null };
    case 'select': return layout.cells[action.index] ? { ...state, selected: action.index } : state;
    case 'move': {
      const next = neighbour(layout, clampIndex(state, state.selected), action.direction);
      return next === state.selected ? state : { ...state, selected: next, maximised: state.maximised === null ? null : next };
    }
  }
}
