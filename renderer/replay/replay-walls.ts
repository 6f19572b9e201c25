/**
 * The replayed walls (issue 11 §1): which displays replay draws, each display's tiles at a moment in its layout's own
 * geometry (the live wall's `tileRects`: spanning cells, the layout's columns and rows), and where the walls sit side by
 * side. One player per camera (decoded once): the first tile showing a camera holds its <video>, any other tile showing
 * it mirrors that picture. Pure: no React, no DOM.
 */
import type { ConsoleState } from '../../electron/contract/replay-schema.js';
import { layersOf, type Layout, type LayoutCell, type OverlayLayers, type WallDisplay } from '../../electron/contract/schemas.js';
import { tileRects, type Rect } from '../wall/tile-geometry.js';
import { cellCameraAt } from '../wall/wall-model.js';

/** One tile of a replayed wall. */
export interface ReplayTile {
  /** Stable while the tile shows the same camera in the same role (`display:index:camera:role`). */
  key: string;
  index: number;
  /** The camera the cell showed at the moment (a tour's camera then), or null for an empty cell. */
  cameraId: string | null;
  /** Another tile (earlier in display and tile order) holds this camera's player: this one mirrors its picture. */
  mirror: boolean;
  /** The camera is among the cameras played (at most `maxCameras` distinct ones over the walls drawn). */
  played: boolean;
  /** The overlay layers the live wall drew on this tile then: the layout's switches with the tile's overrides. */
  layers: OverlayLayers;
}

/**
 * One display's wall as replay draws it at a moment: its layout, its maximised tile (it fills the wall, as on the live
 * wall) or null, and the tiles shown (only the maximised one while a tile is maximised).
 */
export interface ReplayWall { displayId: string; layout: Layout; maximised: number | null; tiles: ReplayTile[] }

/** The displays to draw: every display of the moment, or the chosen one (the first when it has no layout then). */
export function displaysToDraw(state: ConsoleState, all: boolean, displayId: string): string[] {
  const ids = state.displays.map((d) => d.displayId);
  if (all) return ids;
  return ids.includes(displayId) ? [displayId] : ids.slice(0, 1);
}

/**
 * Each display's tiles at `state.atMs`, in the displays' order, and the cameras to play: distinct, in display and tile
 * order, the first `maxCameras`. A tour cell shows the camera its tour showed at that moment (the live wall's rule). A
 * display with a maximised tile shows that tile alone: the tiles it hides are not drawn and their cameras not played
 * (the live wall asks no stream for them).
 */
export function replayWalls(state: ConsoleState, displayIds: readonly string[], maxCameras: number): { walls: ReplayWall[]; cameras: string[] } {
  const cameras: string[] = [];
  const seen = new Set<string>();
  const walls = displayIds.flatMap((displayId) => {
    const d = state.displays.find((x) => x.displayId === displayId);
    if (!d) return [];
    const tileOf = (cell: LayoutCell, index: number): ReplayTile => {
      const cameraId = cellCameraAt(cell, state.atMs);
      const layers = layersOf(d.layout.layers, cell.layers);
      if (cameraId === null) return { key: `${displayId}:${index}:`, index, cameraId, mirror: false, played: false, layers };
      const mirror = seen.has(cameraId);
      if (!mirror) { seen.add(cameraId); if (cameras.length < maxCameras) cameras.push(cameraId); }
      const played = cameras.includes(cameraId);
      return { key: `${displayId}:${index}:${cameraId}:${mirror ? 'm' : 'p'}`, index, cameraId, mirror, played, layers };
    };
    const tiles = d.layout.cells.flatMap((cell, index) => (d.maximised === null || d.maximised === index ? [tileOf(cell, index)] : []));
    return [{ displayId, layout: d.layout, maximised: d.maximised, tiles }];
  });
  return { walls, cameras };
}

/**
 * What replay draws at a moment: the walls of the displays to draw, or, when no display had a layout yet (an incident
 * starting before the console recorded any), no walls and the incident's own cameras (the review grid plays them).
 */
export function replayScreen(state: ConsoleState, all: boolean, displayId: string, incidentCameras: readonly string[], maxCameras: number): { walls: ReplayWall[]; cameras: string[] } {
  const r = replayWalls(state, displaysToDraw(state, all, displayId), maxCameras);
  return r.walls.length ? r : { walls: [], cameras: [...new Set(incidentCameras)].slice(0, maxCameras) };
}

