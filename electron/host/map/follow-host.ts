/**
 * Follow a unit in the host (issue 10 §3): on every report of a followed unit the pure core (follow-core.ts) picks the
 * fixed camera that sees it best and the host puts it on that display's follow tile (handover onto the same tile), then
 * the unit's own video once on the tile after it. It runs whether or not a map window is open: the window only starts
 * and stops it. One follow per display; it ends on `follow.stop`, a new `follow.start` for the display, or the host's
 * stop.
 */
import type { Camera, WallDisplay } from '../../contract/schemas.js';
import type { WallPush } from '../wall/store.js';
import type { MapUnit } from '../../contract/units-schema.js';
import type { FollowStatus } from '../../contract/follow-api.js';
import { followStep, newFollow, ownVideoPush, sightCameras, type FollowPush, type FollowSession } from '../../contract/follow-core.js';
import type { Logger } from '../log.js';

export interface FollowHost {
  start(displayId: string, unitId: string): FollowStatus;
  stop(displayId: string): void;
  list(): FollowStatus[];
  close(): void;
}

export function createFollowHost(opts: {
  log: Logger;
  /** The unit store's accepted reports, and the unit's latest (null when the store has not heard from it). */
  onAccept: (cb: (u: MapUnit) => void) => () => void;
  unit: (id: string) => MapUnit | null;
  cameras: () => readonly Camera[];
  push: (p: WallPush) => WallDisplay;
  emit: (follows: FollowStatus[]) => void;
  now?: () => number;
}): FollowHost {
  const follows = new Map<string, { s: FollowSession; since: number; error: string | null }>();
  const statusOf = (f: { s: FollowSession; since: number; error: string | null }): FollowStatus =>
    ({ displayId: f.s.displayId, unitId: f.s.unitId, cameraId: f.s.cameraId, cellIndex: f.s.cellIndex, handovers: f.s.handovers, error: f.error, since: f.since });
  const list = () => [...follows.values()].map(statusOf);
  const apply = (displayId: string, p: FollowPush): WallDisplay => opts.push({ displayId, cameraId: p.cameraId, ...(p.cellIndex !== undefined ? { cellIndex: p.cellIndex } : {}) });

  const step = (f: { s: FollowSession; since: number; error: string | null }, u: MapUnit): boolean => {
    const { next, push } = followStep(f.s, [u.lon, u.lat], sightCameras(opts.cameras()));
    if (next === f.s) return false;
    f.s = next;
    if (!push) return true;
    try {
      const wall = apply(f.s.displayId, push);
      if (f.s.cellIndex === null) {
        const cell = wall.layout.cells.findIndex((c) => c.cameraId === push.cameraId);
        f.s = { ...f.s, cellIndex: cell >= 0 ? cell : null };
      }
      const own = ownVideoPush(f.s, u.cameraId, wall.layout.cells.length);
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
    for (const f of follows.values()) if (f.s.unitId === u.id && step(f, u)) changed = true;
    if (changed) opts.emit(list());
  });

  return {
    start(displayId, unitId) {
      const f = { s: newFollow(displayId, unitId), since: (opts.now ?? Date.now)(), error: null as string | null };
      follows.set(displayId, f);
      const u = opts.unit(unitId);
      if (u) step(f, u);
      opts.log.info('following a unit', { display: displayId, unit: unitId });
      opts.emit(list());
      return statusOf(f);
    },
    stop(displayId) {
      if (!follows.delete(displayId)) return;
      opts.log.info('follow stopped', { display: displayId });
      opts.emit(list());
    },
    list,
    close() { off(); follows.clear(); },
  };
}
