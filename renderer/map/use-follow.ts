/**
 * Following a unit from the map (issue 10 §3). The host runs the follow (electron/host/map/follow-host.ts: the wall's
 * follow tile shows the fixed camera that sees the unit best, handover as it moves, the unit's own video beside it),
 * so closing the map does not stop it; the map starts and stops it through the contract (`follow.start`/`.stop`),
 * shows the host's `follow.changed` for its display, and keeps the followed unit centred while it is open. A follow
 * that ends by itself (`follow.ended`: unit gone, operator removed, right lost) leaves its reason on the map for
 * `FOLLOW_ENDED_SHOW_MS`.
 */
import { useEffect, useRef, useState } from 'react';
import type { HostState } from '../bridge/host-state.js';
import type { ValueStore } from '../bridge/stores.js';
import type { FollowEnd, FollowStatus } from '../../electron/contract/follow-api.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import type { LonLat } from './geo.js';

export interface FollowState {
  /** The unit followed on this display (null: none). */
  unitId: string | null;
  /** The fixed camera on the follow tile now, or null when no camera sees the unit. */
  cameraId: string | null;
  /** Handovers since following began. */
  handovers: number;
  error: string | null;
  /** This display's follow that ended by itself, with the reason, for a few seconds after (null: none). */
  ended: FollowEnd | null;
  start(unitId: string): void;
  stop(): void;
}

/** How long the map says why its follow ended. */
export const FOLLOW_ENDED_SHOW_MS = 8000;

/** The i18n key (under `units.`) that says why a follow ended. */
export const followEndedKey = (e: Pick<FollowEnd, 'reason'>) => `followEnded.${e.reason}` as const;

/** `units`: the map's units store (every report); the followed unit is kept centred on each report while followed. */
export function useFollow(host: HostState, units: ValueStore<MapUnit[]>, centre: (at: LonLat) => void): FollowState {
  const displayId = host.session.displayId;
  const [status, setStatus] = useState<FollowStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState<FollowEnd | null>(null);
  const centreRef = useRef(centre);
  centreRef.current = centre;

  useEffect(() => {
    const mine = (all: readonly FollowStatus[]) => setStatus(all.find((f) => f.displayId === displayId) ?? null);
    const off = host.client.on('follow.changed', mine);
    // a follow started before this window opened (or by another map window) is shown too
    host.client.call('follow.list', {}).then(mine).catch(() => { /* shown by follow.changed */ });
    const offEnded = host.client.on('follow.ended', (e) => { if (e.displayId === displayId) setEnded(e); });
    return () => { off(); offEnded(); };
  }, [host, displayId]);

  useEffect(() => {
    if (!ended) return;
    const t = setTimeout(() => setEnded(null), FOLLOW_ENDED_SHOW_MS);
    return () => clearTimeout(t);
  }, [ended]);

  const unitId = status?.unitId ?? null;
  useEffect(() => {
    if (!unitId) return;
    const centreIt = () => {
      const u = units.get().find((x) => x.id === unitId);
      if (u) centreRef.current([u.lon, u.lat]);
    };
    centreIt();
    return units.subscribe(centreIt);
  }, [unitId, units]);

  const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
  return {
    unitId, cameraId: status?.cameraId ?? null, handovers: status?.handovers ?? 0, error: status?.error ?? error,
    // a follow running again on the display (started here or elsewhere) replaces the old reason
    ended: status ? null : ended,
    start: (id) => { setError(null); setEnded(null); host.client.call('follow.start', { displayId, unitId: id }).then(setStatus).catch(fail); },
    stop: () => { setError(null); host.client.call('follow.stop', { displayId }).then(() => setStatus(null)).catch(fail); },
  };
}
