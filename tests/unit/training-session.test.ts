/**
 * Training sessions (issue 11 §2): the pure session clock (scripted events at their times on a fake clock, a camera
 * failure down and back, stopped early, resumed after a gap) and the host runtime on a fake clock with the real alarm
 * engine and SQLite: scripted alarms come in through the engine's ingest into the session's own store, the trainee's
 * actions are journaled and scored, nothing reaches a production store, and a session survives a host restart.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { footageFromMs, Scenario, type RecordedSource, type ScenarioInput } from '../../electron/contract/training/scenario-schema.js';
import type { TrainingSessionView } from '../../electron/contract/training/session-schema.js';
import { createLogger } from '../../electron/host/log.js';
import { clockOf, reduceSession, startSession, type SessionEffect, type SessionInput, type SessionMachine } from '../../electron/host/training/session-state.js';
import { createTrainingSessions } from '../../electron/host/training/session-runtime.js';
import { reportHtml } from '../../electron/contract/training/report.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { ConsoleAction } from '../../electron/contract/replay-schema.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import { untilAsync } from '../support/until.js';

const T0 = 1_800_000_000_000;
const S = 1000;
const scenario = Scenario.parse({
  id: 'gate-night', name: 'Night at the gate', source: { kind: 'recording', fromMs: T0 - 3_600_000 }, cameraIds: ['cam-1', 'cam-2', 'cam-3'], durationMs: 120 * S,
  events: [
    { id: 'intruder', atMs: 10 * S, kind: 'real-alarm', cameraId: 'cam-1', summary: 'person at the fence', eventType: 'tamper' },
    { id: 'cat', atMs: 30 * S, kind: 'false-alarm', cameraId: 'cam-2', summary: 'a cat' },
    { id: 'cam-down', atMs: 40 * S, kind: 'camera-failure', cameraId: 'cam-3', durationMs: 20 * S },
    { id: 'van-lost', atMs: 50 * S, kind: 'telemetry-lost', cameraId: 'cam-1', unitId: 'van-7' },
  ],
  expected: [
    { kind: 'claim', eventId: 'intruder', withinMs: 15 * S },
    { kind: 'verdict', eventId: 'intruder', verdict: 'confirmed' },
    { kind: 'sop', eventId: 'intruder', steps: [0, 1] },
    { kind: 'claim', eventId: 'cat', withinMs: 15 * S },
    { kind: 'verdict', eventId: 'cat', verdict: 'false' },
  ],
} satisfies ScenarioInput);

function run(inputs: SessionInput[], m: SessionMachine = startSession(scenario, T0)) {
  const effects: SessionEffect[] = [];
  for (const i of inputs) { const r = reduceSession(m, scenario.events, i); m = r.next; effects.push(...r.effects); }
  return { m, effects };
}
const kinds = (fx: SessionEffect[]) => fx.map((f) => (f.kind === 'raise' ? `raise:${f.event.id}${f.late ? ':late' : ''}` : 'cameraId' in f ? `${f.kind}:${f.cameraId}` : 'unitId' in f ? `${f.kind}:${f.unitId}` : `${f.kind}:${f.reason}`));
const tick = (s: number): SessionInput => ({ type: 'tick', at: T0 + s * S });

describe('training session clock (pure)', () => {
  it('fires each scripted event once, at its time on the scenario clock', () => {
    expect(kinds(run([tick(0), tick(9.9)]).effects)).toEqual([]);
    const { m, effects } = run([tick(10), tick(10.25), tick(29), tick(30), tick(45), tick(50.2)]);
    expect(kinds(effects)).toEqual(['raise:intruder', 'raise:cat', 'camera-down:cam-3', 'telemetry-lost:van-7']);
    expect(m.fired).toEqual(['intruder', 'cat', 'cam-down', 'van-lost']);
    expect(clockOf(m, T0 + 45 * S)).toBe(45 * S);
    expect(m.state).toBe('running');
  });

  it('a camera failure takes the training picture down for its duration, then back', () => {
    const { m, effects } = run([tick(10), tick(30), tick(40), tick(50), tick(59.9)]);
    expect(kinds(effects)).toEqual(['raise:intruder', 'raise:cat', 'camera-down:cam-3', 'telemetry-lost:van-7']);
    expect(m.failing).toEqual({ 'cam-3': 60 * S });
    const after = run([tick(60)], m);
    expect(kinds(after.effects)).toEqual(['camera-up:cam-3']);
    expect(after.m.failing).toEqual({});
  });

  it('stopped early: ends "stopped", brings failed cameras back, fires nothing more and freezes the clock', () => {
    const { m, effects } = run([tick(45), { type: 'stop', at: T0 + 47 * S }, tick(100)]);
    expect(kinds(effects).slice(-2)).toEqual(['camera-up:cam-3', 'ended:stopped']);
    expect(m.state).toBe('ended');
    expect(m.endReason).toBe('stopped');
    expect(m.fired).not.toContain('van-lost');
    expect(clockOf(m, T0 + 100 * S)).toBe(47 * S);
  });

  it('runs to the end of the scenario and completes', () => {
    const { m, effects } = run([tick(125)]);
    expect(kinds(effects).at(-1)).toBe('ended:completed');
    expect(m.endedAt).toBe(T0 + 120 * S);
  });

  it('resumed after a gap: what fell due meanwhile fires once, late; an outage that is already over is not replayed', () => {
    const before = run([tick(5)]).m;
    const saved = JSON.parse(JSON.stringify(before)) as SessionMachine; // session.json round trip
    const { m, effects } = run([tick(65)], saved);
    expect(kinds(effects)).toEqual(['raise:intruder:late', 'raise:cat:late', 'telemetry-lost:van-7']);
    expect(m.failing).toEqual({});
    expect(kinds(run([tick(66)], m).effects)).toEqual([]);
  });
});

describe('training session runtime (real alarm engine and SQLite, fake clock)', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  function setup(dataDir = mkdtempSync(join(tmpdir(), 'kuzet-tsession-'))) {
    if (!dirs.includes(dataDir)) dirs.push(dataDir);
    const clock = { t: T0 };
    const views: TrainingSessionView[] = [];
    const footage: string[] = [];
    const rt = createTrainingSessions({
      dataDir, log: createLogger({ quiet: true, level: 'error' }), now: () => clock.t, tickMs: 0,
      scenario: (id) => (id === scenario.id ? scenario : null), cameras: () => scenario.cameraIds.map((id) => ({ id })), rules: () => [],
      footage: { cameraDown: (_s, c) => { footage.push(`down:${c}`); }, cameraUp: (_s, c) => { footage.push(`up:${c}`); } },
      emit: (v) => views.push(v),
      signInOf: (clientId) => (clientId === 'web-1-main' ? 'ref-dana' : null),
    });
    return { dataDir, clock, views, footage, rt };
  }
  const ctx = { clientId: 'web-1-main' };
  /** The scripted alarm on `cameraId` raised: it goes through the session's ingest asynchronously after a tick. */
  const raisedOn = (rt: ReturnType<typeof createTrainingSessions>, id: string, cameraId: string) => untilAsync(`the scripted alarm on ${cameraId}`,
    async () => (await rt.handlers['training.sessions.status']({ id }, ctx)).alarms.some((a) => a.cameraId === cameraId));

  it('scripted alarms come in through the ingest into the session store; the trainee is scored exactly; nothing in production', async () => {
    const { dataDir, clock, footage, rt } = setup();
    const h = rt.handlers;
    const v = await h['training.sessions.start']({ scenarioId: 'gate-night', operator: 'dana' }, ctx);
    const id = v.status.id;
    await h['training.sessions.join']({ id, operator: 'olzhas' }, ctx);
    clock.t = T0 + 10 * S; rt.tick(); await raisedOn(rt, id, 'cam-1');
    const first = (await h['training.sessions.status']({ id }, ctx)).alarms;
    expect(first).toHaveLength(1);
    const intruder = first[0]!;
    expect(intruder).toMatchObject({ cameraId: 'cam-1', type: 'tamper', state: 'new' });
    expect(intruder.sop.length).toBeGreaterThanOrEqual(2);
    // the trainee: claims after 5 s, ticks both SOP steps, resolves confirmed
    clock.t = T0 + 15 * S;
    await h['training.sessions.mark']({ id, operator: 'olzhas', mark: { kind: 'look', alarmId: intruder.id, cameraId: 'cam-1' } }, ctx);
    await h['training.sessions.act']({ id, alarmId: intruder.id, operator: 'olzhas', action: { kind: 'claim' } }, ctx);
    await h['training.sessions.act']({ id, alarmId: intruder.id, operator: 'olzhas', action: { kind: 'sop', step: 0, state: 'done' } }, ctx);
    await h['training.sessions.act']({ id, alarmId: intruder.id, operator: 'olzhas', action: { kind: 'sop', step: 1, state: 'done' } }, ctx);
    await h['training.sessions.act']({ id, alarmId: intruder.id, operator: 'olzhas', action: { kind: 'resolve', verdict: 'confirmed', comment: '' } }, ctx);
    // the false alarm: claimed 20 s late (a known mistake) and resolved as confirmed (another)
    clock.t = T0 + 30 * S; rt.tick(); await raisedOn(rt, id, 'cam-2');
    clock.t = T0 + 41 * S; rt.tick(); await raisedOn(rt, id, 'cam-3'); // the failed camera's camera_offline
    expect(footage).toEqual(['down:cam-3']);
    const cat = (await h['training.sessions.status']({ id }, ctx)).alarms.find((a) => a.cameraId === 'cam-2')!;
    clock.t = T0 + 50 * S;
    await h['training.sessions.act']({ id, alarmId: cat.id, operator: 'olzhas', action: { kind: 'claim' } }, ctx);
    await h['training.sessions.act']({ id, alarmId: cat.id, operator: 'olzhas', action: { kind: 'resolve', verdict: 'confirmed', comment: '' } }, ctx);
    clock.t = T0 + 70 * S; rt.tick(); // the camera comes back at once (no alarm to wait for)
    expect(footage).toEqual(['down:cam-3', 'up:cam-3']);
    const stopped = await h['training.sessions.stop']({ id, operator: 'dana' }, ctx);
    expect(stopped.status).toMatchObject({ state: 'ended', endReason: 'stopped', trainee: 'olzhas', fired: ['intruder', 'cat', 'cam-down', 'van-lost'] });
    const score = await h['training.sessions.score']({ id }, ctx);
    expect(score.checks.map((c) => `${c.eventId}:${c.kind}:${c.passed}`)).toEqual([
      'intruder:claim:true', 'intruder:verdict:true', 'intruder:sop:true', 'cat:claim:false', 'cat:verdict:false',
    ]);
    expect(score.percent).toBe(60);
    expect(stopped.status.percent).toBe(60);
    expect(score.events.find((e) => e.eventId === 'intruder')!.claimMs).toBe(5 * S);
    expect(score.totals).toMatchObject({ falseRaisedAsReal: 1, claimsLate: 1, verdictsWrong: 1 });
    // isolation: the session's alarms live in its own SQLite; no production store was created or written
    expect(existsSync(join(dataDir, 'alarms.sqlite'))).toBe(false);
    const db = new Database(join(dataDir, 'training-sessions', id, 'alarms.sqlite'), { readonly: true });
    expect((db.prepare(`SELECT COUNT(*) AS n FROM alarms`).get() as { n: number }).n).toBe(3); // two scripted alarms + the camera failure's offline alarm
    db.close();
    await expect(Promise.resolve().then(() => h['training.sessions.act']({ id, alarmId: cat.id, operator: 'olzhas', action: { kind: 'claim' } }, ctx))).rejects.toThrow(/has ended/);
    // after-action review: the trainee's actions beside the expected responses, differences marked, the trainer's comment
    await h['training.sessions.comment']({ id, operator: 'dana', atMs: 45 * S, text: 'look at <cam-2> before claiming' }, ctx);
    const { report } = await h['training.sessions.report']({ id }, ctx);
    const html = reportHtml(report);
    expect(report.percent).toBe(60);
    expect(report.timeline.filter((e) => e.difference).map((e) => `${e.kind}:${e.eventId}:${e.atMs}`)).toEqual(['expected:cat:30000', 'expected:cat:45000', 'action:cat:50000']);
    expect(report.timeline.find((e) => e.kind === 'action' && e.text.startsWith('alarm.claim') && e.eventId === 'intruder')?.atMs).toBe(15 * S);
    expect(report.timeline.find((e) => e.kind === 'comment')).toMatchObject({ atMs: 45 * S, text: 'dana: look at <cam-2> before claiming' });
    expect(html).toContain('look at &lt;cam-2&gt; before claiming');
    expect(html).not.toContain('<cam-2>');
    rt.close();
  });

  it('survives a host restart: the running session resumes on its clock and fires what fell due, once; its trainee\'s sign-in is kept', async () => {
    const a = setup();
    const v = await a.rt.handlers['training.sessions.start']({ scenarioId: 'gate-night', operator: 'dana' }, ctx);
    expect(a.rt.trainees()).toEqual([]); // nobody joined yet
    await a.rt.handlers['training.sessions.join']({ id: v.status.id, operator: 'dana' }, ctx);
    expect(a.rt.trainees()).toEqual([{ id: v.status.id, signIn: 'ref-dana' }]);
    a.clock.t = T0 + 12 * S; a.rt.tick(); await raisedOn(a.rt, v.status.id, 'cam-1');
    a.rt.close();
    const b = setup(a.dataDir);
    b.clock.t = T0 + 35 * S;
    expect(b.rt.running()).toEqual([v.status.id]);
    expect(b.rt.trainees()).toEqual([{ id: v.status.id, signIn: 'ref-dana' }]); // the host maps that sign-in's consoles again
    b.rt.tick(); await raisedOn(b.rt, v.status.id, 'cam-2');
    const st = await b.rt.handlers['training.sessions.status']({ id: v.status.id }, ctx);
    expect(st.status.fired).toEqual(['intruder', 'cat']);
    expect(st.alarms.map((x) => x.cameraId).sort()).toEqual(['cam-1', 'cam-2']);
    await b.rt.handlers['training.sessions.stop']({ id: v.status.id, operator: 'dana' }, ctx);
    expect(b.rt.trainees()).toEqual([]); // an ended session maps no console
    b.rt.close();
  });

  it('policy refuseTrainingOnDuty: no session starts while production alarms are open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-tsession-'));
    dirs.push(dataDir);
    let open = 2;
    const rt = createTrainingSessions({
      dataDir, log: createLogger({ quiet: true, level: 'error' }), now: () => T0, tickMs: 0, scenario: () => scenario,
      cameras: () => scenario.cameraIds.map((id) => ({ id })), rules: () => [], emit: () => {}, refuseOnDuty: true, openProductionAlarms: () => open,
    });
    await expect(Promise.resolve().then(() => rt.handlers['training.sessions.start']({ scenarioId: 'gate-night', operator: 'dana' }, ctx)))
      .rejects.toThrow('this console is on duty (2 production alarms open): training refused by policy');
    open = 0;
    expect((await rt.handlers['training.sessions.start']({ scenarioId: 'gate-night', operator: 'dana' }, ctx)).status.state).toBe('running');
    rt.close();
  });

  it('a start is refused when the footage it would play is gone from the recordings (retention), with the cameras named; footage not recorded yet is waited for', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-tsession-'));
    dirs.push(dataDir);
    // recorded: cam-1 and cam-2 throughout; cam-3 the last 10 s of the scenario's hour-old range (the rest deleted) and
    // the latest minute
    const rangeTo = T0 - 3_600_000 + 120 * S;
    const overlap = (fromMs: number, toMs: number, a: number, b: number) => Math.max(0, Math.min(toMs, b) - Math.max(fromMs, a));
    const recordedMs = (c: string, fromMs: number, toMs: number) => (c === 'cam-3' ? overlap(fromMs, toMs, rangeTo - 10 * S, rangeTo) + overlap(fromMs, toMs, T0 - 60 * S, T0) : toMs - fromMs);
    const recent = Scenario.parse({ ...scenario, id: 'recent', source: { kind: 'recent', leadMs: 20 * S } });
    const rt = createTrainingSessions({
      dataDir, log: createLogger({ quiet: true, level: 'error' }), now: () => T0, tickMs: 0, scenario: (id) => (id === 'recent' ? recent : scenario),
      cameras: () => scenario.cameraIds.map((id) => ({ id })), rules: () => [], emit: () => {}, recordedMs,
    });
    await expect(rt.handlers['training.sessions.start']({ scenarioId: 'gate-night', operator: 'dana' }, ctx))
      .rejects.toMatchObject({ code: 'conflict', reason: { code: 'footageMissing', params: { cameras: 'cam-3', from: T0 - 3_600_000 } } });
    // the latest recordings: played from 20 s before the start, which every camera has (the range is past and present)
    const started = await rt.handlers['training.sessions.start']({ scenarioId: 'recent', operator: 'dana' }, ctx);
    expect(started.status.state).toBe('running');
    rt.close();
    // a console recording nothing: the latest recordings are not there either
    const noneDir = mkdtempSync(join(tmpdir(), 'kuzet-tsession-'));
    dirs.push(noneDir);
    const none = createTrainingSessions({
      dataDir: noneDir, log: createLogger({ quiet: true, level: 'error' }), now: () => T0, tickMs: 0, scenario: () => recent,
      cameras: () => scenario.cameraIds.map((id) => ({ id })), rules: () => [], emit: () => {}, recordedMs: () => 0,
    });
    await expect(none.handlers['training.sessions.start']({ scenarioId: 'recent', operator: 'dana' }, ctx)).rejects.toMatchObject({ reason: { code: 'footageMissing', params: { cameras: 'cam-1, cam-2, cam-3', from: T0 - 20 * S } } });
    none.close();
  });

  it('the review replays the trainee console\'s walls: its starting layout first, then its layout changes and maximised tile', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-tsession-'));
    dirs.push(dataDir);
    const clock = { t: T0 };
    const layout = (name: string, cams: string[]) => makePresetLayout('2x2', cams, 'l', name);
    const wallAction = (seq: number, at: number, change: ConsoleAction['change']): ConsoleAction => ({ seq, at, console: ctx.clientId, user: ctx.clientId, action: 'wall.setLayout', change });
    // the production journal's numbers: the starting state's are larger than the session's own actions get
    const before = [wallAction(900, T0 - 5 * S, { kind: 'layout', displayId: 'main', layout: layout('Start', ['cam-1']) }),
      wallAction(901, T0 - 4 * S, { kind: 'event', what: 'tile.maximise', displayId: 'main', cameraIds: ['cam-1'], text: '', index: 0 })];
    const actions = [wallAction(950, T0 + 20 * S, { kind: 'layout', displayId: 'main', layout: layout('Changed', ['cam-2', 'cam-1']) }),
      wallAction(951, T0 + 25 * S, { kind: 'event', what: 'tile.restore', displayId: 'main', cameraIds: ['cam-2'], text: '', index: 0 })];
    const rt = createTrainingSessions({
      dataDir, log: createLogger({ quiet: true, level: 'error' }), now: () => clock.t, tickMs: 0,
      scenario: (id) => (id === scenario.id ? scenario : null), cameras: () => scenario.cameraIds.map((id) => ({ id })), rules: () => [],
      footage: { cameraDown: () => {}, cameraUp: () => {} }, emit: () => {},
      layouts: (fromMs, toMs) => ({ before: before.filter((a) => a.at < fromMs), actions: actions.filter((a) => a.at >= fromMs && a.at <= toMs) }),
    });
    const { status } = await rt.handlers['training.sessions.start']({ scenarioId: 'gate-night', operator: 'dana' }, ctx);
    await rt.handlers['training.sessions.join']({ id: status.id, operator: 'olzhas' }, ctx);
    clock.t = T0 + 30 * S;
    await rt.handlers['training.sessions.stop']({ id: status.id, operator: 'dana' }, ctx);
    const { report } = await rt.handlers['training.sessions.report']({ id: status.id }, ctx);
    const main = (at: number) => consoleStateAt(report.session, at).displays.map((d) => [d.layout.name, d.maximised]);
    expect([main(T0), main(T0 + 21 * S), main(T0 + 26 * S)]).toEqual([[['Start', 0]], [['Changed', 0]], [['Changed', null]]]);
    rt.close();
  });

  it('refuses an unknown scenario and acting on an unknown session with a clear message', async () => {
    const { rt } = setup();
    await expect(Promise.resolve().then(() => rt.handlers['training.sessions.start']({ scenarioId: 'nope', operator: 'dana' }, ctx))).rejects.toThrow('no training scenario nope');
    await expect(Promise.resolve().then(() => rt.handlers['training.sessions.status']({ id: 'nope' }, ctx))).rejects.toThrow('no training session nope');
    rt.close();
  });
});

