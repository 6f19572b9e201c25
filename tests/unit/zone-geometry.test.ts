import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crossing, footOf, pointInPolygon, selfIntersects, sideOf, zoneProblem, zonesHit } from '../../electron/host/alarms/zone-geometry.js';
import { ZoneBook } from '../../electron/host/alarms/zone-book.js';
import { SqliteAlarmStore } from '../../electron/host/alarms/store-sqlite.js';
import { createLogger } from '../../electron/host/log.js';
import { Zone } from '../../electron/contract/zones-schema.js';
import { alarm, event, T0 } from '../support/alarm-fixtures.js';

const square = [{ x: 0.2, y: 0.2 }, { x: 0.6, y: 0.2 }, { x: 0.6, y: 0.6 }, { x: 0.2, y: 0.6 }];
const zone = (name: string, points = square) => Zone.parse({ kind: 'zone', name, points });
// A horizontal line across the picture from left (A) to right (B): "left" of A->B is the upper half on screen.
const line = (direction: 'both' | 'left' | 'right') => Zone.parse({ kind: 'line', name: `wire-${direction}`, points: [{ x: 0.1, y: 0.5 }, { x: 0.9, y: 0.5 }], direction });
const box = (footX: number, footY: number) => ({ x: footX - 0.05, y: footY - 0.2, w: 0.1, h: 0.2 });

describe('zone geometry', () => {
  it('point in polygon: inside, outside, concave notch', () => {
    expect(pointInPolygon({ x: 0.4, y: 0.4 }, square)).toBe(true);
    expect(pointInPolygon({ x: 0.7, y: 0.4 }, square)).toBe(false);
    const u = [{ x: 0, y: 0 }, { x: 0.3, y: 0 }, { x: 0.3, y: 0.6 }, { x: 0.6, y: 0.6 }, { x: 0.6, y: 0 }, { x: 0.9, y: 0 }, { x: 0.9, y: 0.9 }, { x: 0, y: 0.9 }];
    expect(pointInPolygon({ x: 0.45, y: 0.3 }, u)).toBe(false); // in the notch of the U
    expect(pointInPolygon({ x: 0.45, y: 0.8 }, u)).toBe(true);
  });

  it('a box is in a zone by where it stands (bottom-centre), not by its head', () => {
    expect(footOf({ x: 0.1, y: 0.1, w: 0.2, h: 0.4 })).toEqual({ x: 0.2, y: 0.5 });
    const z = [zone('lobby')];
    expect(zonesHit(z, [box(0.4, 0.5)], null)).toEqual(['lobby']);
    // head inside the square, feet below it: not in the zone
    expect(zonesHit(z, [{ x: 0.35, y: 0.3, w: 0.1, h: 0.5 }], null)).toEqual([]);
  });

  it('sides as seen from A looking at B, crossings in both directions, touching is not crossing', () => {
    const a = { x: 0.1, y: 0.5 }, b = { x: 0.9, y: 0.5 };
    expect(sideOf(a, b, { x: 0.5, y: 0.2 })).toBe('left'); // above a left-to-right line
    expect(sideOf(a, b, { x: 0.5, y: 0.8 })).toBe('right');
    expect(crossing([a, b], { x: 0.5, y: 0.8 }, { x: 0.5, y: 0.2 })).toBe('left');
    expect(crossing([a, b], { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.8 })).toBe('right');
    expect(crossing([a, b], { x: 0.5, y: 0.8 }, { x: 0.5, y: 0.5 })).toBeNull(); // ends on the line
    expect(crossing([a, b], { x: 0.95, y: 0.8 }, { x: 0.95, y: 0.2 })).toBeNull(); // passes beyond B
  });

  it('a track crossing a tripwire hits it only in the line direction', () => {
    const lines = [line('both'), line('left'), line('right')];
    const up = zonesHit(lines, [box(0.5, 0.3)], { x: 0.5, y: 0.7 });
    expect(up).toEqual(['wire-both', 'wire-left']);
    const down = zonesHit(lines, [box(0.5, 0.7)], { x: 0.5, y: 0.3 });
    expect(down).toEqual(['wire-both', 'wire-right']);
    expect(zonesHit(lines, [box(0.5, 0.3)], null)).toEqual([]); // no previous position: no crossing
  });

  it('shape problems: bow-tie, no area, one-point line', () => {
    const bowtie = [{ x: 0.1, y: 0.1 }, { x: 0.5, y: 0.5 }, { x: 0.5, y: 0.1 }, { x: 0.1, y: 0.5 }];
    expect(selfIntersects(bowtie)).toBe(true);
    expect(selfIntersects(square)).toBe(false);
    expect(zoneProblem(zone('x', bowtie))).toMatch(/edges cross/);
    expect(zoneProblem(zone('flat', [{ x: 0.1, y: 0.1 }, { x: 0.2, y: 0.2 }, { x: 0.3, y: 0.3 }]))).toMatch(/no area/);
    expect(zoneProblem(Zone.parse({ kind: 'line', name: 'dot', points: [{ x: 0.5, y: 0.5 }, { x: 0.5, y: 0.501 }] }))).toMatch(/same/);
    expect(zoneProblem(zone('ok'))).toBeNull();
  });
});

