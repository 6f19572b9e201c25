/**
 * A maximised tile replayed maximised (issue 11 §1, docs/replay.md): consoleStateAt gives each display's maximised tile
 * from the journal's `tile.maximise` / `tile.restore` (before, between, after; a restore elsewhere; a layout change while
 * maximised as the live wall's reducer does it; the starting state of an incident recorded by the real journal), and the
 * replayed wall draws that tile alone, filling the wall in the live wall's geometry, its camera the one played.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostService } from '../../electron/contract/api.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { ConsoleAction, ConsoleChange, IncidentRecord } from '../../electron/contract/replay-schema.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import type { Layout } from '../../electron/contract/schemas.js';
import { createLogger } from '../../electron/host/log.js';
import { createReplayModule, type ReplayModule } from '../../electron/host/replay/replay-module.js';
import { WallStore } from '../../electron/host/wall/store.js';
import { camerasShown } from '../../renderer/replay/replay-model.js';
import { replayWalls, wallTileRects } from '../../renderer/replay/replay-walls.js';
import { tileRects } from '../../renderer/wall/tile-geometry.js';
import { initialWall, wallReducer, type WallAction, type WallState } from '../../renderer/wall/wall-model.js';

const T0 = Date.UTC(2026, 11, 4, 9);
const four = (cams: string[], name = 'Four') => makePresetLayout('2x2', cams, 'l', name);
let seq = 0;
const act = (at: number, change: ConsoleChange): ConsoleAction => ({ seq: ++seq, at, console: 'c', user: 'u', action: 'x', change });
const layoutOf = (at: number, displayId: string, layout: Layout) => act(at, { kind: 'layout', displayId, layout });
const tile = (at: number, what: 'tile.maximise' | 'tile.restore', displayId: string, index?: number, cameraIds: string[] = []) =>
  act(at, { kind: 'event', what, displayId, cameraIds, text: '', ...(index === undefined ? {} : { index }) });
const maxOf = (record: Pick<IncidentRecord, 'before' | 'actions'>, at: number, displayId = 'main') =>
  consoleStateAt(record, at).displays.find((d) => d.displayId === displayId)?.maximised;

describe('the maximised tile at a moment', () => {
  it('is none before the maximise, the tile between it and the restore, none after', () => {
    const before = [layoutOf(T0 - 10, 'main', four(['a', 'b', 'c', 'd']))];
    const actions = [tile(T0 + 10, 'tile.maximise', 'main', 2, ['c']), tile(T0 + 30, 'tile.restore', 'main', 2, ['c'])];
    expect([T0, T0 + 9, T0 + 10, T0 + 20, T0 + 29, T0 + 30, T0 + 40].map((t) => maxOf({ before, actions }, t))).toEqual([null, null, 2, 2, 2, null, null]);
    // the camera of the maximised tile is the one the display shows
    expect(camerasShown(consoleStateAt({ before, actions }, T0 + 20), 'main')).toEqual(['c']);
    expect(camerasShown(consoleStateAt({ before, actions }, T0 + 30), 'main')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a restore on another display leaves this one maximised; a restore on this display brings its grid back whichever tile it names', () => {
    const before = [layoutOf(T0 - 10, 'main', four(['a', 'b'])), layoutOf(T0 - 9, 'second', four(['c', 'd']))];
    const actions = [
      tile(T0 + 10, 'tile.maximise', 'main', 1, ['b']), tile(T0 + 11, 'tile.maximise', 'second', 0, ['c']),
      tile(T0 + 20, 'tile.restore', 'second', 0, ['c']),
      tile(T0 + 30, 'tile.restore', 'main', 3), // the live wall has one maximised tile per display: a restore shows the grid
    ];
    expect(maxOf({ before, actions }, T0 + 15, 'second')).toBe(0);
    expect([maxOf({ before, actions }, T0 + 20), maxOf({ before, actions }, T0 + 20, 'second')]).toEqual([1, null]);
    expect(maxOf({ before, actions }, T0 + 30)).toBeNull();
  });

  it('a maximise without the tile index (a journal recorded before it) maximises its camera\'s first tile; one naming no tile of the layout changes nothing', () => {
    const before = [layoutOf(T0 - 10, 'main', four(['a', 'b', 'c', 'b']))];
    expect(maxOf({ before, actions: [tile(T0, 'tile.maximise', 'main', undefined, ['b'])] }, T0)).toBe(1);
    expect(maxOf({ before, actions: [tile(T0, 'tile.maximise', 'main', 1), tile(T0 + 1, 'tile.maximise', 'main', undefined, ['zz'])] }, T0 + 1)).toBe(1);
    expect(maxOf({ before, actions: [tile(T0, 'tile.maximise', 'main', 9)] }, T0)).toBeNull();
  });

  it('through layout changes follows the live wall: its reducer and the replay agree at every step', () => {
    // what the live wall does, step by step, and what its console journals for each step (App.tsx: the maximise or
    // restore note first, then the layout; a layout from the host as it comes)
    const big = makePresetLayout('1+5', ['a', 'b', 'c', 'd', 'e', 'f'], 'l', 'Big');
    const steps: Array<{ live: WallAction; journal: (at: number, live: WallState, prev: WallState) => ConsoleAction[] }> = [
      { live: { type: 'maximise', index: 3 }, journal: (at) => [tile(at, 'tile.maximise', 'main', 3, ['d'])] },
      { live: { type: 'assign', index: 3, cameraId: 'x' }, journal: (at, w) => [layoutOf(at, 'main', w.layout)] }, // the tile stays maximised, its camera changed
      { live: { type: 'load', layout: big }, journal: (at) => [layoutOf(at, 'main', big)] }, // another console's layout: tile 3 is there
      { live: { type: 'move', direction: 'right' }, journal: (at, w) => [tile(at, 'tile.maximise', 'main', w.maximised!)] }, // maximised follows the selection
      { live: { type: 'load', layout: makePresetLayout('1', ['z'], 'l', 'One') }, journal: (at, w) => [layoutOf(at, 'main', w.layout), tile(at + 1, 'tile.restore', 'main', 0)] }, // no such tile: the grid
      { live: { type: 'maximise', index: 0 }, journal: (at) => [tile(at, 'tile.maximise', 'main', 0, ['z'])] },
      { live: { type: 'grid', cols: 3, rows: 3 }, journal: (at, w, prev) => [tile(at, 'tile.restore', 'main', prev.maximised!), layoutOf(at + 1, 'main', w.layout)] }, // a preset restores the grid
    ];
    let live = initialWall(four(['a', 'b', 'c', 'd']));
    const before = [layoutOf(T0 - 10, 'main', live.layout)];
    const actions: ConsoleAction[] = [];
    const seen: Array<number | null> = [];
    steps.forEach((s, i) => {
      const prev = live;
      live = wallReducer(live, s.live);
      const at = T0 + 100 * (i + 1);
      actions.push(...s.journal(at, live, prev));
      const replayed = consoleStateAt({ before, actions }, at + 50).displays[0]!;
      expect({ step: i, maximised: replayed.maximised, layout: replayed.layout }).toEqual({ step: i, maximised: live.maximised, layout: live.layout });
      seen.push(live.maximised);
    });
    expect(seen).toEqual([3, 3, 3, 4, null, 0, null]); // the steps did maximise, keep, move and drop the tile
  });
});

describe('the starting state of an incident holds a tile still maximised then', () => {
  let dir = '';
  let replay: ReplayModule | null = null;
  afterEach(() => { replay?.close(); replay = null; rmSync(dir, { recursive: true, force: true }); });

  it('from the real journal: maximised before the start (and before the display\'s last layout) stays maximised; a restore before the start does not', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kuzet-replay-max-'));
    let t = T0;
    const log = createLogger({ level: 'error', quiet: true });
    const wall = new WallStore({ dataDir: dir, log, cameraIds: () => ['a', 'b', 'c', 'd'] });
    wall.ensureDefaultWall();
    replay = createReplayModule({ dataDir: dir, wall, log, now: () => t, alarms: { onChange: () => () => {}, get: () => null, audit: () => {} } });
    const service = { 'wall.setLayout': ({ displayId, layout }: { displayId: string; layout: never }) => wall.setLayout(displayId, layout) } as unknown as HostService;
    replay.attribute(service);
    const ctx = { clientId: 'console-1' };
    const note = (what: 'tile.maximise' | 'tile.restore', displayId: string, index: number) =>
      replay!.handlers['replay.journal.note']({ what, displayId, cameraIds: [], operator: 'aigerim', index }, ctx);
    await service['wall.setLayout']({ displayId: 'main', layout: four(['a', 'b', 'c', 'd']) }, ctx);
    await service['wall.setLayout']({ displayId: 'second', layout: four(['d', 'c']) }, ctx);
    t += 1000; await note('tile.maximise', 'main', 2);
    t += 1000; await note('tile.maximise', 'second', 1);
    t += 1000; await service['wall.setLayout']({ displayId: 'main', layout: four(['a', 'b', 'd', 'c'], 'Four again') }, ctx); // keeps tile 2
    t += 1000; await note('tile.restore', 'second', 1);
    t += 1000;
    const start = t;
    t += 1000; await note('tile.restore', 'main', 2);
    const incident = await replay.handlers['replay.incidents.create']({ name: 'x', fromMs: start, toMs: t + 1000, cameraIds: ['a'], operator: 'trainer' }, ctx);
    const record = await replay.handlers['replay.incidents.get']({ id: incident.id }, ctx);
    expect(record.before.flatMap((a) => (a.change.kind === 'event' ? [[a.change.what, a.change.displayId]] : []))).toEqual([['tile.maximise', 'main']]);
    const atStart = consoleStateAt(record, start).displays.map((d) => [d.displayId, d.layout.name, d.maximised]);
    expect(atStart).toEqual([['main', 'Four again', 2], ['second', 'Four', null]]);
    expect(maxOf(record, t)).toBeNull();
    // the host's route answers the same
    expect(await replay.handlers['replay.stateAt']({ id: incident.id, atMs: start }, ctx)).toEqual(consoleStateAt(record, start));
  });
});

describe('the replayed wall with a maximised tile', () => {
  const state = (maximised: Record<string, number | null>) => ({
    atMs: T0, queue: [],
    displays: [
      { displayId: 'main', layout: makePresetLayout('1+5', ['a', 'b', 'c'], 'l', 'Big'), maximised: maximised.main ?? null },
      { displayId: 'second', layout: four(['b', 'a']), maximised: maximised.second ?? null },
    ],
  });

  it('draws that tile alone, filling the wall as the live wall does, and plays only the cameras shown', () => {
    const { walls, cameras } = replayWalls(state({ main: 1 }), ['main', 'second'], 16);
    const main = walls[0]!;
    expect(main.maximised).toBe(1);
    expect(main.tiles.map((x) => [x.index, x.cameraId, x.mirror])).toEqual([[1, 'b', false]]);
    // second's B mirrors main's maximised B; A is hidden on main, so second's A holds A's player
    expect(walls[1]!.tiles.filter((x) => x.cameraId).map((x) => [x.cameraId, x.mirror])).toEqual([['b', true], ['a', false]]);
    expect(cameras).toEqual(['b', 'a']);
    const rects = wallTileRects(main.layout, 640, 360, 1);
    expect(rects).toEqual(tileRects(main.layout, 640, 360, 1));
    expect(rects[1]).toEqual(tileRects(makePresetLayout('1', ['b']), 640, 360, null)[0]); // the whole wall, less the seam
    expect(rects.filter((r) => r !== null)).toHaveLength(1);
    // one display alone: only the maximised camera plays
    expect(replayWalls(state({ main: 1 }), ['main'], 16).cameras).toEqual(['b']);
    expect(replayWalls(state({}), ['main'], 16).cameras).toEqual(['a', 'b', 'c']);
  });
});
