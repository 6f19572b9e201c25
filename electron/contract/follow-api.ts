/**
 * Follow a unit (issue 10 §3), run by the host: the map window starts and stops following; the host moves the wall's
 * follow tile to the fixed camera that best sees the unit on every report (electron/contract/follow-core.ts), whether
 * or not any map window is open. Merged into api.ts.
 */
import { z } from 'zod';
import { CameraId } from './schemas.js';
import { UnitId } from './units-schema.js';

const DisplayId = z.string().min(1).max(64);

/** One display's follow as the host runs it. */
export const FollowStatus = z.object({
  displayId: DisplayId,
  unitId: UnitId,
  /** The fixed camera on the follow tile now; null when no camera sees the unit (the tile keeps its last picture). */
  cameraId: CameraId.nullable(),
  /** The follow tile's cell, null before the first camera went on the wall. */
  cellIndex: z.number().int().min(0).nullable(),
  /** Handovers since following began. */
  handovers: z.number().int().min(0),
  /** The last wall push that failed, in words (null when the last one worked). */
  error: z.string().nullable(),
  /** Epoch ms following began. */
  since: z.number(),
});
export type FollowStatus = z.infer<typeof FollowStatus>;

/**
 * Why a follow ended by itself (nobody stopped it): the unit no longer reports (`unitGone`), the operator who started it
 * no longer exists or is disabled (`operatorGone`), or may view no camera live any more (`noRight`).
 */
export const FollowEndReason = z.enum(['unitGone', 'operatorGone', 'noRight']);
export type FollowEndReason = z.infer<typeof FollowEndReason>;

/** A display's follow that ended by itself, and why (no user names: the operator stays host-side). */
export const FollowEnd = z.object({
  displayId: DisplayId,
  unitId: UnitId,
  reason: FollowEndReason,
  /** Epoch ms it ended. */
  at: z.number(),
});
export type FollowEnd = z.infer<typeof FollowEnd>;

export const followRequests = {
  /** Follow a unit on a display (replaces that display's follow); decided at once from the unit's last position. */
  'follow.start': { params: z.object({ displayId: DisplayId, unitId: UnitId }).strict(), result: FollowStatus },
  /** Stop following on a display (nothing to stop is fine). */
  'follow.stop': { params: z.object({ displayId: DisplayId }).strict(), result: z.object({ ok: z.literal(true) }) },
  /** Every display's follow. */
  'follow.list': { params: z.object({}).strict(), result: z.array(FollowStatus) },
} as const;

export const followEvents = {
  /** Every display's follow, whenever one starts, stops, hands over or fails. */
  'follow.changed': z.array(FollowStatus),
  /** A follow ended by itself, with the reason (sent before the `follow.changed` without it); the map says why for a few seconds. */
  'follow.ended': FollowEnd,
} as const;
