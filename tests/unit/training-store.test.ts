/**
 * The host's training scenarios (issue 11 §2): stored in SQLite and read back, bad scenarios refused with a message that
 * names the problem (and nothing saved), cameras this console lacks and incidents it has not imported refused, a
 * corrupt row skipped, and a session scored against the stored scenario.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../electron/contract/training/scenario-schema.js';
import { trainingFile } from '../../electron/host/training/scenario-store.js';
import { createTraining } from '../../electron/host/training/training-module.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const ctx = { clientId: 't' };
const T0 = 1_800_000_000_000;

function training() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-training-'));
  dirs.push(dataDir);
  const audited: string[] = [];
  const t = createTraining({ dataDir, log: undefined as never, cameraIds: () => ['cam-1', 'cam-2'], incident: (id) => (id === 'inc-known' ? { fromMs: T0 - 300_000, toMs: T0 - 200_000 } : null),
    recordedMs: (c) => (c === 'cam-2' ? 30_000 : 120_000), audit: (e) => audited.push(`${e.user} ${e.action} ${e.target}`), now: () => T0 });
  return { ...t, dataDir, audited };
}

const scenario: ScenarioInput = {
  id: 'drill', name: 'Drill', source: { kind: 'recording', fromMs: T0 - 600_000 }, cameraIds: ['cam-1'], durationMs: 120_000,
  events: [{ id: 'e1', atMs: 10_000, kind: 'false-alarm', cameraId: 'cam-1' }], expected: [{ kind: 'verdict', eventId: 'e1', verdict: 'false' }],
};

describe('training scenarios on the host', () => {
  it('saves, lists, gets, replaces and removes a scenario, each save and removal audited', () => {
    const t = training();
    expect(t.handlers['training.scenarios.save']({ scenario, operator: 'trainer' }, ctx)).toMatchObject({ id: 'drill', format: 'kuzet-scenario/1', description: '' });
    t.handlers['training.scenarios.save']({ scenario: { ...scenario, name: 'Drill 2' }, operator: 'trainer' }, ctx);
    expect((t.handlers['training.scenarios.list']({}, ctx) as Array<{ name: string }>).map((s) => s.name)).toEqual(['Drill 2']);
    expect(t.handlers['training.scenarios.remove']({ id: 'drill', operator: 'trainer' }, ctx)).toEqual({ ok: true });
    expect(() => t.handlers['training.scenarios.get']({ id: 'drill' }, ctx)).toThrow(/no training scenario drill/);
    expect(t.audited).toEqual(['trainer training.scenario.save scenario:drill', 'trainer training.scenario.save scenario:drill', 'trainer training.scenario.remove scenario:drill']);
    t.close();
  });

  it('refuses a bad scenario with a clear message and saves nothing', () => {
    const t = training();
    const save = (s: unknown) => () => t.handlers['training.scenarios.save']({ scenario: s, operator: 'trainer' }, ctx);
    expect(save({ ...scenario, events: [...scenario.events, { id: 'e2', atMs: 12_000, kind: 'real-alarm', cameraId: 'cam-1' }] }))
      .toThrow('the scenario is not valid: events.1.atMs: events e1 and e2 overlap on camera cam-1 (less than 5 s apart)');
    expect(save({ ...scenario, cameraIds: ['cam-1', 'cam-9'] })).toThrow('the scenario names cameras this console lacks: cam-9');
    expect(save({ ...scenario, source: { kind: 'package', incidentId: 'inc-other' } })).toThrow('the scenario plays incident inc-other, which this console has not imported');
    expect(save('not a scenario')).toThrow(/the scenario is not valid/);
    // longer than its footage: cam-2 has 30 s of the 120 s; the incident lasts 100 s
    expect(save({ ...scenario, cameraIds: ['cam-1', 'cam-2'] })).toThrow(`the recordings do not cover the scenario (120 s from ${new Date(T0 - 600_000).toISOString()}) for cam-2`);
    expect(save({ ...scenario, source: { kind: 'package', incidentId: 'inc-known' } })).toThrow('the scenario lasts 120 s, longer than incident inc-known (100 s)');
    expect(t.handlers['training.scenarios.list']({}, ctx)).toEqual([]);
    expect(save({ ...scenario, durationMs: 100_000, source: { kind: 'package', incidentId: 'inc-known' } })).not.toThrow();
    t.close();
  });

  it('skips a corrupt stored row and scores a session against the stored scenario', () => {
    const t = training();
    t.handlers['training.scenarios.save']({ scenario, operator: 'trainer' }, ctx);
    t.handlers['training.scenarios.save']({ scenario: { ...scenario, id: 'other' }, operator: 'trainer' }, ctx);
    t.close();
    const db = new Database(trainingFile(t.dataDir));
    db.prepare(`UPDATE scenarios SET body = '{"id":' WHERE id = 'other'`).run();
    db.close();
    const again = createTraining({ dataDir: t.dataDir, log: { warn: () => undefined } as never, cameraIds: () => ['cam-1'], incident: () => null, audit: () => undefined });
    expect((again.handlers['training.scenarios.list']({}, ctx) as Array<{ id: string }>).map((s) => s.id)).toEqual(['drill']);
    const score = again.handlers['training.score']({ session: { scenarioId: 'drill', trainee: 'x', console: 'c', startedAt: T0, endedAt: T0 + 60_000, alarms: {}, before: [], actions: [], marks: [] } }, ctx) as { percent: number; checks: Array<{ detail: string }> };
    expect(score.percent).toBe(0);
    expect(score.checks[0]?.detail).toBe('not resolved (the event raised no alarm on this console)');
    again.close();
  });
});
