import { describe, expect, it } from 'vitest';
import { threadTimes, type TraceEvent } from '../support/chrome-trace.js';

const meta = (pid: number, tid: number, proc: string, thread: string): TraceEvent[] => [
  { name: 'process_name', ph: 'M', pid, tid, ts: 0, args: { name: proc } },
  { name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name: thread } },
];
const x = (pid: number, tid: number, name: string, ts: number, dur: number): TraceEvent => ({ name, ph: 'X', pid, tid, ts, dur });

describe('threadTimes (a trace\'s time per thread and event)', () => {
  it('counts the outermost events as busy and gives each name its duration less its children', () => {
    const events = [
      ...meta(1, 10, 'Renderer', 'CrRendererMain'),
      // a task of 10 ms holding a function call of 6 ms, which holds a GC of 2 ms; then a task of 4 ms
      x(1, 10, 'RunTask', 0, 10_000), x(1, 10, 'FunctionCall', 1_000, 6_000), x(1, 10, 'GC', 2_000, 2_000),
      x(1, 10, 'RunTask', 20_000, 4_000),
      { name: 'instant', ph: 'i', pid: 1, tid: 10, ts: 5 } as TraceEvent,
    ];
    const [main] = threadTimes(events, 2);
    expect(main!.thread).toBe('Renderer/CrRendererMain');
    expect(main!.busyMsPerS).toBeCloseTo(7); // (10 + 4) ms over 2 s
    expect(Object.fromEntries(main!.self)).toEqual({ RunTask: 4, FunctionCall: 2, GC: 1 });
  });

  it('keeps threads apart and orders them busiest first; unnamed ones by their ids', () => {
    const events = [...meta(1, 10, 'Renderer', 'CrRendererMain'), x(1, 10, 'A', 0, 1_000), x(2, 20, 'B', 0, 3_000), x(2, 20, 'C', 5_000, 1_000)];
    const out = threadTimes(events, 1);
    expect(out.map((t) => [t.thread, t.busyMsPerS])).toEqual([['2/2:20', 4], ['Renderer/CrRendererMain', 1]]);
  });
});
