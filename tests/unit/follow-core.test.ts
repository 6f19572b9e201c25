/**
 * Follow a unit run by the host (issue 10 §3): the pure core's steps (first tile, handover onto the same tile, nobody
 * sees it, the own video once) and the host's follow on a real wall store fed report by report, without processes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseFollowCamera, followStep, newFollow, ownVideoPush, type LonLat, type SightCamera } from '../../electron/contract/follow-core.js';
import { createFollowHost, SavedFollows, type FollowEnded } from '../../electron/host/map/follow-host.js';
import { openVersionedStore } from '../../electron/host/settings/versioned-store.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { WallStore } from '../../electron/host/wall/store.js';
import { createLogger } from '../../electron/host/log.js';
import type { Camera } from '../../electron/contract/schemas.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import { FollowEnd, type FollowStatus } from '../../electron/contract/follow-api.js';

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

describe('follow rights per camera (issue 12)', () => {
  // c stands right behind the unit's path and sees it nearest its axis: the best camera, when the operator may see it
  const c: SightCamera = { id: 'c', position: at(20, -30), heading: 0, fov: 90, rangeM: 60 };
  it('never picks a camera the operator may not view live, even when it sees the unit best', () => {
    const unit = at(20, 2);
    expect(chooseFollowCamera([a, b, c], unit, null)).toBe('c'); // without rights: c is on its axis
    const notC = (id: string) => id !== 'c';
    expect(chooseFollowCamera([a, b, c], unit, null, 5, notC)).toBe('a');
    expect(chooseFollowCamera([a, b, c], unit, 'c', 5, notC)).toBe('a'); // c on the tile is not kept once it may not be seen
    expect(chooseFollowCamera([c], unit, null, 5, notC)).toBeNull(); // only c sees it: nobody the operator may see does
    let s = newFollow('main', 'robot-1');
    for (const p of [at(20, 2), at(40, 2), at(80, 2), at(20, 2)]) {
      const r = followStep(s, p, [a, b, c], notC);
      expect(r.push?.cameraId).not.toBe('c');
      s = { ...r.next, cellIndex: 0 };
    }
  });
  it('puts the unit\'s own video on the wall only when the operator may see that camera', () => {
    const s = { ...newFollow('main', 'robot-1'), cameraId: 'a', cellIndex: 3 };
    expect(ownVideoPush(s, 'robot-cam', 16, (id) => id !== 'robot-cam')).toBeNull();
    expect(ownVideoPush(s, 'robot-cam', 16, () => true)).toEqual({ cameraId: 'robot-cam', cellIndex: 4 });
  });
});

describe('the host\'s follow on a wall store', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  const setUp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-follow-')); dirs.push(dir);
    const cams: Camera[] = [
      ...[a, b].map((c) => ({ id: c.id, name: c.id, mainUrl: 'rtsp://127.0.0.1:9/x', kind: 'fixed', location: { lon: c.position[0], lat: c.position[1], heading: c.heading, fov: c.fov } }) as Camera),
      { id: 'robot-cam', name: 'robot', mainUrl: 'rtsp://127.0.0.1:9/x', kind: 'robot' } as Camera,
      { id: 'other', name: 'other', mainUrl: 'rtsp://127.0.0.1:9/x', kind: 'fixed' } as Camera,
    ];
    const log = createLogger({ quiet: true });
    const wall = new WallStore({ dataDir: dir, log, cameraIds: () => cams.map((c) => c.id) });
    wall.setLayout('main', makePresetLayout('2x2', ['other'], 'l', 'l'));
    const cells = () => wall.displays().find((d) => d.id === 'main')!.layout.cells.map((x) => x.cameraId ?? null);
    return { dir, cams, log, wall, cells };
  };

  it('moves the follow tile on each report, with no map window involved, until stopped', () => {
    const { cams, log, wall, cells } = setUp();
    const listeners = new Set<(u: MapUnit) => void>();
    const events: FollowStatus[][] = [];
    let last: MapUnit | null = null;
    const follow = createFollowHost({ log, onAccept: (cb) => { listeners.add(cb); return () => listeners.delete(cb); }, unit: () => last,
      cameras: () => cams, push: (p) => wall.push(p), emit: (f) => events.push(f) });
    const report = (p: LonLat, ts: number) => { last = { id: 'robot-1', kind: 'robot', lon: p[0], lat: p[1], ts, stale: false, track: [], cameraId: 'robot-cam' } as unknown as MapUnit; for (const l of listeners) l(last); };

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

  /** One host's follow over the real versioned store in `dir` ("the host module"); `may` is each user's camera test. */
  const NOW = 1_800_000_000_000;
  const hostFollow = (env: ReturnType<typeof setUp>, users: Record<string, ((id: string) => boolean) | 'operatorGone' | 'noRight'>, units = new Set(['robot-1'])) => {
    const notices = new NoticeBoard();
    const store = openVersionedStore<SavedFollows>({ dataDir: env.dir, name: 'follows', label: 'unit follow', schema: SavedFollows, defaults: () => ({ follows: [] }), version: 1, notices, log: env.log });
    const listeners = new Set<(u: MapUnit) => void>();
    const ended: FollowEnded[] = [];
    let last: MapUnit | null = null;
    const follow = createFollowHost({ log: env.log, onAccept: (cb) => { listeners.add(cb); return () => listeners.delete(cb); }, unit: () => last,
      cameras: () => env.cams, push: (p) => env.wall.push(p), emit: () => {}, now: () => NOW,
      saved: { read: () => store.read().follows, write: (follows) => store.write({ follows }) },
      viewer: (op) => users[op] ?? 'operatorGone', unitExists: (id) => units.has(id), ended: (e) => ended.push(e) });
    const report = (p: LonLat, ts: number) => { last = { id: 'robot-1', kind: 'robot', lon: p[0], lat: p[1], ts, stale: false, track: [], cameraId: 'robot-cam' } as unknown as MapUnit; for (const l of listeners) l(last); };
    return { follow, report, ended, notices, store };
  };

  it('keeps a follow across a restart: the next report hands over onto the same tile', () => {
    const env = setUp();
    const h1 = hostFollow(env, { olga: () => true });
    h1.report(at(10, 2), 1);
    expect(h1.follow.start('main', 'robot-1', 'olga')).toMatchObject({ cameraId: 'a', cellIndex: 1 });
    expect(env.cells()).toEqual(['other', 'a', 'robot-cam', null]);
    h1.follow.close(); // the host stops

    const saved = JSON.parse(readFileSync(join(env.dir, 'follows.json'), 'utf8')) as SavedFollows;
    expect(saved.follows).toEqual([expect.objectContaining({ displayId: 'main', unitId: 'robot-1', operator: 'olga', cameraId: 'a', cellIndex: 1, ownVideo: 'robot-cam' })]);
    const h2 = hostFollow(env, { olga: () => true });
    expect(h2.follow.restore()).toBe(1);
    expect(h2.follow.list()).toEqual([expect.objectContaining({ displayId: 'main', unitId: 'robot-1', cameraId: 'a', cellIndex: 1, since: saved.follows[0]!.since })]);
    h2.report(at(80, 2), 2);
    expect(env.cells()).toEqual(['other', 'b', 'robot-cam', null]); // the same tile, not the first free one
    expect(h2.follow.list()[0]).toMatchObject({ cameraId: 'b', handovers: 1 });
    expect(h2.ended).toEqual([]);
    h2.follow.stop('main');
    expect(h2.store.read().follows).toEqual([]);
    h2.follow.close();
  });

  it('ends a restored follow with its reason when the unit is gone or the operator lost the right', () => {
    for (const [users, units, reason] of [
      [{ olga: () => true }, new Set<string>(), 'unitGone'],
      [{}, new Set(['robot-1']), 'operatorGone'],
      [{ olga: 'noRight' }, new Set(['robot-1']), 'noRight'],
    ] as const) {
      const env = setUp();
      const h1 = hostFollow(env, { olga: () => true });
      h1.report(at(10, 2), 1);
      h1.follow.start('main', 'robot-1', 'olga');
      h1.follow.close();
      const h2 = hostFollow(env, users as Record<string, (id: string) => boolean>, units);
      expect(h2.follow.restore()).toBe(0);
      expect(h2.ended).toEqual([{ displayId: 'main', unitId: 'robot-1', operator: 'olga', reason, at: NOW }]);
      // what the map receives (follow.ended, the contract's schema): display, unit, the reason and when; the user name dropped
      expect(FollowEnd.parse(h2.ended[0])).toEqual({ displayId: 'main', unitId: 'robot-1', reason, at: NOW });
      expect(h2.follow.list()).toEqual([]);
      expect(h2.store.read().follows).toEqual([]); // ended for good: not restored again
      const before = env.cells();
      h2.report(at(80, 2), 2);
      expect(env.cells()).toEqual(before);
      h2.follow.close();
    }
  });

  it('follows with the operator\'s rights, and ends when they lose viewLive while it runs', () => {
    const env = setUp();
    const users: Record<string, ((id: string) => boolean) | 'noRight'> = { olga: (id) => id !== 'b' && id !== 'robot-cam' };
    const h = hostFollow(env, users);
    h.report(at(10, 2), 1);
    h.follow.start('main', 'robot-1', 'olga');
    expect(env.cells()).toEqual(['other', 'a', null, null]); // no own video: olga may not see robot-cam
    h.report(at(85, 2), 2); // only b sees it there, and olga may not see b
    expect(env.cells()).toEqual(['other', 'a', null, null]);
    expect(h.follow.list()[0]).toMatchObject({ cameraId: null });
    users.olga = 'noRight';
    h.report(at(10, 2), 3);
    expect(h.ended).toEqual([{ displayId: 'main', unitId: 'robot-1', operator: 'olga', reason: 'noRight', at: NOW }]);
    expect(h.follow.list()).toEqual([]);
    h.follow.close();
  });

  it('sets a corrupt follows file aside with its bytes kept and starts with no follow', () => {
    const env = setUp();
    const junk = Buffer.from([0x7b, 0x22, 0x66, 0xff, 0xfe, 0x0a]); // not UTF-8, not JSON
    writeFileSync(join(env.dir, 'follows.json'), junk);
    const h = hostFollow(env, { olga: () => true });
    expect(h.follow.restore()).toBe(0);
    const aside = readdirSync(env.dir).filter((f) => f.startsWith('follows.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(env.dir, aside[0]!)).equals(junk)).toBe(true);
    expect(h.notices.list().map((n) => n.key)).toContain('settingsUnreadable');
    h.report(at(10, 2), 1);
    expect(h.follow.start('main', 'robot-1', 'olga')).toMatchObject({ cameraId: 'a' }); // and follows work on
    h.follow.close();
  });
});
