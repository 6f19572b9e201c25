/**
 * Map to wall (issue 10 §2): the cameras inside a rectangle (shift-drag) or a lasso drawn on the map, as a wall layout.
 * Pure: screen points in, camera ids and a layout (plain data, the wall's own layout code) out.
 */
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { Layout } from '../../electron/contract/schemas.js';

export type ScreenPoint = [x: number, y: number];
/** The most cameras an area puts on the wall (an 8 x 8 grid); the rest are left out and counted. */
export const MAX_AREA_CAMERAS = 64;

/** The rectangle between two corners, as a closed polygon. */
export function rectangle(a: ScreenPoint, b: ScreenPoint): ScreenPoint[] {
  return [[a[0], a[1]], [b[0], a[1]], [b[0], b[1]], [a[0], b[1]]];
}

/** Even-odd ray test: is `p` inside `polygon` (any simple or self-crossing lasso)? */
export function inside(p: ScreenPoint, polygon: readonly ScreenPoint[]): boolean {
  let yes = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!, [xj, yj] = polygon[j]!;
    if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) yes = !yes;
  }
  return yes;
}

/** The cameras whose dot lies inside the area, top to bottom then left to right (the wall reads like the map). */
export function camerasInArea(cameras: ReadonlyArray<{ id: string; at: ScreenPoint }>, area: readonly ScreenPoint[]): string[] {
  if (area.length < 3) return [];
  return cameras.filter((c) => inside(c.at, area))
    .sort((a, b) => Math.round(a.at[1] / 40) - Math.round(b.at[1] / 40) || a.at[0] - b.at[0] || a.id.localeCompare(b.id))
    .map((c) => c.id);
}

/** The smallest near-square grid that holds them all (cols >= rows), cameras in reading order; null for none. */
export function areaLayout(ids: readonly string[], id: string, name: string): { layout: Layout; left: number } | null {
  if (!ids.length) return null;
  const shown = ids.slice(0, MAX_AREA_CAMERAS);
  const cols = Math.ceil(Math.sqrt(shown.length));
  const rows = Math.ceil(shown.length / cols);
  return { layout: makePresetLayout({ cols, rows }, shown, id, name), left: ids.length - shown.length };
}
