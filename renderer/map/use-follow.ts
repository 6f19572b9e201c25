/**
 * Following a unit from the map (issue 10 §3): on every position the host sends, the map is centred on the unit
 * (`centre`), and the wall's follow tile shows the fixed camera that sees the unit best (follow.ts), switching as the
 * unit moves (handover); the unit's own video goes on the tile after it, once. The follow tile is the first free tile
 * the first time (`wall.push` without a cell), then that same cell.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HostState } from '../bridge/host-state.js';
import type { Camera } from '../../electron/contract/schemas.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import { chooseFollowCamera, sightCameras } from './follow.js';
import type { LonLat } from './geo.js';

export interface FollowState {
  /** The fixed camera on the follow tile now, or null when no camera sees the unit. */
  cameraId: string | null;
  /** Handovers since following began. */
  handovers: number;
  error: string | null;
}

export function useFollow(host: HostState, units: readonly MapUnit[], cameras: readonly Camera[], followId: string | null, centre: (at: LonLat) => void): FollowState {
  const sights = useMemo(() => sightCameras(cameras), [cameras]);
  const [state, setState] = useState<FollowState>({ cameraId: null, handovers: 0, error: null });
  const shown = useRef<string | null>(null);
  const cell = useRef<number | null>(null);
  const ownVideo = useRef<string | null>(null);
  const centreRef = useRef(centre);
  centreRef.current = centre;

  useEffect(() => {
    shown.current = null; cell.current = null; ownVideo.current = null;
    setState({ cameraId: null, handovers: 0, error: null });
  }, [followId]);

  useEffect(() => {
    if (!followId) return;
    const u = units.find((x) => x.id === followId);
    if (!u) return;
    const at: LonLat = [u.lon, u.lat];
    centreRef.current(at);
    const best = chooseFollowCamera(sights, at, shown.current);
    if (!best) {
      // nobody sees it now: the follow tile keeps the last picture, and the map says so
      if (shown.current !== null) { shown.current = null; setState((s) => ({ ...s, cameraId: null })); }
      return;
    }
    if (best === shown.current) return;
    const first = cell.current === null;
    shown.current = best;
    const displayId = host.session.displayId;
    host.client.call('wall.push', { displayId, cameraId: best, ...(cell.current !== null ? { cellIndex: cell.current } : {}) }).then((wall) => {
      if (cell.current === null) cell.current = wall.layout.cells.findIndex((c) => c.cameraId === best);
      setState((s) => ({ cameraId: best, handovers: s.handovers + (first ? 0 : 1), error: null }));
      const next = (cell.current ?? -1) + 1;
      if (u.cameraId && ownVideo.current !== u.cameraId && next > 0 && next < wall.layout.cells.length) {
        ownVideo.current = u.cameraId;
        return host.client.call('wall.push', { displayId, cameraId: u.cameraId, cellIndex: next }).then(() => undefined);
      }
      return undefined;
    }).catch((err: unknown) => setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err) })));
  }, [followId, units, sights, host]);

  return state;
}
