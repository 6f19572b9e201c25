/**
 * The replayed walls' pure core (renderer/replay/replay-walls.ts, docs/replay.md): which displays are drawn, each
 * display's tiles at a moment (tours, empty cells, one player per camera and mirrors, the played limit), the tiles in
 * the live wall's geometry, and the walls side by side in an area.
 */
import { describe, expect, it } from 'vitest';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { ConsoleState } from '../../electron/contract/replay-schema.js';
import type { Layout, WallDisplay } from '../../electron/contract/schemas.js';
import { tileRects } from '../../renderer/wall/tile-geometry.js';
import { arrangeWalls, displayAspect, displaysToDraw, gridAt, playedTileHeights, replayScreen, replayWalls, wallTileRects } from '../../renderer/replay/replay-walls.js';
import { camerasEverShownOn, displaysOf } from '../../renderer/replay/replay-model.js';

const state = (atMs: number, displays: Record<string, Layout>, maximised: Record<string, number> = {}): ConsoleState => ({
  atMs, queue: [], displays: Object.entries(displays).map(([displayId, layout]) => ({ displayId, layout, maximised: maximised[displayId] ?? null })),
});
const cams = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `cam-${i + from}`);

describe('displays to draw', () => {
  const s = state(0, { main: makePresetLayout('1', ['a']), second: makePresetLayout('2x2', ['b']) });
  it('draws every display of the moment, or the chosen one, or the first when the chosen has no layout', () => {
    expect(displaysToDraw(s, true, 'main')).toEqual(['main', 'second']);
    expect(displaysToDraw(s, false, 'second')).toEqual(['second']);
    expect(displaysToDraw(s, false, 'gone')).toEqual(['main']);
    expect(displaysToDraw(state(0, {}), true, 'main')).toEqual([]);
  });
});

