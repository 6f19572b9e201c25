/**
 * Recording keeps a camera's main stream connected (issue 4): the recorder taps the compressed
 * stream at the worker's `rec` tee, so a recorded camera is always decoded from its main stream.
 * Pure: applied to the stream policy's decisions on every reconcile.
 *  - shown in a tile on the main stream: unchanged;
 *  - shown in a small tile (policy chose sub): main stream scaled to the tile (one connection, not two);
 *  - not shown: main stream, key frames only at a thumbnail size (health only, about 1 fps).
 */
import { decodeCostPct, deliveryCostPct, DEFAULT_MAIN, fitSize, type StreamFacts, type Size, type StreamDecision } from './policy.js';

/** Size decoded for a recorded camera no tile shows: enough for a health check, nearly free. */
export const RECORD_ONLY_SIZE: Size = { width: 160, height: 90 };

export function withRecording(
  decisions: Readonly<Record<string, StreamDecision>>,
  recorded: ReadonlySet<string>,
  cameras: Readonly<Record<string, StreamFacts>>,
): Record<string, StreamDecision> {
  const out: Record<string, StreamDecision> = { ...decisions };
  for (const id of recorded) {
    const facts = cameras[id];
    if (!facts) continue;
    const main = facts.main ?? DEFAULT_MAIN;
    const d = out[id];
    if (!d || d.unseenSince !== null) {
      const size = fitSize(RECORD_ONLY_SIZE, main);
      out[id] = {
        profile: 'main', ...size, streamWidth: main.width, keyframeOnly: true, pinned: false, downgrade: null,
        decision: [{ key: 'recordOnly' }],
        costPct: decodeCostPct(main, true) + deliveryCostPct(size, true), unseenSince: null,
      };
    } else if (d.profile === 'sub') {
      const size = fitSize({ width: d.width, height: d.height }, main);
      out[id] = { ...d, profile: 'main', ...size, streamWidth: main.width, costPct: decodeCostPct(main, d.keyframeOnly) + deliveryCostPct(size, d.keyframeOnly), decision: [...d.decision, { key: 'recordedMain' }] };
    }
  }
  return out;
}
