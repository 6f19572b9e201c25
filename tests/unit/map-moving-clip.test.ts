/**
 * The moving canvas is composited only around what it draws (renderer/map/moving-clip.ts, map-decks.ts): every point
 * the unit and alarm layers draw at lies inside the clip with its margin, at any bearing and pitch, and the clip is
 * much smaller than the canvas when the units are together.
 */
import { describe, expect, it } from 'vitest';
import { WebMercatorViewport } from '@deck.gl/core';
import { clipPath, geoBox, MOVING_MARGIN_PX, screenBox } from '../../renderer/map/moving-clip.js';
import { HEADING_LINE_M, movingPoints } from '../../renderer/map/layers.js';
import { pulseRadiusPx, type MapAlarm } from '../../renderer/map/alarm-geo.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';

const W = 1920, H = 1080;
const CENTRE: LonLat = [76.935, 43.245];

function unit(i: number, at: LonLat, extra: Partial<MapUnit> = {}): MapUnit {
  const track = Array.from({ length: 20 }, (_, k) => { const p = offset(at, 180 + i * 7, 15 * (20 - k)); return [p[0], p[1], 1_000 + k] as [number, number, number]; });
  return { id: `u-${i}`, kind: 'robot', lat: at[1], lon: at[0], heading: (i * 47) % 360, ts: 2_000, stale: false, track, ...extra };
}

const units: MapUnit[] = Array.from({ length: 12 }, (_, i) => unit(i, offset(CENTRE, i * 30, 300 + 40 * i)));
units.push(unit(99, offset(CENTRE, 200, 500), { footprint: [offset(CENTRE, 190, 700), offset(CENTRE, 210, 700), offset(CENTRE, 215, 900), offset(CENTRE, 185, 900)], frameCenter: offset(CENTRE, 200, 800) }));
const alarms: MapAlarm[] = [
  { id: 'a1', cameraId: 'c', position: offset(CENTRE, 45, 650), priority: 1, type: 'motion' as MapAlarm['type'], createdAt: 0, open: true },
  { id: 'a2', cameraId: 'c', position: offset(CENTRE, 90, 5000), priority: 1, type: 'motion' as MapAlarm['type'], createdAt: 0, open: false }, // not drawn
];

/** The part of a dot of radius r at (x, y) that lies on the canvas is inside the clip. */
const inside = (b: { left: number; top: number; right: number; bottom: number }, x: number, y: number, r: number) =>
  Math.max(0, x - r) >= b.left && Math.min(W, x + r) <= b.right && Math.max(0, y - r) >= b.top && Math.min(H, y + r) <= b.bottom;

describe('the moving canvas clipped to what it draws', () => {
  it('holds every unit dot, heading tip, trail point, footprint corner and open alarm ring, at any bearing and pitch', () => {
    const box = geoBox(movingPoints(units, alarms))!;
    expect(box).not.toBeNull();
    // the closed alarm 5 km east is not drawn and does not widen the box
    expect(box[2]).toBeLessThan(offset(CENTRE, 90, 2000)[0]);
    for (const view of [{ zoom: 14, bearing: 0, pitch: 0 }, { zoom: 16, bearing: 37, pitch: 0 }, { zoom: 15.5, bearing: -120, pitch: 45 }]) {
      const vp = new WebMercatorViewport({ longitude: CENTRE[0], latitude: CENTRE[1], width: W, height: H, ...view });
      const clip = screenBox(box, (p) => vp.project(p), W, H);
      const drawn: Array<[LonLat, number]> = [];
      for (const u of units) {
        drawn.push([[u.lon, u.lat], 10]); // a dot of 7 px with its ring
        drawn.push([offset([u.lon, u.lat], u.heading!, HEADING_LINE_M), 3]);
        for (const p of u.track) drawn.push([[p[0], p[1]], 2]);
        for (const p of u.footprint ?? []) drawn.push([p as LonLat, 2]);
      }
      drawn.push([alarms[0]!.position, Math.max(...[0, 250, 500, 750].map((t) => pulseRadiusPx(1, t))) + 3]);
      for (const [p, r] of drawn) {
        const [x, y] = vp.project(p) as [number, number];
        if (x < 0 || y < 0 || x > W || y > H) continue; // off the canvas: nothing to show
        expect(inside(clip, x, y, r), `${p} at ${x},${y} in ${JSON.stringify(clip)} (${JSON.stringify(view)})`).toBe(true);
      }
    }
  });

  it('is a small part of the window when the units are together, and empty when nothing moves', () => {
    const vp = new WebMercatorViewport({ longitude: CENTRE[0], latitude: CENTRE[1], width: W, height: H, zoom: 14 });
    const clip = screenBox(geoBox(movingPoints(units, alarms)), (p) => vp.project(p), W, H);
    const share = ((clip.right - clip.left) * (clip.bottom - clip.top)) / (W * H);
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(0.15);
    const css = clipPath(clip, W, H);
    expect(css).toBe(`inset(${clip.top}px ${W - clip.right}px ${H - clip.bottom}px ${clip.left}px)`);
    // nothing moving: everything clipped
    expect(geoBox(movingPoints([], alarms.slice(1)))).toBeNull();
    expect(clipPath(screenBox(null, (p) => vp.project(p), W, H), W, H)).toBe('inset(50%)');
  });

  it('widens by the margin, keeps to the canvas, and shows the whole canvas when a corner cannot be projected', () => {
    const vp = new WebMercatorViewport({ longitude: CENTRE[0], latitude: CENTRE[1], width: W, height: H, zoom: 18 });
    const one = geoBox([CENTRE])!;
    const clip = screenBox(one, (p) => vp.project(p), W, H);
    expect(clip).toEqual({ left: 960 - MOVING_MARGIN_PX, top: 540 - MOVING_MARGIN_PX, right: 960 + MOVING_MARGIN_PX, bottom: 540 + MOVING_MARGIN_PX });
    // units spread past every edge: the clip is the canvas, and no clip at all is set
    const wide = geoBox([offset(CENTRE, 0, 5000), offset(CENTRE, 180, 5000), offset(CENTRE, 90, 5000), offset(CENTRE, 270, 5000)]);
    const all = screenBox(wide, (p) => vp.project(p), W, H);
    expect(all).toEqual({ left: 0, top: 0, right: W, bottom: H });
    expect(clipPath(all, W, H)).toBe('');
    expect(screenBox(one, () => [Number.NaN, 3], W, H)).toEqual({ left: 0, top: 0, right: W, bottom: H });
    // non-finite coordinates do not make a box
    expect(geoBox([[Number.NaN, 43]])).toBeNull();
  });
});
