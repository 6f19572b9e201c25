// The plate index on real SQLite (issue 10 §4): sightings from committed events, exact and wildcard search, routes in
// time order with camera positions, the watch list marking a hit with the last known route, violations decided once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlateModule, type PlateModule } from '../../electron/host/plates/plate-module.js';
import { createLogger } from '../../electron/host/log.js';
import { KuzetEvent, type KuzetEventInput, type StoredEvent } from '../../electron/contract/events-schema.js';
import type { AuditInput } from '../../electron/host/audit/audit-log.js';

const CAMS = [
  { id: 'cam-a', name: 'Abay / Dostyk', location: { lat: 43.2393, lon: 76.9573 } },
  { id: 'cam-b', name: 'KBTU crossing', location: { lat: 43.2553, lon: 76.9459 } },
  { id: 'cam-c', name: 'No place', location: undefined },
];
const T0 = 1_764_460_800_000;
let seq = 0;
const stored = (e: KuzetEventInput): StoredEvent => ({ ...KuzetEvent.parse(e), id: `ev-${++seq}`, receivedAt: e.captureTime, source: 'mqtt' });
const plate = (camera: string, at: number, text: string): StoredEvent => stored({ camera, captureTime: at, type: 'plate', confidence: 0.9, boxes: [{ x: 0.4, y: 0.6, w: 0.1, h: 0.05, label: text }], attributes: { text } });

let dir: string;
let mod: PlateModule;
const audits: AuditInput[] = [];
const ctx = { clientId: 'test' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-plates-'));
  audits.length = 0;
  mod = createPlateModule({ dataDir: dir, log: createLogger({ scope: 'test', level: 'error' }), cameras: () => CAMS, audit: (e) => { audits.push(e); },
    maskPicture: (_id, data) => Promise.resolve(data), timeZone: () => 'Asia/Almaty', now: () => T0 + 3_600_000 });
});
afterEach(() => { mod.close(); rmSync(dir, { recursive: true, force: true }); });

