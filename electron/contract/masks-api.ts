/** Privacy masks' part of the contract (issue 12 §3; masks-schema.ts). Merged into api.ts. */
import { z } from 'zod';
import { Operator } from './alarms-schema.js';
import { CameraMasks, LiftReason, MAX_LIFT_MINUTES } from './masks-schema.js';
import { CameraId } from './schemas.js';

export const maskRequests = {
  /** Masks of the given cameras (every camera that has some when none is given), with the lift in force. */
  'masks.list': { params: z.object({ cameraIds: z.array(CameraId).max(1000).optional() }), result: z.array(CameraMasks) },
  /** Replaces one camera's masks (validated: names unique, points in the picture, edges not crossing); audited. */
  'masks.save': { params: z.object({ cameraId: CameraId, masks: z.array(z.unknown()).max(100), operator: Operator }), result: CameraMasks },
  /** Lifts the camera's liftable masks for `minutes` with a written reason (needs liftMasks); audited; they come back by themselves. */
  'masks.lift': {
    params: z.object({ cameraId: CameraId, minutes: z.number().int().min(1).max(MAX_LIFT_MINUTES), reason: LiftReason, operator: Operator }),
    result: CameraMasks,
  },
  /** Ends a lift early (the masks come back now); audited. */
  'masks.restore': { params: z.object({ cameraId: CameraId, operator: Operator }), result: CameraMasks },
} as const;

export const maskEvents = {
  /** One camera's masks or lift changed (also when a lift ends by itself). */
  'masks.changed': CameraMasks,
} as const;
