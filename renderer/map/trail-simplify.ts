/**
 * Unit trails drawn with the points the eye can tell apart. Without a GPU the trail's line segments were most of what
 * a unit report cost to draw: SwiftShader runs deck.gl's line vertex shader for every segment, and 50 units with a
 * 5-minute trail are ~5,000 segments (a point every 3 s), although along a smooth road most points lie within a pixel
 * of the line through their neighbours. Douglas-Peucker in screen pixels at the zoom drawn keeps a subset of the
 * reported points (never a point that was not reported; the first and the newest always) such that the drawn line is
 * within TRAIL_TOLERANCE_PX of the full trail; a turn, a stop or a U-turn keeps its points. Pure.
 */

/** How far (CSS pixels at the zoom drawn) the simplified trail may lie from the full one: less than its 2 px width. */
export const TRAIL_TOLERANCE_PX = 0.5;

/** Web Mercator pixel position at `zoom` (deck.gl's convention: the world is 512 * 2^zoom pixels wide). */
function toPx(lon: number, lat: number, scale: number): [number, number] {
  const phi = (Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180;
  return [((lon + 180) / 360) * scale, ((1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2) * scale];
}

/** Distance from p to the segment a-b (not the line: a trail may turn back on itself). */
function segmentDistance(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/**
 * The points of a trail ([lon, lat, ...] each, oldest first) to draw at `zoom`: a subset in the same order, the first
 * and last always kept, every left-out point within `tolerancePx` of the kept line.
 */
export function simplifyTrack<T extends readonly number[]>(points: readonly T[], zoom: number, tolerancePx = TRAIL_TOLERANCE_PX): T[] {
  if (points.length <= 2) return [...points];
  const scale = 512 * 2 ** zoom;
  const px = points.map((p) => toPx(p[0]!, p[1]!, scale));
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, points.length - 1]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    let worst = -1, at = -1;
    for (let i = from + 1; i < to; i++) {
      const d = segmentDistance(px[i]!, px[from]!, px[to]!);
      if (d > worst) { worst = d; at = i; }
    }
    if (at >= 0 && worst > tolerancePx) {
      keep[at] = 1;
      stack.push([from, at], [at, to]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}
