// The pure policy core can(subject, right, target, now): every right against every built-in role and scope kind,
// time windows in a named zone (fake clock: fixed epoch instants), windows past midnight, disabled users, user names.
import { describe, expect, it } from 'vitest';
import { RIGHTS, userNameProblem, UserName, type Grant, type Right } from '../../electron/contract/access/access-schema.js';
import { BUILT_IN_ROLE_DEFS, can, decide, grantsOf, inWindow, localTime, rightsOn, type Subject } from '../../electron/host/access/policy.js';
import { BruteForceGuard, DEFAULT_THROTTLE } from '../../electron/host/access/throttle.js';
import { hashPassword, needsRehash, verifyPassword } from '../../electron/host/access/passwords.js';

const roles = new Map(BUILT_IN_ROLE_DEFS.map((r) => [r.id, r]));
const subject = (roleIds: string[], own: Grant[] = [], disabled = false): Subject => ({ user: 'u', disabled, grants: grantsOf(roleIds, own, roles) });
/** 2025-03-05 (a Wednesday) at hh:mm in Almaty (UTC+5 all year since 2024). */
const almaty = (hh: number, mm = 0, day = 5) => Date.UTC(2025, 2, day, hh - 5, mm);
const cam = (cameraId: string, group: string | null = null) => ({ kind: 'camera' as const, cameraId, group });
const NOW = almaty(12);

const EXPECTED: Record<string, Right[]> = {
  operator: ['viewLive', 'viewRecordings', 'control', 'workAlarms'],
  supervisor: ['viewLive', 'viewRecordings', 'export', 'control', 'liftMasks', 'workAlarms', 'editRules'],
  trainer: ['viewLive', 'viewRecordings', 'control'],
  administrator: ['viewLive', 'viewRecordings', 'export', 'control', 'workAlarms', 'editRules', 'manageCameras', 'manageUsers', 'viewAudit'],
  auditor: ['viewRecordings', 'viewAudit'],
};

describe('can(): built-in roles', () => {
  for (const [role, rights] of Object.entries(EXPECTED)) {
    it(`${role}: exactly its rights, on a camera, on every camera and on any camera`, () => {
      const s = subject([role]);
      for (const r of RIGHTS) {
        expect(can(s, r, cam('gate-1', 'Medeu'), NOW), `${role} ${r} on a camera`).toBe(rights.includes(r));
        expect(can(s, r, { kind: 'all' }, NOW), `${role} ${r} on all`).toBe(rights.includes(r));
        expect(can(s, r, { kind: 'any' }, NOW), `${role} ${r} on any`).toBe(rights.includes(r));
      }
      expect(rightsOn(s, cam('x'), NOW)).toEqual(RIGHTS.filter((r) => rights.includes(r)));
    });
  }
  it('no roles, unknown roles and disabled users have no right at all', () => {
    for (const s of [subject([]), subject(['nope']), subject(['administrator'], [], true)]) {
      for (const r of RIGHTS) for (const target of [cam('a'), { kind: 'all' as const }, { kind: 'any' as const }]) expect(can(s, r, target, NOW)).toBe(false);
    }
    expect(decide(subject(['administrator'], [], true), 'viewLive', cam('a'), NOW).reason).toBe('user disabled');
  });
  it('roles add up: operator + auditor', () => {
    const s = subject(['operator', 'auditor']);
    expect(rightsOn(s, cam('a'), NOW)).toEqual(['viewLive', 'viewRecordings', 'control', 'workAlarms', 'viewAudit']);
  });
});

describe('can(): scopes', () => {
  const byCamera = subject([], [{ rights: ['viewLive', 'export'], scope: { kind: 'cameras', ids: ['gate-1', 'gate-2'] }, windows: [] }]);
  const byGroup = subject([], [{ rights: ['viewLive', 'manageUsers'], scope: { kind: 'groups', names: ['Medeu'] }, windows: [] }]);
  it('a camera grant covers exactly its cameras, never "all", but counts for "any"', () => {
    expect(can(byCamera, 'viewLive', cam('gate-1'), NOW)).toBe(true);
    expect(can(byCamera, 'export', cam('gate-2'), NOW)).toBe(true);
    expect(can(byCamera, 'viewLive', cam('gate-3'), NOW)).toBe(false);
    expect(can(byCamera, 'viewRecordings', cam('gate-1'), NOW)).toBe(false);
    expect(can(byCamera, 'viewLive', { kind: 'all' }, NOW)).toBe(false);
    expect(can(byCamera, 'viewLive', { kind: 'any' }, NOW)).toBe(true);
  });
  it('a group grant covers cameras of that group only (a camera without a group is outside)', () => {
    expect(can(byGroup, 'viewLive', cam('a', 'Medeu'), NOW)).toBe(true);
    expect(can(byGroup, 'viewLive', cam('a', 'Almaly'), NOW)).toBe(false);
    expect(can(byGroup, 'viewLive', cam('a', null), NOW)).toBe(false);
  });
  it('console rights (manageUsers, viewAudit) need an all-cameras grant, whatever the target', () => {
    expect(can(byGroup, 'manageUsers', cam('a', 'Medeu'), NOW)).toBe(false);
    expect(can(byGroup, 'manageUsers', { kind: 'any' }, NOW)).toBe(false);
  });
});

