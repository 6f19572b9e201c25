/**
 * Incidents from a bookmark and an evidence lock, and the operator actions recorded as console-journal events (tile
 * maximise and restore, tour start, export; issue 11 §1): recorded with console and user, audited (export in its own
 * chain), shown as markers; tour start and export never change what consoleStateAt gives (maximise: replay-maximise.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostService } from '../../electron/contract/api.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { Bookmark, EvidenceLock } from '../../electron/contract/review-api.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import { createReplayModule, type ReplayModule } from '../../electron/host/replay/replay-module.js';
import { WallStore } from '../../electron/host/wall/store.js';
import { createLogger } from '../../electron/host/log.js';
import { actionMarkers } from '../../renderer/replay/replay-model.js';

const T0 = Date.UTC(2026, 11, 3, 10);
const cameras = ['cam-1', 'cam-2', 'cam-3'];
const log = createLogger({ level: 'error', quiet: true });
let dir = '';
let replay: ReplayModule | null = null;
afterEach(() => { replay?.close(); replay = null; rmSync(dir, { recursive: true, force: true }); });

function setUp() {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-replay-events-'));
  let t = T0;
  const audits: Array<{ action: string; user: string }> = [];
  const wall = new WallStore({ dataDir: dir, log, cameraIds: () => cameras });
  wall.ensureDefaultWall();
  const bookmark: Bookmark = { id: 'bm-1', cameraId: 'cam-2', atMs: T0 + 600_000, comment: 'man at the gate', by: 'aigerim', createdAt: T0 };
  const locks: EvidenceLock[] = [
    { id: 'lk-1', cameraIds: ['cam-1', 'cam-3', 'cam-1'], fromMs: T0, toMs: T0 + 3_600_000, reason: 'police request 17/3', by: 'bolat', createdAt: T0 },
    { id: 'lk-2', cameraIds: ['cam-1'], fromMs: T0, toMs: T0 + 25 * 3_600_000, reason: 'too long', by: 'bolat', createdAt: T0 },
  ];
  replay = createReplayModule({
    dataDir: dir, wall, log, now: () => t,
    alarms: { onChange: () => () => {}, get: () => null, audit: (e) => { audits.push({ action: e.action, user: e.user }); } },
    evidence: {
      bookmark: (id) => (id === bookmark.id ? bookmark : null), lock: (id) => locks.find((l) => l.id === id) ?? null,
      within: (ids, fromMs, toMs) => ({ locks: locks.filter((l) => l.fromMs < toMs && l.toMs > fromMs && l.cameraIds.some((c) => ids.includes(c))) }),
    },
    // cam-2's footage before T0 + 600 s was deleted (retention); the others are recorded throughout
    recordedMs: (c, fromMs, toMs) => Math.max(0, toMs - Math.max(fromMs, c === 'cam-2' ? T0 + 600_000 : fromMs)),
  });
  const service = {
    'wall.setLayout': ({ displayId, layout }: { displayId: string; layout: never }) => wall.setLayout(displayId, layout),
    'wall.push': () => { throw new Error('unused'); },
    'wall.presets.apply': () => { throw new Error('unused'); },
    'alarms.act': () => { throw new Error('unused'); },
    'alarms.bulk': () => { throw new Error('unused'); },
    'export.create': (p: { cameraIds: string[] }) => ({ id: 'export-1', dir: '/x', files: [], gaps: [], tookMs: 1, footageMs: 1, cameras: p.cameraIds }),
  } as unknown as HostService;
  replay.attribute(service);
  return { replay, service, wall, audits, advance: (ms: number) => { t += ms; }, now: () => t };
}

const ctx = { clientId: 'console-7' };

describe('incidents from evidence', () => {
  it('makes an incident from a bookmark (its camera, minutes around it) and from an evidence lock (its cameras and range)', async () => {
    const { replay: r } = setUp();
    const fromBm = await r.handlers['replay.incidents.fromBookmark']({ bookmarkId: 'bm-1', beforeMin: 2, afterMin: 3, operator: 'dana' }, ctx);
    expect(fromBm).toMatchObject({ cameraIds: ['cam-2'], fromMs: T0 + 480_000, toMs: T0 + 780_000, name: 'man at the gate', createdBy: 'dana', alarmId: null });
    const fromLock = await r.handlers['replay.incidents.fromLock']({ lockId: 'lk-1', operator: 'dana' }, ctx);
    expect(fromLock).toMatchObject({ cameraIds: ['cam-1', 'cam-3'], fromMs: T0, toMs: T0 + 3_600_000, name: 'police request 17/3' });
    expect((await r.handlers['replay.incidents.list']({}, ctx)).map((i) => i.id).sort()).toEqual([fromBm.id, fromLock.id].sort());
    expect(() => r.handlers['replay.incidents.fromBookmark']({ bookmarkId: 'nope', beforeMin: 1, afterMin: 1, operator: 'dana' }, ctx)).toThrow(/no bookmark nope/);
    expect(() => r.handlers['replay.incidents.fromLock']({ lockId: 'lk-2', operator: 'dana' }, ctx)).toThrow(/more than 24 hours/);
  });

  it('says what is left of an incident\'s footage (retention deletes the oldest) and which evidence lock keeps it', async () => {
    const { replay: r, advance } = setUp();
    const fromBm = await r.handlers['replay.incidents.fromBookmark']({ bookmarkId: 'bm-1', beforeMin: 2, afterMin: 3, operator: 'dana' }, ctx);
    const fromLock = await r.handlers['replay.incidents.fromLock']({ lockId: 'lk-1', operator: 'dana' }, ctx);
    advance(3_600_000);
    // cam-2 from T0 + 480 s to + 780 s: its first 120 s deleted, 180 s of 300 left; no lock spans it
    expect(await r.handlers['replay.incidents.footage']({ id: fromBm.id }, ctx)).toEqual({ recordedPercent: 60, lockId: null });
    // lk-1 spans the whole incident on both its cameras
    expect(await r.handlers['replay.incidents.footage']({ id: fromLock.id }, ctx)).toEqual({ recordedPercent: 100, lockId: 'lk-1' });
    // a lock on fewer of the cameras, or a shorter range, does not keep all of it
    const wider = await r.handlers['replay.incidents.create']({ name: 'wider', fromMs: T0, toMs: T0 + 3_600_000, cameraIds: ['cam-1', 'cam-2'], operator: 'dana' }, ctx);
    expect((await r.handlers['replay.incidents.footage']({ id: wider.id }, ctx)).lockId).toBeNull();
    expect(() => r.handlers['replay.incidents.footage']({ id: 'inc-nope' }, ctx)).toThrow();
  });
});

describe('operator actions without state', () => {
  it('records tile maximise, tour start and export as events with console and user, audited, as markers; only maximise and restore change the state', async () => {
    const { replay: r, service, audits, advance, now } = setUp();
    const from = now();
    advance(1000);
    await r.handlers['replay.journal.note']({ what: 'tile.maximise', displayId: 'main', cameraIds: ['cam-2'], operator: 'aigerim' }, ctx);
    advance(1000);
    const layout = makePresetLayout('2x2', ['cam-1'], 'live', 'Tour');
    layout.cells[1]!.tour = { cameraIds: ['cam-2', 'cam-3'], seconds: 10 };
    await service['wall.setLayout']({ displayId: 'main', layout }, ctx);
    advance(1000);
    await service['wall.setLayout']({ displayId: 'main', layout: { ...layout, name: 'Tour again' } }, ctx); // the same tour: no new start
    advance(1000);
    await service['export.create']({ cameraIds: ['cam-3'], fromMs: from, toMs: from + 60_000, reason: 'court', by: 'bolat' } as never, ctx);
    advance(1000);
    await r.handlers['replay.journal.note']({ what: 'tile.restore', displayId: 'main', cameraIds: ['cam-2'], operator: 'aigerim' }, ctx);

    const incident = await r.handlers['replay.incidents.create']({ name: 'shift', fromMs: from, toMs: now() + 1, cameraIds: cameras, operator: 'dana' }, ctx);
    const record = await r.handlers['replay.incidents.get']({ id: incident.id }, ctx);
    const events = record.actions.flatMap((a) => (a.change.kind === 'event' ? [{ what: a.change.what, user: a.user, console: a.console, cameraIds: a.change.cameraIds }] : []));
    expect(events).toEqual([
      { what: 'tile.maximise', user: 'aigerim', console: 'console-7', cameraIds: ['cam-2'] },
      { what: 'tour.start', user: 'console-7', console: 'console-7', cameraIds: ['cam-2', 'cam-3'] },
      { what: 'export', user: 'bolat', console: 'console-7', cameraIds: ['cam-3'] },
      { what: 'tile.restore', user: 'aigerim', console: 'console-7', cameraIds: ['cam-2'] },
    ]);
    // the export is in the export chain already: only the others are audited here
    expect(audits.map((a) => a.action).filter((a) => a !== 'wall.layout')).toEqual(['tile.maximise', 'tour.start', 'tile.restore']);
    // tour start and export change no state: the state at every moment equals the state computed without them
    const tileEvent = (w: string) => w === 'tile.maximise' || w === 'tile.restore';
    const plain = { ...record, actions: record.actions.filter((a) => a.change.kind !== 'event' || tileEvent(a.change.what)) };
    for (const a of record.actions) expect(consoleStateAt(record, a.at)).toEqual(consoleStateAt(plain, a.at));
    // a maximise recorded without its tile's index (as before the index was) maximises its camera's first tile, through
    // the layout change that keeps that tile, until the restore
    const maxAt = (ms: number) => consoleStateAt(record, ms).displays.find((d) => d.displayId === 'main')!.maximised;
    expect([from, from + 1000, from + 2000, from + 4000, from + 5000].map(maxAt)).toEqual([null, 1, 1, 1, null]);
    // markers: on their cameras' rows
    const markers = actionMarkers(record, ['cam-2', 'cam-3']);
    expect(markers.filter((m) => m.text?.includes('tile.maximise')).map((m) => m.cameraId)).toEqual(['cam-2']);
    expect(markers.filter((m) => m.text?.includes('export')).map((m) => m.cameraId)).toEqual(['cam-3']);
    // a later incident's starting state holds no events
    advance(5000);
    const later = await r.handlers['replay.incidents.create']({ name: 'later', fromMs: now(), toMs: now() + 1000, cameraIds: cameras, operator: 'dana' }, ctx);
    expect((await r.handlers['replay.incidents.get']({ id: later.id }, ctx)).before.every((a) => a.change.kind !== 'event')).toBe(true);
  });
});
