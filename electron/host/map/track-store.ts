/**
 * Recorded unit tracks (issue 10 §3): every report the unit store accepted, in SQLite in the data dir (`units.sqlite`,
 * WAL), by unit and time, so review and incident replay show where each unit was at the player's time. Reports are
 * buffered and written once a second in one transaction (50 units at 2 Hz is 100 rows a second); retention follows the
 * recordings' age limit. better-sqlite3 is synchronous: a flush that returned has committed.
 */
import Database from 'better-sqlite3';
import type { MapUnit } from '../../contract/units-schema.js';
import { TRACK_LEAD_IN_MS, type RecordedPoint, type UnitTrack } from '../../contract/map-api.js';
import { openStore } from '../sqlite.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (unit TEXT NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
  heading REAL, camera TEXT, PRIMARY KEY (unit, at)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS reports_at ON reports(at);
`;

type ReportRow = { unit: string; at: number; kind: string; lat: number; lon: number; heading: number | null; camera: string | null };

export class TrackStore {
  readonly db: Database.Database;
  private readonly q;
  private pending: ReportRow[] = [];

  constructor(file: string) {
    this.db = openStore(file, SCHEMA, { schemaVersion: '1' });
    const db = this.db;
    this.q = {
      // the unit store refuses a ts that is not after the last, so (unit, at) is unique; a replayed row is ignored
      insert: db.prepare(`INSERT OR IGNORE INTO reports(unit, at, kind, lat, lon, heading, camera) VALUES (@unit, @at, @kind, @lat, @lon, @heading, @camera)`),
      range: db.prepare(`SELECT unit, at, kind, lat, lon, heading, camera FROM reports WHERE at >= ? AND at <= ? ORDER BY at ASC LIMIT ?`),
      // each unit's last report in the lead-in before the range: where it was when the range starts
      leadIn: db.prepare(`SELECT unit, MAX(at) AS at, kind, lat, lon, heading, camera FROM reports WHERE at >= ? AND at < ? GROUP BY unit`),
      rangeOf: db.prepare(`SELECT unit, at, kind, lat, lon, heading, camera FROM reports WHERE unit = ? AND at >= ? AND at <= ? ORDER BY at ASC LIMIT ?`),
      leadInOf: db.prepare(`SELECT unit, at, kind, lat, lon, heading, camera FROM reports WHERE unit = ? AND at >= ? AND at < ? ORDER BY at DESC LIMIT 1`),
      prune: db.prepare(`DELETE FROM reports WHERE at < ?`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM reports`),
      lastOf: db.prepare(`SELECT MAX(at) AS at FROM reports WHERE unit = ?`),
    };
  }

  /** Queues an accepted report (written by the next `flush`). */
  record(u: MapUnit): void {
    this.pending.push({ unit: u.id, at: u.ts, kind: u.kind, lat: u.lat, lon: u.lon, heading: u.heading ?? null, camera: u.cameraId ?? null });
  }

  /** The unit's newest recorded report time (its `ts`), or null when none is kept. */
  lastReportAt(unitId: string): number | null {
    this.flush();
    return (this.q.lastOf.get(unitId) as { at: number | null } | undefined)?.at ?? null;
  }

  /** Writes the queued reports in one transaction; returns how many were new. */
  flush(): number {
    if (!this.pending.length) return 0;
    const rows = this.pending;
    this.pending = [];
    let n = 0;
    this.db.transaction(() => { for (const r of rows) n += this.q.insert.run(r).changes; })();
    return n;
  }

  /**
   * Each unit's reports in [fromMs, toMs] oldest first, led in by its last report in the TRACK_LEAD_IN_MS before
   * fromMs; only the units named when `unitIds` is given. At most `limit` reports of the range (the oldest).
   */
  tracks(fromMs: number, toMs: number, unitIds: readonly string[] | undefined, limit: number): { tracks: UnitTrack[]; truncated: boolean } {
    this.flush();
    let lead: ReportRow[];
    let rows: ReportRow[];
    if (unitIds?.length) {
      const ids = [...new Set(unitIds)];
      lead = ids.flatMap((id) => this.q.leadInOf.all(id, fromMs - TRACK_LEAD_IN_MS, fromMs) as ReportRow[]);
      rows = ids.flatMap((id) => this.q.rangeOf.all(id, fromMs, toMs, limit + 1) as ReportRow[]).sort((a, b) => a.at - b.at).slice(0, limit + 1);
    } else {
      lead = this.q.leadIn.all(fromMs - TRACK_LEAD_IN_MS, fromMs) as ReportRow[];
      rows = this.q.range.all(fromMs, toMs, limit + 1) as ReportRow[];
    }
    const truncated = rows.length > limit;
    const byUnit = new Map<string, UnitTrack>();
    for (const r of [...lead, ...rows.slice(0, limit)]) {
      let t = byUnit.get(r.unit);
      if (!t) { t = { id: r.unit, kind: r.kind as UnitTrack['kind'], points: [] }; byUnit.set(r.unit, t); }
      if (r.camera) t.cameraId = r.camera;
      t.points.push([r.lon, r.lat, r.at, r.heading] satisfies RecordedPoint);
    }
    return { tracks: [...byUnit.values()].sort((a, b) => a.id.localeCompare(b.id)), truncated };
  }

  /** Deletes reports measured before `beforeMs`; returns how many. */
  prune(beforeMs: number): number { this.flush(); return this.q.prune.run(beforeMs).changes; }

  count(): number { this.flush(); return (this.q.count.get() as { n: number }).n; }

  close(): void { this.flush(); this.db.close(); }
}
