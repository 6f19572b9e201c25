/**
 * bench:replay's training figures (issue 11 §4, docs/training.md), on a real host in this process (its real alarm
 * engine, SQLite stores and embedded MQTT broker on a free port):
 *   scenarioStartMs   `training.sessions.start` request to its reply (session store open, clock running, events at
 *                     offset 0 raised), p50 over the sessions; the trainee's tiles are the live cameras (footage not
 *                     replayed yet), so there is no picture to wait for
 *   scoringCorrect    automated trainees, each with its own known mistakes (SOP step skipped, wrong verdicts, an alarm
 *                     left alone), act through the host's routes; every score equals the one computed from the mistakes
 *   productionLeaks   rows of the production alarm store and console journal, and alarms of the production queue, that
 *                     name a training alarm or event after the sessions: must be 0
 *   (liveLatencyP50Ms: tests/bench/training-latency.ts, in a window with real footage)
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HostService } from '../../electron/contract/api.js';
import { Scenario, type ScenarioInput } from '../../electron/contract/training/scenario-schema.js';
import { createHost } from '../../electron/host/host.js';
import { createLogger } from '../../electron/host/log.js';
import { ScenarioStore, trainingFile } from '../../electron/host/training/scenario-store.js';
import { percentile } from '../support/procfs.js';

const S = 1000;
const CAMS = ['bench-a', 'bench-b', 'bench-c'];

interface Mistakes { skipStep: boolean; coveredVerdict: 'confirmed' | 'suspicious'; shadowVerdict: 'false' | 'confirmed'; leaveShadow: boolean }

/** What the scorer must give: checks passed of the four expected responses, from the mistakes alone. */
const expectedPercent = (m: Mistakes) => ((1 + (m.skipStep ? 0 : 1) + (m.coveredVerdict === 'confirmed' ? 1 : 0) + (!m.leaveShadow && m.shadowVerdict === 'false' ? 1 : 0)) / 4) * 100;

function mentions(file: string, needles: string[]): number {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
    return tables.reduce((n, t) => n + (db.prepare(`SELECT * FROM "${t}"`).all() as object[]).filter((r) => { const j = JSON.stringify(r); return needles.some((x) => j.includes(x)); }).length, 0);
  } finally { db.close(); }
}

const waitFor = async <T>(fn: () => Promise<T | null>, ms: number): Promise<T> => {
  const t0 = Date.now();
  for (;;) { const v = await fn(); if (v) return v; if (Date.now() - t0 > ms) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 100)); }
};

