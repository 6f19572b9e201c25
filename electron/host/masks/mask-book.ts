/**
 * Privacy masks per camera (issue 12 §3), kept in the alarm store beside the zones (table `masks`), and the lifts of
 * liftable masks. Saving validates everything first (schema, then shape: no crossing edges, some area), so bad input
 * changes nothing; a stored row that no longer validates is skipped (logged) and left in place, never deleted.
 *
 * A lift lives only in memory with a host timer: when it ends (or the host restarts) the masks are back. Every save,
 * lift, early restore and automatic return is appended to the alarm chain (`masks.save`, `masks.lift`, `masks.restore`,
 * `masks.return`) with the user, the console and the camera. Lifts, restores and returns are security events: written
 * before the call returns (`durable`, like sign-ins and refusals), never left in the group commit's queue.
 */
import { createHash } from 'node:crypto';
import { ContractError } from '../../contract/api.js';
import { CameraMasks, type Mask, type MaskLift } from '../../contract/masks-schema.js';
import type { Logger } from '../log.js';
import type { SqliteAlarmStore } from '../alarms/store-sqlite.js';
import { reasonOfIssue } from '../../contract/api-errors.js';
import { polygonProblem, polygonProblemText } from '../../contract/polygon.js';
import type { MaskPolygon } from './mask-raster.js';

/** A mask as an export's manifest records it: which one, what it hid, and which version of it. */
export interface AppliedMask {
  cameraId: string;
  /** The mask's name (unique per camera). */
  id: string;
  kind: Mask['kind'];
  polygon: Array<{ x: number; y: number }>;
  /** SHA-256 (first 16 hex digits) of kind and points: changes whenever the mask's shape or kind does. */
  version: string;
}

export function maskVersion(m: Pick<Mask, 'kind' | 'points'>): string {
  return createHash('sha256').update(JSON.stringify([m.kind, m.points.map((p) => [p.x, p.y])])).digest('hex').slice(0, 16);
}

function describe(err: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return err.issues.slice(0, 3).map((i) => `${i.path.length ? `${i.path.map(String).join('.')}: ` : ''}${i.message}`).join('; ');
}

/** A reason the mask's outline cannot be used, in words, or null. Checks what the schema cannot: shape (polygon.ts, as zones). */
export function maskProblem(m: Pick<Mask, 'name' | 'points'>): string | null {
  const problem = polygonProblem(m.points);
  return problem ? polygonProblemText('mask', m.name, problem).message : null;
}

/**
 * Validates one camera's masks as sent by a console; throws ContractError('invalid') naming the first problem, with its
 * reason for the console to translate (a crossing outline: `edgesCross` with the mask's name).
 */
export function validateMasks(cameraId: string, raw: unknown[]): Mask[] {
  const parsed = CameraMasks.safeParse({ cameraId, masks: raw, lift: null });
  if (!parsed.success) throw new ContractError('invalid', describe(parsed.error), reasonOfIssue(parsed.error.issues[0]!) ?? undefined);
  for (const m of parsed.data.masks) {
    const problem = polygonProblem(m.points);
    if (problem) { const p = polygonProblemText('mask', m.name, problem); throw new ContractError('invalid', p.message, p.reason); }
  }
  return parsed.data.masks;
}

const NONE: readonly MaskPolygon[] = [];

