/**
 * `npm run bench:replay [-- --quick]`: incident replay's state side (issue 11, docs/replay.md).
 *   replayCameras           cameras of the recorded incident (16)
 *   replayStateMismatches   at 50 sampled moments of a 30-minute incident, consoleStateAt over the journal's record
 *                           compared with what the simulated console showed (layout per display, camera per tile,
 *                           queue contents, states, owners, SOP steps): must be 0
 *   replayStateAtP99Ms      the host's `replay.stateAt` (read the record from SQLite + compute) at those moments, p99
 * The simulated console is tests/support/replay-console.ts (real wall store, alarm lifecycle, journal; fake clock).
 *   replaySeekP99Ms         the picture side of a seek (measureSeek): the same incident replayed in Chromium through a
 *                           web shell on that data dir, its 16 cameras' recordings over the whole incident made of 4 s
 *                           segments of the clips (hard links, indexed as the recorder journals them); seek to a random
 *                           moment, time until every tile shows the picture at that moment (not seeking, decoded, within
 *                           one frame) and the queue is that moment's, p99 (null without dist/ or the clips: build first)
 * Training (tests/bench/training-figures.ts, a real host in this process): scenarioStartMs, scoringCorrect, productionLeaks.
 *   liveLatencyP50Ms  a trainee's tiles of footage replayed as live, injection to drawn, beside the live wall of the same
 *                     cameras in the same run (tests/bench/training-latency.ts; `--no-latency` leaves it out: null)
 * The seeks run in the app window (headed Chromium with `npm start`'s flags on an X display); `--headless` runs them in
 * headless Chromium instead (`detail.seek.display` says which).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConsoleState, IncidentRecord } from '../../electron/contract/replay-schema.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { boxAt, boxesIn } from '../../electron/contract/fmp4.js';
import { launchBrowser, ROOT, startWebShell } from '../support/harness.js';
import { launchAppWindowBrowser } from '../support/app-window-browser.js';
import { measureTrainingLatency, type TrainingLatency } from './training-latency.js';
import { ApiClient } from '../support/api-client.js';
import { segmentFile } from '../../electron/host/recording/segment.js';
import { INDEX_FILE } from '../../electron/host/recording/segment-index.js';
import { allProcs, percentile, tree } from '../support/procfs.js';
import { cameras as consoleCameras, Console, rng, step } from '../support/replay-console.js';
import { T0 } from '../support/alarm-fixtures.js';
import { trainingFigures } from './training-figures.js';
import type { CpuProfile } from './cpu-profile.js';

const quick = process.argv.includes('--quick');
/** `--ab-switch=NAME`: every other seek with `__kuzetReview.NAME(true)`, the others false (temporary A/B). */
const abSwitch = process.argv.find((a) => a.startsWith('--ab-switch='))?.slice(12) ?? null;
const abOffset = process.argv.includes('--ab-offset=1') ? 1 : 0;
/** `--ab-block=N`: the switch flips every N seeks instead of every seek (a way whose effect outlasts its seek: fetches after it). */
const abBlock = Math.max(1, Number(process.argv.find((a) => a.startsWith('--ab-block='))?.slice('--ab-block='.length)) || 1);
/** `--seek-only`: the picture side of a seek alone (the incident is recorded as usual; training skipped); printed, not written. */
const seekOnly = process.argv.includes('--seek-only');
/** `--latency-only`: the replayed-as-live latency alone (training.latency); printed, not written. */
const latencyOnly = process.argv.includes('--latency-only');
/** `--verbose`: every seek's tiles and traces printed. */
const verbose = process.argv.includes('--verbose');
/** `--headless`: Chromium headless instead of the app window on an X display (the user's figure is the window's). */
const headless = process.argv.includes('--headless');
/** `--main-only`: record the main stream alone (no sub-stream for small tiles): the seek figure before the sub-stream. */
const mainOnly = process.argv.includes('--main-only');
/** `--trace`: a Chromium trace of the measured seeks; self time per event name on the page's main thread printed. */
const trace = process.argv.includes('--trace');
/** `--profile`: the page's main thread sampled (CDP Profiler) during the measured seeks; the top functions printed. */
const profile = process.argv.includes('--profile');
/** `--ab-parts`: every other measured seek with each tile's first part fetched alone (not in one /rec/parts request); both printed. */
const abParts = process.argv.includes('--ab-parts');
/**
 * `--ab-recorded`: blocks of AB_BLOCK measured seeks, alternately with every player's footage decoded as a recorded
 * stream (frame threads, markRecorded in renderer/review/segment-plan.ts) and as a live one (low-delay, the default);
 * each block starts with every player reopened the block's way, the warm-up done again and one seek not counted (a
 * decoder's mode is fixed when its MediaSource opens: not switchable per seek). Both ways printed, with the renderer's
 * threads' CPU during each way's seeks (how much of the decoding ran off the busiest `Media` thread).
 */
