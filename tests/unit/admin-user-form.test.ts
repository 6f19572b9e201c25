// The administrator's user form as data (renderer/admin/user-form.ts): password rules, roles, per-camera and per-group
// rights with a time window (a contractor by day), turned into the contract's UserInput that the host validates again.
import { describe, expect, it } from 'vitest';
import { UserInput, type User } from '../../electron/contract/access/access-schema.js';
import { can, grantsOf } from '../../electron/host/access/policy.js';
import { emptyUserForm, formOfUser, inputOfForm, newGrant, passwordProblems, userState } from '../../renderer/admin/user-form.js';

const TZ = 'Asia/Almaty';

describe('password rules', () => {
  it('8 characters or more, not the user name, typed the same twice', () => {
    expect(passwordProblems('dana', 'short', 'short')).toEqual(['admin.problem.passwordShort']);
    expect(passwordProblems('danadana', 'DanaDana', 'DanaDana')).toEqual(['admin.problem.passwordIsName']);
    expect(passwordProblems('dana', 'long-enough', 'long-enougH')).toEqual(['admin.problem.passwordMismatch']);
    expect(passwordProblems('dana', 'long-enough', 'long-enough')).toEqual([]);
  });
  it('a new user needs a password; an existing one only when a new one is typed', () => {
    expect(inputOfForm({ ...emptyUserForm(), name: 'dana' }).problems).toContain('admin.problem.passwordShort');
    const existing = { ...emptyUserForm(), isNew: false, name: 'dana' };
    expect(inputOfForm(existing)).toEqual({ input: { name: 'dana', displayName: 'dana', roles: ['operator'], grants: [] }, problems: [] });
  });
});

describe('rights per camera, group and time window', () => {
  it('a contractor by day: live pictures of one group, Monday to Friday 08:00-18:00 Almaty', () => {
    const f = { ...emptyUserForm(), name: 'contractor2', password: 'day-shift-1', confirm: 'day-shift-1', roles: [],
      grants: [{ ...newGrant(TZ), rights: ['viewLive' as const], scope: 'groups' as const, groups: ['Medeu district'], windowOn: true }] };
    const { input, problems } = inputOfForm(f);
    expect(problems).toEqual([]);
    const parsed = UserInput.parse(input);
    expect(parsed.grants).toEqual([{ rights: ['viewLive'], scope: { kind: 'groups', names: ['Medeu district'] }, windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', timeZone: TZ }] }]);
    // the host's policy reads it as meant: Wednesday 10:00 Almaty yes, 20:00 no, Saturday no, another group no
    const subject = { user: 'contractor2', disabled: false, grants: grantsOf([], parsed.grants!, new Map()) };
    const medeu = { kind: 'camera' as const, cameraId: 'm1', group: 'Medeu district' };
    expect(can(subject, 'viewLive', medeu, Date.UTC(2026, 11, 2, 5))).toBe(true); // Wed 10:00 +05
    expect(can(subject, 'viewLive', medeu, Date.UTC(2026, 11, 2, 15))).toBe(false); // Wed 20:00
    expect(can(subject, 'viewLive', medeu, Date.UTC(2026, 11, 5, 5))).toBe(false); // Sat
    expect(can(subject, 'viewLive', { ...medeu, group: 'Almaly' }, Date.UTC(2026, 11, 2, 5))).toBe(false);
    expect(can(subject, 'viewRecordings', medeu, Date.UTC(2026, 11, 2, 5))).toBe(false);
  });
  it('refuses a grant without rights or cameras, a console right on some cameras, an empty window', () => {
    const base = { ...emptyUserForm(), isNew: false, name: 'x' };
    const g = newGrant(TZ);
    expect(inputOfForm({ ...base, grants: [{ ...g, rights: [] }] }).problems).toEqual(['admin.problem.noRights']);
    expect(inputOfForm({ ...base, grants: [{ ...g, cameraIds: [] }] }).problems).toEqual(['admin.problem.noCameras']);
    expect(inputOfForm({ ...base, grants: [{ ...g, scope: 'groups' }] }).problems).toEqual(['admin.problem.noGroups']);
    expect(inputOfForm({ ...base, grants: [{ ...g, cameraIds: ['c1'], rights: ['viewAudit'] }] }).problems).toEqual(['admin.problem.consoleRight']);
    expect(inputOfForm({ ...base, grants: [{ ...g, cameraIds: ['c1'], windowOn: true, from: '09:00', to: '09:00' }] }).problems).toEqual(['admin.problem.window']);
    expect(inputOfForm({ ...base, grants: [{ ...g, scope: 'all', rights: ['viewAudit'] }] }).problems).toEqual([]);
  });
  it('an existing user round-trips through the form unchanged', () => {
    const u: User = { name: 'medeu', displayName: 'Medeu watch', source: 'local', roles: ['trainer'], disabled: false, lockedUntil: null, createdAt: 1, passwordChangedAt: 1, lastSignInAt: null,
      grants: [{ rights: ['viewLive', 'viewRecordings'], scope: { kind: 'cameras', ids: ['c1', 'c2'] }, windows: [{ days: [6, 7], from: '22:00', to: '06:00', timeZone: TZ }] }] };
    expect(inputOfForm(formOfUser(u, TZ)).input).toEqual({ name: 'medeu', displayName: 'Medeu watch', roles: ['trainer'], grants: u.grants });
  });
  it('a user is disabled, locked until a time, or active', () => {
    const u = { disabled: false, lockedUntil: 2000 } as User;
    expect([userState(u, 1000), userState(u, 3000), userState({ ...u, disabled: true }, 1000)]).toEqual(['locked', 'active', 'disabled']);
  });
});
