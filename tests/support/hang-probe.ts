/**
 * Diagnostics for a page that stops answering (docs/testing.md, "A click that never completes"): with
 * `KUZET_E2E_PROBE=<file>` set, every page of a test's browser context is probed every 2 s and one JSON line per probe is
 * appended to the file:
 * - `evalMs`: a `Runtime.evaluate` of `1` (the renderer's main thread answers a task);
 * - `rafMs`: the wait for a `requestAnimationFrame` callback (the page produces frames; mouse moves are dispatched on
 *   animation frames, so a page without frames does not take a click);
 * - `state`: the page's visibility, focus and main-thread lag (PAGE_STATE);
 * - `nodeLagMs`: the worst event-loop delay of this (the test's) process since the last probe;
 * - `browserMs`: a `Browser.getVersion` round trip (the browser process and the DevTools pipe, no page involved);
 * - `threads`: CPU (% of one core since the last probe) and state of the renderers' and the browser's busiest threads;
 * - `renderersNice`: the nice value of each renderer's main thread (Chromium lowers it for a page it thinks is in the back);
 * - `machine`: the machine's busy share since the last probe and the load average.
 * A probe that does not answer is reported as pending (`-1` after 10 s) and the next one still starts on time.
 * Off by default; it costs a few evaluates a second.
 */
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { machineTicks, tree } from './procfs.js';

const EVERY_MS = 2000;
/**
 * The page's own view, read by the probe: visibility and focus, and the worst lateness of a 100 ms timer on the page's
 * main thread since the last read (`lagMs`). A small lag with a long `evalMs` means the page was free and the protocol
 * (browser process, the DevTools pipe, this process) was slow; a lag as long as `evalMs` means the page was busy.
 */
const PAGE_STATE = `(() => {
  const w = window; let p = w.__kuzetProbeLag;
  if (!p) { p = w.__kuzetProbeLag = { max: 0, last: performance.now() }; setInterval(() => { const n = performance.now(); p.max = Math.max(p.max, n - p.last - 100); p.last = n; }, 100); }
  const lagMs = Math.round(p.max); p.max = 0;
  return JSON.stringify({ vis: document.visibilityState, focus: document.hasFocus(), lagMs });
})()`;
const PROBE_TIMEOUT_MS = 10_000;

interface ThreadTicks { comm: string; ticks: number; state: string }

function threadsOf(pid: number): Map<string, ThreadTicks> {
  const out = new Map<string, ThreadTicks>();
  let tids: string[] = [];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return out; }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { comm, ticks: Number(rest[11]) + Number(rest[12]), state: rest[0] ?? '?' });
    } catch { /* gone */ }
  }
  return out;
}

/** This process's Chromium processes (pid, type, nice of the main thread): the browsers it started and their children. */
function chromiumProcs(): { pid: number; type: string; nice: number }[] {
  const out: { pid: number; type: string; nice: number }[] = [];
  for (const p of tree(process.pid)) {
    if (!p.cmdline.startsWith('/usr/lib/chromium/chromium')) continue;
    const type = /--type=([a-z-]+)/.exec(p.cmdline)?.[1] ?? 'browser';
    const sub = /--utility-sub-type=([\w.]+)/.exec(p.cmdline)?.[1];
    let nice = 0;
    try { const st = readFileSync(`/proc/${p.pid}/stat`, 'utf8'); nice = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[16]); } catch { /* gone */ }
    out.push({ pid: p.pid, type: sub ? `${type}:${sub.split('.')[0]}` : type, nice });
  }
  return out;
}

export interface HangProbe { stop(): void }

