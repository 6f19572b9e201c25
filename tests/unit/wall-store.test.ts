import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../electron/contract/api.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { Layout } from '../../electron/contract/schemas.js';
import { createLogger } from '../../electron/host/log.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { WallStore, type WallChange } from '../../electron/host/wall/store.js';

let dir: string;
let cameras: string[];
const log = createLogger({ quiet: true });
const open = () => new WallStore({ dataDir: dir, log, cameraIds: () => cameras });
const ids = (n: number) => Array.from({ length: n }, (_, i) => `cam-${i + 1}`);

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kuzet-wall-')); cameras = ids(20); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

function throwsCode(fn: () => unknown, code: string, message: RegExp) {
  try { fn(); } catch (e) {
    expect(e).toBeInstanceOf(ContractError);
    expect((e as ContractError).code).toBe(code);
    expect((e as ContractError).message).toMatch(message);
    return;
  }
  throw new Error('expected a ContractError');
}

describe('WallStore', () => {
  it('starts with display main showing a 4x4 of the first 16 cameras', () => {
    const [main, ...rest] = open().displays();
    expect(rest).toEqual([]);
    expect(main!.id).toBe('main');
    expect([main!.layout.cols, main!.layout.rows]).toEqual([4, 4]);
    expect(main!.layout.cells.map((c) => c.cameraId)).toEqual(ids(16));
  });

  it('fills an empty default wall once cameras exist (demo first start)', () => {
    cameras = [];
    const wall = open();
    expect(wall.displays()[0]!.layout.cells.every((c) => c.cameraId === null)).toBe(true);
    cameras = ids(3);
    wall.ensureDefaultWall();
    expect(wall.displays()[0]!.layout.cells.slice(0, 4).map((c) => c.cameraId)).toEqual(['cam-1', 'cam-2', 'cam-3', null]);
    wall.push({ displayId: 'main', cameraId: 'cam-3', cellIndex: 0 });
    wall.ensureDefaultWall();
    expect(wall.displays()[0]!.layout.cells[0]!.cameraId).toBe('cam-3');
  });

  it('saves, lists, replaces and removes named layouts, and rejects bad geometry', () => {
    const wall = open();
    const layout = makePresetLayout('1+5', ['cam-1'], 'control-room', 'Control room');
    wall.saveLayout(layout);
    wall.saveLayout({ ...layout, name: 'Control room v2' });
    expect(open().listLayouts()).toEqual([{ ...layout, name: 'Control room v2' }]);
    const outside: Layout = { id: 'x', name: 'X', cols: 2, rows: 2, cells: [{ x: 1, y: 1, w: 2, h: 1, cameraId: null }] };
    throwsCode(() => wall.saveLayout(outside), 'invalid', /outside the 2x2 grid/);
    const overlap: Layout = { id: 'x', name: 'X', cols: 2, rows: 2, cells: [{ x: 0, y: 0, w: 2, h: 2, cameraId: null }, { x: 1, y: 1, w: 1, h: 1, cameraId: null }] };
    throwsCode(() => wall.saveLayout(overlap), 'invalid', /overlaps/);
    throwsCode(() => wall.saveLayout({ ...layout, cols: 40 } as Layout), 'invalid', /layout: cols/);
    wall.removeLayout('control-room');
    expect(wall.listLayouts()).toEqual([]);
    throwsCode(() => wall.removeLayout('control-room'), 'not-found', /no saved layout/);
  });

  it('pushes a camera into the given cell, else the first empty, else the last', () => {
    const wall = open();
    wall.setLayout('main', makePresetLayout('2x2', ['cam-1', null, 'cam-3', null]));
    expect(wall.push({ displayId: 'main', cameraId: 'cam-9' }).layout.cells.map((c) => c.cameraId)).toEqual(['cam-1', 'cam-9', 'cam-3', null]);
    expect(wall.push({ displayId: 'main', cameraId: 'cam-10' }).layout.cells.map((c) => c.cameraId)).toEqual(['cam-1', 'cam-9', 'cam-3', 'cam-10']);
    expect(wall.push({ displayId: 'main', cameraId: 'cam-11' }).layout.cells.map((c) => c.cameraId)).toEqual(['cam-1', 'cam-9', 'cam-3', 'cam-11']);
    expect(wall.push({ displayId: 'main', cameraId: 'cam-12', cellIndex: 0 }).layout.cells[0]!.cameraId).toBe('cam-12');
    throwsCode(() => wall.push({ displayId: 'main', cameraId: 'cam-1', cellIndex: 4 }), 'invalid', /cell 4 does not exist/);
    throwsCode(() => wall.push({ displayId: 'main', cameraId: 'ghost' }), 'not-found', /no camera with id "ghost"/);
    throwsCode(() => wall.push({ displayId: 'main' }), 'invalid', /needs a camera or a layout/);
  });

  it('creates unknown displays on first use and replaces a layout by push', () => {
    const wall = open();
    const d = wall.push({ displayId: 'web-2', cameraId: 'cam-5' });
    expect(d.layout.cells.map((c) => c.cameraId)).toEqual(['cam-5', null, null, null]);
    const replaced = wall.push({ displayId: 'web-2', layout: makePresetLayout('1', ['cam-7']) });
    expect(replaced.layout.cells).toHaveLength(1);
    expect(open().displays().map((x) => x.id)).toEqual(['main', 'web-2']);
  });

  it('saves, applies and removes wall presets', () => {
    const wall = open();
    wall.setLayout('side', makePresetLayout('1', ['cam-2']));
    const preset = wall.savePreset('Night shift');
    expect(preset.id).toBe('night-shift');
    expect(Object.keys(preset.displays)).toEqual(['main', 'side']);
    wall.setLayout('main', makePresetLayout('2x2', []));
    wall.setLayout('side', makePresetLayout('3x3', []));
    const applied = wall.applyPreset('night-shift');
    expect(applied.find((x) => x.id === 'main')!.layout.cells).toHaveLength(16);
    expect(applied.find((x) => x.id === 'side')!.layout.cells[0]!.cameraId).toBe('cam-2');
    expect(wall.savePreset('Night shift').id).toBe('night-shift-2');
    expect(wall.savePreset('Renamed', 'night-shift').name).toBe('Renamed');
    expect(open().listPresets().map((p) => p.id)).toEqual(['night-shift-2', 'night-shift']);
    wall.removePreset('night-shift');
    throwsCode(() => wall.applyPreset('night-shift'), 'not-found', /no wall preset/);
  });

  it('reports what changed and clears removed cameras', () => {
    const wall = open();
    const seen: WallChange[] = [];
    const off = wall.onChange((w) => seen.push(w));
    wall.saveLayout(makePresetLayout('2x2', [], 'l1', 'L1'));
    wall.push({ displayId: 'main', cameraId: 'cam-1', cellIndex: 3 });
    wall.savePreset('P');
    cameras = ids(20).filter((id) => id !== 'cam-1');
    wall.retainCameras(cameras);
    off();
    wall.removeLayout('l1');
    expect(seen).toEqual(['layouts', 'displays', 'presets', 'displays']);
    expect(wall.displays()[0]!.layout.cells.filter((c) => c.cameraId === 'cam-1')).toEqual([]);
  });

  it('sets a corrupt wall file aside and starts from the default wall', () => {
    writeFileSync(join(dir, 'wall.json'), '{"layouts": [], "displays": [{"id": "main"');
    const notices = new NoticeBoard();
    const wall = new WallStore({ dataDir: dir, log, notices, cameraIds: () => cameras });
    expect(wall.displays()[0]!.layout.cells).toHaveLength(16);
    expect(readdirSync(dir).filter((f) => f.startsWith('wall.corrupt-'))).toHaveLength(1);
    expect(notices.list()).toHaveLength(1);
  });
});
