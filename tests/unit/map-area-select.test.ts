/** Issue 10 §1, §2: the cameras inside a rectangle or lasso drawn on the map, the layout they make on the wall; address search. */
import { describe, expect, it } from 'vitest';
import { MAX_AREA_CAMERAS, areaLayout, camerasInArea, inside, rectangle, type ScreenPoint } from '../../renderer/map/area-select.js';
import { validateLayout } from '../../electron/contract/layout-presets.js';
import { placesOf, searchMap } from '../../renderer/map/search.js';
import { screenHeading } from '../../renderer/map/HeadingHandle.js';
import { readFileSync } from 'node:fs';
import type { BasemapFeature } from '../../renderer/map/basemap.js';

const cams = [
  { id: 'ne', at: [300, 100] as ScreenPoint }, { id: 'nw', at: [100, 100] as ScreenPoint },
  { id: 'sw', at: [100, 300] as ScreenPoint }, { id: 'far', at: [900, 900] as ScreenPoint },
];

describe('area selection on the map', () => {
  it('takes the cameras inside a rectangle drawn either way, in reading order', () => {
    expect(camerasInArea(cams, rectangle([50, 50], [350, 350]))).toEqual(['nw', 'ne', 'sw']);
    expect(camerasInArea(cams, rectangle([350, 350], [50, 50]))).toEqual(['nw', 'ne', 'sw']);
    expect(camerasInArea(cams, rectangle([0, 0], [10, 10]))).toEqual([]);
  });
  it('follows a lasso, concave ones too', () => {
    // an L around nw and sw that leaves ne out
    const l: ScreenPoint[] = [[50, 50], [150, 50], [150, 250], [350, 250], [350, 350], [50, 350]];
    expect(camerasInArea(cams, l)).toEqual(['nw', 'sw']);
    expect(inside([300, 100], l)).toBe(false);
    expect(camerasInArea(cams, [[0, 0], [10, 10]])).toEqual([]); // not an area
  });
  it('makes a near-square layout of them, valid, and leaves out beyond 64', () => {
    expect(areaLayout([], 'a', 'A')).toBeNull();
    const three = areaLayout(['nw', 'ne', 'sw'], 'map-area', 'Map area')!;
    expect(three.left).toBe(0);
    expect([three.layout.cols, three.layout.rows]).toEqual([2, 2]);
    expect(three.layout.cells.map((c) => c.cameraId)).toEqual(['nw', 'ne', 'sw', null]);
    expect(validateLayout(three.layout)).toBeNull();
    const many = areaLayout(Array.from({ length: 70 }, (_, i) => `c${i}`), 'a', 'A')!;
    expect(many.left).toBe(70 - MAX_AREA_CAMERAS);
    expect([many.layout.cols, many.layout.rows]).toEqual([8, 8]);
    expect(validateLayout(many.layout)).toBeNull();
  });
});

describe('address search in the basemap data', () => {
  const district = (JSON.parse(readFileSync(new URL('../../resources/map/almaty-demo.geojson', import.meta.url), 'utf8')) as { features: BasemapFeature[] }).features;
  const places = placesOf(district);
  it('finds a building by its address, a street by its name, cameras first', () => {
    const building = district.find((f) => f.properties.address === 'Al-Farabi Ave, 3')!;
    const ring = (building.geometry.coordinates as number[][][])[0]!;
    const lons = ring.map((p) => p[0]!), lats = ring.map((p) => p[1]!);
    const hit = searchMap('al-farabi 3', [], places);
    expect(hit).toMatchObject({ kind: 'place', label: 'Al-Farabi Ave, 3' });
    if (hit.kind !== 'place') throw new Error('not a place');
    expect(hit.lon).toBeGreaterThanOrEqual(Math.min(...lons)); expect(hit.lon).toBeLessThanOrEqual(Math.max(...lons));
    expect(hit.lat).toBeGreaterThanOrEqual(Math.min(...lats)); expect(hit.lat).toBeLessThanOrEqual(Math.max(...lats));
    expect(searchMap('Al-Farabi Ave, 3', [], places)).toMatchObject({ label: 'Al-Farabi Ave, 3' });
    expect(searchMap('al-farabi 33', [], places)).toEqual({ kind: 'none' }); // a number matches whole
    expect(searchMap('tole bi', [], places)).toMatchObject({ kind: 'place', label: 'Tole Bi St' });
    const cam = { id: 'tole', name: 'Tole Bi gate', mainUrl: 'rtsp://x/y', location: { lat: 43.2, lon: 76.9 } } as never;
    expect(searchMap('tole bi', [cam], places)).toMatchObject({ kind: 'camera' });
  });
});

describe('turning a camera by its cone handle', () => {
  it('reads the heading from the screen angle and the map bearing', () => {
    expect(screenHeading([100, 100], [100, 50], 0)).toBe(0); // up is north
    expect(screenHeading([100, 100], [150, 100], 0)).toBe(90);
    expect(screenHeading([100, 100], [100, 150], 0)).toBe(180);
    expect(screenHeading([100, 100], [50, 100], 0)).toBe(270);
    expect(screenHeading([100, 100], [150, 50], 0)).toBe(45);
    expect(screenHeading([100, 100], [100, 50], 90)).toBe(90); // a map turned east-up
    expect(screenHeading([100, 100], [50, 100], 120)).toBe(30);
  });
});
