/**
 * Kuzet's analytics event model, version 1 (docs/events.md, docs/event.schema.json). One event is one
 * observation by one camera at one capture time. Every text field is bounded and is shown as text, never HTML.
 * Pure module: no Node, no DOM.
 */
import { z } from 'zod';
import { CameraId } from './schemas.js';

export const EVENT_MODEL_VERSION = 1;
/** Largest accepted MQTT payload; larger messages are rejected with reason 'too-large'. */
export const MAX_EVENT_BYTES = 1_048_576;

export const EventType = z.enum([
  'motion', 'object', 'face_match', 'plate', 'traffic_violation', 'abandoned_object', 'crowd', 'tamper', 'camera_offline', 'storage',
]);
export type EventType = z.infer<typeof EventType>;

const Text = (max: number) => z.string().max(max);
const Unit = z.number().min(0).max(1);

/** A box in normalised frame coordinates: 0..1 from the top-left corner. */
export const Box = z.object({
  x: Unit, y: Unit, w: Unit, h: Unit,
  label: Text(64).optional(),
}).refine((b) => b.x + b.w <= 1.0001 && b.y + b.h <= 1.0001, 'box must lie inside the frame');
export type Box = z.infer<typeof Box>;

const common = {
  /** Schema version of this message. */
  v: z.literal(EVENT_MODEL_VERSION).default(EVENT_MODEL_VERSION),
  /** Producer's id; a repeated id is stored once (idempotent redelivery). Generated when absent. */
  id: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'id: 1-128 of A-Z a-z 0-9 . _ : -').optional(),
  camera: CameraId,
  /** Capture time of the frame the event belongs to, Unix epoch milliseconds (same clock as KZF1 frames). */
  captureTime: z.number().int().min(0).max(8.64e15),
  confidence: Unit.default(1),
  boxes: z.array(Box).max(64).default([]),
  /** Tracker id: the same object across frames of one camera. */
  track: Text(64).optional(),
  /** Zones or lines (by name) the object is in or crossed, as the analytics or the zone editor saw it. */
  zones: z.array(Text(64)).max(16).default([]),
  /** The track's last event: when the object left the picture (epoch ms; Frigate's `end`). The track takes no more events. */
  endTime: z.number().int().min(0).max(8.64e15).optional(),
  /** A JPEG snapshot as a data URL (at most ~700 KB inside the 1 MB message). */
  snapshot: z.string().max(750_000).regex(/^data:image\/jpeg;base64,[A-Za-z0-9+/=]+$/, 'snapshot: a data:image/jpeg;base64 URL').optional(),
};

const ObjectClass = z.enum(['person', 'vehicle', 'bicycle', 'motorcycle', 'bus', 'truck', 'animal', 'bag', 'other']);

export const KuzetEvent = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('motion'), attributes: z.object({ area: Unit.default(0) }).default({ area: 0 }) }),
  z.object({
    ...common, type: z.literal('object'),
    attributes: z.object({
      class: ObjectClass,
      /** The analytics' own label when it says more than `class` ("package", "license_plate"). */
      label: Text(64).optional(),
      /** A name the analytics gave this object (Frigate's sub_label on a car: a known plate's owner). */
      subLabel: Text(200).optional(),
      /** The object has not moved for a while (a parked car). */
      stationary: z.boolean().optional(),
      /** A generated description of what the object does (Frigate's generative AI). */
      description: Text(2000).optional(),
    }),
  }),
  z.object({
    ...common, type: z.literal('face_match'),
    attributes: z.object({ watchlist: Text(64), personId: Text(64), name: Text(200).optional(), similarity: Unit }),
  }),
  z.object({
    ...common, type: z.literal('plate'),
    attributes: z.object({ text: Text(16).min(1), watchlistHit: z.boolean().default(false), watchlist: Text(64).optional() }),
  }),
  z.object({
    ...common, type: z.literal('traffic_violation'),
    attributes: z.object({
      violation: z.enum(['speeding', 'red_light', 'pedestrian_crossing', 'wrong_way', 'other']),
      speedKmh: z.number().min(0).max(500).optional(),
      limitKmh: z.number().min(0).max(300).optional(),
      plate: Text(16).optional(),
    }),
  }),
  z.object({ ...common, type: z.literal('abandoned_object'), attributes: z.object({ class: ObjectClass.default('bag'), dwellSec: z.number().min(0).max(86_400) }) }),
  z.object({ ...common, type: z.literal('crowd'), attributes: z.object({ count: z.number().int().min(0).max(100_000), limit: z.number().int().min(0).optional() }) }),
  z.object({ ...common, type: z.literal('tamper'), attributes: z.object({ kind: z.enum(['blurred', 'covered', 'moved']) }) }),
  z.object({ ...common, type: z.literal('camera_offline'), attributes: z.object({ reason: Text(500) }) }),
  /** Recording storage in trouble (raised by Kuzet itself; `camera` is the first camera whose recording it stops). */
  z.object({
    ...common, type: z.literal('storage'),
    attributes: z.object({
      problem: z.enum(['disk_full', 'locked_full', 'read_only', 'missing', 'unwritable']),
      path: Text(500),
      detail: Text(500),
      /** Cameras whose recording it affects. */
      cameras: z.number().int().min(0).max(100_000).default(1),
      freeBytes: z.number().min(0).optional(),
      shortfallBytes: z.number().min(0).optional(),
    }),
  }),
]);
export type KuzetEvent = z.infer<typeof KuzetEvent>;
export type KuzetEventInput = z.input<typeof KuzetEvent>;

export const EventSource = z.enum(['mqtt', 'frigate', 'motion', 'demo', 'api', 'streams', 'recording']);
export type EventSource = z.infer<typeof EventSource>;

/** An event as stored: always has an id, plus when and from where Kuzet received it. */
export type StoredEvent = KuzetEvent & { id: string; receivedAt: number; source: EventSource };

/** Why an incoming message was not turned into an event. */
export const RejectReason = z.enum(['malformed-json', 'invalid', 'unknown-camera', 'too-large', 'duplicate', 'unsupported', 'false-positive', 'unknown-track']);
export type RejectReason = z.infer<typeof RejectReason>;

/** Overlay metadata: the boxes one event saw on the frame captured at `captureTime` (drawn on that frame). */
export const OverlayMeta = z.object({
  cameraId: CameraId,
  captureTime: z.number(),
  type: EventType,
  track: z.string().optional(),
  /** The host's English line for the event (logs, burned-in exports). */
  label: z.string(),
  /** The event's attributes: a window words the line in its operator's language from them (event-text.ts). */
  attributes: z.record(z.string(), z.unknown()).optional(),
  boxes: z.array(Box),
});
export type OverlayMeta = z.infer<typeof OverlayMeta>;
