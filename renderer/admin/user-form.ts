/**
 * The administrator's user form as data (issue 12, §2): a user's roles, own grants (rights on all cameras, some
 * cameras or some groups, optionally within time windows: a contractor by day) and password, turned into the contract's
 * UserInput with the problems to show. Pure: unit-tested without a browser. The host checks everything again.
 */
import { Grant, RIGHTS, UserInput, type Right, type User, type UserInput as UserInputT } from '../../electron/contract/access/access-schema.js';

export interface GrantForm {
  rights: Right[];
  scope: 'all' | 'cameras' | 'groups';
  cameraIds: string[];
  groups: string[];
  /** Only within a time window (days 1 Monday .. 7 Sunday, from-to on the clock of `timeZone`). */
  windowOn: boolean;
  days: number[];
  from: string;
  to: string;
  timeZone: string;
}

export interface UserForm {
  isNew: boolean;
  name: string;
  displayName: string;
  /** A new password (required for a new local user, optional otherwise), typed twice. */
  password: string;
  confirm: string;
  roles: string[];
  grants: GrantForm[];
}

/** Rights that need an all-cameras grant (the host ignores them on a camera or group scope). */
export const CONSOLE_ONLY: readonly Right[] = ['manageUsers', 'viewAudit'];
export const ALL_RIGHTS: readonly Right[] = RIGHTS;

export const newGrant = (timeZone: string): GrantForm => ({
  rights: ['viewLive'], scope: 'cameras', cameraIds: [], groups: [], windowOn: false, days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', timeZone,
});

export const emptyUserForm = (): UserForm => ({ isNew: true, name: '', displayName: '', password: '', confirm: '', roles: ['operator'], grants: [] });

/** A grant as the form edits it (a user's own grants and a role's grants alike). */
export function grantFormOf(g: Grant, timeZone: string): GrantForm {
  const w = g.windows[0];
  return {
    rights: [...g.rights], scope: g.scope.kind, cameraIds: g.scope.kind === 'cameras' ? [...g.scope.ids] : [],
    groups: g.scope.kind === 'groups' ? [...g.scope.names] : [], windowOn: !!w, days: w ? [...w.days] : [1, 2, 3, 4, 5],
    from: w?.from ?? '08:00', to: w?.to ?? '18:00', timeZone: w?.timeZone ?? timeZone,
  };
}

export function formOfUser(u: User, timeZone: string): UserForm {
  return {
    isNew: false, name: u.name, displayName: u.displayName, password: '', confirm: '', roles: [...u.roles],
    grants: u.grants.map((g) => grantFormOf(g, timeZone)),
  };
}

/** Password rules (as message keys admin.problem.*): 8 characters or more, not the user name, typed the same twice. */
export function passwordProblems(name: string, password: string, confirm: string): string[] {
  const out: string[] = [];
  if ([...password].length < 8) out.push('admin.problem.passwordShort');
  if (password && password.trim().toLowerCase() === name.trim().toLowerCase()) out.push('admin.problem.passwordIsName');
  if (password !== confirm) out.push('admin.problem.passwordMismatch');
  return out;
}

/** The contract's grant for the form, or the problem (a message key admin.problem.*). */
export function grantOfForm(g: GrantForm): Grant | string {
  if (!g.rights.length) return 'admin.problem.noRights';
  const scope = g.scope === 'all' ? { kind: 'all' as const }
    : g.scope === 'cameras' ? { kind: 'cameras' as const, ids: g.cameraIds } : { kind: 'groups' as const, names: g.groups };
  if (scope.kind === 'cameras' && !scope.ids.length) return 'admin.problem.noCameras';
  if (scope.kind === 'groups' && !scope.names.length) return 'admin.problem.noGroups';
  if (scope.kind !== 'all' && g.rights.some((r) => CONSOLE_ONLY.includes(r))) return 'admin.problem.consoleRight';
  const windows = g.windowOn ? [{ days: [...g.days].sort((a, b) => a - b), from: g.from, to: g.to, timeZone: g.timeZone }] : [];
  if (g.windowOn && g.from === g.to) return 'admin.problem.window';
  const parsed = Grant.safeParse({ rights: g.rights, scope, windows });
  return parsed.success ? parsed.data : 'admin.problem.window';
}

/**
 * The contract's input for the form, or the problems (message keys). An existing user sends roles, grants and display
 * name; the password only when one was typed.
 */
export function inputOfForm(f: UserForm): { input: UserInputT | null; problems: string[] } {
  const problems: string[] = [];
  const grants: Grant[] = [];
  for (const g of f.grants) {
    const r = grantOfForm(g);
    if (typeof r === 'string') { if (!problems.includes(r)) problems.push(r); } else grants.push(r);
  }
  if (f.isNew || f.password || f.confirm) problems.push(...passwordProblems(f.name, f.password, f.confirm));
  const input: UserInputT = { name: f.name, displayName: f.displayName.trim() || f.name.trim(), roles: f.roles, grants };
  if (f.password) input.password = f.password;
  const parsed = UserInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === 'name' ? 'admin.problem.name' : issue.path[0] === 'roles' ? 'admin.problem.roles' : null;
      if (key && !problems.includes(key)) problems.push(key);
    }
  }
  return { input: problems.length ? null : input, problems };
}

/** A user's state for the list: disabled, locked (until when) or active. */
export function userState(u: User, now: number): 'disabled' | 'locked' | 'active' {
  if (u.disabled) return 'disabled';
  if (u.lockedUntil && u.lockedUntil > now) return 'locked';
  return 'active';
}
