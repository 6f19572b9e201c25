/**
 * Privacy masks (issue 12 §3): polygons on a camera's picture that hide what the centre must not see. Coordinates are
 * normalised like zones (0..1 from the picture's top-left corner). Two kinds:
 * - `liftable`: drawn opaque over the picture on every console; a user with `liftMasks` lifts them for a while with a
 *   written reason (audited), and they come back by themselves;
 * - `permanent`: never lifted from the console (see docs/masks.md for where they are applied).
 * Pure module: no Node, no DOM.
 */
import { z } from 'zod';
import { REASON_TEXTS, reasonParams } from './api-errors.js';
import { savedName } from './names.js';
import { PicturePoint, polygonPoints } from './polygon.js';
import { CameraId } from './schemas.js';

export const MAX_MASKS_PER_CAMERA = 16;
export const MAX_MASK_POINTS = 32;
/** A lift lasts 1..15 minutes. */
export const MAX_LIFT_MINUTES = 15;

/** A corner of a mask: the one definition of a point on the picture (polygon.ts), shared with zones. */
export const MaskPoint = PicturePoint;
export type MaskPoint = PicturePoint;

export const MaskKind = z.enum(['liftable', 'permanent'], { message: REASON_TEXTS.maskKind });
export type MaskKind = z.infer<typeof MaskKind>;

export const Mask = z.object({
  name: savedName('mask name', 64, REASON_TEXTS.nameMissing[0]),
  kind: MaskKind,
  points: polygonPoints('mask', MAX_MASK_POINTS),
});
export type Mask = z.infer<typeof Mask>;

/** A lift in force: who lifted the camera's liftable masks, why, and until when (ms since the epoch). */
export const MaskLift = z.object({ by: z.string(), reason: z.string(), until: z.number() });
export type MaskLift = z.infer<typeof MaskLift>;

/** A camera's masks (names unique per camera) and the lift in force, if any. */
export const CameraMasks = z.object({
  cameraId: CameraId,
  masks: z.array(Mask).max(MAX_MASKS_PER_CAMERA, `at most ${MAX_MASKS_PER_CAMERA} masks per camera`)
    .superRefine((masks, ctx) => {
      const seen = new Set<string>();
      masks.forEach((m, i) => {
        const key = m.name.toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the name "${m.name}" is used twice on this camera`, params: reasonParams('nameTwice', { name: m.name }) });
        seen.add(key);
      });
    }),
  lift: MaskLift.nullable(),
});
export type CameraMasks = z.infer<typeof CameraMasks>;

/** The written reason of a lift: a sentence, not a click-through. */
export const LiftReason = z.string().trim().min(5, REASON_TEXTS.liftReason).max(500, 'the reason has at most 500 characters');
