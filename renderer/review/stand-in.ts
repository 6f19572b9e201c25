/**
 * Progressive seeks (docs/replay.md, "Seek, eleventh pass"): a paused tile that wants the main stream (a large or
 * maximised tile) shows the sub-stream's picture of the moment first (a quarter of the pixels, a key frame every half
 * second: up to 12 small frames decoded instead of up to 25 large ones) and the main stream's once every tile of the
 * grid has its picture, as Nx Witness does while scrubbing. A new seek cancels a pending upgrade. Pure: the player
 * (review-player.ts) asks `standInFor` at a seek and `standInStep` on every follow.
 */
import type { StreamProfile } from '../../electron/contract/schemas.js';

/** Once its stand-in shows, a tile waits at most this long for the grid's other pictures before fetching main. */
export const UPGRADE_WAIT_MS = 2000;

/** A progressive seek under way. */
export interface StandIn {
  /** The seek's moment (wall ms). */
  targetMs: number;
  /** When the seek began (performance.now()). */
  since: number;
  /** The sub-stream's picture of the moment has been on screen. */
  shown: boolean;
  /** The main stream is being listed, fetched and decoded; the stand-in stays on screen meanwhile. */
  upgrading: boolean;
  /** The element was seeked to the main stream's picture (its footage in place of the stand-in's). */
  mainSeek: boolean;
}

/**
 * At a seek to targetMs: a stand-in when the clock is paused, the tile wants the main stream and the main
 * stream's footage of the moment is not buffered already (a frame step or a seek back within it shows main at once).
 */
export function standInFor(o: { playing: boolean; want: StreamProfile; mainHolds: boolean; targetMs: number; nowMs: number }): StandIn | null {
  if (o.playing || o.want !== 'main' || o.mainHolds) return null;
  return { targetMs: o.targetMs, since: o.nowMs, shown: false, upgrading: false, mainSeek: false };
}

/**
 * What a progressive seek does now. `end`: given up (played, the clock moved without a seek, the tile wants the
 * sub-stream now): the tile's own stream from here. `upgrade`: the stand-in is on screen and no other tile is still
 * without its picture (or UPGRADE_WAIT_MS passed): list the main stream. `done`: the main stream's picture is on screen.
 * `wait`: nothing yet. `atTarget`: the element shows the picture of targetMs (decoded, not seeking).
 */
export function standInStep(s: StandIn, o: { clockMs: number; playing: boolean; want: StreamProfile; listed: StreamProfile | null; atTarget: boolean; othersSettling: boolean; nowMs: number }): 'end' | 'wait' | 'upgrade' | 'done' {
  if (o.playing || Math.abs(o.clockMs - s.targetMs) > 1 || o.want !== 'main') return 'end';
  if (s.upgrading) return o.atTarget && s.mainSeek ? 'done' : 'wait';
  if (!o.atTarget || o.listed !== 'sub') return 'wait';
  return o.othersSettling && o.nowMs - s.since < UPGRADE_WAIT_MS ? 'wait' : 'upgrade';
}
