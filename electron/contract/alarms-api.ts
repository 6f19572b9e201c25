/**
 * The alarm queue's part of the contract (issue 3): events in, rules, alarms. Merged into api.ts.
 * Every operator action names the operator; it is committed (and audited) before the reply is sent.
 */
import { z } from 'zod';
import { Alarm, AlarmAction, AlarmState, AuditVerdict, FalseAlarmStat, IngestStats, Operator, Rule } from './alarms-schema.js';
import { CameraId } from './schemas.js';
import { ErrorReason } from './api-errors.js';
import { OverlayMeta } from './events-schema.js';
import { CameraZones } from './zones-schema.js';

const EpochMs = z.number().int().min(0).max(8.64e15);
/** A stored event's boxes as drawn on recorded video (review). */
export const StoredOverlay = OverlayMeta.extend({ id: z.string() });
export type StoredOverlay = z.infer<typeof StoredOverlay>;

const Empty = z.object({}).strict();
const AlarmId = z.string().min(1).max(64);

export const AuditLine = z.object({ seq: z.number().int(), at: z.number(), actor: z.string(), action: z.string(), detail: z.string() });
export type AuditLineRow = z.infer<typeof AuditLine>;

export const alarmRequests = {
  /** Where analytics publish (embedded broker URL or the external broker Kuzet listens to) and the topics. */
  'alarms.info': {
    params: Empty,
    result: z.object({ mqttUrl: z.string(), embedded: z.boolean(), topics: z.array(z.string()), eventModelVersion: z.number().int() }),
  },
  /** Open alarms first, by priority then age; resolved ones after (newest history is in the store). */
  'alarms.list': {
    params: z.object({ states: z.array(AlarmState).max(4).optional(), cameraId: CameraId.optional(), limit: z.number().int().min(1).max(5000).default(500) }),
    result: z.array(Alarm),
  },
  /** One alarm with its history (the audit entries about it). */
  'alarms.get': { params: z.object({ id: AlarmId }), result: z.object({ alarm: Alarm, history: z.array(AuditLine) }) },
  'alarms.snapshot': { params: z.object({ id: AlarmId }), result: z.object({ data: z.string().nullable() }) },
  'alarms.act': { params: z.object({ id: AlarmId, operator: Operator, action: AlarmAction }), result: Alarm },
  /** The same action on many alarms (floods); each alarm succeeds or fails on its own (a failure's English message and its reason code). */
  'alarms.bulk': {
    params: z.object({ ids: z.array(AlarmId).min(1).max(1000), operator: Operator, action: AlarmAction }),
    result: z.object({ results: z.array(z.object({ id: z.string(), ok: z.boolean(), message: z.string().nullable(), reason: ErrorReason.nullable().optional() })) }),
  },
  'alarms.stats': {
    params: Empty,
    result: z.object({ ingest: IngestStats, falseByCamera: z.array(FalseAlarmStat), falseByRule: z.array(FalseAlarmStat) }),
  },
  'alarms.rules.list': { params: Empty, result: z.array(Rule) },
  'alarms.rules.save': { params: z.object({ rules: z.array(z.unknown()).max(500), operator: Operator }), result: z.array(Rule) },
  /** Zones and lines of the given cameras (all cameras that have some when none is given). */
  'zones.list': { params: z.object({ cameraIds: z.array(CameraId).max(1000).optional() }), result: z.array(CameraZones) },
  /** Replaces one camera's zones and lines (validated: names unique, shapes usable); audited. Bad input changes nothing. */
  'zones.save': { params: z.object({ cameraId: CameraId, zones: z.array(z.unknown()).max(100), operator: Operator }), result: CameraZones },
  /** Stored events with boxes of one camera captured in [fromMs, toMs), oldest first: overlays on recorded video. */
  'events.query': {
    params: z.object({ cameraId: CameraId, fromMs: EpochMs, toMs: EpochMs, limit: z.number().int().min(1).max(10_000).default(5000) }),
    result: z.object({ events: z.array(StoredOverlay), truncated: z.boolean() }),
  },
  /** Re-computes the audit log's hash chain. */
  'alarms.audit.verify': { params: Empty, result: AuditVerdict },
} as const;

export const alarmEvents = {
  /** Alarms that were raised or changed, batched (at most one message per 50 ms). */
  'alarms.changed': z.array(Alarm),
  /** Boxes of events that carry them, for the live tiles' overlays (batched like alarms.changed, capped). */
  'overlays.meta': z.array(OverlayMeta),
  /** One camera's zones and lines changed. */
  'zones.changed': CameraZones,
} as const;
