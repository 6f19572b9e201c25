/**
 * `npm run bench:map [-- --quick]`: the city map's figures (issue 10 §6), written to bench/results/map.json:
 *   { camerasOnMap, units, wallFpsMinWithMap, mapExtraCpuPct, mapFrameP95Ms, routeQueryP99Ms, plateReads }
 * One function per figure group (FIGURES below); a group not measured yet leaves its fields null and says so in
 * `notMeasured`. Add a group by adding a function: it returns its fields, a detail object and notes.
 *
 *   routeQueryP99Ms, plateReads  (measurePlateRoutes)  1,000,000 plate reads (50,000 plates on 1,000 cameras over
 *     30 days, a few plates read thousands of times as taxis are) are written into a data dir's plate index; then the
 *     real web shell starts on it and `plates.route` is asked for random plates over its WebSocket API (the gate, the
 *     handler, SQLite: what the map window waits for). p99 of the round trip. Wildcard searches are measured beside it.
 * Figures are timings of this run on a shared machine: the load average is recorded with them.
 * `--only=window` (or `--only=routes`) runs one group and prints its figures without writing the results file.
 * `--units-ab` adds to the window group the units' wire A/B (map-units.ts `unitsWireAB`; a host switch for the benchmark only).
 * `--comp-ab` adds the moved pictures' compositing A/B (map-units.ts `standInCompositingAB`; BENCH_MAP_COMP_VARIANTS and
 * BENCH_MAP_COMP_ROUNDS also turn it on).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { ROOT, startWebShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { percentile } from '../support/procfs.js';
import { PlateIndex, type SightingInput } from '../../electron/host/plates/plate-index.js';
import { benchMapUnits } from './map-units.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? null;
const log = (m: string) => process.stdout.write(`[bench:map] ${m}\n`);

/** The fields; each figure group fills some of them. */
export interface MapFigures {
  camerasOnMap: number | null; units: number | null; wallFpsMinWithMap: number | null; mapExtraCpuPct: number | null;
  mapFrameP95Ms: number | null; routeQueryP99Ms: number | null; plateReads: number | null;
  /** Beside mapFrameP95Ms (the first frame showing a pan or zoom step): the step to both canvases drawn sharp. */
  mapSharpFrameP95Ms: number | null;
}
interface FigureGroup { name: string; key: string; fields: Array<keyof MapFigures>; run(): Promise<{ figures: Partial<MapFigures>; detail: Record<string, unknown>; notes: string[] }> }

const PLATE_READS = 1_000_000;
const PLATES = 50_000;
const CAMERAS = 1_000;
const DAYS = 30;

