/**
 * A training session (issue 11 §2, docs/training.md): one run of a stored scenario on a trainee's console, on the
 * scenario's clock. Pure module: the host runs sessions with these definitions, the renderer shows them.
 */
import { z } from 'zod';
import { Alarm } from '../alarms-schema.js';
import { CameraId } from '../schemas.js';
import { SessionScore } from './scenario-schema.js';

const EpochMs = z.number().int().min(0).max(8.64e15);
export const TrainingSessionId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

/** `running`: the clock runs and scripted events fire; `ended`: stopped by the trainer or the scenario's end (scored). */
export const TrainingSessionState = z.enum(['running', 'ended']);
export type TrainingSessionState = z.infer<typeof TrainingSessionState>;

/** A session as every console sees it (the banner, the trainer's list). */
export const TrainingSessionStatus = z.object({
  id: TrainingSessionId,
  scenarioId: z.string(),
  scenarioName: z.string(),
  state: TrainingSessionState,
  /** Epoch ms of the scenario's offset 0. */
  startedAt: EpochMs,
  /** Epoch ms it ended (null while running). */
  endedAt: EpochMs.nullable(),
  endReason: z.enum(['completed', 'stopped']).nullable(),
  durationMs: z.number().int().min(0),
  /** The scenario's clock when this status was made (ms from offset 0, at most durationMs). */
  clockMs: z.number().int().min(0),
  startedBy: z.string(),
  /** The signed-in user of the console that joined (null until one joins). */
  trainee: z.string().nullable(),
  /** The sign-in (`Me.sessionRef`, not secret) whose consoles show the session's footage: the one that joined last. */
  traineeSignIn: z.string().nullable(),
  /** Scripted events fired so far (ids), in firing order. */
  fired: z.array(z.string()),
  /** Cameras whose training picture is lost right now (a scripted camera failure). */
  failingCameras: z.array(CameraId),
  cameraIds: z.array(CameraId),
  /** Percent of checks passed once ended (null while running). */
  percent: z.number().min(0).max(100).nullable(),
});
export type TrainingSessionStatus = z.infer<typeof TrainingSessionStatus>;

/** A session with its training alarms (from the session's own store, never the production queue). */
export const TrainingSessionView = z.object({ status: TrainingSessionStatus, alarms: z.array(Alarm) });
export type TrainingSessionView = z.infer<typeof TrainingSessionView>;

/** The trainee opened an alarm, bookmarked or exported a camera (what the journal does not hold as state). */
export const TrainingMarkInput = z.object({
  kind: z.enum(['look', 'bookmark', 'export']),
  cameraId: CameraId.nullable().default(null),
  alarmId: z.string().max(64).nullable().default(null),
});

export { SessionScore };
