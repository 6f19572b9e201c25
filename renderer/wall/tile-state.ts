/**
 * What a tile tells the operator about its camera: the host's stream state combined with the age of
 * the last frame on the client's clock. A frame older than STALE_AFTER_MS is never shown as live.
 */
import type { StreamStatus } from '../../electron/contract/schemas.js';

export type TileState = 'empty' | 'idle' | 'connecting' | 'live' | 'stalled' | 'reconnecting' | 'offline' | 'error';

export const STALE_AFTER_MS = 1200; // + the 200 ms label tick: stale on screen well within 2 s
/** A tile the decoder budget put on key frames only gets about one frame a second by design. */
export const STALE_AFTER_KEYFRAME_ONLY_MS = 3500;

export function tileState(cameraId: string | null, status: StreamStatus | undefined, lastFrameAt: number | null, now: number): TileState {
  if (cameraId === null) return 'empty';
  if (status && status.state !== 'live') return status.state;
  if (lastFrameAt === null) return 'connecting';
  const limit = status?.keyframeOnly ? STALE_AFTER_KEYFRAME_ONLY_MS : STALE_AFTER_MS;
  return now - lastFrameAt > limit ? 'stalled' : 'live';
}

/** One tile's last second: frames painted, the camera's rate at the host, and whether the budget cut it to key frames. */
export interface TilePaintRate { paintedFps: number; hostFps: number; keyframeOnly: boolean }

/**
 * Share (0-100) of the frames the host delivers at full rate that this window painted, over its live tiles; null when
 * no tile runs at full rate. The host's load governor shrinks the decode budget when it falls (streams.pageLoad).
 */
export function paintedShare(tiles: readonly TilePaintRate[]): number | null {
  let painted = 0, delivered = 0;
  for (const t of tiles) {
    if (t.keyframeOnly || !(t.hostFps >= 5)) continue;
    painted += Math.min(t.paintedFps, t.hostFps);
    delivered += t.hostFps;
  }
  return delivered > 0 ? (painted / delivered) * 100 : null;
}

/** The picture is dimmed in every state except live (and empty, which has none). */
export function isDimmed(state: TileState): boolean {
  return state !== 'live' && state !== 'empty';
}

/**
 * Age of the last frame for the tile label: "<1 s", "3 s", "4 min", "2 h", or "no frame". A live picture reads "<1 s"
 * and keeps that text: a label changing five times a second over a live canvas made the window's software compositor
 * redo the labels' layer every time (docs/performance.md, "The app window's extra cost").
 */
export function formatAge(lastFrameAt: number | null, now: number): string {
  if (lastFrameAt === null) return 'no frame';
  const s = Math.max(0, now - lastFrameAt) / 1000;
  if (s < 1) return '<1 s';
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h`;
}

/** Big state text for a tile: "LIVE", "STALLED", "ERROR: wrong credentials"... */
export function stateText(state: TileState, status: StreamStatus | undefined): string {
  if (state === 'error') return `ERROR: ${status?.message || status?.reason || 'unknown'}`;
  if (state === 'empty') return 'drop a camera here';
  return state.toUpperCase();
}
