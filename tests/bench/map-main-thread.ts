/**
 * Where the map page's main thread goes while 50 units move (docs/map.md, "The units' reports on the map's main
 * thread"): the map window alone (map-window.ts: 1,000 cameras, zoom 14, the 50 circling units with 5-minute trails),
 * then MAP_MAIN_SECONDS (10) of
 *   - the WebSocket frames the page received, by event name: count and bytes a second (DevTools Network domain);
 *   - a JavaScript CPU profile of the page (samples every 200 µs): busy ms a second, the busy stretches (samples with no
 *     idle gap over 1 ms) of 5 ms or more, each with its length and the functions it spent most in (inclusive), and the
 *     functions with the most inclusive time over the whole profile.
 * MAP_MAIN_TRACE=1: after each profile 5 s of a Chromium trace (no profile running): the renderer's main and compositor
 * threads' and the display compositor's time by trace event.
 * MAP_MAIN_VARIANTS='name=probe calls;name=probe calls' (e.g. `react=window.__kuzetMap.setUnitsDirect(false);direct=
 * window.__kuzetMap.setUnitsDirect(true)`): each variant in turn, MAP_MAIN_ROUNDS (1) times, one profile each, and a line
 * per profile at the end. Build with KUZET_NO_MINIFY=1 for readable names.
 *   node scripts/bench-map-main.mjs
 */
import { loadavg } from 'node:os';
import { openMapWindow, type MapWindow } from './map-window.js';
import { threadTimes, traceFor } from '../support/chrome-trace.js';
import type { CpuProfile, CpuProfileNode } from './cpu-profile.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SECONDS = Number(process.env.MAP_MAIN_SECONDS ?? 10);

const name = (n: CpuProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;

let win: MapWindow | null = null;
try {
  win = await openMapWindow({ zoom: 14 });
  const map = win.page;
  await win.units('bench-map-main');
  await sleep(5000);
  // MAP_MAIN_VARIANTS='name=probe calls;name=probe calls' (alternating, MAP_MAIN_ROUNDS times); default: as built
  const variants = (process.env.MAP_MAIN_VARIANTS ?? 'as built=').split(';').map((v) => { const i = v.indexOf('='); return { name: v.slice(0, i), set: v.slice(i + 1) }; });
  const rounds = Number(process.env.MAP_MAIN_ROUNDS ?? 1);
  const summary: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const v of variants) {
      if (v.set) await map.evaluate(v.set);
      await sleep(1500);
      let line = `${v.name} #${round + 1}: ${await profileOnce(map, v.name)}`;
      if (process.env.MAP_MAIN_TRACE === '1') {
        const traced = threadTimes(await traceFor(map, 5000), 5).filter((x) => /CrRendererMain|VizCompositor|Compositor$/.test(x.thread));
        for (const x of traced) line += `\n  trace ${x.thread}: ${x.busyMsPerS.toFixed(1)} ms/s busy; self ms/s: ${x.self.slice(0, 12).map(([n, ms]) => `${n} ${ms.toFixed(2)}`).join(', ')}`;
      }
      summary.push(line);
    }
  }
  console.log(summary.join('\n'));
} finally {
  await win?.close();
}

