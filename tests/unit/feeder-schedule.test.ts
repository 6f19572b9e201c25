/**
 * The training footage feeder's schedule (native/feeder/schedule.py, issue 11 §2), run with Debian's Python on a
 * synthetic recording (tests/unit/py/feeder_schedule_cases.py): 0-8 s recorded in two segments, a gap to 20 s, then
 * 20-24 s; 25 frames a second, a key frame each second. Every unit is served at its time on the scenario clock: a
 * stream starts at the first key frame due, a gap is an outage (nothing served, then the footage resumes at its moment,
 * not early), footage before the first segment is waited for, and footage listed late resumes at a key frame on time
 * rather than fast-forwarding.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/** [scenario offset of the unit, scenario offset it is released at, key frame] */
type Served = Array<[number, number, boolean]>;
interface Cases {
  due: number; pickInside: string[]; pickGap: string[]; pickBefore: string[]; after: string[];
  onTime: Served; inGap: Served; before: Served; late: Served; stamps: number[];
}

let r: Cases;
beforeAll(() => {
  r = JSON.parse(execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'py', 'feeder_schedule_cases.py')], { encoding: 'utf8' })) as Cases;
});

/** Every unit released exactly at its recording time on the scenario clock. */
const onClock = (s: Served) => s.every(([at, released]) => Math.abs(released - at) < 1e-6);
const offsets = (s: Served) => s.map(([at]) => at);

describe('footage feeder schedule', () => {
  it('maps a recording time to its moment on the scenario clock and picks the segment holding a moment', () => {
    expect(r.due).toBe(1234);
    expect(r.pickInside).toEqual(['b.mp4', 'c.mp4']);
    expect(r.pickGap).toEqual(['b.mp4', 'c.mp4']); // a segment's end is not listed: the last one started is read, its units too late are dropped
    expect(r.pickBefore).toEqual(['a.mp4', 'b.mp4', 'c.mp4']);
    expect(r.after).toEqual(['c.mp4']);
  });

  it('a client connecting mid-segment starts at the next key frame, then gets every unit at its time, across a segment boundary and a gap', () => {
    const s = r.onTime;
    expect(s[0]).toEqual([3000, 3000, true]);
    expect(onClock(s)).toBe(true);
    // every unit from 3 s to the end of the second segment, across the 4 s boundary: none dropped
    expect(offsets(s).filter((t) => t < 8000)).toEqual(Array.from({ length: 125 }, (_, i) => 3000 + i * 40));
    // the gap: nothing between 8 s and 20 s; the footage resumes at 20 s, not when the second segment ended
    expect(offsets(s).some((t) => t >= 8000 && t < 20_000)).toBe(false);
    expect(s.find(([t]) => t >= 8000)).toEqual([20_000, 20_000, true]);
  });

  it('a client connecting inside the gap waits for the footage\'s moment; one connecting before the footage waits for its start', () => {
    expect(r.inGap[0]).toEqual([20_000, 20_000, true]);
    expect(onClock(r.inGap)).toBe(true);
    expect(r.before[0]).toEqual([0, 0, true]);
    expect(r.before).toHaveLength(300);
    expect(onClock(r.before)).toBe(true);
  });

  it('footage listed late is not fast-forwarded: the stream resumes at the first key frame on time', () => {
    const s = r.late;
    expect(onClock(s)).toBe(true);
    // the second segment became readable 2.5 s late (at 6.5 s): its units due before then are skipped up to the key frame at 7 s
    expect(offsets(s).filter((t) => t >= 3900 && t < 8000).slice(0, 3)).toEqual([3920, 3960, 7000]);
    expect(s.find(([t]) => t === 7000)?.[2]).toBe(true);
  });

  it('stamps each unit with the media\'s running time at its moment, so a client\'s late PLAY does not hold the stream behind it', () => {
    // three units prerolled before the client's PLAY at 1.5 s: stamped at the start of the running time (which begins
    // at the PLAY), in order; the units due while the client took to PLAY likewise (they go out at once)
    const [a, b, c, d, e, ...after] = r.stamps;
    expect(a).toBe(0);
    expect([b, c, d, e].every((x, i) => x! > [a, b, c, d][i]! && x! < 0.001)).toBe(true);
    // then the running time at each unit's moment on the scenario clock: 20 ms after the PLAY, and so on; a unit pushed
    // 30 ms late keeps its moment's stamp; the gap of 2 s in the footage is a jump of 2 s
    expect(after).toEqual([20, 60, 100, 140, 2180]);
  });
});
