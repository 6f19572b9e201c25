/**
 * The map's share of `npm run bench:map` (issue 10 §6), one exported function: 1,000 cameras placed over the demo
 * district and 50 units moving at 2 updates a second on the map, in its own app window (its own Chromium profile and
 * process, as DESIGN.md asks without a GPU) on a screen of its own, while a 16 x 360p wall plays in the app window
 * on another screen: the windows `npm start` opens (scripts/app-window.mjs flags), each on its own X display.
 * - mapExtraCpuPct: CPU (% of one core) of the map's browser processes while the units move, their 5-minute trails
 *   sent first (since 2026-12-05; before, the trails were seconds old, docs/map.md); mapIdleCpuPct the same
 *   with nothing moving (draw on change only: should be about 0).
 * - mapFrameP95Ms: a pan or zoom step by input (a wheel notch, a drag's move: map-steps.ts) to the first frame showing
 *   its view (the moved picture, or a draw), p95 over every step the run timed in the configuration a user gets (the
 *   first block and the trails A/B's default-variant blocks: about 40 steps with --quick, 90 otherwise; with --comp-ab
 *   also that A/B's default blocks); mapSharpFrameP95Ms to both canvases drawn sharp for it, over the first block.
 *   The same with every step drawn (the moved pictures off) beside them, in the same run. Before 2026-12-05 the step
 *   was a jump (the probe's zoomTo) to the frame deck drew for it.
 * - wallFpsMinWithMap: the wall's lowest painted fps per tile over the moving window; beside it every tile's fps then
 *   and over a window of the wall alone before the map opened (the reference, same run).
 * Timings are measured on this machine as it is: the machine's busy share is reported beside them.
 */
import type { ChildProcess } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { attachDevTools, launchPlainChromium, type PlainChromium } from '../support/plain-chromium.js';
import { ensureXDisplay, type XDisplay } from '../support/xvfb.js';
import { measureCpu, measureThreads, percentile, tree, type ProcInfo } from '../support/procfs.js';
import { UNIT_TELEMETRY_VERSION, type UnitKind } from '../../electron/contract/units-schema.js';
import { PAN_ZOOM_STEPS, type StepRecord } from './map-steps.js';
import { autogroupRefusalNow, browserOfProfile, sessionNice, WALL_YIELD_MS } from '../../electron/host/map/wall-priority.js';

