/**
 * Rules, alarms and their lifecycle as they cross the bridge (docs/alarms.md). Pure module.
 */
import { z } from 'zod';
import { typedName } from './names.js';
import { CameraId } from './schemas.js';
import { Box, EventType } from './events-schema.js';

export const Priority = z.number().int().min(1).max(5);
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time of day: HH:MM');

/** When a rule is active: days of week (0 = Sunday) and a daily window in the host's local time; from > to wraps midnight. */
export const Schedule = z.object({
  days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  from: HHMM,
  to: HHMM,
});
export type Schedule = z.infer<typeof Schedule>;

/** A rule turns matching events into alarms. Empty lists mean "any". */
export const Rule = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  name: typedName('rule name'),
  enabled: z.boolean().default(true),
  types: z.array(EventType).max(16).default([]),
  cameras: z.array(CameraId).max(1000).default([]),
  groups: z.array(z.string().max(200)).max(100).default([]),
  zones: z.array(z.string().max(64)).max(32).default([]),
  watchlists: z.array(z.string().max(64)).max(32).default([]),
  /** For traffic_violation: only these violations (empty: any). */
  violations: z.array(z.string().max(32)).max(8).default([]),
  schedule: Schedule.nullable().default(null),
  minConfidence: z.number().min(0).max(1).default(0),
  priority: Priority,
  /** Same camera + type + track within this window is one alarm with a count. */
  dedupWindowSec: z.number().min(0).max(86_400).default(60),
  /** Same plate or face on several cameras within this window is one incident. */
  incidentWindowSec: z.number().min(0).max(86_400).default(600),
  /** Not claimed within this time: escalated. 0 disables. */
  claimWithinSec: z.number().min(0).max(86_400).default(120),
});
export type Rule = z.infer<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;

export const AlarmState = z.enum(['new', 'claimed', 'escalated', 'resolved']);
export type AlarmState = z.infer<typeof AlarmState>;
export const Verdict = z.enum(['confirmed', 'false', 'suspicious']);
export type Verdict = z.infer<typeof Verdict>;

export const SopStep = z.object({ text: z.string(), state: z.enum(['pending', 'done', 'skipped']), by: z.string().nullable(), at: z.number().nullable() });
export type SopStep = z.infer<typeof SopStep>;

/** An operator's name as typed at sign-in (authentication is the auth module's job). */
export const Operator = z.string().trim().min(1).max(64);

export const Alarm = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  priority: Priority,
  type: EventType,
  cameraId: z.string(),
  state: AlarmState,
  owner: z.string().nullable(),
  /** Events folded into this alarm by de-duplication. */
  count: z.number().int().min(1),
  firstAt: z.number(),
  lastAt: z.number(),
  /** When the object behind the alarm left the picture (its track's end, epoch ms); the alarm stays until resolved. */
  endedAt: z.number().optional(),
  createdAt: z.number(),
  claimedAt: z.number().nullable(),
  escalatedAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  escalation: z.string().nullable(),
  verdict: Verdict.nullable(),
  comment: z.string().nullable(),
  /** Alarms that saw the same plate or face on other cameras share an incident id. */
  incidentId: z.string().nullable(),
  /** A one-line description for the queue (plain text). */
  summary: z.string(),
  lastEventId: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  boxes: z.array(Box),
  hasSnapshot: z.boolean(),
  sop: z.array(SopStep),
  /** Bumped on every change; a stale update never overwrites a newer one in the UI. */
  version: z.number().int(),
});
export type Alarm = z.infer<typeof Alarm>;

/** What queue order looks at (replay sorts its recorded alarm snapshots with the same function). */
export type QueueOrderKey = Pick<Alarm, 'id' | 'state' | 'priority' | 'createdAt'>;

/** Queue order: open before resolved, most urgent priority first, then the newest (as Milestone's alarm list). */
export function compareAlarms(x: QueueOrderKey, y: QueueOrderKey): number {
  const rank = (a: QueueOrderKey) => (a.state === 'resolved' ? 1 : 0);
  return rank(x) - rank(y) || x.priority - y.priority || y.createdAt - x.createdAt || (x.id < y.id ? -1 : 1);
}

export const AlarmAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('claim') }),
  z.object({ kind: z.literal('release') }),
  z.object({ kind: z.literal('escalate'), reason: z.string().trim().min(1).max(500) }),
  z.object({ kind: z.literal('sop'), step: z.number().int().min(0).max(50), state: z.enum(['done', 'skipped', 'pending']) }),
  z.object({ kind: z.literal('resolve'), verdict: Verdict, comment: z.string().max(2000).default('') }),
]);
export type AlarmAction = z.infer<typeof AlarmAction>;

export const IngestStats = z.object({
  accepted: z.number().int(),
  alarms: z.number().int(),
  /** Frigate events stored as history without an alarm: their frame time was older than the max age. */
  stale: z.number().int(),
  rejected: z.record(z.string(), z.number().int()),
  lastRejects: z.array(z.object({ at: z.number(), reason: z.string(), detail: z.string(), topic: z.string() })),
});
export type IngestStats = z.infer<typeof IngestStats>;

export const FalseAlarmStat = z.object({ key: z.string(), resolved: z.number().int(), falseCount: z.number().int() });
export type FalseAlarmStat = z.infer<typeof FalseAlarmStat>;

export { AuditVerdict } from './audit-schema.js';
