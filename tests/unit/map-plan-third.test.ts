/**
 * Issue 10 §1: a third reference point added to a plan placed by two (renderer/map/plan-geo.ts `thirdPoint`), and
 * the checks the map and the host share for three points (electron/contract/plan-points.ts).
 */
import { describe, expect, it } from 'vitest';
import { planCorners, planPixelToLonLat, planTransform, thirdPoint } from '../../renderer/map/plan-geo.js';
import { planPointsProblem } from '../../electron/contract/plan-points.js';
import { distanceM, offset, type LonLat } from '../../renderer/map/geo.js';
import type { PlanPoint } from '../../electron/contract/map-api.js';

const TL: LonLat = [77.0, 43.2];
const at = (px: [number, number], ll: LonLat): PlanPoint => ({ px, lon: ll[0], lat: ll[1] });
// a 64x64 plan 200 m wide, north up, pinned by its top edge
const TWO = [at([0, 0], TL), at([64, 0], offset(TL, 90, 200))];

describe('a third reference point', () => {
  it('goes on the image corner farthest off the first two, where their placement puts it: the plan does not move', () => {
    const third = thirdPoint(TWO, 64, 64);
    expect(third.px).toEqual([0, 64]); // the top edge pins the plan: a bottom corner, the first found
    // 64 px down at 200/64 m a pixel: 200 m south of the top-left corner
    expect(distanceM([third.lon, third.lat], offset(TL, 180, 200))).toBeLessThan(0.05);
    const three = [...TWO, third];
    expect(planPointsProblem(three, 64, 64)).toBeNull();
    // the affine through the three points is the two points' placement: every corner within a few centimetres
    const before = planCorners(planTransform(TWO), 64, 64), after = planCorners(planTransform(three), 64, 64);
    for (let i = 0; i < 4; i++) expect(distanceM(before[i]!, after[i]!)).toBeLessThan(0.05);
  });

  it('is never on the line of the other two in the image, whichever pixels they pin', () => {
    const cases: Array<[[number, number], [number, number], [number, number]]> = [
      [[0, 32], [128, 32], [0, 64]], // a plan added from the map: its middle row
      [[0, 0], [128, 64], [0, 64]], // the diagonal: a corner of the other diagonal
      [[10, 0], [10, 64], [128, 64]], // a column near the left edge: a right-hand corner
    ];
    for (const [a, b, want] of cases) {
      const p = thirdPoint([at(a, TL), at(b, offset(TL, 60, 150))], 128, 64);
      expect(p.px).toEqual(want);
      expect(planPointsProblem([at(a, TL), at(b, offset(TL, 60, 150)), p], 128, 64)).toBeNull();
    }
  });

  it('dragged, it skews the plan: the three pixels land on their three places exactly', () => {
    const third = thirdPoint(TWO, 64, 64);
    const moved = offset([third.lon, third.lat], 90, 60); // the bottom-left corner dragged 60 m east
    const t = planTransform([...TWO, at(third.px, moved)]);
    expect(distanceM(planPixelToLonLat(t, [0, 0]), TL)).toBeLessThan(0.01);
    expect(distanceM(planPixelToLonLat(t, [64, 0]), offset(TL, 90, 200))).toBeLessThan(0.01);
    expect(distanceM(planPixelToLonLat(t, [0, 64]), moved)).toBeLessThan(0.01);
    // the bottom-right corner follows the shear: 60 m east of where the square placement had it
    expect(distanceM(planPixelToLonLat(t, [64, 64]), offset(offset(offset(TL, 90, 200), 180, 200), 90, 60))).toBeLessThan(0.5);
  });

  it('three points on one line or two on one place are refused with the reason', () => {
    const third = thirdPoint(TWO, 64, 64);
    // dragged onto the line of the other two (on the map): on one line
    const onLine = offset(TL, 90, 100);
    expect(planPointsProblem([...TWO, at(third.px, onLine)], 64, 64)).toEqual({ code: 'planOnLine', params: {} });
    // dragged onto point 1: one place
    expect(planPointsProblem([...TWO, at(third.px, TL)], 64, 64)).toEqual({ code: 'planSamePlace', params: {} });
    // pixels on one line in the image (whatever the map says)
    expect(planPointsProblem([...TWO, at([32, 0], offset(TL, 180, 100))], 64, 64)).toEqual({ code: 'planOnLine', params: {} });
    expect(() => thirdPoint([...TWO, third], 64, 64)).toThrow(/2 reference points/);
  });
});
