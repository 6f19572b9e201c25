/** How a camera's stream state shows on the map: live, stale (connecting or stalled), offline, or not decoded now. */
import type { StreamState } from '../../electron/contract/schemas.js';

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
