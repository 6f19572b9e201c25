/**
 * Training scenarios (issue 11 §2, docs/training.md): what a trainer builds (footage, cameras, scripted events at offsets,
 * the responses expected of the trainee) and what a trainee's session recorded, which the scorer compares. Pure module:
 * the host stores scenarios and scores sessions with these definitions; the renderer shows them.
 * Times inside a scenario are offsets in milliseconds from the session's start (the scenario's clock).
 */
import { z } from 'zod';
import { reasonParams } from '../api-errors.js';
import { Verdict } from '../alarms-schema.js';
import { ConsoleAction, IncidentId } from '../replay-schema.js';
import { CameraId } from '../schemas.js';

export const SCENARIO_FORMAT = 'kuzet-scenario/1';
/** Longest scenario (a shift's exercise): 4 hours. */
export const MAX_SCENARIO_MS = 4 * 3_600_000;

const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
const OffsetMs = z.number().int().min(0).max(MAX_SCENARIO_MS);
const WithinMs = z.number().int().min(1_000).max(MAX_SCENARIO_MS);
const Text = (n: number) => z.string().trim().max(n);

/**
 * Where the footage comes from: an imported incident package (replayed from it), a range of this console's recordings,
 * or this console's latest recordings (`recent`: a session plays from `leadMs` before its start, then what is recorded
 * as it plays; a drill on today's city that retention cannot take away, the demo's sample scenario).
 */
export const ScenarioSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('package'), incidentId: IncidentId }),
  z.object({ kind: z.literal('recording'), fromMs: z.number().int().min(0).max(8.64e15) }),
  z.object({ kind: z.literal('recent'), leadMs: z.number().int().min(0).max(3_600_000) }),
]);
export type ScenarioSource = z.infer<typeof ScenarioSource>;

/** Footage from this console's recordings (not a package's). */
export type RecordedSource = Exclude<ScenarioSource, { kind: 'package' }>;

/** The recorded moment a session started at `startedAt` plays at its offset 0. */
export function footageFromMs(source: RecordedSource, startedAt: number): number {
  return source.kind === 'recording' ? source.fromMs : startedAt - source.leadMs;
}

/**
 * What happens at an offset: a real alarm, a false alarm (both raise an alarm on the camera through the live ingest), a
 * camera failure (the camera's picture is lost for `durationMs`) or a unit losing telemetry (`unitId`).
 */
export const ScriptedEventKind = z.enum(['real-alarm', 'false-alarm', 'camera-failure', 'telemetry-lost']);
export type ScriptedEventKind = z.infer<typeof ScriptedEventKind>;

export const ScriptedEvent = z.object({
  id: Id,
  atMs: OffsetMs,
  kind: ScriptedEventKind,
  cameraId: CameraId,
  /** What the analytics report (shown on the alarm). */
  summary: Text(200).default(''),
  /** The analytics event type the alarm is raised from (real and false alarms). */
  eventType: z.enum(['object', 'intrusion', 'line_crossing', 'loitering', 'tamper', 'fire', 'smoke']).default('intrusion'),
  /** camera-failure: how long the picture is lost. */
  durationMs: z.number().int().min(1_000).max(MAX_SCENARIO_MS).optional(),
  /** telemetry-lost: the unit whose positions stop. */
  unitId: Text(64).optional(),
});
export type ScriptedEvent = z.infer<typeof ScriptedEvent>;

/** A response the trainee owes to one scripted event. `withinMs` counts from the event. */
export const ExpectedResponse = z.discriminatedUnion('kind', [
  /** The event's alarm claimed within `withinMs`. */
  z.object({ kind: z.literal('claim'), eventId: Id, withinMs: WithinMs }),
  /** The alarm resolved with this verdict (a false alarm: `false`). */
  z.object({ kind: z.literal('verdict'), eventId: Id, verdict: Verdict }),
  /** These SOP steps of the alarm (their index in the alarm's SOP) done. */
  z.object({ kind: z.literal('sop'), eventId: Id, steps: z.array(z.number().int().min(0).max(50)).min(1).max(51) }),
  /** The alarm escalated (within `withinMs` when given). */
  z.object({ kind: z.literal('escalate'), eventId: Id, withinMs: WithinMs.optional() }),
  /** A bookmark (or an export) of the event's camera within `withinMs` when given. */
  z.object({ kind: z.literal('bookmark'), eventId: Id, withinMs: WithinMs.optional() }),
  z.object({ kind: z.literal('export'), eventId: Id, withinMs: WithinMs.optional() }),
]);
export type ExpectedResponse = z.infer<typeof ExpectedResponse>;