export interface MapUnitsResult {
  camerasOnMap: number;
  units: number;
  mapExtraCpuPct: number;
  mapIdleCpuPct: number;
  /** Frames deck drew a second while nothing moved (draw on change: about 0) and while the units moved. */
  mapIdleRedrawsPerS: number;
  /** deck.gl loop steps on animation frames / on idle polls per second while nothing moves (frame-pacer.ts). */
  mapIdleLoopFramesPerS: number;
  mapIdleLoopPollsPerS: number;
  mapMovingRedrawsPerS: number;
  /** The same per canvas (map-decks.ts: still, trails, moving; `flat` the units drawn with Canvas 2D, flat-moving.ts). */
  mapMovingDrawsPerSByCanvas: Record<string, number> | null;
  /** The map browser's CPU (% of one core) by process type and thread name while the units move (>= 0.5 %), and idle. */
  mapMovingCpuByThread: Record<string, number>;
  mapIdleCpuByThread: Record<string, number>;
  mapFrameP95Ms: number | null;
  /** The steps mapFrameP95Ms is over (every step of the run in the default configuration), their p50, and the first block's own p95. */
  mapFrameSteps: { timed: number; p50: number | null; firstBlockP95: number | null; firstBlockTimed: number; sharpP95: number | null };
  /**
   * From a pan or zoom step to both canvases drawn sharp for its view (the moved picture gone), over the first block (the
   * compositing A/B's blocks, every variant, had sharp p95s of 4-5 s in the 18:08 full run: not explained; in mapFrameSteps).
   */
  mapSharpFrameP95Ms: number | null;
  /** The same two with the moved pictures off (every step drawn, as before 2026-12-05), in the same run. */
  mapFrameP95MsRedrawEveryStep: number | null;
  mapSharpFrameP95MsRedrawEveryStep: number | null;
  /** Medians of the same and how many steps were timed (a step that did not move the view is not). */
  panZoomStepsMs: Record<'standIn' | 'redrawEveryStep', { firstP50: number | null; sharpP50: number | null; timed: number }>;
  wallFpsMinWithMap: number | null;
  /** CPU (% of one core) by role (map, wall, host, simulator, the X servers, other) while nothing moves and while the units move. */
  cpuByRoleIdle: Record<string, number>;
  cpuByRoleMoving: Record<string, number>;
  /** Each wall tile's painted fps while the units move on the map, and over a window before the map opened. */
  wallFpsByTileWithMap: number[];
  wallFpsByTileAlone: number[];
  wallFpsMedianWithMap: number | null;
  wallFpsMedianAlone: number | null;
  /** Median trail points a unit kept when the moving window started (5-minute trails sent first). */
  trailPointsMedian: number;
  machineBusyPct: number;
  loadAverage1m: number;
  /**
   * With `unitsWireAB` (bench:map --units-ab): the moving window again, alternating the units' wire (host switch
   * KUZET_UNITS_WIRE=ab and a file in its data folder; benchmark only): `whole` every unit with its whole trail to every
   * connection (before 2026-12-05), `delta` the changes only to the windows that asked (docs/map.md "Units on the wire").
   * cpuByRole: as above, with each window's renderer process apart (`wallRenderer`, `mapRenderer`: not in `wall`, `map`).
   */
  /**
   * The trails snapshot drawn by deck on its WebGL canvas (`deckTrails`, before 2026-12-05 evening) or with Canvas 2D
   * (`flatTrails`, map-decks.ts, the default without a GPU), in the same run: the map's CPU over alternating windows and
   * pan/zoom steps (moved pictures on) in alternating blocks of PAN_ZOOM_BLOCK steps; per variant over its windows/blocks.
   */
  flatTrailsAB?: Array<{ variant: 'deckTrails' | 'flatTrails'; mapCpuPct: number; firstP95: number | null; firstP50: number | null; sharpP95: number | null; timed: number; slowSteps: number; loadAverage1m: number }>;
  /**
   * How the moved pictures are composited (map-decks.ts `setLayerHints`, `setStandInNearest`), in the same run: pan/zoom
   * steps (moved pictures on) in alternating blocks of PAN_ZOOM_BLOCK steps, per variant over its blocks, wheel and drag
   * apart: `bilinear` every canvas as Chromium layers it, moved pictures filtered (before 2026-12-05 evening);
   * `layers` every canvas a composited layer of its own (`will-change: transform`); `nearest` moved pictures sampled
   * nearest-neighbour; `layersNearest` both. Also (BENCH_MAP_COMP_VARIANTS only) when the zoom step's layers are made
   * (map-decks.ts `setLayersAtSettle`): `stepLayers` on every view change (before 2026-12-05 20:00), `settleLayers` when
   * the view settles (the default). And the decks' loops (map-decks.ts `setFollowersAtSettle`, `setIdlePolls`):
   * `loopsAsBefore` (every view given to the still and trails decks, every idle deck polled: before 2026-12-06),
   * `followersAtSettle`, `quietLoops` (both: the default); `wallYield` (the default since 2026-12-06: the map page tells
   * the host of its pans and zooms and the host lowers the wall browser's autogroup, wall-priority.ts), `wallNice`,
   * `wallNice3`, `wallNice0`: the wall browser's autogroup at nice 10 / 3 / 0 all the time (0: as before);
   * `simNice`: the camera simulator at nice 10. The rounds rotate the variants' order; `wallFpsMin` and
   * `wallFpsMedian` are the wall's tiles over the variant's blocks (pan/zoom steps going on).
   */
  standInCompositingAB?: Array<{ variant: string; firstP50: number | null; firstP95: number | null; wheelFirstP50: number | null; wheelFirstP95: number | null; dragFirstP50: number | null; dragFirstP95: number | null; sharpP95: number | null; timed: number; slowSteps: number; loadAverage1m: number; loopFramesPerS: number; loopPollsPerS: number; wallFpsMin: number | null; wallFpsMedian: number | null; wallNiceAfterBlocks: Array<number | null> }>;
  /** Every timed step with moved pictures (the main run then the A/B blocks): `variant name first/sharp ms [canvas@start+ms ...]`. */
  panZoomStepDetail?: string[];
  unitsWireAB?: Array<{ wire: 'whole' | 'delta'; cpuByRole: Record<string, number>; wallFpsMin: number | null; wallFpsMedian: number | null; unitsBytesPerS: number; loadAverage1m: number }>;
  notes: string[];
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const roundAll = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Reports per unit sent before the moving window, 3 s apart: 5-minute trails (issue 10 §6: what an operator sees). */
const TRAIL_BACKFILL_REPORTS = 100;
/** Steps a block of the trails A/B (flatTrailsAB), and what counts as a slow step (first frame, ms) in its notes. */
const PAN_ZOOM_BLOCK = 10;
const SLOW_STEP_MS = 40;
/** deck loop steps a second (frame-pacer.ts) over a variant's blocks: on animation frames and on idle polls. */
function loopRates(blocks: Array<{ frames: number; polls: number; secs: number }>): { loopFramesPerS: number; loopPollsPerS: number } {
  const secs = blocks.reduce((a, b) => a + b.secs, 0) || 1;
  return { loopFramesPerS: round(blocks.reduce((a, b) => a + b.frames, 0) / secs), loopPollsPerS: round(blocks.reduce((a, b) => a + b.polls, 0) / secs) };
}
const UNIT_KINDS: UnitKind[] = ['drone', 'robot', 'body', 'patrol_car'];
/** Unit `id`'s (the i-th of the benchmarks' units) report at `ts`: a circle over the district, t0 its start (shared with map-draw-cost.ts). */
export function circlingUnitReport(id: string, i: number, ts: number, t0: number) {
  const a = ((ts - t0) / 1000) * 0.01 + i;
  return { v: UNIT_TELEMETRY_VERSION, id, kind: UNIT_KINDS[i % 4]!, lat: 43.245 + 0.01 * Math.sin(a), lon: 76.935 + 0.013 * Math.cos(a), heading: (((a * 57.3) % 360) + 360) % 360, ts };
}
/** The benchmarks' 1,000 cameras placed over the demo district (no stream), each with a view cone. */
export function placedBenchCameras() {
  return Array.from({ length: 1000 }, (_, i) => ({
    id: `map-${String(i).padStart(4, '0')}`, name: `Map camera ${i}`, mainUrl: 'rtsp://127.0.0.1:9/none', kind: 'fixed', tags: ['bench'],
    location: { lat: 43.216 + 0.058 * ((i * 0.6180339887) % 1), lon: 76.886 + 0.093 * ((i * 0.7548776662) % 1), heading: (i * 37) % 360, fov: 60 },
  }));
}
/**
 * 50 units `<prefix>0..49` circling the district, published to the host's broker as real units: their last 5 minutes
 * first (a report every 3 s, as a trail keeps them: the map draws the trails an operator sees once units have moved for 5
 * minutes, not trails seconds old, which cost several times less), then a report each every 500 ms (the returned timer).
 */
export async function startCirclingUnits(client: mqtt.MqttClient, prefix: string): Promise<NodeJS.Timeout> {
  const t0 = Date.now();
  const reportAt = (i: number, ts: number) => client.publishAsync(`kuzet/units/${prefix}${i}`, JSON.stringify(circlingUnitReport(`${prefix}${i}`, i, ts, t0)), { qos: 0 });
  for (let k = TRAIL_BACKFILL_REPORTS; k >= 1; k--) await Promise.all(Array.from({ length: 50 }, (_, i) => reportAt(i, t0 - k * 3000)));
  return setInterval(() => { const now = Date.now(); for (let i = 0; i < 50; i++) void reportAt(i, now); }, 500);
}
type TileNow = { index: number; cameraId: string | null; state: string; painted: number };

/** Runs the map-and-units measurement; `quick` shortens every window (same targets). */
export async function benchMapUnits(opts: { quick?: boolean; log?: (m: string) => void; unitsWireAB?: boolean; compositingAB?: boolean } = {}): Promise<MapUnitsResult> {
  const log = opts.log ?? ((m: string) => process.stdout.write(`[bench:map] ${m}\n`));
  const measureMs = opts.quick ? 10_000 : 30_000;
  const notes: string[] = [];
  let sim: Simulator | null = null;
  let shell: RunningShell | null = null;
  let api: ApiClient | null = null;
  let mapPage: PlainChromium | null = null;
  let wallPage: PlainChromium | null = null;
  let wallScreen: XDisplay | null = null;
  let mapScreen: XDisplay | null = null;
  let publisher: mqtt.MqttClient | null = null;
  let timer: NodeJS.Timeout | null = null;
  try {
    sim = await startSimulator({ camerasFile: 'none', extra: 16 });
    wallScreen = await ensureXDisplay();
    mapScreen = await ensureXDisplay('1920x1080x24', true);
    // as npm start runs it: the host opens the map window itself (on its own screen here, `--map-display`) and knows the
    // wall browser's profile, so the wall yields the CPU while the map is panned or zoomed (host/map/wall-priority.ts)
    const wallProfile = mkdtempSync(join(tmpdir(), 'kuzet-bench-wall-'));
    shell = await startWebShell({ ...(opts.unitsWireAB ? { env: { KUZET_UNITS_WIRE: 'ab' } } : {}),
      args: ['--window-display', wallScreen.display, '--map-display', mapScreen.display, '--chromium', '/usr/bin/chromium', '--wall-profile', wallProfile] });
    api = await ApiClient.connect(shell.info.origin, shell.info.token);
    // 16 wall cameras (360p sub-streams of the simulator) and 1,000 placed cameras over the district (no stream)
    const wallIds = (await sim.cameras()).map((c) => c.id).slice(0, 16);
    const wallCams = wallIds.map((id) => ({ id: `w-${id}`, name: id, mainUrl: sim!.url(id, 'sub'), kind: 'fixed', tags: ['bench'] }));
    const placed = placedBenchCameras();
    const imported = await api.call('cameras.import', { format: 'json', text: JSON.stringify([...wallCams, ...placed]) });
    if (imported.errors.length) throw new Error(`import failed: ${JSON.stringify(imported.errors.slice(0, 3))}`);
    for (const c of wallCams) await api.call('cameras.probe', { id: c.id, profile: 'main' });
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('4x4', wallCams.map((c) => c.id), 'bench', 'bench map') });

