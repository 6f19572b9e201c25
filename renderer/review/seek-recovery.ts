/**
 * A paused review player whose picture at the playhead does not come recovers by itself. Seen: one player of four
 * showing no picture after three seeks (bench:review's sync phase). What can keep it from coming: the footage for the
 * target is not in the SourceBuffer although the player's bookkeeping says it was appended (evicted, cut by the
 * append window, dropped by MSE's coded frame removal), a fetch that never answers, a decoder or MediaSource that
 * stopped. The player reports what it sees each animation frame; this says what to do. Pure: tested without a browser.
 *  - `refetch`: forget what was appended around the target, abort the fetch in flight, fetch the target's footage again;
 *  - `reopen`: a new MediaSource (and decoder) for the player, footage fetched again.
 * Each round waits twice as long as the one before (capped), so a machine too busy to seek in time is not made busier.
 */

/** What a player sees of its seek, in one animation frame. */
export interface SeekSight {
  /** performance.now() */
  nowMs: number;
  targetMs: number;
  /** A picture is expected: paused at a recorded moment, in the grid, not failed (a failure has its own retry). */
  expected: boolean;
  /** The picture at the target is on screen. */
  shown: boolean;
  /** The target's footage is in the SourceBuffer. */
  buffered: boolean;
  /** A fetch for the target's footage is in flight. */
  fetching: boolean;
}

/** Where a player's recovery is: the target it waits for, since when, and what it tried. */
export interface SeekWatch {
  targetMs: number;
  sinceMs: number;
  /** Rounds of recovery done (each ends with a reopen). */
  round: number;
  /** `refetch` done in this round. */
  refetched: boolean;
}

export type Recovery = 'none' | 'refetch' | 'reopen';

/** After this long without the picture (first round) the target's footage is fetched again when it is not buffered. */
export const REFETCH_AFTER_MS = 4_000;
/** After this long (first round) the player is opened again. */
export const REOPEN_AFTER_MS = 12_000;
/** Rounds after the first wait twice as long each, up to this factor. */
const MAX_BACKOFF = 8;

export function watchSeek(watch: SeekWatch | null, s: SeekSight): { watch: SeekWatch | null; action: Recovery } {
  if (!s.expected || s.shown) return { watch: null, action: 'none' };
  if (!watch || watch.targetMs !== s.targetMs) return { watch: { targetMs: s.targetMs, sinceMs: s.nowMs, round: 0, refetched: false }, action: 'none' };
  const k = Math.min(MAX_BACKOFF, 2 ** watch.round);
  const waited = s.nowMs - watch.sinceMs;
  if (waited >= REOPEN_AFTER_MS * k) {
    // footage on its way all this time: the host is slow, not the player; ask again rather than start over
    if (s.fetching && !s.buffered) return { watch: { ...watch, sinceMs: s.nowMs, round: watch.round + 1, refetched: true }, action: 'refetch' };
    return { watch: { ...watch, sinceMs: s.nowMs, round: watch.round + 1, refetched: false }, action: 'reopen' };
  }
  if (!watch.refetched && waited >= REFETCH_AFTER_MS * k && !s.buffered && !s.fetching) return { watch: { ...watch, refetched: true }, action: 'refetch' };
  return { watch, action: 'none' };
}
