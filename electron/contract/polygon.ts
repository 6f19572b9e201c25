/**
 * Polygons drawn on a camera's picture (zones, privacy masks): one definition of a point, of a polygon's points and of
 * the shape checks the schema cannot make (edges that cross, no area), shared by the host's validation and the
 * console's editor. Normalised picture coordinates: 0..1 from the top-left corner, y down. Pure module: no Node, no DOM.
 */
import { z } from 'zod';
import { REASON_TEXTS, reasonParams } from './api-errors.js';

const OUTSIDE = REASON_TEXTS.pointOutside;
const NUMBERS = 'a point needs numbers x and y';

/** A point on the picture: x and y from 0 to 1. */
export const PicturePoint = z.object({
  x: z.number({ message: NUMBERS }).min(0, OUTSIDE).max(1, OUTSIDE),
  y: z.number({ message: NUMBERS }).min(0, OUTSIDE).max(1, OUTSIDE),
});
export type PicturePoint = z.infer<typeof PicturePoint>;

/** The corners of a polygon ("a zone needs at least 3 points"): 3..max points on the picture. */
export function polygonPoints(what: string, max: number) {
  return z.array(PicturePoint).min(3, `a ${what} needs at least 3 points`).max(max, `a ${what} has at most ${max} points`);
}

/** Twice the signed area of the triangle (a, b, p); its sign says which side of a->b p is on. */
export function cross(a: PicturePoint, b: PicturePoint, p: PicturePoint): number {
  return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
}

/** True when the segments p1-p2 and q1-q2 properly cross (touching at an end point does not count). */
export function segmentsCross(p1: PicturePoint, p2: PicturePoint, q1: PicturePoint, q2: PicturePoint): boolean {
  const d1 = cross(q1, q2, p1), d2 = cross(q1, q2, p2), d3 = cross(p1, p2, q1), d4 = cross(p1, p2, q2);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Two non-adjacent edges of the polygon cross: the operator drew a bow-tie, which has no clear inside. */
export function selfIntersects(poly: readonly PicturePoint[]): boolean {
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue; // neighbours share a corner
      if (segmentsCross(poly[i]!, poly[(i + 1) % n]!, poly[j]!, poly[(j + 1) % n]!)) return true;
    }
  }
  return false;
}

/** Twice the polygon's area (absolute); near zero means all points on one line. */
export function polygonArea2(poly: readonly PicturePoint[]): number {
  let s = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) s += (poly[j]!.x * poly[i]!.y) - (poly[i]!.x * poly[j]!.y);
  return Math.abs(s);
}

/** Why a polygon that passed its schema cannot be used (`edgesCross`, `noArea`), or null. */
export function polygonProblem(poly: readonly PicturePoint[]): 'edgesCross' | 'noArea' | null {
  if (selfIntersects(poly)) return 'edgesCross';
  if (polygonArea2(poly) < 1e-5) return 'noArea';
  return null;
}

/** The host's English sentence for a polygon problem of a named shape ("mask", "zone"), with its reason for the console. */
export function polygonProblemText(what: string, name: string, problem: 'edgesCross' | 'noArea'): { message: string; reason: ReturnType<typeof reasonParams>['reason'] } {
  const message = problem === 'edgesCross'
    ? `${what} "${name}": its edges cross each other (draw the outline without crossing)`
    : `${what} "${name}": its points enclose no area`;
  return { message, reason: reasonParams(problem, { name }).reason };
}