/** One profile of SECONDS with the frames counted: prints the details, returns a one-line summary. */
async function profileOnce(map: MapWindow['page'], variant: string): Promise<string> {
  const frames = new Map<string, { n: number; bytes: number }>();
  await map.send('Network.enable');
  const off = map.on('Network.webSocketFrameReceived', (p) => {
    const data = (p as { response?: { payloadData?: string } }).response?.payloadData ?? '';
    const ev = /"event"\s*:\s*"([^"]+)"/.exec(data)?.[1] ?? (/"id"\s*:/.test(data) ? '(reply)' : '(other)');
    const f = frames.get(ev) ?? { n: 0, bytes: 0 };
    f.n += 1; f.bytes += data.length;
    frames.set(ev, f);
  });
  await map.send('Profiler.enable');
  await map.send('Profiler.setSamplingInterval', { interval: 200 });
  await map.send('Profiler.start');
  await sleep(SECONDS * 1000);
  const { profile } = await map.send<{ profile: CpuProfile }>('Profiler.stop');
  off();
  await map.send('Network.disable');
  const load = loadavg()[0]!.toFixed(2);
  console.log(`== ${variant}: load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('WebSocket frames a second by event: ' + [...frames].sort((a, b) => b[1].n - a[1].n).map(([k, f]) => `${k} ${(f.n / SECONDS).toFixed(1)}/s ${Math.round(f.bytes / SECONDS)} B/s`).join(', '));

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number): CpuProfileNode[] => { const out: CpuProfileNode[] = []; for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) out.push(byId.get(x)!); return out; };
  const idle = (id: number) => { const f = byId.get(id)!.callFrame.functionName; return f === '(idle)' || f === '(root)'; };
  // sample i lasts timeDeltas[i + 1] (the time to the next sample)
  let t = profile.startTime;
  const deltas = profile.timeDeltas ?? [];
  const samples = (profile.samples ?? []).map((id, i) => { t += deltas[i] ?? 0; return { id, at: t, dur: (deltas[i + 1] ?? 200) / 1000 }; });
  const busyMs = samples.filter((s) => !idle(s.id)).reduce((a, s) => a + s.dur, 0);
  const selfBy = new Map<string, number>();
  const inclBy = new Map<string, number>();
  for (const s of samples) {
    if (idle(s.id)) continue;
    const st = stackOf(s.id);
    selfBy.set(name(st[0]!), (selfBy.get(name(st[0]!)) ?? 0) + s.dur);
    for (const k of new Set(st.map(name))) inclBy.set(k, (inclBy.get(k) ?? 0) + s.dur);
  }
  console.log(`main thread busy (JS profile, not idle): ${(busyMs / SECONDS).toFixed(1)} ms/s`);
  console.log('self ms/s: ' + [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, ms]) => `${(ms / SECONDS).toFixed(2)} ${k}`).join('\n  '));
  console.log('inclusive ms/s: ' + [...inclBy].filter(([k]) => !k.startsWith('(root)')).sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, ms]) => `${(ms / SECONDS).toFixed(2)} ${k}`).join('\n  '));
  // busy stretches: no idle gap over 1 ms
  const stretches: Array<{ at: number; ms: number; incl: Map<string, number> }> = [];
  let cur: (typeof stretches)[number] | null = null;
  let lastBusy = -Infinity;
  for (const s of samples) {
    if (idle(s.id)) continue;
    if (!cur || s.at - lastBusy > 1000) { cur = { at: s.at, ms: 0, incl: new Map() }; stretches.push(cur); }
    cur.ms = (s.at + s.dur * 1000 - cur.at) / 1000;
    lastBusy = s.at + s.dur * 1000;
    for (const k of new Set(stackOf(s.id).map(name))) cur.incl.set(k, (cur.incl.get(k) ?? 0) + s.dur);
  }
  const long = stretches.filter((s) => s.ms >= 5);
  console.log(`busy stretches >= 5 ms: ${long.length} in ${SECONDS} s; lengths ${long.map((s) => s.ms.toFixed(1)).join(' ')}`);
  for (const s of long.slice(0, 40)) {
    const top = [...s.incl].filter(([k]) => !k.startsWith('(root)') && !k.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`  @${((s.at - profile.startTime) / 1000).toFixed(0)} ms ${s.ms.toFixed(1)} ms: ${top.map(([k, ms]) => `${k} ${ms.toFixed(1)}`).join('; ')}`);
  }
  // the units' report: the message handler, and React's sync work (a render per report, or none)
  const sum = (re: RegExp) => [...inclBy].filter(([k]) => re.test(k)).reduce((a, [, ms]) => Math.max(a, ms), 0) / SECONDS;
  const sorted = long.map((s) => s.ms).sort((a, b) => a - b);
  return `busy ${(busyMs / SECONDS).toFixed(1)} ms/s, onmessage ${sum(/^sock\.onmessage /).toFixed(1)}, React sync work ${sum(/^processRootScheduleInMicrotask /).toFixed(1)}, units painter ${sum(/^paint .*MapView/).toFixed(1)}, stretches >= 5 ms ${long.length} (median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1) ?? '-'}, max ${sorted.at(-1)?.toFixed(1) ?? '-'}) ms, load ${load}`;
}