describe('the demo city sample scenario', () => {
  it('validates and names only cameras of the demo city', async () => {
    const { readDemoScenario } = await import('../../electron/host/training/demo-scenario.js');
    const { demoCameras } = await import('../../native/simulator/control.js');
    const s = readDemoScenario(process.cwd());
    // the demo's latest recordings, not a fixed range its storage limit deletes within minutes
    expect(s.source).toEqual({ kind: 'recent', leadMs: 20_000 });
    expect(footageFromMs(s.source as RecordedSource, T0)).toBe(T0 - 20_000);
    const demo = new Set(demoCameras().map((c) => c.id));
    expect(s.cameraIds.filter((c) => !demo.has(c))).toEqual([]);
    expect(s.events.length).toBeGreaterThanOrEqual(4);
  });

  it('is stored on the demo\'s start, replaces an older sample of the demo\'s own, and leaves a trainer\'s version alone', async () => {
    const { readDemoScenario, seedDemoScenario } = await import('../../electron/host/training/demo-scenario.js');
    const { ScenarioStore, trainingFile } = await import('../../electron/host/training/scenario-store.js');
    const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-tdemo-'));
    const log = createLogger({ quiet: true, level: 'error' });
    const sample = readDemoScenario(process.cwd());
    const stored = () => { const st = new ScenarioStore(trainingFile(dataDir), log); try { return { s: st.get(sample.id), by: st.savedBy(sample.id) }; } finally { st.close(); } };
    const put = (sc: Scenario, by: string) => { const st = new ScenarioStore(trainingFile(dataDir), log); try { st.save(sc, by, T0); } finally { st.close(); } };
    seedDemoScenario({ root: process.cwd(), dataDir, log, now: T0 });
    expect(stored()).toEqual({ s: sample, by: 'demo' });
    // an older demo's sample: a fixed range (long deleted by the storage limit)
    put({ ...sample, source: { kind: 'recording', fromMs: T0 - 86_400_000 } }, 'demo');
    seedDemoScenario({ root: process.cwd(), dataDir, log, now: T0 });
    expect(stored().s?.source).toEqual({ kind: 'recent', leadMs: 20_000 });
    // a trainer's own version under the same id stays
    put({ ...sample, name: 'Our drill', source: { kind: 'recording', fromMs: T0 - 60_000 } }, 'aigerim');
    seedDemoScenario({ root: process.cwd(), dataDir, log, now: T0 });
    expect(stored()).toMatchObject({ s: { name: 'Our drill', source: { kind: 'recording', fromMs: T0 - 60_000 } }, by: 'aigerim' });
    rmSync(dataDir, { recursive: true, force: true });
  });
});
