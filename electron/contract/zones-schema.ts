/**
 * Zones (polygons) and tripwires (lines) the operator draws on a camera's picture (issue 3 §2), and the overlay
 * layers of the wall. Coordinates are normalised like event boxes: 0..1 from the picture's top-left corner.
 * Pure module: no Node, no DOM.
 */
import { z } from 'zod';
import { REASON_TEXTS, reasonParams } from './api-errors.js';
import { savedName } from './names.js';
import { PicturePoint, polygonPoints } from './polygon.js';
import { CameraId } from './schemas.js';

/** A point on the picture: the one definition shared with privacy masks (polygon.ts). */
export const Point = PicturePoint;
export type Point = PicturePoint;

export const MAX_ZONES_PER_CAMERA = 32;
export const MAX_ZONE_POINTS = 32;

/**
 * Which crossings of a line count, seen standing on point A looking towards point B: into the `left` side,
 * into the `right` side, or `both`.
 */
export const LineDirection = z.enum(['both', 'left', 'right']);
export type LineDirection = z.infer<typeof LineDirection>;

const ZoneName = savedName('zone name', 64, REASON_TEXTS.nameMissing[1]);

export const Zone = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('zone'), name: ZoneName, points: polygonPoints('zone', MAX_ZONE_POINTS) }),
  z.object({ kind: z.literal('line'), name: ZoneName, points: z.array(Point).length(2, 'a line has exactly 2 points'), direction: LineDirection.default('both') }),
]);
export type Zone = z.infer<typeof Zone>;
export type ZoneInput = z.input<typeof Zone>;

/** A camera's zones and lines; names are unique per camera (rules pick them by name). */
export const CameraZones = z.object({
  cameraId: CameraId,
  zones: z.array(Zone).max(MAX_ZONES_PER_CAMERA, `at most ${MAX_ZONES_PER_CAMERA} zones and lines per camera`)
    .superRefine((zones, ctx) => {
      const seen = new Set<string>();
      zones.forEach((zn, i) => {
        const key = zn.name.toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the name "${zn.name}" is used twice on this camera`, params: reasonParams('nameTwice', { name: zn.name }) });
        seen.add(key);
      });
    }),
});
export type CameraZones = z.infer<typeof CameraZones>;

export { OverlayLayers, LayerOverride, LAYER_NAMES, DEFAULT_LAYERS, layersOf, type LayerName } from './schemas.js';