/** mulberry32: the same data every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296; };
}
const LETTERS = 'ABCDEFHKMNOPSTXYZ';
const plateOf = (i: number) => `${String(i % 1000).padStart(3, '0')}${LETTERS[Math.floor(i / 1000) % 17]}${LETTERS[Math.floor(i / 17_000) % 17]}${LETTERS[(i * 7) % 17]}${String(1 + (i % 17)).padStart(2, '0')}`;

async function measurePlateRoutes(): Promise<Awaited<ReturnType<FigureGroup['run']>>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-bench-map-'));
  try {
    const rnd = random(10);
    const index = new PlateIndex(join(dataDir, 'plates.sqlite'));
    index.db.pragma('synchronous = OFF'); // set-up only: the host reopens the file with its own settings
    const t0 = Date.now() - DAYS * 86_400_000;
    const fillStart = performance.now();
    const BATCH = 10_000;
    for (let done = 0; done < PLATE_READS; done += BATCH) {
      const batch: SightingInput[] = [];
      for (let k = 0; k < BATCH; k++) {
        // 1 % of the reads go to 20 "taxi" plates (about 500 reads each); the rest spread over all plates
        const p = rnd() < 0.01 ? Math.floor(rnd() * 20) : Math.floor(rnd() * PLATES);
        const cam = Math.floor(rnd() * CAMERAS);
        batch.push({ eventId: `b-${done + k}`, plate: plateOf(p), text: plateOf(p), cameraId: `cam-${cam}`, atMs: t0 + Math.floor(((done + k) / PLATE_READS) * DAYS * 86_400_000),
          confidence: 0.9, box: { x: 0.4, y: 0.6, w: 0.1, h: 0.05 }, position: { lat: 43.2 + (cam % 40) * 0.002, lon: 76.9 + Math.floor(cam / 40) * 0.002 }, kind: 'plate' });
      }
      index.add(batch);
    }
    const stored = index.count();
    index.close();
    const fillSec = (performance.now() - fillStart) / 1000;
    log(`stored ${stored} plate reads in ${fillSec.toFixed(1)} s`);

    const shell = await startWebShell({ dataDir, env: { KUZET_MQTT_PORT: '0' } });
    try {
      const api = await ApiClient.connect(shell.info.origin, shell.info.token);
      const time = async (fn: () => Promise<unknown>) => { const s = performance.now(); await fn(); return performance.now() - s; };
      const ROUTES = quick ? 300 : 2000;
      const routeMs: number[] = [];
      const sizes: number[] = [];
      for (let i = 0; i < 20; i++) await api.call('plates.route', { plate: plateOf(i) }); // warm up (SQLite pages, JIT)
      for (let i = 0; i < ROUTES; i++) {
        // one query in ten asks for a taxi plate (hundreds of sightings), the rest for any plate
        const p = i % 10 === 0 ? Math.floor(rnd() * 20) : Math.floor(rnd() * PLATES);
        let n = 0;
        routeMs.push(await time(async () => { n = (await api.call('plates.route', { plate: plateOf(p) })).sightings.length; }));
        sizes.push(n);
      }
      const SEARCHES = quick ? 50 : 200;
      const searchMs: number[] = [];
      const patterns = (i: number) => { const p = plateOf(Math.floor(rnd() * PLATES)); return i % 2 ? `${p.slice(0, 3)}?${p.slice(4)}` : `*${p.slice(3)}`; };
      for (let i = 0; i < SEARCHES; i++) { const pattern = patterns(i); searchMs.push(await time(() => api.call('plates.search', { pattern }))); }
      api.close();
      const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
      return {
        figures: { routeQueryP99Ms: r1(percentile(routeMs, 99)), plateReads: stored },
        detail: {
          routeQueries: ROUTES, routeP50Ms: r1(percentile(routeMs, 50)), routeP95Ms: r1(percentile(routeMs, 95)), routeMaxMs: r1(Math.max(...routeMs)),
          sightingsPerRouteP50: percentile(sizes, 50), sightingsPerRouteMax: Math.max(...sizes),
          wildcardSearches: SEARCHES, wildcardP50Ms: r1(percentile(searchMs, 50)), wildcardP99Ms: r1(percentile(searchMs, 99)),
          distinctPlates: PLATES, cameras: CAMERAS, days: DAYS, fillSec: Math.round(fillSec),
        },
        notes: ['route and search times are round trips over the web shell API (WebSocket, access gate, SQLite), one at a time'],
      };
    } finally { await shell.close(); }
  } finally { rmSync(dataDir, { recursive: true, force: true }); }
}

/** The map window with 1,000 cameras and 50 moving units beside a 16 x 360p wall (tests/bench/map-units.ts). */
async function measureMapWindow(): Promise<Awaited<ReturnType<FigureGroup['run']>>> {
  const r = await benchMapUnits({ quick, log, unitsWireAB: process.argv.includes('--units-ab'), compositingAB: process.argv.includes('--comp-ab') });
  const { notes, camerasOnMap, units, wallFpsMinWithMap, mapExtraCpuPct, mapFrameP95Ms, mapSharpFrameP95Ms, ...detail } = r;
  return { figures: { camerasOnMap, units, wallFpsMinWithMap, mapExtraCpuPct, mapFrameP95Ms, mapSharpFrameP95Ms }, detail, notes };
}

/** The figure groups, in run order. */
const FIGURES: FigureGroup[] = [
  { name: 'plate routes', key: 'routes', fields: ['routeQueryP99Ms', 'plateReads'], run: measurePlateRoutes },
  { name: 'map window and units', key: 'window', fields: ['camerasOnMap', 'units', 'wallFpsMinWithMap', 'mapExtraCpuPct', 'mapFrameP95Ms', 'mapSharpFrameP95Ms'], run: measureMapWindow },
];

async function main(): Promise<void> {
  const result: MapFigures = { camerasOnMap: null, units: null, wallFpsMinWithMap: null, mapExtraCpuPct: null, mapFrameP95Ms: null, routeQueryP99Ms: null, plateReads: null, mapSharpFrameP95Ms: null };
  const detail: Record<string, unknown> = {};
  const notes: string[] = [];
  const load = { start: loadavg().map((x) => Math.round(x * 100) / 100), end: [] as number[] };
  if (only && !FIGURES.some((g) => g.key === only)) throw new Error(`--only=${only}: no such group (${FIGURES.map((g) => g.key).join(', ')})`);
  for (const g of FIGURES) {
    if (only && g.key !== only) continue;
    log(`measuring ${g.name}`);
    const r = await g.run();
    Object.assign(result, r.figures);
    detail[g.name] = r.detail;
    notes.push(...r.notes);
  }
  load.end = loadavg().map((x) => Math.round(x * 100) / 100);
  const measured = new Set(FIGURES.flatMap((g) => g.fields));
  const notMeasured = (Object.keys(result) as Array<keyof MapFigures>).filter((k) => !measured.has(k));
  const out = { ...result, quick, at: new Date().toISOString(), loadAverage: load, notMeasured, notMeasuredWhy: notMeasured.length ? 'no measurement written for these yet (null)' : undefined, targets: { routeQueryP99Ms: 200, plateReads: 1_000_000, camerasOnMap: 1000, units: 50, wallFpsMinWithMap: 24, mapExtraCpuPct: 15, mapFrameP95Ms: 50 }, detail, notes };
  if (only) { console.log(JSON.stringify({ ...result, detail, notes, loadAverage: load }, null, 2)); return; }
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'map.json'), JSON.stringify(out, null, 2) + '\n');
  log(JSON.stringify(result));
  log(`load average ${load.start.join(' ')} -> ${load.end.join(' ')}`);
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