export async function trainingFigures(dataDir: string, trainees: number): Promise<{ scenarioStartMs: number; scoringCorrect: boolean; productionLeaks: number; detail: Record<string, unknown> }> {
  process.env.KUZET_MQTT_PORT ??= '0';
  // the bench's cameras are not recorded: footage off (the tiles would stay on the live cameras), so a start does not
  // check it; the footage's latency is measured on its own (training-latency.ts)
  const footage = process.env.KUZET_TRAINING_FOOTAGE;
  process.env.KUZET_TRAINING_FOOTAGE = '0';
  const host = createHost({ dataDir, shell: 'web', framesUrl: () => 'ws://127.0.0.1:1/frames', log: createLogger({ quiet: true, level: 'error' }) });
  const svc: HostService = host.internal;
  try {
    await host.ready();
    for (const id of CAMS) await svc['cameras.add']({ camera: { id, name: id, mainUrl: `rtsp://127.0.0.1:9/${id}` } as never, probe: false }, { clientId: 'bench' });
    const store = new ScenarioStore(trainingFile(dataDir));
    store.save(Scenario.parse({
      id: 'bench-drill', name: 'Bench drill', source: { kind: 'recording', fromMs: Date.now() - 60_000 }, cameraIds: CAMS, durationMs: 60 * S,
      events: [
        { id: 'covered', atMs: 0, kind: 'real-alarm', cameraId: 'bench-a', eventType: 'tamper', summary: 'camera covered' },
        { id: 'shadow', atMs: 1 * S, kind: 'false-alarm', cameraId: 'bench-b', eventType: 'object', summary: 'a shadow' },
      ],
      expected: [
        { kind: 'claim', eventId: 'covered', withinMs: 50 * S },
        { kind: 'sop', eventId: 'covered', steps: [0, 1] },
        { kind: 'verdict', eventId: 'covered', verdict: 'confirmed' },
        { kind: 'verdict', eventId: 'shadow', verdict: 'false' },
      ],
    } satisfies ScenarioInput), 'bench', Date.now());
    store.close();
    const starts: number[] = [];
    const results: Array<{ want: number; got: number }> = [];
    const trainingIds: string[] = [];
    await Promise.all(Array.from({ length: trainees }, async (_, i) => {
      const m: Mistakes = { skipStep: i % 2 === 1, coveredVerdict: i % 3 === 2 ? 'suspicious' : 'confirmed', shadowVerdict: i % 4 === 3 ? 'confirmed' : 'false', leaveShadow: i % 5 === 4 };
      const ctx = { clientId: `trainee-console-${i}` };
      const me = `trainee-${i}`;
      const t0 = performance.now();
      const v = await svc['training.sessions.start']({ scenarioId: 'bench-drill', operator: 'trainer' }, { clientId: 'trainer' });
      starts.push(performance.now() - t0);
      const id = v.status.id;
      await svc['training.sessions.join']({ id, operator: me }, ctx);
      const view = await waitFor(async () => { const x = await svc['training.sessions.status']({ id }, ctx); return x.alarms.length >= 2 ? x : null; }, 20_000);
      trainingIds.push(id, ...view.alarms.map((a) => a.id));
      const covered = view.alarms.find((a) => a.cameraId === 'bench-a')!;
      const shadow = view.alarms.find((a) => a.cameraId === 'bench-b')!;
      const act = (alarmId: string, action: Parameters<HostService['training.sessions.act']>[0]['action']) => svc['training.sessions.act']({ id, alarmId, operator: me, action }, ctx);
      await act(covered.id, { kind: 'claim' });
      await act(covered.id, { kind: 'sop', step: 0, state: 'done' });
      await act(covered.id, { kind: 'sop', step: 1, state: m.skipStep ? 'skipped' : 'done' });
      await act(covered.id, { kind: 'resolve', verdict: m.coveredVerdict, comment: '' });
      if (!m.leaveShadow) { await act(shadow.id, { kind: 'claim' }); await act(shadow.id, { kind: 'resolve', verdict: m.shadowVerdict, comment: '' }); }
      await svc['training.sessions.stop']({ id, operator: 'trainer' }, { clientId: 'trainer' });
      results.push({ want: expectedPercent(m), got: (await svc['training.sessions.score']({ id }, ctx)).percent });
    }));
    const queue = await svc['alarms.list']({ states: ['new', 'claimed', 'escalated', 'resolved'], limit: 5000 }, { clientId: 'bench' });
    const productionLeaks = queue.filter((a) => trainingIds.includes(a.id) || a.lastEventId.startsWith('training-')).length
      + mentions(join(dataDir, 'alarms.sqlite'), [...trainingIds, 'training-ts-']) + mentions(join(dataDir, 'replay.sqlite'), trainingIds);
    return {
      scenarioStartMs: Math.round((percentile(starts, 50) ?? 0) * 10) / 10,
      scoringCorrect: results.length === trainees && results.every((r) => r.want === r.got),
      productionLeaks,
      detail: { trainees, scenarioStartMaxMs: Math.round(Math.max(...starts) * 10) / 10, scores: results },
    };
  } finally {
    await host.close();
    if (footage === undefined) delete process.env.KUZET_TRAINING_FOOTAGE; else process.env.KUZET_TRAINING_FOOTAGE = footage;
  }
}
