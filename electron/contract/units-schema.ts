/**
 * Moving units on the map (issue 10 §3): telemetry over MQTT `kuzet/units/<id>`, version 1 (docs/map.md), and the
 * unit as the host keeps it and sends to windows. One definition for the host, the demo and the renderer.
 */
import { z } from 'zod';
import { CameraId } from './schemas.js';

export const UNIT_TELEMETRY_VERSION = 1;
export const UNITS_TOPIC = 'kuzet/units/';

export const UnitId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'unit id: 1-64 of A-Z a-z 0-9 . _ -');
export const UnitKind = z.enum(['drone', 'robot', 'body', 'patrol_car']);
export type UnitKind = z.infer<typeof UnitKind>;

/** One telemetry message. Positions WGS84 degrees, altitude metres, heading degrees from north, speed m/s, battery %. */
export const UnitTelemetry = z.object({
  v: z.literal(UNIT_TELEMETRY_VERSION),
  id: UnitId,
  kind: UnitKind,
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  alt: z.number().min(-500).max(20_000).optional(),
  heading: z.number().min(0).max(360).optional(),
  speed: z.number().min(0).max(300).optional(),
  battery: z.number().min(0).max(100).optional(),
  /** When the unit measured this position, Unix epoch milliseconds. */
  ts: z.number().int().min(0).max(8.64e15),
  /** The camera (registry id) that carries this unit's video. */
  cameraId: CameraId.optional(),
}).strict();
export type UnitTelemetry = z.infer<typeof UnitTelemetry>;

/**
 * A unit's trail (MapUnit.track) keeps one point every TRACK_STEP_MS, plus the newest report: a 5-minute trail of a 2 Hz
 * unit is ~100 points, not 600. Every report is still recorded in full (track-store.ts); the trail is for the eye, and
 * each of its segments costs vertex work on every map draw (docs/map.md, "What a draw costs"). The host keeps the trail
 * (unit-store.ts); the map redraws the trails at this cadence (renderer/map/trail-split.ts).
 */
export const TRACK_STEP_MS = 3_000;

/** A point of a unit's track: [lon, lat, ts]. */
export const TrackPoint = z.tuple([z.number(), z.number(), z.number()]);
export type TrackPoint = z.infer<typeof TrackPoint>;

/** A unit as windows see it: its last reported position, its recent track, and whether its telemetry stopped. */
/** [lon, lat] on the ground. */
export const GroundPoint = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

export const MapUnit = UnitTelemetry.omit({ v: true }).extend({
  /** What the unit's camera sees on the ground (a drone's KLV, ST 0601 corners: upper left, upper right, lower right, lower left). */
  footprint: z.array(GroundPoint).length(4).optional(),
  /** The centre of the unit's picture on the ground (KLV frame centre). */
  frameCenter: GroundPoint.optional(),
  /** No telemetry for longer than the store's stale time. */
  stale: z.boolean(),
  /** Reported positions of the last minutes, oldest first (never a point that was not reported). */
  track: z.array(TrackPoint).max(2_000),
});
export type MapUnit = z.infer<typeof MapUnit>;

/** Why a telemetry message was refused (counted per reason, like rejected events). */
export const UnitRejectReason = z.enum(['not-json', 'unknown-version', 'bad-coordinates', 'invalid', 'topic-mismatch', 'implausible-jump', 'out-of-order',
  // a drone's KLV metadata (ST 0601 in MPEG-TS): cut off, wrong checksum, or not a valid UAS Datalink Local Set
  'klv-truncated', 'klv-checksum', 'klv-invalid']);
export type UnitRejectReason = z.infer<typeof UnitRejectReason>;

/** Refused telemetry so far, by reason. */
export const UnitRejectCounts = z.partialRecord(UnitRejectReason, z.number().int().min(0));
export type UnitRejectCounts = z.infer<typeof UnitRejectCounts>;

/**
 * Every unit (`units.list`), as of the `units.changed` delta numbered `seq` (0: none yet): a window applies the deltas
 * numbered after it (docs/map.md, "Units on the wire").
 */
export const UnitsSnapshot = z.object({
  seq: z.number().int().min(0),
  units: z.array(MapUnit),
  rejected: UnitRejectCounts,
});
export type UnitsSnapshot = z.infer<typeof UnitsSnapshot>;

/**
 * How a unit's trail changed since the last delta: drop `trim` points from its start (older than the trail keeps),
 * then `drop` from its end (the host's extendTrail replaced its newest point), then append `add`. Exact: the result is
 * the host's trail, point for point.
 */
export const TrailEdit = z.object({
  trim: z.number().int().min(0).max(2_000),
  drop: z.number().int().min(0).max(2_000),
  add: z.array(TrackPoint).max(2_000),
});
export type TrailEdit = z.infer<typeof TrailEdit>;

/** A unit the window holds, changed: all its fields (they are few), and of its trail only the edit. */
export const UnitChange = MapUnit.omit({ track: true }).extend({ trail: TrailEdit });
export type UnitChange = z.infer<typeof UnitChange>;

/**
 * The `units.changed` event (since 2026-12-05; before, the whole snapshot): what changed since the delta numbered
 * `seq - 1`, sent only to connections that asked (`units.watch`). A window applies it to the units it holds; a gap in
 * `seq` (or no units yet) makes it ask `units.list`, and deltas not after that snapshot's `seq` are dropped.
 */
export const UnitsDelta = z.object({
  seq: z.number().int().min(1),
  /** Units sent whole: new to the window, or replacing what it holds under the id. */
  added: z.array(MapUnit),
  changed: z.array(UnitChange),
  removed: z.array(UnitId),
  rejected: UnitRejectCounts,
  /** This connection's units are not the broadcast ones (a training session holds some): ask `units.list` (no changes here). */
  resync: z.literal(true).optional(),
});
export type UnitsDelta = z.infer<typeof UnitsDelta>;

/** A trail after its edit (TrailEdit): the one way a window applies it. */
export function applyTrailEdit(track: ReadonlyArray<TrackPoint>, e: TrailEdit): TrackPoint[] {
  return track.slice(e.trim, Math.max(e.trim, track.length - e.drop)).concat(e.add);
}
