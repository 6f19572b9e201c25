/**
 * `npm run bench:wall`: the live wall against pure decoding of the same streams, in one run, on both displays: the
 * app window exactly as `npm start` opens it (its flags from scripts/app-window.mjs, on $DISPLAY or a private Xvfb
 * 1920x1080x24: the headline) and headless Chromium. For each row (tiles x stream resolution) it measures the CPU of
 * the engine's default full decode of the same streams to a null sink, then per display: painted fps per tile, CPU of
 * decoders / host / renderer / browser processes (sampled continuously: replaced workers count), capture-to-drawn
 * latency, resident memory, and overhead = whole-wall CPU / pure-decode CPU.
 * Latency comes from the simulator's time-stamp mode (the sender's wall clock burnt into the picture) on the first
 * STAMPED cameras of the row, read from each new frame right after the wall drew it (tests/bench/latency-probe.ts).
 *   --quick   only 16 x 360p (writes wall.quick.json and docs/benchmarks/wall-quick.md, keeping the full run's)
 *   --soak    add the 10-minute memory run (16 x 360p, window)
 *   --displays=window,headless   which displays, in this order (default both)
 *   --window-flags=+--flag,-flag  add / drop flags of the app window (experiments on what the window costs)
 *   --query=paint=browser   extra URL query for the wall page (diagnostics switches, e.g. the browser's drawImage)
 *   --playwright  drive the headless page with Playwright instead of plain Chromium + a minimal DevTools client
 *             (Playwright's network instrumentation copies every WebSocket frame to it: ~10 % of a core)
 *   --pacing-ab  after each measurement, alternating 10 s windows of the wall's burst pacing on / off (latest wins;
 *             renderer/wall/frame-pacing.ts) in the same page: painted fps, drops by cause, latency, renderer CPU, load
 *   --profile after each measurement, 10 s of CPU by thread (all processes) and a 10 s JavaScript profile of the
 *             wall page's main thread (self time by function), written to bench/results/wall.profile.json
 * One host serves every row, so the load governor's budget carries from one row into the next.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { startSimulator, ensureClips, type Simulator } from '../../native/simulator/control.js';
import { makePresetLayout, type PresetId } from '../../electron/contract/layout-presets.js';
import { ROOT, startWebShell, launchBrowser, waitFor, killGroup, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { launchPlainChromium } from '../support/plain-chromium.js';
import { ensureXDisplay, type XDisplay } from '../support/xvfb.js';
import { measureCpu, measureThreads, median, percentile, type ProcInfo } from '../support/procfs.js';
import { allTilesPainting, classifier, paintedFps, tilesNow as readTiles, type TileNow } from './wall-page.js';
import type { CpuProfile } from './cpu-profile.js';

type Display = 'window' | 'headless';
interface WallRow { tiles: number; streamRes: '360p' | '720p' }
interface RunResult extends WallRow {
  display: Display;
  paintedFpsMin: number; paintedFpsMedian: number; cpuTotalPct: number; cpuDecodeOnlyPct: number; overheadRatio: number;
  latencyP50Ms: number | null; latencyP99Ms: number | null; latencySamples: number; latencyCameras: number; rssMb: number;
  cpuByGroup: Record<string, number>; machineBusyPct: number; decodeOnlyMachineBusyPct: number;
  downgraded: number; keyframeOnly: number; notes: string[];
  pacingAb?: PacingWindow[];
}
interface PacingWindow {
  pacing: boolean; secs: number; paintedFpsMin: number; paintedFpsMedian: number; receivedFpsMedian: number;
  dropsPerSec: number; relayDropsPerSec: number; channelDropsPerSec: number; paintsPerSec: number;
  latencyP50Ms: number | null; latencyP99Ms: number | null; latencySamples: number; rendererCpuPct: number; load1m: number;
}

const PRESET: Record<number, PresetId> = { 1: '1', 4: '2x2', 9: '3x3', 16: '4x4', 25: '5x5', 36: '6x6' };
const argv = process.argv.slice(2);
const args = new Set(argv);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.has('--quick');
const soak = args.has('--soak');
const profile = args.has('--profile');
const pacingAb = args.has('--pacing-ab');
const AB_WINDOWS = 6;
const AB_MS = 10_000;
const displays = (option('displays') ?? 'window,headless').split(',').map((d) => {
  if (d !== 'window' && d !== 'headless') throw new Error(`--displays: window or headless, not ${d}`);
  return d as Display;
});
const windowFlags = (option('window-flags') ?? '').split(',').filter(Boolean);
const MEASURE_MS = 20_000;
const WARM_MS = 15_000; // the load governor settles within ~10 s
/** Cameras per row in the simulator's time-stamp mode (live x264 in the simulator: ~5 % of a core per 360p stream, ~20 % per 720p). */
const STAMPED: Record<WallRow['streamRes'], number> = { '360p': 4, '720p': 2 };
const rows: WallRow[] = quick ? [{ tiles: 16, streamRes: '360p' }] : [
  { tiles: 4, streamRes: '360p' }, { tiles: 9, streamRes: '360p' }, { tiles: 16, streamRes: '360p' }, { tiles: 25, streamRes: '360p' },
  { tiles: 36, streamRes: '360p' }, { tiles: 4, streamRes: '720p' }, { tiles: 9, streamRes: '720p' }, { tiles: 16, streamRes: '720p' },
];
const GROUPS = ['decoders', 'host', 'renderer', 'browser', 'browser-gpu', 'browser-utility'];