const abRecorded = process.argv.includes('--ab-recorded');
const AB_BLOCK = 5;
/** `--seeks=N`: the number of measured seeks (20 with --quick, 50 otherwise). */
const seeksArg = Number(process.argv.find((a) => a.startsWith('--seeks='))?.slice('--seeks='.length));
const log = (m: string) => process.stdout.write(`[bench:replay] ${m}\n`);
const CAMERAS = 16;
const MINUTES = 30;
const STEPS = quick ? 1500 : 6000;
const SAMPLES = 50;

/** One player's trace of a seek (ms after the request; SeekTrace in renderer/review/review-player.ts). */
type TileTrace = { list?: [number, number]; fetch?: [number, number]; bytes?: number; append?: [number, number]; switch?: [number, number]; seekIssued?: number; seeked?: number; painted?: number; recovered?: string[]; standIn?: { sub?: number; main?: number }; busy?: string };
/** One replay seek as the page saw it: when it ended, when each tile first showed its picture at the moment and the queue its state. */
interface SeekSample { settledMs: number; ms: number; longTaskMs: number; requests: Array<{ part: string; stall: number; server: number; download: number; start: number }>; shown: Record<string, number | null>; tiles: number; fresh: number; queueAt: number; tileAt: Record<string, number>; traces: Record<string, TileTrace | null> }

/** Where the seeks' time went, per tile, [p50, p99] ms over every tile of every measured seek (players opened by the seek apart). */
function phasesOf(samples: SeekSample[]) {
  const r1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  const pct = (xs: number[]) => (xs.length ? [r1(percentile(xs, 50)), r1(percentile(xs, 99))] : null);
  const traces = samples.flatMap((s) => Object.entries(s.traces).filter(([c, t]) => t && s.tileAt[c] !== undefined).map(([c, t]) => ({ t: t!, at: s.tileAt[c]! })));
  const took = (k: 'list' | 'fetch' | 'append' | 'switch') => traces.flatMap(({ t }) => (t[k] ? [t[k]![1] - t[k]![0]] : []));
  const when = (f: (t: TileTrace) => number | undefined) => traces.flatMap(({ t }) => { const v = f(t); return v === undefined ? [] : [v]; });
  return {
    tiles: traces.length,
    listMs: pct(took('list')), fetchMs: pct(took('fetch')), appendMs: pct(took('append')), switchWaitMs: pct(took('switch')), switches: took('switch').length, fetchBytes: pct(when((t) => t.bytes)),
    listStartAtMs: pct(when((t) => t.list?.[0])), fetchStartAtMs: pct(when((t) => t.fetch?.[0])), fetchEndAtMs: pct(when((t) => t.fetch?.[1])),
    appendEndAtMs: pct(when((t) => t.append?.[1])), seekIssuedAtMs: pct(when((t) => t.seekIssued)),
    // the decoder: from the later of the append's end and the seek's start to 'seeked'
    decodeMs: pct(when((t) => (t.append && t.seeked !== undefined ? t.seeked - Math.max(t.append[1], t.seekIssued ?? 0) : undefined))),
    seekedAtMs: pct(when((t) => t.seeked)), paintedAtMs: pct(when((t) => t.painted)),
    // progressive seeks: tiles whose first picture was the sub-stream's stand-in, when it showed and when main replaced it
    standIns: traces.filter(({ t }) => t.standIn?.sub !== undefined).length,
    standInSubAtMs: pct(when((t) => t.standIn?.sub)), standInMainAtMs: pct(when((t) => t.standIn?.main)),
    pictureAtMs: pct(traces.map((x) => x.at)),
    queueAtMs: pct(samples.map((s) => s.queueAt).filter((x) => x >= 0)),
    mainThreadLongTasksMs: pct(samples.map((s) => s.longTaskMs)),
    // every tile's settled picture (a progressive seek's main stream in place of its stand-in)
    settledAtMs: pct(samples.map((s) => s.settledMs).filter((x) => x >= 0)),
    slowestTileAtMs: pct(samples.map((s) => Math.max(...Object.values(s.tileAt)))),
    // players that recovered a picture that did not come (renderer/review/seek-recovery.ts): refetch or reopen
    recoveries: traces.reduce((n, { t }) => n + (t.recovered?.length ?? 0), 0),
    // the tail by how many tiles a seek moves (16 software decoders share two cores)
    byTiles: Object.fromEntries([[1, 4], [5, 9], [10, 16]].map(([a, b]) => { const xs = samples.filter((s) => s.tiles >= a! && s.tiles <= b!); return [`${a}-${b}`, { seeks: xs.length, ms: pct(xs.map((s) => s.ms)) }]; })),
    // footage requests during the seeks (Resource Timing): how long each waited for a connection, the host, the body
    requests: Object.fromEntries(['at', 'parts', 'rest', 'whole'].map((k) => { const rs = samples.flatMap((s) => s.requests.filter((x) => x.part === k)); return [k, { n: rs.length, stallMs: pct(rs.map((x) => x.stall)), serverMs: pct(rs.map((x) => x.server)), downloadMs: pct(rs.map((x) => x.download)) }]; })),
    // what each tile's player was doing when the seek came (its first part waits for it), and when its fetch started then
    busyAtSeek: Object.fromEntries([...new Set(traces.map(({ t }) => t.busy ?? 'idle'))].map((b) => { const xs = traces.filter(({ t }) => (t.busy ?? 'idle') === b); return [b, { tiles: xs.length, fetchStartAtMs: pct(xs.flatMap(({ t }) => (t.fetch ? [t.fetch[0]] : []))), pictureAtMs: pct(xs.map((x) => x.at)) }]; })),
    seeksMakingPlayers: samples.filter((s) => s.fresh > 0).length,
    seeksWithNewPlayersMs: pct(samples.filter((s) => s.fresh > 0).map((s) => s.ms)),
    seeksWithWarmPlayersMs: pct(samples.filter((s) => s.fresh === 0).map((s) => s.ms)),
  };
}