describe('plate index', () => {
  it('indexes plate reads and violations with their camera position; a redelivered event once', () => {
    const a = plate('cam-a', T0, '777 ABZ 02');
    mod.tap.committed!([a, a, plate('cam-b', T0 + 60_000, '777АВZ02'), plate('cam-c', T0 + 120_000, '777ABZ02'), plate('cam-a', T0 + 5, '123KZA01'),
      stored({ camera: 'cam-b', captureTime: T0 + 30_000, type: 'traffic_violation', attributes: { violation: 'speeding', speedKmh: 131, limitKmh: 90, plate: '505aaa05' } }),
      stored({ camera: 'cam-a', captureTime: T0 + 40_000, type: 'object', attributes: { class: 'vehicle' } })]);
    expect(mod.index.count()).toBe(5);
    const r = mod.handlers['plates.route']({ plate: '777abz02', limit: 100 }, ctx) as ReturnType<typeof mod.index.route> & { plate: string };
    expect(r.plate).toBe('777ABZ02');
    expect(r.sightings.map((s) => [s.cameraId, s.atMs - T0])).toEqual([['cam-a', 0], ['cam-b', 60_000], ['cam-c', 120_000]]);
    expect(r.sightings[0]).toMatchObject({ text: '777 ABZ 02', position: { lat: 43.2393, lon: 76.9573 }, box: { x: 0.4, label: '777 ABZ 02' }, kind: 'plate' });
    expect(r.sightings[2]!.position).toBeNull();
    const v = mod.handlers['violations.list']({ limit: 10 }, ctx) as Array<{ plate: string | null; state: string }>;
    expect(v).toMatchObject([{ violation: 'speeding', plate: '505AAA05', speedKmh: 131, state: 'pending', position: { lat: 43.2553 } }]);
    expect((mod.handlers['plates.route']({ plate: '505AAA05', limit: 10 }, ctx) as { sightings: unknown[] }).sightings).toMatchObject([{ kind: 'violation' }]);
  });

  it('wildcard and exact search, newest first, with a time range and a limit', () => {
    const evs: StoredEvent[] = [];
    for (let i = 0; i < 300; i++) evs.push(plate(i % 2 ? 'cam-a' : 'cam-b', T0 + i * 1000, `${String(100 + (i % 50)).padStart(3, '0')}ABC0${i % 3}`));
    mod.tap.committed!(evs);
    const search = (pattern: string, extra: object = {}) => mod.handlers['plates.search']({ pattern, limit: 1000, ...extra }, ctx) as { pattern: string; sightings: Array<{ plate: string; atMs: number }>; truncated: boolean };
    const exact = search('105 abc 02');
    expect(exact.sightings.every((s) => s.plate === '105ABC02')).toBe(true);
    expect(exact.sightings.map((s) => s.atMs - T0)).toEqual([155_000, 5_000]); // i % 50 == 5 and i % 3 == 2: i = 5, 155
    const wild = search('1?5ABC0?');
    expect(new Set(wild.sightings.map((s) => s.plate))).toEqual(new Set(['105ABC00', '105ABC01', '105ABC02', '115ABC00', '115ABC01', '115ABC02', '125ABC00', '125ABC01', '125ABC02', '135ABC00', '135ABC01', '135ABC02', '145ABC00', '145ABC01', '145ABC02'].filter((p) => evs.some((e) => e.type === 'plate' && e.attributes.text === p))));
    expect(wild.sightings.map((s) => s.atMs)).toEqual([...wild.sightings.map((s) => s.atMs)].sort((a, b) => b - a));
    expect(search('*ABC01').sightings.length).toBe(100);
    expect(search('*ABC01', { fromMs: T0 + 100_000, toMs: T0 + 199_999 }).sightings.every((s) => s.atMs >= T0 + 100_000 && s.atMs <= T0 + 199_999)).toBe(true);
    const limited = mod.handlers['plates.search']({ pattern: '*ABC*', limit: 10 }, ctx) as { sightings: unknown[]; truncated: boolean };
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.sightings).toHaveLength(10);
    expect(() => mod.handlers['plates.search']({ pattern: '**', limit: 10 }, ctx)).toThrow(/only wildcards/);
    expect(() => mod.handlers['plates.route']({ plate: 'x'.repeat(10_000), limit: 10 }, ctx)).toThrow(/too long/);
  });

  it('a plate on the watch list is marked before the rules, with its last known route; a plate not on it is left alone', () => {
    mod.tap.committed!([plate('cam-a', T0, '777ABZ02'), plate('cam-b', T0 + 60_000, '777ABZ02')]);
    mod.handlers['plates.watchlist.save']({ entries: [{ pattern: '777 ab?02', list: 'stolen', note: 'grey Camry' }], operator: 'supervisor' }, ctx);
    expect(audits).toMatchObject([{ user: 'supervisor', action: 'plates.watchlist.save', details: { entries: 1, patterns: '777AB?02:stolen' } }]);
    const hit = mod.tap.beforeRules!(plate('cam-c', T0 + 120_000, '777ABZ02'));
    expect(hit.event.type === 'plate' && hit.event.attributes).toMatchObject({ watchlistHit: true, watchlist: 'stolen' });
    expect(hit.details).toMatchObject({ routeSightings: 3, watchNote: 'grey Camry' });
    expect(String(hit.details!.route)).toMatch(/^\d\d:\d\d:\d\d Abay \/ Dostyk → \d\d:\d\d:\d\d KBTU crossing → \d\d:\d\d:\d\d No place$/);
    const miss = mod.tap.beforeRules!(plate('cam-c', T0, '123KZA01'));
    expect(miss.details).toBeUndefined();
    expect(miss.event.type === 'plate' && miss.event.attributes.watchlistHit).toBe(false);
    expect(() => mod.handlers['plates.watchlist.save']({ entries: [{ pattern: '*', list: 'wanted', note: '' }], operator: 'x' }, ctx)).toThrow(/only wildcards/);
    expect(mod.handlers['plates.watchlist.get']({}, ctx)).toEqual([{ pattern: '777AB?02', list: 'stolen', note: 'grey Camry' }]); // unchanged
  });

  it('a violation is accepted or rejected once, with a reason, audited', () => {
    const v = stored({ camera: 'cam-a', captureTime: T0, type: 'traffic_violation', attributes: { violation: 'red_light', plate: '777ABZ02' } });
    mod.tap.committed!([v]);
    const done = mod.handlers['violations.decide']({ id: v.id, verdict: 'rejected', reason: 'an ambulance with lights on', operator: 'operator' }, ctx);
    expect(done).toMatchObject({ state: 'rejected', decidedBy: 'operator', reason: 'an ambulance with lights on' });
    expect(audits).toMatchObject([{ user: 'operator', action: 'violation.reject', target: v.id, details: { reason: 'an ambulance with lights on', plate: '777ABZ02' } }]);
    expect(() => mod.handlers['violations.decide']({ id: v.id, verdict: 'accepted', reason: 'x', operator: 'other' }, ctx)).toThrow(/already rejected by operator/);
    expect(() => mod.handlers['violations.decide']({ id: 'nope', verdict: 'accepted', reason: 'x', operator: 'other' }, ctx)).toThrow(/no violation nope/);
    expect(mod.handlers['violations.list']({ states: ['pending'], limit: 10 }, ctx)).toEqual([]);
  });
});
