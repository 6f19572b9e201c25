/**
 * Follow a unit run by the host (issue 10 §3): the pure core's steps (first tile, handover onto the same tile, nobody
 * sees it, the own video once) and the host's follow on a real wall store fed report by report, without processes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { followStep, newFollow, ownVideoPush, type LonLat, type SightCamera } from '../../electron/contract/follow-core.js';
import { createFollowHost } from '../../electron/host/map/follow-host.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { WallStore } from '../../electron/host/wall/store.js';
import { createLogger } from '../../electron/host/log.js';
import type { Camera } from '../../electron/contract/schemas.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import type { FollowStatus } from '../../electron/contract/follow-api.js';

const M = 111_320;
const O: LonLat = [76.95, 43.25];
const at = (x: number, y: number): LonLat => [O[0] + x / (M * Math.cos((O[1] * Math.PI) / 180)), O[1] + y / M];
const a: SightCamera = { id: 'a', position: at(0, 0), heading: 90, fov: 90, rangeM: 60 }; // looks east from the origin
const b: SightCamera = { id: 'b', position: at(100, 0), heading: 270, fov: 90, rangeM: 60 }; // looks west from 100 m east

describe('followStep', () => {
  it('puts the first camera on the first free tile, hands over onto the same tile, keeps the tile when nobody sees the unit', () => {
    let s = newFollow('main', 'robot-1');
    let r = followStep(s, at(10, 2), [a, b]);
    expect(r.push).toEqual({ cameraId: 'a' }); // no cell yet: the first free tile
    s = { ...r.next, cellIndex: 3 };
    expect(followStep(s, at(30, 2), [a, b])).toEqual({ next: s, push: null }); // still a: nothing to do
    r = followStep(s, at(80, 2), [a, b]);
    expect(r.push).toEqual({ cameraId: 'b', cellIndex: 3 });
    expect(r.next).toMatchObject({ cameraId: 'b', handovers: 1, cellIndex: 3 });
    r = followStep(r.next, at(50, 200), [a, b]); // out of both cones
    expect(r.push).toBeNull();
    expect(r.next).toMatchObject({ cameraId: null, cellIndex: 3, handovers: 1 });
  });
  it('puts the unit\'s own video once on the tile after the follow tile, when the layout has one', () => {
    const s = { ...newFollow('main', 'robot-1'), cameraId: 'a', cellIndex: 3 };
    expect(ownVideoPush(s, 'robot-cam', 16)).toEqual({ cameraId: 'robot-cam', cellIndex: 4 });
    expect(ownVideoPush({ ...s, ownVideo: 'robot-cam' }, 'robot-cam', 16)).toBeNull();
    expect(ownVideoPush(s, 'robot-cam', 4)).toBeNull(); // the follow tile is the last one
    expect(ownVideoPush(s, undefined, 16)).toBeNull();
  });
});

describe('the host\'s follow on a wall store', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  it('moves the follow tile on each report, with no map window involved, until stopped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-follow-')); dirs.push(dir);
    const cams: Camera[] = [
      ...[a, b].map((c) => ({ id: c.id, name: c.id, mainUrl: 'rtsp://127.0.0.1:9/x', kind: 'fixed', location: { lon: c.position[0], lat: c.position[1], heading: c.heading, fov: c.fov } }) as Camera),
      { id: 'robot-cam', name: 'robot', mainUrl: 'rtsp://127.0.0.1:9/x', kind: 'robot' } as Camera,
      { id: 'other', name: 'other', mainUrl: 'rtsp://127.0.0.1:9/x', kind: 'fixed' } as Camera,
    ];
    const log = createLogger({ quiet: true });
    const wall = new WallStore({ dataDir: dir, log, cameraIds: () => cams.map((c) => c.id) });
    wall.setLayout('main', makePresetLayout('2x2', ['other'], 'l', 'l'));
    const listeners = new Set<(u: MapUnit) => void>();
    const events: FollowStatus[][] = [];
    let last: MapUnit | null = null;
    const follow = createFollowHost({ log, onAccept: (cb) => { listeners.add(cb); return () => listeners.delete(cb); }, unit: () => last,
      cameras: () => cams, push: (p) => wall.push(p), emit: (f) => events.push(f) });
    const report = (p: LonLat, ts: number) => { last = { id: 'robot-1', kind: 'robot', lon: p[0], lat: p[1], ts, stale: false, track: [], cameraId: 'robot-cam' } as unknown as MapUnit; for (const l of listeners) l(last); };
    const cells = () => wall.displays().find((d) => d.id === 'main')!.layout.cells.map((c) => c.cameraId ?? null);

    report(at(10, 2), 1);
    expect(follow.start('main', 'robot-1')).toMatchObject({ cameraId: 'a', cellIndex: 1, handovers: 0 }); // decided from the last report
    expect(cells()).toEqual(['other', 'a', 'robot-cam', null]);
    report(at(80, 2), 2);
    expect(cells()).toEqual(['other', 'b', 'robot-cam', null]); // handover onto the same tile
    expect(events.at(-1)).toEqual([expect.objectContaining({ displayId: 'main', unitId: 'robot-1', cameraId: 'b', cellIndex: 1, handovers: 1 })]);
    report(at(50, 300), 3);
    expect(cells()).toEqual(['other', 'b', 'robot-cam', null]); // nobody sees it: the tile keeps its picture
    expect(follow.list()[0]).toMatchObject({ cameraId: null });
    follow.stop('main');
    expect(events.at(-1)).toEqual([]);
    report(at(10, 2), 4);
    expect(cells()).toEqual(['other', 'b', 'robot-cam', null]); // stopped: the wall is left alone
    follow.close();
  });
});
