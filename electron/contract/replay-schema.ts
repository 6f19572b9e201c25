/**
 * Incident replay's data (issue 11, docs/replay.md): what the console journal records and what replay computes from it.
 * Pure module: the host's journal and the renderer's replay view share these definitions.
 */
import { z } from 'zod';
import { Alarm } from './alarms-schema.js';
import { CameraId, Layout } from './schemas.js';

const EpochMs = z.number().int().min(0).max(8.64e15);
export const IncidentId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

/** An alarm as the queue showed it after one change: what replay needs to draw the queue and its SOP. */
export const AlarmSnapshot = Alarm.pick({
  id: true, cameraId: true, state: true, owner: true, priority: true, summary: true, verdict: true, comment: true,
  escalation: true, sop: true, createdAt: true, version: true,
}).extend({
  /** The event's type and attributes: replay words the alarm's line in the operator's language (absent in rows journaled before 2026-12-07: the English summary). */
  type: Alarm.shape.type.optional(),
  attributes: Alarm.shape.attributes.optional(),
});
export type AlarmSnapshot = z.infer<typeof AlarmSnapshot>;

/** A tile's index in its layout's cells (a layout has at most 16 x 16 cells). */
export const TileIndex = z.number().int().min(0).max(255);

/**
 * Operator actions recorded as events, shown as markers. Tour start and export change no replayed state; tile maximise
 * and restore change the display's maximised tile (`ReplayDisplay.maximised`, consoleStateAt).
 */
export const ConsoleEventKind = z.enum(['tile.maximise', 'tile.restore', 'tour.start', 'export']);
export type ConsoleEventKind = z.infer<typeof ConsoleEventKind>;

/**
 * What changed: a display's whole layout (after a setLayout, push or preset), one alarm (after raise or an action), or
 * an operator action that leaves no state (an `event`: what, on which display, which cameras, a short description).
 */
export const ConsoleChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('layout'), displayId: z.string().min(1).max(64), layout: Layout }),
  z.object({ kind: z.literal('alarm'), alarm: AlarmSnapshot }),
  z.object({
    kind: z.literal('event'), what: ConsoleEventKind, displayId: z.string().min(1).max(64).nullable(), cameraIds: z.array(CameraId).max(64), text: z.string().max(500),
    /** tile.maximise / tile.restore: the tile's index in the display's layout (absent in journals recorded before it: the first tile of `cameraIds[0]`). */
    index: TileIndex.optional(),
  }),
]);
export type ConsoleChange = z.infer<typeof ConsoleChange>;

/**
 * One recorded console action. `action` is the contract method or audit verb that caused it (`wall.setLayout`,
 * `wall.push`, `wall.presets.apply`, `alarm.raise`, `alarm.claim`, `alarm.sop`, `alarm.resolve`, `alarm.change`...);
 * `user` the operator the action names (`system` for the host), `console` the connection it came from.
 */
export const ConsoleAction = z.object({
  seq: z.number().int().min(1),
  at: EpochMs,
  console: z.string().max(200),
  user: z.string().max(200),
  action: z.string().max(64),
  change: ConsoleChange,
});
export type ConsoleAction = z.infer<typeof ConsoleAction>;

/** An incident: a time range and cameras; the alarms and actions inside it come from the journal. */
export const Incident = z.object({
  id: IncidentId,
  name: z.string().max(200),
  fromMs: EpochMs,
  toMs: EpochMs,
  cameraIds: z.array(CameraId).min(1).max(64),
  /** The alarm it was made from, or null when made by hand. */
  alarmId: z.string().max(64).nullable(),
  createdAt: EpochMs,
  createdBy: z.string().max(200),
});
export type Incident = z.infer<typeof Incident>;

/** An incident with everything replay needs: the state before it starts (one action per display and alarm) and its actions. */
export const IncidentRecord = z.object({
  incident: Incident,
  /** The last action before fromMs for each display and each alarm still open then (the starting state). */
  before: z.array(ConsoleAction),
  /** Every action in [fromMs, toMs], in journal order. */
  actions: z.array(ConsoleAction),
});
export type IncidentRecord = z.infer<typeof IncidentRecord>;

/**
 * One display as replay draws it: its layout at the moment (which carries the camera of every tile) and its maximised
 * tile (an index into `layout.cells`, which then fills the wall as on the live wall), or null when the whole grid shows.
 */
export const ReplayDisplay = z.object({ displayId: z.string(), layout: Layout, maximised: TileIndex.nullable() });
export type ReplayDisplay = z.infer<typeof ReplayDisplay>;

/** The console at one moment of an incident. */
export const ConsoleState = z.object({
  atMs: EpochMs,
  displays: z.array(ReplayDisplay),
  /** The alarm queue in queue order, each alarm as it was (state, owner, SOP steps). */
  queue: z.array(AlarmSnapshot),
});
export type ConsoleState = z.infer<typeof ConsoleState>;