/** CPU ticks (1/100 s) of every thread of this process's Chromium renderers, by `pid:tid name` (--ab-recorded). */
function rendererThreads(): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of tree(process.pid, allProcs())) {
    if (!p.cmdline.includes('--type=renderer')) continue;
    let tids: string[] = [];
    try { tids = readdirSync(`/proc/${p.pid}/task`); } catch { continue; }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${p.pid}:${tid} ${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`, Number(rest[11]) + Number(rest[12]));
      } catch { /* the thread ended */ }
    }
  }
  return out;
}

/**
 * The renderer's CPU while the replay is paused and nothing changes (every parked player opened, 2 s settled, then
 * 10 s sampled): per thread name, % of one core. A paused console should cost about nothing.
 */
async function pausedCpu(page: import('playwright-core').Page): Promise<Record<string, number>> {
  await untilOpenedAhead(page);
  await new Promise((r) => setTimeout(r, 2000));
  const a = rendererThreads();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 10_000));
  const b = rendererThreads();
  const s = (Date.now() - t0) / 1000;
  const byName: Record<string, number> = {};
  for (const [k, v] of b) { const name = k.slice(k.indexOf(' ') + 1); byName[name] = (byName[name] ?? 0) + (v - (a.get(k) ?? 0)); }
  return Object.fromEntries(Object.entries(byName).filter(([, v]) => v > 0).sort((x, y) => y[1] - x[1]).map(([k, v]) => [k, Math.round(v / s * 10) / 10]));
}

/** Until every parked player of the replay has been opened ahead (at most 60 s). */
async function untilOpenedAhead(page: import('playwright-core').Page): Promise<void> {
  type W = { __kuzetReview: { unopened(): string[] } };
  const until = Date.now() + 60_000;
  while (Date.now() < until && (await page.evaluate(() => (window as unknown as W).__kuzetReview.unopened().length)) > 0) await new Promise((r) => setTimeout(r, 250));
}

type TraceEvent = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string } };
/** Self time per event name on each named thread of the trace (--trace), the busiest threads first, printed. */
function printTrace(events: TraceEvent[]): void {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) if (e.ph === 'X' && e.dur !== undefined) { const k = `${e.pid}:${e.tid}`; (byThread.get(k) ?? byThread.set(k, []).get(k)!).push(e); }
  const out: Array<[string, number, Array<[string, number]>]> = [];
  for (const [k, xs] of byThread) {
    xs.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const self = new Map<string, number>();
    const stack: Array<{ e: TraceEvent; end: number; child: number }> = [];
    let top = 0;
    // the longest top-level tasks, each with what its time went to (self time per event name inside it)
    const long: Array<{ ms: number; self: Map<string, number> }> = [];
    let cur: { ms: number; self: Map<string, number> } | null = null;
    const pop = () => {
      const f = stack.pop()!;
      const ms = (f.e.dur! - f.child) / 1000;
      self.set(f.e.name, (self.get(f.e.name) ?? 0) + ms);
      cur?.self.set(f.e.name, (cur.self.get(f.e.name) ?? 0) + ms);
    };
    for (const e of xs) {
      while (stack.length && stack.at(-1)!.end <= e.ts) pop();
      if (stack.length) stack.at(-1)!.child += e.dur!;
      else { top += e.dur! / 1000; cur = { ms: e.dur! / 1000, self: new Map() }; if (cur.ms > 50) long.push(cur); }
      stack.push({ e, end: e.ts + e.dur!, child: 0 });
    }
    while (stack.length) pop();
    if ((names.get(k) ?? '') === 'CrRendererMain') {
      long.sort((a, b) => b.ms - a.ms);
      log(`trace CrRendererMain: ${long.length} tasks over 50 ms, ${Math.round(long.reduce((n, l) => n + l.ms, 0))} ms; the longest: ${JSON.stringify(long.slice(0, 12).map((l) => [Math.round(l.ms), [...l.self].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, v]) => `${n} ${Math.round(v)}`)]))}`);
    }
    out.push([`${names.get(k) ?? k} (${k})`, top, [...self].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([n, v]) => [n, Math.round(v)])]);
  }
  out.sort((a, b) => b[1] - a[1]);
  for (const [t, top, self] of out.slice(0, 12)) log(`trace ${t}: ${Math.round(top)} ms in top-level events; self ms ${JSON.stringify(self)}`);
}

/** Self time per function and total time per bundle function of the page's main thread (--profile), printed. */
function printProfile(p: CpuProfile): void {
  const self = new Map<number, number>();
  (p.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas?.[i] ?? 0) / 1000));
  const byName = new Map<string, number>();
  for (const n of p.nodes) {
    const f = n.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    byName.set(name, (byName.get(name) ?? 0) + (self.get(n.id) ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  log(`main thread profile: ${Math.round(total)} ms sampled; top self time: ${JSON.stringify([...byName].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => [k, Math.round(v)]))}`);
}

/**
 * An init as the recorder's mp4mux writes it: `mvex/mehd` holding the segment's length (ffmpeg's `empty_moov` leaves it
 * out). Chromium decodes a stream whose init has a known duration with frame threads and a longer preroll; the player
 * makes every segment live (markLive), and the benchmark's segments must take that path as the recorder's do.
 */
function withSegmentLength(file: Buffer, lengthMs: number): Buffer {
  const moov = boxesIn(file, 0, file.length).find(([t]) => t === 'moov');
  const mvex = moov && boxAt(file, moov, 'mvex');
  const mvhd = moov && boxAt(file, moov, 'mvhd');
  if (!moov || !mvex || !mvhd) throw new Error('bench template: no moov/mvex/mvhd');
  const timescale = file.readUInt32BE(mvhd[1] + (file[mvhd[1] + 8] === 1 ? 28 : 20));
  const mehd = Buffer.alloc(20);
  mehd.writeUInt32BE(20, 0);
  mehd.write('mehd', 4, 'latin1');
  mehd[8] = 1; // version 1: a 64-bit fragment duration, as mp4mux writes it
  mehd.writeBigUInt64BE(BigInt(Math.round((lengthMs * timescale) / 1000)), 12);
  const out = Buffer.concat([file.subarray(0, mvex[1] + 8), mehd, file.subarray(mvex[1] + 8)]);
  out.writeUInt32BE(moov[2] - moov[1] + 20, moov[1]);
  out.writeUInt32BE(mvex[2] - mvex[1] + 20, mvex[1]);
  return out;
}

/**
 * The picture side of a seek: the incident recorded in `dir`'s journal replayed in Chromium (web shell on that data
 * dir), every camera of its 4x4 layout with recordings over the whole incident; seeks to random moments, each timed from
 * the request until every tile shows its picture at that moment and the queue is that moment's (p50/p99, ms).
 */
/**
 * Playing the incident at 1x, 4x and 16x from `at`: how far the replayed console's clock went per second of wall clock
 * (the clock waits for a tile that has no picture yet, so a speed the machine cannot decode shows as a lower one),
 * measured over 10 s (quick: 6 s) after 2 s at the speed, with the clock and the time read in the page.
 */
async function measurePlayback(page: import('playwright-core').Page, seek: (at: number) => Promise<unknown>, at: number): Promise<Record<string, number>> {
  const read = () => page.evaluate(() => [(window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position(), performance.now()] as const);
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const out: Record<string, number> = {};
  await seek(at);
  await page.getByTestId('play').click();
  for (const speed of [1, 4, 16]) {
    await page.getByTestId('speed').selectOption(String(speed));
    await wait(2000);
    const [p0, t0] = await read();
    await wait(quick ? 6000 : 10_000);
    const [p1, t1] = await read();
    out[`${speed}x`] = Math.round(((p1 - p0) / (t1 - t0)) * 100) / 100;
  }
  await page.getByTestId('play').click(); // paused
  return out;
}

async function measureSeek(dir: string, incidentId: string, fromMs: number, toMs: number): Promise<{ p99: number | null; detail: Record<string, unknown> }> {
  const clips = join(ROOT, 'resources', 'clips');
  if (!existsSync(join(ROOT, 'dist', 'web-shell.mjs')) || !existsSync(join(clips, 'manifest.json'))) return { p99: null, detail: { skipped: 'needs dist/ and the clips: npm run build' } };
  const seeks = Number.isInteger(seeksArg) && seeksArg > 0 ? seeksArg : quick ? 20 : 50;
  const scenes = ['intersection', 'crossing', 'highway', 'metro', 'night-street', 'park', 'plaza'];
  const templates = join(dir, 'templates');
  mkdirSync(templates, { recursive: true });
  // 4 s recorded segments as the recorder writes them (fragmented MP4, its init with mehd, 1-second fragments each starting with a key frame:
  // mp4mux's fragment-duration=1000 gives the same layout), one per scene and stream: the main stream from the 720p clip
  // (a key frame a second), the sub-stream (recorded beside it, docs/recording.md) from the 360p one (a key frame every
  // half second, two GOPs a fragment), unless --main-only (the recordings of a console before sub-streams were recorded)
  const template = (s: string, size: '720p' | '360p') => {
    const out = join(templates, `${s}-${size}.mp4`);
    execFileSync('ffmpeg', ['-v', 'error', '-fflags', '+genpts', '-r', '25', '-i', join(clips, `${s}-${size}.h264`), '-frames:v', '100', '-c', 'copy',
      '-movflags', 'empty_moov+default_base_moof', '-frag_duration', '1000000', '-f', 'mp4', '-y', out]);
    writeFileSync(out, withSegmentLength(readFileSync(out), 4000));
    return out;
  };
  const segs = scenes.map((s) => template(s, '720p'));
  const subSegs = mainOnly ? [] : scenes.map((s) => template(s, '360p'));
  const ids = consoleCameras; // every camera the shift's layouts may show (presets change what the wall shows)
  // the recording index written as the recorder journals it (probing 7,000 files at host start would take minutes)
  const index: string[] = [];
  for (const [k, id] of ids.entries()) {
    for (let t = fromMs - 8000; t < toMs + 8000; t += 4000) {
      for (const [stream, from] of [['main', segs], ['sub', subSegs]] as const) {
        if (!from.length) continue;
        const file = segmentFile(id, t, stream);
        const f = join(dir, 'recordings', file);
        mkdirSync(dirname(f), { recursive: true });
        linkSync(from[k % from.length]!, f);
        index.push(JSON.stringify({ add: { cameraId: id, startMs: t, endMs: t + 4000, file, bytes: statSync(f).size, status: 'ok' } }));
      }
    }
  }
  writeFileSync(join(dir, 'recordings', INDEX_FILE), `${index.join('\n')}\n`);
  const files = index.length;
  const load = loadavg()[0]!;
  const shell = await startWebShell({ dataDir: dir, env: { KUZET_MQTT_PORT: '0' } });
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  let browser: Awaited<ReturnType<typeof launchAppWindowBrowser>> | null = null;
  try {
    // the host's index covers the incident for every camera (recorded minutes, summed)
    const indexed = Math.round((await api.call('recording.timeline', { cameraIds: ids, fromMs, toMs })).flatMap((c) => c.spans).filter((x) => x.kind === 'recorded').reduce((n, x) => n + x.endMs - x.startMs, 0) / 60_000);
    browser = headless ? await launchBrowser() : await launchAppWindowBrowser();
    const { page } = browser;
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(shell.info.url);
    await page.getByTestId('incidents').click();
    await page.locator(`button[data-incident="${incidentId}"]`).click();
    await page.getByTestId('replay').waitFor();
    await page.locator('.review-cell').first().waitFor({ timeout: 60_000 });
    // done when the queue is that moment's and every tile the display showed then has its picture at the moment; each
    // tile's own moment is kept (when its picture first showed the target), with the players' traces of the seek
    const seekOnce = (at: number) => page.evaluate(({ at }) => new Promise<SeekSample>((done) => {
      const w = window as unknown as { __kuzetReview: { seek(ms: number): void; shown(): Record<string, number | null>; pictures?(): Record<string, number | null>; traces(): Record<string, TileTrace | null>; warm(): string[] }; __kuzetReplay: { state(): { atMs: number } | null; cameras(): string[] } };
      const t0 = window.performance.now(); // the page's clock (a bundled Node import must not be renamed into this function)
      const before = new Set(w.__kuzetReview.warm());
      performance.clearResourceTimings(); // the buffer holds 250 entries: this seek's only
      performance.setResourceTimingBufferSize(5000);
      // the page's main thread: tasks over 50 ms during the seek (React renders, appends' parsing, the players' loop)
      const longTasks: Array<[number, number]> = []; // [start after the request, duration]
      const busy = new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.startTime >= t0) longTasks.push([e.startTime - t0, e.duration]); });
      busy.observe({ type: 'longtask', buffered: false });
      w.__kuzetReview.seek(at);
      const tileAt: Record<string, number> = {};
      let queueAt = -1;
      const check = () => {
        const now = window.performance.now() - t0;
        // the picture on screen (a progressive seek's sub-stream stand-in counts: its trace's standIn says so)
        const shown = w.__kuzetReview.pictures?.() ?? w.__kuzetReview.shown();
        const queue = w.__kuzetReplay.state()?.atMs === at && document.querySelector('[data-testid="replay-queue"]') !== null;
        if (queue && queueAt < 0) queueAt = now;
        const tiles = w.__kuzetReplay.cameras();
        for (const c of tiles) { const s = shown[c]; if (tileAt[c] === undefined && s !== undefined && s !== null && Math.abs(s - at) <= 40) tileAt[c] = now; } // within one frame (25 fps)
        const pictures = tiles.every((c) => tileAt[c] !== undefined && Math.abs((shown[c] ?? Infinity) - at) <= 40);
        // every footage request of the seek's window, from Resource Timing: waiting for one of Chromium's 6 connections
        // to the host (stall), the host's answer (server: request sent to first byte), the body (download)
        const requests = () => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.startTime >= t0 && e.name.includes('/rec/'))
          .map((e) => ({ part: e.name.includes('/rec/parts?') ? 'parts' : /[?&]at=/.test(e.name) ? 'at' : /[?&]rest=/.test(e.name) ? 'rest' : 'whole', start: e.startTime - t0, stall: e.requestStart - e.startTime, server: e.responseStart - e.requestStart, download: e.responseEnd - e.responseStart }));
        // then until every tile shows its settled picture (a progressive seek's main stream; at most 3 s more, not
        // counted): the next seek does not start during this one's upgrades
        const end = (ms: number) => {
          const settled = () => {
            const s = w.__kuzetReview.shown();
            const now = window.performance.now() - t0;
            if (ms >= 0 && now < ms + 3000 && !tiles.every((c) => Math.abs((s[c] ?? Infinity) - at) <= 40)) { requestAnimationFrame(settled); return; }
            finish(ms, ms < 0 ? -1 : now);
          };
          settled();
        };
        // the long tasks that started before the seek's pictures were all on screen (not the upgrades' after)
        const finish = (ms: number, settledMs: number) => { busy.disconnect(); done({ settledMs, ms, longTaskMs: longTasks.filter(([a]) => ms < 0 || a < ms).reduce((n, [, d]) => n + d, 0), requests: requests(), shown, tiles: tiles.length, fresh: tiles.filter((c) => !before.has(c)).length, queueAt, tileAt, traces: w.__kuzetReview.traces() }); };
        // a moment whose display shows no camera is done with its queue (it waited 30 s and counted as failed before)
        if (queue && ((tiles.length > 0 && pictures) || (tiles.length === 0 && now > 500))) { end(now); return; }
        if (now > 30_000) { end(-1); return; }
        requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }), { at });
    const r = rng(29);
    const inside = () => fromMs + 5000 + r.int(toMs - fromMs - 10_000);
    log(`replay open: ${files} segment files of ${ids.length} cameras (${indexed} recorded minutes indexed); seeking ${seeks} times`);
    await seekOnce(inside()); // opens the MediaSources and decoders: not counted
    const idle = await pausedCpu(page);
    log(`paused replay, nothing changing: ${JSON.stringify(idle)}`);
    const cdp = profile ? await page.context().newCDPSession(page) : null;
    if (cdp) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 500 }); await cdp.send('Profiler.start'); }
    const tcdp = trace ? await page.context().newCDPSession(page) : null;
    const traced: TraceEvent[] = [];
    if (tcdp) {
      tcdp.on('Tracing.dataCollected', (e) => { traced.push(...(e.value as unknown as TraceEvent[])); });
      await tcdp.send('Tracing.start', { categories: 'devtools.timeline,blink,cc,media,gpu,v8,toplevel,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    }
    const times: number[] = [];
    const tiles: number[] = [];
    const samples: SeekSample[] = [];
    let failed = 0;
    const byWay: Record<string, SeekSample[]> = abSwitch ? { on: [], off: [] } : abRecorded ? { recorded: [], live: [] } : { batched: [], alone: [] };
    /** --ab-recorded: the renderer threads' CPU ticks during each way's measured seeks, by thread. */
    const threadsByWay: Record<string, Map<string, number>> = { recorded: new Map(), live: new Map() };
    let threadsAt: Map<string, number> | null = null;
    const addThreads = (way: string) => {
      const now = rendererThreads();
      if (threadsAt) for (const [k, v] of now) threadsByWay[way]!.set(k, (threadsByWay[way]!.get(k) ?? 0) + v - (threadsAt.get(k) ?? 0));
      threadsAt = null;
    };
    for (let i = 0; i < seeks; i++) {
      const way = abSwitch ? (Math.floor((i + abOffset * abBlock) / abBlock) % 2 === 0 ? 'on' : 'off') : abRecorded ? (Math.floor(i / AB_BLOCK) % 2 === 0 ? 'recorded' : 'live') : i % 2 === 0 ? 'batched' : 'alone';
      if (abSwitch) await page.evaluate(([name, on]) => (window as unknown as { __kuzetReview: Record<string, (on: boolean) => void> }).__kuzetReview[name as string]!(on as boolean), [abSwitch, way === 'on'] as const);
      if (abRecorded && i % AB_BLOCK === 0) {
        if (i > 0) addThreads(way === 'recorded' ? 'live' : 'recorded');
        type Ab = { __kuzetReview: { recordedStreams(on: boolean): void } };
        await page.evaluate((on) => (window as unknown as Ab).__kuzetReview.recordedStreams(on), way === 'recorded');
        await untilOpenedAhead(page); // every parked player opened ahead again
        await seekOnce(inside()); // the shown players' first seek on their new MediaSources: not counted
        threadsAt = rendererThreads();
      }
      const at = inside();
      if (abParts) await page.evaluate((on) => (window as unknown as { __kuzetReview: { batchParts(on: boolean): void } }).__kuzetReview.batchParts(on), way === 'batched');
      const sample = await seekOnce(at);
      if ((abParts || abRecorded || abSwitch) && sample.ms >= 0 && sample.tiles > 0) (byWay[way] ??= []).push(sample);
      const { ms, shown, tiles: n } = sample;
      tiles.push(n);
      if (verbose) log(`seek ${i} requests [start, stall, server, download]: ${JSON.stringify(sample.requests.map((x) => [x.part, ...[x.start, x.stall, x.server, x.download].map(Math.round)]))}`);
      if (verbose) log(`seek ${i}: ${Math.round(ms)} ms (settled ${Math.round(sample.settledMs)}; long tasks ${Math.round(sample.longTaskMs)} ms), ${n} tiles (${sample.fresh} opened), queue at ${Math.round(sample.queueAt)} ms, tiles at ${JSON.stringify(Object.values(sample.tileAt).map(Math.round))}, traces ${JSON.stringify(Object.fromEntries(Object.entries(sample.traces).map(([c, t]) => [c, t && Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Array.isArray(v) ? v.map((x: number | string) => (typeof x === 'number' ? Math.round(x) : x)) : typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([a, b]) => [a, Math.round(b as number)])) : typeof v === 'string' ? v : Math.round(v as number)]))])))}`);
      if (n === 0 && ms >= 0) { log(`seek ${i}: the display shows no camera at this moment: not counted`); continue; }
      if (ms < 0) { failed++; log(`seek ${i}: not every picture within 30 s: ${JSON.stringify(Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, v === null ? null : Math.round(v - at)])))}`); continue; }
      times.push(ms);
      samples.push(sample);
    }
    if (tcdp) {
      const complete = new Promise<void>((r) => tcdp.once('Tracing.tracingComplete', () => r()));
      await tcdp.send('Tracing.end');
      await complete;
      printTrace(traced);
    }
    if (cdp) {
      const prof = (await cdp.send('Profiler.stop')).profile as CpuProfile;
      printProfile(prof);
      const file = join(tmpdir(), 'kuzet-replay-seeks.cpuprofile'); // for DevTools' Performance panel, or a script
      writeFileSync(file, JSON.stringify(prof));
      log(`main thread profile written to ${file}`);
    }
    if (abRecorded) {
      addThreads(Math.floor((seeks - 1) / AB_BLOCK) % 2 === 0 ? 'recorded' : 'live');
      for (const [way, xs] of Object.entries(byWay)) {
        const th = [...threadsByWay[way]!].map(([k, v]) => ({ name: k.slice(k.indexOf(' ') + 1), s: v / 100 }));
        const media = th.filter((x) => x.name === 'Media').sort((a, b) => b.s - a.s);
        const byName: Record<string, number> = {};
        for (const x of th) byName[x.name] = Math.round(((byName[x.name] ?? 0) + x.s) * 100) / 100;
        const threads = { mediaCpuS: Math.round(media.reduce((n, x) => n + x.s, 0) * 100) / 100, mediaBusiestThreadS: media[0]?.s ?? 0, mediaThreadsOver0_1s: media.filter((x) => x.s >= 0.1).length, mediaTopThreadsS: media.slice(0, 6).map((x) => x.s), byName: Object.fromEntries(Object.entries(byName).sort((a, b) => b[1] - a[1]).slice(0, 8)) };
        log(`--ab-recorded ${way}: ${xs.length} seeks, p50 ${Math.round(percentile(xs.map((x) => x.ms), 50) ?? 0)} / p99 ${Math.round(percentile(xs.map((x) => x.ms), 99) ?? 0)} ms; renderer threads ${JSON.stringify(threads)}; phases ${JSON.stringify(phasesOf(xs))}`);
      }
    }
    if (abParts || abSwitch) for (const [way, xs] of Object.entries(byWay)) log(`--ab-${abSwitch ?? 'parts'} ${way}: ${xs.length} seeks, p50 ${Math.round(percentile(xs.map((x) => x.ms), 50) ?? 0)} / p99 ${Math.round(percentile(xs.map((x) => x.ms), 99) ?? 0)} ms; phases ${JSON.stringify(phasesOf(xs))}`);
    const phases = phasesOf(samples);
    log(`seek phases per tile (p50/p99 ms): ${JSON.stringify(phases)}`);
    const playback = await measurePlayback(page, (at) => seekOnce(at), fromMs + 30_000);
    log(`playback, the replay clock's speed against the wall clock at each speed: ${JSON.stringify(playback)}`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    await page.screenshot({ path: join(tmpdir(), 'kuzet-replay-seek.png') }); // to look at, not kept in the repository
    const p = (q: number) => (times.length ? Math.round(percentile(times, q) ?? 0) : null);
    return { p99: p(99), detail: { display: headless ? 'headless' : 'window', seeks, measured: times.length, failed, p50Ms: p(50), maxMs: times.length ? Math.round(Math.max(...times)) : null, tilesPerSeek: [Math.min(...tiles), Math.max(...tiles)], camerasRecorded: ids.length, segmentFiles: files, subStream: !mainOnly, recordedMinutesIndexed: indexed, loadAvg1mAtSeekStart: load, loadAvg1mAtSeekEnd: loadavg()[0], pausedRendererCpuPct: idle, phases, playback } };
  } finally {
    await browser?.close();
    api.close();
    await shell.close();
  }
}

