/**
 * The trainee's score (issue 11 §3, docs/training.md): a scenario's scripted events and expected responses against what
 * the trainee's console journal recorded. Pure (the host scores a session with it, the after-action review shows it);
 * only the trainee's own actions count, and nothing after the session ended (a stopped session is scored up to there).
 */
import type { AlarmSnapshot, ConsoleAction } from '../replay-schema.js';
import { cameraVisible, consoleStateAt } from '../replay-state.js';
import type { CheckCode, CheckParams, EventScore, ExpectedResponse, ResponseCheck, Scenario, ScriptedEvent, SessionScore, TraineeSession } from './scenario-schema.js';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Measured { score: EventScore; eventAt: number; alarmActions: ConsoleAction[] }

function measure(e: ScriptedEvent, s: TraineeSession, actions: ConsoleAction[]): Measured {
  const eventAt = s.startedAt + e.atMs;
  const alarmId = s.alarms[e.id] ?? null;
  const mine = (a: ConsoleAction) => a.user === s.trainee;
  const alarmActions = alarmId === null ? [] : actions.filter((a) => a.change.kind === 'alarm' && a.change.alarm.id === alarmId);
  const myAlarmActions = alarmActions.filter(mine);
  const firstOf = (action: string) => myAlarmActions.find((a) => a.action === action);
  const since = (a: { at: number } | undefined) => (a ? a.at - eventAt : null);
  // the alarm as it was last (the highest version: two consoles' records of a shared alarm may interleave)
  let last: AlarmSnapshot | null = null;
  for (const a of alarmActions) if (a.change.kind === 'alarm' && (!last || a.change.alarm.version >= last.version)) last = a.change.alarm;
  const resolve = [...myAlarmActions].reverse().find((a) => a.action === 'alarm.resolve');
  const verdict = resolve?.change.kind === 'alarm' ? resolve.change.alarm.verdict : null;
  const sopDone = (last?.sop ?? []).flatMap((st, i) => (st.state === 'done' ? [i] : []));
  const showsCamera = (a: ConsoleAction) => a.change.kind === 'layout' && a.change.layout.cells.some((c) => c.cameraId === e.cameraId);
  const looks = [
    ...s.marks.filter((m) => m.kind === 'look' && m.at >= eventAt && (alarmId !== null ? m.alarmId === alarmId : m.cameraId === e.cameraId)).map((m) => m.at),
    ...myAlarmActions.map((a) => a.at),
    ...actions.filter((a) => mine(a) && a.at >= eventAt && showsCamera(a)).map((a) => a.at),
  ];
  const escalated = firstOf('alarm.escalate');
  // visible, not merely on a tile: a tile hidden behind a maximised one does not count (visibleCameraIds)
  const onWall = cameraVisible(consoleStateAt({ before: s.before, actions }, eventAt), e.cameraId);
  return {
    eventAt, alarmActions,
    score: {
      eventId: e.id, kind: e.kind, alarmId, onWall,
      firstLookMs: looks.length ? Math.min(...looks) - eventAt : null,
      claimMs: since(firstOf('alarm.claim')),
      escalatedMs: since(escalated),
      verdict,
      sopDone,
      sopSkipped: (last?.sop ?? []).flatMap((st, i) => (st.state === 'skipped' ? [i] : [])),
      missed: alarmId !== null && (e.kind === 'real-alarm' || e.kind === 'false-alarm') && myAlarmActions.length === 0,
      falseRaisedAsReal: e.kind === 'false-alarm' && (escalated !== undefined || verdict === 'confirmed'),
    },
  };
}

const s1 = (ms: number) => Math.round(ms / 100) / 10;

