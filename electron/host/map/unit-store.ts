/**
 * The host's moving units (issue 10 §3): validates each telemetry message (docs/map.md), keeps the last position and
 * the track of the last minutes per unit (a trail, one point every TRACK_STEP_MS), marks a unit stale when its telemetry stops, and counts what it refused by
 * reason. A refused message changes nothing, so the map never shows a unit where it was not reported.
 */
import {
  TRACK_STEP_MS, UNIT_TELEMETRY_VERSION, UNITS_TOPIC, UnitTelemetry, type MapUnit, type UnitRejectReason, type UnitsSnapshot,
} from '../../contract/units-schema.js';

export interface UnitStoreOptions {
  /** Seconds without telemetry before a unit is marked stale. */
  staleAfterS?: number;
  /** Minutes of track kept per unit. */
  trackMinutes?: number;
  /** Minutes without telemetry before a unit is forgotten. */
  forgetAfterMin?: number;
  /** Fastest plausible unit, m/s (a jump faster than this between two reports is refused). */
  maxSpeedMs?: number;
  now?: () => number;
}

export type IngestResult = { ok: true; unit: MapUnit } | { ok: false; reason: UnitRejectReason; message: string };

const EARTH_RADIUS_M = 6_371_008.8;

/** One trail point every TRACK_STEP_MS plus the newest report (units-schema.ts). */
export { TRACK_STEP_MS };

/** The trail after a report at `p`: points older than `cutoff` dropped, the last point kept only if a step after its predecessor. */
export function extendTrail(trail: ReadonlyArray<[number, number, number]>, p: [number, number, number], cutoff: number): Array<[number, number, number]> {
  const kept = trail.filter((q) => q[2] >= cutoff);
  const last = kept.at(-1);
  const before = kept.at(-2);
  if (last && before && last[2] - before[2] < TRACK_STEP_MS) kept.pop();
  kept.push(p);
  return kept.slice(-2_000);
}

