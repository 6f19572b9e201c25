/**
 * Pure rules for what the wall stores: a layout is valid (schema, cells inside the grid, no
 * overlaps), and pushing a camera lands in the asked cell, else the first empty one, else the last.
 */
import { ContractError } from '../../contract/api.js';
import { layoutProblem, makePresetLayout } from '../../contract/layout-presets.js';
import { reason, reasonOfIssue } from '../../contract/api-errors.js';
import { Layout } from '../../contract/schemas.js';
import { describeIssues } from '../settings/describe-issue.js';

/** Returns the parsed layout or throws ContractError('invalid') saying what is wrong. */
export function checkLayout(raw: unknown): Layout {
  const parsed = Layout.safeParse(raw);
  if (!parsed.success) throw new ContractError('invalid', describeIssues(parsed.error, 'layout'), reasonOfIssue(parsed.error.issues[0]!) ?? undefined);
  const geometry = layoutProblem(parsed.data);
  if (geometry) throw new ContractError('invalid', `layout "${parsed.data.name}": ${geometry.message}`, geometry.reason);
  return parsed.data;
}

/** The wall a fresh console shows: 4x4 with the first 16 cameras. */
export function defaultLayout(cameraIds: readonly string[]): Layout {
  return makePresetLayout('4x4', cameraIds.slice(0, 16), 'live', '4x4');
}

/** An empty layout for a display that appears for the first time (a web shell's extra window). */
export function newDisplayLayout(): Layout { return makePresetLayout('2x2', [], 'live', '2x2'); }

export function isEmptyLayout(layout: Layout): boolean {
  return layout.cells.every((c) => c.cameraId === null && !c.tour);
}

/** Puts a camera into cell `cellIndex`, else the first empty cell, else the last cell. Ends any tour there. */
export function pushCamera(layout: Layout, cameraId: string, cellIndex?: number): Layout {
  if (layout.cells.length === 0) throw new ContractError('invalid', `layout "${layout.name}" has no cells to put a camera in`, reason('layoutNoCells', { name: layout.name }));
  let index: number;
  if (cellIndex !== undefined) {
    if (cellIndex < 0 || cellIndex >= layout.cells.length) {
      throw new ContractError('invalid', `cell ${cellIndex} does not exist (the layout has ${layout.cells.length} cells, 0-${layout.cells.length - 1})`,
        reason('noCell', { cell: cellIndex, last: layout.cells.length - 1 }));
    }
    index = cellIndex;
  } else {
    const empty = layout.cells.findIndex((c) => c.cameraId === null && !c.tour);
    index = empty >= 0 ? empty : layout.cells.length - 1;
  }
  const cells = layout.cells.map((c, i) => {
    if (i !== index) return c;
    const { tour: _tour, ...rest } = c;
    return { ...rest, cameraId };
  });
  return { ...layout, cells };
}

/** Removes cameras that no longer exist from cells and tours; returns the same object when nothing changed. */
export function withoutCameras(layout: Layout, exists: (id: string) => boolean): Layout {
  let changed = false;
  const cells = layout.cells.map((c) => {
    let cell = c;
    if (cell.cameraId !== null && !exists(cell.cameraId)) { cell = { ...cell, cameraId: null }; changed = true; }
    if (cell.tour) {
      const kept = cell.tour.cameraIds.filter(exists);
      if (kept.length !== cell.tour.cameraIds.length) {
        changed = true;
        const { tour, ...rest } = cell;
        cell = kept.length > 0 ? { ...rest, tour: { ...tour, cameraIds: kept } } : rest;
      }
    }
    return cell;
  });
  return changed ? { ...layout, cells } : layout;
}