describe('can(): time windows (Asia/Almaty, fake clock)', () => {
  const day: Grant = { rights: ['viewLive'], scope: { kind: 'all' }, windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', timeZone: 'Asia/Almaty' }] };
  const night: Grant = { rights: ['viewLive'], scope: { kind: 'all' }, windows: [{ days: [5], from: '22:00', to: '06:00', timeZone: 'Asia/Almaty' }] };
  it('reads local time in the zone', () => {
    expect(localTime(almaty(8, 30), 'Asia/Almaty')).toEqual({ day: 3, minute: 8 * 60 + 30 });
    expect(localTime(almaty(8, 30), 'UTC')).toEqual({ day: 3, minute: 3 * 60 + 30 });
  });
  it('day shift: from inclusive, to exclusive, weekdays only', () => {
    const s = subject([], [day]);
    expect(can(s, 'viewLive', cam('a'), almaty(7, 59))).toBe(false);
    expect(can(s, 'viewLive', cam('a'), almaty(8, 0))).toBe(true);
    expect(can(s, 'viewLive', cam('a'), almaty(17, 59))).toBe(true);
    expect(can(s, 'viewLive', cam('a'), almaty(18, 0))).toBe(false);
    expect(can(s, 'viewLive', cam('a'), almaty(12, 0, 8))).toBe(false); // Saturday
    expect(decide(s, 'viewLive', cam('a'), almaty(20)).reason).toBe('outside the allowed hours');
  });
  it('a window past midnight belongs to the day it starts on', () => {
    const s = subject([], [night]);
    expect(can(s, 'viewLive', cam('a'), almaty(23, 0, 7))).toBe(true); // Friday 23:00
    expect(can(s, 'viewLive', cam('a'), almaty(3, 0, 8))).toBe(true); // Saturday 03:00, Friday's night
    expect(can(s, 'viewLive', cam('a'), almaty(6, 0, 8))).toBe(false);
    expect(can(s, 'viewLive', cam('a'), almaty(23, 0, 8))).toBe(false); // Saturday night: not a Friday
    expect(can(s, 'viewLive', cam('a'), almaty(3, 0, 7))).toBe(false); // Friday 03:00 is Thursday's night
    expect(inWindow(night.windows[0]!, almaty(22, 0, 7))).toBe(true);
  });
  it('a timed grant and an untimed one: the untimed one wins outside the window', () => {
    const s = subject([], [day, { rights: ['viewLive'], scope: { kind: 'cameras', ids: ['b'] }, windows: [] }]);
    expect(can(s, 'viewLive', cam('a'), almaty(20))).toBe(false);
    expect(can(s, 'viewLive', cam('b'), almaty(20))).toBe(true);
  });
});

describe('user names', () => {
  it('refuses empty, 10,000 characters, control and invisible characters; accepts Cyrillic', () => {
    expect(userNameProblem('')).toMatch(/required/);
    expect(userNameProblem('x'.repeat(10_000))).toMatch(/at most 64/);
    expect(userNameProblem('a'.repeat(65))).toMatch(/at most 64/);
    expect(userNameProblem('ab\u0000c')).toMatch(/control/);
    expect(userNameProblem('ab\tc')).toMatch(/control|spaces/);
    expect(userNameProblem('gnp\u202Eexe')).toMatch(/control or invisible/);
    expect(userNameProblem('a b')).toMatch(/spaces/);
    expect(userNameProblem('Айгерім')).toBeNull();
    expect(UserName.parse('  op.1 ')).toBe('op.1');
  });
});

describe('brute-force guard (fake clock)', () => {
  it('free failures, then growing delays, then a lockout that ends; a success clears the user', () => {
    let now = 1_000_000;
    const g = new BruteForceGuard({ ...DEFAULT_THROTTLE, lockAfter: 6 }, () => now);
    for (let i = 0; i < 3; i++) expect(g.failure('u', 's').ok).toBe(true);
    const v4 = g.failure('u', 's');
    expect(v4).toMatchObject({ ok: false, kind: 'wait', scope: 'user', until: now + 1000 });
    now += 999;
    expect(g.check('u', 's')).toMatchObject({ kind: 'wait' });
    now += 1;
    expect(g.check('u', 's').ok).toBe(true);
    expect(g.failure('u', 's')).toMatchObject({ kind: 'wait', until: now + 2000 });
    now += 2000;
    const locked = g.failure('u', 's');
    expect(locked).toMatchObject({ ok: false, kind: 'locked', scope: 'user', until: now + DEFAULT_THROTTLE.lockMs });
    now += DEFAULT_THROTTLE.lockMs - 1;
    expect(g.check('u', 's')).toMatchObject({ kind: 'locked' });
    now += 1;
    expect(g.check('u', 's').ok).toBe(true);
    g.success('u');
    expect(g.lockedUntil('u')).toBeNull();
  });
  it('a source spraying many user names is locked on its own', () => {
    let now = 0;
    const g = new BruteForceGuard({ ...DEFAULT_THROTTLE, freeFailures: 100, sourceLockAfter: 5 }, () => now);
    for (let i = 0; i < 4; i++) { now += 10; expect(g.failure(`user${i}`, 'web:1.2.3.4').ok).toBe(true); }
    expect(g.failure('user9', 'web:1.2.3.4')).toMatchObject({ kind: 'locked', scope: 'source' });
    expect(g.check('fresh', 'web:1.2.3.4')).toMatchObject({ kind: 'locked', scope: 'source' });
    expect(g.check('fresh', 'desktop').ok).toBe(true);
  });
});

describe('password hashes (scrypt N=2^15, r=8, p=1)', () => {
  it('verifies the right password only, salts each hash, keeps its parameters, refuses garbage', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$ln=15,r=8,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
    expect(await verifyPassword('x', null)).toBe(false);
    expect(needsRehash(a)).toBe(false);
    const weak = await hashPassword('pw', { ln: 12, r: 8, p: 1 });
    expect(await verifyPassword('pw', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
  });
});
