/**
 * The training scorer (issue 11 §3) on hand-built trainee journals: each score measured from the recorded actions, and
 * each can come out either way (a good trainee and a careless one on the same scenario), only the trainee's own actions
 * count, nothing after the session ended, and a bad scenario is refused with a message that names the problem.
 */
import { describe, expect, it } from 'vitest';
import { Scenario, type ScenarioInput } from '../../electron/contract/training/scenario-schema.js';
import { scoreSession } from '../../electron/contract/training/score.js';
import { Journal, mark, nightShift, S, T0, TRAINEE, traineeSession } from '../support/training-review-fixture.js';

const ME = TRAINEE;
const scenario = nightShift([{ id: 'cam-down', atMs: 200 * S, kind: 'camera-failure', cameraId: 'cam-3', durationMs: 60 * S }]);
const session = traineeSession;
const raised = (j: Journal) => j.raised();

describe('the training scorer', () => {
  it('a careful trainee: claims in time, right verdicts, SOP done, escalates the real alarm, bookmarks it, never raises the cat', () => {
    const j = new Journal().layout(0, ['cam-1', 'cam-2']);
    raised(j);
    j.alarm(64, 'a1', ME, 'alarm.claim', { state: 'claimed', owner: ME })
      .alarm(70, 'a1', ME, 'alarm.sop', {}, [0, 'done']).alarm(75, 'a1', ME, 'alarm.sop', {}, [1, 'done'])
      .alarm(90, 'a1', ME, 'alarm.escalate', { state: 'escalated', escalation: 'police' })
      .alarm(125, 'a2', ME, 'alarm.claim', { state: 'claimed', owner: ME })
      .alarm(140, 'a2', ME, 'alarm.resolve', { state: 'resolved', verdict: 'false' })
      .alarm(200, 'a1', ME, 'alarm.resolve', { state: 'resolved', verdict: 'confirmed' })
      .layout(305, ['cam-1', 'cam-3'])
      .alarm(310, 'a3', ME, 'alarm.claim', { state: 'claimed', owner: ME });
    const r = scoreSession(scenario, session(j, [mark(62, 'look', 'cam-1', 'a1'), mark(100, 'bookmark', 'cam-1')]));
    expect(r.percent).toBe(100);
    expect(r.checks.every((c) => c.passed)).toBe(true);
    const ev = Object.fromEntries(r.events.map((e) => [e.eventId, e]));
    expect(ev.intruder).toMatchObject({ firstLookMs: 2 * S, claimMs: 4 * S, escalatedMs: 30 * S, verdict: 'confirmed', sopDone: [0, 1], sopSkipped: [], missed: false, onWall: true });
    expect(ev.cat).toMatchObject({ claimMs: 5 * S, verdict: 'false', falseRaisedAsReal: false, onWall: true });
    expect(ev['cam-down']).toMatchObject({ onWall: false, alarmId: null, missed: false });
    // cam-3 was not on the wall when the second alarm came; the trainee put it there 5 s later: the first look
    expect(ev.second).toMatchObject({ onWall: false, firstLookMs: 5 * S, claimMs: 10 * S });
    expect(r.totals).toEqual({ claimsInTime: 3, claimsLate: 0, verdictsRight: 2, verdictsWrong: 0, sopDone: 2, sopSkipped: 0, escalationsRight: 1, escalationsWrong: 0,
      escalationsMissed: 0, missed: 0, falseRaisedAsReal: 0, onWallAtEvent: 2, events: 4, checksPassed: 8, checks: 8 });
  });

  it('a careless trainee: late claim, a skipped SOP step, the cat escalated and confirmed, the second alarm missed, no bookmark', () => {
    const j = new Journal().layout(0, ['cam-2']);
    raised(j);
    j.alarm(100, 'a1', ME, 'alarm.claim', { state: 'claimed', owner: ME })
      .alarm(105, 'a1', ME, 'alarm.sop', {}, [0, 'done']).alarm(106, 'a1', ME, 'alarm.sop', {}, [1, 'skipped'])
      .alarm(110, 'a1', ME, 'alarm.resolve', { state: 'resolved', verdict: 'suspicious' })
      .alarm(130, 'a2', ME, 'alarm.claim', { state: 'claimed', owner: ME })
      .alarm(131, 'a2', ME, 'alarm.escalate', { state: 'escalated', escalation: 'police' })
      .alarm(150, 'a2', ME, 'alarm.resolve', { state: 'resolved', verdict: 'confirmed' });
    const r = scoreSession(scenario, session(j, [mark(400, 'bookmark', 'cam-2')]));
    const ev = Object.fromEntries(r.events.map((e) => [e.eventId, e]));
    expect(ev.intruder).toMatchObject({ onWall: false, firstLookMs: 40 * S, claimMs: 40 * S, escalatedMs: null, verdict: 'suspicious', sopDone: [0], sopSkipped: [1] });
    expect(ev.cat).toMatchObject({ falseRaisedAsReal: true, verdict: 'confirmed', escalatedMs: 11 * S, onWall: true });
    expect(ev.second).toMatchObject({ missed: true, claimMs: null, firstLookMs: null });
    expect(r.totals).toEqual({ claimsInTime: 1, claimsLate: 1, verdictsRight: 0, verdictsWrong: 2, sopDone: 1, sopSkipped: 1, escalationsRight: 0, escalationsWrong: 1,
      escalationsMissed: 1, missed: 1, falseRaisedAsReal: 1, onWallAtEvent: 1, events: 4, checksPassed: 1, checks: 8 });
    expect(r.percent).toBe(12.5);
    expect(r.checks.find((c) => c.kind === 'sop')?.detail).toBe('steps 2 not done');
    expect(r.checks.find((c) => c.kind === 'bookmark')?.detail).toBe('no bookmark of cam-1');
  });

  it("counts only the trainee's own actions, and nothing after the session ended", () => {
    const j = new Journal().layout(0, ['cam-1']);
    raised(j);
    j.alarm(62, 'a1', 'instructor', 'alarm.claim', { state: 'claimed', owner: 'instructor' }) // someone else's claim is not the trainee's
      .alarm(70, 'a1', 'system', 'alarm.escalate', { state: 'escalated', escalation: 'not claimed in time' }) // the host's time-out
      .alarm(500, 'a2', ME, 'alarm.claim', { state: 'claimed', owner: ME });
    const ended = scoreSession(scenario, session(j, [mark(499, 'look', 'cam-2', 'a2')], 450));
    const ev = Object.fromEntries(ended.events.map((e) => [e.eventId, e]));
    expect(ev.intruder).toMatchObject({ claimMs: null, escalatedMs: null, missed: true });
    expect(ev.cat).toMatchObject({ claimMs: null, firstLookMs: null, missed: true });
    // the same journal scored to its end: the late claim of the cat counts
    const full = scoreSession(scenario, session(j, [mark(499, 'look', 'cam-2', 'a2')]));
    expect(full.events.find((e) => e.eventId === 'cat')).toMatchObject({ claimMs: 380 * S, firstLookMs: 379 * S, missed: false });
    expect(full.totals.claimsLate).toBe(1);
  });

  it('the wall before the session started counts for "on the wall at the event"', () => {
    const before = new Journal().layout(-30, ['cam-3']).actions;
    const r = scoreSession(scenario, session(raised(new Journal()), [], 600, before));
    expect(r.events.map((e) => [e.eventId, e.onWall])).toEqual([['intruder', false], ['cat', false], ['cam-down', true], ['second', true]]);
  });

  it('a camera hidden behind another maximised tile is not on the wall; visible again after the restore', () => {
    // cam-1 and cam-3 on the wall the whole time; cam-2's tile (1) maximised over the intruder (cam-1, 60 s), restored before
    // the second alarm (cam-3, 300 s); the cat (cam-2, 120 s) happens on the maximised tile itself
    const scored = (j: Journal) => Object.fromEntries(scoreSession(scenario, session(raised(j), [])).events.map((e) => [e.eventId, e.onWall]));
    expect(scored(new Journal().layout(0, ['cam-1', 'cam-2', 'cam-3']))).toMatchObject({ intruder: true, cat: true, second: true });
    expect(scored(new Journal().layout(0, ['cam-1', 'cam-2', 'cam-3']).maximise(50, 1, 'cam-2').maximise(250, null)))
      .toMatchObject({ intruder: false, cat: true, second: true });
    // cam-3's tile maximised at 250 s: cam-3 stays visible, and the intruder (before the maximise) was visible
    expect(scored(new Journal().layout(0, ['cam-1', 'cam-2', 'cam-3']).maximise(250, 2, 'cam-3')))
      .toMatchObject({ intruder: true, cat: true, second: true });
    // cam-1's tile maximised over the second alarm: cam-3 hidden then
    expect(scored(new Journal().layout(0, ['cam-1', 'cam-2', 'cam-3']).maximise(290, 0, 'cam-1'))).toMatchObject({ intruder: true, cat: true, second: false });
  });
});