    log('wall window (16 x 360p) and map window (1,000 cameras), each its own Chromium app window on its own screen');
    wallPage = await launchPlainChromium(shell.info.url, { window: { display: wallScreen.display }, profileDir: wallProfile });
    await waitFor('the wall page', () => wallPage!.evaluate<boolean>('window.__kuzet?.ready === true'), 60_000, 250);
    const tilesNow = () => wallPage!.evaluate<TileNow[]>('window.__kuzet.tiles()');
    try {
      await waitFor('all tiles painting', async () => (await tilesNow()).filter((x) => x.cameraId && x.state === 'live' && x.painted > 5).length >= 16, 90_000, 500);
    } catch (e) { notes.push(`not every wall tile went live: ${(e as Error).message.slice(0, 160)}`); }
    // the wall alone first: the reference its figures beside the map are read against (same run, same machine)
    const tileFps = async (ms: number) => {
      const a = await tilesNow();
      const t0 = Date.now();
      await sleep(ms);
      const b = await tilesNow();
      const secs = (Date.now() - t0) / 1000;
      return b.filter((t) => t.cameraId).map((t) => round((t.painted - (a.find((x) => x.index === t.index)?.painted ?? 0)) / secs));
    };
    log('the wall alone');
    const wallAloneFps = await tileFps(measureMs);
    // the Map button's request: the host starts the map's browser (its own profile) signed in by a one-time ticket
    const opened = await api.call('map.openWindow', { displayId: 'main', lang: 'en' });
    if (opened.opened !== 'window') throw new Error(`the host did not open its map window (${opened.opened})`);
    const mapProfile = join(shell.dataDir, 'chromium-map-profile');
    const mapDevTools = await attachDevTools(mapProfile, shell.info.origin);
    const mapBrowserPid = await waitFor('the map browser', () => browserOfProfile(mapProfile), 30_000, 200);
    mapPage = { ...mapDevTools, proc: { pid: mapBrowserPid } as ChildProcess, close: async () => mapDevTools.detach() };
    const why = autogroupRefusalNow(wallPage.proc.pid ?? -1);
    if (why) notes.push(`the wall browser cannot yield the CPU to the map here: ${why}`);
    await waitFor('the map drawn', () => mapPage!.evaluate<boolean>('(window.__kuzetMap?.redraws() ?? 0) > 0'), 90_000, 250);
    await mapPage.evaluate('window.__kuzetMap.zoomTo(14)');
    await sleep(3000);

