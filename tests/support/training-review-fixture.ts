/**
 * A scenario and two trainees' journals for the after-action review's and the scorer's tests:
 * a careful trainee and a careless one (late claim, a skipped SOP step, a wrong verdict, a false alarm escalated and
 * confirmed, a missed alarm, no bookmark, cameras not on the wall), with trainer comments, as `TrainingReport`s.
 */
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { AlarmSnapshot, ConsoleAction } from '../../electron/contract/replay-schema.js';
import { buildReport, type TrainerComment, type TrainingReport } from '../../electron/contract/training/report.js';
import { Scenario, TraineeSession, type ScenarioInput, type SessionMark } from '../../electron/contract/training/scenario-schema.js';
import { scoreSession } from '../../electron/contract/training/score.js';

export const T0 = 1_800_000_000_000;
export const S = 1000;
export const TRAINEE = 'trainee-1';

/** The night shift: an intruder, a cat, a second real alarm; `extra` events join them in time order. */
export const nightShift = (extra: ScenarioInput['events'] = []) => Scenario.parse({
  id: 'night-shift', name: 'Night shift', source: { kind: 'recording', fromMs: T0 - 3_600_000 }, cameraIds: ['cam-1', 'cam-2', 'cam-3'], durationMs: 600 * S,
  events: ([
    { id: 'intruder', atMs: 60 * S, kind: 'real-alarm', cameraId: 'cam-1', summary: 'person at the fence' },
    { id: 'cat', atMs: 120 * S, kind: 'false-alarm', cameraId: 'cam-2', summary: 'a cat' },
    { id: 'second', atMs: 300 * S, kind: 'real-alarm', cameraId: 'cam-3' },
    ...extra,
  ] satisfies ScenarioInput['events']).sort((a, b) => a.atMs - b.atMs),
  expected: [
    { kind: 'claim', eventId: 'intruder', withinMs: 30 * S },
    { kind: 'verdict', eventId: 'intruder', verdict: 'confirmed' },
    { kind: 'sop', eventId: 'intruder', steps: [0, 1] },
    { kind: 'escalate', eventId: 'intruder', withinMs: 120 * S },
    { kind: 'bookmark', eventId: 'intruder', withinMs: 180 * S },
    { kind: 'claim', eventId: 'cat', withinMs: 30 * S },
    { kind: 'verdict', eventId: 'cat', verdict: 'false' },
    { kind: 'claim', eventId: 'second', withinMs: 60 * S },
  ],
} satisfies ScenarioInput);
export const scenario = nightShift();

/** A tiny console journal: layouts and alarm snapshots, in order, each alarm's version counted. */
export class Journal {
  actions: ConsoleAction[] = [];
  private seq = 0;
  private alarms = new Map<string, AlarmSnapshot>();
  layout(atS: number, cams: string[], user = TRAINEE): this {
    this.actions.push({ seq: ++this.seq, at: T0 + atS * S, console: 'c1', user, action: 'wall.setLayout', change: { kind: 'layout', displayId: 'main', layout: makePresetLayout('2x2', cams, 'live', 'Wall') } });
    return this;
  }
  /** The trainee maximises tile `index` of the main display (its camera `cam`), or restores the grid (`index` null). */
  maximise(atS: number, index: number | null, cam: string | null = null, user = TRAINEE): this {
    const what = index === null ? 'tile.restore' : 'tile.maximise';
    this.actions.push({ seq: ++this.seq, at: T0 + atS * S, console: 'c1', user, action: `wall.${what}`,
      change: { kind: 'event', what, displayId: 'main', cameraIds: cam ? [cam] : [], text: what, ...(index === null ? {} : { index }) } });
    return this;
  }
  alarm(atS: number, id: string, user: string, action: string, change: Partial<AlarmSnapshot> = {}, sopStep?: [number, 'done' | 'skipped']): this {
    const prev = this.alarms.get(id) ?? { id, cameraId: change.cameraId ?? 'cam-1', state: 'new', owner: null, priority: 2, summary: '', verdict: null, comment: null, escalation: null,
      sop: [0, 1, 2].map((i) => ({ text: `step ${i + 1}`, state: 'pending' as const, by: null, at: null })), createdAt: T0 + atS * S, version: 0 } satisfies AlarmSnapshot;
    const sop = prev.sop.map((st, i) => (sopStep && sopStep[0] === i ? { ...st, state: sopStep[1], by: user, at: T0 + atS * S } : st));
    const next: AlarmSnapshot = { ...prev, ...change, sop, version: prev.version + 1 };
    this.alarms.set(id, next);
    this.actions.push({ seq: ++this.seq, at: T0 + atS * S, console: user === 'system' ? 'host' : 'c1', user, action, change: { kind: 'alarm', alarm: next } });
    return this;
  }
  /** The three alarms the host raises (the same for every trainee). */
  raised(): this {
    return this.alarm(60, 'a1', 'system', 'alarm.raise', { cameraId: 'cam-1' }).alarm(120, 'a2', 'system', 'alarm.raise', { cameraId: 'cam-2' })
      .alarm(300, 'a3', 'system', 'alarm.raise', { cameraId: 'cam-3' });
  }
}