/** Starts the probe for every page of `context` (present and future) when KUZET_E2E_PROBE names a file; else does nothing. */
export function startHangProbe(browser: Browser, context: BrowserContext): HangProbe {
  const file = process.env.KUZET_E2E_PROBE;
  if (!file) return { stop() { /* off */ } };
  const sessions = new Map<Page, { cdp: CDPSession; name: string }>();
  let n = 0;
  const attach = async (page: Page) => {
    const name = `page${n++}`;
    try { sessions.set(page, { cdp: await context.newCDPSession(page), name }); } catch { /* closed meanwhile */ }
    page.on('close', () => sessions.delete(page));
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) write({ page: name, url: f.url().replace(/token=[^&]+/, 'token=…') }); });
  };
  for (const p of context.pages()) void attach(p);
  context.on('page', (p) => { void attach(p); });
  const write = (o: object) => appendFileSync(file, JSON.stringify({ t: new Date().toISOString().slice(11, 23), ...o }) + '\n');
  const timed = async (what: Promise<unknown>): Promise<number> => {
    const t0 = Date.now();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), PROBE_TIMEOUT_MS));
    try { return (await Promise.race([what, timeout])) === 'timeout' ? -1 : Date.now() - t0; } catch { return -2; }
  };
  let lastThreads = new Map<string, number>();
  let lastMachine = machineTicks();
  let lastAt = Date.now();
  const nodeLag = monitorEventLoopDelay({ resolution: 20 });
  nodeLag.enable();
  const tick = async () => {
    const now = Date.now();
    const elapsed = Math.max(1, now - lastAt);
    lastAt = now;
    const procs = chromiumProcs();
    const threads: string[] = [];
    const nextThreads = new Map<string, number>();
    for (const p of procs) {
      for (const [tid, t] of threadsOf(p.pid)) {
        const key = `${p.pid}/${tid}`;
        nextThreads.set(key, t.ticks);
        const d = t.ticks - (lastThreads.get(key) ?? t.ticks);
        const pct = Math.round((d * 10 * 100) / elapsed); // ticks are 10 ms
        if (pct >= 5 || t.state === 'D') threads.push(`${p.type}[${p.pid}]:${t.comm}:${pct}%${t.state === 'R' ? '' : `:${t.state}`}`);
      }
    }
    lastThreads = nextThreads;
    const m = machineTicks();
    const busyPct = Math.round((100 * (m.busy - lastMachine.busy)) / Math.max(1, m.total - lastMachine.total));
    lastMachine = m;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const nodeLagMs = Math.round(nodeLag.max / 1e6);
    nodeLag.reset();
    write({ machine: { busyPct, load }, nodeLagMs, threads, renderersNice: procs.filter((p) => p.type === 'renderer').map((p) => `${p.pid}:${p.nice}`) });
    await Promise.all([...sessions.values()].map(async ({ cdp, name }) => {
      const evalMs = await timed(cdp.send('Runtime.evaluate', { expression: '1' }));
      const rafMs = await timed(cdp.send('Runtime.evaluate', { expression: 'new Promise((r) => requestAnimationFrame(() => r(1)))', awaitPromise: true }));
      let state: unknown = null;
      try {
        state = (await Promise.race([cdp.send('Runtime.evaluate', { expression: PAGE_STATE, returnByValue: true }),
          new Promise((r) => setTimeout(() => r(null), PROBE_TIMEOUT_MS))]) as { result?: { value?: string } } | null)?.result?.value ?? null;
      } catch { state = 'error'; }
      write({ page: name, evalMs, rafMs, state });
    }));
  };
  // the browser process itself, over the same pipe: slow with the pages means the protocol path, fast means the pages
  let browserCdp: CDPSession | null = null;
  void browser.newBrowserCDPSession().then((c) => { browserCdp = c; }, () => { /* closed */ });
  const browserTick = async () => { if (browserCdp) write({ browserMs: await timed(browserCdp.send('Browser.getVersion')) }); };
  const timer = setInterval(() => { void tick(); void browserTick(); }, EVERY_MS);
  write({ start: browser.version() });
  return { stop() { clearInterval(timer); nodeLag.disable(); } };
}
