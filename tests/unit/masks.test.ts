// Privacy masks (issue 12 §3): polygon validation, the lift timer (fake timers), who may lift and save, the audit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MaskBook, validateMasks } from '../../electron/host/masks/mask-book.js';
import { SqliteAlarmStore } from '../../electron/host/alarms/store-sqlite.js';
import { createLogger } from '../../electron/host/log.js';
import { ROUTE_RIGHTS } from '../../electron/host/access/route-rights.js';
import { BUILT_IN_ROLE_DEFS, can, grantsOf } from '../../electron/host/access/policy.js';
import { requests } from '../../electron/contract/api.js';

const square = [{ x: 0.1, y: 0.1 }, { x: 0.4, y: 0.1 }, { x: 0.4, y: 0.4 }, { x: 0.1, y: 0.4 }];
const bowTie = [{ x: 0.1, y: 0.1 }, { x: 0.5, y: 0.5 }, { x: 0.5, y: 0.1 }, { x: 0.1, y: 0.5 }];

describe('mask polygons', () => {
  it('accepts a plain polygon of either kind', () => {
    expect(validateMasks('cam-a', [{ name: 'window', kind: 'liftable', points: square }, { name: 'yard', kind: 'permanent', points: square }]).map((m) => m.kind))
      .toEqual(['liftable', 'permanent']);
  });
  it('refuses crossing edges, points outside the picture, too few points, no area, bad kinds and twice-used names, clearly', () => {
    expect(() => validateMasks('cam-a', [{ name: 'x', kind: 'liftable', points: bowTie }])).toThrow(/mask "x": its edges cross each other/);
    expect(() => validateMasks('cam-a', [{ name: 'x', kind: 'liftable', points: [{ x: 1.2, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 1 }] }])).toThrow(/masks\.0\.points\.0\.x: a point is outside the picture/);
    expect(() => validateMasks('cam-a', [{ name: 'x', kind: 'liftable', points: [{ x: 0, y: -0.1 }, { x: 0, y: 1 }, { x: 1, y: 1 }] }])).toThrow(/outside the picture/);
    expect(() => validateMasks('cam-a', [{ name: 'x', kind: 'liftable', points: square.slice(0, 2) }])).toThrow(/at least 3 points/);
    expect(() => validateMasks('cam-a', [{ name: 'x', kind: 'liftable', points: [{ x: 0.1, y: 0.1 }, { x: 0.2, y: 0.2 }, { x: 0.3, y: 0.3 }] }])).toThrow(/enclose no area/);
    expect(() => validateMasks('cam-a', [{ name: 'x', kind: 'blurred', points: square }])).toThrow(/kind/);
    expect(() => validateMasks('cam-a', [{ name: 'a', kind: 'liftable', points: square }, { name: 'A', kind: 'permanent', points: square }])).toThrow(/used twice/);
    expect(() => validateMasks('cam-a', [{ name: '', kind: 'liftable', points: square }])).toThrow(/a mask needs a name/);
  });
  it('the contract refuses a lift without a written reason or beyond 15 minutes', () => {
    const p = requests['masks.lift'].params;
    expect(p.safeParse({ cameraId: 'cam-a', minutes: 5, reason: 'police request 17/3', operator: 'x' }).success).toBe(true);
    expect(p.safeParse({ cameraId: 'cam-a', minutes: 5, reason: '  ok ', operator: 'x' }).success).toBe(false);
    expect(p.safeParse({ cameraId: 'cam-a', minutes: 16, reason: 'police request 17/3', operator: 'x' }).success).toBe(false);
    expect(p.safeParse({ cameraId: 'cam-a', minutes: 0, reason: 'police request 17/3', operator: 'x' }).success).toBe(false);
  });
});

describe('who may lift and edit masks', () => {
  const roles = new Map(BUILT_IN_ROLE_DEFS.map((r) => [r.id, r]));
  const target = { kind: 'camera' as const, cameraId: 'cam-a', group: null };
  it('lifting needs liftMasks on the camera: supervisors yes, operators, trainers, auditors and administrators no', () => {
    expect(ROUTE_RIGHTS['masks.lift'].need).toBe('liftMasks');
    expect(ROUTE_RIGHTS['masks.restore'].need).toBe('liftMasks');
    const may = (role: string) => can({ user: 'u', disabled: false, grants: grantsOf([role], [], roles) }, ROUTE_RIGHTS['masks.lift'].need as 'liftMasks', target, Date.now());
    expect(['operator', 'supervisor', 'trainer', 'administrator', 'auditor'].filter(may)).toEqual(['supervisor']);
  });
  it('editing masks needs editRules (like zones); the acting user is the signed-in one', () => {
    expect(ROUTE_RIGHTS['masks.save'].need).toBe('editRules');
    expect(ROUTE_RIGHTS['masks.save'].actor).toBe('operator');
    expect(ROUTE_RIGHTS['masks.lift'].actor).toBe('operator');
  });
});

