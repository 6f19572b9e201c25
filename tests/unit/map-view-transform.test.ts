import { describe, expect, it } from 'vitest';
import { WebMercatorViewport } from '@deck.gl/core';
import { applyTransform, cssTransform, pictureTransform, sameView, STAND_IN_MAX_ZOOM_CHANGE, type SizedView } from '../../renderer/map/view-transform.js';

const BASE: SizedView = { longitude: 76.93, latitude: 43.24, zoom: 14, bearing: 0, pitch: 0, width: 1920, height: 1080 };
const px = (v: SizedView, p: [number, number]) => new WebMercatorViewport({ ...v, bearing: v.bearing ?? 0, pitch: v.pitch ?? 0 }).project(p) as [number, number];

/** Points spread over (and beyond) the old view: where the moved old picture shows them vs. the new view's projection. */
function worstError(old: SizedView, now: SizedView): number {
  const t = pictureTransform(old, now);
  if (!t) throw new Error('no transform');
  const vp = new WebMercatorViewport({ ...old, bearing: old.bearing ?? 0, pitch: 0 });
  let worst = 0;
  for (let i = 0; i <= 10; i++) {
    for (let j = 0; j <= 10; j++) {
      const at: [number, number] = [(old.width * (i - 1)) / 8, (old.height * (j - 1)) / 8];
      const lonLat = vp.unproject(at) as [number, number];
      const shown = applyTransform(t, px(old, lonLat));
      const truth = px(now, lonLat);
      worst = Math.max(worst, Math.hypot(shown[0] - truth[0], shown[1] - truth[1]));
    }
  }
  return worst;
}

describe('the moved picture that stands in for a draw (view-transform.ts)', () => {
  it('a pan is a translation by the pixels the map moved', () => {
    const now = { ...BASE, ...lonLatAt(BASE, [960 - 120, 540 + 45]) };
    const t = pictureTransform(BASE, now)!;
    expect(t.scale).toBe(1);
    expect(t.x).toBeCloseTo(120, 1);
    expect(t.y).toBeCloseTo(-45, 1);
    expect(worstError(BASE, now)).toBeLessThan(0.5);
  });

  it('a zoom about the cursor keeps the point under the cursor still and scales the rest about it', () => {
    // deck's scroll zoom: the point under the cursor stays under it
    const cursor: [number, number] = [1500, 300];
    const under = new WebMercatorViewport({ ...BASE }).unproject(cursor) as [number, number];
    for (const dz of [0.55, -0.55, 1.3, -2]) {
      const zoomed = new WebMercatorViewport({ ...BASE, zoom: BASE.zoom + dz });
      const { longitude, latitude } = zoomed.panByPosition(under, cursor) as { longitude: number; latitude: number };
      const now = { ...BASE, zoom: BASE.zoom + dz, longitude, latitude };
      const t = pictureTransform(BASE, now)!;
      expect(t.scale).toBeCloseTo(2 ** dz, 9);
      const still = applyTransform(t, cursor);
      expect(Math.hypot(still[0] - cursor[0], still[1] - cursor[1])).toBeLessThan(0.5);
      expect(worstError(BASE, now)).toBeLessThan(0.5);
    }
  });

  it('pans and zooms together, at any bearing the two views share', () => {
    for (const bearing of [0, 33, -120]) {
      const old = { ...BASE, bearing };
      const now = { ...old, longitude: old.longitude + 0.011, latitude: old.latitude - 0.004, zoom: old.zoom + 0.8 };
      expect(worstError(old, now)).toBeLessThan(0.5);
    }
  });

  it('would be wrong without it: the old picture left in place misplaces points by the pan', () => {
    const now = { ...BASE, longitude: BASE.longitude + 0.005 };
    const lonLat: [number, number] = [76.94, 43.245];
    const off = Math.hypot(px(BASE, lonLat)[0] - px(now, lonLat)[0], px(BASE, lonLat)[1] - px(now, lonLat)[1]);
    expect(off).toBeGreaterThan(100);
  });

  it('refuses what a move and scale cannot show: rotation, tilt, another size, too big a zoom change', () => {
    expect(pictureTransform(BASE, { ...BASE, bearing: 10 })).toBeNull();
    expect(pictureTransform(BASE, { ...BASE, pitch: 30 })).toBeNull();
    expect(pictureTransform({ ...BASE, pitch: 30 }, { ...BASE, pitch: 30 })).toBeNull();
    expect(pictureTransform(BASE, { ...BASE, width: 1280 })).toBeNull();
    expect(pictureTransform(BASE, { ...BASE, zoom: BASE.zoom + STAND_IN_MAX_ZOOM_CHANGE + 0.1 })).toBeNull();
    expect(pictureTransform(BASE, { ...BASE, zoom: BASE.zoom - STAND_IN_MAX_ZOOM_CHANGE - 0.1 })).toBeNull();
    expect(pictureTransform(BASE, { ...BASE, bearing: 360 })).not.toBeNull(); // the same bearing
  });

  it('writes the CSS: none for the same view, translate then scale otherwise', () => {
    expect(cssTransform(pictureTransform(BASE, BASE))).toBe('');
    expect(cssTransform({ scale: 2, x: -960, y: -540 })).toBe('translate(-960px, -540px) scale(2)');
    expect(sameView(BASE, { ...BASE })).toBe(true);
    expect(sameView(BASE, { ...BASE, zoom: 14.001 })).toBe(false);
  });
});

function lonLatAt(v: SizedView, p: [number, number]): { longitude: number; latitude: number } {
  const [longitude, latitude] = new WebMercatorViewport({ ...v, bearing: 0, pitch: 0 }).unproject(p) as [number, number];
  return { longitude, latitude };
}
