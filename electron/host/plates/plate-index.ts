/**
 * The plate index (issue 10 §4): SQLite in the data dir (`plates.sqlite`, WAL), apart from the alarm store so a
 * million plate reads neither slow the alarm queue's commits nor grow its file. Sightings are indexed by (plate, time)
 * for exact searches and routes; the distinct plates have their own table, which wildcard patterns scan with GLOB (a
 * known first character seeks, `?7..` reads the plate list, never the sightings). Traffic violations, their
 * decisions and pictures, and the watch list live here too. better-sqlite3 is synchronous: a method that returned has
 * committed.
 */
import Database from 'better-sqlite3';
import type { Box } from '../../contract/events-schema.js';
import type { Sighting, Violation, ViolationState, WatchEntry } from '../../contract/plates/plates-api.js';
import { openStore } from '../sqlite.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sightings (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, plate TEXT NOT NULL, text TEXT NOT NULL,
  camera TEXT NOT NULL, at INTEGER NOT NULL, confidence REAL NOT NULL, box TEXT, lat REAL, lon REAL, kind TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sightings_plate_at ON sightings(plate, at);
CREATE INDEX IF NOT EXISTS sightings_at ON sightings(at);
CREATE TABLE IF NOT EXISTS plates (plate TEXT PRIMARY KEY, last_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS violations (id TEXT PRIMARY KEY, camera TEXT NOT NULL, at INTEGER NOT NULL, violation TEXT NOT NULL,
  plate TEXT, speed REAL, limit_kmh REAL, box TEXT, lat REAL, lon REAL, snapshot TEXT, state TEXT NOT NULL,
  decided_by TEXT, decided_at INTEGER, reason TEXT);
CREATE INDEX IF NOT EXISTS violations_at ON violations(at);
`;

/** A sighting to store: `eventId` is the event's id (a redelivered event is stored once). */
export interface SightingInput {
  eventId: string; plate: string; text: string; cameraId: string; atMs: number; confidence: number;
  box: Box | null; position: { lat: number; lon: number } | null; kind: Sighting['kind'];
}
export interface ViolationInput {
  id: string; cameraId: string; atMs: number; violation: Violation['violation']; plate: string | null; speedKmh: number | null;
  limitKmh: number | null; box: Box | null; position: { lat: number; lon: number } | null; snapshot: string | null;
}
export interface TimeRange { fromMs?: number | undefined; toMs?: number | undefined }

type SightingRow = { event_id: string; plate: string; text: string; camera: string; at: number; confidence: number; box: string | null; lat: number | null; lon: number | null; kind: string };
type ViolationRow = { id: string; camera: string; at: number; violation: string; plate: string | null; speed: number | null; limit_kmh: number | null; box: string | null;
  lat: number | null; lon: number | null; has_snapshot: number; state: string; decided_by: string | null; decided_at: number | null; reason: string | null };

const COLS = 'event_id, plate, text, camera, at, confidence, box, lat, lon, kind';
const VCOLS = 'id, camera, at, violation, plate, speed, limit_kmh, box, lat, lon, snapshot IS NOT NULL AS has_snapshot, state, decided_by, decided_at, reason';
const END_OF_TIME = 8.64e15;

const toSighting = (r: SightingRow): Sighting => ({
  id: r.event_id, plate: r.plate, text: r.text, cameraId: r.camera, atMs: r.at, confidence: r.confidence,
  box: r.box ? JSON.parse(r.box) as Box : null, position: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon }, kind: r.kind === 'violation' ? 'violation' : 'plate',
});
const toViolation = (r: ViolationRow): Violation => ({
  id: r.id, cameraId: r.camera, atMs: r.at, violation: r.violation as Violation['violation'], plate: r.plate, speedKmh: r.speed, limitKmh: r.limit_kmh,
  box: r.box ? JSON.parse(r.box) as Box : null, position: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon },
  hasSnapshot: r.has_snapshot === 1, state: r.state as ViolationState, decidedBy: r.decided_by, decidedAt: r.decided_at, reason: r.reason,
});

export class PlateIndex {
  readonly db: Database.Database;
  private readonly q;

  constructor(file: string) {
    this.db = openStore(file, SCHEMA, { schemaVersion: '1' });
    const db = this.db;
    this.q = {
      insert: db.prepare(`INSERT OR IGNORE INTO sightings(${COLS}) VALUES (@eventId, @plate, @text, @camera, @at, @confidence, @box, @lat, @lon, @kind)`),
      plate: db.prepare(`INSERT INTO plates(plate, last_at) VALUES (?, ?) ON CONFLICT(plate) DO UPDATE SET last_at = max(last_at, excluded.last_at)`),
      route: db.prepare(`SELECT ${COLS} FROM sightings WHERE plate = ? AND at >= ? AND at <= ? ORDER BY at ASC, id ASC LIMIT ?`),
      exact: db.prepare(`SELECT ${COLS} FROM sightings WHERE plate = ? AND at >= ? AND at <= ? ORDER BY at DESC, id DESC LIMIT ?`),
      wildcard: db.prepare(`SELECT ${COLS} FROM sightings WHERE plate IN (SELECT plate FROM plates WHERE plate GLOB ? AND last_at >= ?) AND at >= ? AND at <= ? ORDER BY at DESC, id DESC LIMIT ?`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM sightings`),
      violation: db.prepare(`INSERT OR IGNORE INTO violations(id, camera, at, violation, plate, speed, limit_kmh, box, lat, lon, snapshot, state)
        VALUES (@id, @camera, @at, @violation, @plate, @speed, @limit, @box, @lat, @lon, @snapshot, 'pending')`),
      violationById: db.prepare(`SELECT ${VCOLS} FROM violations WHERE id = ?`),
      decide: db.prepare(`UPDATE violations SET state = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ? AND state = 'pending'`),
      picture: db.prepare(`SELECT camera, snapshot FROM violations WHERE id = ?`),
      getMeta: db.prepare(`SELECT value FROM meta WHERE key = ?`),
      setMeta: db.prepare(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
      pruneSightings: db.prepare(`DELETE FROM sightings WHERE at < ?`),
      prunePlates: db.prepare(`DELETE FROM plates WHERE last_at < ?`),
      pruneViolations: db.prepare(`DELETE FROM violations WHERE at < ? AND state != 'accepted'`),
    };
  }

  /** Stores a batch of sightings and violations in one transaction; returns how many sightings were new. */
  add(sightings: readonly SightingInput[], violations: readonly ViolationInput[] = []): number {
    let added = 0;
    this.db.transaction(() => {
      for (const s of sightings) {
        const r = this.q.insert.run({ eventId: s.eventId, plate: s.plate, text: s.text, camera: s.cameraId, at: s.atMs, confidence: s.confidence,
          box: s.box ? JSON.stringify(s.box) : null, lat: s.position?.lat ?? null, lon: s.position?.lon ?? null, kind: s.kind });
        if (r.changes) { added++; this.q.plate.run(s.plate, s.atMs); }
      }
      for (const v of violations) {
        this.q.violation.run({ id: v.id, camera: v.cameraId, at: v.atMs, violation: v.violation, plate: v.plate, speed: v.speedKmh, limit: v.limitKmh,
          box: v.box ? JSON.stringify(v.box) : null, lat: v.position?.lat ?? null, lon: v.position?.lon ?? null, snapshot: v.snapshot });
      }
    })();
    return added;
  }

  /** One plate's sightings, oldest first; one more than `limit` is read to say whether there were more. */
  route(plate: string, range: TimeRange, limit: number): { sightings: Sighting[]; truncated: boolean } {
    const rows = this.q.route.all(plate, range.fromMs ?? 0, range.toMs ?? END_OF_TIME, limit + 1) as SightingRow[];
    return { sightings: rows.slice(0, limit).map(toSighting), truncated: rows.length > limit };
  }

  /** Sightings of an exact plate or a GLOB pattern (normalised, see plate-text.ts), newest first. */
  search(p: { glob: string; exact: boolean }, range: TimeRange, limit: number): { sightings: Sighting[]; truncated: boolean } {
    const from = range.fromMs ?? 0, to = range.toMs ?? END_OF_TIME;
    const rows = (p.exact ? this.q.exact.all(p.glob, from, to, limit + 1) : this.q.wildcard.all(p.glob, from, from, to, limit + 1)) as SightingRow[];
    return { sightings: rows.slice(0, limit).map(toSighting), truncated: rows.length > limit };
  }

  count(): number { return (this.q.count.get() as { n: number }).n; }

  violations(states: readonly ViolationState[] | undefined, limit: number): Violation[] {
    const where = states?.length ? `WHERE state IN (${states.map(() => '?').join(', ')})` : '';
    return (this.db.prepare(`SELECT ${VCOLS} FROM violations ${where} ORDER BY at DESC LIMIT ?`).all(...(states ?? []), limit) as ViolationRow[]).map(toViolation);
  }
  violation(id: string): Violation | null {
    const r = this.q.violationById.get(id) as ViolationRow | undefined;
    return r ? toViolation(r) : null;
  }
  /** Records a decision once: false when the violation was already decided (or is unknown). */
  decide(id: string, state: Exclude<ViolationState, 'pending'>, by: string, at: number, reason: string): boolean {
    return this.q.decide.run(state, by, at, reason, id).changes === 1;
  }
  picture(id: string): { cameraId: string; data: string | null } | null {
    const r = this.q.picture.get(id) as { camera: string; snapshot: string | null } | undefined;
    return r ? { cameraId: r.camera, data: r.snapshot } : null;
  }

  watchList(): WatchEntry[] {
    const r = this.q.getMeta.get('watchlist') as { value: string } | undefined;
    return r ? JSON.parse(r.value) as WatchEntry[] : [];
  }
  saveWatchList(entries: readonly WatchEntry[]): void { this.q.setMeta.run('watchlist', JSON.stringify(entries)); }

  /** Deletes sightings (and undecided or rejected violations) captured before `beforeMs`; accepted ones are evidence. */
  prune(beforeMs: number): number {
    let n = 0;
    this.db.transaction(() => {
      n = this.q.pruneSightings.run(beforeMs).changes;
      this.q.prunePlates.run(beforeMs);
      this.q.pruneViolations.run(beforeMs);
    })();
    return n;
  }

  close(): void { this.db.close(); }
}
