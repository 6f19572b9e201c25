/** How a camera's stream state shows on the map: live, stale (connecting or stalled), offline, or not decoded now. */
import type { StreamState } from '../../electron/contract/schemas.js';
import type { UnitKind } from '../../electron/contract/units-schema.js';

export type MapCameraState = 'live' | 'stale' | 'offline' | 'idle';
export type Rgba = [number, number, number, number];

export function mapCameraState(state: StreamState | undefined): MapCameraState {
  switch (state) {
    case 'live': return 'live';
    case 'connecting': case 'stalled': case 'reconnecting': return 'stale';
    case 'offline': case 'error': return 'offline';
    default: return 'idle';
  }
}

/** Cone fill colours; the outline and the camera dot use the same colour at full opacity. */
export const STATE_COLOURS: Record<MapCameraState, Rgba> = {
  live: [46, 204, 113, 90],
  stale: [241, 196, 15, 90],
  offline: [231, 76, 60, 90],
  idle: [149, 165, 166, 70],
};

/** Unit colours by kind; a stale unit is drawn grey with a red ring (its telemetry stopped). Shared by the map and the review's unit map. */
export const UNIT_COLOURS: Record<UnitKind, Rgba> = {
  drone: [52, 152, 219, 255], robot: [155, 89, 182, 255], body: [230, 126, 34, 255], patrol_car: [26, 188, 156, 255],
};
export const STALE_UNIT: Rgba = [127, 140, 141, 255];
export const STALE_RING: Rgba = [231, 76, 60, 255];
