/**
 * `npm run bench:replay [-- --quick]`: incident replay's state side (issue 11, docs/replay.md).
 *   replayCameras           cameras of the recorded incident (16)
 *   replayStateMismatches   at 50 sampled moments of a 30-minute incident, consoleStateAt over the journal's record
 *                           compared with what the simulated console showed (layout per display, camera per tile,
 *                           queue contents, states, owners, SOP steps): must be 0
 *   replayStateAtP99Ms      the host's `replay.stateAt` (read the record from SQLite + compute) at those moments, p99
 * The simulated console is tests/support/replay-console.ts (real wall store, alarm lifecycle, journal; fake clock).
 * Training (tests/bench/training-figures.ts, a real host in this process): scenarioStartMs, scoringCorrect, productionLeaks.
 * Not measured (null): replaySeekP99Ms (seek to every tile's picture in Chromium) and liveLatencyP50Ms (training footage
 * through the live path): not built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ConsoleState, IncidentRecord } from '../../electron/contract/replay-schema.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { ROOT } from '../support/harness.js';
import { percentile } from '../support/procfs.js';
import { Console, rng, step } from '../support/replay-console.js';
import { T0 } from '../support/alarm-fixtures.js';
import { trainingFigures } from './training-figures.js';

const quick = process.argv.includes('--quick');
const log = (m: string) => process.stdout.write(`[bench:replay] ${m}\n`);
const CAMERAS = 16;
const MINUTES = 30;
const STEPS = quick ? 1500 : 6000;
const SAMPLES = 50;

async function main(): Promise<void> {
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
    const training = await trainingFigures(join(dir, 'training-host'), quick ? 4 : 10);
    const result = {
      replaySeekP99Ms: null, replayStateMismatches: mismatches, replayCameras: CAMERAS,
      scenarioStartMs: training.scenarioStartMs, liveLatencyP50Ms: training.liveLatencyP50Ms, scoringCorrect: training.scoringCorrect, productionLeaks: training.productionLeaks,
      replayStateAtP99Ms: Math.round((percentile(times, 99) ?? 0) * 10) / 10,
      detail: {
        quick, minutes: MINUTES, steps: STEPS, samples: SAMPLES, journalActions: record.actions.length + record.before.length,
        alarms: (consoleStateAt(record, toMs)).queue.length, cores: cpus().length, loadAvg1mAtStart: load, loadAvg1mAtEnd: loadavg()[0],
        training: training.detail,
        notMeasured: 'replaySeekP99Ms (the picture side of a seek in Chromium) and liveLatencyP50Ms (training footage through the live path): not built (docs/replay.md, docs/training.md)',
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