export const mark = (atS: number, kind: SessionMark['kind'], cameraId: string | null, alarmId: string | null = null): SessionMark => ({ at: T0 + atS * S, kind, cameraId, alarmId });

/** The trainee's session of the night shift over journal `j`, ended `endS` seconds after its start. */
export function traineeSession(j: Journal, marks: SessionMark[], endS = 600, before: ConsoleAction[] = []): TraineeSession {
  return TraineeSession.parse({ scenarioId: 'night-shift', trainee: TRAINEE, console: 'c1', startedAt: T0, endedAt: T0 + endS * S,
    alarms: { intruder: 'a1', cat: 'a2', second: 'a3' }, before, actions: j.actions, marks });
}

function report(j: Journal, marks: SessionMark[], comments: TrainerComment[]): TrainingReport {
  const session = traineeSession(j, marks);
  return buildReport(scenario, session, scoreSession(scenario, session), comments);
}

/** Everything expected done in time: the cameras were all on the wall. */
export function carefulReport(): TrainingReport {
  const j = new Journal().layout(0, ['cam-1', 'cam-2', 'cam-3']).raised()
    .alarm(64, 'a1', TRAINEE, 'alarm.claim', { state: 'claimed', owner: TRAINEE })
    .alarm(70, 'a1', TRAINEE, 'alarm.sop', {}, [0, 'done']).alarm(75, 'a1', TRAINEE, 'alarm.sop', {}, [1, 'done'])
    .alarm(90, 'a1', TRAINEE, 'alarm.escalate', { state: 'escalated', escalation: 'police' })
    .alarm(125, 'a2', TRAINEE, 'alarm.claim', { state: 'claimed', owner: TRAINEE })
    .alarm(140, 'a2', TRAINEE, 'alarm.resolve', { state: 'resolved', verdict: 'false' })
    .alarm(200, 'a1', TRAINEE, 'alarm.resolve', { state: 'resolved', verdict: 'confirmed' })
    .alarm(310, 'a3', TRAINEE, 'alarm.claim', { state: 'claimed', owner: TRAINEE });
  return report(j, [mark(62, 'look', 'cam-1', 'a1'), mark(100, 'bookmark', 'cam-1')], []);
}

/** Late claim (40 s), SOP step 2 skipped, resolved suspicious, the cat escalated and confirmed, the second alarm missed, no bookmark; only cam-2 on the wall. */
export function carelessReport(): TrainingReport {
  const j = new Journal().layout(0, ['cam-2']).raised()
    .alarm(100, 'a1', TRAINEE, 'alarm.claim', { state: 'claimed', owner: TRAINEE })
    .alarm(105, 'a1', TRAINEE, 'alarm.sop', {}, [0, 'done']).alarm(106, 'a1', TRAINEE, 'alarm.sop', {}, [1, 'skipped'])
    .alarm(110, 'a1', TRAINEE, 'alarm.resolve', { state: 'resolved', verdict: 'suspicious' })
    .alarm(130, 'a2', TRAINEE, 'alarm.claim', { state: 'claimed', owner: TRAINEE })
    .alarm(131, 'a2', TRAINEE, 'alarm.escalate', { state: 'escalated', escalation: 'police' })
    .alarm(150, 'a2', TRAINEE, 'alarm.resolve', { state: 'resolved', verdict: 'confirmed' });
  return report(j, [mark(400, 'bookmark', 'cam-2')], [{ atMs: 100 * S, by: 'trainer', text: 'Claim first, <then> look', at: T0 + 700 * S }]);
}
