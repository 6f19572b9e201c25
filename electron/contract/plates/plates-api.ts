/**
 * "Where did it go" (issue 10 §4): the plate index's part of the contract. Every plate event of the ingest (analytics,
 * Frigate's recognized plates, the demo's traffic cameras) is a sighting; a search lists sightings by plate or pattern,
 * a route is one plate's sightings in time order with where each camera stood. Traffic violations have their own
 * review list. Sightings of cameras whose recordings the user may not view never leave the host (route-rights.ts).
 */
import { z } from 'zod';
import { Box } from '../events-schema.js';
import { CameraId } from '../schemas.js';
import { checkPattern, checkPlate } from './plate-text.js';
import { Operator } from '../alarms-schema.js';

const Time = z.number().int().min(0).max(8.64e15);

/** A search pattern as typed: refused with the reason when it is not one (control characters, only wildcards, ...). */
export const PlatePattern = z.string().superRefine((s, ctx) => { const r = checkPattern(s); if (!r.ok) ctx.addIssue({ code: 'custom', message: `plate pattern ${r.problem}`, params: { reason: r.reason } }); });
/** One plate, exactly (normalised by the host: spaces and lookalike Cyrillic letters do not matter). */
export const PlateText = z.string().superRefine((s, ctx) => { const r = checkPlate(s); if (!r.ok) ctx.addIssue({ code: 'custom', message: `plate ${r.problem}`, params: { reason: r.reason } }); });

/** Where a camera stood when it read the plate (its registry position then), WGS84 degrees. */
export const SightingPosition = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

/** One plate read by one camera at one moment. `id` is the event's id (a violation's id too). */
export const Sighting = z.object({
  id: z.string(),
  /** Normalised plate. */
  plate: z.string(),
  /** As the analytics read it. */
  text: z.string(),
  cameraId: CameraId,
  /** Capture time of the frame, epoch ms: review opens here. */
  atMs: Time,
  confidence: z.number().min(0).max(1),
  /** The plate's box on that frame (normalised), when the analytics gave one. */
  box: Box.nullable(),
  position: SightingPosition.nullable(),
  /** A plate read, or the plate of a traffic violation. */
  kind: z.enum(['plate', 'violation']),
});
export type Sighting = z.infer<typeof Sighting>;

export const ViolationKind = z.enum(['speeding', 'red_light', 'pedestrian_crossing', 'wrong_way', 'other']);
export const ViolationState = z.enum(['pending', 'accepted', 'rejected']);
export type ViolationState = z.infer<typeof ViolationState>;

/** A traffic violation waiting for (or given) an operator's decision. */
export const Violation = z.object({
  id: z.string(),
  cameraId: CameraId,
  atMs: Time,
  violation: ViolationKind,
  plate: z.string().nullable(),
  speedKmh: z.number().nullable(),
  limitKmh: z.number().nullable(),
  box: Box.nullable(),
  position: SightingPosition.nullable(),
  /** The event carried a picture (`violations.picture`); else the recording's frame at `atMs` is the picture. */
  hasSnapshot: z.boolean(),
  state: ViolationState,
  decidedBy: z.string().nullable(),
  decidedAt: z.number().nullable(),
  reason: z.string().nullable(),
});
export type Violation = z.infer<typeof Violation>;

/** A watch-list entry: a plate or a pattern (`?`, `*`) whose sightings raise an alarm on the list `list`. */
export const WatchEntry = z.object({
  pattern: PlatePattern,
  /** The watch list the event is marked with: the default rules alarm on `wanted` and `stolen` (P1). */
  list: z.string().trim().regex(/^[a-z0-9_-]{1,32}$/, 'list: 1-32 of a-z 0-9 _ -').default('wanted'),
  note: z.string().trim().max(200).default(''),
}).strict();
export type WatchEntry = z.infer<typeof WatchEntry>;

const Range = { fromMs: Time.optional(), toMs: Time.optional() };

export const platesRequests = {
  /** Sightings of plates matching a pattern (exact, or `?`/`*` for unread characters), newest first. */
  'plates.search': {
    params: z.object({ pattern: PlatePattern, ...Range, limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    result: z.object({ pattern: z.string(), sightings: z.array(Sighting), truncated: z.boolean() }),
  },
  /** One plate's sightings in time order (oldest first): its route through the cameras. */
  'plates.route': {
    params: z.object({ plate: PlateText, ...Range, limit: z.number().int().min(1).max(5000).default(1000) }).strict(),
    result: z.object({ plate: z.string(), sightings: z.array(Sighting), truncated: z.boolean() }),
  },
  'plates.watchlist.get': { params: z.object({}).strict(), result: z.array(WatchEntry) },
  /** Replaces the watch list (audited). */
  'plates.watchlist.save': { params: z.object({ entries: z.array(WatchEntry).max(10_000), operator: Operator }).strict(), result: z.array(WatchEntry) },
  /** Traffic violations, newest first. */
  'violations.list': {
    params: z.object({ states: z.array(ViolationState).max(3).optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    result: z.array(Violation),
  },
  'violations.get': { params: z.object({ id: z.string().min(1).max(200) }).strict(), result: Violation },
  /** Accept or reject a violation with a reason (audited; a decided violation is not decided again). */
  'violations.decide': {
    params: z.object({ id: z.string().min(1).max(200), verdict: z.enum(['accepted', 'rejected']), reason: z.string().trim().min(1, 'a reason is required').max(500), operator: Operator }).strict(),
    result: Violation,
  },
  /** The violation's own picture (privacy masks applied), or null when the event carried none. */
  'violations.picture': { params: z.object({ id: z.string().min(1).max(200) }).strict(), result: z.object({ data: z.string().nullable() }) },
} as const;
