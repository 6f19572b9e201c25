/**
 * Training sessions on the host (issue 11 §2, docs/training.md): runs a stored scenario on the scenario's clock (the
 * pure reducer in session-state.ts), raises its scripted alarms through the alarm engine's ingest (`submit`, the path
 * MQTT messages take) into a store of the session's own (`<dataDir>/training-sessions/<id>/alarms.sqlite`), never the
 * production queue, statistics or audit; keeps the session's journal (`journal.sqlite`: the trainee's alarm actions,
 * the console journal's format) and scores it with the pure scorer when the session ends. A session survives a host
 * restart: `session.json` holds its clock and marks, and a running one resumes (what fell due meanwhile fires late).
 */
import type { Actor } from '../replay/replay-module.js';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ContractError, type HostService } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import { Rule, type Alarm, type AlarmAction } from '../../contract/alarms-schema.js';
import { AlarmSnapshot, ConsoleAction } from '../../contract/replay-schema.js';
import type { trainingSessionRequests } from '../../contract/training/session-api.js';
import { SessionMark, type Scenario, type ScriptedEvent, type TraineeSession } from '../../contract/training/scenario-schema.js';
import { scoreSession } from '../../contract/training/score.js';
import { buildReport, TrainerComment } from '../../contract/training/report.js';
import type { TrainingSessionStatus, TrainingSessionView } from '../../contract/training/session-schema.js';
import type { EventType } from '../../contract/events-schema.js';
import { defaultRuleName } from '../../contract/default-texts.js';
import type { Logger } from '../log.js';
import { AlarmEngine, type CameraFacts } from '../alarms/engine.js';
import { SqliteAlarmStore } from '../alarms/store-sqlite.js';
import { ConsoleJournal } from '../replay/console-journal.js';
import { loadOrCreateSigningKey } from '../export/signing-key.js';
import { camerasShortOfFootage, pastFootage } from './training-module.js';
import { clockOf, reduceSession, startSession, type SessionEffect, type SessionInput, type SessionMachine } from './session-state.js';

export type TrainingSessionHandlers = Pick<HostService, keyof typeof trainingSessionRequests>;

/**
 * Where a session's training pictures come from (footage-feeder.ts): started with a running session (also one resumed
 * at host start), stopped when it ends; a scripted camera failure stops that camera's training stream.
 */
export interface TrainingFootage {
  start?(sessionId: string, scenario: Scenario, startedAt: number): void | Promise<void>;
  stop?(sessionId: string): void | Promise<void>;
  cameraDown(sessionId: string, cameraId: string): void | Promise<void>;
  cameraUp(sessionId: string, cameraId: string): void | Promise<void>;
}

export interface TrainingSessionOptions {
  dataDir: string;
  log: Logger;
  now?: () => number;
  /** How often the clock is looked at (default 250 ms); 0: never by itself (tests call `tick`). */
  tickMs?: number;
  scenario(id: string): Scenario | null | Promise<Scenario | null>;
  cameras(): CameraFacts[];
  /** The production rules: a session's alarms get the same names, priorities and SOPs. */
  rules(): Rule[];
  footage?: TrainingFootage;
  /** A scripted telemetry loss: the unit's positions stop for `durationMs` (absent: until the session ends), on the session's console only. */
  telemetryLost?(unitId: string, sessionId: string, durationMs?: number): void;
  /**
   * Policy `refuseTrainingOnDuty` (KUZET_TRAINING_REFUSE_ON_DUTY=1): a session does not start while production alarms are
   * open. Off by default: production alarms keep reaching a training console (its live queue stays on screen).
   */
  refuseOnDuty?: boolean;
  /** Open production alarms (for the policy). */
  openProductionAlarms?(): number | Promise<number>;
  /** The production console journal's layout changes: the wall before `fromMs` and its changes in [fromMs, toMs]. */
  layouts?(fromMs: number, toMs: number): { before: ConsoleAction[]; actions: ConsoleAction[] };
  emit(view: TrainingSessionView): void;
  /** The sign-in (access session ref) of a connection, kept with the session so its trainee's consoles stay mapped across a host restart. */
  signInOf?(clientId: string): string | null;
  /** Milliseconds of recorded footage of a camera inside [fromMs, toMs] (absent: a start does not check the footage). */
  recordedMs?(cameraId: string, fromMs: number, toMs: number): number;
}

