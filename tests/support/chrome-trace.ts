/**
 * A Chromium trace of a few seconds over the DevTools protocol (Tracing domain), and what each thread spent its time
 * on: self time per trace event name (benchmarks only: tests/bench/map-draw-cost.ts, MAP_DRAW_TRACE=1).
 */
import type { PlainChromium } from './plain-chromium.js';

export interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; args?: { name?: string } }

/** The trace categories of DevTools' performance panel plus compositor and GPU: where a frame's time goes. */
export const FRAME_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'gpu', 'v8', 'viz'];

/** Traces the browser for `ms` and returns its events. */
export async function traceFor(page: PlainChromium, ms: number, categories = FRAME_CATEGORIES): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const offData = page.on('Tracing.dataCollected', (p) => { events.push(...(p as { value: TraceEvent[] }).value); });
  const done = new Promise<void>((resolve) => { const off = page.on('Tracing.tracingComplete', () => { off(); resolve(); }); });
  await page.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: categories, recordMode: 'recordContinuously' } });
  await new Promise((r) => setTimeout(r, ms));
  await page.send('Tracing.end');
  await done;
  offData();
  return events;
}

/**
 * Per thread (`<process name>/<thread name>`): ms of its outermost events, and ms of self time per event name (an
 * event's duration minus its children's), over complete ('X') events. `perS` divides by the traced seconds.
 */
export function threadTimes(events: readonly TraceEvent[], seconds: number): Array<{ thread: string; busyMsPerS: number; self: Array<[string, number]> }> {
  const procName = new Map<number, string>();
  const threadName = new Map<string, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') procName.set(e.pid, e.args?.name ?? String(e.pid));
    if (e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? String(e.tid));
  }
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const k = `${e.pid}:${e.tid}`;
    const list = byThread.get(k) ?? [];
    byThread.set(k, list);
    list.push(e);
  }
  const out: Array<{ thread: string; busyMsPerS: number; self: Array<[string, number]> }> = [];
  for (const [k, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const self = new Map<string, number>();
    const stack: Array<{ e: TraceEvent; end: number; kids: number }> = [];
    let busy = 0;
    const pop = () => {
      const top = stack.pop()!;
      self.set(top.e.name, (self.get(top.e.name) ?? 0) + (top.e.dur! - top.kids));
      const parent = stack.at(-1);
      if (parent) parent.kids += top.e.dur!;
      else busy += top.e.dur!;
    };
    for (const e of list) {
      while (stack.length && stack.at(-1)!.end <= e.ts) pop();
      stack.push({ e, end: e.ts + e.dur!, kids: 0 });
    }
    while (stack.length) pop();
    const pid = Number(k.split(':')[0]);
    out.push({
      thread: `${procName.get(pid) ?? pid}/${threadName.get(k) ?? k}`,
      busyMsPerS: busy / 1000 / seconds,
      self: [...self].map(([n, us]) => [n, us / 1000 / seconds] as [string, number]).sort((a, b) => b[1] - a[1]),
    });
  }
  return out.sort((a, b) => b.busyMsPerS - a.busyMsPerS);
}
