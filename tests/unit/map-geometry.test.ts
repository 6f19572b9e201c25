/** Issue 10: the map's geometry (view cones, offsets, the scale bar), search and the colour of a camera's state. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RANGE_M, distanceM, metresPerPixel, offset, scaleBar, viewCone, type LonLat } from '../../renderer/map/geo.js';
import { parseCoordinates, searchMap } from '../../renderer/map/search.js';
import { mapCameraState } from '../../renderer/map/camera-look.js';
import type { Camera } from '../../electron/contract/schemas.js';

const AT: LonLat = [76.9573, 43.2393];
const bearing = (from: LonLat, to: LonLat) => {
  const dx = (to[0] - from[0]) * Math.cos((from[1] * Math.PI) / 180);
  const dy = to[1] - from[1];
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
};

describe('view cone', () => {
  it('starts and ends at the camera, with its arc at the range and within heading ± fov/2', () => {
    const ring = viewCone(AT, 90, 70, 80);
    expect(ring[0]).toEqual(AT);
    expect(ring.at(-1)).toEqual(AT);
    const arc = ring.slice(1, -1);
    for (const p of arc) {
      expect(distanceM(AT, p)).toBeCloseTo(80, 0);
      expect(Math.abs(bearing(AT, p) - 90)).toBeLessThanOrEqual(35 + 1e-6);
    }
    expect(bearing(AT, arc[0]!)).toBeCloseTo(55, 1);
    expect(bearing(AT, arc.at(-1)!)).toBeCloseTo(125, 1);
  });

  it('uses the default range and wraps across north', () => {
    const ring = viewCone(AT, 350, 40);
    expect(distanceM(AT, ring[1]!)).toBeCloseTo(DEFAULT_RANGE_M, 0);
    expect(bearing(AT, ring[1]!)).toBeCloseTo(330, 1);
    expect(bearing(AT, ring.at(-2)!)).toBeCloseTo(10, 1);
  });

  it('is a full circle without the apex for a 360° camera', () => {
    const ring = viewCone(AT, 0, 360, 50);
    expect(ring).not.toContainEqual(AT);
    for (const p of ring) expect(distanceM(AT, p)).toBeCloseTo(50, 0);
  });

  it('offsets north and east by the distance asked', () => {
    expect(distanceM(AT, offset(AT, 0, 1000))).toBeCloseTo(1000, 0);
    expect(offset(AT, 0, 1000)[0]).toBeCloseTo(AT[0], 9);
    expect(offset(AT, 90, 1000)[1]).toBeCloseTo(AT[1], 9);
    expect(offset(AT, 90, 1000)[0]).toBeGreaterThan(AT[0]);
  });
});

describe('scale bar', () => {
  it('picks a round length that fits, at the right pixel width', () => {
    const { metres, px } = scaleBar(16, 43.24, 120);
    expect([1, 2, 5].some((k) => Number((metres / 10 ** Math.floor(Math.log10(metres))).toFixed(6)) === k)).toBe(true);
    expect(px).toBeLessThanOrEqual(120);
    expect(px).toBeGreaterThan(120 / 2.5);
    expect(px * metresPerPixel(16, 43.24)).toBeCloseTo(metres, 6);
  });

  it('halves the ground per pixel at each zoom level', () => {
    expect(metresPerPixel(14, 43) / metresPerPixel(15, 43)).toBeCloseTo(2, 9);
  });
});

describe('map search', () => {
  const cam = (id: string, name: string, located = true): Camera => ({
    id, name, mainUrl: 'rtsp://127.0.0.1/x', hasCredentials: false, kind: 'fixed', tags: [],
    ...(located ? { location: { lat: 43.2, lon: 76.9 } } : {}),
  });
  const cameras = [cam('abay-dostyk', 'Abay Ave / Dostyk Ave'), cam('hidden', 'Abay hidden', false), cam('abay', 'Abay')];

  it('reads "lat, lon" and refuses what is out of range or not a pair', () => {
    expect(parseCoordinates('43.2389, 76.8897')).toEqual({ lat: 43.2389, lon: 76.8897 });
    expect(parseCoordinates(' -33.9 18.4 ')).toEqual({ lat: -33.9, lon: 18.4 });
    expect(parseCoordinates('91, 10')).toBeNull();
    expect(parseCoordinates('43.2, 181')).toBeNull();
    expect(parseCoordinates('43.2')).toBeNull();
    expect(parseCoordinates('Abay 12')).toBeNull();
  });

  it('finds a placed camera by name or id, an exact match first, never an unplaced one', () => {
    expect(searchMap('dostyk', cameras)).toMatchObject({ kind: 'camera', camera: { id: 'abay-dostyk' } });
    expect(searchMap('ABAY', cameras)).toMatchObject({ kind: 'camera', camera: { id: 'abay' } });
    expect(searchMap('hidden', cameras)).toEqual({ kind: 'none' });
    expect(searchMap('   ', cameras)).toEqual({ kind: 'none' });
    expect(searchMap('43.25, 76.95', cameras)).toEqual({ kind: 'point', lat: 43.25, lon: 76.95 });
  });
});

describe('camera state on the map', () => {
  it('maps stream states to live, stale, offline and not decoded', () => {
    expect(mapCameraState('live')).toBe('live');
    expect(mapCameraState('stalled')).toBe('stale');
    expect(mapCameraState('reconnecting')).toBe('stale');
    expect(mapCameraState('error')).toBe('offline');
    expect(mapCameraState('offline')).toBe('offline');
    expect(mapCameraState('idle')).toBe('idle');
    expect(mapCameraState(undefined)).toBe('idle');
  });
});
