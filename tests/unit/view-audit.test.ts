// The viewing audit's intervals on fake timers: layout churn within the debounce is one interval, a camera kept by
// another socket of the same session stays open, a hand-over ends the previous user's intervals at once, and
// recording fetches coalesce until a gap.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ViewAudit, type ViewRecord, type Viewer } from '../../electron/host/access/view-audit.js';

const aigerim: Viewer = { session: 's1', user: 'aigerim', source: 'web:10.0.0.5', display: 'main' };
const nurlan: Viewer = { session: 's2', user: 'nurlan', source: 'web:10.0.0.5', display: 'main' };

function make() {
  const out: ViewRecord[] = [];
  const v = new ViewAudit({ write: (r) => out.push(r), liveDebounceMs: 3000, recordingGapMs: 60_000, now: () => Date.now() });
  return { v, out };
}

beforeEach(() => { vi.useFakeTimers(); vi.setSystemTime(Date.UTC(2026, 0, 10, 8, 0, 0)); });
afterEach(() => { vi.useRealTimers(); });

describe('live viewing intervals', () => {
  it('writes one interval per camera when the socket stops, after the debounce, with user and console', () => {
    const { v, out } = make();
    const t0 = Date.now();
    v.liveSet('f1', aigerim, ['cam-1', 'cam-2']);
    vi.advanceTimersByTime(10_000);
    v.liveSet('f1', aigerim, ['cam-2']);
    expect(out).toEqual([]); // still within the debounce
    vi.advanceTimersByTime(3000);
    expect(out).toEqual([{ action: 'view.live', user: 'aigerim', cameraId: 'cam-1', from: t0, to: t0 + 10_000, session: 's1', source: 'web:10.0.0.5', display: 'main' }]);
    vi.advanceTimersByTime(5000);
    v.liveSet('f1', aigerim, []);
    vi.advanceTimersByTime(3000);
    expect(out.map((r) => [r.cameraId, r.to - r.from])).toEqual([['cam-1', 10_000], ['cam-2', 18_000]]);
  });

  it('layout churn within the debounce is one interval, not two', () => {
    const { v, out } = make();
    const t0 = Date.now();
    v.liveSet('f1', aigerim, ['cam-1']);
    vi.advanceTimersByTime(4000);
    for (let i = 0; i < 20; i++) { v.liveSet('f1', aigerim, []); vi.advanceTimersByTime(200); v.liveSet('f1', aigerim, ['cam-1']); }
    vi.advanceTimersByTime(60_000);
    expect(out).toEqual([]);
    v.liveSet('f1', aigerim, []);
    vi.advanceTimersByTime(2999);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ cameraId: 'cam-1', from: t0, to: t0 + 4000 + 20 * 200 + 60_000 });
  });

  it('a camera shown on two displays of one session is one interval until both stop', () => {
    const { v, out } = make();
    v.liveSet('f1', aigerim, ['cam-1']);
    v.liveSet('f2', { ...aigerim, display: 'wall-2' }, ['cam-1']);
    vi.advanceTimersByTime(5000);
    v.liveSet('f1', aigerim, []);
    vi.advanceTimersByTime(10_000);
    expect(out).toEqual([]);
    v.liveSet('f2', aigerim, []);
    vi.advanceTimersByTime(3000);
    expect(out).toHaveLength(1);
    expect(out[0]!.to - out[0]!.from).toBe(15_000);
  });

  it('a hand-over ends the previous user\'s intervals at once and starts the next user\'s', () => {
    const { v, out } = make();
    v.liveSet('f1', aigerim, ['cam-1']);
    vi.advanceTimersByTime(7000);
    v.liveSet('f1', nurlan, ['cam-1']);
    expect(out).toEqual([expect.objectContaining({ user: 'aigerim', cameraId: 'cam-1' })]);
    expect(out[0]!.to - out[0]!.from).toBe(7000);
    v.liveSet('f1', null, []); // signed out: ends without waiting
    expect(out.map((r) => r.user)).toEqual(['aigerim', 'nurlan']);
  });

  it('flush writes what is still open (the host stops)', () => {
    const { v, out } = make();
    v.liveSet('f1', aigerim, ['cam-1', 'cam-2']);
    vi.advanceTimersByTime(1000);
    v.liveSet('f1', aigerim, ['cam-2']); // cam-1 within its debounce: ends at 1000
    vi.advanceTimersByTime(1000);
    v.flush();
    expect(out.map((r) => [r.cameraId, r.to - r.from]).sort()).toEqual([['cam-1', 1000], ['cam-2', 2000]]);
    vi.advanceTimersByTime(10_000);
    expect(out).toHaveLength(2); // the pending debounce does not write it twice
  });
});

describe('recording viewing intervals', () => {
  it('coalesces fetches until a gap, per camera and session', () => {
    const { v, out } = make();
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) { v.recordingFetched(aigerim, 'cam-1'); vi.advanceTimersByTime(4000); }
    v.recordingFetched(nurlan, 'cam-1');
    expect(out).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(out).toEqual([
      { action: 'view.recording', user: 'aigerim', cameraId: 'cam-1', from: t0, to: t0 + 36_000, session: 's1', source: 'web:10.0.0.5', display: 'main' },
      expect.objectContaining({ user: 'nurlan', from: t0 + 40_000, to: t0 + 40_000 }),
    ]);
    v.recordingFetched(aigerim, 'cam-1'); // after the gap: a new interval
    v.flush();
    expect(out).toHaveLength(3);
  });
});
