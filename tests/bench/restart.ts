/**
 * `npm run bench:restart [-- --kills 8 --label after --delivery encoded --standby on]`: how fast a media worker killed
 * with SIGKILL is live again (issue 9). One simulator, a StreamService with 4 cameras demanded (320x180 tiles of
 * clients that decode H.264 themselves, as the wall does by default; `--delivery decoded` for pictures). Kills the
 * cameras' workers in turn, one at a time, each after its camera has been live for `--settle` ms (and, with the
 * standby on, the standby is spawned and waiting for its config). Per kill: time to leave live (kill -> status not
 * live), time to live (kill -> the host's first frame of the new worker, which is when the status turns live), and
 * where that time went on the critical path, from the host's times (exit seen, camera handed to the new worker,
 * first frame) and the start-up marks the worker reports (worker-process.ts, StartupMarks). A phase hidden by the
 * standby (done before the camera was handed over) counts 0. Writes the run under its label into
 * bench/results/restart.json (other labels are kept) and the table of all labels into docs/benchmarks/restart.md.
 * Timings are the machine's: note its load (the load average and busy share are recorded with each run).
 * The simulator starts a camera's stream afresh (at a key frame) for a client that finds nobody else watching, so by
 * default a restart never waits for a key frame; `--shared` keeps a second client (gst-launch-1.0) on every camera, as
 * a real camera's encoder runs on whoever connects: then the new connection joins mid-GOP and waits 0-1 s for a key frame.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { StreamStatus } from '../../electron/contract/schemas.js';
import type { Logger } from '../../electron/host/log.js';
import { StreamService } from '../../electron/host/streams/service.js';
import type { StartupMarks } from '../../electron/host/streams/worker-process.js';
import { startSimulator } from '../../native/simulator/control.js';
import { ROOT } from '../support/harness.js';
import { machineTicks, percentile, readProc } from '../support/procfs.js';
import { isWaitingStandby } from '../support/standby.js';

const arg = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : d; };
const KILLS = Number(arg('--kills', '8'));
const CAMERAS = Number(arg('--cameras', '4'));
const SETTLE_MS = Number(arg('--settle', '3000'));
const LABEL = arg('--label', 'now');
const DELIVERY = arg('--delivery', 'encoded') as 'encoded' | 'decoded';
const STANDBY = arg('--standby', 'on') !== 'off';
/** Keep another RTSP client on every camera, so its stream runs on as a real camera's does and a new connection joins mid-GOP. */
const SHARED = process.argv.includes('--shared');
const TAG = `kzbench-restart-${process.pid}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number | null, d = 1) => (v === null ? null : Math.round(v * 10 ** d) / 10 ** d);

/** Critical-path phases in order: [name, point it ends at]. */
const PHASES: Array<[string, string]> = [
  ['detect: kill to exit seen by the host', 'exit'],
  ['back-off: exit to camera handed to a worker', 'configured'],
  ['process start: spawn to Python running', 'script'],
  ['Python imports (gi, GStreamer bindings)', 'imports'],
  ['Gst.init', 'gst'],
  ['plugin loading', 'plugins'],
  ['config read by the worker', 'config'],
  ['pipeline built', 'pipeline'],
  ['pipeline to PLAYING', 'playing'],
  ['RTSP: connect, OPTIONS, DESCRIBE', 'described'],
  ['RTSP: SETUP, PLAY, server media start, first RTP', 'rtp'],
  ['first RTP to first parsed unit', 'parsed'],
  ['wait for a key unit', 'key'],
  ['key unit to first frame written', 'frame'],
  ['frame to the host (live)', 'host'],
];

interface StartupLine { camera: string; generation: number; warm: boolean; previousExitAt: number | null; spawnedAt: number; configuredAt: number; marks: StartupMarks; firstFrameAt: number }

/** Collects the supervisors' 'worker startup' lines; everything else is dropped. */
function captureLogger(into: StartupLine[]): Logger {
  const l: Logger = {
    debug: (msg, f) => { if (msg === 'worker startup' && f) into.push(f as unknown as StartupLine); },
    info: () => {}, warn: () => {}, error: () => {}, child: () => l,
  };
  return l;
}

/** Proportional set size: the process's own memory plus its share of pages it shares (libraries) with others. */
function pssMB(pid: number): number | null {
  try { return round(Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1]) / 1000); } catch { return null; }
}


async function waitFor<T>(what: string, fn: () => T | undefined | null | false, ms: number, step = 20): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(step);
  }
}

/** Contribution of each phase to the kill-to-live time: a phase counts from the later of its start and the hand-over. */
function breakdown(killAt: number, s: StartupLine): Record<string, number> {
  const point: Record<string, number | undefined> = {
    exit: s.previousExitAt ?? undefined, configured: s.configuredAt, ...s.marks, host: s.firstFrameAt,
  };
  const out: Record<string, number> = {};
  let prev = killAt;
  for (const [name, key] of PHASES) {
    const at = point[key];
    if (at === undefined) continue;
    const from = key === 'exit' || key === 'configured' ? prev : Math.max(prev, s.configuredAt);
    out[name] = round(Math.max(0, at - from), 1)!;
    prev = Math.max(prev, at);
  }
  return out;
}

async function main(): Promise<void> {
  const sim = await startSimulator({ camerasFile: 'none', extra: CAMERAS });
  const ids = Array.from({ length: CAMERAS }, (_, i) => `cam-extra-${String(i + 1).padStart(2, '0')}`);
  const startups: StartupLine[] = [];
  const watchers: ChildProcess[] = SHARED ? ids.map((id) => spawn('gst-launch-1.0', ['-q', 'rtspsrc', `location=${sim.url(id, 'sub')}`, 'protocols=tcp', '!', 'fakesink'], { detached: true, stdio: 'ignore' })) : [];
  const svc = new StreamService({
    resolve: (id) => (ids.includes(id) ? { mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub') } : undefined),
    tag: TAG, governor: false, standby: STANDBY, log: captureLogger(startups),
  });
  const changes: Array<{ at: number; id: string; state: string }> = [];
  svc.onStatus((s: StreamStatus) => {
    const last = [...changes].reverse().find((c) => c.id === s.cameraId);
    if (!last || last.state !== s.state) changes.push({ at: Date.now(), id: s.cameraId, state: s.state });
  });
  const status = (id: string) => svc.statuses().find((s) => s.cameraId === id);
  const kills: object[] = [];
  const m0 = machineTicks();
  const load0 = loadavg()[0]!;
  let standbyCost: object | null = null;
  try {
    svc.setDemand('bench', ids.map((cameraId) => ({ cameraId, width: 320, height: 180, browserDecode: DELIVERY === 'encoded' })));
    await waitFor('every camera live', () => ids.every((id) => status(id)?.state === 'live'), 60_000, 100);
    if (STANDBY) {
      // what waiting costs: CPU and memory of the idle standby beside a working worker
      const pid = await waitFor('the standby waiting for a camera', () => (isWaitingStandby(svc.standbyPid()) ? svc.standbyPid() : null), 30_000, 50);
      const worker = svc.workerPids(ids[0])[0]!;
      const a = readProc(pid)!; const aw = readProc(worker)!;
      await sleep(5000); // the measured window: what an idle standby costs over 5 s
      const b = readProc(pid); const bw = readProc(worker);
      if (b && bw) {
        standbyCost = {
          cpuPctOfCore: round((b.ticks - a.ticks) / 5, 2), rssMB: round(b.rssBytes / 1e6), pssMB: pssMB(pid),
          workerCpuPctOfCore: round((bw.ticks - aw.ticks) / 5, 2), workerRssMB: round(bw.rssBytes / 1e6), workerPssMB: pssMB(worker),
        };
      }
    }
    for (let k = 0; k < KILLS; k++) {
      const id = ids[k % ids.length]!;
      await waitFor(`${id} live`, () => status(id)?.state === 'live', 30_000, 50);
      await sleep(SETTLE_MS);
      let readyBefore: boolean | null = null;
      if (STANDBY) readyBefore = await waitFor('standby ready', () => isWaitingStandby(svc.standbyPid()), 15_000, 50).catch(() => false);
      const [pid] = svc.workerPids(id);
      const mark = changes.length;
      const killAt = Date.now();
      process.kill(pid!, 'SIGKILL');
      const down = await waitFor('not live', () => changes.slice(mark).find((c) => c.id === id && c.state !== 'live'), 10_000, 5);
      const up = await waitFor('live again', () => changes.slice(mark).find((c) => c.id === id && c.state === 'live'), 30_000, 5);
      const s = await waitFor('start-up line', () => startups.find((l) => l.camera === id && l.previousExitAt !== null && l.previousExitAt >= killAt), 5000, 10).catch(() => null);
      // the host's first frame is the live event; `up.at` is when this loop saw the status (a poll later)
      const liveAt = s?.firstFrameAt ?? up.at;
      const row = {
        camera: id, notLiveMs: down.at - killAt, liveMs: liveAt - killAt, reason: status(id)?.reason, warm: s?.warm ?? null, standbyReady: readyBefore,
        phases: s ? breakdown(killAt, s) : null,
      };
      kills.push(row);
      process.stdout.write(`kill ${k + 1}/${KILLS} ${id}: not live after ${row.notLiveMs} ms, live again after ${row.liveMs} ms${s?.warm ? ' (warm standby)' : ''}\n`);
    }
  } finally {
    await svc.stopAll();
    for (const w of watchers) { try { process.kill(-w.pid!, 'SIGKILL'); } catch { /* gone */ } }
    await sim.close();
  }
  const m1 = machineTicks();
  const rows = kills as Array<{ liveMs: number; notLiveMs: number; warm: boolean | null; phases: Record<string, number> | null }>;
  const live = rows.map((r) => r.liveMs);
  const phaseNames = PHASES.map(([n]) => n);
  const run = {
    label: LABEL, at: new Date().toISOString(), kills: KILLS, cameras: CAMERAS, delivery: DELIVERY, standby: STANDBY, shared: SHARED, settleMs: SETTLE_MS,
    machine: {
      cores: cpus().length, loadAvg1Start: round(load0, 2), loadAvg1End: round(loadavg()[0]!, 2),
      busyPct: round(((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100),
    },
    liveMs: { p50: percentile(live, 50), max: Math.max(...live), min: Math.min(...live) },
    notLiveMs: { p50: percentile(rows.map((r) => r.notLiveMs), 50), max: Math.max(...rows.map((r) => r.notLiveMs)) },
    warmStarts: rows.filter((r) => r.warm).length,
    phaseP50Ms: Object.fromEntries(phaseNames.map((n) => [n, percentile(rows.flatMap((r) => (r.phases?.[n] === undefined ? [] : [r.phases[n]!])), 50)])),
    phaseMaxMs: Object.fromEntries(phaseNames.map((n) => [n, Math.max(0, ...rows.flatMap((r) => (r.phases?.[n] === undefined ? [] : [r.phases[n]!])))])),
    standbyCost, rows: kills,
  };
  const file = join(ROOT, 'bench', 'results', 'restart.json');
  const all = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { runs: {} }) as { runs: Record<string, typeof run> };
  all.runs[LABEL] = run;
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
  writeFileSync(join(ROOT, 'docs', 'benchmarks', 'restart.md'), markdown(Object.values(all.runs)));
  process.stdout.write(`\n${LABEL}: live again after p50 ${String(run.liveMs.p50)} ms, max ${run.liveMs.max} ms over ${KILLS} kills; machine ${String(run.machine.busyPct)} % busy, load ${String(run.machine.loadAvg1Start)} -> ${String(run.machine.loadAvg1End)}\nwrote bench/results/restart.json and docs/benchmarks/restart.md\n`);
}

type Run = { label: string; at: string; kills: number; cameras: number; delivery: string; standby: boolean; shared?: boolean; machine: { cores: number; loadAvg1Start: number | null; loadAvg1End: number | null; busyPct: number | null }; liveMs: { p50: number | null; max: number }; notLiveMs: { p50: number | null; max: number }; warmStarts: number; phaseP50Ms: Record<string, number | null>; phaseMaxMs: Record<string, number>; standbyCost: object | null };

function markdown(runs: Run[]): string {
  const head = `| | ${runs.map((r) => r.label).join(' | ')} |\n|---|${runs.map(() => '---|').join('')}`;
  const row = (name: string, f: (r: Run) => string) => `| ${name} | ${runs.map(f).join(' | ')} |`;
  return [
    '# Restart benchmark (a media worker killed with SIGKILL)',
    '',
    '`npm run bench:restart -- --label <name>`; how it measures: the header of `tests/bench/restart.ts`. Phases are the critical path',
    'from the kill to the host\'s first frame of the new worker (p50 / max per phase over the kills; the p50s need not add up',
    'to the p50 total). Timings depend on the machine\'s load: see the load and busy share of each run.',
    '',
    head,
    row('when', (r) => r.at.slice(0, 16).replace('T', ' ')),
    row('kills, cameras demanded, delivery', (r) => `${r.kills}, ${r.cameras}, ${r.delivery}`),
    row('camera stream', (r) => (r.shared ? 'running on (another client): joins mid-GOP' : 'started for the new client (key frame first)')),
    row('warm standby (used / kills)', (r) => (r.standby ? `on (${r.warmStarts}/${r.kills})` : 'off')),
    row('machine: cores, load average 1 min start -> end, busy', (r) => `${r.machine.cores}, ${String(r.machine.loadAvg1Start)} -> ${String(r.machine.loadAvg1End)}, ${String(r.machine.busyPct)} %`),
    row('**kill to live again, p50 / max (ms)**', (r) => `**${String(r.liveMs.p50)} / ${r.liveMs.max}**`),
    row('kill to not live, p50 / max (ms)', (r) => `${String(r.notLiveMs.p50)} / ${r.notLiveMs.max}`),
    ...PHASES.map(([n]) => row(n, (r) => `${String(r.phaseP50Ms[n] ?? '-')} / ${String(r.phaseMaxMs[n] ?? '-')}`)),
    row('idle standby: CPU % of a core, memory (MB); a working worker beside it', (r) => (r.standbyCost ? JSON.stringify(r.standbyCost).replace(/[{}"]/g, '').replace(/,/g, ', ') : '-')),
    '',
  ].join('\n');
}

await main();