    const mapPid = mapPage.proc.pid!;
    // every process of the run by role, so the figures say where the two cores went (map, wall window, host and its
    // media workers, the camera simulator)
    const roots: Array<[string, number | undefined]> = [['map', mapPid], ['wall', wallPage.proc.pid], ['host', shell.proc.pid], ['simulator', sim.pid]];
    const classify = (p: ProcInfo) => roots.find(([, pid]) => pid !== undefined && (p.pid === pid || p.ancestry?.includes(pid)))?.[0]
      ?? (/^(\S*\/)?Xvfb /.test(p.cmdline) ? 'xvfb' : 'other');
    log('idle: nothing moves');
    const redraws = () => mapPage!.evaluate<number>('window.__kuzetMap.redraws()');
    const loopSteps = () => mapPage!.evaluate<{ frames: number; polls: number }>('window.__kuzetMap.loopSteps()');
    const r0 = await redraws();
    const f0 = await loopSteps();
    const i0 = Date.now();
    const idleProcs = new Map(tree(mapPid).map((p) => [p.pid, /--type=([a-z-]+)/.exec(p.cmdline)?.[1] ?? 'browser'] as const));
    const [idle, idleThreads] = await Promise.all([measureCpu(classify, measureMs), measureThreads((p) => idleProcs.get(p.pid) ?? null, measureMs)]);
    const byThread = (t: Record<string, number>) => roundAll(Object.fromEntries(Object.entries(t).filter(([, pct]) => pct >= 0.5).sort((a, b) => b[1] - a[1])));
    const mapIdleCpuByThread = byThread(idleThreads);
    const idleSecs = (Date.now() - i0) / 1000;
    const mapIdleRedrawsPerS = round((await redraws() - r0) / idleSecs, 2);
    const f1 = await loopSteps();
    const mapIdleLoopFramesPerS = round((f1.frames - f0.frames) / idleSecs, 2);
    const mapIdleLoopPollsPerS = round((f1.polls - f0.polls) / idleSecs, 2);
    const mapIdleCpuPct = round(idle.byGroup.map ?? 0);

    // 50 units at 2 Hz along circles in the district, published to the host's broker like real units
    const info = await api.call('alarms.info', {});
    publisher = await mqtt.connectAsync(info.mqttUrl, { clientId: 'bench-map-units' });
    timer = await startCirclingUnits(publisher, 'bench-');
    await waitFor('the units on the map', () => mapPage!.evaluate<boolean>('(window.__kuzetMap?.redraws() ?? 0) > 0'), 10_000);
    await sleep(3000);
    const tracks = (await api.call('units.list', {})).units.filter((u) => u.id.startsWith('bench-')).map((u) => u.track.length).sort((x, y) => x - y);
    const trailPointsMedian = tracks[Math.floor(tracks.length / 2)] ?? 0;
    log(`moving: 50 units at 2 Hz, 5-minute trails (median ${trailPointsMedian} points a unit kept)`);
    const p0 = await tilesNow();
    const m0 = await redraws();
    const drawsBy = () => mapPage!.evaluate<Record<string, number> | null>('window.__kuzetMap.drawsBy?.() ?? null');
    const c0 = await drawsBy();
    const s0 = Date.now();
    const mapProcs = new Map(tree(mapPid).map((p) => [p.pid, /--type=([a-z-]+)/.exec(p.cmdline)?.[1] ?? 'browser'] as const));
    const [moving, movingThreads] = await Promise.all([measureCpu(classify, measureMs), measureThreads((p) => mapProcs.get(p.pid) ?? null, measureMs)]);
    const p1 = await tilesNow();
    const secs = (Date.now() - s0) / 1000;
    const mapMovingRedrawsPerS = round((await redraws() - m0) / secs, 2);
    const c1 = await drawsBy();
    const mapMovingDrawsPerSByCanvas = c0 && c1 ? Object.fromEntries(Object.keys(c1).map((k) => [k, round(((c1[k] ?? 0) - (c0[k] ?? 0)) / secs, 2)])) : null;
    const mapMovingCpuByThread = byThread(movingThreads);
    const fps = p1.filter((t) => t.cameraId).map((t) => round((t.painted - (p0.find((x) => x.index === t.index)?.painted ?? 0)) / secs));
    const mapExtraCpuPct = round(moving.byGroup.map ?? 0);

