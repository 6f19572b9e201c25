/**
 * The console journal (`<dataDir>/replay.sqlite`): every change of what the console showed (a display's layout, an alarm's
 * state, owner and SOP) with its time, console and user, and the incidents made from it. Replay reads only this, so it
 * never guesses (docs/replay.md says why a table of its own beside the audit chain). Rows are validated on the way in and
 * out; a row that no longer parses is skipped with a warning, never a crash.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ConsoleAction, ConsoleChange, Incident, type IncidentRecord } from '../../contract/replay-schema.js';
import type { Logger } from '../log.js';
import { openStore } from '../sqlite.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS console_actions (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, console TEXT NOT NULL,
  user TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS console_actions_at ON console_actions(at);
CREATE INDEX IF NOT EXISTS console_actions_target ON console_actions(target, seq);
CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS imported_packages (id TEXT PRIMARY KEY, dir TEXT NOT NULL, signer TEXT NOT NULL, imported_at INTEGER NOT NULL);
`;

interface JournalRow { seq: number; at: number; console: string; user: string; action: string; body: string }

/** The key an action's state belongs to: one display, one alarm, one display's maximised tile (`tile:`), or a marker (`event:`). */
export function targetOf(c: ConsoleChange): string {
  if (c.kind === 'event' && c.displayId !== null && (c.what === 'tile.maximise' || c.what === 'tile.restore')) return `tile:${c.displayId}`; // the display's last one is its maximised tile
  return c.kind === 'layout' ? `display:${c.displayId}` : c.kind === 'alarm' ? `alarm:${c.alarm.id}` : `event:${c.what}`;
}

function parseJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return null; }
}

export const journalFile = (dataDir: string) => join(dataDir, 'replay.sqlite');

export class ConsoleJournal {
  private readonly db: Database.Database;
  private readonly q;

  constructor(file: string, private readonly log?: Logger) {
    this.db = openStore(file, SCHEMA);
    const db = this.db;
    this.q = {
      insert: db.prepare(`INSERT INTO console_actions(at, console, user, action, target, body) VALUES (?, ?, ?, ?, ?, ?)`),
      last: db.prepare(`SELECT seq, at, console, user, action, body FROM console_actions WHERE target = ? ORDER BY seq DESC LIMIT 1`),
      before: db.prepare(`SELECT c.seq, c.at, c.console, c.user, c.action, c.body FROM console_actions c
        JOIN (SELECT MAX(seq) AS s FROM console_actions WHERE at < ? AND target NOT LIKE 'event:%' GROUP BY target) m ON c.seq = m.s ORDER BY c.seq`),
      inRange: db.prepare(`SELECT seq, at, console, user, action, body FROM console_actions WHERE at >= ? AND at <= ? ORDER BY seq`),
      putIncident: db.prepare(`INSERT INTO incidents(id, created_at, body) VALUES (?, ?, ?)`),
      getIncident: db.prepare(`SELECT body FROM incidents WHERE id = ?`),
      listIncidents: db.prepare(`SELECT body FROM incidents ORDER BY created_at DESC, id LIMIT 1000`),
      putImported: db.prepare(`INSERT INTO imported_packages(id, dir, signer, imported_at) VALUES (?, ?, ?, ?)`),
      getImported: db.prepare(`SELECT dir FROM imported_packages WHERE id = ?`),
    };
  }

  /** Records one change (committed when this returns) and gives it back with its sequence number. */
  record(input: Omit<ConsoleAction, 'seq'>): ConsoleAction {
    const parsed = ConsoleAction.omit({ seq: true }).parse(input);
    const r = this.q.insert.run(parsed.at, parsed.console, parsed.user, parsed.action, targetOf(parsed.change), JSON.stringify(parsed.change));
    return { seq: Number(r.lastInsertRowid), ...parsed };
  }

  /** The last recorded change of one display or alarm (see targetOf), or null. */
  last(target: string): ConsoleAction | null {
    return this.parse(this.q.last.get(target) as JournalRow | undefined);
  }

  /** What replay of [fromMs, toMs] needs: the state at fromMs (alarms resolved before it left out) and the actions inside. */
  incidentRecord(incident: Incident): IncidentRecord {
    const before = (this.q.before.all(incident.fromMs) as JournalRow[]).map((r) => this.parse(r)).filter((a): a is ConsoleAction => a !== null)
      // events leave no state, except a display's tile still maximised then (its last tile.maximise / tile.restore)
      .filter((a) => a.change.kind === 'layout' || (a.change.kind === 'alarm' && a.change.alarm.state !== 'resolved') || (a.change.kind === 'event' && a.change.what === 'tile.maximise'));
    const actions = (this.q.inRange.all(incident.fromMs, incident.toMs) as JournalRow[]).map((r) => this.parse(r)).filter((a): a is ConsoleAction => a !== null);
    return { incident, before, actions };
  }

  saveIncident(i: Incident): Incident {
    const parsed = Incident.parse(i);
    this.q.putIncident.run(parsed.id, parsed.createdAt, JSON.stringify(parsed));
    return parsed;
  }

  incident(id: string): Incident | null {
    const row = this.q.getIncident.get(id) as { body: string } | undefined;
    if (!row) return null;
    const p = Incident.safeParse(parseJson(row.body));
    if (!p.success) { this.log?.warn('unreadable incident skipped', { id }); return null; }
    return p.data;
  }

  incidents(): Incident[] {
    return (this.q.listIncidents.all() as { body: string }[]).flatMap((r) => {
      const p = Incident.safeParse(parseJson(r.body));
      return p.success ? [p.data] : [];
    });
  }

  /** Saves an incident imported from a package: its record is read from the package folder, not from this journal. */
  saveImported(i: Incident, dir: string, signer: string, at: number): Incident {
    const parsed = Incident.parse(i);
    this.db.transaction(() => {
      this.q.putIncident.run(parsed.id, parsed.createdAt, JSON.stringify(parsed));
      this.q.putImported.run(parsed.id, dir, signer, at);
    })();
    return parsed;
  }

  /** The package folder an incident was imported from, or null for this console's own incidents. */
  importedFrom(id: string): string | null {
    return (this.q.getImported.get(id) as { dir: string } | undefined)?.dir ?? null;
  }

  close(): void { this.db.close(); }

  private parse(row: JournalRow | undefined): ConsoleAction | null {
    if (!row) return null;
    const change = ConsoleChange.safeParse(parseJson(row.body));
    if (!change.success) { this.log?.warn('unreadable console action skipped', { seq: row.seq }); return null; }
    return { seq: row.seq, at: row.at, console: row.console, user: row.user, action: row.action, change: change.data };
  }
}
