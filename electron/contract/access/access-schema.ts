/**
 * People and rights (issue 12, sections 1 and 2): user names, roles, rights per camera and camera group, time windows,
 * and what a signed-in console knows about its user. Pure module (zod only): host and renderer both import it.
 */
import { z } from 'zod';
import { CameraId } from '../schemas.js';
import { unsafeNameChar } from '../names.js';
import { reasonParams } from '../api-errors.js';

/** Every right Kuzet checks. Camera rights apply per camera or camera group; the others need an all-cameras grant. */
export const RIGHTS = [
  'viewLive', 'viewRecordings', 'export', 'control', 'liftMasks', 'workAlarms', 'editRules', 'manageCameras', 'manageUsers', 'viewAudit',
  // export without privacy masks (issue 12 §3): no built-in role holds it; a custom role grants it where the law allows
  'exportUnmasked',
] as const;
export const Right = z.enum(RIGHTS);
export type Right = z.infer<typeof Right>;

/** Invisible format characters beyond what names.ts refuses (zero-width joiners, bidi marks): a user name has no use for them. */
const HIDDEN_CHARS = /[\p{Cf}\u2028\u2029]/u;

/**
 * Why a user name is not acceptable, or null when it is: 1-64 characters after trimming, no control characters, no
 * invisible format characters (a right-to-left override would show one name as another), no spaces, '/', ':' or '\'.
 * Case-insensitive: the stored key is `userKey(name)`. Control and direction characters are judged by names.ts.
 */
export function userNameProblem(raw: string): string | null {
  if (raw.length > 256) return `user name: at most 64 characters (got ${raw.length})`;
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) return 'user name is required';
  if ([...name].length > 64) return `user name: at most 64 characters (got ${[...name].length})`;
  const unsafe = unsafeNameChar(name); // the one validator of typed names (electron/contract/names.ts)
  if (unsafe) return `user name contains ${unsafe}: control or invisible characters are not allowed`;
  if (HIDDEN_CHARS.test(name)) return 'user name: control or invisible characters are not allowed';
  if (/[\s/\\:]/u.test(name)) return 'user name: spaces, "/", "\\" and ":" are not allowed';
  return null;
}
export function userKey(name: string): string { return name.normalize('NFC').trim().toLowerCase(); }

export const UserName = z.string().superRefine((v, ctx) => {
  const problem = userNameProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, params: reasonParams('badUserName') });
}).transform((v) => v.normalize('NFC').trim());

/** A password as typed: never trimmed; long enough to be a passphrase, short enough that hashing it is cheap. */
export const Password = z.string().min(1, 'password is required').max(1024, 'password: at most 1024 characters');
/** What a new password must be. */
export const NewPassword = z.string().min(8, 'the new password needs at least 8 characters').max(1024, 'password: at most 1024 characters');

export const RoleId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'role id: 1-32 of a-z 0-9 _ - (starting with a letter)');
export const BUILT_IN_ROLES = ['operator', 'supervisor', 'trainer', 'administrator', 'auditor'] as const;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time of day: HH:MM (00:00-23:59)');
/** An IANA time zone Intl knows (Asia/Almaty). */
export const TimeZone = z.string().min(1).max(64).refine((tz) => {
  try { new Intl.DateTimeFormat('en-GB', { timeZone: tz }); return true; } catch { return false; }
}, 'unknown time zone (use an IANA name such as Asia/Almaty)');

/**
 * When a grant applies: on the given weekdays (1 Monday .. 7 Sunday; all when empty), from `from` (inclusive) to `to`
 * (exclusive) local time in `timeZone`. `to` before `from` spans midnight (22:00-06:00).
 */
export const TimeWindow = z.object({
  days: z.array(z.number().int().min(1).max(7)).max(7).default([]),
  from: HHMM,
  to: HHMM,
  timeZone: TimeZone,
}).refine((w) => w.from !== w.to, 'a time window needs different from and to times');
export type TimeWindow = z.infer<typeof TimeWindow>;

/** Which cameras a grant covers: all of them, some by id, or some by group name. */
export const Scope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('cameras'), ids: z.array(CameraId).min(1).max(1000) }),
  z.object({ kind: z.literal('groups'), names: z.array(z.string().trim().min(1).max(200)).min(1).max(200) }),
]);
export type Scope = z.infer<typeof Scope>;

/** Rights on a scope, optionally only within time windows (any of them). */
export const Grant = z.object({
  rights: z.array(Right).min(1).max(RIGHTS.length),
  scope: Scope,
  windows: z.array(TimeWindow).max(14).default([]),
});
export type Grant = z.infer<typeof Grant>;

export const Role = z.object({
  id: RoleId,
  name: z.string().trim().min(1).max(100),
  builtIn: z.boolean().default(false),
  grants: z.array(Grant).max(100),
});
export type Role = z.infer<typeof Role>;

export const UserSource = z.enum(['local', 'directory']);

/** A user as an administrator sees it (never the password hash). */
export const User = z.object({
  name: z.string(),
  displayName: z.string(),
  source: UserSource,
  roles: z.array(RoleId),
  /** Extra grants for this user alone (a contractor's cameras). */
  grants: z.array(Grant),
  disabled: z.boolean(),
  /** Epoch ms until which sign-in is refused after too many failures; null when not locked. */
  lockedUntil: z.number().nullable(),
  createdAt: z.number(),
  passwordChangedAt: z.number().nullable(),
  lastSignInAt: z.number().nullable(),
});
export type User = z.infer<typeof User>;

/** Create or change a user. Omitted fields keep their value; `password` sets a new one; `unlock` clears a lockout. */
export const UserInput = z.object({
  name: UserName,
  displayName: z.string().trim().max(100).optional(),
  roles: z.array(RoleId).max(20).optional(),
  grants: z.array(Grant).max(100).optional(),
  disabled: z.boolean().optional(),
  password: NewPassword.optional(),
  unlock: z.boolean().optional(),
});
export type UserInput = z.input<typeof UserInput>;

export const SessionState = z.enum(['active', 'locked', 'ended']);
export type SessionState = z.infer<typeof SessionState>;

/** What a signed-in console knows about its user: who, which rights where (now), and the session's policy. */
export const Me = z.object({
  user: z.string(),
  displayName: z.string(),
  source: UserSource,
  roles: z.array(z.string()),
  /** Not secret: names the session in events and the audit (a hash of its id, not the id). */
  sessionRef: z.string(),
  state: SessionState,
  signedInAt: z.number(),
  /** Rights held on every camera right now. */
  global: z.array(Right),
  /** Camera rights held right now, per camera (cameras with none are absent). */
  cameras: z.record(z.string(), z.array(Right)),
  /** The console locks after this long without the operator touching it (0 = never). */
  idleLockMs: z.number().int().min(0),
  /** While locked, the wall keeps playing behind the lock screen. */
  wallPlaysWhenLocked: z.boolean(),
  /** The user's interface language, remembered on the host (`access.language`); null/absent: not chosen yet. */
  language: z.enum(['kk', 'ru', 'en']).nullable().optional(),
});
export type Me = z.infer<typeof Me>;

/** A session changed: locked after idle, ended by sign-out, hand-over or an administrator, or its rights changed. */
export const SessionEvent = z.object({
  sessionRef: z.string(),
  state: SessionState,
  reason: z.string(),
  me: Me.nullable(),
});
export type SessionEvent = z.infer<typeof SessionEvent>;