    let unitsWireAB: MapUnitsResult['unitsWireAB'];
    if (opts.unitsWireAB) {
      // the same moving window, the wire alternating (whole, delta, whole, delta): a connection that watches counts the bytes
      unitsWireAB = [];
      const watcher = await ApiClient.connect(shell.info.origin, shell.info.token);
      await watcher.call('units.watch', { on: true });
      let wire: 'whole' | 'delta' = 'delta';
      const wireFile = join(shell.dataDir, 'units-wire-whole');
      try {
        // the two browsers' renderer processes apart (the wall window's renderer parsed every units message before)
        const byProcess = (p: ProcInfo) => { const r = classify(p); return (r === 'wall' || r === 'map') && /--type=renderer/.test(p.cmdline) ? `${r}Renderer` : r; };
        for (let k = 0; k < 6; k++) {
          wire = wire === 'delta' ? 'whole' : 'delta';
          if (wire === 'whole') writeFileSync(wireFile, ''); else rmSync(wireFile, { force: true });
          await sleep(2000);
          log(`units wire A/B: ${wire} (${k + 1} of 6)`);
          const e0 = watcher.events.length;
          const q0 = await tilesNow();
          const w0 = Date.now();
          const cpu = await measureCpu(byProcess, measureMs);
          const q1 = await tilesNow();
          const wsecs = (Date.now() - w0) / 1000;
          const bytes = watcher.events.slice(e0).filter((e) => e.event === 'units.changed').reduce((n, e) => n + JSON.stringify(e).length, 0);
          const wfps = q1.filter((t) => t.cameraId).map((t) => round((t.painted - (q0.find((x) => x.index === t.index)?.painted ?? 0)) / wsecs));
          unitsWireAB.push({ wire, cpuByRole: roundAll(cpu.byGroup), wallFpsMin: wfps.length ? Math.min(...wfps) : null, wallFpsMedian: percentile(wfps, 50), unitsBytesPerS: Math.round(bytes / wsecs), loadAverage1m: round(loadavg()[0] ?? 0, 2) });
        }
      } finally { watcher.close(); }
    }

    // pan / zoom steps by input while the units move (map-steps.ts): each variant in this run, redrawing every step
    // first (as before the moved pictures) and then with the moved pictures standing in until the view settles
    const steps = opts.quick ? 20 : 60;
    // BENCH_MAP_AB_ONLY=1 (with BENCH_MAP_COMP_VARIANTS): no every-step-drawn steps and no trails A/B, so that more
    // blocks of the asked A/B fit in a short run
    const abOnly = process.env.BENCH_MAP_AB_ONLY === '1';
    type Steps = { first: number[]; sharp: number[]; unchanged: number; unchangedSteps: string[]; perStep: StepRecord[] };
    const redrawEvery = await mapPage.evaluate<Steps>(`(${PAN_ZOOM_STEPS})(${abOnly ? 0 : steps}, false)`);
    const standIn = await mapPage.evaluate<Steps>(`(${PAN_ZOOM_STEPS})(${steps}, true)`);
    for (const [name, r] of (abOnly ? [['moved pictures', standIn]] : [['redraw every step', redrawEvery], ['moved pictures', standIn]]) as Array<[string, Steps]>) {
      if (r.unchanged) notes.push(`${name}: ${r.unchanged} of ${steps} steps did not change the view (${r.unchangedSteps.join(', ')})`);
      if (r.sharp.length + r.unchanged < steps) notes.push(`${name}: ${steps - r.sharp.length - r.unchanged} of ${steps} steps not drawn sharp within 5 s`);
    }
    const p95 = (xs: number[]) => { const v = percentile(xs, 95); return v === null ? null : round(v); };
    const p50 = (xs: number[]) => { const v = percentile(xs, 50); return v === null ? null : round(v); };