describe('mask book', () => {
  let dir = '';
  let store: SqliteAlarmStore | null = null;
  afterEach(() => { vi.useRealTimers(); store?.close(); store = null; if (dir) rmSync(dir, { recursive: true, force: true }); dir = ''; });
  const open = () => {
    dir ||= mkdtempSync(join(tmpdir(), 'kuzet-masks-'));
    store = new SqliteAlarmStore(join(dir, 'alarms.sqlite'));
    return new MaskBook(store, createLogger({ scope: 'test', quiet: true }));
  };

  it('bad input changes nothing; saved masks survive a restart; saves are audited', () => {
    let book = open();
    book.save('cam-a', [{ name: 'window', kind: 'liftable', points: square }], 'sup');
    expect(() => book.save('cam-a', [{ name: 'x', kind: 'liftable', points: bowTie }], 'sup')).toThrow(/edges cross/);
    expect(book.get('cam-a').masks.map((m) => m.name)).toEqual(['window']);
    store!.close();
    book = open();
    expect(book.list()).toEqual([{ cameraId: 'cam-a', masks: [{ name: 'window', kind: 'liftable', points: square }], lift: null }]);
    expect(book.hasPermanent('cam-a')).toBe(false);
    expect(store!.auditOf('camera:cam-a').map((e) => e.action)).toEqual(['masks.save']);
  });

  it('a lift is audited with user, reason and until, and the masks come back by themselves when the time ends', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3, 9, 0) });
    const book = open();
    const seen: Array<string | null> = [];
    book.onChange((m) => seen.push(m.lift ? m.lift.by : null));
    expect(() => book.lift('cam-a', 5, 'nothing to lift yet', 'sup')).toThrow(/no liftable mask/);
    book.save('cam-a', [{ name: 'window', kind: 'liftable', points: square }], 'sup');
    const lifted = book.lift('cam-a', 5, 'police request 17/3', 'sup', 'console-2');
    expect(lifted.lift).toEqual({ by: 'sup', reason: 'police request 17/3', until: Date.UTC(2026, 11, 3, 9, 5) });
    vi.advanceTimersByTime(4 * 60_000 + 59_000);
    expect(book.get('cam-a').lift).not.toBeNull();
    vi.advanceTimersByTime(1_000);
    expect(book.get('cam-a').lift).toBeNull();
    expect(seen).toEqual([null, 'sup', null]);
    const trail = store!.auditOf('camera:cam-a');
    expect(trail.map((e) => `${e.actor} ${e.action}`)).toEqual(['sup masks.save', 'sup masks.lift', 'system masks.return']);
    expect(JSON.parse(trail[1]!.detail)).toEqual({ client: 'console-2', minutes: 5, reason: 'police request 17/3', until: '2026-12-03T09:05:00.000Z' });
    expect(trail[1]!.console).toBeTruthy();
  });

  it('a lift, its early restore and its return are stored before the call returns, with every entry queued before them', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3, 9, 0) });
    const book = open();
    book.save('cam-a', [{ name: 'window', kind: 'liftable', points: square }], 'sup');
    // what the table holds now, read without flushing the group commit's queue (auditOf would flush it)
    const stored = () => (store!.db.prepare('SELECT actor, action FROM audit ORDER BY seq').all() as Array<{ actor: string; action: string }>).map((r) => `${r.actor} ${r.action}`);
    const queued = (action: string) => store!.audit({ at: Date.now(), actor: 'system', action, subject: 'A-1', detail: '' });
    queued('alarm.raise');
    expect(store!.auditLog.queued).toBe(1); // batched: not in the table yet
    expect(stored()).toEqual(['sup masks.save']);
    book.lift('cam-a', 5, 'police request 17/3', 'sup');
    expect(store!.auditLog.queued).toBe(0);
    expect(stored()).toEqual(['sup masks.save', 'system alarm.raise', 'sup masks.lift']);
    book.restore('cam-a', 'sup2');
    expect(stored().at(-1)).toBe('sup2 masks.restore');
    book.lift('cam-a', 1, 'second look at the yard', 'sup');
    vi.advanceTimersByTime(59_990);
    queued('alarm.claim'); // its batch would be written at 60,010 ms; the lift runs out at 60,000
    vi.advanceTimersByTime(10);
    expect(book.get('cam-a').lift).toBeNull();
    expect(store!.auditLog.queued).toBe(0);
    expect(stored().slice(-3)).toEqual(['sup masks.lift', 'system alarm.claim', 'system masks.return']);
  });

  it('restoring early ends the lift now and stops its timer; a lift does not survive a restart', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3, 9, 0) });
    let book = open();
    book.save('cam-a', [{ name: 'window', kind: 'liftable', points: square }], 'sup');
    book.lift('cam-a', 15, 'checking an incident', 'sup');
    expect(book.restore('cam-a', 'sup2').lift).toBeNull();
    vi.advanceTimersByTime(20 * 60_000);
    expect(store!.auditOf('camera:cam-a').map((e) => `${e.actor} ${e.action}`)).toEqual(['sup masks.save', 'sup masks.lift', 'sup2 masks.restore']);
    book.lift('cam-a', 15, 'checking an incident', 'sup');
    book.close(); store!.close();
    book = open();
    expect(book.get('cam-a').lift).toBeNull();
  });
});
