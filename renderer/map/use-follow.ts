/**
 * Following a unit from the map (issue 10 §3). The host runs the follow (electron/host/map/follow-host.ts: the wall's
 * follow tile shows the fixed camera that sees the unit best, handover as it moves, the unit's own video beside it),
 * so closing the map does not stop it; the map starts and stops it through the contract (`follow.start`/`.stop`),
 * shows the host's `follow.changed` for its display, and keeps the followed unit centred while it is open.
 */
import { useEffect, useRef, useState } from 'react';
import type { HostState } from '../bridge/host-state.js';
import type { FollowStatus } from '../../electron/contract/follow-api.js';
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
  start(unitId: string): void;
  stop(): void;
}

export function useFollow(host: HostState, units: readonly MapUnit[], centre: (at: LonLat) => void): FollowState {
  const displayId = host.session.displayId;
  const [status, setStatus] = useState<FollowStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const centreRef = useRef(centre);
  centreRef.current = centre;

  useEffect(() => {
    const mine = (all: readonly FollowStatus[]) => setStatus(all.find((f) => f.displayId === displayId) ?? null);
    const off = host.client.on('follow.changed', mine);
    // a follow started before this window opened (or by another map window) is shown too
    host.client.call('follow.list', {}).then(mine).catch(() => { /* shown by follow.changed */ });
    return off;
  }, [host, displayId]);

  const unitId = status?.unitId ?? null;
  useEffect(() => {
    if (!unitId) return;
    const u = units.find((x) => x.id === unitId);
    if (u) centreRef.current([u.lon, u.lat]);
  }, [unitId, units]);

  const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
  return {
    unitId, cameraId: status?.cameraId ?? null, handovers: status?.handovers ?? 0, error: status?.error ?? error,
    start: (id) => { setError(null); host.client.call('follow.start', { displayId, unitId: id }).then(setStatus).catch(fail); },
    stop: () => { setError(null); host.client.call('follow.stop', { displayId }).then(() => setStatus(null)).catch(fail); },
  };
}
