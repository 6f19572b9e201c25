import { describe, expect, it } from 'vitest';
import { isMotionOnly, withMotion } from '../../electron/host/streams/motion-demand.js';
import type { StreamDecision } from '../../electron/host/streams/policy.js';

const shown: StreamDecision = { profile: 'main', width: 1280, height: 720, streamWidth: 1280, keyframeOnly: false, pinned: false, downgrade: null, decision: [{ key: 'largerThanSub', params: { tile: '1280x720' } }], costPct: 12, unseenSince: null };

describe('withMotion (a camera with motion on keeps a worker)', () => {
  it('gives an analysed camera no tile shows its sub-stream, key frames only, at a small size', () => {
    const out = withMotion({}, new Set(['a']), { a: { hasSub: true } });
    expect(out.a).toMatchObject({ profile: 'sub', keyframeOnly: true, width: 160, height: 90, unseenSince: null, decision: [{ key: 'motionOnly' }] });
    expect(isMotionOnly(out.a!)).toBe(true);
    expect(isMotionOnly(shown)).toBe(false);
  });

  it('uses the main stream when there is no sub-stream, and leaves shown cameras and unknown ones alone', () => {
    const out = withMotion({ b: shown }, new Set(['a', 'b', 'ghost']), { a: { hasSub: false, main: { width: 1920, height: 1080 } }, b: { hasSub: true } });
    expect(out.a).toMatchObject({ profile: 'main', streamWidth: 1920, keyframeOnly: true });
    expect(out.b).toBe(shown);
    expect(out.ghost).toBeUndefined();
  });

  it('takes over a camera in its grace period (no tile any more) instead of letting it stop', () => {
    const out = withMotion({ b: { ...shown, unseenSince: 1000 } }, new Set(['b']), { b: { hasSub: true } });
    expect(out.b).toMatchObject({ profile: 'sub', keyframeOnly: true, unseenSince: null });
  });
});
