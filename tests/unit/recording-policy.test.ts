import { describe, expect, it } from 'vitest';
import { parseSegmentFile, segmentFile, type Segment } from '../../electron/host/recording/segment.js';
import { planEventDiscard, planRetention } from '../../electron/host/recording/retention.js';
import { buildSpans, segmentsIn } from '../../electron/host/recording/timeline.js';
import { withRecording } from '../../electron/host/streams/recording-demand.js';
import { decideStreams } from '../../electron/host/streams/policy.js';
import { insideRoot } from '../../electron/host/recording/recordings-root.js';

const T0 = Date.UTC(2026, 10, 29, 10, 0, 0);
const seg = (cameraId: string, startS: number, lenS = 4, bytes = 1000, status: Segment['status'] = 'ok'): Segment =>
  ({ cameraId, startMs: T0 + startS * 1000, endMs: T0 + (startS + lenS) * 1000, file: segmentFile(cameraId, T0 + startS * 1000), bytes, status });

describe('segment files', () => {
  it('round-trips camera and start time and refuses anything else', () => {
    expect(parseSegmentFile(segmentFile('gate-1', T0))).toEqual({ cameraId: 'gate-1', startMs: T0, stream: 'main' });
    expect(parseSegmentFile('gate-1/2026-11-28/' + T0 + '.mp4')).toBeNull(); // day does not match the time
    expect(parseSegmentFile('../gate-1/2026-11-29/' + T0 + '.mp4')).toBeNull();
    expect(parseSegmentFile('Gate/2026-11-29/' + T0 + '.mp4')).toBeNull();
    expect(parseSegmentFile('gate-1/2026-11-29/' + T0 + '.mkv')).toBeNull();
  });
  it('confines paths to the recordings root', () => {
    expect(insideRoot('/rec', 'a/b.mp4')).toBe('/rec/a/b.mp4');
    for (const bad of ['../x', '/etc/passwd', 'a/../../x', '', 'a\0b']) expect(() => insideRoot('/rec', bad)).toThrow(/outside the recordings folder/);
  });
});

describe('retention', () => {
  const segs = [seg('a', 0), seg('b', 2), seg('a', 4), seg('b', 6), seg('a', 8), seg('a', 12)];
  const base = { segments: segs, locks: [], now: T0 + 20_000, maxAgeMs: 86_400_000, quotaBytes: 0, mustFreeBytes: 0 };

  it('deletes nothing within age and quota', () => {
    expect(planRetention(base)).toEqual({ delete: [], shortfallBytes: 0 });
  });
  it('deletes by age', () => {
    expect(planRetention({ ...base, maxAgeMs: 12_500 }).delete.map((s) => s.startMs - T0)).toEqual([0, 2000]);
  });
  it('meets the quota oldest first across cameras', () => {
    expect(planRetention({ ...base, quotaBytes: 3500 }).delete.map((s) => `${s.cameraId}${(s.startMs - T0) / 1000}`)).toEqual(['a0', 'b2', 'a4']);
  });
  it('never deletes a segment overlapping an evidence lock of its camera, and reports the shortfall', () => {
    const locks = [{ cameraIds: ['a'], fromMs: T0 + 1000, toMs: T0 + 5000 }];
    const plan = planRetention({ ...base, locks, quotaBytes: 1000 });
    expect(plan.delete.map((s) => `${s.cameraId}${(s.startMs - T0) / 1000}`)).toEqual(['b2', 'b6', 'a8', 'a12']);
    expect(plan.shortfallBytes).toBe(1000); // a0 and a4 are locked: 2000 bytes stay where 1000 are allowed
    // a lock on another camera protects nothing here
    expect(planRetention({ ...base, locks: [{ cameraIds: ['z'], fromMs: T0, toMs: T0 + 99_000 }], quotaBytes: 1000 }).shortfallBytes).toBe(0);
  });
  it('frees extra space when the disk is short', () => {
    expect(planRetention({ ...base, mustFreeBytes: 1500 }).delete).toHaveLength(2);
  });
});

describe('event-triggered recording', () => {
  it('keeps pre- and post-event footage and the pre-buffer, discards the rest', () => {
    const segs = [0, 4, 8, 12, 16, 20, 24, 28, 32, 36].map((s) => seg('a', s));
    const discard = planEventDiscard({ segments: segs, triggers: [T0 + 14_000], preMs: 5000, postMs: 6000, now: T0 + 40_000, locks: [] });
    // window [9 s, 20 s): segments 8, 12, 16 stay; 32 and 36 are the pre-buffer (end after now - pre)
    expect(discard.map((s) => (s.startMs - T0) / 1000)).toEqual([0, 4, 20, 24, 28]);
    expect(planEventDiscard({ segments: segs, triggers: [], preMs: 5000, postMs: 0, now: T0 + 40_000, locks: [{ cameraIds: ['a'], fromMs: T0, toMs: T0 + 1 }] }).map((s) => (s.startMs - T0) / 1000)).toEqual([4, 8, 12, 16, 20, 24, 28]);
  });
});

describe('timeline', () => {
  it('merges segment joins, shows gaps and damaged segments', () => {
    const segs = [seg('a', 0), seg('a', 4.05), seg('a', 8), seg('a', 20), seg('a', 24, 4, 1000, 'corrupt'), seg('a', 28)];
    const spans = buildSpans(segs, T0 - 10_000, T0 + 40_000).map((s) => [s.kind, (s.startMs - T0) / 1000, (s.endMs - T0) / 1000]);
    expect(spans).toEqual([['gap', -10, 0], ['recorded', 0, 12], ['gap', 12, 20], ['recorded', 20, 24], ['corrupt', 24, 28], ['recorded', 28, 32], ['gap', 32, 40]]);
  });
  it('finds segments of a range in a 24-hour index', () => {
    const day = Array.from({ length: 21_600 }, (_, i) => seg('a', i * 4));
    const found = segmentsIn(day, T0 + 43_200_000 + 1000, T0 + 43_200_000 + 9000);
    expect(found.map((s) => (s.startMs - T0) / 1000)).toEqual([43_200, 43_204, 43_208]);
  });
});

describe('recording keeps the main stream connected', () => {
  const cameras = { a: { hasSub: true }, b: { hasSub: true } };
  it('adds a key-frame-only main decision for a recorded camera no tile shows', () => {
    const d = withRecording({}, new Set(['a']), cameras);
    expect(d.a).toMatchObject({ profile: 'main', keyframeOnly: true, width: 160, height: 90, unseenSince: null });
  });
  it('keeps a small tile of a recorded camera on the main stream (one connection), leaves others alone', () => {
    const policy = decideStreams({ demands: [{ cameraId: 'a', width: 320, height: 180 }, { cameraId: 'b', width: 320, height: 180 }], cameras, previous: {}, now: T0 });
    expect(policy.a?.profile).toBe('sub');
    const d = withRecording(policy, new Set(['a']), cameras);
    expect(d.a).toMatchObject({ profile: 'main', width: 320, height: 180, keyframeOnly: false });
    expect(d.b).toEqual(policy.b);
  });
});
