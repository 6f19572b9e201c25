/**
 * The pure policy core: `can(subject, right, target, now)`. A subject's grants come from its roles and its own grants;
 * a grant gives rights on all cameras, some cameras or some camera groups, optionally only within time windows in a
 * named time zone. No grant, no right: everything not granted is refused. Pure (Intl only): unit-tested with a fake clock.
 */
import { RIGHTS, type Grant, type Right, type Role, type TimeWindow } from '../../contract/access/access-schema.js';

/** Who asks: a user that is not disabled, with every grant of their roles and their own. */
export interface Subject { user: string; disabled: boolean; grants: readonly Grant[] }

/**
 * What a right is asked on: one camera (with its group, if any), every camera (administration, the audit: the grant
 * must cover all cameras), or at least one camera (whether to show a control at all).
 */
export type Target = { kind: 'camera'; cameraId: string; group?: string | null | undefined } | { kind: 'all' } | { kind: 'any' };

/** Rights that only make sense for the whole console: they need an all-cameras grant whatever the target. */
export const CONSOLE_RIGHTS: readonly Right[] = ['manageUsers', 'viewAudit'];

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Weekday (1 Monday .. 7 Sunday) and minute of the day at `now` in `timeZone`. */
export function localTime(now: number, timeZone: string): { day: number; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  let day = 0, hour = 0, minute = 0;
  for (const p of f.formatToParts(now)) {
    if (p.type === 'weekday') day = WEEKDAYS[p.value] ?? 0;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `now` falls in the window. A window past midnight belongs to the day it starts on. */
export function inWindow(w: TimeWindow, now: number): boolean {
  const { day, minute } = localTime(now, w.timeZone);
  const from = minutesOf(w.from), to = minutesOf(w.to);
  const dayOk = (d: number) => w.days.length === 0 || w.days.includes(d);
  if (from < to) return minute >= from && minute < to && dayOk(day);
  if (minute >= from) return dayOk(day);
  return minute < to && dayOk(day === 1 ? 7 : day - 1);
}

function grantActive(g: Grant, now: number): boolean { return g.windows.length === 0 || g.windows.some((w) => inWindow(w, now)); }

function covers(g: Grant, right: Right, target: Target): boolean {
  if (!g.rights.includes(right)) return false;
  if (g.scope.kind === 'all') return true;
  if (target.kind === 'all' || CONSOLE_RIGHTS.includes(right)) return false;
  if (target.kind === 'any') return true;
  if (g.scope.kind === 'cameras') return g.scope.ids.includes(target.cameraId);
  return !!target.group && g.scope.names.includes(target.group);
}

/** The decision with the reason a refusal gives (no grant, outside its time window, user disabled). */
export function decide(subject: Subject, right: Right, target: Target, now: number): { allowed: boolean; reason: string } {
  if (subject.disabled) return { allowed: false, reason: 'user disabled' };
  let outsideWindow = false;
  for (const g of subject.grants) {
    if (!covers(g, right, target)) continue;
    if (grantActive(g, now)) return { allowed: true, reason: 'granted' };
    outsideWindow = true;
  }
  return { allowed: false, reason: outsideWindow ? 'outside the allowed hours' : 'not granted' };
}

export function can(subject: Subject, right: Right, target: Target, now: number): boolean {
  return decide(subject, right, target, now).allowed;
}

/** Every right the subject holds on the target now, in RIGHTS order. */
export function rightsOn(subject: Subject, target: Target, now: number): Right[] {
  return RIGHTS.filter((r) => can(subject, r, target, now));
}

/** The grants of a user: their roles' (unknown roles give nothing) and their own. */
export function grantsOf(roleIds: readonly string[], own: readonly Grant[], roles: ReadonlyMap<string, Role>): Grant[] {
  const out: Grant[] = [];
  for (const id of roleIds) out.push(...(roles.get(id)?.grants ?? []));
  out.push(...own);
  return out;
}

const ALL = { kind: 'all' } as const;
const grant = (rights: Right[]): Grant => ({ rights, scope: ALL, windows: [] });

/**
 * The built-in roles and their default grants (an administrator may change the grants, not remove the role).
 * Separation of duties: the administrator manages and reads the audit but does not lift privacy masks; the auditor
 * reads the audit and recordings and changes nothing.
 */
export const BUILT_IN_ROLE_DEFS: readonly Role[] = [
  { id: 'operator', name: 'Operator', builtIn: true, grants: [grant(['viewLive', 'viewRecordings', 'workAlarms', 'control'])] },
  { id: 'supervisor', name: 'Supervisor', builtIn: true, grants: [grant(['viewLive', 'viewRecordings', 'export', 'control', 'liftMasks', 'workAlarms', 'editRules'])] },
  { id: 'trainer', name: 'Trainer', builtIn: true, grants: [grant(['viewLive', 'viewRecordings', 'control'])] },
  { id: 'administrator', name: 'Administrator', builtIn: true, grants: [grant(['viewLive', 'viewRecordings', 'export', 'control', 'workAlarms', 'editRules', 'manageCameras', 'manageUsers', 'viewAudit'])] },
  { id: 'auditor', name: 'Auditor', builtIn: true, grants: [grant(['viewRecordings', 'viewAudit'])] },
];