    // the trails with Canvas 2D or by deck (map-decks.ts setFlatTrails), alternating in this run: CPU windows, then step blocks
    const variants = ['deckTrails', 'flatTrails'] as const;
    const setVariant = (v: (typeof variants)[number]) => mapPage!.evaluate(`window.__kuzetMap.setFlatTrails(${v === 'flatTrails'})`);
    const defaultFlat = await mapPage.evaluate<boolean>('window.__kuzetMap.flatTrails()');
    const abCpu: Record<string, number[]> = { deckTrails: [], flatTrails: [] };
    const abSteps: Record<string, StepRecord[]> = { deckTrails: [], flatTrails: [] };
    const abLoad: Record<string, number[]> = { deckTrails: [], flatTrails: [] };
    const blocks = abOnly ? 0 : opts.quick ? 4 : 6;
    for (let k = 0; k < blocks; k++) {
      const v = variants[k % 2]!;
      await setVariant(v);
      await sleep(1500);
      log(`trails A/B: ${v} (${k + 1} of ${blocks}): CPU window, then ${PAN_ZOOM_BLOCK} steps`);
      abCpu[v]!.push((await measureCpu(classify, measureMs / 2)).byGroup.map ?? 0);
      const r = await mapPage.evaluate<Steps>(`(${PAN_ZOOM_STEPS})(${PAN_ZOOM_BLOCK}, true)`);
      abSteps[v]!.push(...r.perStep);
      abLoad[v]!.push(loadavg()[0] ?? 0);
    }
    await mapPage.evaluate(`window.__kuzetMap.setFlatTrails(${defaultFlat})`);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const flatTrailsAB = variants.map((variant) => {
      const st = abSteps[variant]!;
      return { variant, mapCpuPct: round(mean(abCpu[variant]!)), firstP95: p95(st.map((x) => x.first)), firstP50: p50(st.map((x) => x.first)), sharpP95: p95(st.map((x) => x.sharp)), timed: st.length, slowSteps: st.filter((x) => x.first > SLOW_STEP_MS).length, loadAverage1m: round(mean(abLoad[variant]!), 2) };
    });
    // how the moved pictures are composited (map-decks.ts setLayerHints / setStandInNearest) and when the zoom step's
    // layers are made (setLayersAtSettle), alternating in this run; BENCH_MAP_COMP_VARIANTS (comma-separated) and
    // BENCH_MAP_COMP_ROUNDS: fewer variants, more rounds (more steps a variant). A variant sets some switches; the others
    // stay as by default.
    type CompSwitches = { hints: boolean; nearest: boolean; settleLayers: boolean; followers: boolean; polls: 'layers' | 'always'; wallYield: boolean; wallNice: number; simNice: number };
    const COMP_VARIANTS: Record<string, Partial<CompSwitches>> = {
      bilinear: { hints: false, nearest: false }, layers: { hints: true, nearest: false }, nearest: { hints: false, nearest: true }, layersNearest: { hints: true, nearest: true },
      // the zoom step's layers made on every view change (as before 2026-12-05 20:00) or when the view settles
      stepLayers: { settleLayers: false }, settleLayers: { settleLayers: true },
      // the decks' loops (map-decks.ts setFollowersAtSettle, setIdlePolls): as before 2026-12-06 (the still and trails decks
      // given every view change, every idle deck polled), the view given at settle only, and also no idle polls of decks without layers
      loopsAsBefore: { followers: false, polls: 'always' }, followersAtSettle: { followers: true, polls: 'always' }, quietLoops: { followers: true, polls: 'layers' },
      // the wall's browser at a lower CPU priority than the map's (its autogroup's nice, /proc/<pid>/autogroup: each
      // browser is a session of its own; benchmark only, not what `npm start` does)
      // the wall's browser yielding while the map is panned or zoomed (the default since 2026-12-06: the page tells the
      // host, which lowers the wall's autogroup), never (`wallNice0`, as before), or at nice 10 / 3 all the time
      wallNice: { wallYield: false, wallNice: 10 }, wallNice3: { wallYield: false, wallNice: 3 }, wallNice0: { wallYield: false, wallNice: 0 }, wallYield: { wallYield: true, wallNice: 0 },
      // the camera simulator (cameras that are devices of their own in a situation centre) at a lower CPU priority
      simNice: { simNice: 10 },
      // the whole map window re-rendered on every view change (as before 2026-12-06: the view was React state) or only
      // what follows the view (MapView.tsx's view store, ViewChrome.tsx)
    };
    const compAll = ['bilinear', 'layers', 'nearest', 'layersNearest'];
    const compAsked = process.env.BENCH_MAP_COMP_VARIANTS?.split(',');
    const unknown = compAsked?.filter((v) => !COMP_VARIANTS[v]) ?? [];
    if (unknown.length) throw new Error(`BENCH_MAP_COMP_VARIANTS: no such variant ${unknown.join(', ')} (${Object.keys(COMP_VARIANTS).join(', ')})`);
    // only when asked (`--comp-ab` or the variables): its 12-16 blocks took --quick past its 5 minutes, and both switches are off
    const compVariants = compAsked ?? (opts.compositingAB ? compAll : []);
    const compDefault = { ...await mapPage.evaluate<CompSwitches>('({ hints: window.__kuzetMap.layerHints(), nearest: window.__kuzetMap.standInNearest(), settleLayers: window.__kuzetMap.layersAtSettle(), followers: window.__kuzetMap.followersAtSettle(), polls: window.__kuzetMap.idlePolls(), wallYield: true, wallNice: 0, simNice: 0)') };
    const switchesOf = (v: string): CompSwitches => ({ ...compDefault, ...COMP_VARIANTS[v] });
    const wallAutogroup = `/proc/${wallPage.proc.pid}/autogroup`;
    const simAutogroup = `/proc/${sim.pid}/autogroup`;
    // the wall's nice as the variant has it (0 when it yields on input: the host lowers it at the next step)
    let yielding = compDefault.wallYield;
    const setSwitches = async (c: CompSwitches) => {
      // a variant that sets the wall's nice itself waits out the host's hold from a yielding block first (its release
      // would undo the nice); a yielding variant after one that set it starts from 0, then the host sets it on input
      if (yielding && !c.wallYield) await sleep(WALL_YIELD_MS + 500);
      if ((!c.wallYield || !yielding) && existsSync(wallAutogroup)) writeFileSync(wallAutogroup, String(c.wallNice));
      yielding = c.wallYield; if (existsSync(simAutogroup)) writeFileSync(simAutogroup, String(c.simNice)); return mapPage!.evaluate(`window.__kuzetMap.setLayerHints(${c.hints}); window.__kuzetMap.setStandInNearest(${c.nearest}); window.__kuzetMap.setLayersAtSettle(${c.settleLayers}); window.__kuzetMap.setFollowersAtSettle(${c.followers}); window.__kuzetMap.setIdlePolls('${c.polls}'); window.__kuzetMap.setWallYield(${c.wallYield})`);
    };
    const compSteps: Record<string, StepRecord[]> = Object.fromEntries(compVariants.map((v) => [v, []]));
    const compLoad: Record<string, number[]> = Object.fromEntries(compVariants.map((v) => [v, []]));
    const compLoops: Record<string, Array<{ frames: number; polls: number; secs: number }>> = Object.fromEntries(compVariants.map((v) => [v, []]));
    const compWallFps: Record<string, number[]> = Object.fromEntries(compVariants.map((v) => [v, []]));
    // the wall browser's autogroup nice right after each block's last step (the host's yield still held then)
    const compWallNice: Record<string, Array<number | null>> = Object.fromEntries(compVariants.map((v) => [v, []]));
    const compRounds = Number(process.env.BENCH_MAP_COMP_ROUNDS ?? (opts.quick ? 3 : 4));
    for (let k = 0; k < compRounds * compVariants.length; k++) {
      // each round starts one variant later (A B C, B C A, C A B...): a round's later blocks ran on a busier machine
      // (the sharp draws seconds late by then), which the last variant of every round paid for
      const n = compVariants.length;
      const v = compVariants[(k + Math.floor(k / n)) % n]!;
      await setSwitches(switchesOf(v));
      await sleep(1000);
      log(`moved pictures' compositing A/B: ${v} (${k + 1} of ${compRounds * compVariants.length}): ${PAN_ZOOM_BLOCK} steps`);
      const l0 = await loopSteps();
      const t0 = await tilesNow();
      const b0 = Date.now();
      const r = await mapPage.evaluate<Steps>(`(${PAN_ZOOM_STEPS})(${PAN_ZOOM_BLOCK}, true)`);
      const l1 = await loopSteps();
      const t1 = await tilesNow();
      const bsecs = (Date.now() - b0) / 1000;
      compWallNice[v]!.push(sessionNice(wallPage.proc.pid ?? -1));
      compWallFps[v]!.push(...t1.filter((t) => t.cameraId).map((t) => (t.painted - (t0.find((x) => x.index === t.index)?.painted ?? 0)) / bsecs));
      compLoops[v]!.push({ frames: l1.frames - l0.frames, polls: l1.polls - l0.polls, secs: (Date.now() - b0) / 1000 });
      compSteps[v]!.push(...r.perStep);
      compLoad[v]!.push(loadavg()[0] ?? 0);
    }
    await setSwitches(compDefault);
    const standInCompositingAB = compVariants.map((variant) => {
      const st = compSteps[variant]!;
      const wheel = st.filter((x) => x.name.startsWith('wheel')).map((x) => x.first), drag = st.filter((x) => x.name.startsWith('drag')).map((x) => x.first);
      return { variant, firstP50: p50(st.map((x) => x.first)), firstP95: p95(st.map((x) => x.first)), wheelFirstP50: p50(wheel), wheelFirstP95: p95(wheel), dragFirstP50: p50(drag), dragFirstP95: p95(drag),
        sharpP95: p95(st.map((x) => x.sharp)), timed: st.length, slowSteps: st.filter((x) => x.first > SLOW_STEP_MS).length, loadAverage1m: round(mean(compLoad[variant]!), 2),
        ...loopRates(compLoops[variant]!), wallNiceAfterBlocks: compWallNice[variant]!, wallFpsMin: compWallFps[variant]!.length ? round(Math.min(...compWallFps[variant]!)) : null, wallFpsMedian: percentile(compWallFps[variant]!, 50) };
    });
    for (const r of standInCompositingAB) log(`compositing A/B ${r.variant}: first p50/p95 ${r.firstP50}/${r.firstP95} ms (wheel ${r.wheelFirstP50}/${r.wheelFirstP95}, drag ${r.dragFirstP50}/${r.dragFirstP95}), sharp p95 ${r.sharpP95}, ${r.slowSteps} of ${r.timed} over ${SLOW_STEP_MS} ms, load ${r.loadAverage1m}, loop steps a second ${r.loopFramesPerS} on frames + ${r.loopPollsPerS} polls, wall fps per tile min ${r.wallFpsMin} median ${r.wallFpsMedian}, the wall's nice after its blocks ${r.wallNiceAfterBlocks.join(' ')}`);
    // the figure: every step this run timed in the configuration a user gets (the first block, and each A/B's blocks of the
    // default variant: trails as by default, moved pictures composited as by default); twenty steps alone are too few
    // for a p95 on this machine (one slow step is the p95)
    const isDefault = (v: string) => { const c = switchesOf(v); return (Object.keys(compDefault) as Array<keyof CompSwitches>).every((k) => c[k] === compDefault[k]); };
    const defaultSteps = [...standIn.perStep, ...abSteps[defaultFlat ? 'flatTrails' : 'deckTrails']!, ...compVariants.filter(isDefault).flatMap((v) => compSteps[v]!)];
    const mapFrameP95Ms = p95(defaultSteps.map((x) => x.first));
    const mapFrameSteps = { timed: defaultSteps.length, p50: p50(defaultSteps.map((x) => x.first)), firstBlockP95: p95(standIn.first), firstBlockTimed: standIn.first.length, sharpP95: p95(defaultSteps.map((x) => x.sharp)) };
    log(`pan/zoom first frame over the run's ${defaultSteps.length} steps in the default configuration: p95 ${mapFrameP95Ms} ms (p50 ${mapFrameSteps.p50}); first block alone p95 ${mapFrameSteps.firstBlockP95} (${standIn.first.length} steps)`);
    const tagged: Array<[string, StepRecord]> = [...standIn.perStep.map((x) => [defaultFlat ? 'flatTrails' : 'deckTrails', x] as [string, StepRecord]), ...variants.flatMap((v) => abSteps[v]!.map((x) => [v, x] as [string, StepRecord])), ...compVariants.flatMap((v) => compSteps[v]!.map((x) => [v, x] as [string, StepRecord]))];
    const panZoomStepDetail = tagged.map(([v, x]) => `${v} ${x.name} ${x.first}/${x.sharp} ms [${x.draws.map((d) => `${d.canvas}@${d.atMs}+${d.ms}`).join(' ')}] act ${x.actMs ?? '-'} frames ${(x.frames ?? []).join(',')}${x.longFrames?.length ? ` long frames: ${x.longFrames.join(' | ')}` : ''}${x.sharpLongFrames?.length ? ` before sharp: ${x.sharpLongFrames.join(' | ')}` : ''}`);
    // what the slow steps coincide with: a deck draw of the trails (or another canvas) from STEP_DRAWS_BEFORE_MS before the event to its first frame
    for (const v of variants) {
      const st = tagged.filter(([tv]) => tv === v).map(([, x]) => x);
      const slow = st.filter((x) => x.first > SLOW_STEP_MS);
      const by = (xs: StepRecord[], canvas: string) => xs.filter((x) => x.draws.some((d) => d.canvas === canvas)).length;
      const withTrails = st.filter((x) => x.draws.some((d) => d.canvas === 'trails'));
      const without = st.filter((x) => !x.draws.some((d) => d.canvas === 'trails'));
      notes.push(`${v}: ${slow.length} of ${st.length} steps over ${SLOW_STEP_MS} ms; of those, with a draw in their window: trails ${by(slow, 'trails')}, flatTrails ${by(slow, 'flatTrails')}, still ${by(slow, 'still')}, moving ${by(slow, 'moving')}, flat ${by(slow, 'flat')}, none ${slow.filter((x) => !x.draws.length).length}; first-frame p50 with a trails deck draw ${p50(withTrails.map((x) => x.first))} ms (${withTrails.length} steps), without ${p50(without.map((x) => x.first))} ms (${without.length})`);
    }
    return {
      cpuByRoleIdle: roundAll(idle.byGroup), cpuByRoleMoving: roundAll(moving.byGroup),
      camerasOnMap: placed.length, units: 50, mapExtraCpuPct, mapIdleCpuPct, mapIdleRedrawsPerS, mapIdleLoopFramesPerS, mapIdleLoopPollsPerS, mapMovingRedrawsPerS, mapMovingDrawsPerSByCanvas, mapMovingCpuByThread, mapIdleCpuByThread,
      mapFrameP95Ms, mapFrameSteps, mapSharpFrameP95Ms: p95(standIn.sharp),
      mapFrameP95MsRedrawEveryStep: p95(redrawEvery.first), mapSharpFrameP95MsRedrawEveryStep: p95(redrawEvery.sharp),
      panZoomStepsMs: { standIn: { firstP50: p50(standIn.first), sharpP50: p50(standIn.sharp), timed: standIn.first.length }, redrawEveryStep: { firstP50: p50(redrawEvery.first), sharpP50: p50(redrawEvery.sharp), timed: redrawEvery.first.length } },
      wallFpsMinWithMap: fps.length ? round(Math.min(...fps)) : null,
      wallFpsByTileWithMap: fps, wallFpsByTileAlone: wallAloneFps,
      wallFpsMedianWithMap: percentile(fps, 50), wallFpsMedianAlone: percentile(wallAloneFps, 50),
      flatTrailsAB, ...(standInCompositingAB.length ? { standInCompositingAB } : {}), panZoomStepDetail,
      trailPointsMedian, machineBusyPct: round(moving.machineBusyPct), loadAverage1m: round(loadavg()[0] ?? 0, 2), ...(unitsWireAB ? { unitsWireAB } : {}), notes,
    };
  } finally {
    if (timer) clearInterval(timer);
    await publisher?.endAsync(true).catch(() => {});
    await mapPage?.close().catch(() => {});
    await wallPage?.close().catch(() => {});
    await mapScreen?.close().catch(() => {});
    await wallScreen?.close().catch(() => {});
    api?.close();
    await shell?.close().catch(() => {});
    await sim?.close().catch(() => {});
  }
}
