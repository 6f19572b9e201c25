/**
 * Which recorded stream a review / replay player gets for a range (pure). The tile asks for the sub-stream when it is
 * small (the live wall's rule, contract/stream-choice.ts); it gets it only where the sub-stream's recording covers the
 * range as the main stream's does, so a small tile never shows a gap the main stream has footage for (the sub-stream
 * switched on later, its connection failed for a while, or retention is part-way through a camera's files).
 */
import type { StreamProfile } from '../../contract/schemas.js';
import type { Segment } from '../recording/segment.js';
import { segmentsIn } from '../recording/timeline.js';

/** The sub-stream may cover this much less than the main stream of a range (its connection starts a moment later). */
export const SUB_COVER_SLACK_MS = 8000;

/** Milliseconds of [fromMs, toMs) that playable (not corrupt) segments cover. */
export function coveredMs(sorted: readonly Segment[], fromMs: number, toMs: number): number {
  let n = 0;
  let upTo = fromMs;
  for (const s of segmentsIn(sorted, fromMs, toMs)) {
    if (s.status === 'corrupt') continue;
    const a = Math.max(s.startMs, upTo);
    const b = Math.min(s.endMs, toMs);
    if (b > a) { n += b - a; upTo = b; }
  }
  return n;
}

/** The stream to list for [fromMs, toMs): `want` when it is main, or when the sub-stream covers the range as main does. */
export function recordedStreamFor(want: StreamProfile, main: readonly Segment[], sub: readonly Segment[], fromMs: number, toMs: number): StreamProfile {
  if (want === 'main' || sub.length === 0) return 'main';
  const subMs = coveredMs(sub, fromMs, toMs);
  return subMs > 0 && subMs >= coveredMs(main, fromMs, toMs) - SUB_COVER_SLACK_MS ? 'sub' : 'main';
}