function log(msg: string) { process.stdout.write(`[bench:wall] ${msg}\n`); }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pureDecode(urls: string[]): ChildProcess[] {
  // The engine's default full decode (no thread, skip or scale options) to a null sink: the baseline.
  return urls.map((url) => spawn('gst-launch-1.0', ['-q', 'rtspsrc', `location=${url}`, 'protocols=tcp', 'latency=100', '!',
    'rtph264depay', '!', 'h264parse', '!', 'avdec_h264', '!', 'fakesink', 'sync=false'], { detached: true, stdio: 'ignore' }));
}

/** The app window's flags with --window-flags applied: "+--x" adds --x, "-x" drops every flag starting with --x. */
function editWindowArgs(list: string[]): string[] {
  let out = [...list];
  for (const f of windowFlags) {
    if (f.startsWith('+')) out.push(f.slice(1));
    else if (f.startsWith('-')) out = out.filter((a) => !a.startsWith(`--${f.replace(/^-+/, '')}`));
  }
  return out;
}

async function main(): Promise<void> {
  await ensureClips();
  const probeScript = readFileSync(join(ROOT, 'dist', 'bench', 'latency-probe.js'), 'utf8');
  const maxTiles = Math.max(...rows.map((r) => r.tiles));
  const xd: XDisplay | null = displays.includes('window') ? await ensureXDisplay() : null;
  if (xd) log(`app window on X display ${xd.display}${xd.started ? ' (Xvfb started for this run)' : ''}`);
  const sim: Simulator = await startSimulator({ extra: 40 });
  const simCams = (await sim.cameras()).map((c) => c.id).slice(0, maxTiles);
  if (simCams.length < maxTiles) throw new Error(`simulator offers ${simCams.length} cameras, need ${maxTiles}`);
  const shell: RunningShell = await startWebShell({ env: process.env.KUZET_ENGINE ? { KUZET_ENGINE: process.env.KUZET_ENGINE } : {} });
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  const camId = (res: string, id: string) => `b${res}-${id}`.slice(0, 64);
  // One camera per simulator camera and resolution, each with only that stream, so the policy cannot swap it.
  for (const res of new Set(rows.map((r) => r.streamRes))) {
    const text = JSON.stringify(simCams.map((id) => ({ id: camId(res, id), name: `${id} ${res}`, mainUrl: sim.url(id, res === '360p' ? 'sub' : 'main'), kind: 'fixed', tags: ['bench'] })));
    const r = await api.call('cameras.import', { format: 'json', text });
    if (r.errors.length) throw new Error(`import failed: ${JSON.stringify(r.errors.slice(0, 3))}`);
  }
  // Probe like an installer would, so the stream policy knows each stream's real size.
  for (const c of await api.call('cameras.list', {})) await api.call('cameras.probe', { id: c.id, profile: 'main' });
  const query = option('query');
  const pageUrl = query ? `${shell.info.url}${shell.info.url.includes('?') ? '&' : '?'}${query}` : shell.info.url;
  const stampedNow = new Set<string>();
  const setStamped = async (ids: string[]) => {
    for (const id of simCams) {
      const on = ids.includes(id);
      if (on !== stampedNow.has(id)) { await sim.timestamp(id, on); if (on) stampedNow.add(id); else stampedNow.delete(id); }
    }
  };

  const results: RunResult[] = [];
  const profiles: object[] = [];
  for (const row of rows) {
    const rowCams = simCams.slice(0, row.tiles);
    const ids = rowCams.map((id) => camId(row.streamRes, id));
    const stamped = rowCams.slice(0, Math.min(row.tiles, STAMPED[row.streamRes]));
    await setStamped(stamped);
    log(`${row.tiles} x ${row.streamRes}: pure decode baseline (${stamped.length} cameras in time-stamp mode)`);
    const base = pureDecode(rowCams.map((id) => sim.url(id, row.streamRes === '360p' ? 'sub' : 'main')));
    await sleep(WARM_MS);
    const basePids = new Set(base.map((c) => c.pid));
    const baseCpu = await measureCpu((p) => (basePids.has(p.pid) ? 'decode' : null), MEASURE_MS);
    for (const p of base) killGroup(p, 'SIGKILL');
    const cpuDecodeOnlyPct = baseCpu.byGroup.decode ?? 0;

    for (const display of displays) {
      const rowStart = Date.now();
      const notes: string[] = [];
      log(`${row.tiles} x ${row.streamRes}: wall, ${display}`);
      const b = await openPage(pageUrl, display, xd);
      try {
        await waitFor('the wall page', () => b.evaluate<boolean>('window.__kuzet?.ready === true'), 60_000, 250);
        await b.evaluate(probeScript);
        const tilesNow = () => readTiles(b);
        await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout(PRESET[row.tiles]!, ids, 'bench', `bench ${row.tiles}`) });
        try {
          await waitFor('all tiles painting', () => allTilesPainting(b, row.tiles), 60_000, 500);
        } catch (e) { notes.push(`not every tile went live: ${(e as Error).message.slice(0, 200)}`); }
        await sleep(WARM_MS);
        const classify = classifier(shell, b.pid);
        await b.evaluate(`window.__kuzetLatency.start(${JSON.stringify(stamped.map((id) => camId(row.streamRes, id)))})`);
        const p0 = await tilesNow();
        const w0 = await b.evaluate<{ paints: number; ms: number }>('window.__kuzet.work()');
        const t0 = Date.now();
        const cpu = await measureCpu(classify, MEASURE_MS);
        const p1 = await tilesNow();
        const w1 = await b.evaluate<{ paints: number; ms: number }>('window.__kuzet.work()');
        const lat = await b.evaluate<{ samples: number[]; unreadable: number }>('window.__kuzetLatency.take()');
        const secs = (Date.now() - t0) / 1000;
        const statuses = await api.call('streams.status', {});
        const fps = paintedFps(p0, p1, secs);
        const cpuTotalPct = GROUPS.reduce((s, g) => s + (cpu.byGroup[g] ?? 0), 0);
        const shown = statuses.filter((s) => ids.includes(s.cameraId));
        const result: RunResult = {
          ...row, display,
          paintedFpsMin: round(Math.min(...fps)), paintedFpsMedian: round(median(fps) ?? 0),
          cpuTotalPct: round(cpuTotalPct), cpuDecodeOnlyPct: round(cpuDecodeOnlyPct),
          overheadRatio: round(cpuTotalPct / Math.max(0.1, cpuDecodeOnlyPct), 2),
          latencyP50Ms: roundN(percentile(lat.samples, 50)), latencyP99Ms: roundN(percentile(lat.samples, 99)),
          latencySamples: lat.samples.length, latencyCameras: stamped.length,
          rssMb: round(Object.values(cpu.rssByGroup).reduce((s, v) => s + v, 0)),
          cpuByGroup: Object.fromEntries(Object.entries(cpu.byGroup).map(([k, v]) => [k, round(v)])),
          machineBusyPct: round(cpu.machineBusyPct), decodeOnlyMachineBusyPct: round(baseCpu.machineBusyPct),
          downgraded: shown.filter((s) => s.downgrade).length, keyframeOnly: shown.filter((s) => s.keyframeOnly).length, notes,
        };
        const paints = w1.paints - w0.paints;
        notes.push(`the window painted ${round(paints / secs)} times a second, ${paints ? round((w1.ms - w0.ms) / paints, 2) : 0} ms of main thread each`);
        if (lat.unreadable) notes.push(`${lat.unreadable} drawn frames of the stamped cameras had no readable time stamp (not counted)`);
        if (result.downgraded) notes.push(`policy downgraded ${result.downgraded} tiles: ${[...new Set(shown.map((s) => s.downgrade).filter(Boolean))].join('; ')}`);
        // Why the budget moved during this measurement: the governor's log lines (machine busy %, the window's painted share)
        const governor = shell.stderr().split('\n').filter((l) => l.includes('decode budget follows')).flatMap((l) => {
          try { const j = JSON.parse(l) as Record<string, unknown>; return Date.parse(String(j.t)) >= rowStart ? [j] : []; } catch { return []; }
        });
        if (governor.length) notes.push(`governor (last ${Math.min(4, governor.length)} of ${governor.length} moves): ${governor.slice(-4).map((j) => `busy ${String(j.busyPct)} %, window painted ${String(j.windowPaintedPct)} % -> budget x${String(j.budgetScale)}`).join(' | ')}`);
        results.push(result);
        log(JSON.stringify(result));
        if (pacingAb) {
          result.pacingAb = [];
          for (let w = 0; w < AB_WINDOWS; w++) {
            const on = w % 2 === 0;
            await b.evaluate(`window.__kuzet.pacing(${on})`);
            await sleep(2000);
            await b.evaluate(`window.__kuzetLatency.start(${JSON.stringify(stamped.map((id) => camId(row.streamRes, id)))})`);
            const a0 = await b.evaluate<Array<TileNow & { received: number; relayDrops: number }>>('window.__kuzet.tiles()');
            const aw0 = await b.evaluate<{ paints: number; ms: number }>('window.__kuzet.work()');
            const at0 = Date.now();
            const acpu = await measureCpu(classify, AB_MS);
            const a1 = await b.evaluate<Array<TileNow & { received: number; relayDrops: number }>>('window.__kuzet.tiles()');
            const aw1 = await b.evaluate<{ paints: number; ms: number }>('window.__kuzet.work()');
            const alat = await b.evaluate<{ samples: number[] }>('window.__kuzetLatency.take()');
            const as = (Date.now() - at0) / 1000;
            const afps = paintedFps(a0, a1, as);
            // tiles of a camera share its counters: per camera, the first tile showing it
            const perCam = (k: 'received' | 'drops' | 'relayDrops') => { const seen = new Set<string>(); let sum = 0; for (const t of a1) { if (!t.cameraId || seen.has(t.cameraId)) continue; seen.add(t.cameraId); sum += t[k] - (a0.find((x) => x.index === t.index)?.[k] ?? 0); } return sum; };
            const cams = new Set(a1.map((t) => t.cameraId).filter(Boolean)).size || 1;
            const recv = a1.filter((t) => t.cameraId).map((t) => (t.received - (a0.find((x) => x.index === t.index)?.received ?? 0)) / as);
            const drops = perCam('drops'); const relay = perCam('relayDrops');
            const win: PacingWindow = {
              pacing: on, secs: round(as), paintedFpsMin: round(Math.min(...afps), 2), paintedFpsMedian: round(median(afps) ?? 0, 2),
              receivedFpsMedian: round(median(recv) ?? 0, 2),
              dropsPerSec: round(drops / as / cams, 3), relayDropsPerSec: round(relay / as / cams, 3), channelDropsPerSec: round((drops - relay) / as / cams, 3),
              paintsPerSec: round((aw1.paints - aw0.paints) / as), latencyP50Ms: roundN(percentile(alat.samples, 50)), latencyP99Ms: roundN(percentile(alat.samples, 99)),
              latencySamples: alat.samples.length, rendererCpuPct: round(acpu.byGroup.renderer ?? 0), load1m: round(loadavg()[0] ?? 0, 2),
            };
            result.pacingAb.push(win);
            log(`pacing ab: ${JSON.stringify(win)}`);
            notes.push(`pacing ${on ? 'on ' : 'off'} (${win.secs} s, load ${win.load1m}): painted fps min/median ${win.paintedFpsMin}/${win.paintedFpsMedian}, received ${win.receivedFpsMedian}/s, drops ${win.dropsPerSec}/s a camera (relay ${win.relayDropsPerSec}, channel ${win.channelDropsPerSec}), ${win.paintsPerSec} paints/s, latency p50/p99 ${win.latencyP50Ms ?? '-'}/${win.latencyP99Ms ?? '-'} ms (${win.latencySamples}), renderer ${win.rendererCpuPct} %`);
          }
          await b.evaluate('window.__kuzet.pacing(true)');
        }
        if (profile) profiles.push({ tiles: row.tiles, streamRes: row.streamRes, display, ...(await profileRow(b, classify)) });
        if (soak && display === 'window' && row.tiles === 16 && row.streamRes === '360p') soakResult = await soakRun(classify);
      } finally {
        await b.close();
      }
      await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('1', [null], 'bench', 'bench idle') });
      await waitFor('streams stopped', async () => (await api.call('streams.status', {})).every((s) => s.state === 'idle' || !ids.includes(s.cameraId)), 30_000, 500).catch(() => log('streams did not stop within 30 s'));
      await sleep(1500); // settle between configurations (a benchmark: nothing asserted on timing)
    }
  }

  api.close();
  await shell.close();
  await sim.close();
  await xd?.close();
  write(results, soakResult);
  if (profile) {
    writeFileSync(join(ROOT, 'bench', 'results', 'wall.profile.json'), JSON.stringify(profiles, null, 2) + '\n');
    log('wrote bench/results/wall.profile.json');
  }
}

