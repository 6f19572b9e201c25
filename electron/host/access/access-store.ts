/**
 * Users, roles and sessions in SQLite (`<dataDir>/access.sqlite`, better-sqlite3 like the alarm store): transactions,
 * WAL, a method that returned has committed, and rows that fail validation (edited by hand) are refused one by one
 * (fail closed: a bad role grants nothing, a bad user cannot sign in) instead of taking the store down. Chosen over the
 * JSON settings store because sessions and failure counts change at every sign-in and must never lose a user on a
 * crash mid-write. Session ids are never stored: only their SHA-256.
 */
import Database from 'better-sqlite3';
import { z } from 'zod';
import { Grant, Role, RoleId, type User } from '../../contract/access/access-schema.js';
import { dirname } from 'node:path';
import { AuditLog, GROUP_COMMIT } from '../audit/audit-log.js';
import { CheckpointLog, checkpointFile } from '../audit/checkpoint-log.js';
import { SqliteAuditStorage } from '../audit/sqlite-storage.js';
import { ACCESS_CHAIN } from '../audit/verify-data-dir.js';
import { loadOrCreateSigningKey } from '../export/signing-key.js';
import { openStore } from '../sqlite.js';

/** An audit row as stored (the shared SQLite chain's column names). */
export interface AccessAuditRow { seq: number; at: number; actor: string; console: string; action: string; subject: string; detail: string }

export interface UserRow {
  key: string;
  name: string;
  displayName: string;
  source: 'local' | 'directory';
  roles: string[];
  grants: Grant[];
  disabled: boolean;
  passwordHash: string | null;
  lockedUntil: number | null;
  createdAt: number;
  passwordChangedAt: number | null;
  lastSignInAt: number | null;
  /** Set when the stored row did not validate: the user is treated as disabled. */
  problem: string | null;
}

export interface SessionRow { ref: string; tokenHash: string; userKey: string; source: string; createdAt: number; lastActivity: number; state: 'active' | 'locked' }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (key TEXT PRIMARY KEY, name TEXT NOT NULL, display_name TEXT NOT NULL, source TEXT NOT NULL,
  roles TEXT NOT NULL, grants TEXT NOT NULL, disabled INTEGER NOT NULL, password_hash TEXT, locked_until INTEGER,
  created_at INTEGER NOT NULL, password_changed_at INTEGER, last_sign_in_at INTEGER);
