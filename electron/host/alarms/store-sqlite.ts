/**
 * The embedded alarm store: SQLite in write-ahead-log mode with synchronous=NORMAL: a committed transaction is in
 * the WAL (the OS page cache) before the call returns, so it survives a killed process (SIGKILL); only a power cut
 * can lose the last transactions before the next checkpoint. FULL would fsync every commit on the host's main
 * thread, which also serves the wall's frames (KUZET_ALARM_SYNC=full chooses it anyway). Events (with retention), alarms, rules, snapshots,
 * reject counters and the alarm audit chain (electron/host/audit: hash-chained, anchored by signed checkpoints kept in
 * <data dir>/audit/alarms.checkpoints.jsonl), which is also the log of operator actions.
 * better-sqlite3 is synchronous: a method that returned has committed.
 */
import Database from 'better-sqlite3';
import type { Alarm, Rule } from '../../contract/alarms-schema.js';
import { storedOverlay } from './describe-event.js';
import type { StoredEvent } from '../../contract/events-schema.js';
import type { AuditLineRow, StoredOverlay } from '../../contract/alarms-api.js';
import { basename, dirname } from 'node:path';
import type { Logger } from '../log.js';
import { loadOrCreateSigningKey, type SigningKey } from '../export/signing-key.js';
import { AuditLog, GROUP_COMMIT } from '../audit/audit-log.js';
import type { AuditEntry } from '../audit/chain.js';
import { CheckpointLog, checkpointFile } from '../audit/checkpoint-log.js';
import { SqliteAuditStorage } from '../audit/sqlite-storage.js';
import { ALARM_CHAIN } from '../audit/verify-data-dir.js';
import { openStore } from '../sqlite.js';

export interface HistoryInput { at: number; actor: string; action: string; subject: string; detail: string }
/** One entry of an alarm's history, in the column names the alarm contract uses (actor = user, subject = target). */
export interface HistoryRow { seq: number; at: number; actor: string; console: string; action: string; subject: string; detail: string }
/** The audit chain's key (default: the data dir's export signing key), console name and where its problems go. */
export interface AlarmStoreOptions { key?: SigningKey; console?: string; log?: Logger; onAuditProblem?: (problem: string) => void }
export interface AlarmQuery { states?: Alarm['state'][]; cameraId?: string; limit: number }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, camera TEXT NOT NULL, type TEXT NOT NULL,
  capture_time INTEGER NOT NULL, received_at INTEGER NOT NULL, source TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_received ON events(received_at);