describe('tiles of the replayed walls', () => {
  it('gives each cell its camera, once played per camera, mirrors after the first tile, empty cells empty', () => {
    const main = makePresetLayout('1+5', ['a', 'b', null, 'a', 'c'], 'l1', 'Big');
    const second = makePresetLayout('2x2', ['c', 'd'], 'l2', 'Four');
    const { walls, cameras } = replayWalls(state(0, { main, second }), ['main', 'second'], 16);
    expect(cameras).toEqual(['a', 'b', 'c', 'd']);
    expect(walls.map((w) => w.displayId)).toEqual(['main', 'second']);
    expect(walls[0]!.tiles.map((t) => [t.cameraId, t.mirror])).toEqual([['a', false], ['b', false], [null, false], ['a', true], ['c', false], [null, false]]);
    expect(walls[1]!.tiles.map((t) => [t.cameraId, t.mirror])).toEqual([['c', true], ['d', false], [null, false], [null, false]]);
    // keys are unique over the walls (React keys of one list) and name the role
    const keys = walls.flatMap((w) => w.tiles.map((t) => t.key));
    expect(new Set(keys).size).toBe(keys.length);
    expect(walls[0]!.tiles[3]!.key).toBe('main:3:a:m');
  });

  it("gives each tile the overlay layers the live wall drew on it: the layout's switches with the tile's overrides", () => {
    const main = makePresetLayout('2x2', ['a', 'b', 'a']);
    main.layers = { boxes: true, labels: false, tracks: true, zones: true };
    main.cells[1] = { ...main.cells[1]!, layers: { boxes: false } };
    main.cells[2] = { ...main.cells[2]!, layers: { labels: true } };
    const [wall] = replayWalls(state(0, { main, second: makePresetLayout('1', ['c']) }), ['main', 'second'], 16).walls;
    expect(wall!.tiles.map((t) => [t.cameraId, t.mirror, t.layers])).toEqual([
      ['a', false, { boxes: true, labels: false, tracks: true, zones: true }],
      ['b', false, { boxes: false, labels: false, tracks: true, zones: true }],
      ['a', true, { boxes: true, labels: true, tracks: true, zones: true }], // a mirror keeps its own tile's layers
      [null, false, { boxes: true, labels: false, tracks: true, zones: true }],
    ]);
    // a layout without switches (recorded before them, or never changed): every layer on, as the live wall draws it
    expect(replayWalls(state(0, { second: makePresetLayout('1', ['c']) }), ['second'], 16).walls[0]!.tiles[0]!.layers).toEqual({ boxes: true, labels: true, tracks: true, zones: true });
  });

  it('plays at most maxCameras distinct cameras: the first in display and tile order, mirrors of played ones too', () => {
    const main = makePresetLayout('4x4', cams(16));
    const second = makePresetLayout('2x2', ['cam-1', 'cam-17', 'cam-18']);
    const { walls, cameras } = replayWalls(state(0, { main, second }), ['main', 'second'], 16);
    expect(cameras).toEqual(cams(16));
    expect(walls[1]!.tiles.slice(0, 3).map((t) => [t.cameraId, t.played, t.mirror])).toEqual([['cam-1', true, true], ['cam-17', false, false], ['cam-18', false, false]]);
    expect(replayWalls(state(0, { main, second }), ['second'], 16).cameras).toEqual(['cam-1', 'cam-17', 'cam-18']);
  });

  it("plays the incident's cameras (in the review grid) before any display has a layout", () => {
    expect(replayScreen(state(0, {}), true, 'main', ['x', 'y', 'x'], 16)).toEqual({ walls: [], cameras: ['x', 'y'] });
    expect(replayScreen(state(0, {}), false, 'main', cams(20), 16).cameras).toHaveLength(16);
    const s = state(0, { second: makePresetLayout('1', ['a']) });
    expect(replayScreen(s, false, 'main', ['x'], 16).cameras).toEqual(['a']); // the first display, not the fallback
  });

  it('shows the camera a tour showed at that moment (the live wall rule)', () => {
    const layout = makePresetLayout('1', ['x']);
    layout.cells[0] = { ...layout.cells[0]!, cameraId: 'x', tour: { cameraIds: ['x', 'y', 'z'], seconds: 10 } };
    const at = (ms: number) => replayWalls(state(ms, { main: layout }), ['main'], 16).cameras;
    expect(at(0)).toEqual(['x']);
    expect(at(10_000)).toEqual(['y']);
    expect(at(29_999)).toEqual(['z']);
    expect(at(30_000)).toEqual(['x']);
  });

  it('places tiles by the live wall geometry: a spanning tile covers its cells', () => {
    const l = makePresetLayout('1+5', cams(6));
    const rects = wallTileRects(l, 600, 300, null);
    expect(rects).toEqual(tileRects(l, 600, 300, null));
    const big = rects[0]!, small = rects[1]!;
    expect(big.w).toBeGreaterThan(2 * small.w); // two columns and the gap between them
    expect(big.h).toBeGreaterThan(2 * small.h);
    expect(big.x + big.w).toBeLessThanOrEqual(400);
  });
});

describe('walls side by side', () => {
  it('puts two 16:9 walls in one row of a wide area, at the largest size, without overlap', () => {
    const r = arrangeWalls([16 / 9, 16 / 9], 1600, 600, 8, 20);
    expect(r).toHaveLength(2);
    expect(r[0]!.y).toBe(r[1]!.y);
    expect(r[0]!.x + r[0]!.w).toBeLessThanOrEqual(r[1]!.x - 8);
    expect(Math.abs(r[0]!.w / r[0]!.h - 16 / 9)).toBeLessThan(0.02);
    expect(r[1]!.x + r[1]!.w).toBeLessThanOrEqual(1600);
    expect(r[0]!.w).toBeGreaterThan(780); // width-bound: (1600 - 8) / 2
  });

  it('stacks walls in rows when the area is tall, and keeps every wall inside the area with its head', () => {
    const r = arrangeWalls([16 / 9, 16 / 9, 16 / 9, 16 / 9], 1000, 1000, 8, 20);
    expect(new Set(r.map((x) => x.y)).size).toBe(2); // 2 x 2 beats 1 x 4 in a square area
    for (const x of r) {
      expect(x.x).toBeGreaterThanOrEqual(0);
      expect(x.y - 20).toBeGreaterThanOrEqual(0);
      expect(x.x + x.w).toBeLessThanOrEqual(1000);
      expect(x.y + x.h).toBeLessThanOrEqual(1000);
    }
    // a screen of another aspect keeps it
    const wide = arrangeWalls([32 / 9, 4 / 3], 2000, 500, 8, 20);
    expect(Math.abs(wide[0]!.w / wide[0]!.h - 32 / 9)).toBeLessThan(0.02);
    expect(Math.abs(wide[1]!.w / wide[1]!.h - 4 / 3)).toBeLessThan(0.02);
    expect(arrangeWalls([], 100, 100)).toEqual([]);
  });

  it("takes a display's aspect from its screen's bounds, else 16:9", () => {
    const d = (id: string, bounds?: WallDisplay['bounds']): WallDisplay => ({ id, name: id, layout: makePresetLayout('1', []), ...(bounds ? { bounds } : {}) });
    expect(displayAspect([d('main', { x: 0, y: 0, width: 2560, height: 1080 })], 'main')).toBeCloseTo(2560 / 1080);
    expect(displayAspect([d('main')], 'main')).toBeCloseTo(16 / 9);
    expect(displayAspect([], 'other')).toBeCloseTo(16 / 9);
  });
});

