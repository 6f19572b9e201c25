/**
 * A paused review player whose picture does not come recovers by itself (renderer/review/seek-recovery.ts), and a seek
 * into a segment's first milliseconds picks that segment, not the one before (segment-plan.ts). Time is a number here.
 */
import { describe, expect, it } from 'vitest';
import { REFETCH_AFTER_MS, REOPEN_AFTER_MS, watchSeek, type Recovery, type SeekSight, type SeekWatch } from '../../renderer/review/seek-recovery.js';
import { APPEND_WINDOW_SLACK_MS, appendEndMs, appendWindowEndMs, planBuffer, segmentAt } from '../../renderer/review/segment-plan.js';

const sight = (nowMs: number, over: Partial<SeekSight> = {}): SeekSight => ({ nowMs, targetMs: 5_000, expected: true, shown: false, buffered: false, fetching: false, ...over });

/** Feeds one sight per 16 ms frame from `fromMs` to `toMs`; returns the actions taken with when. */
function run(watch: SeekWatch | null, fromMs: number, toMs: number, over: (now: number) => Partial<SeekSight> = () => ({})): { watch: SeekWatch | null; actions: Array<[number, Recovery]> } {
  const actions: Array<[number, Recovery]> = [];
  for (let now = fromMs; now <= toMs; now += 16) {
    const r = watchSeek(watch, sight(now, over(now)));
    watch = r.watch;
    if (r.action !== 'none') actions.push([now, r.action]);
  }
  return { watch, actions };
}

describe('a review player that does not get its picture', () => {
  it('does nothing while the picture comes in time, or when none is expected', () => {
    expect(run(null, 0, REOPEN_AFTER_MS * 3, (now) => ({ shown: now > 900 })).actions).toEqual([]);
    // playing, parked, in a gap or failed: no picture is waited for
    expect(run(null, 0, REOPEN_AFTER_MS * 3, () => ({ expected: false })).actions).toEqual([]);
    // the footage is there and the decoder works on it: no refetch before the reopen time
    expect(run(null, 0, REOPEN_AFTER_MS - 100, () => ({ buffered: true })).actions).toEqual([]);
  });

  it('fetches the footage again when it is missing and nothing fetches it, then opens the player again', () => {
    const { actions } = run(null, 0, REOPEN_AFTER_MS + 100);
    expect(actions.map(([, a]) => a)).toEqual(['refetch', 'reopen']);
    const [[refetchAt], [reopenAt]] = actions as [[number, Recovery], [number, Recovery]];
    expect(refetchAt).toBeGreaterThanOrEqual(REFETCH_AFTER_MS);
    expect(refetchAt).toBeLessThan(REFETCH_AFTER_MS + 40);
    expect(reopenAt).toBeGreaterThanOrEqual(REOPEN_AFTER_MS);
  });

  it('waits for a fetch in flight, and asks again rather than reopening when it never answers', () => {
    const { actions } = run(null, 0, REOPEN_AFTER_MS + 100, () => ({ fetching: true }));
    expect(actions.map(([, a]) => a)).toEqual(['refetch']);
    expect(actions[0]![0]).toBeGreaterThanOrEqual(REOPEN_AFTER_MS);
  });

  it('backs off: each round waits twice as long, so a busy machine is not made busier', () => {
    const { actions } = run(null, 0, 200_000);
    const reopens = actions.filter(([, a]) => a === 'reopen').map(([t]) => t);
    expect(reopens.length).toBeGreaterThanOrEqual(3);
    const gaps = reopens.map((t, i) => t - (reopens[i - 1] ?? 0));
    expect(gaps[1]! / gaps[0]!).toBeCloseTo(2, 1);
    expect(gaps[2]! / gaps[1]!).toBeCloseTo(2, 1);
    // capped: never longer than 8 first rounds
    expect(Math.max(...gaps)).toBeLessThanOrEqual(REOPEN_AFTER_MS * 8 + 32);
  });

  it('starts over for a new target and forgets a picture that came', () => {
    const first = run(null, 0, REFETCH_AFTER_MS + 100);
    expect(first.actions.map(([, a]) => a)).toEqual(['refetch']);
    // a new seek: its own wait from its own start
    const r = watchSeek(first.watch, sight(REFETCH_AFTER_MS + 200, { targetMs: 9_000 }));
    expect(r.action).toBe('none');
    expect(r.watch).toEqual({ targetMs: 9_000, sinceMs: REFETCH_AFTER_MS + 200, round: 0, refetched: false });
    expect(watchSeek(r.watch, sight(REFETCH_AFTER_MS + 300, { targetMs: 9_000, shown: true })).watch).toBeNull();
  });
});