export interface MaskBookOptions {
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export class MaskBook {
  private readonly byCamera = new Map<string, Mask[]>();
  private readonly lifts = new Map<string, MaskLift & { timer: unknown }>();
  private readonly listeners = new Set<(m: CameraMasks) => void>();
  private readonly permanentCache = new WeakMap<Mask[], MaskPolygon[]>();
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(private readonly store: SqliteAlarmStore, private readonly log: Logger, opts: MaskBookOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    for (const row of store.maskRows()) {
      let body: unknown;
      try { body = JSON.parse(row.body); } catch { body = null; }
      const parsed = CameraMasks.safeParse({ cameraId: row.camera, masks: body, lift: null });
      if (parsed.success) this.byCamera.set(row.camera, parsed.data.masks);
      else log.error('stored masks of a camera do not validate; left in the store, not used', { camera: row.camera, problem: describe(parsed.error) });
    }
  }

  get(cameraId: string): CameraMasks {
    const lift = this.lifts.get(cameraId);
    return { cameraId, masks: this.byCamera.get(cameraId) ?? [], lift: lift ? { by: lift.by, reason: lift.reason, until: lift.until } : null };
  }

  list(cameraIds?: readonly string[]): CameraMasks[] {
    return (cameraIds ?? [...this.byCamera.keys()]).map((id) => this.get(id));
  }

  /** Does the camera have a permanent mask (its pictures must not leave the host in the clear)? */
  hasPermanent(cameraId: string): boolean { return (this.byCamera.get(cameraId) ?? []).some((m) => m.kind === 'permanent'); }

  /** The camera's permanent polygons (the same array until its masks are saved again: the stream engine keys on it). */
  permanentPolygons(cameraId: string): readonly MaskPolygon[] {
    const masks = this.byCamera.get(cameraId);
    if (!masks) return NONE;
    let hit = this.permanentCache.get(masks);
    if (!hit) { hit = masks.filter((m) => m.kind === 'permanent').map((m) => m.points); this.permanentCache.set(masks, hit); }
    return hit;
  }

  /**
   * The camera's masks that apply to pictures leaving the host: `all` (exports: every mask, lifted or not), `current`
   * (thumbnails and alarm snapshots: permanent ones, and liftable ones unless lifted now), `permanent` (recordings served
   * for review; the console draws liftable masks over review itself and follows lifts there).
   */
  applied(cameraId: string, which: 'all' | 'current' | 'permanent'): AppliedMask[] {
    const lifted = this.lifts.has(cameraId);
    return (this.byCamera.get(cameraId) ?? [])
      .filter((m) => m.kind === 'permanent' || which === 'all' || (which === 'current' && !lifted))
      .map((m) => ({ cameraId, id: m.name, kind: m.kind, polygon: m.points.map((p) => ({ x: p.x, y: p.y })), version: maskVersion(m) }));
  }

  /** Validates and stores one camera's masks; throws ContractError('invalid') naming the first problem. */
  save(cameraId: string, raw: unknown[], actor: string, client = ''): CameraMasks {
    const masks = validateMasks(cameraId, raw);
    const at = this.now();
    try {
      this.store.transaction(() => {
        this.store.saveMasks(cameraId, masks, at);
        this.store.auditLog.append({
          at, user: actor, action: 'masks.save', target: `camera:${cameraId}`,
          details: { masks: masks.map((m) => `${m.kind} ${m.name}`).join(', ') || 'none', client },
        });
      });
    } catch (err) { this.store.reloadChainHead(); throw err; }
    if (masks.length) this.byCamera.set(cameraId, masks); else this.byCamera.delete(cameraId);
    return this.changed(cameraId);
  }

  /**
   * Lifts the camera's liftable masks for `minutes` (the caller's right was checked by the gate); audited durably: the entry
   * is stored before the lift takes effect, so a host killed right after cannot lose it (a failed write refuses the lift).
   */
  lift(cameraId: string, minutes: number, reason: string, actor: string, client = ''): CameraMasks {
    const masks = this.byCamera.get(cameraId) ?? [];
    if (!masks.some((m) => m.kind === 'liftable')) throw new ContractError('conflict', `camera '${cameraId}' has no liftable mask to lift`, { code: 'noLiftableMask', params: { camera: cameraId } });
    const at = this.now();
    const until = at + minutes * 60_000;
    this.store.auditLog.append({
      at, user: actor, action: 'masks.lift', target: `camera:${cameraId}`,
      details: { reason, minutes, until: new Date(until).toISOString(), client }, durable: true,
    });
    const old = this.lifts.get(cameraId);
    if (old) this.clearTimer(old.timer);
    const timer = this.setTimer(() => this.end(cameraId, 'system', 'masks.return', 'the lift ran out'), until - at);
    this.lifts.set(cameraId, { by: actor, reason, until, timer });
    return this.changed(cameraId);
  }

  /** Ends a lift now (the masks are back on every console); audited. */
  restore(cameraId: string, actor: string, client = ''): CameraMasks {
    if (!this.lifts.has(cameraId)) return this.get(cameraId);
    this.end(cameraId, actor, 'masks.restore', `restored early${client ? ` (${client})` : ''}`);
    return this.get(cameraId);
  }

  private end(cameraId: string, user: string, action: string, why: string): void {
    const lift = this.lifts.get(cameraId);
    if (!lift) return;
    this.clearTimer(lift.timer);
    this.lifts.delete(cameraId);
    try {
      this.store.auditLog.append({ user, action, target: `camera:${cameraId}`, details: `${why}; lifted by ${lift.by}`, durable: true });
    } catch (err) { this.log.error('audit write failed', { error: String(err) }); }
    this.changed(cameraId);
  }

  onChange(cb: (m: CameraMasks) => void): () => void { this.listeners.add(cb); return () => this.listeners.delete(cb); }

  /** Stops the timers (host shutdown): lifts are not carried over a restart. */
  close(): void {
    for (const l of this.lifts.values()) this.clearTimer(l.timer);
    this.lifts.clear();
  }

  private changed(cameraId: string): CameraMasks {
    const out = this.get(cameraId);
    for (const l of this.listeners) l(out);
    return out;
  }
}
