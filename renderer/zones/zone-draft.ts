/**
 * The zone editor's data: the camera's zones and lines being edited (shape-draft.ts, shared with the mask editor), which
 * tool makes which shape, and the checks run before saving (the host checks again). Pure: no React, no DOM.
 */
import { CameraZones, type Point, type Zone } from '../../electron/contract/zones-schema.js';
import { t } from '../i18n/i18n.js';
import {
  addShapePoint, emptyShapeDraft, finishShape, firstProblem, moveShapePoint, nextName as nextShapeName, removeShape, updateShape,
  type ShapeDraft, type ShapeTools,
} from './shape-draft.js';

export type Tool = 'select' | Zone['kind'];
export type ZoneDraft = ShapeDraft<Zone, Zone['kind']>;

export const emptyDraft = (zones: readonly Zone[]): ZoneDraft => emptyShapeDraft(zones);

/** "Zone 1", "Zone 2" ...: the first name of the kind not used on this camera. */
export function nextName(zones: readonly Zone[], kind: Zone['kind']): string {
  return nextShapeName(zones, kind === 'zone' ? t('zones.zone') : t('zones.line'));
}

/** A zone is a polygon of 3 or more corners; a line (tripwire) is 2 clicks. */
export const ZONE_TOOLS: ShapeTools<Zone, Zone['kind']> = {
  points: (tool) => (tool === 'line' ? { min: 2, exact: true } : { min: 3, exact: false }),
  make: (tool, points, zones) => (tool === 'zone'
    ? { kind: 'zone', name: nextName(zones, 'zone'), points }
    : { kind: 'line', name: nextName(zones, 'line'), points, direction: 'both' }),
};

/** A click of the drawing tool: adds a point; finishes a line at 2 points, a zone when `close` (and it has 3). */
export const addPoint = (d: ZoneDraft, p: Point, close = false): ZoneDraft => addShapePoint(d, p, ZONE_TOOLS, close);
/** Ends the shape being drawn; a zone with fewer than 3 points (or a line without 2) is dropped. */
export const finish = (d: ZoneDraft): ZoneDraft => finishShape(d, ZONE_TOOLS);
export const movePoint = (d: ZoneDraft, zone: number, point: number, p: Point): ZoneDraft => moveShapePoint(d, zone, point, p);
export const removeZone = (d: ZoneDraft, index: number): ZoneDraft => removeShape(d, index);

export function updateZone(d: ZoneDraft, index: number, change: Partial<Pick<Zone, 'name'>> & { direction?: 'both' | 'left' | 'right' }): ZoneDraft {
  return updateShape(d, index, (z) => (z.kind === 'line' ? { ...z, ...change } : { ...z, ...(change.name !== undefined ? { name: change.name } : {}) }));
}

/** What is wrong with the zones as a person would say it (the first problem), or null. */
export function draftProblem(cameraId: string, zones: readonly Zone[]): string | null {
  const r = CameraZones.safeParse({ cameraId, zones });
  return firstProblem(zones, r.success ? null : r.error.issues, (z, n) => `${z.kind === 'zone' ? t('zones.zone') : t('zones.line')} ${n}`);
}
