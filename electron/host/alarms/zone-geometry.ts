/**
 * Where an event's object is relative to the operator's zones and lines: pure geometry in normalised picture
 * coordinates (0..1, y down). An object is in a zone when the bottom-centre of its box (where it stands) lies in
 * the polygon; it crossed a line when its track's step from the previous position to this one crosses the segment,
 * in the line's direction.
 */
import type { Box } from '../../contract/events-schema.js';
import { cross, polygonProblem, polygonProblemText, segmentsCross } from '../../contract/polygon.js';
import type { Point, Zone } from '../../contract/zones-schema.js';

// The polygon checks are the contract's (one definition with privacy masks); re-exported for the zone code's users.
export { polygonArea2, segmentsCross, selfIntersects } from '../../contract/polygon.js';

/** Where an object stands: the bottom-centre of its box. */
export function footOf(b: Pick<Box, 'x' | 'y' | 'w' | 'h'>): Point {
  return { x: b.x + b.w / 2, y: b.y + b.h };
}

/** Even-odd ray casting; a point on an edge may count either way (a box is never exactly there for long). */
export function pointInPolygon(p: Point, poly: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!, b = poly[j]!;
    if ((a.y > p.y) !== (b.y > p.y) && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * Which side of the line a->b the point is on, as seen on screen standing on A looking towards B:
 * 'left', 'right', or null when on the line. (With y pointing down, a negative cross product is on the left.)
 */
export function sideOf(a: Point, b: Point, p: Point): 'left' | 'right' | null {
  const c = cross(a, b, p);
  return c < 0 ? 'left' : c > 0 ? 'right' : null;
}

/**
 * The side a move from `from` to `to` crossed the line into, or null when it did not cross it.
 * A move that ends exactly on the line has not crossed yet.
 */
export function crossing(line: readonly [Point, Point] | readonly Point[], from: Point, to: Point): 'left' | 'right' | null {
  const a = line[0], b = line[1];
  if (!a || !b || !segmentsCross(from, to, a, b)) return null;
  return sideOf(a, b, to);
}

/** Why the zone cannot be used (the host's sentence and the console's reason), or null. Checks what the schema cannot: shape. */
export function zoneShapeProblem(z: Zone): ReturnType<typeof polygonProblemText> | null {
  if (z.kind === 'line') {
    const [a, b] = z.points;
    if (!a || !b || Math.hypot(a.x - b.x, a.y - b.y) < 0.005) {
      return { message: `line "${z.name}": its two points are (almost) the same`, reason: { code: 'lineTooShort', params: { name: z.name } } };
    }
    return null;
  }
  const problem = polygonProblem(z.points);
  return problem ? polygonProblemText('zone', z.name, problem) : null;
}

/** A reason the zone cannot be used, in words, or null. */
export function zoneProblem(z: Zone): string | null {
  return zoneShapeProblem(z)?.message ?? null;
}

/**
 * Names of the zones and lines an observation hits: zones containing the foot of any box, lines the track's move
 * from `previous` (the track's last foot, if known) to this foot crossed in their direction.
 */
export function zonesHit(zones: readonly Zone[], boxes: readonly Box[], previous: Point | null): string[] {
  if (!boxes.length || !zones.length) return [];
  const feet = boxes.map(footOf);
  const out: string[] = [];
  for (const z of zones) {
    if (z.kind === 'zone') {
      if (feet.some((f) => pointInPolygon(f, z.points))) out.push(z.name);
    } else if (previous) {
      const side = crossing(z.points, previous, feet[0]!);
      if (side && (z.direction === 'both' || z.direction === side)) out.push(z.name);
    }
  }
  return out;
}