describe('players opened ahead for several displays', () => {
  it('merges the cameras every display shows during the incident, in display order, once each, up to max', () => {
    const act = (seq: number, displayId: string, ids: (string | null)[]) => ({ seq, at: seq * 1000, console: 'c', user: 'u', action: 'wall.setLayout', change: { kind: 'layout' as const, displayId, layout: makePresetLayout('2x2', ids) } });
    const record = { before: [act(1, 'second', ['s1'])], actions: [act(2, 'main', ['m1', 's1']), act(3, 'second', ['s2']), act(4, 'main', ['m2'])] };
    expect(displaysOf(record)).toEqual(['main', 'second']);
    expect(camerasEverShownOn(record, ['main', 'second'])).toEqual(['m1', 's1', 'm2', 's2']);
    expect(camerasEverShownOn(record, ['main', 'second'], 3)).toEqual(['m1', 's1', 'm2']);
  });
});

describe("the tiles' heights a seek gives the players", () => {
  it("is each played camera's tile height in the walls' geometry: its own tile's, not a mirror's; a maximised tile fills its wall", () => {
    const main = makePresetLayout('1+5', ['a', 'b', null, 'a', 'c'], 'l1', 'Big');
    const second = makePresetLayout('2x2', ['c', 'd'], 'l2', 'Four');
    const { walls } = replayWalls(state(0, { main, second }), ['main', 'second'], 16);
    const [box1, box2] = arrangeWalls([16 / 9, 16 / 9], 1600, 900);
    const r1 = wallTileRects(main, box1!.w, box1!.h, null);
    const r2 = wallTileRects(second, box2!.w, box2!.h, null);
    const h = playedTileHeights(walls, [16 / 9, 16 / 9], 1600, 900);
    expect(Object.fromEntries(h)).toEqual({ a: r1[0]!.h, b: r1[1]!.h, c: r1[4]!.h, d: r2[1]!.h });
    expect(h.get('a')).toBeGreaterThan(h.get('b')! * 1.5); // the 1+5 layout's big tile
    // the same moment with the main display's second tile maximised: b alone there, as tall as its wall
    const max = replayWalls(state(0, { main, second }, { main: 1 }), ['main'], 16);
    const [one] = arrangeWalls([16 / 9], 1600, 900);
    expect(Object.fromEntries(playedTileHeights(max.walls, [16 / 9], 1600, 900))).toEqual({ b: wallTileRects(main, one!.w, one!.h, 1)[1]!.h });
  });

  it('gives no heights before the area is known or without walls (the players keep their tiles\' heights)', () => {
    const s = replayScreen(state(0, { main: makePresetLayout('2x2', ['a', 'b']) }), false, 'main', [], 16);
    expect(gridAt(s, () => 16 / 9, 0, 0)).toEqual({ cameras: ['a', 'b'] });
    expect(gridAt({ walls: [], cameras: ['x'] }, () => 16 / 9, 1600, 900)).toEqual({ cameras: ['x'] });
    expect(gridAt(s, () => 16 / 9, 1600, 900).heights?.size).toBe(2);
  });
});