/** What `session.json` holds (validated when read back: a damaged file is skipped with a warning). */
const SavedSession = z.object({
  id: z.string(), scenario: z.unknown(), startedBy: z.string(), trainee: z.string().nullable(), console: z.string().nullable(),
  signIn: z.string().nullable().default(null), // absent in sessions saved before 2026-12-07
  machine: z.object({
    state: z.enum(['running', 'ended']), startedAt: z.number(), durationMs: z.number(), endedAt: z.number().nullable(),
    endReason: z.enum(['completed', 'stopped']).nullable(), fired: z.array(z.string()), failing: z.record(z.string(), z.number()),
  }),
  alarms: z.record(z.string(), z.string()), marks: z.array(SessionMark), percent: z.number().nullable(),
  comments: z.array(TrainerComment).default([]),
});


interface Live {
  id: string;
  scenario: Scenario;
  machine: SessionMachine;
  startedBy: string;
  trainee: string | null;
  console: string | null;
  /** The trainee connection's sign-in (access session ref) when it joined. */
  signIn: string | null;
  alarms: Record<string, string>;
  marks: SessionMark[];
  percent: number | null;
  comments: TrainerComment[];
  dir: string;
  store: SqliteAlarmStore;
  engine: AlarmEngine | null;
  journal: ConsoleJournal;
  acting: Map<string, Actor>;
  off: () => void;
}

/** A scripted event's analytics type: `tamper` is one; the others are objects whose label says what (intrusion, fire...). */
function eventTypeOf(e: ScriptedEvent): EventType { return e.eventType === 'tamper' ? 'tamper' : 'object'; }

/** The analytics attributes of a scripted alarm (validated by the ingest like any event): what the queue line says. */
function attributesOf(e: ScriptedEvent): Record<string, unknown> {
  if (e.eventType === 'tamper') return { kind: 'covered' };
  const person = ['intrusion', 'line_crossing', 'loitering'].includes(e.eventType);
  return { class: person ? 'person' : 'other', label: (e.summary || e.eventType).slice(0, 64), ...(e.summary ? { description: e.summary } : {}) };
}

/** Rules of a session's engine: production's first, then one that raises whatever a scripted event is (no folding). */
function sessionRules(production: Rule[]): Rule[] {
  // its name is a default rule's (worded in the operator's language, `defaultRules.training-scripted`)
  const fallback = Rule.parse({ id: 'training-scripted', name: defaultRuleName('training-scripted'), types: [], priority: 3, claimWithinSec: 120 });
  return [...production.filter((r) => r.types.length > 0 && !r.types.includes('motion')), fallback];
}

export interface TrainingSessionRuntime {
  handlers: TrainingSessionHandlers;
  tick(at?: number): void;
  /** The running sessions' ids. */
  running(): string[];
  /** The running sessions a trainee joined, with the sign-in (access session ref) they joined with. */
  trainees(): Array<{ id: string; signIn: string }>;
  close(): void;
}

