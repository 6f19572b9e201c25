/**
 * Unit trails drawn with the points the zoom can tell apart (renderer/map/trail-simplify.ts): only reported points,
 * the first and the newest always, every left-out point within half a pixel of the drawn line; a turn keeps its corner.
 */
import { describe, expect, it } from 'vitest';
import { WebMercatorViewport } from '@deck.gl/core';
import { simplifyTrack, TRAIL_TOLERANCE_PX } from '../../renderer/map/trail-simplify.js';
import { trailSegments } from '../../renderer/map/layers.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';

const START: LonLat = [76.93, 43.24];
type Pt = [number, number, number];
const pt = (p: LonLat, ts: number): Pt => [p[0], p[1], ts];

/** Largest distance (px at `zoom`) of a full trail's points from the simplified polyline. */
function worstPx(full: Pt[], kept: Pt[], zoom: number): number {
  const vp = new WebMercatorViewport({ longitude: START[0], latitude: START[1], zoom, width: 4000, height: 4000 });
  const px = (p: Pt) => vp.project([p[0], p[1]]) as [number, number];
  const seg = (p: [number, number], a: [number, number], b: [number, number]) => {
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy || 1)));
    return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
  };
  let worst = 0;
  for (const p of full) {
    let best = Infinity;
    for (let i = 1; i < kept.length; i++) best = Math.min(best, seg(px(p), px(kept[i - 1]!), px(kept[i]!)));
    worst = Math.max(worst, best);
  }
  return worst;
}

describe('trails with the points the zoom can tell apart', () => {
  it('drops the points of a straight drive, keeps the corner of a turn, the first and the newest', () => {
    // 40 reports east along a street (15 m apart), then 40 north: an L
    const east = Array.from({ length: 40 }, (_, i) => pt(offset(START, 90, 15 * i), 1000 + i));
    const corner = offset(START, 90, 15 * 39);
    const north = Array.from({ length: 40 }, (_, i) => pt(offset(corner, 0, 15 * (i + 1)), 2000 + i));
    const full = [...east, ...north];
    const kept = simplifyTrack(full, 16);
    expect(kept[0]).toBe(full[0]);
    expect(kept.at(-1)).toBe(full.at(-1));
    expect(kept).toContain(east.at(-1)); // the corner
    expect(kept.length).toBeLessThanOrEqual(6);
    // only reported points, in their order
    let last = -1;
    for (const p of kept) { const i = full.indexOf(p); expect(i).toBeGreaterThan(last); last = i; }
    expect(worstPx(full, kept, 16)).toBeLessThanOrEqual(TRAIL_TOLERANCE_PX + 1e-6);
  });

  it('keeps within half a pixel of a curved trail, and keeps more points the closer the zoom', () => {
    // a circle of 600 m radius, a report every 3 s at 10 m/s
    const full = Array.from({ length: 100 }, (_, i) => pt(offset(START, (i * 30 / 600) * (180 / Math.PI), 600), 1000 + 3000 * i));
    const counts = [13, 15, 17].map((z) => {
      const kept = simplifyTrack(full, z);
      expect(worstPx(full, kept, z)).toBeLessThanOrEqual(TRAIL_TOLERANCE_PX + 1e-6);
      return kept.length;
    });
    expect(counts[0]!).toBeLessThan(counts[1]!);
    expect(counts[1]!).toBeLessThan(counts[2]!);
    expect(counts[2]!).toBeLessThanOrEqual(100);
  });

  it('keeps a U-turn (a trail that comes back on itself) and short trails as they are', () => {
    const out = Array.from({ length: 10 }, (_, i) => pt(offset(START, 90, 20 * i), i));
    const back = Array.from({ length: 10 }, (_, i) => pt(offset(START, 90, 20 * (8 - i)), 10 + i));
    const kept = simplifyTrack([...out, ...back], 17);
    expect(kept).toContain(out.at(-1)); // the far end of the U-turn
    expect(simplifyTrack([out[0]!, out[1]!], 17)).toEqual([out[0], out[1]]);
    expect(simplifyTrack([], 17)).toEqual([]);
  });

  it('draws the simplified trail as segments between kept points, every point without a zoom', () => {
    const track = Array.from({ length: 30 }, (_, i) => pt(offset(START, 90, 15 * i), i));
    const u = { id: 'u', kind: 'robot', lat: START[1], lon: START[0], ts: 30, stale: false, track } as MapUnit;
    const colour = () => [1, 2, 3, 255] as [number, number, number, number];
    expect(trailSegments([u], colour)).toHaveLength(29);
    const few = trailSegments([u], colour, 16);
    expect(few).toHaveLength(1);
    expect(few[0]!.from).toEqual([track[0]![0], track[0]![1]]);
    expect(few[0]!.to).toEqual([track[29]![0], track[29]![1]]);
  });
});
