/**
 * Stale spells (issue 10 §5, "Health: offline, stale and tampered cameras over the same window"): a camera that was
 * live and stopped delivering pictures (`stalled`, then `reconnecting`/`connecting` while it is replaced) is stale from
 * its last frame until it is live again. Offline goes to the alarm store as a `camera_offline` event; a stale spell is not an event an
 * operator acts on, so it is kept here, in `<dataDir>/stream-health.sqlite` (WAL), one row a spell: written when it
 * starts, closed when it ends, its `to_ms` moved forward every CHECKPOINT_MS while it lasts so a host that dies leaves
 * the spell ending where it was last known to be stale. A spell ends `live` (it came back), `offline`/`error` (from
 * then on the offline event counts it), or `stopped` (nobody needed the stream any more, or the host stopped).
 */
import type Database from 'better-sqlite3';
import type { StreamState } from '../../contract/schemas.js';
import { openStore } from '../sqlite.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stale_spells (id INTEGER PRIMARY KEY, camera TEXT NOT NULL, from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL,
  open INTEGER NOT NULL, ended TEXT);
CREATE INDEX IF NOT EXISTS stale_spells_camera ON stale_spells(camera, from_ms);
CREATE INDEX IF NOT EXISTS stale_spells_to ON stale_spells(to_ms);
`;

/** How often an open spell's end is moved to now (what a host killed mid-spell leaves behind). */
export const CHECKPOINT_MS = 10_000;

/** Spells are kept 30 days (the attention window is at most 7). */
export const RETENTION_MS = 30 * 86_400_000;

/** States in which a camera that was live counts as stale. */
const STALE: ReadonlySet<StreamState> = new Set(['stalled', 'reconnecting', 'connecting']);

/** How a spell ended: back to live, gone offline (or a hard error), or the stream stopped. */
export type SpellEnd = 'live' | 'offline' | 'stopped';

/** What a camera's state change means for its stale spell (pure): start one, end it, or nothing. */
export function spellChange(prev: StreamState | undefined, next: StreamState, open: boolean): { start: boolean; end: SpellEnd | null } {
  if (!open) return { start: prev === 'live' && STALE.has(next), end: null };
  if (STALE.has(next)) return { start: false, end: null };
  return { start: false, end: next === 'live' ? 'live' : next === 'offline' || next === 'error' ? 'offline' : 'stopped' };
}

export interface StaleHealth {
  /** Stale spells that overlap the window (one still running counts). */
  staleSpells: number;
  /** Their time inside the window, ms (a running spell counts up to now). */
  staleMs: number;
}

export class StaleSpellStore {
  readonly db: Database.Database;
  private readonly q;
  private readonly last = new Map<string, StreamState>();
  /** The row of each camera's running spell. */
  private readonly open = new Map<string, number | bigint>();
  private readonly timer: NodeJS.Timeout;
  private prunedAt: number;

  constructor(file: string, private readonly now: () => number = Date.now) {
    this.db = openStore(file, SCHEMA, { schemaVersion: '1' });
    const db = this.db;
    this.q = {
      start: db.prepare(`INSERT INTO stale_spells(camera, from_ms, to_ms, open) VALUES (?, ?, ?, 1)`),
      end: db.prepare(`UPDATE stale_spells SET to_ms = ?, open = 0, ended = ? WHERE id = ?`),
      checkpoint: db.prepare(`UPDATE stale_spells SET to_ms = ? WHERE id = ?`),
      // spells a previous run left open end where they were last known stale
      orphans: db.prepare(`UPDATE stale_spells SET open = 0, ended = 'stopped' WHERE open = 1`),
      overlapping: db.prepare(`SELECT camera, from_ms, to_ms, open FROM stale_spells WHERE from_ms < ? AND to_ms >= ?`),
      prune: db.prepare(`DELETE FROM stale_spells WHERE open = 0 AND to_ms < ?`),
    };
    this.q.orphans.run();
    this.prunedAt = this.now();
    this.q.prune.run(this.prunedAt - RETENTION_MS);
    this.timer = setInterval(() => this.checkpoint(), CHECKPOINT_MS);
    this.timer.unref();
  }

  /**
   * A camera's stream state, as the stream service publishes it (on change and once a second). A spell starts at the
   * stream's last frame (`lastFrameAt`, when given and not later than now): stale is the time without pictures, not
   * from when the supervisor's 1.5 s rule noticed it.
   */
  record(cameraId: string, state: StreamState, lastFrameAt?: number | null): void {
    const prev = this.last.get(cameraId);
    if (prev === state) return;
    this.last.set(cameraId, state);
    const row = this.open.get(cameraId);
    const c = spellChange(prev, state, row !== undefined);
    const at = this.now();
    const from = typeof lastFrameAt === 'number' && lastFrameAt <= at ? lastFrameAt : at;
    if (c.start) this.open.set(cameraId, this.q.start.run(cameraId, from, at).lastInsertRowid);
    else if (c.end && row !== undefined) { this.q.end.run(at, c.end, row); this.open.delete(cameraId); }
  }

  /** A camera removed: its running spell ends. */
  forget(cameraId: string): void {
    const row = this.open.get(cameraId);
    if (row !== undefined) { this.q.end.run(this.now(), 'stopped', row); this.open.delete(cameraId); }
    this.last.delete(cameraId);
  }

  /** Each camera's stale spells overlapping [fromMs, toMs] and their time inside it. */
  health(fromMs: number, toMs: number): Map<string, StaleHealth> {
    const now = this.now();
    const out = new Map<string, StaleHealth>();
    for (const r of this.q.overlapping.all(toMs, fromMs) as Array<{ camera: string; from_ms: number; to_ms: number; open: number }>) {
      const end = Math.min(toMs, r.open && this.open.has(r.camera) ? now : r.to_ms);
      const h = out.get(r.camera) ?? { staleSpells: 0, staleMs: 0 };
      h.staleSpells++;
      h.staleMs += Math.max(0, end - Math.max(fromMs, r.from_ms));
      out.set(r.camera, h);
    }
    return out;
  }

  /** Deletes ended spells older than `beforeMs`; returns how many. */
  prune(beforeMs: number): number { return this.q.prune.run(beforeMs).changes; }

  private checkpoint(): void {
    const at = this.now();
    for (const row of this.open.values()) this.q.checkpoint.run(at, row);
    if (at - this.prunedAt > 3_600_000) { this.prunedAt = at; this.q.prune.run(at - RETENTION_MS); }
  }

  close(): void {
    clearInterval(this.timer);
    const at = this.now();
    for (const row of this.open.values()) this.q.end.run(at, 'stopped', row);
    this.open.clear();
    this.db.close();
  }
}
