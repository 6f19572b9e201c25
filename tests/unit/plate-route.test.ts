// The route a plate's sightings draw (issue 10 §4), and the demo cars' passes.
import { describe, expect, it } from 'vitest';
import { routeLayers, routeOf, routeView, stopLabel } from '../../renderer/plates/route-layers.js';
import { WebMercatorViewport } from '@deck.gl/core';
import { DEMO_CARS, passOf, TRAFFIC_SCENES } from '../../electron/host/plates/demo-plates.js';
import type { Sighting } from '../../electron/contract/plates/plates-api.js';
import city from '../../resources/demo-city.json' with { type: 'json' };

const s = (id: string, atMs: number, lon: number | null, lat = 43.2): Sighting => ({
  id, plate: '777ABZ02', text: '777ABZ02', cameraId: `cam-${lon}`, atMs, confidence: 0.9, box: null, position: lon === null ? null : { lat, lon }, kind: 'plate',
});

describe('plate route', () => {
  it('orders by time, numbers every sighting, joins stops at one camera and skips unplaced cameras on the path', () => {
    const r = routeOf([s('c', 3000, 76.9), s('a', 1000, 76.9), s('b', 2000, 76.95), s('x', 2500, null), s('d', 4000, 76.95)]);
    expect(r.path).toEqual([[76.9, 43.2], [76.95, 43.2], [76.9, 43.2], [76.95, 43.2]]);
    expect(r.stops.map((x) => [x.position[0], x.numbers])).toEqual([[76.9, [1, 4]], [76.95, [2, 5]]]); // 3 is the unplaced camera
    expect(stopLabel([1, 4])).toBe('1, 4');
    expect(stopLabel([1, 2, 3, 4, 5, 6])).toBe('1, 2, 3, …6');
  });
  it('draws nothing without sightings; a path, its stops and their numbers with them', () => {
    expect(routeLayers(null)).toEqual([]);
    expect(routeLayers([s('a', 1, 76.9), s('b', 2, 76.95)]).map((l) => l.id)).toEqual(['plate-route', 'plate-route-stops', 'plate-route-numbers']);
  });
});

describe('route view', () => {
  it('fits every placed sighting left of the panel, north up', () => {
    const sightings = [s('a', 1, 76.846, 43.2427), s('b', 2, 76.9573, 43.2393), s('c', 3, 77.0062, 43.3608), s('x', 4, null)];
    const v = routeView(sightings, 1280, 800, 470)!;
    const vp = new WebMercatorViewport({ width: 1280, height: 800, ...v });
    for (const x of sightings.filter((y) => y.position)) {
      const [px, py] = vp.project([x.position!.lon, x.position!.lat]);
      expect(px).toBeGreaterThanOrEqual(39); expect(px).toBeLessThanOrEqual(1280 - 470 - 39);
      expect(py).toBeGreaterThanOrEqual(49); expect(py).toBeLessThanOrEqual(800 - 49);
    }
    expect(routeView([s('x', 1, null)], 1280, 800, 470)).toBeNull();
    expect(routeView([s('a', 1, 76.9)], 1280, 800, 470)!.zoom).toBeLessThanOrEqual(16); // one place: close, not infinitely
  });
});

describe('demo cars', () => {
  it('drive their routes back and forth through traffic cameras of the demo city', () => {
    const scenes = new Map(city.cameras.map((c) => [c.id, c.scene]));
    for (const car of DEMO_CARS) for (const id of car.route) expect(TRAFFIC_SCENES).toContain(scenes.get(id));
    const car0 = Array.from({ length: 14 }, (_, k) => passOf(k * DEMO_CARS.length).cameraId);
    const r = DEMO_CARS[0]!.route;
    expect(car0).toEqual([...r, ...[...r].reverse().slice(1, -1), r[0], r[1]]);
    expect(passOf(1).car.plate).toBe(DEMO_CARS[1]!.plate);
  });
});