describe('the scenario schema', () => {
  const base = { id: 's', name: 'S', source: { kind: 'recording', fromMs: T0 }, cameraIds: ['cam-1'], durationMs: 60 * S, events: [], expected: [] } satisfies ScenarioInput;
  const problems = (s: ScenarioInput) => { const p = Scenario.safeParse(s); return p.success ? [] : p.error.issues.map((i) => i.message); };
  it('accepts a plain scenario', () => expect(problems(base)).toEqual([]));
  it('refuses overlapping events, events past the end or on other cameras, responses to unscripted events, a failure without a duration', () => {
    expect(problems({ ...base, events: [{ id: 'a', atMs: 10 * S, kind: 'real-alarm', cameraId: 'cam-1' }, { id: 'b', atMs: 12 * S, kind: 'false-alarm', cameraId: 'cam-1' }] }))
      .toEqual(['events a and b overlap on camera cam-1 (less than 5 s apart)']);
    expect(problems({ ...base, events: [{ id: 'a', atMs: 70 * S, kind: 'real-alarm', cameraId: 'cam-1' }] })).toEqual(['event a at 70000 ms is after the scenario ends (60000 ms)']);
    expect(problems({ ...base, events: [{ id: 'a', atMs: 1, kind: 'real-alarm', cameraId: 'cam-9' }] })).toEqual(['event a is on camera cam-9, which the scenario does not use']);
    expect(problems({ ...base, expected: [{ kind: 'claim', eventId: 'x', withinMs: 5 * S }] })).toEqual(['a response expects event x, which the scenario does not script']);
    expect(problems({ ...base, events: [{ id: 'a', atMs: 1, kind: 'camera-failure', cameraId: 'cam-1' }] })).toEqual(['camera failure a needs a duration']);
    expect(problems({ ...base, events: [{ id: 'a', atMs: 1, kind: 'real-alarm', cameraId: 'cam-1' }, { id: 'a', atMs: 30 * S, kind: 'real-alarm', cameraId: 'cam-1' }] }))
      .toEqual(['two scripted events are called a']);
  });
});
