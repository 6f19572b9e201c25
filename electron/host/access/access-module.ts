/**
 * People and sessions in the host (issue 12): sign-in (local accounts and the directory), sessions bound to the
 * connections of a console, idle lock, sign-out, hand-over, brute-force throttling, users and roles, and the subject
 * whose rights the gate (gate.ts) checks for every request, frame and recording. Plain Node.
 *
 * A session token is 256 random bits, given to the console once; the host keeps only its SHA-256. The token belongs to
 * the console: a shift hand-over ends the previous user's session and starts the next one's behind the same token, so
 * the wall never stops; sign-out, an administrator disabling the user or removing them end it for good, and the token
 * is refused from then on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, type HostService } from '../../contract/api.js';
import type { ErrorReason } from '../../contract/api-errors.js';
import type { accessRequests } from '../../contract/access/access-api.js';
import { userKey, UserInput, type Me, type Role, type SessionEvent, type UserInput as UserInputT } from '../../contract/access/access-schema.js';
import type { Alarm } from '../../contract/alarms-schema.js';
import type { Logger } from '../log.js';
import type { NoticeBoard } from '../notices.js';
import { AccessStore, publicUser, type UserRow } from './access-store.js';
import { openAccessPolicy, type AccessPolicy } from './access-policy.js';
import { directorySignIn } from './directory.js';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { BUILT_IN_ROLE_DEFS, grantsOf, rightsOn, type Subject, type Target } from './policy.js';
import { BruteForceGuard } from './throttle.js';
import { ViewAudit, type Viewer } from './view-audit.js';
import { SignInTickets } from './sign-in-tickets.js';

type AccessHandlers = Pick<HostService, keyof typeof accessRequests>;

export interface CameraFact { id: string; group?: string | null | undefined }

export interface AccessModuleOptions {
  dataDir: string;
  log: Logger;
  notices?: NoticeBoard;
  cameras: () => readonly CameraFact[];
  /** Open alarms (hand-over lists those the next operator may work). */
  openAlarms: () => Alarm[] | Promise<Alarm[]>;
  /** Seed one user per role with the README's demo passwords (the demo city, tests). */
  demoUsers?: boolean;
  now?: () => number;
  /** Policy overrides (tests); otherwise access-policy.json. */
  policy?: AccessPolicy;
}

/** A live session (the row's in-memory twin). */
export interface LiveSession { ref: string; tokenHash: string; userKey: string; source: string; createdAt: number; lastActivity: number; state: 'active' | 'locked' }

/** One connection of a console: an API socket, a desktop window, a frame socket. */
export interface Binding { readonly clientId: string; readonly source: string; tokenHash: string | null; lastRef: string | null }

/** The demo's users (README, demo section). */
export const DEMO_USERS: ReadonlyArray<{ name: string; password: string; roles: string[]; displayName: string }> = [
  { name: 'operator', password: 'kuzet-operator', roles: ['operator'], displayName: 'Aigerim (operator)' },
  { name: 'supervisor', password: 'kuzet-supervisor', roles: ['supervisor'], displayName: 'Nurlan (supervisor)' },
  { name: 'trainer', password: 'kuzet-trainer', roles: ['trainer'], displayName: 'Dana (trainer)' },
  { name: 'admin', password: 'kuzet-admin', roles: ['administrator'], displayName: 'Timur (administrator)' },
  { name: 'auditor', password: 'kuzet-auditor', roles: ['auditor'], displayName: 'Saule (auditor)' },
  { name: 'contractor', password: 'kuzet-contractor', roles: ['contractor'], displayName: 'Contractor (day shift, one group)' },
];

