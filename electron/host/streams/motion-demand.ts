/**
 * Motion detection keeps a camera connected (issue 3): the detector runs inside the camera's media worker, so a
 * camera with motion on and no tile still needs one. Pure: applied to the stream policy's decisions on every
 * reconcile, before recording (a recorded camera then moves to its main stream as usual).
 *  - shown in a tile: unchanged (the worker taps its decoder, or decodes key frames beside encoded delivery);
 *  - not shown: sub-stream (main when there is none), key frames only, no pictures decoded for delivery.
 */
import { DEFAULT_MAIN, DEFAULT_SUB, fitSize, type StreamFacts, type Size, type StreamDecision } from './policy.js';

/** Size asked for a camera only analysed: nobody looks at it, it only has to be small. */
export const MOTION_ONLY_SIZE: Size = { width: 160, height: 90 };

/** Cost of key-frame motion on a sub-stream, measured with `npm run bench:motion` (docs/performance.md). */
export const MOTION_COST_PCT = 0.7;

/** A camera decoded for motion detection only (no tile shows it). */
export const isMotionOnly = (d: StreamDecision): boolean => d.decision[0]?.key === 'motionOnly';

export function withMotion(
  decisions: Readonly<Record<string, StreamDecision>>,
  analysed: ReadonlySet<string>,
  cameras: Readonly<Record<string, StreamFacts>>,
): Record<string, StreamDecision> {
  const out: Record<string, StreamDecision> = { ...decisions };
  for (const id of analysed) {
    const facts = cameras[id];
    if (!facts) continue;
    const d = out[id];
    if (d && d.unseenSince === null) continue;
    const stream = facts.hasSub ? (facts.sub ?? DEFAULT_SUB) : (facts.main ?? DEFAULT_MAIN);
    out[id] = {
      profile: facts.hasSub ? 'sub' : 'main', ...fitSize(MOTION_ONLY_SIZE, stream), streamWidth: stream.width,
      keyframeOnly: true, pinned: false, downgrade: null, costPct: MOTION_COST_PCT, unseenSince: null,
      decision: [{ key: 'motionOnly' }],
    };
  }
  return out;
}