describe('the segment under a seek', () => {
  const seg = (startMs: number, endMs = startMs + 4000) => ({ startMs, endMs, url: `/rec/seg/c/${startMs}.mp4`, bytes: 1 });
  const segs = [seg(0), seg(4000), seg(8000), seg(20_000)];
  it('is the one whose range holds the moment, also in its first 20 ms', () => {
    expect(segmentAt(segs, 4005)?.startMs).toBe(4000);
    expect(segmentAt(segs, 4000)?.startMs).toBe(4000);
    expect(segmentAt(segs, 3999)?.startMs).toBe(0);
  });
  it('is the later of two overlapping ones: the earlier one is cut where the later starts', () => {
    // seen under load (sub-stream branch, e2e/review): an index end 121 ms past the next file's start; the seek waited on
    // the earlier file, whose frames stop at the join, and aborted the later one's fetch on every frame (readyState 1)
    const overlapping = [seg(0, 4121), seg(4000), seg(8000)];
    expect(segmentAt(overlapping, 4050)?.startMs).toBe(4000);
    expect(appendEndMs(overlapping, overlapping[0]!)).toBe(4000); // why: the earlier file's frames stop there
    expect(segmentAt(overlapping, 3990)?.startMs).toBe(0);
    expect(planBuffer(overlapping, 4050, 1, false).want[0]?.startMs).toBe(4000);
  });
  it('appends a file up to its last frame, which ends a fraction of a millisecond past the next file\'s start', () => {
    // as recorded (main streams of the simulator): 75 frames of 40 ms from 0.4 ms after the segment's start
    const joined = [seg(0, 3000), seg(3000, 7000)];
    const frames = Array.from({ length: 75 }, (_, i) => ({ pts: 0.4 + i * 40, end: 0.4 + (i + 1) * 40 }));
    const windowEnd = appendWindowEndMs(joined, joined[0]!);
    // MSE drops a frame that ends after appendWindowEnd: every frame must fit, the last one included
    expect(frames.filter((f) => f.end <= windowEnd).length).toBe(75);
    // and the window still stops before the next file's second frame (a tail never covers the next GOP's key frame)
    expect(windowEnd).toBeLessThan(3000 + 0.4 + 40);
    // the moment a seek lands on in those last 40 ms is that frame's: the earlier segment, whose frame it is
    expect(segmentAt(joined, 2998)?.startMs).toBe(0);
  });
  it('never lets the earlier file\'s tail cover the later one\'s first frame when the later one is appended first', () => {
    // a seek into the later segment appends it (and those ahead) first and the one before it last (planBuffer)
    const joined = [seg(0, 3000), seg(3000, 7000)];
    expect(planBuffer(joined, 3500, 1, false).want.map((s) => s.startMs)).toEqual([3000, 0]);
    // the later file as buffered: its key frame 0.4 ms after its start
    const keyMs = 3000.4;
    // the earlier file's tail as recorded under load (capture clock): frames not on the later one's grid, the last
    // one ending 15 ms past the join; and the regular case, its last frame ending exactly at the key frame
    const irregular = [{ pts: 2945, end: 2985 }, { pts: 2985, end: 3015 }];
    const regular = Array.from({ length: 75 }, (_, i) => ({ pts: 0.4 + i * 40, end: 0.4 + (i + 1) * 40 }));
    const windowEnd = appendWindowEndMs(joined, joined[0]!, [0.4, keyMs]);
    const kept = (frames: Array<{ pts: number; end: number }>) => frames.filter((f) => f.end <= windowEnd);
    // MSE removes a buffered frame an appended one covers, and with a key frame its whole GOP: none may be kept
    const covers = (f: { pts: number; end: number }) => f.pts <= keyMs && keyMs < f.end;
    expect(kept(irregular).filter(covers)).toEqual([]);
    expect(kept(irregular)).toHaveLength(1);
    // the regular file still keeps its last frame (the seek into the last 40 ms before the join has its picture)
    expect(kept(regular)).toHaveLength(75);
    // nothing appended after the join yet: the half frame of slack as before; a range of the earlier file's own
    // (its seek GOP, appended first) does not cut it
    expect(appendWindowEndMs(joined, joined[0]!)).toBe(3000 + APPEND_WINDOW_SLACK_MS);
    expect(appendWindowEndMs(joined, joined[0]!, [1000.4])).toBe(3000 + APPEND_WINDOW_SLACK_MS);
    // the last segment: no cut
    expect(appendWindowEndMs(joined, joined[1]!, [0.4, keyMs])).toBe(Infinity);
  });
  it('keeps a frame of tolerance at the edges of a stretch', () => {
    expect(segmentAt(segs, 19_990)?.startMs).toBe(20_000);
    expect(segmentAt(segs, 12_010)?.startMs).toBe(8000);
    expect(segmentAt(segs, 15_000)).toBeNull();
  });
});