function check(x: ExpectedResponse, m: Measured, s: TraineeSession, e: ScriptedEvent): ResponseCheck {
  const r = m.score;
  const noAlarm = r.alarmId === null;
  const suffix = noAlarm ? ' (the event raised no alarm on this console)' : '';
  const out = (passed: boolean, code: CheckCode, params: CheckParams, detail: string): ResponseCheck => ({ eventId: x.eventId, kind: x.kind, passed, detail, code, params });
  switch (x.kind) {
    case 'claim':
      return r.claimMs === null
        ? out(false, 'notClaimed', { noAlarm, withinS: s1(x.withinMs) }, `never claimed${suffix}`)
        : out(r.claimMs <= x.withinMs, 'claimed', { afterS: s1(r.claimMs), withinS: s1(x.withinMs) }, `claimed after ${secs(r.claimMs)} (within ${secs(x.withinMs)} expected)`);
    case 'verdict':
      return r.verdict === null
        ? out(false, 'notResolved', { noAlarm, expected: x.verdict }, `not resolved${suffix}`)
        : out(r.verdict === x.verdict, 'resolved', { verdict: r.verdict, expected: x.verdict }, `resolved as ${r.verdict}, ${x.verdict} expected`);
    case 'sop': {
      const missing = x.steps.filter((i) => !r.sopDone.includes(i));
      const list = (steps: number[]) => steps.map((i) => i + 1).join(', ');
      return missing.length
        ? out(false, 'sopMissing', { noAlarm, steps: list(missing) }, `steps ${list(missing)} not done${suffix}`)
        : out(true, 'sopDone', { steps: list(x.steps) }, `steps ${list(x.steps)} done`);
    }
    case 'escalate':
      if (r.escalatedMs === null) return out(false, 'notEscalated', { noAlarm }, `not escalated${suffix}`);
      return x.withinMs === undefined
        ? out(true, 'escalated', { afterS: s1(r.escalatedMs) }, `escalated after ${secs(r.escalatedMs)}`)
        : out(r.escalatedMs <= x.withinMs, 'escalatedWithin', { afterS: s1(r.escalatedMs), withinS: s1(x.withinMs) }, `escalated after ${secs(r.escalatedMs)} (within ${secs(x.withinMs)} expected)`);
    case 'bookmark':
    case 'export': {
      const mark = s.marks.find((k) => k.kind === x.kind && k.cameraId === e.cameraId && k.at >= m.eventAt && k.at <= s.endedAt);
      const after = mark ? mark.at - m.eventAt : null;
      const [done, none] = x.kind === 'bookmark' ? ['bookmarked', 'notBookmarked'] as const : ['exported', 'notExported'] as const;
      return after === null
        ? out(false, none, { camera: e.cameraId }, `no ${x.kind} of ${e.cameraId}`)
        : out(x.withinMs === undefined || after <= x.withinMs, done, { camera: e.cameraId, afterS: s1(after) }, `${x.kind} after ${secs(after)}`);
    }
  }
}

/** Scores one trainee's session of a scenario. */
export function scoreSession(scenario: Scenario, session: TraineeSession): SessionScore {
  const actions = session.actions.filter((a) => a.at <= session.endedAt);
  const s = { ...session, actions, marks: session.marks.filter((m) => m.at <= session.endedAt) };
  const measured = new Map(scenario.events.map((e) => [e.id, measure(e, s, actions)]));
  const checks = scenario.expected.map((x) => check(x, measured.get(x.eventId)!, s, scenario.events.find((e) => e.id === x.eventId)!));
  const events = [...measured.values()].map((m) => m.score);
  const of = (kind: ResponseCheck['kind']) => checks.filter((c) => c.kind === kind);
  const expectsEscalation = new Set(scenario.expected.filter((x) => x.kind === 'escalate').map((x) => x.eventId));
  const sopChecks = scenario.expected.filter((x) => x.kind === 'sop');
  const sopDone = sopChecks.reduce((n, x) => n + x.steps.filter((i) => measured.get(x.eventId)!.score.sopDone.includes(i)).length, 0);
  const sopExpected = sopChecks.reduce((n, x) => n + x.steps.length, 0);
  const passed = checks.filter((c) => c.passed).length;
  return {
    scenarioId: scenario.id, trainee: session.trainee, events, checks,
    totals: {
      claimsInTime: of('claim').filter((c) => c.passed).length,
      claimsLate: scenario.expected.filter((x) => x.kind === 'claim' && measured.get(x.eventId)!.score.claimMs !== null).length - of('claim').filter((c) => c.passed).length,
      verdictsRight: of('verdict').filter((c) => c.passed).length,
      verdictsWrong: scenario.expected.filter((x) => x.kind === 'verdict' && measured.get(x.eventId)!.score.verdict !== null).length - of('verdict').filter((c) => c.passed).length,
      sopDone, sopSkipped: sopExpected - sopDone,
      escalationsRight: events.filter((e) => e.escalatedMs !== null && expectsEscalation.has(e.eventId)).length,
      escalationsWrong: events.filter((e) => e.escalatedMs !== null && !expectsEscalation.has(e.eventId)).length,
      escalationsMissed: events.filter((e) => e.escalatedMs === null && expectsEscalation.has(e.eventId)).length,
      missed: events.filter((e) => e.missed).length,
      falseRaisedAsReal: events.filter((e) => e.falseRaisedAsReal).length,
      onWallAtEvent: events.filter((e) => e.onWall).length,
      events: events.length, checksPassed: passed, checks: checks.length,
    },
    percent: checks.length ? Math.round((1000 * passed) / checks.length) / 10 : 100,
  };
}