/** Two scripted events on one camera closer than this overlap (the trainee could not tell them apart). */
export const MIN_EVENT_GAP_MS = 5_000;

export const Scenario = z.object({
  format: z.literal(SCENARIO_FORMAT).default(SCENARIO_FORMAT),
  id: Id,
  name: Text(200).min(1),
  description: Text(2000).default(''),
  source: ScenarioSource,
  /** The cameras the session puts on the trainee's wall. */
  cameraIds: z.array(CameraId).min(1).max(64),
  durationMs: z.number().int().min(10_000).max(MAX_SCENARIO_MS),
  events: z.array(ScriptedEvent).max(500),
  expected: z.array(ExpectedResponse).max(2000),
  createdBy: Text(200).default(''),
}).superRefine((s, ctx) => {
  const ids = new Set<string>();
  s.events.forEach((e, i) => {
    if (ids.has(e.id)) ctx.addIssue({ code: 'custom', path: ['events', i, 'id'], message: `two scripted events are called ${e.id}`, params: reasonParams('scenarioEventTwice', { id: e.id }) });
    ids.add(e.id);
    if (e.atMs > s.durationMs) ctx.addIssue({ code: 'custom', path: ['events', i, 'atMs'], message: `event ${e.id} at ${e.atMs} ms is after the scenario ends (${s.durationMs} ms)`,
      params: reasonParams('scenarioEventLate', { id: e.id, seconds: e.atMs / 1000, duration: s.durationMs / 1000 }) });
    if (!s.cameraIds.includes(e.cameraId)) ctx.addIssue({ code: 'custom', path: ['events', i, 'cameraId'], message: `event ${e.id} is on camera ${e.cameraId}, which the scenario does not use`,
      params: reasonParams('scenarioEventCamera', { id: e.id, camera: e.cameraId }) });
    if (e.kind === 'camera-failure' && e.durationMs === undefined) ctx.addIssue({ code: 'custom', path: ['events', i, 'durationMs'], message: `camera failure ${e.id} needs a duration`, params: reasonParams('scenarioFailureDuration', { id: e.id }) });
    if (e.kind === 'telemetry-lost' && !e.unitId) ctx.addIssue({ code: 'custom', path: ['events', i, 'unitId'], message: `telemetry loss ${e.id} needs a unit`, params: reasonParams('scenarioLossUnit', { id: e.id }) });
    const clash = s.events.find((o, j) => j < i && o.cameraId === e.cameraId && Math.abs(o.atMs - e.atMs) < MIN_EVENT_GAP_MS);
    if (clash) ctx.addIssue({ code: 'custom', path: ['events', i, 'atMs'], message: `events ${clash.id} and ${e.id} overlap on camera ${e.cameraId} (less than ${MIN_EVENT_GAP_MS / 1000} s apart)`,
      params: reasonParams('scenarioEventsOverlap', { first: clash.id, second: e.id, camera: e.cameraId, seconds: MIN_EVENT_GAP_MS / 1000 }) });
  });
  s.expected.forEach((x, i) => {
    const e = ids.has(x.eventId);
    if (!e) ctx.addIssue({ code: 'custom', path: ['expected', i, 'eventId'], message: `a response expects event ${x.eventId}, which the scenario does not script`,
      params: reasonParams('scenarioNoEvent', { id: x.eventId }) });
  });
});
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

