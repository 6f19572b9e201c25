/**
 * Incident replay's part of the contract (issue 11). Merged into api.ts, so the access gate covers every route.
 */
import { z } from 'zod';
import { Operator } from './alarms-schema.js';
import { CameraId } from './schemas.js';
import { ConsoleState, Incident, IncidentId, IncidentRecord, TileIndex } from './replay-schema.js';
import { ImportResult, PackageResult } from './replay-package.js';
import { CameraTimeline, reviewRequests } from './review-api.js';
import { alarmRequests } from './alarms-api.js';
import { mapRequests } from './map-api.js';
import { CameraZones } from './zones-schema.js';
import { Scenario, SessionScore, TraineeSession } from './training/scenario-schema.js';

const Empty = z.object({}).strict();
const EpochMs = z.number().int().min(0).max(8.64e15);
const Minutes = z.number().min(0).max(240);

export const replayRequests = {
  /** Incidents, newest first. */
  'replay.incidents.list': { params: Empty, result: z.array(Incident) },
  /**
   * From an alarm: its camera, `beforeMin` minutes before it was raised to `afterMin` after it was resolved (or now).
   * `name`: as the operator reads the alarm (their language); default: the rule's name and the alarm's summary as stored.
   */
  'replay.incidents.fromAlarm': {
    params: z.object({ alarmId: z.string().min(1).max(64), beforeMin: Minutes.default(2), afterMin: Minutes.default(2), operator: Operator, name: z.string().trim().min(1).max(200).optional() }),
    result: Incident,
  },
  /** By hand: a range and cameras. */
  'replay.incidents.create': {
    params: z.object({
      name: z.string().trim().min(1).max(200), fromMs: EpochMs, toMs: EpochMs,
      cameraIds: z.array(CameraId).min(1).max(64), operator: Operator,
    }).refine((p) => p.toMs > p.fromMs, { message: 'the incident must end after it starts', path: ['toMs'] })
      .refine((p) => p.toMs - p.fromMs <= 24 * 3_600_000, { message: 'an incident spans at most 24 hours', path: ['toMs'] }),
    result: Incident,
  },
  /** An incident with its starting state and every recorded action inside it. */
  'replay.incidents.get': { params: z.object({ id: IncidentId }), result: IncidentRecord },
  /** From a bookmark: its camera, `beforeMin` before its moment to `afterMin` after it (or after its end). */
  'replay.incidents.fromBookmark': {
    params: z.object({ bookmarkId: z.string().min(1).max(64), beforeMin: Minutes.default(1), afterMin: Minutes.default(1), operator: Operator }),
    result: Incident,
  },
  /**
   * What is left of an incident's footage on this console: the percent of its cameras' range up to now that is recorded
   * (retention deletes the oldest footage at the storage's limits), and the evidence lock that keeps all of it, if any.
   * An imported incident plays its package's video: `recordedPercent` null.
   */
  'replay.incidents.footage': { params: z.object({ id: IncidentId }), result: z.object({ recordedPercent: z.number().min(0).max(100).nullable(), lockId: z.string().nullable() }) },
  /** From an evidence lock: its cameras and its range (at most 24 hours). */
  'replay.incidents.fromLock': { params: z.object({ lockId: z.string().min(1).max(64), operator: Operator }), result: Incident },
  /** Records an operator action the host does not see (a tile maximised or restored on a display) in the journal and the audit. */
  'replay.journal.note': {
    params: z.object({
      what: z.enum(['tile.maximise', 'tile.restore']), displayId: z.string().min(1).max(64), cameraIds: z.array(CameraId).max(64), operator: Operator,
      /** The tile's index in the display's layout (replay maximises that tile). */
      index: TileIndex.optional(),
    }),
    result: z.object({ ok: z.literal(true) }),
  },
  /** The console as it was at one moment of an incident (the host computes it with consoleStateAt). */
  'replay.stateAt': { params: z.object({ id: IncidentId, atMs: EpochMs }), result: ConsoleState },
  /** Writes the incident's package (video exported as evidence, journal, alarms, events; signed) on the host; `archive`: also a .tar of it. */
  'replay.packages.create': { params: z.object({ id: IncidentId, operator: Operator, archive: z.boolean().default(false) }), result: PackageResult },
  /**
   * Imports a package folder (or a .tar of one) on the host (verified first: a tampered or damaged package is refused, naming the files);
   * the incident is then listed and replays from the package's own files.
   */
  'replay.packages.import': { params: z.object({ path: z.string().min(1).max(4096), operator: Operator }), result: ImportResult },
  /**
   * The footage replay plays: an imported incident's package video (served under `/rec/pkg/<incident>/`), this
   * console's recordings for its own incidents. Answers as `playback.segments` and `recording.timeline` do.
   */
  'replay.footage.segments': {
    params: z.object({ id: IncidentId, cameraId: CameraId, fromMs: EpochMs, toMs: EpochMs, stream: reviewRequests['playback.segments'].params.shape.stream }),
    result: reviewRequests['playback.segments'].result,
  },
  'replay.footage.timeline': {
    params: z.object({ id: IncidentId, cameraIds: z.array(CameraId).min(1).max(64), fromMs: EpochMs, toMs: EpochMs }),
    result: z.array(CameraTimeline),
  },
  /**
   * What the replay player draws over and beside the footage, for one incident: an imported incident's from its package
   * alone (events.json, units.json), this console's own from its stores. Answers as `events.query` and `units.tracks`.
   */
  'replay.footage.events': {
    params: z.object({ id: IncidentId, cameraId: CameraId, fromMs: EpochMs, toMs: EpochMs, limit: z.number().int().min(1).max(10_000).default(5000) }),
    result: alarmRequests['events.query'].result,
  },
  'replay.footage.tracks': {
    params: z.object({ id: IncidentId, fromMs: EpochMs, toMs: EpochMs, unitIds: z.array(z.string().min(1).max(64)).max(100).optional(), limit: z.number().int().min(1).max(200_000).default(50_000) })
      .refine((p) => p.toMs >= p.fromMs && p.toMs - p.fromMs <= 7 * 86_400_000, 'replay.footage.tracks: toMs must be after fromMs, at most 7 days'),
    result: mapRequests['units.tracks'].result,
  },
  /**
   * The zones and lines an incident's tiles draw: an imported incident's from its package (zones.json: the making
   * console's; none for a package made before it), this console's own incidents' from this console (`console`: the
   * replay view draws them from its live zone store, as review does).
   */
  'replay.footage.zones': { params: z.object({ id: IncidentId }), result: z.object({ source: z.enum(['console', 'package']), cameras: z.array(CameraZones) }) },
  /** Training scenarios (issue 11 §2, docs/training.md), newest first. */
  'training.scenarios.list': { params: Empty, result: z.array(Scenario) },
  'training.scenarios.get': { params: z.object({ id: z.string().min(1).max(64) }), result: Scenario },
  /** Saves or replaces a scenario: validated (a clear message names the problem), its cameras and incident must exist here. */
  'training.scenarios.save': { params: z.object({ scenario: z.unknown(), operator: Operator }), result: Scenario },
  'training.scenarios.remove': { params: z.object({ id: z.string().min(1).max(64), operator: Operator }), result: z.object({ ok: z.literal(true) }) },
  /** Scores a trainee's session of a stored scenario (the pure scorer, training/score.ts). */
  'training.score': { params: z.object({ session: TraineeSession }), result: SessionScore },
} as const;