let soakResult: { minutes: number; rssStartMb: number; rssEndMb: number; growthPct: number } | undefined;
async function soakRun(classify: (p: ProcInfo) => string | null) {
  const rss = () => measureCpu(classify, 2000).then((c) => Object.values(c.rssByGroup).reduce((s, v) => s + v, 0));
  const start = await rss();
  log(`soak: 10 minutes of 16 x 360p, RSS at start ${start.toFixed(0)} MB`);
  await sleep(600_000); // the soak itself: 10 minutes of 16 streams, then RSS is compared
  const end = await rss();
  const r = { minutes: 10, rssStartMb: round(start), rssEndMb: round(end), growthPct: round(((end - start) / start) * 100) };
  log(`soak: ${JSON.stringify(r)}`);
  return r;
}

/** The page under test: plain Chromium with a minimal DevTools client (default), or Playwright (headless only). */
interface BenchPage { pid: number | undefined; evaluate<T>(expression: string): Promise<T>; send<T>(method: string, params?: Record<string, unknown>): Promise<T>; close(): Promise<void> }

async function openPage(url: string, display: Display, xd: XDisplay | null): Promise<BenchPage> {
  if (display === 'window' || !args.has('--playwright')) {
    const c = await launchPlainChromium(url, display === 'window' && xd ? { window: { display: xd.display, editArgs: editWindowArgs } } : {});
    return { pid: c.proc.pid, evaluate: (e) => c.evaluate(e), send: (m, p) => c.send(m, p), close: () => c.close() };
  }
  const b = await launchBrowser();
  await b.page.goto(url);
  const cdp = await b.page.context().newCDPSession(b.page);
  return {
    pid: (b.browser as unknown as { process?: () => ChildProcess }).process?.()?.pid,
    evaluate: (e) => b.page.evaluate(e),
    send: (m, p) => cdp.send(m as 'Profiler.start', p as never) as never,
    close: () => b.close(),
  };
}


