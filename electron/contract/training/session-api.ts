/**
 * Training sessions' part of the contract (issue 11 §2, docs/training.md). Merged into api.ts, so the access gate covers
 * every route. A trainer starts a session of a stored scenario; the trainee is the signed-in user of the console that
 * joins; the trainee works the session's alarms (its own store, never the production queue) through `.act`.
 */
import { z } from 'zod';
import { AlarmAction, Operator, Alarm } from '../alarms-schema.js';
import { AuditLine } from '../alarms-api.js';
import { SessionScore } from './scenario-schema.js';
import { TrainingMarkInput, TrainingSessionId, TrainingSessionStatus, TrainingSessionView } from './session-schema.js';
import { TrainingReport } from './report.js';

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const trainingSessionRequests = {
  /** Starts a session of a stored scenario: its clock starts now (refused while on duty when the policy says so). */
  'training.sessions.start': { params: z.object({ scenarioId: z.string().min(1).max(64), operator: Operator }), result: TrainingSessionView },
  /** The signed-in user of this console becomes the session's trainee. */
  'training.sessions.join': { params: z.object({ id: TrainingSessionId, operator: Operator }), result: TrainingSessionView },
  /** Stops a running session (scored up to now). */
  'training.sessions.stop': { params: z.object({ id: TrainingSessionId, operator: Operator }), result: TrainingSessionView },
  'training.sessions.status': { params: z.object({ id: TrainingSessionId }), result: TrainingSessionView },
  /** Sessions, newest first (running and ended). */
  'training.sessions.list': { params: Empty, result: z.array(TrainingSessionStatus) },
  /** The trainee's action on one of the session's alarms (the alarm queue's actions). */
  'training.sessions.act': { params: z.object({ id: TrainingSessionId, alarmId: z.string().min(1).max(64), operator: Operator, action: AlarmAction }), result: Alarm },
  /** One of the session's alarms with its history (as `alarms.get` gives a production alarm). */
  'training.sessions.alarm': { params: z.object({ id: TrainingSessionId, alarmId: z.string().min(1).max(64) }), result: z.object({ alarm: Alarm, history: z.array(AuditLine) }) },
  /** The trainee opened an alarm, bookmarked or exported a camera. */
  'training.sessions.mark': { params: z.object({ id: TrainingSessionId, operator: Operator, mark: TrainingMarkInput }), result: Ok },
  /** The session's journal scored against its scenario (up to now while it runs). */
  'training.sessions.score': { params: z.object({ id: TrainingSessionId }), result: SessionScore },
  /** A trainer's comment at a moment of the session (ms from its start), for the after-action review. */
  'training.sessions.comment': { params: z.object({ id: TrainingSessionId, operator: Operator, atMs: z.number().int().min(0).max(4 * 3_600_000), text: z.string().trim().min(1).max(2000) }), result: Ok },
  /** The after-action review: the session beside the expected responses on one timeline, differences marked; JSON and HTML. */
  'training.sessions.report': { params: z.object({ id: TrainingSessionId }), result: z.object({ report: TrainingReport }) },
} as const;

export const trainingSessionEvents = {
  /** A session started, fired an event, changed an alarm or ended. */
  'training.session': TrainingSessionView,
} as const;