/** Great-circle distance in metres (haversine: also right for a 500 km jump). */
export function greatCircleM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export class UnitStore {
  private readonly units = new Map<string, MapUnit>();
  private readonly rejected = new Map<UnitRejectReason, number>();
  private readonly listeners = new Set<() => void>();
  private readonly acceptors = new Set<(u: MapUnit) => void>();
  private readonly staleMs: number;
  private readonly trackMs: number;
  /** Silence after which a unit is forgotten (it no longer exists for the map or a restored follow). */
  readonly forgetMs: number;
  private readonly maxSpeed: number;
  private readonly now: () => number;
  /** Receive time of each unit's last accepted message (its ts is the unit's clock, which may drift). */
  private readonly heardAt = new Map<string, number>();

  constructor(opts: UnitStoreOptions = {}) {
    this.staleMs = (opts.staleAfterS ?? 10) * 1000;
    this.trackMs = (opts.trackMinutes ?? 5) * 60_000;
    this.forgetMs = (opts.forgetAfterMin ?? 30) * 60_000;
    this.maxSpeed = opts.maxSpeedMs ?? 150;
    this.now = opts.now ?? Date.now;
  }

  /** One MQTT message on `kuzet/units/<id>`. */
  ingest(topic: string, payload: Buffer | string): IngestResult {
    const r = this.judge(topic, payload);
    if (!r.ok) { this.reject(r.reason); return r; }
    this.accepted(r.unit);
    return r;
  }

  private judge(topic: string, payload: Buffer | string): IngestResult {
    let raw: unknown;
    try { raw = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8')); } catch {
      return { ok: false, reason: 'not-json', message: 'telemetry is not JSON (NaN and Infinity are not JSON numbers)' };
    }
    const v = (raw as { v?: unknown } | null)?.v;
    if (v !== UNIT_TELEMETRY_VERSION) return { ok: false, reason: 'unknown-version', message: `telemetry version ${JSON.stringify(v)}: this host reads version ${UNIT_TELEMETRY_VERSION}` };
    const parsed = UnitTelemetry.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue?.path[0] ?? '');
      const reason: UnitRejectReason = field === 'lat' || field === 'lon' ? 'bad-coordinates' : 'invalid';
      return { ok: false, reason, message: `${field || 'telemetry'}: ${issue?.message ?? 'invalid'}` };
    }
    const t = parsed.data;
    if (topic !== `${UNITS_TOPIC}${t.id}`) return { ok: false, reason: 'topic-mismatch', message: `unit ${t.id} published on ${topic}` };
    return this.accept(t);
  }

  /**
   * Telemetry that did not come over MQTT (a drone's KLV: klv-source.ts), already validated by its source: the same
   * order and plausibility checks, counted like MQTT rejects. `view` is what the unit's camera sees on the ground.
   */
  ingestTelemetry(t: UnitTelemetry, view: Pick<MapUnit, 'footprint' | 'frameCenter'> = {}): IngestResult {
    const parsed = UnitTelemetry.safeParse(t);
    const r = parsed.success ? this.accept(parsed.data, view) : { ok: false as const, reason: 'invalid' as const, message: parsed.error.issues[0]?.message ?? 'invalid' };
    if (!r.ok) this.reject(r.reason);
    else this.accepted(r.unit);
    return r;
  }

  /** Counts a message refused before it became telemetry (a KLV packet cut off or with a wrong checksum). */
  reject(reason: UnitRejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
    this.changed(); // the counts reach the map even while no unit moves
  }

  private accept(t: UnitTelemetry, view: Pick<MapUnit, 'footprint' | 'frameCenter'> = {}): IngestResult {
    const prev = this.units.get(t.id);
    if (prev) {
      if (t.ts <= prev.ts) return { ok: false, reason: 'out-of-order', message: `unit ${t.id}: ts ${t.ts} is not after ${prev.ts}` };
      const metres = greatCircleM(prev.lat, prev.lon, t.lat, t.lon);
      const seconds = (t.ts - prev.ts) / 1000;
      // A stale unit may have moved far; a live one cannot outrun maxSpeed (plus 50 m of GPS noise).
      if (metres > 50 + this.maxSpeed * seconds) {
        return { ok: false, reason: 'implausible-jump', message: `unit ${t.id}: ${Math.round(metres)} m in ${seconds.toFixed(1)} s` };
      }
    }
    const cutoff = t.ts - this.trackMs;
    const track = extendTrail(prev?.track ?? [], [t.lon, t.lat, t.ts], cutoff);
    const { v: _v, ...fields } = t;
    const unit: MapUnit = { ...fields, ...view, stale: false, track };
    this.units.set(t.id, unit);
    this.heardAt.set(t.id, this.now());
    return { ok: true, unit };
  }

  /** Marks units stale and forgets long-silent ones; call every second. Returns whether anything changed. */
  sweep(): boolean {
    const now = this.now();
    let changed = false;
    for (const [id, u] of this.units) {
      const silent = now - (this.heardAt.get(id) ?? 0);
      if (silent > this.forgetMs) { this.units.delete(id); this.heardAt.delete(id); changed = true; continue; }
      if (!u.stale && silent > this.staleMs) { this.units.set(id, { ...u, stale: true }); changed = true; }
    }
    if (changed) this.changed();
    return changed;
  }

  snapshot(): Omit<UnitsSnapshot, 'seq'> {
    return { units: [...this.units.values()], rejected: Object.fromEntries(this.rejected) as UnitsSnapshot['rejected'] };
  }

  onChange(cb: () => void): () => void { this.listeners.add(cb); return () => { this.listeners.delete(cb); }; }

  /** Every report accepted, once (the track recorder); refused ones never reach it. */
  onAccept(cb: (u: MapUnit) => void): () => void { this.acceptors.add(cb); return () => { this.acceptors.delete(cb); }; }

  private accepted(u: MapUnit): void { for (const a of this.acceptors) a(u); this.changed(); }

  private changed(): void { for (const l of this.listeners) l(); }
}
