/**
 * Follow a unit in the host (issue 10 §3): on every report of a followed unit the pure core (follow-core.ts) picks the
 * fixed camera that sees it best and the host puts it on that display's follow tile (handover onto the same tile), then
 * the unit's own video once on the tile after it. It runs whether or not a map window is open: the window only starts
 * and stops it. One follow per display; it ends on `follow.stop`, a new `follow.start` for the display, or when it can
 * no longer run (below).
 *
 * Rights (issue 12): a follow acts for the operator who started it. Only cameras that operator may view live now are
 * put on the tile (the unit's own video too); when the operator is removed or disabled, or holds `viewLive` on no camera
 * any more, the follow ends with that reason (`ended`: a notice and a log line in the host).
 *
 * Restarts: the running follows (display, unit, operator, started-at, and where the follow tile is) are saved in the
 * data dir on every change (`saved`, the versioned store's atomic write; a corrupt file is set aside by it) and
 * `restore()` takes them back after a host start. A restored follow whose unit no longer exists (`unitExists`) or whose
 * operator no longer has the right ends at once with that reason; the others hand over on the unit's next report.
 */
import { z } from 'zod';
import type { Camera, WallDisplay } from '../../contract/schemas.js';
import { CameraId } from '../../contract/schemas.js';
import type { WallPush } from '../wall/store.js';
import { UnitId, type MapUnit } from '../../contract/units-schema.js';
import type { FollowEnd, FollowEndReason, FollowStatus } from '../../contract/follow-api.js';
import { followStep, newFollow, ownVideoPush, sightCameras, type FollowPush, type FollowSession, type MayView } from '../../contract/follow-core.js';
import type { Logger } from '../log.js';

/** One running follow as saved in `<dataDir>/follows.json` (host only; never sent: it names the operator). */
export const SavedFollow = z.object({
  displayId: z.string().min(1).max(64),
  unitId: UnitId,
  /** The user it acts for; null: started by the host itself (in-process callers), every camera allowed. */
  operator: z.string().min(1).max(200).nullable(),
  since: z.number(),
  cameraId: CameraId.nullable(),
  cellIndex: z.number().int().min(0).nullable(),
  ownVideo: CameraId.nullable(),
  handovers: z.number().int().min(0),
}).strict();
export type SavedFollow = z.infer<typeof SavedFollow>;
export const SavedFollows = z.object({ follows: z.array(SavedFollow).max(1000) });
export type SavedFollows = z.infer<typeof SavedFollows>;

/** Why a follow ended without anyone stopping it (the contract's, electron/contract/follow-api.ts). */
export type { FollowEndReason };
/** A follow that ended by itself: what the map receives (`follow.ended`), and the operator it acted for (host only). */
export interface FollowEnded extends FollowEnd { operator: string | null }

export interface FollowHost {
  /** `operator`: the signed-in user who starts it (the cameras they may see live); null: every camera. */
  start(displayId: string, unitId: string, operator?: string | null): FollowStatus;
  stop(displayId: string): void;
  list(): FollowStatus[];
  /** Takes back the saved follows (after a restart); ends those that can no longer run. Returns how many run. */
  restore(): number;
  close(): void;
}

interface Running { s: FollowSession; since: number; error: string | null; operator: string | null }

