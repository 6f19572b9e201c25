/**
 * The operators' zones and lines per camera, kept in the alarm store, and the track memory that turns boxes into
 * zone names before rules run: an event gets the names of the zones its object stands in and the lines its track
 * crossed since its previous observation (zone-geometry.ts). Saving validates everything first, so bad input
 * changes nothing; a stored row that no longer validates is skipped (logged) and left in place, never deleted.
 */
import { ContractError } from '../../contract/api.js';
import type { KuzetEvent } from '../../contract/events-schema.js';
import { CameraZones, type Point, type Zone } from '../../contract/zones-schema.js';
import type { Logger } from '../log.js';
import type { SqliteAlarmStore } from './store-sqlite.js';
import { reasonOfIssue } from '../../contract/api-errors.js';
import { footOf, zoneShapeProblem, zonesHit } from './zone-geometry.js';

/** A track not seen for this long starts afresh (no crossing from a stale position). */
const TRACK_MEMORY_MS = 10_000;
/** Bound on remembered tracks (a flood of one-off track ids must not grow memory without end). */
const MAX_TRACKS = 50_000;
const MAX_EVENT_ZONES = 16;

function describe(err: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return err.issues.slice(0, 3).map((i) => `${i.path.length ? `${i.path.map(String).join('.')}: ` : ''}${i.message}`).join('; ');
}

export class ZoneBook {
  private readonly byCamera = new Map<string, Zone[]>();
  private readonly feet = new Map<string, { foot: Point; at: number }>();
  private readonly listeners = new Set<(z: CameraZones) => void>();

  constructor(private readonly store: SqliteAlarmStore, log: Logger) {
    for (const row of store.zoneRows()) {
      let body: unknown;
      try { body = JSON.parse(row.body); } catch { body = null; }
      const parsed = CameraZones.safeParse({ cameraId: row.camera, zones: body });
      if (parsed.success) this.byCamera.set(row.camera, parsed.data.zones);
      else log.error('stored zones of a camera do not validate; left in the store, not used', { camera: row.camera, problem: describe(parsed.error) });
    }
  }

  list(cameraIds?: readonly string[]): CameraZones[] {
    const ids = cameraIds ?? [...this.byCamera.keys()];
    return ids.map((cameraId) => ({ cameraId, zones: this.byCamera.get(cameraId) ?? [] }));
  }

  /** Validates and stores one camera's zones; throws ContractError('invalid') naming the first problem. */
  save(cameraId: string, raw: unknown[], actor: string, at: number): CameraZones {
    const parsed = CameraZones.safeParse({ cameraId, zones: raw });
    if (!parsed.success) throw new ContractError('invalid', describe(parsed.error), reasonOfIssue(parsed.error.issues[0]!) ?? undefined);
    for (const z of parsed.data.zones) {
      const problem = zoneShapeProblem(z);
      if (problem) throw new ContractError('invalid', problem.message, problem.reason);
    }
    const zones = parsed.data.zones;
    this.store.transaction(() => {
      this.store.saveZones(cameraId, zones, at);
      this.store.audit({ at, actor, action: 'zones.save', subject: `camera:${cameraId}`, detail: zones.map((z) => `${z.kind} ${z.name}`).join(', ') || 'none' });
    });
    if (zones.length) this.byCamera.set(cameraId, zones); else this.byCamera.delete(cameraId);
    const out = { cameraId, zones };
    for (const l of this.listeners) l(out);
    return out;
  }

  onChange(cb: (z: CameraZones) => void): () => void { this.listeners.add(cb); return () => this.listeners.delete(cb); }

  /**
   * The event with the names of the zones and lines its boxes hit added to `zones` (names the analytics sent stay).
   * Remembers the track's position for the next crossing test. Call in capture order per track.
   */
  annotate<E extends KuzetEvent>(ev: E): E {
    const zones = this.byCamera.get(ev.camera);
    if (!zones || !ev.boxes.length) return ev;
    let previous: Point | null = null;
    const key = ev.track !== undefined ? `${ev.camera}\u0000${ev.track}` : null;
    if (key) {
      const last = this.feet.get(key);
      if (last && ev.captureTime >= last.at && ev.captureTime - last.at <= TRACK_MEMORY_MS) previous = last.foot;
      if (!last || ev.captureTime >= last.at) {
        this.feet.delete(key); // re-insert: the map's order is the eviction order
        this.feet.set(key, { foot: footOf(ev.boxes[0]!), at: ev.captureTime });
        if (this.feet.size > MAX_TRACKS) this.feet.delete(this.feet.keys().next().value!);
      }
    }
    const hit = zonesHit(zones, ev.boxes, previous).filter((n) => !ev.zones.includes(n));
    if (!hit.length) return ev;
    return { ...ev, zones: [...ev.zones, ...hit].slice(0, MAX_EVENT_ZONES) };
  }

  /** Forgets tracks not seen since `before` (capture time). */
  prune(before: number): void {
    for (const [k, v] of this.feet) if (v.at < before) this.feet.delete(k);
  }
}