export function createTrainingSessions(o: TrainingSessionOptions): TrainingSessionRuntime {
  const log = o.log.child('sessions');
  const now = o.now ?? Date.now;
  const root = join(o.dataDir, 'training-sessions');
  mkdirSync(root, { recursive: true });
  const sessions = new Map<string, Live>();

  const save = (s: Live) => {
    const body = { id: s.id, scenario: s.scenario, startedBy: s.startedBy, trainee: s.trainee, console: s.console, signIn: s.signIn, machine: s.machine, alarms: s.alarms, marks: s.marks, percent: s.percent, comments: s.comments };
    const file = join(s.dir, 'session.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(body));
    renameSync(`${file}.tmp`, file); // atomic: a crash leaves the old file or the new one
  };

  const status = (s: Live): TrainingSessionStatus => ({
    id: s.id, scenarioId: s.scenario.id, scenarioName: s.scenario.name, state: s.machine.state, startedAt: s.machine.startedAt,
    endedAt: s.machine.endedAt, endReason: s.machine.endReason, durationMs: s.machine.durationMs, clockMs: Math.round(clockOf(s.machine, now())),
    startedBy: s.startedBy, trainee: s.trainee, traineeSignIn: s.signIn, fired: s.machine.fired, failingCameras: Object.keys(s.machine.failing), cameraIds: s.scenario.cameraIds,
    percent: s.percent,
  });
  const view = (s: Live): TrainingSessionView => {
    s.engine?.flush();
    return { status: status(s), alarms: s.store.listAlarms({ limit: 1000 }) };
  };
  const emit = (s: Live) => { try { o.emit(view(s)); } catch (err) { log.warn('session view not sent', { id: s.id, error: String(err) }); } };

  const recordAlarm = (s: Live, actor: Actor, a: Alarm, at = now()) => {
    const last = s.journal.last(`alarm:${a.id}`);
    if (last?.change.kind === 'alarm' && last.change.alarm.version >= a.version) return;
    try { s.journal.record({ at, console: actor.console, user: actor.user, action: actor.action, change: { kind: 'alarm', alarm: AlarmSnapshot.parse(a) } }); }
    catch (err) { log.error('training action not recorded', { id: s.id, reason: (err as Error).message }); }
  };

  const openEngine = (s: Live) => {
    const engine = new AlarmEngine({ store: s.store, cameras: o.cameras, log: log.child(s.id), now });
    s.engine = engine;
    s.off = engine.onChange((list) => {
      for (const a of list) recordAlarm(s, s.acting.get(a.id) ?? { user: 'system', console: 'host', action: a.version === 1 ? 'alarm.raise' : 'alarm.change' }, a, a.version === 1 ? a.createdAt : undefined);
      emit(s);
    });
  };

  const open = (id: string, scenario: Scenario, machine: SessionMachine, startedBy: string, rest: Partial<Pick<Live, 'trainee' | 'console' | 'signIn' | 'alarms' | 'marks' | 'percent' | 'comments'>> = {}): Live => {
    const dir = join(root, id);
    mkdirSync(dir, { recursive: true });
    // the session's audit chain is its own (checkpoints in its folder), signed with the console's key
    const store = new SqliteAlarmStore(join(dir, 'alarms.sqlite'), { log: log.child('audit'), key: loadOrCreateSigningKey(o.dataDir) });
    if (!store.rules().length) store.saveRules(sessionRules(o.rules()));
    const s: Live = {
      id, scenario, machine, startedBy, trainee: rest.trainee ?? null, console: rest.console ?? null, signIn: rest.signIn ?? null, alarms: rest.alarms ?? {}, marks: rest.marks ?? [],
      percent: rest.percent ?? null, comments: rest.comments ?? [], dir, store, engine: null, journal: new ConsoleJournal(join(dir, 'journal.sqlite'), log), acting: new Map(), off: () => {},
    };
    if (machine.state === 'running') {
      openEngine(s);
      // resumed during an outage: its cameras are down from the feeder's first moment (and across its restarts)
      void Promise.all([o.footage?.start?.(id, scenario, machine.startedAt), ...Object.keys(machine.failing).map((c) => o.footage?.cameraDown(id, c))])
        .catch((err: unknown) => log.warn('training footage not started', { id, error: String(err) }));
    }
    sessions.set(id, s);
    return s;
  };

  /** The scripted event into the session's engine through `submit`, the function MQTT messages go through. */
  const raise = async (s: Live, e: ScriptedEvent, type: EventType, attributes: Record<string, unknown>) => {
    const engine = s.engine;
    if (!engine) return;
    const eventId = `training-${s.id}-${e.id}`.slice(0, 128);
    const payload = { v: 1, id: eventId, camera: e.cameraId, captureTime: now(), type, confidence: 1, boxes: [], track: `training-${e.id}`, attributes };
    const r = await engine.submit(JSON.stringify(payload), `kuzet/events/${e.cameraId}`, 'mqtt');
    if (!r.accepted) { log.warn('scripted event refused by the ingest', { id: s.id, event: e.id, reason: r.reason, detail: r.detail }); return; }
    const alarm = s.store.listAlarms({ cameraId: e.cameraId, limit: 1000 }).find((a) => a.lastEventId === eventId);
    if (alarm) { s.alarms[e.id] = alarm.id; save(s); }
  };

  const carryOut = (s: Live, fx: SessionEffect) => {
    const failed = (what: string) => (err: unknown) => log.warn(`${what} failed`, { id: s.id, error: String(err) });
    switch (fx.kind) {
      case 'raise':
        if (fx.late) log.info('scripted event fired late (session resumed)', { id: s.id, event: fx.event.id });
        void raise(s, fx.event, eventTypeOf(fx.event), attributesOf(fx.event)).catch(failed('scripted alarm'));
        break;
      case 'camera-down': {
        const e = s.scenario.events.find((x) => x.id === fx.eventId);
        void Promise.resolve(o.footage?.cameraDown(s.id, fx.cameraId)).catch(failed('camera failure'));
        // the stream supervisor raises camera_offline for a live camera that stops; the training camera does the same
        if (e) void raise(s, e, 'camera_offline', { reason: 'no picture' }).catch(failed('camera offline event'));
        break;
      }
      case 'camera-up': void Promise.resolve(o.footage?.cameraUp(s.id, fx.cameraId)).catch(failed('camera restore')); break;
      case 'telemetry-lost': o.telemetryLost?.(fx.unitId, s.id, s.scenario.events.find((x) => x.id === fx.eventId)?.durationMs); break;
      case 'ended': break;
    }
  };

  const traineeSession = (s: Live): TraineeSession => {
    const endedAt = s.machine.endedAt ?? now();
    const wall = o.layouts?.(s.machine.startedAt, endedAt) ?? { before: [], actions: [] };
    const trainee = s.trainee ?? s.startedBy;
    // the trainee's console's layout changes are the trainee's (the wall journal names a connection, not always its user)
    const mineIfHere = (a: ConsoleAction): ConsoleAction => (s.console !== null && a.console === s.console ? { ...a, user: trainee } : a);
    const merged = [...wall.actions.map(mineIfHere), ...s.journal.incidentRecord({ id: 'session', name: '', fromMs: 0, toMs: 8.64e15, cameraIds: ['x'], alarmId: null, createdAt: 0, createdBy: '' }).actions]
      .sort((a, b) => a.at - b.at || a.seq - b.seq).map((a, i) => ({ ...a, seq: wall.before.length + i + 1 }));
    // numbered after the starting state: consoleStateAt applies actions in seq order (the production journal's seqs of the
    // starting state are larger than the merged actions' own)
    const before = wall.before.map((a, i) => ({ ...a, seq: i + 1 }));
    return { scenarioId: s.scenario.id, trainee, console: s.console ?? '', startedAt: s.machine.startedAt, endedAt, alarms: s.alarms, before, actions: merged, marks: s.marks };
  };

  const step = (s: Live, input: SessionInput) => {
    const { next, effects } = reduceSession(s.machine, s.scenario.events, input);
    if (next === s.machine) return;
    s.machine = next;
    for (const fx of effects) carryOut(s, fx);
    if (next.state === 'ended') {
      s.engine?.flush();
      try { s.percent = scoreSession(s.scenario, traineeSession(s)).percent; } catch (err) { log.warn('session not scored', { id: s.id, error: String(err) }); }
      s.off();
      s.engine?.close();
      s.engine = null;
      void Promise.resolve(o.footage?.stop?.(s.id)).catch((err: unknown) => log.warn('training footage not stopped', { id: s.id, error: String(err) }));
      log.info('training session ended', { id: s.id, reason: next.endReason, percent: s.percent });
    }
    save(s);
    if (effects.length) emit(s);
  };

  // sessions of earlier runs: running ones resume on the scenario's clock; a damaged session.json is skipped
  for (const id of readdirSync(root)) {
    const file = join(root, id, 'session.json');
    if (!existsSync(file)) continue;
    try {
      const saved = SavedSession.parse(JSON.parse(readFileSync(file, 'utf8')));
      const s = open(saved.id, saved.scenario as Scenario, saved.machine, saved.startedBy, { trainee: saved.trainee, console: saved.console, signIn: saved.signIn, alarms: saved.alarms, marks: saved.marks, percent: saved.percent, comments: saved.comments });
      if (s.machine.state === 'running') log.info('training session resumed', { id: s.id, clockMs: clockOf(s.machine, now()) });
    } catch (err) { log.warn('unreadable training session skipped', { id, error: String(err) }); }
  }

  const tick = (at = now()) => { for (const s of sessions.values()) if (s.machine.state === 'running') step(s, { type: 'tick', at }); };
  const timer = (o.tickMs ?? 250) > 0 ? setInterval(() => tick(), o.tickMs ?? 250) : null;
  timer?.unref();

  const find = (id: string) => {
    const s = sessions.get(id);
    if (!s) throw new ContractError('not-found', `no training session ${id}`, reason('noSession', { id }));
    return s;
  };
  const running = (s: Live) => { if (s.machine.state !== 'running') throw new ContractError('conflict', `training session ${s.id} has ended`, reason('sessionEnded', { id: s.id })); return s; };

  const handlers: TrainingSessionHandlers = {
    'training.sessions.start': async ({ scenarioId, operator }) => {
      const scenario = await o.scenario(scenarioId);
      if (!scenario) throw new ContractError('not-found', `no training scenario ${scenarioId}`, reason('noScenario', { id: scenarioId }));
      const have = new Set(o.cameras().map((c) => c.id));
      const lacking = scenario.cameraIds.filter((c) => !have.has(c));
      if (lacking.length) throw new ContractError('invalid', `the scenario names cameras this console lacks: ${lacking.join(', ')}`, reason('scenarioCameras', { cameras: lacking.join(', ') }));
      // footage deleted since the scenario was saved (retention: the storage's limits) would play as black tiles: what of
      // it is past must still be recorded
      const src = scenario.source;
      if (src.kind !== 'package' && o.recordedMs) {
        const [fromMs, toMs] = pastFootage(src, scenario.durationMs, now());
        const short = camerasShortOfFootage(scenario.cameraIds, fromMs, toMs, o.recordedMs);
        if (short.length) throw new ContractError('conflict', `the scenario's footage from ${new Date(fromMs).toISOString()} is not in this console's recordings (deleted at the storage's limits, or not recorded) for: ${short.join(', ')}`,
          reason('footageMissing', { from: fromMs, cameras: short.join(', ') }));
      }
      if (o.refuseOnDuty) {
        const open = await o.openProductionAlarms?.() ?? 0;
        if (open > 0) throw new ContractError('conflict', `this console is on duty (${open} production alarms open): training refused by policy`, reason('onDuty', { open }));
      }
      const id = `ts-${now().toString(36)}-${randomUUID().slice(0, 6)}`;
      const s = open(id, scenario, startSession(scenario, now()), operator);
      save(s);
      log.info('training session started', { id, scenario: scenario.id, by: operator });
      step(s, { type: 'tick', at: now() }); // events at offset 0 fire at once
      return view(s);
    },
    'training.sessions.join': ({ id, operator }, ctx) => {
      const s = running(find(id));
      s.trainee = operator;
      s.console = ctx.clientId;
      s.signIn = o.signInOf?.(ctx.clientId) ?? null;
      save(s);
      emit(s);
      return view(s);
    },
    'training.sessions.stop': ({ id, operator }) => {
      const s = find(id);
      // the trainer ends an exam, not its trainee (who may stop a session they started themselves)
      if (s.machine.state === 'running' && s.trainee === operator && s.startedBy !== operator) {
        throw new ContractError('conflict', `${operator} is the trainee of session ${id}, which ${s.startedBy} started: the trainer stops it`, reason('traineeStops', { trainer: s.startedBy }));
      }
      if (s.machine.state === 'running') step(s, { type: 'stop', at: now() });
      return view(s);
    },
    'training.sessions.status': ({ id }) => view(find(id)),
    'training.sessions.list': () => [...sessions.values()].sort((a, b) => b.machine.startedAt - a.machine.startedAt).map(status),
    'training.sessions.act': async ({ id, alarmId, operator, action }, ctx) => {
      const s = running(find(id));
      if (!Object.values(s.alarms).includes(alarmId) && !s.store.getAlarm(alarmId)) throw new ContractError('not-found', `no alarm ${alarmId} in training session ${id}`, reason('noAlarm', { id: alarmId }));
      const actor = { user: operator, console: ctx.clientId, action: `alarm.${(action as AlarmAction).kind}` };
      s.acting.set(alarmId, actor);
      try {
        const a = await s.engine!.act(alarmId, action, operator);
        recordAlarm(s, actor, a);
        emit(s);
        return a;
      } finally { s.acting.delete(alarmId); }
    },
    'training.sessions.alarm': ({ id, alarmId }) => {
      const s = find(id);
      s.engine?.flush();
      const alarm = s.store.getAlarm(alarmId);
      if (!alarm) throw new ContractError('not-found', `no alarm ${alarmId} in training session ${id}`, reason('noAlarm', { id: alarmId }));
      return { alarm, history: s.store.historyOf(alarmId) };
    },
    'training.sessions.mark': ({ id, mark }) => {
      const s = running(find(id));
      s.marks.push(SessionMark.parse({ at: now(), ...mark }));
      save(s);
      return { ok: true as const };
    },
    'training.sessions.score': ({ id }) => {
      const s = find(id);
      s.engine?.flush();
      return scoreSession(s.scenario, traineeSession(s));
    },
    'training.sessions.comment': ({ id, operator, atMs, text }) => {
      const s = find(id);
      const comment = TrainerComment.parse({ atMs: Math.min(atMs, s.machine.durationMs), by: operator, text, at: now() });
      s.comments.push(comment);
      save(s);
      // audited as training: in the session's own chain, never the production audit
      s.store.audit({ at: comment.at, actor: operator, action: 'training.comment', subject: `training-session:${s.id}`, detail: JSON.stringify({ atMs: comment.atMs, text }) });
      return { ok: true as const };
    },
    'training.sessions.report': ({ id }) => {
      const s = find(id);
      s.engine?.flush();
      const session = traineeSession(s);
      const report = buildReport(s.scenario, session, scoreSession(s.scenario, session), s.comments);
      return { report };
    },
  };

  return {
    handlers, tick, running: () => [...sessions.values()].filter((s) => s.machine.state === 'running').map((s) => s.id),
    trainees: () => [...sessions.values()].flatMap((s) => (s.machine.state === 'running' && s.signIn !== null ? [{ id: s.id, signIn: s.signIn }] : [])),
    close() {
      if (timer) clearInterval(timer);
      for (const s of sessions.values()) { s.off(); s.engine?.close(); s.store.close(); s.journal.close(); }
      sessions.clear();
    },
  };
}
