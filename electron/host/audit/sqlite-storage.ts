/**
 * An audit chain in a SQLite table, so a store can append the entry in the same transaction as the change it records
 * (the alarm store does). Columns keep the names of the table before anchoring (actor = user, subject = target,
 * detail = details); rows with v = 1 were written then and keep their old hash (legacyHash).
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { entryHash, ENTRY_FORMAT, type AuditEntry, type ChainLink } from './chain.js';
import type { AuditStorage } from './audit-log.js';

interface ChainRow { v: number; seq: number; at: number; actor: string; console: string; action: string; subject: string; detail: string; prev: string; hash: string }

/** The hash of an entry written before anchoring (format 1). */
export function legacyHash(r: Pick<ChainRow, 'seq' | 'at' | 'actor' | 'action' | 'subject' | 'detail' | 'prev'>): string {
  return createHash('sha256').update(r.prev).update('\n').update(JSON.stringify([r.seq, r.at, r.actor, r.action, r.subject, r.detail])).digest('hex');
}

export class SqliteAuditStorage implements AuditStorage {
  private readonly present: boolean;
  private insert: Database.Statement | undefined;
  private batch: ((entries: readonly AuditEntry[]) => void) | undefined;

  /** readonly: verify only (creates and migrates nothing). */
  constructor(private readonly db: Database.Database, private readonly table = 'audit', readonly = false) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    if (!readonly) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        subject TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL, console TEXT NOT NULL DEFAULT '', v INTEGER NOT NULL DEFAULT 1);
        CREATE INDEX IF NOT EXISTS ${table}_subject ON ${table}(subject, seq);`);
      const columns = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
      // A table from before anchoring: its rows are format 1.
      if (!columns.has('console')) db.exec(`ALTER TABLE ${table} ADD COLUMN console TEXT NOT NULL DEFAULT ''`);
      if (!columns.has('v')) db.exec(`ALTER TABLE ${table} ADD COLUMN v INTEGER NOT NULL DEFAULT 1`);
    }
    this.present = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
  }

  head(): { seq: number; hash: string } | null {
    if (!this.present) return null;
    return (this.db.prepare(`SELECT seq, hash FROM ${this.table} ORDER BY seq DESC LIMIT 1`).get() as { seq: number; hash: string } | undefined) ?? null;
  }

  hashAt(seq: number): string | null {
    if (!this.present) return null;
    return (this.db.prepare(`SELECT hash FROM ${this.table} WHERE seq = ?`).pluck().get(seq) as string | undefined) ?? null;
  }

  append(e: AuditEntry): void {
    this.insert ??= this.db.prepare(`INSERT INTO ${this.table}(v, seq, at, actor, console, action, subject, detail, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insert.run(e.v, e.seq, e.at, e.user, e.console, e.action, e.target, e.details, e.prev, e.hash);
  }

  /** One transaction for the batch (a savepoint inside the caller's open transaction): all of it is stored or none. */
  appendBatch(entries: readonly AuditEntry[]): void {
    this.batch ??= this.db.transaction((list: readonly AuditEntry[]) => { for (const e of list) this.append(e); });
    this.batch(entries);
  }

  *links(): Iterable<ChainLink> {
    if (!this.present) return;
    const legacy = new Set((this.db.prepare(`PRAGMA table_info(${this.table})`).all() as { name: string }[]).map((c) => c.name)).has('v') ? '' : ', 1 AS v, \'\' AS console';
    for (const r of this.db.prepare(`SELECT *${legacy} FROM ${this.table} ORDER BY seq`).iterate() as Iterable<ChainRow>) {
      const computed = r.v === 1 ? legacyHash(r)
        : r.v === ENTRY_FORMAT ? entryHash({ v: ENTRY_FORMAT, seq: r.seq, at: r.at, user: r.actor, console: r.console, action: r.action, target: r.subject, details: r.detail, prev: r.prev })
          : `unknown entry format ${String(r.v)}`;
      yield { seq: r.seq, prev: r.prev, hash: r.hash, computed, legacy: r.v === 1, action: r.action, details: r.detail };
    }
  }

  firstSeq(): number | null {
    if (!this.present) return null;
    return (this.db.prepare(`SELECT MIN(seq) FROM ${this.table}`).pluck().get() as number | null) ?? null;
  }

  /** Deletes entries 1..throughSeq (retention; AuditLog.prune checks the boundary is anchored first). */
  prune(throughSeq: number): number { return this.db.prepare(`DELETE FROM ${this.table} WHERE seq <= ?`).run(throughSeq).changes; }

  sync(): void { this.db.pragma('wal_checkpoint(PASSIVE)'); }
  busy(): boolean { return this.db.inTransaction; }
}
