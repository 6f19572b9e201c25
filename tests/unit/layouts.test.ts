import { describe, expect, it } from 'vitest';
import { Layout } from '../../electron/contract/schemas.js';
import { PRESET_IDS, makePresetLayout, presetCellCount, presetOf, validateLayout } from '../../electron/contract/layout-presets.js';
import {
  assignCamera, cellCameraAt, clearCell, initialWall, neighbour, setGrid, setPreset, swapCells, wallReducer,
} from '../../renderer/wall/wall-model.js';

const spans = (l: { cells: { x: number; y: number; w: number; h: number }[] }) => l.cells.map((c) => [c.x, c.y, c.w, c.h]);

describe('layout presets', () => {
  it('every preset is a valid Layout that covers its grid exactly', () => {
    for (const id of PRESET_IDS) {
      const l = makePresetLayout(id, []);
      expect(Layout.safeParse(l).success, id).toBe(true);
      expect(validateLayout(l), id).toBeNull();
      const area = l.cells.reduce((n, c) => n + c.w * c.h, 0);
      expect(area, id).toBe(l.cols * l.rows);
      expect(l.cells.length, id).toBe(presetCellCount(id));
      expect(presetOf(l)).toBe(id);
    }
  });

  it('plain grids have n*n cells in row-major order', () => {
    const l = makePresetLayout('3x3', []);
    expect(l.cells).toHaveLength(9);
    expect(spans(l).slice(0, 4)).toEqual([[0, 0, 1, 1], [1, 0, 1, 1], [2, 0, 1, 1], [0, 1, 1, 1]]);
    expect(makePresetLayout('8x8', []).cells).toHaveLength(64);
  });

  it('spans put the big cells first, then row-major', () => {
    expect(spans(makePresetLayout('1+5', []))).toEqual([[0, 0, 2, 2], [2, 0, 1, 1], [2, 1, 1, 1], [0, 2, 1, 1], [1, 2, 1, 1], [2, 2, 1, 1]]);
    const l7 = makePresetLayout('1+7', []);
    expect([l7.cols, l7.rows, l7.cells.length]).toEqual([4, 4, 8]);
    expect(spans(l7)[0]).toEqual([0, 0, 3, 3]);
    expect(spans(l7)[1]).toEqual([3, 0, 1, 1]);
    const l12 = makePresetLayout('1+12', []);
    expect(l12.cells).toHaveLength(13);
    expect(spans(l12)[0]).toEqual([1, 1, 2, 2]);
    expect(spans(l12).slice(1, 6)).toEqual([[0, 0, 1, 1], [1, 0, 1, 1], [2, 0, 1, 1], [3, 0, 1, 1], [0, 1, 1, 1]]);
    const l28 = makePresetLayout('2+8', []);
    expect(spans(l28).slice(0, 3)).toEqual([[0, 0, 2, 2], [2, 0, 2, 2], [0, 2, 1, 1]]);
    expect(l28.cells).toHaveLength(10);
  });

  it('assigns cameras in cell order and leaves the rest empty', () => {
    const l = makePresetLayout('1+5', ['a', null, 'c'], 'x', 'Mine');
    expect(l.cells.map((c) => c.cameraId)).toEqual(['a', null, 'c', null, null, null]);
    expect([l.id, l.name]).toEqual(['x', 'Mine']);
  });

  it('builds custom grids and rejects bad ones with a clear error', () => {
    const l = makePresetLayout({ cols: 5, rows: 2 }, []);
    expect([l.cols, l.rows, l.cells.length, l.name]).toEqual([5, 2, 10, '5x2']);
    expect(() => makePresetLayout({ cols: 0, rows: 2 }, [])).toThrow(/cols must be a whole number from 1 to 16/);
    expect(() => makePresetLayout({ cols: 3, rows: 17 }, [])).toThrow(/rows/);
    expect(() => makePresetLayout({ cols: 2.5, rows: 2 }, [])).toThrow(RangeError);
    expect(() => makePresetLayout('7x7' as never, [])).toThrow(/unknown layout preset "7x7"/);
  });

  it('validateLayout finds cells outside the grid and overlaps', () => {
    const base = makePresetLayout('2x2', []);
    expect(validateLayout({ ...base, cells: [...base.cells, { x: 1, y: 1, w: 1, h: 1, cameraId: null }] })).toMatch(/cell 4 overlaps cell 3/);
    expect(validateLayout({ ...base, cells: [{ x: 1, y: 0, w: 2, h: 1, cameraId: null }] })).toMatch(/outside the 2x2 grid/);
    expect(validateLayout({ ...base, cells: [{ x: -1, y: 0, w: 1, h: 1, cameraId: null }] })).toMatch(/whole numbers/);
    expect(validateLayout({ ...base, cols: 0 })).toMatch(/grid must be/);
    expect(validateLayout({ ...base, cells: [] })).toBeNull();
  });
});