/** Something the trainee did that the console journal does not hold as state: opened an alarm, bookmarked, exported. */
export const SessionMark = z.object({
  at: z.number().int().min(0).max(8.64e15),
  kind: z.enum(['look', 'bookmark', 'export']),
  cameraId: CameraId.nullable(),
  /** `look`: the alarm opened. */
  alarmId: z.string().max(64).nullable(),
});
export type SessionMark = z.infer<typeof SessionMark>;

/** One trainee's run of a scenario: what the scorer reads. */
export const TraineeSession = z.object({
  scenarioId: Id,
  trainee: Text(200).min(1),
  console: Text(200),
  /** Epoch ms of the scenario's offset 0 on this console. */
  startedAt: z.number().int().min(0).max(8.64e15),
  /** Epoch ms the session ended (or stopped: scored up to here). */
  endedAt: z.number().int().min(0).max(8.64e15),
  /** The alarm each scripted event raised on this console (events that raise none are absent). */
  alarms: z.record(z.string(), z.string()),
  /** The session's console journal: the state before it started and every action during it (as incident records hold). */
  before: z.array(ConsoleAction),
  actions: z.array(ConsoleAction),
  marks: z.array(SessionMark).default([]),
});
export type TraineeSession = z.infer<typeof TraineeSession>;

/** The trainee's response to one scripted event, measured. Times in ms from the event; null: never happened. */
export const EventScore = z.object({
  eventId: z.string(),
  kind: ScriptedEventKind,
  alarmId: z.string().nullable(),
  /** Was the event's camera on a tile of any display when the event happened. */
  onWall: z.boolean(),
  firstLookMs: z.number().nullable(),
  claimMs: z.number().nullable(),
  escalatedMs: z.number().nullable(),
  verdict: Verdict.nullable(),
  sopDone: z.array(z.number().int()),
  /** Expected SOP steps not done (skipped or left pending). */
  sopSkipped: z.array(z.number().int()),
  /** An alarm the trainee never acted on (real and false alarms). */
  missed: z.boolean(),
  /** A false alarm escalated or resolved as confirmed. */
  falseRaisedAsReal: z.boolean(),
});
export type EventScore = z.infer<typeof EventScore>;

/**
 * What a check found, as a code the interface words in the chosen language (`trainingReview.check.<code>` in
 * resources/locales; `params` fill it in). `detail` is the same sentence in English, for logs.
 */
export const CheckCode = z.enum([
  'claimed', 'notClaimed', 'resolved', 'notResolved', 'sopDone', 'sopMissing', 'escalated', 'escalatedWithin', 'notEscalated',
  'bookmarked', 'notBookmarked', 'exported', 'notExported',
]);
export type CheckCode = z.infer<typeof CheckCode>;
/** Seconds (one decimal), verdicts, step numbers ("1, 3"), camera ids; `noAlarm`: the event raised no alarm on this console. */
export const CheckParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type CheckParams = z.infer<typeof CheckParams>;

/** One expected response checked. */
export const ResponseCheck = z.object({
  eventId: z.string(), kind: z.enum(['claim', 'verdict', 'sop', 'escalate', 'bookmark', 'export']), passed: z.boolean(), detail: z.string(),
  code: CheckCode, params: CheckParams,
});
export type ResponseCheck = z.infer<typeof ResponseCheck>;

export const SessionScore = z.object({
  scenarioId: z.string(),
  trainee: z.string(),
  events: z.array(EventScore),
  checks: z.array(ResponseCheck),
  totals: z.object({
    claimsInTime: z.number().int(), claimsLate: z.number().int(), verdictsRight: z.number().int(), verdictsWrong: z.number().int(),
    sopDone: z.number().int(), sopSkipped: z.number().int(), escalationsRight: z.number().int(), escalationsWrong: z.number().int(), escalationsMissed: z.number().int(),
    missed: z.number().int(), falseRaisedAsReal: z.number().int(), onWallAtEvent: z.number().int(), events: z.number().int(),
    checksPassed: z.number().int(), checks: z.number().int(),
  }),
  /** checksPassed / checks in percent (100 when nothing was expected). */
  percent: z.number().min(0).max(100),
});
export type SessionScore = z.infer<typeof SessionScore>;
