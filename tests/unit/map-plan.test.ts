/** Issue 10 §1: a site plan placed on the map by 2 or 3 reference points (renderer/map/plan-geo.ts). */
import { describe, expect, it } from 'vitest';
import { planCorners, planPixelToLonLat, planTransform, toMercator, fromMercator } from '../../renderer/map/plan-geo.js';
import { distanceM, offset, type LonLat } from '../../renderer/map/geo.js';

const ORIGIN: LonLat = [76.95, 43.24];
const near = (a: LonLat, b: LonLat, metres: number) => expect(distanceM(a, b)).toBeLessThan(metres);

describe('plan placement', () => {
  it('Mercator there and back is the identity', () => {
    const p: LonLat = [76.95, 43.24];
    const [lon, lat] = fromMercator(toMercator(p));
    expect(lon).toBeCloseTo(p[0], 10);
    expect(lat).toBeCloseTo(p[1], 10);
  });

  it('2 points: a north-up plan at 0.5 m per pixel lands its reference points exactly and its corners where the scale says', () => {
    // pixel (0,0) at ORIGIN, pixel (200,0) 100 m east of it: 0.5 m per pixel, north up
    const east = offset(ORIGIN, 90, 100);
    const t = planTransform([{ px: [0, 0], lon: ORIGIN[0], lat: ORIGIN[1] }, { px: [200, 0], lon: east[0], lat: east[1] }]);
    near(planPixelToLonLat(t, [0, 0]), ORIGIN, 0.01);
    near(planPixelToLonLat(t, [200, 0]), east, 0.01);
    // image y grows downwards: 100 pixels down is 50 m south
    near(planPixelToLonLat(t, [0, 100]), offset(ORIGIN, 180, 50), 0.2);
    const [bl, tl, tr, br] = planCorners(t, 400, 300);
    near(tl, ORIGIN, 0.01);
    near(tr, offset(ORIGIN, 90, 200), 0.5);
    near(bl, offset(ORIGIN, 180, 150), 0.5);
    near(br, offset(offset(ORIGIN, 90, 200), 180, 150), 0.8);
  });

  it('2 points: a plan turned 90° (its top pointing east) is turned on the map', () => {
    // the image's x axis runs south on the ground: pixel (100,0) is 100 m south of pixel (0,0)
    const south = offset(ORIGIN, 180, 100);
    const t = planTransform([{ px: [0, 0], lon: ORIGIN[0], lat: ORIGIN[1] }, { px: [100, 0], lon: south[0], lat: south[1] }]);
    // then the image's y axis (down) runs west: a similarity keeps handedness
    near(planPixelToLonLat(t, [0, 50]), offset(ORIGIN, 270, 50), 0.3);
  });

  it('3 points: recovers a sheared, anisotropic placement that 2 points cannot express', () => {
    const p = (u: number, v: number): LonLat => offset(offset(ORIGIN, 90, u * 0.5 + v * 0.2), 180, v * 0.8); // shear + different scales
    const pts = ([[0, 0], [300, 0], [0, 200]] as const).map(([u, v]) => { const [lon, lat] = p(u, v); return { px: [u, v] as [number, number], lon, lat }; });
    const t = planTransform(pts);
    for (const [u, v] of [[150, 100], [300, 200], [37, 181]] as const) near(planPixelToLonLat(t, [u, v]), p(u, v), 0.3);
  });

  it('refuses reference points that cannot place a plan, with the reason', () => {
    const a = { px: [0, 0] as [number, number], lon: ORIGIN[0], lat: ORIGIN[1] };
    expect(() => planTransform([a, { ...a, lon: ORIGIN[0] + 0.001 }])).toThrow(/same pixel/);
    expect(() => planTransform([a, { ...a, px: [10, 0] }])).toThrow(/same place/);
    expect(() => planTransform([a, { px: [10, 10], lon: 76.951, lat: 43.241 }, { px: [20, 20], lon: 76.952, lat: 43.243 }])).toThrow(/one line in the image/);
    expect(() => planTransform([a])).toThrow(/2 or 3/);
  });
});