async function main(): Promise<void> {
  if (latencyOnly) { log(JSON.stringify(await measureTrainingLatency(log, quick ? 20_000 : 60_000))); return; }
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-bench-replay-'));
  const load = loadavg()[0]!;
  try {
    const c = new Console(dir);
    c.wall.setLayout('main', makePresetLayout('4x4', Array.from({ length: CAMERAS }, (_, i) => `cam-${i + 1}`), 'live', '4x4'));
    const r = rng(11);
    const shown: Array<{ t: number; state: Omit<ConsoleState, 'atMs'> }> = [];
    const fromMs = T0 + 60_000;
    const stepMs = Math.floor((MINUTES * 60_000) / STEPS);
    c.t = fromMs;
    shown.push({ t: c.t, state: c.shown(fromMs) });
    for (let i = 0; i < STEPS; i++) {
      c.t += 1 + r.int(2 * stepMs);
      step(c, r, ['console-1', 'console-2']);
      await Promise.resolve(); await Promise.resolve();
      shown.push({ t: c.t, state: c.shown(fromMs) });
    }
    const toMs = c.t;
    const ctx = { clientId: 'bench' };
    const incident = c.replay.handlers['replay.incidents.create']({ name: 'bench', fromMs, toMs, cameraIds: Array.from({ length: CAMERAS }, (_, i) => `cam-${i + 1}`), operator: 'bench' }, ctx) as { id: string };
    const record = c.replay.handlers['replay.incidents.get']({ id: incident.id }, ctx) as IncidentRecord;
    let mismatches = 0;
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t = fromMs + r.int(toMs - fromMs + 1);
      const t0 = performance.now();
      const got = c.replay.handlers['replay.stateAt']({ id: incident.id, atMs: t }, ctx) as ConsoleState;
      times.push(performance.now() - t0);
      const want = [...shown].reverse().find((s) => s.t <= t)!.state;
      const pure = consoleStateAt(record, t);
      if (JSON.stringify({ displays: got.displays, queue: got.queue }) !== JSON.stringify(want) || JSON.stringify(pure) !== JSON.stringify(got)) mismatches++;
    }
    c.replay.close();
    if (seekOnly) { log(JSON.stringify(await measureSeek(dir, incident.id, fromMs, toMs))); return; }
    const training = await trainingFigures(join(dir, 'training-host'), quick ? 4 : 10);
    const seek = await measureSeek(dir, incident.id, fromMs, toMs);
    const latency: TrainingLatency = process.argv.includes('--no-latency') ? { liveLatencyP50Ms: null, detail: { skipped: '--no-latency' } } : await measureTrainingLatency(log, quick ? 20_000 : 60_000);
    const result = {
      replaySeekP99Ms: seek.p99, replayStateMismatches: mismatches, replayCameras: CAMERAS,
      scenarioStartMs: training.scenarioStartMs, liveLatencyP50Ms: latency.liveLatencyP50Ms, scoringCorrect: training.scoringCorrect, productionLeaks: training.productionLeaks,
      replayStateAtP99Ms: Math.round((percentile(times, 99) ?? 0) * 10) / 10,
      detail: {
        quick, minutes: MINUTES, steps: STEPS, samples: SAMPLES, journalActions: record.actions.length + record.before.length,
        alarms: (consoleStateAt(record, toMs)).queue.length, cores: cpus().length, loadAvg1mAtStart: load, loadAvg1mAtEnd: loadavg()[0],
        training: training.detail,
        seek: seek.detail,
        trainingLatency: latency.detail,
      },
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'replay.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
