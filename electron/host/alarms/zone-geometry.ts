/**
 * Where an event's object is relative to the operator's zones and lines: pure geometry in normalised picture
 * coordinates (0..1, y down). An object is in a zone when the bottom-centre of its box (where it stands) lies in
 * the polygon; it crossed a line when its track's step from the previous position to this one crosses the segment,
 * in the line's direction.
 */
import type { Box } from '../../contract/events-schema.js';
import type { Point, Zone } from '../../contract/zones-schema.js';

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

/** Twice the signed area of the triangle (a, b, p); its sign says which side of a->b p is on (see sideOf). */
function cross(a: Point, b: Point, p: Point): number {
  return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
}

/**
 * Which side of the line a->b the point is on, as seen on screen standing on A looking towards B:
 * 'left', 'right', or null when on the line. (With y pointing down, a negative cross product is on the left.)
 */
export function sideOf(a: Point, b: Point, p: Point): 'left' | 'right' | null {
  const c = cross(a, b, p);
  return c < 0 ? 'left' : c > 0 ? 'right' : null;
}

/** True when the segments p1-p2 and q1-q2 properly cross (touching at an end point does not count). */
export function segmentsCross(p1: Point, p2: Point, q1: Point, q2: Point): boolean {
  const d1 = cross(q1, q2, p1), d2 = cross(q1, q2, p2), d3 = cross(p1, p2, q1), d4 = cross(p1, p2, q2);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
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

/** Two non-adjacent edges of the polygon cross: the operator drew a bow-tie, which has no clear inside. */
export function selfIntersects(poly: readonly Point[]): boolean {
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
export function polygonArea2(poly: readonly Point[]): number {
  let s = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) s += (poly[j]!.x * poly[i]!.y) - (poly[i]!.x * poly[j]!.y);
  return Math.abs(s);
}

/** A reason the zone cannot be used, or null. Checks what the schema cannot: shape. */
export function zoneProblem(z: Zone): string | null {
  if (z.kind === 'line') {
    const [a, b] = z.points;
    if (!a || !b || Math.hypot(a.x - b.x, a.y - b.y) < 0.005) return `line "${z.name}": its two points are (almost) the same`;
    return null;
  }
  if (selfIntersects(z.points)) return `zone "${z.name}": its edges cross each other (draw the outline without crossing)`;
  if (polygonArea2(z.points) < 1e-5) return `zone "${z.name}": its points enclose no area`;
  return null;
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