export function createFollowHost(opts: {
  log: Logger;
  /** The unit store's accepted reports, and the unit's latest (null when the store has not heard from it). */
  onAccept: (cb: (u: MapUnit) => void) => () => void;
  unit: (id: string) => MapUnit | null;
  cameras: () => readonly Camera[];
  push: (p: WallPush) => WallDisplay;
  emit: (follows: FollowStatus[]) => void;
  now?: () => number;
  /** What the operator may view live now, or why a follow for them cannot run. Absent: every camera. */
  viewer?: (operator: string) => MayView | Exclude<FollowEndReason, 'unitGone'>;
  /** The saved follows: read by `restore()`, written on every change. Absent: nothing is kept across restarts. */
  saved?: { read(): SavedFollow[]; write(follows: SavedFollow[]): void };
  /** Whether a unit still exists (reported recently), for restored follows. Absent: always. */
  unitExists?: (unitId: string) => boolean;
  /** A follow ended by itself (the host says so to the operator). */
  ended?: (e: FollowEnded) => void;
}): FollowHost {
  const follows = new Map<string, Running>();
  const statusOf = (f: Running): FollowStatus =>
    ({ displayId: f.s.displayId, unitId: f.s.unitId, cameraId: f.s.cameraId, cellIndex: f.s.cellIndex, handovers: f.s.handovers, error: f.error, since: f.since });
  const list = () => [...follows.values()].map(statusOf);
  const apply = (displayId: string, p: FollowPush): WallDisplay => opts.push({ displayId, cameraId: p.cameraId, ...(p.cellIndex !== undefined ? { cellIndex: p.cellIndex } : {}) });

  const save = () => {
    if (!opts.saved) return;
    const rows: SavedFollow[] = [...follows.values()].map((f) => ({ displayId: f.s.displayId, unitId: f.s.unitId, operator: f.operator, since: f.since,
      cameraId: f.s.cameraId, cellIndex: f.s.cellIndex, ownVideo: f.s.ownVideo, handovers: f.s.handovers }));
    try { opts.saved.write(rows); } catch (e) {
      opts.log.error('follows not saved: a host restart will forget them', { error: e instanceof Error ? e.message : String(e) });
    }
  };
  /** The operator's camera test, or the reason the follow must end. */
  const mayOf = (f: Running): MayView | undefined | Exclude<FollowEndReason, 'unitGone'> => (f.operator !== null && opts.viewer ? opts.viewer(f.operator) : undefined);
  const end = (f: Running, reason: FollowEndReason) => {
    follows.delete(f.s.displayId);
    opts.log.warn('follow ended', { display: f.s.displayId, unit: f.s.unitId, operator: f.operator, reason });
    opts.ended?.({ displayId: f.s.displayId, unitId: f.s.unitId, operator: f.operator, reason, at: (opts.now ?? Date.now)() });
  };

  /** One report of the followed unit; true when the follow changed (or ended). */
  const step = (f: Running, u: MapUnit): boolean => {
    const may = mayOf(f);
    if (typeof may === 'string') { end(f, may); return true; }
    const { next, push } = followStep(f.s, [u.lon, u.lat], sightCameras(opts.cameras()), may);
    if (next === f.s) return false;
    f.s = next;
    if (!push) return true;
    try {
      const wall = apply(f.s.displayId, push);
      if (f.s.cellIndex === null) {
        const cell = wall.layout.cells.findIndex((c) => c.cameraId === push.cameraId);
        f.s = { ...f.s, cellIndex: cell >= 0 ? cell : null };
      }
      const own = ownVideoPush(f.s, u.cameraId, wall.layout.cells.length, may);
      if (own) { apply(f.s.displayId, own); f.s = { ...f.s, ownVideo: own.cameraId }; }
      f.error = null;
    } catch (e) {
      f.error = e instanceof Error ? e.message : String(e);
      opts.log.warn('follow tile not moved', { display: f.s.displayId, unit: f.s.unitId, camera: push.cameraId, error: f.error });
    }
    return true;
  };

  const off = opts.onAccept((u) => {
    let changed = false;
    for (const f of [...follows.values()]) if (f.s.unitId === u.id && step(f, u)) changed = true;
    if (changed) { save(); opts.emit(list()); }
  });

  return {
    start(displayId, unitId, operator = null) {
      const f: Running = { s: newFollow(displayId, unitId), since: (opts.now ?? Date.now)(), error: null, operator };
      follows.set(displayId, f);
      const u = opts.unit(unitId);
      if (u) step(f, u);
      opts.log.info('following a unit', { display: displayId, unit: unitId, operator });
      save();
      opts.emit(list());
      return statusOf(f);
    },
    stop(displayId) {
      if (!follows.delete(displayId)) return;
      opts.log.info('follow stopped', { display: displayId });
      save();
      opts.emit(list());
    },
    list,
    restore() {
      const rows = opts.saved?.read() ?? [];
      let ended = 0;
      for (const r of rows) {
        const f: Running = { s: { displayId: r.displayId, unitId: r.unitId, cameraId: r.cameraId, cellIndex: r.cellIndex, ownVideo: r.ownVideo, handovers: r.handovers },
          since: r.since, error: null, operator: r.operator };
        follows.set(r.displayId, f);
        const may = mayOf(f);
        if (opts.unitExists && !opts.unitExists(r.unitId)) { end(f, 'unitGone'); ended++; continue; }
        if (typeof may === 'string') { end(f, may); ended++; continue; }
        opts.log.info('follow restored', { display: r.displayId, unit: r.unitId, operator: r.operator, camera: r.cameraId, cell: r.cellIndex });
      }
      if (rows.length) { save(); opts.emit(list()); }
      if (ended) opts.log.info('restored follows ended', { ended });
      return follows.size;
    },
    close() { off(); follows.clear(); },
  };
}