/** Where the time goes in one row: CPU by thread name, then self time by function on the page's main thread. */
async function profileRow(page: BenchPage, classify: (p: ProcInfo) => string | null): Promise<{ threads: Record<string, number>; mainThreadJs: Array<{ fn: string; pct: number }> }> {
  const threads = Object.fromEntries(Object.entries(await measureThreads(classify, 10_000))
    .filter(([, v]) => v >= 0.5).sort((x, y) => y[1] - x[1]).map(([k, v]) => [k, round(v)]));
  await page.send('Profiler.enable');
  await page.send('Profiler.setSamplingInterval', { interval: 500 });
  await page.send('Profiler.start');
  await new Promise((r) => setTimeout(r, 10_000));
  const { profile: prof } = await page.send<{ profile: CpuProfile }>('Profiler.stop');
  await page.send('Profiler.disable');
  const self = new Map<number, number>();
  const deltas = prof.timeDeltas ?? [];
  (prof.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
  const total = deltas.reduce((a, v) => a + v, 0) || 1;
  const byFn = new Map<string, number>();
  for (const n of prof.nodes) {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^.*\//, '').replace(/\?.*$/, '') : '';
    const key = `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  const mainThreadJs = [...byFn].sort((x, y) => y[1] - x[1]).slice(0, 40).map(([fn, us]) => ({ fn, pct: round((us / total) * 100) }));
  log(`profile: ${JSON.stringify(threads)}`);
  for (const r of mainThreadJs.slice(0, 25)) log(`  ${r.pct.toFixed(1).padStart(5)} %  ${r.fn}`);
  return { threads, mainThreadJs };
}

function round(v: number, d = 1): number { const f = 10 ** d; return Math.round(v * f) / f; }
function roundN(v: number | null): number | null { return v === null ? null : round(v); }

function write(runs: RunResult[], soakResult?: object): void {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const machine = {
    cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', date: new Date().toISOString(), quick,
    loadAverage1m: round(loadavg()[0] ?? 0, 2),
    page: args.has('--playwright') ? 'headless: playwright' : 'plain chromium',
    ...(windowFlags.length ? { windowFlags } : {}), ...(option('query') ? { query: option('query') } : {}),
  };
  writeFileSync(join(dir, quick ? 'wall.quick.json' : 'wall.json'), JSON.stringify({ machine, runs, ...(soakResult ? { soak: soakResult } : {}) }, null, 2) + '\n');
  const byDisplay = (d: Display) => runs.filter((r) => r.display === d);
  const table = (list: RunResult[]) => [
    `| tiles | stream | painted fps min / median | CPU wall % (dec / host / rend / browser main+gpu+utility) | CPU pure decode % | overhead | latency p50 / p99 ms (samples) | RSS MB | machine busy % | downgraded |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
    ...list.map((r) => `| ${r.tiles} | ${r.streamRes} | ${r.paintedFpsMin} / ${r.paintedFpsMedian} | ${r.cpuTotalPct} (${r.cpuByGroup.decoders ?? 0} / ${r.cpuByGroup.host ?? 0} / ${r.cpuByGroup.renderer ?? 0} / ${r.cpuByGroup.browser ?? 0}+${r.cpuByGroup['browser-gpu'] ?? 0}+${r.cpuByGroup['browser-utility'] ?? 0}) | ${r.cpuDecodeOnlyPct} | ${r.overheadRatio} | ${r.latencyP50Ms ?? '-'} / ${r.latencyP99Ms ?? '-'} (${r.latencySamples}) | ${r.rssMb} | ${r.machineBusyPct} | ${r.downgraded} (${r.keyframeOnly} keyframe-only) |`),
  ].join('\n');
  const sections = [
    byDisplay('window').length ? `## App window (the headline: the flags of \`npm start\`, scripts/app-window.mjs${windowFlags.length ? `, changed by --window-flags=${windowFlags.join(',')}` : ''}; 1920x1080 X display)\n\n${table(byDisplay('window'))}` : '',
    byDisplay('headless').length ? `## Headless Chromium (${machine.page === 'plain chromium' ? 'no Playwright, a DevTools client that only evaluates' : 'driven by Playwright'})\n\n${table(byDisplay('headless'))}` : '',
  ].filter(Boolean);
  const md = join(ROOT, 'docs', 'benchmarks', quick ? 'wall-quick.md' : 'wall.md');
  mkdirSync(join(ROOT, 'docs', 'benchmarks'), { recursive: true });
  writeFileSync(md, `# Wall benchmark (${quick ? 'quick' : 'full'} run)\n\n${machine.date}, ${machine.cores} cores (${machine.cpu}), no GPU, load average ${machine.loadAverage1m} at the end, Canvas2D compositor${machine.query ? `, page query \`${machine.query}\`` : ''}.
CPU in % of one core, every process of the wall sampled through the window (media workers replaced meanwhile included);
overhead = whole-wall CPU / pure-decode CPU of the same streams in the same run. Latency: capture (the simulator's clock
burnt into the picture, time-stamp mode, on the first ${STAMPED['360p']} cameras of a 360p row and ${STAMPED['720p']} of a 720p row) to the
frame drawn in the wall's canvas, per row and display.\n\n${sections.join('\n\n')}\n\n${runs.flatMap((r) => r.notes.map((n) => `- ${r.display}, ${r.tiles} x ${r.streamRes}: ${n}`)).join('\n')}\n${soakResult ? `\nMemory soak (window, 16 x 360p): ${JSON.stringify(soakResult)}\n` : ''}`);
  log(`wrote bench/results/${quick ? 'wall.quick.json' : 'wall.json'} and docs/benchmarks/${quick ? 'wall-quick' : 'wall'}.md`);
}

main().catch((e: unknown) => { process.stderr.write(`[bench:wall] failed: ${e instanceof Error ? e.stack : String(e)}\n`); process.exit(1); });