describe('wall model', () => {
  const four = makePresetLayout('2x2', ['a', 'b', 'c', 'd']);

  it('setPreset keeps the cameras in order and compacts when the grid shrinks', () => {
    const nine = setPreset(four, '3x3');
    expect(nine.cells.map((c) => c.cameraId)).toEqual(['a', 'b', 'c', 'd', null, null, null, null, null]);
    const sparse = assignCamera(clearCell(nine, 1), 7, 'h');
    const back = setPreset(sparse, '2x2');
    expect(back.cells.map((c) => c.cameraId)).toEqual(['a', 'c', 'd', 'h']);
    expect(back.id).toBe(four.id);
    expect(setGrid(four, 3, 1).cells.map((c) => c.cameraId)).toEqual(['a', 'b', 'c']);
  });

  it('assign, swap and clear change only the cells involved', () => {
    const a = assignCamera(four, 2, 'z');
    expect(a.cells.map((c) => c.cameraId)).toEqual(['a', 'b', 'z', 'd']);
    const s = swapCells(a, 0, 3);
    expect(s.cells.map((c) => c.cameraId)).toEqual(['d', 'b', 'z', 'a']);
    expect(spans(s)).toEqual(spans(four));
    expect(clearCell(s, 1).cells[1]!.cameraId).toBeNull();
    expect(assignCamera(four, 9, 'x')).toBe(four);
  });

  it('swap carries the pin and the tour with the camera', () => {
    let s = wallReducer(initialWall(four), { type: 'pin', index: 0, pinned: true });
    s = wallReducer(s, { type: 'tour', index: 1, cameraIds: ['x', 'y'], seconds: 1 });
    expect(s.layout.cells[1]!.tour).toEqual({ cameraIds: ['x', 'y'], seconds: 2 });
    s = wallReducer(s, { type: 'swap', from: 0, to: 1 });
    expect(s.layout.cells[1]).toMatchObject({ cameraId: 'a', pinned: true });
    expect(s.layout.cells[0]!.tour?.cameraIds).toEqual(['x', 'y']);
    expect(s.layout.cells[0]!.pinned).toBeUndefined();
    expect(Layout.safeParse(s.layout).success).toBe(true);
    s = wallReducer(s, { type: 'pin', index: 1, pinned: false });
    expect('pinned' in s.layout.cells[1]!).toBe(false);
  });

  it('tours cycle cameras by time', () => {
    const t = wallReducer(initialWall(four), { type: 'tour', index: 0, cameraIds: ['x', 'y', 'z'], seconds: 5 }).layout.cells[0]!;
    expect(cellCameraAt(t, 0)).toBe('x');
    expect(cellCameraAt(t, 5_000)).toBe('y');
    expect(cellCameraAt(t, 14_999)).toBe('z');
    expect(cellCameraAt(t, 15_000)).toBe('x');
    expect(cellCameraAt(four.cells[1]!, 99_000)).toBe('b');
  });

  it('maximise, restore and selection moves', () => {
    let s = initialWall(makePresetLayout('1+5', []));
    s = wallReducer(s, { type: 'toggle-maximise', index: 3 });
    expect([s.maximised, s.selected]).toEqual([3, 3]);
    s = wallReducer(s, { type: 'restore' });
    expect(s.maximised).toBeNull();
    s = wallReducer(s, { type: 'select', index: 0 });
    expect(wallReducer(s, { type: 'move', direction: 'right' }).selected).toBe(1);
    expect(wallReducer(s, { type: 'move', direction: 'down' }).selected).toBe(3);
    expect(wallReducer(s, { type: 'move', direction: 'left' }).selected).toBe(0);
    expect(neighbour(s.layout, 5, 'up')).toBe(2);
    expect(wallReducer(s, { type: 'maximise', index: 42 })).toBe(s);
  });

  it('a preset change ends maximise and keeps selection in range; bad loads are ignored', () => {
    let s = wallReducer(initialWall(makePresetLayout('4x4', [])), { type: 'maximise', index: 15 });
    s = wallReducer(s, { type: 'preset', preset: '2x2' });
    expect([s.maximised, s.selected]).toEqual([null, 3]);
    const bad = { ...four, cells: [...four.cells, { x: 0, y: 0, w: 1, h: 1, cameraId: null }] };
    expect(wallReducer(s, { type: 'load', layout: bad })).toBe(s);
  });
});