/** A display's width over its height: its screen's bounds when this console knows them (desktop shell), else 16:9. */
export function displayAspect(displays: readonly WallDisplay[], displayId: string): number {
  const b = displays.find((d) => d.id === displayId)?.bounds;
  return b && b.width > 0 && b.height > 0 ? b.width / b.height : 16 / 9;
}

/**
 * Where each wall goes in an area of `width` x `height` (CSS px): walls of the given aspects, in order, in rows of equal
 * count (one row when it fits best), each as large as the area allows, with `gap` between walls and `headPx` above each
 * wall for its name. Returns the walls' picture rects (under their heads), centred.
 */
export function arrangeWalls(aspects: readonly number[], width: number, height: number, gap = 8, headPx = 20): Rect[] {
  const n = aspects.length;
  if (n === 0 || width <= 0 || height <= 0) return [];
  let best: { rows: number; h: number } = { rows: 1, h: 0 };
  for (let tried = 1; tried <= n; tried++) {
    const perRow = Math.ceil(n / tried);
    const rows = Math.ceil(n / perRow); // no empty rows (5 walls asked in 4 rows are 3 rows of 2)
    // the wall height every row can take: the widest row decides by width, the rows together by height
    let h = (height - gap * (rows - 1)) / rows - headPx;
    for (let r = 0; r < rows; r++) {
      const row = aspects.slice(r * perRow, (r + 1) * perRow);
      if (row.length) h = Math.min(h, (width - gap * (row.length - 1)) / row.reduce((s, a) => s + a, 0));
    }
    if (h > best.h) best = { rows, h };
  }
  const { rows } = best;
  const h = Math.max(1, Math.floor(best.h));
  const perRow = Math.ceil(n / rows);
  const usedH = rows * (h + headPx) + gap * (rows - 1);
  const out: Rect[] = [];
  for (let r = 0; r < rows; r++) {
    const row = aspects.slice(r * perRow, (r + 1) * perRow);
    const ws = row.map((a) => Math.max(1, Math.floor(a * h)));
    let x = Math.floor((width - ws.reduce((s, w) => s + w, 0) - gap * (row.length - 1)) / 2);
    const y = Math.floor((height - usedH) / 2) + r * (h + headPx + gap) + headPx;
    for (const w of ws) { out.push({ x, y, w, h }); x += w + gap; }
  }
  return out;
}

/**
 * Each tile's rect inside its wall of `w` x `h` (CSS px), or null for a tile a maximised one hides: the live wall's
 * geometry, one definition (tile-geometry.ts; the maximised tile fills the wall).
 */
export function wallTileRects(layout: Layout, w: number, h: number, maximised: number | null): (Rect | null)[] {
  return tileRects(layout, w, h, maximised);
}

/**
 * The height (CSS px) of each played camera's tile (its player's, not a mirror's) when `walls` are drawn in an area of
 * `width` x `height` (ReplayWalls' geometry): a seek gives each player its tile's height at the new moment before React
 * lays the walls out, so that a tile maximised or restored there asks its new stream in the seek's own requests.
 */
export function playedTileHeights(walls: readonly ReplayWall[], aspects: readonly number[], width: number, height: number): Map<string, number> {
  const out = new Map<string, number>();
  const boxes = arrangeWalls(aspects, width, height);
  walls.forEach((wall, i) => {
    const box = boxes[i];
    if (!box) return;
    const rects = wallTileRects(wall.layout, box.w, box.h, wall.maximised);
    for (const tile of wall.tiles) {
      const r = rects[tile.index];
      if (r && tile.cameraId !== null && tile.played && !tile.mirror) out.set(tile.cameraId, r.h);
    }
  });
  return out;
}

/**
 * What a seek to a moment gives the review grid (its `camerasAt`): the cameras the walls `screen` play, and with the
 * walls' area known (`width` > 0), each one's tile height there (playedTileHeights).
 */
export function gridAt(screen: { walls: readonly ReplayWall[]; cameras: string[] }, aspectOf: (displayId: string) => number, width: number, height: number): { cameras: string[]; heights?: Map<string, number> } {
  if (screen.walls.length === 0 || width <= 0 || height <= 0) return { cameras: screen.cameras };
  return { cameras: screen.cameras, heights: playedTileHeights(screen.walls, screen.walls.map((w) => aspectOf(w.displayId)), width, height) };
}