describe('zone book', () => {
  let dir = '';
  let store: SqliteAlarmStore | null = null;
  afterEach(() => { store?.close(); store = null; if (dir) rmSync(dir, { recursive: true, force: true }); dir = ''; });
  const open = () => { dir ||= mkdtempSync(join(tmpdir(), 'kuzet-zones-')); store = new SqliteAlarmStore(join(dir, 'alarms.sqlite')); return new ZoneBook(store, createLogger({ scope: 'test', quiet: true })); };

  it('annotates events with the zones they stand in and the lines their track crossed', () => {
    const book = open();
    book.save('cam-a', [{ kind: 'zone', name: 'lobby', points: square }, { kind: 'line', name: 'gate', points: [{ x: 0.1, y: 0.5 }, { x: 0.9, y: 0.5 }], direction: 'left' }], 'op', T0);
    const first = book.annotate(event({ track: 't1', captureTime: T0, boxes: [box(0.7, 0.8)], zones: ['from-analytics'] }));
    expect(first.zones).toEqual(['from-analytics']);
    const second = book.annotate(event({ track: 't1', captureTime: T0 + 200, boxes: [box(0.4, 0.4)] }));
    expect(second.zones).toEqual(['lobby', 'gate']); // crossed upwards into "left", stands in the lobby
    // another camera's events are untouched
    const other = event({ camera: 'cam-b', track: 't1', boxes: [box(0.4, 0.4)] });
    expect(book.annotate(other)).toBe(other);
  });

  it('bad input changes nothing; saved zones survive a restart; audited', () => {
    let book = open();
    book.save('cam-a', [{ kind: 'zone', name: 'lobby', points: square }], 'op', T0);
    expect(() => book.save('cam-a', [{ kind: 'zone', name: 'a', points: square }, { kind: 'zone', name: 'A', points: square }], 'op', T0)).toThrow(/used twice/);
    expect(() => book.save('cam-a', [{ kind: 'zone', name: 'x', points: [{ x: 2, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 1 }] }], 'op', T0)).toThrow(/points\.0\.x/);
    expect(() => book.save('cam-a', [{ kind: 'line', name: 'l', points: [{ x: 0.1, y: 0.1 }] }], 'op', T0)).toThrow(/exactly 2 points/);
    expect(() => book.save('cam-a', [{ kind: 'zone', name: '<b>x</b>', points: [{ x: 0.1, y: 0.1 }, { x: 0.5, y: 0.5 }, { x: 0.5, y: 0.1 }, { x: 0.1, y: 0.5 }] }], 'op', T0)).toThrow(/edges cross/);
    expect(book.list(['cam-a'])[0]!.zones.map((z) => z.name)).toEqual(['lobby']);
    store!.close();
    book = open();
    expect(book.list()).toEqual([{ cameraId: 'cam-a', zones: [{ kind: 'zone', name: 'lobby', points: square }] }]);
    expect(store!.auditOf('camera:cam-a').map((e) => e.action)).toEqual(['zones.save']);
  });

  it('a damaged row is skipped and kept, not deleted', () => {
    let book = open();
    book.save('cam-a', [{ kind: 'zone', name: 'lobby', points: square }], 'op', T0);
    store!.db.prepare(`UPDATE zones SET body = '{broken' WHERE camera = 'cam-a'`).run();
    store!.close();
    book = open();
    expect(book.list()).toEqual([]);
    expect(store!.zoneRows()).toHaveLength(1);
  });
});

describe('event store queries for review', () => {
  let dir = '';
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = ''; });

  it('events with boxes of one camera in a capture range, oldest first, bounded; alarms by first capture time', () => {
    dir = mkdtempSync(join(tmpdir(), 'kuzet-evq-'));
    const store = new SqliteAlarmStore(join(dir, 'alarms.sqlite'));
    const put = (id: string, camera: string, t: number, boxes: boolean) => store.insertEvent({ ...event({ camera, captureTime: t, track: 'k', boxes: boxes ? [box(0.5, 0.5)] : [] }), id, receivedAt: t, source: 'api' });
    put('e3', 'cam-a', T0 + 3000, true);
    put('e1', 'cam-a', T0 + 1000, true);
    put('e2', 'cam-a', T0 + 2000, false); // no boxes: nothing to draw
    put('b1', 'cam-b', T0 + 1500, true);
    put('e9', 'cam-a', T0 + 9000, true); // outside the range
    expect(store.overlaysOf('cam-a', T0, T0 + 5000, 10)).toEqual({ truncated: false, events: [
      // the attributes too: the window words the label in its operator's language from them
      { id: 'e1', cameraId: 'cam-a', captureTime: T0 + 1000, type: 'object', track: 'k', label: expect.any(String), attributes: { class: 'person' }, boxes: [box(0.5, 0.5)] },
      expect.objectContaining({ id: 'e3' }),
    ] });
    expect(store.overlaysOf('cam-a', T0, T0 + 5000, 1)).toMatchObject({ truncated: true, events: [{ id: 'e1' }] });
    store.saveAlarm(alarm({ id: 'A1', cameraId: 'cam-a', firstAt: T0 + 1000, createdAt: T0 + 1050 }));
    store.saveAlarm(alarm({ id: 'A2', cameraId: 'cam-a', firstAt: T0 - 5000, createdAt: T0 - 4950 }));
    store.saveAlarm(alarm({ id: 'A3', cameraId: 'cam-b', firstAt: T0 + 1000, createdAt: T0 + 1050 }));
    expect(store.alarmsBetween(['cam-a'], T0, T0 + 5000).map((a) => a.id)).toEqual(['A1']);
    store.close();
  });
});
