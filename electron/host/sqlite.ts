/**
 * Opening one of the host's SQLite stores (alarms, access, plates, unit tracks, the console journal, scenarios): WAL so
 * readers never wait for the writer, synchronous NORMAL (a power cut may lose the last transactions, never corrupt the
 * file), a 5 s busy timeout for a second process on the same file, then the store's schema.
 */
import Database from 'better-sqlite3';

export interface OpenStoreOptions {
  /** `FULL` fsyncs every commit (the alarm store's KUZET_ALARM_SYNC=full); NORMAL by default. */
  synchronous?: 'NORMAL' | 'FULL';
  /** Written once into the store's `meta` table (key `schema`) when the schema has one. */
  schemaVersion?: string;
}

export function openStore(file: string, schema: string, opts: OpenStoreOptions = {}): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.exec(schema);
  if (opts.schemaVersion) db.prepare(`INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?)`).run(opts.schemaVersion);
  return db;
}
