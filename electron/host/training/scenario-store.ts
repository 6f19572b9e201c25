/**
 * Training scenarios kept by the host (issue 11 §2, docs/training.md): table `scenarios` in `<dataDir>/training.sqlite`,
 * one validated JSON body per scenario. A row that no longer parses is skipped with a warning, never a crash.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Scenario } from '../../contract/training/scenario-schema.js';
import type { Logger } from '../log.js';

export const trainingFile = (dataDir: string) => join(dataDir, 'training.sqlite');

export class ScenarioStore {
  private readonly db: Database.Database;

  constructor(file: string, private readonly log?: Logger) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS scenarios (id TEXT PRIMARY KEY, saved_at INTEGER NOT NULL, saved_by TEXT NOT NULL, body TEXT NOT NULL)`);
  }

  /** Saves (or replaces) a scenario already validated by the caller. */
  save(s: Scenario, by: string, at: number): Scenario {
    const parsed = Scenario.parse(s);
    this.db.prepare(`INSERT INTO scenarios(id, saved_at, saved_by, body) VALUES (?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET saved_at = excluded.saved_at, saved_by = excluded.saved_by, body = excluded.body`).run(parsed.id, at, by, JSON.stringify(parsed));
    return parsed;
  }

  get(id: string): Scenario | null {
    const body = this.db.prepare(`SELECT body FROM scenarios WHERE id = ?`).pluck().get(id) as string | undefined;
    return body === undefined ? null : this.parse(id, body);
  }

  /** Who saved the stored scenario last, or null when there is none. */
  savedBy(id: string): string | null {
    return (this.db.prepare(`SELECT saved_by FROM scenarios WHERE id = ?`).pluck().get(id) as string | undefined) ?? null;
  }

  list(): Scenario[] {
    return (this.db.prepare(`SELECT id, body FROM scenarios ORDER BY saved_at DESC, id`).all() as Array<{ id: string; body: string }>)
      .flatMap((r) => { const s = this.parse(r.id, r.body); return s ? [s] : []; });
  }

  remove(id: string): boolean { return this.db.prepare(`DELETE FROM scenarios WHERE id = ?`).run(id).changes > 0; }

  close(): void { this.db.close(); }

  private parse(id: string, body: string): Scenario | null {
    let json: unknown = null;
    try { json = JSON.parse(body); } catch { /* reported below */ }
    const p = Scenario.safeParse(json);
    if (!p.success) { this.log?.warn('unreadable training scenario skipped', { id }); return null; }
    return p.data;
  }
}