CREATE TABLE IF NOT EXISTS roles (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (ref TEXT PRIMARY KEY, token_hash TEXT NOT NULL, user_key TEXT NOT NULL, source TEXT NOT NULL,
  created_at INTEGER NOT NULL, last_activity INTEGER NOT NULL, state TEXT NOT NULL, ended_at INTEGER, end_reason TEXT);
CREATE INDEX IF NOT EXISTS sessions_live ON sessions(ended_at, token_hash);
CREATE TABLE IF NOT EXISTS user_prefs (key TEXT PRIMARY KEY, language TEXT);
`;

const StringList = z.array(z.string());

export class AccessStore {
  readonly db: Database.Database;
  /** Sign-ins, sessions, refusals, user and role changes: the anchored chain 'access' (electron/host/audit/). */
  readonly auditLog: AuditLog;

  constructor(file: string, opts: { onAuditProblem?: (problem: string) => void } = {}) {
    this.db = openStore(file, SCHEMA, { schemaVersion: '1' });
    const dataDir = dirname(file);
    this.auditLog = new AuditLog({
      chain: ACCESS_CHAIN, storage: new SqliteAuditStorage(this.db), checkpoints: new CheckpointLog(checkpointFile(dataDir, ACCESS_CHAIN)),
      key: loadOrCreateSigningKey(dataDir), groupCommit: GROUP_COMMIT, ...(opts.onAuditProblem ? { onProblem: opts.onAuditProblem } : {}),
    });
  }

  /** Queued audit entries are written first, so a rollback never takes them with it. */
  transaction<T>(fn: () => T): T { if (!this.db.inTransaction) this.auditLog.flush(); return this.db.transaction(fn)(); }

  // ---- users ----
  private rowToUser(r: Record<string, unknown>): UserRow {
    let problem: string | null = null;
    const parseJson = <T>(text: unknown, schema: z.ZodType<T>, what: string, fallback: T): T => {
      try {
        const v = schema.safeParse(JSON.parse(String(text)));
        if (v.success) return v.data;
        problem = `${what}: ${v.error.issues[0]?.message ?? 'invalid'}`;
      } catch { problem = `${what}: not JSON`; }
      return fallback;
    };
    const roles = parseJson(r.roles, StringList, 'roles', []);
    const grants = parseJson(r.grants, z.array(Grant), 'grants', []);
    const source = r.source === 'local' || r.source === 'directory' ? r.source : (problem = 'source: unknown', 'local' as const);
    return {
      key: String(r.key), name: String(r.name), displayName: String(r.display_name), source, roles, grants,
      disabled: r.disabled !== 0 || problem !== null, passwordHash: (r.password_hash as string | null) ?? null,
      lockedUntil: (r.locked_until as number | null) ?? null, createdAt: Number(r.created_at),
      passwordChangedAt: (r.password_changed_at as number | null) ?? null, lastSignInAt: (r.last_sign_in_at as number | null) ?? null, problem,
    };
  }

  getUser(key: string): UserRow | null {
    const r = this.db.prepare(`SELECT * FROM users WHERE key = ?`).get(key) as Record<string, unknown> | undefined;
    return r ? this.rowToUser(r) : null;
  }

  listUsers(): UserRow[] {
    return (this.db.prepare(`SELECT * FROM users ORDER BY key`).all() as Record<string, unknown>[]).map((r) => this.rowToUser(r));
  }

  countUsers(): number { return (this.db.prepare(`SELECT COUNT(*) AS n FROM users`).get() as { n: number }).n; }

  putUser(u: Omit<UserRow, 'problem'>): void {
    this.db.prepare(`INSERT INTO users(key, name, display_name, source, roles, grants, disabled, password_hash, locked_until, created_at, password_changed_at, last_sign_in_at)
      VALUES (@key, @name, @displayName, @source, @roles, @grants, @disabled, @passwordHash, @lockedUntil, @createdAt, @passwordChangedAt, @lastSignInAt)
      ON CONFLICT(key) DO UPDATE SET name = excluded.name, display_name = excluded.display_name, source = excluded.source, roles = excluded.roles,
        grants = excluded.grants, disabled = excluded.disabled, password_hash = excluded.password_hash, locked_until = excluded.locked_until,
        password_changed_at = excluded.password_changed_at, last_sign_in_at = excluded.last_sign_in_at`)
      .run({ ...u, roles: JSON.stringify(u.roles), grants: JSON.stringify(u.grants), disabled: u.disabled ? 1 : 0 });
  }

  setLockedUntil(key: string, until: number | null): void { this.db.prepare(`UPDATE users SET locked_until = ? WHERE key = ?`).run(until, key); }
  setSignedIn(key: string, at: number): void { this.db.prepare(`UPDATE users SET last_sign_in_at = ? WHERE key = ?`).run(at, key); }
  setPassword(key: string, hash: string, at: number): void { this.db.prepare(`UPDATE users SET password_hash = ?, password_changed_at = ? WHERE key = ?`).run(hash, at, key); }
  removeUser(key: string): boolean { return this.db.prepare(`DELETE FROM users WHERE key = ?`).run(key).changes > 0; }

  // ---- roles ----
  /** Valid roles by id, and the ids of rows that did not validate (they grant nothing). */
  listRoles(): { roles: Role[]; broken: string[] } {
    const roles: Role[] = [];
    const broken: string[] = [];
    for (const r of this.db.prepare(`SELECT id, body FROM roles ORDER BY id`).all() as { id: string; body: string }[]) {
      let parsed: ReturnType<typeof Role.safeParse> | null = null;
      try { parsed = Role.safeParse(JSON.parse(r.body)); } catch { /* not JSON */ }
      if (parsed?.success && parsed.data.id === r.id) roles.push(parsed.data); else broken.push(r.id);
    }
    return { roles, broken };
  }
  hasRole(id: string): boolean { return !!this.db.prepare(`SELECT 1 FROM roles WHERE id = ?`).get(id); }
  putRole(role: Role): void { this.db.prepare(`INSERT INTO roles(id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body`).run(RoleId.parse(role.id), JSON.stringify(role)); }
  removeRole(id: string): boolean { return this.db.prepare(`DELETE FROM roles WHERE id = ?`).run(id).changes > 0; }

  // ---- sessions ----
  insertSession(s: SessionRow): void {
    this.db.prepare(`INSERT INTO sessions(ref, token_hash, user_key, source, created_at, last_activity, state) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(s.ref, s.tokenHash, s.userKey, s.source, s.createdAt, s.lastActivity, s.state);
  }
  liveSessions(): SessionRow[] {
    return (this.db.prepare(`SELECT * FROM sessions WHERE ended_at IS NULL`).all() as Record<string, unknown>[]).map((r) => ({
      ref: String(r.ref), tokenHash: String(r.token_hash), userKey: String(r.user_key), source: String(r.source), createdAt: Number(r.created_at),
      lastActivity: Number(r.last_activity), state: r.state === 'locked' ? 'locked' as const : 'active' as const,
    }));
  }
  /** False when the session had already ended (a replay). */
  endSession(ref: string, at: number, reason: string): boolean {
    return this.db.prepare(`UPDATE sessions SET ended_at = ?, end_reason = ? WHERE ref = ? AND ended_at IS NULL`).run(at, reason, ref).changes > 0;
  }
  touchSessions(rows: Array<{ ref: string; lastActivity: number; state: string }>): void {
    const q = this.db.prepare(`UPDATE sessions SET last_activity = ?, state = ? WHERE ref = ? AND ended_at IS NULL`);
    this.transaction(() => { for (const r of rows) q.run(r.lastActivity, r.state, r.ref); });
  }

  // ---- settings of the console kept with its users (the audit's retention, issue 12 §4) ----
  getMeta(key: string): string | null {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  }
  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // ---- preferences (a table of their own: a damaged preference never stops a sign-in) ----
  userLanguage(key: string): 'kk' | 'ru' | 'en' | null {
    const r = this.db.prepare('SELECT language FROM user_prefs WHERE key = ?').get(key) as { language: string | null } | undefined;
    return r?.language === 'kk' || r?.language === 'ru' || r?.language === 'en' ? r.language : null;
  }
  setUserLanguage(key: string, language: 'kk' | 'ru' | 'en'): void {
    this.db.prepare('INSERT INTO user_prefs(key, language) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET language = excluded.language').run(key, language);
  }

  // ---- audit: the shared anchored chain (electron/host/audit/), chain 'access' in this database's table `audit` ----
  /** `durable`: written before this returns (sign-ins, refusals); otherwise with its batch (group commit, audit-log.ts). */
  audit(e: { at: number; actor: string; action: string; subject: string; detail: string; durable?: boolean }): void {
    this.auditLog.append({ user: e.actor, action: e.action, target: e.subject, details: e.detail, at: e.at, ...(e.durable ? { durable: true } : {}) });
  }
  auditEntries(filter: { action?: string; actor?: string } = {}): AccessAuditRow[] {
    this.auditLog.flush();
    const where: string[] = [];
    const args: string[] = [];
    if (filter.action) { where.push('action = ?'); args.push(filter.action); }
    if (filter.actor) { where.push('actor = ?'); args.push(filter.actor); }
    return this.db.prepare(`SELECT seq, at, actor, console, action, subject, detail FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`).all(...args) as AccessAuditRow[];
  }
  verifyAudit() { return this.auditLog.verify(); }

  close(): void { this.auditLog.close(); this.db.close(); }
}

export function publicUser(u: UserRow, lockedUntil: number | null): User {
  return {
    name: u.name, displayName: u.displayName, source: u.source, roles: u.roles, grants: u.grants, disabled: u.disabled,
    lockedUntil, createdAt: u.createdAt, passwordChangedAt: u.passwordChangedAt, lastSignInAt: u.lastSignInAt,
  };
}