CREATE INDEX IF NOT EXISTS events_camera_time ON events(camera, capture_time);
CREATE TABLE IF NOT EXISTS snapshots (event_id TEXT PRIMARY KEY, data TEXT NOT NULL, received_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS alarms (id TEXT PRIMARY KEY, state TEXT NOT NULL, priority INTEGER NOT NULL, camera TEXT NOT NULL,
  rule_id TEXT NOT NULL, created_at INTEGER NOT NULL, snapshot_event TEXT, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alarms_open ON alarms(state, priority, created_at);
CREATE TABLE IF NOT EXISTS rules (id TEXT PRIMARY KEY, position INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS zones (camera TEXT PRIMARY KEY, body TEXT NOT NULL, saved_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS masks (camera TEXT PRIMARY KEY, body TEXT NOT NULL, saved_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rejects (reason TEXT PRIMARY KEY, count INTEGER NOT NULL);
`;

export class SqliteAlarmStore {
  readonly db: Database.Database;
  /** The alarm audit chain; other modules append typed entries here too. */
  readonly auditLog: AuditLog;
  private readonly q;

  constructor(file: string, opts: AlarmStoreOptions = {}) {
    this.db = openStore(file, SCHEMA, { schemaVersion: '1', synchronous: process.env.KUZET_ALARM_SYNC === 'full' ? 'FULL' : 'NORMAL' });
    const db = this.db;
    this.q = {
      insertEvent: db.prepare(`INSERT OR IGNORE INTO events(id, camera, type, capture_time, received_at, source, body) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      insertSnapshot: db.prepare(`INSERT OR IGNORE INTO snapshots(event_id, data, received_at) VALUES (?, ?, ?)`),
      upsertAlarm: db.prepare(`INSERT INTO alarms(id, state, priority, camera, rule_id, created_at, snapshot_event, body) VALUES (@id, @state, @priority, @camera, @rule, @created, @snap, @body)
        ON CONFLICT(id) DO UPDATE SET state = excluded.state, priority = excluded.priority, body = excluded.body, snapshot_event = COALESCE(excluded.snapshot_event, alarms.snapshot_event)`),
      getAlarm: db.prepare(`SELECT body FROM alarms WHERE id = ?`),
      snapshotOf: db.prepare(`SELECT s.data FROM alarms a JOIN snapshots s ON s.event_id = a.snapshot_event WHERE a.id = ?`),
      bumpReject: db.prepare(`INSERT INTO rejects(reason, count) VALUES (?, ?) ON CONFLICT(reason) DO UPDATE SET count = count + excluded.count`),
    };
    const dataDir = dirname(file);
    // alarms.sqlite is the chain 'alarms'; a store under another name (tests, several hosts in one folder) has its own checkpoints
    const chain = basename(file) === 'alarms.sqlite' ? ALARM_CHAIN : basename(file).replace(/\.sqlite$/, '').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
    this.auditLog = new AuditLog({
      chain, storage: new SqliteAuditStorage(db), checkpoints: new CheckpointLog(checkpointFile(dataDir, chain)),
      key: opts.key ?? loadOrCreateSigningKey(dataDir), groupCommit: GROUP_COMMIT,
      ...(opts.console ? { console: opts.console } : {}), ...(opts.log ? { log: opts.log } : {}), ...(opts.onAuditProblem ? { onProblem: opts.onAuditProblem } : {}),
    });
  }

  /** Runs `fn` in one transaction (one fsync); throws leave nothing behind. Queued audit entries are written first (group commit). */
  transaction<T>(fn: () => T): T { if (!this.db.inTransaction) this.auditLog.flush(); return this.db.transaction(fn)(); }

  /** Inserts an event; false when its id is already stored (a redelivery). */
  insertEvent(ev: StoredEvent): boolean {
    const { snapshot, ...rest } = ev;
    const fresh = this.q.insertEvent.run(ev.id, ev.camera, ev.type, ev.captureTime, ev.receivedAt, ev.source, JSON.stringify(rest)).changes > 0;
    if (fresh && snapshot) this.q.insertSnapshot.run(ev.id, snapshot, ev.receivedAt);
    return fresh;
  }

  saveAlarm(a: Alarm, snapshotEventId: string | null = null): void {
    this.q.upsertAlarm.run({ id: a.id, state: a.state, priority: a.priority, camera: a.cameraId, rule: a.ruleId, created: a.createdAt, snap: snapshotEventId, body: JSON.stringify(a) });
  }

  getAlarm(id: string): Alarm | null {
    const row = this.q.getAlarm.get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Alarm) : null;
  }

  snapshot(alarmId: string): string | null {
    const row = this.q.snapshotOf.get(alarmId) as { data: string } | undefined;
    return row?.data ?? null;
  }

  listAlarms(query: AlarmQuery): Alarm[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.states?.length) { where.push(`state IN (${query.states.map(() => '?').join(',')})`); args.push(...query.states); }
    if (query.cameraId) { where.push('camera = ?'); args.push(query.cameraId); }
    const sql = `SELECT body FROM alarms ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY CASE state WHEN 'resolved' THEN 1 ELSE 0 END, priority, created_at DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, query.limit) as { body: string }[]).map((r) => JSON.parse(r.body) as Alarm);
  }

  openAlarms(): Alarm[] { return this.listAlarms({ states: ['new', 'claimed', 'escalated'], limit: 1_000_000 }); }

  /** Appends to the hash chain; call inside the same transaction as the change it records. */
  audit(e: HistoryInput): AuditEntry {
    return this.auditLog.append({ at: e.at, user: e.actor, action: e.action, target: e.subject, details: e.detail });
  }

  /** When the oldest alarm not yet resolved was raised (ms), or null: retention never prunes an open alarm's history. */
  oldestOpenAlarmAt(): number | null {
    return (this.db.prepare(`SELECT MIN(created_at) FROM alarms WHERE state != 'resolved'`).pluck().get() as number | null) ?? null;
  }

  /** Call when a transaction that appended audit entries rolled back. */
  reloadChainHead(): void { this.auditLog.reloadHead(); }

  auditOf(subject: string): HistoryRow[] {
    this.auditLog.flush();
    return this.db.prepare(`SELECT seq, at, actor, console, action, subject, detail FROM audit WHERE subject = ? ORDER BY seq`).all(subject) as HistoryRow[];
  }

  /** An alarm's history as the contract gives it (`alarms.get`, and a training session's alarm). */
  historyOf(alarmId: string): AuditLineRow[] {
    return this.auditOf(alarmId).map(({ seq, at, actor, action, detail }) => ({ seq, at, actor, action, detail }));
  }

  /** Verifies the audit chain against its signed checkpoints. */
  verifyAudit() { return this.auditLog.verify(); }

  countReject(reason: string, n = 1): void { this.q.bumpReject.run(reason, n); }
  rejects(): Record<string, number> {
    return Object.fromEntries((this.db.prepare(`SELECT reason, count FROM rejects`).all() as { reason: string; count: number }[]).map((r) => [r.reason, r.count]));
  }

  /** Events of a camera with boxes in [fromMs, toMs) by capture time, oldest first (burn-in exports draw them). */
  eventsWithBoxes(camera: string, fromMs: number, toMs: number, limit: number): StoredEvent[] {
    return (this.db.prepare(`SELECT body FROM events WHERE camera = ? AND capture_time >= ? AND capture_time < ? ORDER BY capture_time LIMIT ?`)
      .all(camera, fromMs, toMs, limit * 4) as { body: string }[]).map((r) => JSON.parse(r.body) as StoredEvent).filter((e) => e.boxes.length > 0).slice(0, limit);
  }

  /** Every stored event of a camera captured in [fromMs, toMs), oldest first, at most `limit` (incident packages, issue 11). */
  eventsOf(camera: string, fromMs: number, toMs: number, limit: number): { events: StoredEvent[]; truncated: boolean } {
    const rows = this.db.prepare(`SELECT body FROM events WHERE camera = ? AND capture_time >= ? AND capture_time < ? ORDER BY capture_time LIMIT ?`)
      .pluck().all(camera, fromMs, toMs, limit + 1) as string[];
    return { events: rows.slice(0, limit).map((b) => JSON.parse(b) as StoredEvent), truncated: rows.length > limit };
  }

  countEvents(): number { return (this.db.prepare(`SELECT COUNT(*) AS n FROM events`).get() as { n: number }).n; }
  hasEvent(id: string): boolean { return this.db.prepare(`SELECT 1 FROM events WHERE id = ?`).get(id) !== undefined; }
  eventIds(): Set<string> { return new Set((this.db.prepare(`SELECT id FROM events`).pluck().all() as string[])); }

  /** Deletes events and snapshots received before `before` (alarms and the audit log are kept). */
  applyRetention(before: number): number {
    return this.transaction(() => {
      this.db.prepare(`DELETE FROM snapshots WHERE received_at < ? AND event_id NOT IN (SELECT snapshot_event FROM alarms WHERE snapshot_event IS NOT NULL)`).run(before);
      return this.db.prepare(`DELETE FROM events WHERE received_at < ?`).run(before).changes;
    });
  }

  rules(): Rule[] { return (this.db.prepare(`SELECT body FROM rules ORDER BY position`).all() as { body: string }[]).map((r) => JSON.parse(r.body) as Rule); }
  saveRules(rules: Rule[]): void {
    this.transaction(() => {
      this.db.prepare(`DELETE FROM rules`).run();
      const ins = this.db.prepare(`INSERT INTO rules(id, position, body) VALUES (?, ?, ?)`);
      rules.forEach((r, i) => ins.run(r.id, i, JSON.stringify(r)));
    });
  }
  /** Every camera's saved zones as stored (JSON text; the caller validates, a bad row never stops the others). */
  zoneRows(): { camera: string; body: string }[] { return this.db.prepare(`SELECT camera, body FROM zones ORDER BY camera`).all() as { camera: string; body: string }[]; }
  /** Replaces one camera's zones (call with already validated data); an empty list removes the row. */
  saveZones(cameraId: string, zones: unknown[], at: number): void {
    if (zones.length) this.db.prepare(`INSERT INTO zones(camera, body, saved_at) VALUES (?, ?, ?) ON CONFLICT(camera) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at`).run(cameraId, JSON.stringify(zones), at);
    else this.db.prepare(`DELETE FROM zones WHERE camera = ?`).run(cameraId);
  }
  /** Every camera's privacy masks as stored (JSON text; the caller validates, like zones). */
  maskRows(): { camera: string; body: string }[] { return this.db.prepare(`SELECT camera, body FROM masks ORDER BY camera`).all() as { camera: string; body: string }[]; }
  /** Replaces one camera's masks (call with already validated data); an empty list removes the row. */
  saveMasks(cameraId: string, masks: unknown[], at: number): void {
    if (masks.length) this.db.prepare(`INSERT INTO masks(camera, body, saved_at) VALUES (?, ?, ?) ON CONFLICT(camera) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at`).run(cameraId, JSON.stringify(masks), at);
    else this.db.prepare(`DELETE FROM masks WHERE camera = ?`).run(cameraId);
  }

  /** Stored events with boxes of one camera captured in [from, to), oldest first, at most `limit`. */
  overlaysOf(cameraId: string, from: number, to: number, limit: number): { events: StoredOverlay[]; truncated: boolean } {
    const rows = this.db.prepare(`SELECT body FROM events WHERE camera = ? AND capture_time >= ? AND capture_time < ?
      AND json_array_length(body, '$.boxes') > 0 ORDER BY capture_time LIMIT ?`).pluck().all(cameraId, from, to, limit + 1) as string[];
    const events = rows.slice(0, limit).map((body): StoredOverlay => storedOverlay(JSON.parse(body) as StoredEvent));
    return { events, truncated: rows.length > limit };
  }

  /** Alarms of these cameras whose first event was captured in [from, to) (raised within a minute of it). */
  alarmsBetween(cameraIds: readonly string[], from: number, to: number): Alarm[] {
    if (!cameraIds.length) return [];
    const rows = this.db.prepare(`SELECT body FROM alarms WHERE camera IN (${cameraIds.map(() => '?').join(',')}) AND created_at >= ? AND created_at < ? ORDER BY created_at LIMIT 5000`)
      .pluck().all(...cameraIds, from - 60_000, to + 60_000) as string[];
    return rows.map((b) => JSON.parse(b) as Alarm).filter((a) => a.firstAt >= from && a.firstAt < to);
  }

  meta(key: string): string | null { return (this.db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(key) as string | undefined) ?? null; }
  setMeta(key: string, value: string): void { this.db.prepare(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, value); }

  falseAlarmStats(by: 'camera' | 'rule_id'): { key: string; resolved: number; falseCount: number }[] {
    return this.db.prepare(`SELECT ${by} AS key, COUNT(*) AS resolved, SUM(CASE WHEN json_extract(body, '$.verdict') = 'false' THEN 1 ELSE 0 END) AS falseCount
      FROM alarms WHERE state = 'resolved' GROUP BY ${by} ORDER BY falseCount DESC`).all() as { key: string; resolved: number; falseCount: number }[];
  }

  /** Anchors the audit chain's tail (a signed checkpoint) and closes the database. */
  close(): void { this.auditLog.close(); this.db.close(); }
}
