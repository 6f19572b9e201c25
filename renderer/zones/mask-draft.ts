/**
 * The privacy-mask editor's data (issue 12 §3): the camera's masks being edited (shape-draft.ts, shared with zones),
 * drawn as polygons with the kind chosen by the tool (liftable or permanent), and the checks run before saving. The
 * shape checks (edges that cross, no area) are the host's (electron/contract/polygon.ts): its refusal is shown,
 * translated. Pure: no React, no DOM.
 */
import { CameraMasks, type Mask, type MaskKind } from '../../electron/contract/masks-schema.js';
import type { PicturePoint as Point } from '../../electron/contract/polygon.js';
import { t } from '../i18n/i18n.js';
import {
  addShapePoint, emptyShapeDraft, finishShape, firstProblem, moveShapePoint, nextName, removeShape, updateShape,
  type ShapeDraft, type ShapeTools,
} from './shape-draft.js';

export type MaskDraft = ShapeDraft<Mask, MaskKind>;

export const emptyMaskDraft = (masks: readonly Mask[]): MaskDraft => emptyShapeDraft(masks);

/** Every mask is a polygon of 3 or more corners, of the kind of the tool that drew it. */
export const MASK_TOOLS: ShapeTools<Mask, MaskKind> = {
  points: () => ({ min: 3, exact: false }),
  make: (kind, points, masks) => ({ kind, name: nextName(masks, t('masksEditor.mask')), points }),
};

export const addMaskPoint = (d: MaskDraft, p: Point, close = false): MaskDraft => addShapePoint(d, p, MASK_TOOLS, close);
export const finishMask = (d: MaskDraft): MaskDraft => finishShape(d, MASK_TOOLS);
export const moveMaskPoint = (d: MaskDraft, mask: number, point: number, p: Point): MaskDraft => moveShapePoint(d, mask, point, p);
export const removeMask = (d: MaskDraft, index: number): MaskDraft => removeShape(d, index);
export const updateMask = (d: MaskDraft, index: number, change: Partial<Pick<Mask, 'name' | 'kind'>>): MaskDraft => updateShape(d, index, (m) => ({ ...m, ...change }));

/** What the schema finds wrong with the masks (a missing or twice-used name), as a person would say it, or null. */
export function maskDraftProblem(cameraId: string, masks: readonly Mask[]): string | null {
  const r = CameraMasks.safeParse({ cameraId, masks, lift: null });
  return firstProblem(masks, r.success ? null : r.error.issues, (_m, n) => t('masksEditor.maskN', { n }));
}
