/**
 * Issue 10, first slice, in a real Chromium: the wall's Map button opens the city map in its own window, which loads
 * with nothing fetched outside 127.0.0.1, finds a place by coordinates, draws a camera's view cone where its
 * coordinates say (pixels read at deck's projection of points inside and behind the cone), puts a clicked camera
 * on the wall through the wall contract, asks for animation frames only while something changes, and draws a unit reported over MQTT at its position. Screenshots: tests/.artifacts/e2e/map-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { waitFor } from '../support/harness.js';
import { clickMap, settledPixels } from '../support/map-page.js';
import { centreOn, mapProbe, mapShots as shots, openMap, startMapConsole, type MapConsole } from '../support/map-console.js';
import { closeConsole } from '../support/e2e-console.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import { STATE_COLOURS } from '../../renderer/map/camera-look.js';
import { UNIT_COLOURS } from '../../renderer/map/layers.js';
import mqtt from 'mqtt';
import en from '../../resources/locales/en.json' with { type: 'json' };

let con: MapConsole;
// South-east of the drawn district: nothing of the basemap under the cone, so the background is the window's own.
const CAMERA: LonLat = [76.99, 43.205];
const BACKGROUND = [11, 15, 20];

beforeAll(async () => {
  con = await startMapConsole({ cameras: [{ id: 'map-east', name: 'Map test east', location: { lat: CAMERA[1], lon: CAMERA[0], heading: 90, fov: 60 } }], emptyWall: true });
}, 180_000);
afterAll(() => closeConsole(con));

describe('city map', () => {
  it('opens from the wall in its own window, offline, and draws a camera cone where its coordinates say', async () => {
    const { api, outside } = con;
    const { map } = await openMap(con);
    expect(new URL(map.url()).searchParams.get('view')).toBe('map');
    await map.screenshot({ path: join(shots, 'map-district.png') });

    const at = await centreOn(map, CAMERA);
    const { project, pick, loop } = mapProbe(map);
    const inCone = await project(offset(CAMERA, 90, 35));
    const behind = await project(offset(CAMERA, 270, 35));
    const north = await project(offset(CAMERA, 0, 35));
    expect(inCone![0] - at[0]).toBeGreaterThan(15); // east is to the right with north up
    const [cone, back, side] = await settledPixels(map, [inCone!, behind!, north!]);
    await map.screenshot({ path: join(shots, 'map-camera-cone.png') });
    const idle = STATE_COLOURS.idle;
    const a = idle[3] / 255;
    const expected = BACKGROUND.map((b, i) => b + (idle[i]! - b) * a);
    for (let i = 0; i < 3; i++) expect(Math.abs(cone![i]! - expected[i]!)).toBeLessThan(12);
    for (const p of [back!, side!]) for (let i = 0; i < 3; i++) expect(Math.abs(p[i]! - BACKGROUND[i]!)).toBeLessThan(6);

    // draws on change: an idle map asks for animation frames only around its draws (deck.gl's own loop asks 60 a second)
    const l0 = await loop();
    // the input: a stretch in which nothing changes, long enough for a few idle polls of each canvas
    const l1 = await waitFor('a few idle polls', async () => { const l = await loop(); return l.polls >= l0.polls + 8 ? l : null; });
    expect(l1.frames - l0.frames).toBeLessThanOrEqual(2 * (l1.redraws - l0.redraws) + 4);

    expect(await pick(inCone!)).toBe('map-east');
    const popup = map.getByRole('dialog');
    await clickMap(map, at[0], at[1], 'the camera\'s popup open', async () => (await popup.count()) > 0);
    await expect.poll(() => popup.innerText()).toContain('Map test east');
    await popup.getByRole('button', { name: en.map.showOnWall }).click();
    await waitFor('the camera on the wall', async () => {
      const displays = await api.call('wall.displays', {});
      return displays.find((d) => d.id === 'main')?.layout.cells.some((c) => c.cameraId === 'map-east');
    });
    await map.screenshot({ path: join(shots, 'map-popup.png') });

    // a unit reported over MQTT is drawn where its telemetry says (west of the camera, away from the cone)
    const unitAt = offset(CAMERA, 270, 60);
    const pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId: 'map-e2e' });
    // a live unit reports every second (a real one twice a second): a busy machine must not let it go stale (10 s) mid-check
    const report = () => pub.publishAsync('kuzet/units/patrol-1', JSON.stringify({ v: 1, id: 'patrol-1', kind: 'patrol_car', lat: unitAt[1], lon: unitAt[0], heading: 0, ts: Date.now() }), { qos: 1 });
    await report();
    const reporting = setInterval(() => { void report().catch(() => undefined); }, 1000);
    let unit: number[] | undefined;
    try {
      const unitPx = (await project(unitAt))!;
      await waitFor('the unit drawn', async () => (await pick(unitPx)) === 'patrol-1');
      [unit] = await settledPixels(map, [unitPx]);
      await map.screenshot({ path: join(shots, 'map-unit.png') });
    } finally {
      clearInterval(reporting);
      await pub.endAsync();
    }
    for (let i = 0; i < 3; i++) expect(Math.abs(unit![i]! - UNIT_COLOURS.patrol_car[i]!)).toBeLessThan(12);
    expect(outside).toEqual([]);
  }, 180_000);
});