/** The demo's custom role: live pictures of one camera group, 08:00-18:00 Almaty time, Monday to Friday. */
export const CONTRACTOR_ROLE: Role = {
  id: 'contractor', name: 'Contractor (day)', builtIn: false,
  grants: [{ rights: ['viewLive'], scope: { kind: 'groups', names: ['Medeu district'] }, windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', timeZone: 'Asia/Almaty' }] }],
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ANONYMOUS = 'anonymous';

function when(ms: number): string {
  return new Date(ms).toLocaleString('en-GB', { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
}

export class AccessModule {
  readonly store: AccessStore;
  readonly policy: AccessPolicy;
  private readonly guard: BruteForceGuard;
  private readonly now: () => number;
  private readonly sessions = new Map<string, LiveSession>(); // by token hash
  private readonly bindings = new Map<string, Binding>();
  private readonly listeners = new Set<(e: SessionEvent) => void>();
  private readonly changeListeners = new Set<(tokenHash: string) => void>();
  private roles = new Map<string, Role>();
  private readonly subjects = new Map<string, { subject: Subject; row: UserRow }>();
  private readonly fingerprints = new Map<string, string>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly dirty = new Set<string>();
  private closed = false;
  readonly handlers: AccessHandlers;
  /** Who watched what, live and recorded: view intervals in the access chain (view-audit.ts). */
  readonly views: ViewAudit;
  /** One-time sign-in tickets for the map window's own browser (issue 10, sign-in-tickets.ts). */
  readonly tickets: SignInTickets;
  /** Sessions signed in with a ticket -> the session that asked for it (token hashes): they end together. */
  private readonly handedTo = new Map<string, string>();

  constructor(private readonly opts: AccessModuleOptions) {
    this.now = opts.now ?? Date.now;
    this.store = new AccessStore(join(opts.dataDir, 'access.sqlite'), { onAuditProblem: (p) => this.problem(`Access audit: ${p}`) });
    this.policy = opts.policy ?? openAccessPolicy(opts.dataDir, opts.notices, opts.log);
    this.guard = new BruteForceGuard(this.policy.throttle, this.now);
    this.tickets = new SignInTickets(this.now);
    for (const def of BUILT_IN_ROLE_DEFS) if (!this.store.hasRole(def.id)) this.store.putRole(def);
    this.loadRoles();
    for (const u of this.store.listUsers()) {
      if (u.lockedUntil) this.guard.restoreLock(u.key, u.lockedUntil);
      if (u.problem) this.problem(`user ${u.name}: ${u.problem}; the user cannot sign in until an administrator saves it again`);
    }
    for (const s of this.store.liveSessions()) this.sessions.set(s.tokenHash, s);
    this.timer = setInterval(() => this.tick(), 5000);
    this.timer.unref?.();
    this.handlers = this.makeHandlers();
    this.views = new ViewAudit({
      now: this.now,
      write: (r) => {
        try {
          this.store.auditLog.append({ user: r.user, action: r.action, target: `camera:${r.cameraId}`, at: this.now(), details: { from: r.from, to: r.to, session: r.session, source: r.source, display: r.display } });
        } catch (err) { this.opts.log.error('audit write failed', { error: String(err) }); }
      },
    });
  }

  /** The viewer behind a binding for the viewing audit, or null without a session. */
  viewerOf(b: Binding | null, display?: string): Viewer | null {
    const s = this.closed ? null : this.sessionOf(b);
    if (!s || !b) return null;
    return { session: s.ref, user: this.store.getUser(s.userKey)?.name ?? s.userKey, source: b.source, display };
  }

  /** The viewer behind a session token (a /rec/ fetch), or null. */
  viewerOfToken(token: string | null, source: string, display?: string): Viewer | null {
    const s = token && !this.closed ? this.tokenSession(token) : null;
    return s ? { session: s.ref, user: this.store.getUser(s.userKey)?.name ?? s.userKey, source, display } : null;
  }

  /** Seeds users on a fresh store: the demo's, or one administrator with a random password written to a file. */
  async seed(): Promise<void> {
    if (this.opts.demoUsers) {
      if (!this.store.hasRole(CONTRACTOR_ROLE.id)) { this.store.putRole(CONTRACTOR_ROLE); this.loadRoles(); }
      for (const u of DEMO_USERS) {
        if (this.store.getUser(userKey(u.name))) continue;
        await this.createLocal(u.name, u.displayName, u.roles, u.password);
      }
      return;
    }
    if (this.store.countUsers() > 0) return;
    const password = randomBytes(12).toString('base64url');
    await this.createLocal('admin', 'Administrator', ['administrator'], password);
    const file = join(this.opts.dataDir, 'initial-admin-password.txt');
    if (!existsSync(file)) { writeFileSync(file, `user: admin\npassword: ${password}\n`, { mode: 0o600 }); chmodSync(file, 0o600); }
    this.opts.notices?.add('warning', `No users yet: an administrator "admin" was created; its password is in ${file}. Sign in and change it.`, { key: 'firstAdministrator', params: { file } });
    this.opts.log.warn('first start: administrator created', { file });
  }

  private async createLocal(name: string, displayName: string, roles: string[], password: string): Promise<void> {
    const t = this.now();
    this.store.putUser({
      key: userKey(name), name, displayName, source: 'local', roles, grants: [], disabled: false, passwordHash: await hashPassword(password),
      lockedUntil: null, createdAt: t, passwordChangedAt: t, lastSignInAt: null,
    });
  }

  private problem(message: string): void {
    this.opts.log.error(message);
    this.opts.notices?.add('error', message, { key: 'accessProblem', params: { problem: message } });
  }

  private loadRoles(): void {
    const { roles, broken } = this.store.listRoles();
    this.roles = new Map(roles.map((r) => [r.id, r]));
    for (const id of broken) this.problem(`Role "${id}" in the access store does not validate (edited by hand?): it grants nothing until an administrator saves it again.`);
    this.subjects.clear();
  }

  // ---------------------------------------------------------------- connections and sessions

  /** A connection opened; `token` is the session token it presented, if any (checked with tokenSession first). */
  connect(clientId: string, source: string, token?: string | null): Binding {
    const live = token ? this.tokenSession(token) : null;
    const b: Binding = { clientId, source, tokenHash: live?.tokenHash ?? null, lastRef: live?.ref ?? null };
    this.bindings.set(clientId, b);
    return b;
  }

  disconnect(clientId: string): void { this.bindings.delete(clientId); }

  /**
   * A connection of a window the console opened itself (a replay follower in the desktop shell): it is signed in to the
   * session of the connection that opened it, and ends with it, like that connection's own reload would.
   */
  connectAs(clientId: string, source: string, openerClientId: string): Binding {
    const opener = this.bindings.get(openerClientId);
    const b: Binding = { clientId, source, tokenHash: opener?.tokenHash ?? null, lastRef: opener?.lastRef ?? null };
    this.bindings.set(clientId, b);
    return b;
  }

  binding(clientId: string): Binding | null { return this.bindings.get(clientId) ?? null; }

  /** The live session of a token, or null (unknown, ended, replayed after sign-out). */
  tokenSession(token: string): LiveSession | null {
    if (typeof token !== 'string' || token.length < 20 || token.length > 200) return null;
    return this.sessions.get(sha256(token)) ?? null;
  }

  sessionOf(b: Binding | null): LiveSession | null { return b?.tokenHash ? this.sessions.get(b.tokenHash) ?? null : null; }

  /** The live session of a ref (as kept by another store), or null: ended, or never known. */
  sessionByRef(ref: string): LiveSession | null {
    for (const s of this.sessions.values()) if (s.ref === ref) return s;
    return null;
  }

  /** The user behind a session with their grants, or null when the user is gone. */
  subjectOf(s: LiveSession): Subject | null { return this.subjectByKey(s.userKey); }

  /**
   * A user by name with their grants now, or null when no such user exists: for work the host goes on doing for a
   * user after their session (a follow of a unit, map/follow-host.ts). The caller checks `disabled`.
   */
  subjectOfUser(name: string): Subject | null { return this.subjectByKey(userKey(name)); }

  private subjectByKey(key: string): Subject | null {
    let hit = this.subjects.get(key);
    if (!hit) {
      const row = this.store.getUser(key);
      if (!row) return null;
      hit = { row, subject: { user: row.name, disabled: row.disabled, grants: grantsOf(row.roles, row.grants, this.roles) } };
      this.subjects.set(key, hit);
    }
    return hit.subject;
  }

  /** The camera target (with its group) for a camera id. */
  cameraTarget(cameraId: string): Target {
    const cam = this.opts.cameras().find((c) => c.id === cameraId);
    return { kind: 'camera', cameraId, group: cam?.group ?? null };
  }

  meOf(s: LiveSession): Me | null {
    const subject = this.subjectOf(s);
    const row = this.subjects.get(s.userKey)?.row;
    if (!subject || !row) return null;
    const t = this.now();
    const cameras: Record<string, Me['global']> = {};
    for (const c of this.opts.cameras()) {
      const r = rightsOn(subject, { kind: 'camera', cameraId: c.id, group: c.group ?? null }, t);
      if (r.length) cameras[c.id] = r;
    }
    return {
      user: row.name, displayName: row.displayName, source: row.source, roles: row.roles, sessionRef: s.ref, state: s.state,
      signedInAt: s.createdAt, global: rightsOn(subject, { kind: 'all' }, t), cameras,
      idleLockMs: Math.round(this.policy.idleLockMinutes * 60_000), wallPlaysWhenLocked: this.policy.wallPlaysWhenLocked,
      language: this.store.userLanguage(row.key),
    };
  }

  onSession(cb: (e: SessionEvent) => void): () => void { this.listeners.add(cb); return () => this.listeners.delete(cb); }
  /** A session's rights or state changed (frame sockets re-check what they send). */
  onSessionChange(cb: (tokenHash: string) => void): () => void { this.changeListeners.add(cb); return () => this.changeListeners.delete(cb); }

  private emit(s: LiveSession, state: SessionEvent['state'], reason: string): void {
    const e: SessionEvent = { sessionRef: s.ref, state, reason, me: state === 'ended' ? null : this.meOf(s) };
    for (const l of this.listeners) l(e);
    for (const l of this.changeListeners) l(s.tokenHash);
  }

  /**
   * Writes an access-chain entry; a failure is logged, never thrown. `durable`: stored before this returns (sign-ins,
   * sessions, refusals, rights changes); otherwise with its batch, within 20 ms (group commit, electron/host/audit/audit-log.ts).
   */
  audit(actor: string, action: string, subject: string, detail: string, durable = false): void {
    try { this.store.audit({ at: this.now(), actor, action, subject, detail, durable }); } catch (err) { this.opts.log.error('audit write failed', { error: String(err) }); }
  }

  /** Who a binding acts as, for the audit: the user, or anonymous@source. */
  actorOf(b: Binding | null): string {
    const s = this.sessionOf(b);
    const row = s ? this.store.getUser(s.userKey) : null;
    return row?.name ?? `${ANONYMOUS}@${b?.source ?? 'unknown'}`;
  }

  /** The operator touched the console. */
  activity(s: LiveSession): void {
    if (s.state !== 'active') return;
    const t = this.now();
    if (t - s.lastActivity > 1000) { s.lastActivity = t; this.dirty.add(s.ref); }
  }

  private startSession(user: UserRow, source: string, tokenHash?: string): { token: string | null; live: LiveSession } {
    const token = tokenHash ? null : randomBytes(32).toString('base64url');
    const t = this.now();
    const live: LiveSession = { ref: randomBytes(12).toString('hex'), tokenHash: tokenHash ?? sha256(token!), userKey: user.key, source, createdAt: t, lastActivity: t, state: 'active' };
    this.store.insertSession(live);
    this.store.setSignedIn(user.key, t);
    this.sessions.set(live.tokenHash, live);
    this.subjects.delete(user.key);
    this.audit(user.name, 'session.start', live.ref, `signed in from ${source}${tokenHash ? ' (hand-over)' : ''}`, true);
    return { token, live };
  }

  /**
   * Ends a session; its token is refused from now on. Connections stay open and unbound (they see the sign-in page).
   * With `keepToken` (hand-over) the token stays bound to the console for the next user's session.
   */
  endSession(s: LiveSession, reason: string, keepToken = false): void {
    if (!this.store.endSession(s.ref, this.now(), reason) && !this.sessions.has(s.tokenHash)) return;
    if (!keepToken) this.sessions.delete(s.tokenHash);
    this.dirty.delete(s.ref);
    this.fingerprints.delete(s.ref);
    const row = this.store.getUser(s.userKey);
    this.audit(row?.name ?? s.userKey, 'session.end', s.ref, reason, true);
    // a map window signed in with a ticket of this session ends with it (sign-out, hand-over, locked too long)
    this.handedTo.delete(s.tokenHash);
    for (const [child, parent] of [...this.handedTo]) {
      const c = parent === s.tokenHash ? this.sessions.get(child) : null;
      if (c) this.endSession(c, `the console that opened it: ${reason}`);
    }
    if (keepToken) return; // hand-over: the console carries on as the next user's session (announced by the caller)
    for (const b of this.bindings.values()) if (b.tokenHash === s.tokenHash) b.tokenHash = null;
    this.emit(s, 'ended', reason);
  }

  private endSessionsOf(key: string, reason: string): void {
    for (const s of [...this.sessions.values()]) if (s.userKey === key) this.endSession(s, reason);
  }

  /** Idle lock, rights that change with the clock (time windows), sessions locked for too long; persists activity. */
  tick(): void {
    const t = this.now();
    const idle = this.policy.idleLockMinutes * 60_000;
    for (const s of [...this.sessions.values()]) {
      if (s.state === 'active' && idle > 0 && t - s.lastActivity >= idle) {
        s.state = 'locked';
        this.dirty.add(s.ref);
        this.audit(this.store.getUser(s.userKey)?.name ?? s.userKey, 'session.locked', s.ref, `idle for ${Math.round((t - s.lastActivity) / 60_000)} min`, true);
        this.emit(s, 'locked', 'idle');
        continue;
      }
      if (s.state === 'locked' && t - s.lastActivity > 12 * 3600_000) { this.endSession(s, 'locked for over 12 hours'); continue; }
      const me = this.meOf(s);
      const fp = me ? JSON.stringify([me.global, me.cameras]) : '';
      const before = this.fingerprints.get(s.ref);
      this.fingerprints.set(s.ref, fp);
      if (before !== undefined && before !== fp) this.emit(s, s.state, 'rights changed');
    }
    if (this.dirty.size) {
      const rows = [...this.dirty].map((ref) => [...this.sessions.values()].find((s) => s.ref === ref)).filter((s): s is LiveSession => !!s);
      this.dirty.clear();
      try { this.store.touchSessions(rows); } catch (err) { this.opts.log.warn('session activity not saved', { error: String(err) }); }
    }
  }

  // ---------------------------------------------------------------- sign-in

  /** Checks a user name and password (local account or directory); throws a ContractError the sign-in page shows. */
  async authenticate(nameIn: string, password: string, source: string): Promise<UserRow> {
    const key = userKey(nameIn);
    const refuse = (code: 'unauthenticated' | 'forbidden' | 'unavailable', message: string, action = 'signin.failed', reason?: ErrorReason): never => {
      this.audit(nameIn, action, key, `${message} (from ${source})`, true);
      throw new ContractError(code, message, reason);
    };
    const verdict = this.guard.check(key, source);
    if (!verdict.ok) {
      const who = verdict.scope === 'user' ? 'this account' : 'this console';
      const seconds = Math.ceil((verdict.until - this.now()) / 1000);
      refuse('forbidden', verdict.kind === 'locked'
        ? `too many failed sign-ins: ${who} is locked until ${when(verdict.until)}`
        : `too many failed sign-ins: wait ${seconds} s before trying again`, 'signin.throttled',
      verdict.kind === 'locked' ? { code: 'signInLocked', params: { until: verdict.until } } : { code: 'signInWait', params: { seconds } });
    }
    let row = this.store.getUser(key);
    let ok = false;
    const dir = this.policy.directory;
    if (row?.source === 'local') ok = await verifyPassword(password, row.passwordHash);
    else if (dir && (!row || row.source === 'directory')) {
      const r = await directorySignIn(dir, nameIn, password);
      if (!r.ok && (r.kind === 'unreachable' || r.kind === 'timeout')) refuse('unavailable', `${r.message}; local accounts can still sign in`, 'signin.directory-down', { code: 'directoryDown', params: {} });
      if (!r.ok && r.kind === 'no-role') refuse('forbidden', r.message, 'signin.failed', { code: 'directoryNoRole', params: {} });
      if (r.ok) {
        ok = true;
        const t = this.now();
        const next: Omit<UserRow, 'problem'> = {
          key, name: row?.name ?? nameIn, displayName: r.displayName, source: 'directory', roles: r.roles, grants: row?.grants ?? [],
          disabled: row?.disabled ?? false, passwordHash: null, lockedUntil: null, createdAt: row?.createdAt ?? t, passwordChangedAt: null, lastSignInAt: row?.lastSignInAt ?? null,
        };
        this.store.putUser(next);
        this.subjects.delete(key);
        row = this.store.getUser(key);
      }
    } else await burnPasswordCheck(password);
    if (!ok || !row) {
      const after = this.guard.failure(key, source);
      let message = 'wrong user name or password';
      let reason: ErrorReason = { code: 'signInWrong', params: {} };
      if (!after.ok && after.kind === 'locked') {
        message += `; too many failed sign-ins: ${after.scope === 'user' ? 'this account' : 'this console'} is locked until ${when(after.until)}`;
        reason = { code: 'signInLocked', params: { until: after.until } };
        if (after.scope === 'user' && row) this.store.setLockedUntil(key, after.until);
      }
      refuse('unauthenticated', message, 'signin.failed', reason);
    }
    const user = row!;
    if (user.disabled) {
      refuse('forbidden', user.problem ? 'this account cannot be used (its stored record is damaged): ask an administrator' : 'this account is disabled', 'signin.failed',
        { code: user.problem ? 'accountDamaged' : 'accountDisabled', params: {} });
    }
    this.guard.success(key);
    if (user.lockedUntil) this.store.setLockedUntil(key, null);
    if (user.source === 'local' && user.passwordHash && needsRehash(user.passwordHash)) this.store.setPassword(key, await hashPassword(password), user.passwordChangedAt ?? this.now());
    return user;
  }

  /** Signs a user in on a connection (ending the session it had); returns the token once. */
  async signIn(clientId: string, name: string, password: string): Promise<{ sessionToken: string; me: Me }> {
    const b = this.bindings.get(clientId) ?? this.connect(clientId, clientId);
    const user = await this.authenticate(name, password, b.source);
    const previous = this.sessionOf(b);
    if (previous) this.endSession(previous, `${user.name} signed in on the console`);
    const { token, live } = this.startSession(user, b.source);
    b.tokenHash = live.tokenHash;
    b.lastRef = live.ref;
    return { sessionToken: token!, me: this.meOf(live)! };
  }

  /**
   * A one-time sign-in ticket for the user signed in on this connection (the map window's browser, issue 10): good
   * once, for 60 s, while this session lasts. Not written to the audit: its use is (`signin.ticket`).
   */
  mintTicket(clientId: string): string {
    const { s } = this.bound(clientId);
    return this.tickets.mint({ userKey: s.userKey, parentTokenHash: s.tokenHash });
  }

  /** Signs a connection in with a ticket: a session of its own for the ticket's user, ending with the session that asked. */
  signInTicket(clientId: string, ticket: string): { sessionToken: string; me: Me } {
    const b = this.bindings.get(clientId) ?? this.connect(clientId, clientId);
    const refuse = (code: ErrorReason['code'], message: string, actor = `${ANONYMOUS}@${b.source}`): never => {
      this.audit(actor, 'signin.ticket-refused', 'ticket', `${message} (from ${b.source})`, true);
      throw new ContractError('unauthenticated', message, { code, params: {} });
    };
    const r = this.tickets.redeem(ticket);
    if (!r.ok) {
      refuse(r.refusal, r.refusal === 'ticketUsed' ? 'this sign-in ticket was used already: sign in'
        : r.refusal === 'ticketExpired' ? 'this sign-in ticket expired: sign in' : 'not a sign-in ticket of this console: sign in');
      throw new Error('unreachable');
    }
    const parent = this.sessions.get(r.grant.parentTokenHash);
    const user = this.store.getUser(r.grant.userKey);
    if (!parent || parent.userKey !== r.grant.userKey) refuse('ticketSessionEnded', 'the session that opened this window has ended: sign in', user?.name);
    if (!user) refuse('userGone', 'this user no longer exists: sign in again');
    if (user!.disabled) refuse('accountDisabled', 'this account is disabled', user!.name);
    const previous = this.sessionOf(b);
    if (previous) this.endSession(previous, `${user!.name} signed in on the console with a ticket`);
    const { token, live } = this.startSession(user!, b.source);
    this.handedTo.set(live.tokenHash, parent!.tokenHash);
    this.audit(user!.name, 'signin.ticket', live.ref, `map window signed in with a ticket of session ${parent!.ref} (from ${b.source})`, true);
    b.tokenHash = live.tokenHash;
    b.lastRef = live.ref;
    return { sessionToken: token!, me: this.meOf(live)! };
  }

  /**
   * The session ref of the console a connection's map belongs to: the session that minted the ticket it signed in with,
   * or its own (a popup shares the wall's session). Null without a session.
   */
  consoleRefOf(clientId: string): string | null {
    const s = this.sessionOf(this.bindings.get(clientId) ?? null);
    if (!s) return null;
    const parent = this.handedTo.get(s.tokenHash);
    return (parent ? this.sessions.get(parent)?.ref : null) ?? s.ref;
  }

  /** A session for the demo's console (starts signed in as the operator). */
  async demoToken(name = 'operator'): Promise<string | null> {
    const row = this.store.getUser(userKey(name));
    if (!row || row.disabled) return null;
    return this.startSession(row, 'demo').token;
  }

  // ---------------------------------------------------------------- handlers

  private bound(clientId: string): { b: Binding; s: LiveSession; row: UserRow } {
    const b = this.bindings.get(clientId) ?? null;
    const s = this.sessionOf(b);
    const row = s ? this.store.getUser(s.userKey) : null;
    if (!b || !s || !row) throw new ContractError('unauthenticated', 'not signed in', { code: 'notSignedIn', params: {} });
    return { b, s, row };
  }

  private makeHandlers(): AccessHandlers {
    return {
      'access.whoami': (_p, ctx) => {
        const s = this.sessionOf(this.bindings.get(ctx.clientId) ?? null);
        return { me: s ? this.meOf(s) : null, directory: !!this.policy.directory };
      },
      'access.signIn': ({ user, password }, ctx) => this.signIn(ctx.clientId, user, password),
      'access.signInTicket': ({ ticket }, ctx) => this.signInTicket(ctx.clientId, ticket),
      'access.signOut': (_p, ctx) => {
        const { s } = this.bound(ctx.clientId);
        this.endSession(s, 'signed out');
        return { ok: true as const };
      },
      'access.activity': (_p, ctx) => { this.activity(this.bound(ctx.clientId).s); return { ok: true as const }; },
      'access.lock': (_p, ctx) => {
        const { s, row } = this.bound(ctx.clientId);
        if (s.state === 'active') {
          s.state = 'locked';
          this.dirty.add(s.ref);
          this.audit(row.name, 'session.locked', s.ref, 'locked by the operator', true);
          this.emit(s, 'locked', 'locked by the operator');
        }
        return { ok: true as const };
      },
      'access.unlock': async ({ password }, ctx) => {
        const { b, s, row } = this.bound(ctx.clientId);
        await this.authenticate(row.name, password, b.source);
        s.state = 'active';
        s.lastActivity = this.now();
        this.dirty.add(s.ref);
        this.audit(row.name, 'session.unlocked', s.ref, `unlocked from ${b.source}`, true);
        this.emit(s, 'active', 'unlocked');
        return { me: this.meOf(s)! };
      },
      'access.handOver': async ({ user, password }, ctx) => {
        const b = this.bindings.get(ctx.clientId) ?? this.connect(ctx.clientId, ctx.clientId);
        const next = await this.authenticate(user, password, b.source);
        const previous = this.sessionOf(b);
        const from = previous ? this.store.getUser(previous.userKey)?.name ?? null : null;
        let live: LiveSession;
        if (previous) {
          this.endSession(previous, `hand-over to ${next.name}`, true);
          this.sessions.delete(previous.tokenHash);
          live = this.startSession(next, b.source, previous.tokenHash).live;
          for (const other of this.bindings.values()) if (other.tokenHash === previous.tokenHash) other.lastRef = live.ref;
        } else {
          throw new ContractError('unauthenticated', 'nothing to hand over: sign in first', { code: 'notSignedIn', params: {} });
        }
        const subject = this.subjectOf(live)!;
        const t = this.now();
        const openAlarms = (await this.opts.openAlarms()).filter((a) => rightsOn(subject, this.cameraTarget(a.cameraId), t).includes('workAlarms'));
        this.audit(next.name, 'shift.handover', live.ref, `took over from ${from ?? 'nobody'}: ${openAlarms.length} open alarms`, true);
        this.emit(live, 'active', `hand-over from ${from ?? 'nobody'}`);
        return { me: this.meOf(live)!, from, openAlarms };
      },
      'access.language': ({ language }, ctx) => {
        const { row } = this.bound(ctx.clientId);
        this.store.setUserLanguage(row.key, language);
        // every window of this user (the wall's and the map window's own session) hears of it and follows
        for (const live of this.sessions.values()) if (live.userKey === row.key) this.emit(live, live.state, 'language');
        return { ok: true as const };
      },
      'access.changePassword': async ({ current, next }, ctx) => {
        const { b, row } = this.bound(ctx.clientId);
        if (row.source !== 'local') throw new ContractError('invalid', 'a directory account changes its password in the directory', { code: 'directoryPassword', params: {} });
        await this.authenticate(row.name, current, b.source);
        if (current === next) throw new ContractError('invalid', 'the new password must differ from the current one', { code: 'passwordSame', params: {} });
        this.store.setPassword(row.key, await hashPassword(next), this.now());
        this.audit(row.name, 'user.password', row.key, 'changed own password', true);
        return { ok: true as const };
      },
      'access.users.list': () => this.store.listUsers().map((u) => publicUser(u, this.guard.lockedUntil(u.key) ?? (u.lockedUntil && u.lockedUntil > this.now() ? u.lockedUntil : null))),
      'access.users.save': async ({ user }, ctx) => this.saveUser(user, this.actorOf(this.bindings.get(ctx.clientId) ?? null)),
      'access.users.remove': ({ name }, ctx) => {
        const key = userKey(name);
        const actor = this.actorOf(this.bindings.get(ctx.clientId) ?? null);
        if (userKey(actor) === key) throw new ContractError('invalid', 'you cannot remove your own account', { code: 'selfRemove', params: {} });
        this.endSessionsOf(key, `user removed by ${actor}`);
        if (!this.store.removeUser(key)) throw new ContractError('not-found', `no user "${name}"`, { code: 'noUser', params: { name: name.slice(0, 200) } });
        this.subjects.delete(key);
        this.audit(actor, 'user.remove', key, `removed ${name}`, true);
        return { ok: true as const };
      },
      'access.roles.list': () => [...this.roles.values()],
      'access.roles.save': ({ role }, ctx) => {
        const actor = this.actorOf(this.bindings.get(ctx.clientId) ?? null);
        const builtIn = BUILT_IN_ROLE_DEFS.some((d) => d.id === role.id);
        const saved: Role = { ...role, builtIn };
        this.store.putRole(saved);
        this.loadRoles();
        this.audit(actor, 'role.save', role.id, JSON.stringify(saved.grants).slice(0, 2000), true);
        this.rightsChanged();
        return saved;
      },
      'access.roles.remove': ({ id }, ctx) => {
        const actor = this.actorOf(this.bindings.get(ctx.clientId) ?? null);
        if (BUILT_IN_ROLE_DEFS.some((d) => d.id === id)) throw new ContractError('invalid', `"${id}" is a built-in role: change its grants instead`, { code: 'roleBuiltIn', params: { role: id } });
        if (!this.store.removeRole(id)) throw new ContractError('not-found', `no role "${id}"`, { code: 'noRole', params: { role: id } });
        this.loadRoles();
        this.audit(actor, 'role.remove', id, '', true);
        this.rightsChanged();
        return { ok: true as const };
      },
    };
  }

  /** Roles or grants changed: every live session learns its new rights, frame sockets re-check. */
  private rightsChanged(): void {
    this.subjects.clear();
    for (const s of this.sessions.values()) this.emit(s, s.state, 'rights changed');
  }

  async saveUser(input: UserInputT, actor: string): Promise<ReturnType<typeof publicUser>> {
    const u = UserInput.parse(input);
    const key = userKey(u.name);
    for (const r of u.roles ?? []) if (!this.roles.has(r)) throw new ContractError('invalid', `roles: no role "${r}"`, { code: 'noRole', params: { role: r } });
    const old = this.store.getUser(key);
    if (!old && !u.password && !this.policy.directory) throw new ContractError('invalid', 'password: a new local user needs a password', { code: 'passwordMissing', params: {} });
    if (userKey(actor) === key && u.disabled) throw new ContractError('invalid', 'you cannot disable your own account', { code: 'selfDisable', params: {} });
    if (u.password && userKey(u.password) === key) throw new ContractError('invalid', 'password: must not be the user name', { code: 'passwordIsName', params: {} });
    const t = this.now();
    const row: Omit<UserRow, 'problem'> = {
      key, name: old?.name ?? u.name, displayName: u.displayName ?? old?.displayName ?? u.name, source: old?.source ?? (u.password ? 'local' : 'directory'),
      roles: u.roles ?? old?.roles ?? [], grants: u.grants ?? old?.grants ?? [], disabled: u.disabled ?? (old?.problem ? false : old?.disabled ?? false),
      passwordHash: u.password ? await hashPassword(u.password) : old?.passwordHash ?? null, lockedUntil: u.unlock ? null : old?.lockedUntil ?? null,
      createdAt: old?.createdAt ?? t, passwordChangedAt: u.password ? t : old?.passwordChangedAt ?? null, lastSignInAt: old?.lastSignInAt ?? null,
    };
    if (u.password && row.source === 'directory') throw new ContractError('invalid', 'password: a directory user signs in with the directory password', { code: 'directoryPassword', params: {} });
    this.store.putUser(row);
    if (u.unlock) this.guard.clear(key);
    this.subjects.delete(key);
    // a rights change says what the user may do now (roles, grants, enabled), never the password
    const changes = Object.keys(input).filter((k) => k !== 'name').map((k) => (k === 'password' ? 'password reset' : k));
    const after: Record<string, unknown> = { changes: changes.length ? changes : ['no change'] };
    if (u.roles) after.roles = row.roles;
    if (u.grants) after.grants = row.grants;
    if (u.disabled !== undefined) after.disabled = row.disabled;
    if (old && u.roles && JSON.stringify(old.roles) !== JSON.stringify(row.roles)) after.rolesBefore = old.roles;
    this.audit(actor, old ? 'user.update' : 'user.create', key, JSON.stringify(after).slice(0, 4000), true);
    if (row.disabled && !old?.disabled) this.endSessionsOf(key, `user disabled by ${actor}`);
    else for (const s of this.sessions.values()) if (s.userKey === key) this.emit(s, s.state, 'rights changed');
    return publicUser(this.store.getUser(key)!, this.guard.lockedUntil(key));
  }

  close(): void {
    clearInterval(this.timer);
    this.views.flush();
    // the host stops its map window's browser: the session it signed in with ends too
    for (const child of [...this.handedTo.keys()]) { const c = this.sessions.get(child); if (c) this.endSession(c, 'the host stopped'); }
    this.closed = true; // sockets closing after this (shutdown) find no viewer: nothing more to write
    this.tick();
    this.store.close();
  }
}
