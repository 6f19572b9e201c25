/**
 * Issue 10 §4 in a real Chromium: the map window's plate panel finds the demo car 777ABZ02 (its reads published over
 * MQTT as the demo's traffic cameras publish them, on the demo cameras' ids and positions), lists its sightings in
 * time order, fits the map around the route beside the panel and draws it where those cameras are (the route's
 * cyan read back at each camera's projected position, and gone there when the panel closes); a bad pattern is refused with its reason; a click on a sighting opens
 * review on that camera at that moment. The violations list shows a violation with its own picture, puts it on the map,
 * and takes a rejection with a reason; a plate pattern is added to the watch list. Screenshots: tests/.artifacts/e2e/plates-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { ROOT, waitFor } from '../support/harness.js';
import { pixelsAt } from '../support/map-page.js';
import { mapProbe, mapShots as shots, openMap, startMapConsole, type MapConsole } from '../support/map-console.js';
import { closeConsole } from '../support/e2e-console.js';
import { DEMO_CARS, passOf } from '../../electron/host/plates/demo-plates.js';
import { ROUTE_COLOUR } from '../../renderer/plates/route-layers.js';
import type { DemoCamera } from '../../native/simulator/control.js';
import en from '../../resources/locales/en.json' with { type: 'json' };

let con: MapConsole;
const city = JSON.parse(readFileSync(join(ROOT, 'resources', 'demo-city.json'), 'utf8')) as { cameras: DemoCamera[] };
const CAR = DEMO_CARS[0]!;
/** The car's first four passes (pass n of car 0 is n = 0, 4, 8, 12), a minute apart, ten minutes ago. */
const T0 = Date.now() - 10 * 60_000;
const PASSES = [0, 4, 8, 12].map((n, k) => ({ cameraId: passOf(n).cameraId, atMs: T0 + k * 60_000 }));

type ReviewProbe = { position(): number; players(): Array<{ camera: string }> };

const isRoute = (p: number[]) => p.every((v, i) => Math.abs(v - ROUTE_COLOUR[i]!) < 16);

beforeAll(async () => {
  const cameras = [...new Set(PASSES.map((p) => p.cameraId))].map((id) => { const x = city.cameras.find((y) => y.id === id)!; return { id, name: x.name, location: x.location }; });
  con = await startMapConsole({ shell: { env: { KUZET_MQTT_PORT: '0' } }, cameras, emptyWall: true });
  const pub = await mqtt.connectAsync((await con.api.call('alarms.info', {})).mqttUrl, { clientId: 'plates-e2e' });
  for (const p of PASSES) {
    await pub.publishAsync(`kuzet/events/${p.cameraId}`, JSON.stringify({ id: `e2e-${p.cameraId}-${p.atMs}`, camera: p.cameraId, captureTime: p.atMs, type: 'plate', confidence: 0.94,
      boxes: [{ x: 0.42, y: 0.6, w: 0.12, h: 0.06, label: CAR.plate }], attributes: { text: CAR.plate } }), { qos: 1 });
  }
  await pub.endAsync();
  await waitFor('the reads indexed', async () => (await con.api.call('plates.route', { plate: CAR.plate })).sightings.length === PASSES.length);
}, 180_000);
afterAll(() => closeConsole(con));

describe('where did it go', () => {
  it('finds a demo plate, draws its route where the cameras are, opens a sighting in review at its moment', async () => {
    const { outside } = con;
    const { map } = await openMap(con);
    const project = (id: string) => { const c = city.cameras.find((x) => x.id === id)!; return mapProbe(map).project([c.location.lon, c.location.lat]); };

    await map.getByTestId('plates-open').click();
    const panel = map.getByTestId('plates-panel');
    // bad input: a clear refusal from the host (its reason code, translated), shown in the panel
    await panel.getByRole('textbox', { name: en.plates.pattern }).fill('*?*');
    await panel.getByRole('button', { name: en.plates.find }).click();
    await expect.poll(() => panel.getByRole('alert').innerText()).toContain(en.apiErrors.patternOnlyWildcards);

    await panel.getByRole('textbox', { name: en.plates.pattern }).fill('777 ab? 02');
    await panel.getByRole('button', { name: en.plates.find }).click();
    const rows = panel.getByTestId('plates-sightings').getByRole('button');
    await expect.poll(() => rows.count()).toBe(PASSES.length);
    const listed = await rows.evaluateAll((bs) => bs.map((b) => [b.getAttribute('data-camera'), Number(b.getAttribute('data-at'))]));
    expect(listed).toEqual(PASSES.map((p) => [p.cameraId, p.atMs])); // oldest first, as driven

    // the map fits the route beside the panel: every stop on screen, none under the panel
    const box = (await panel.boundingBox())!;
    const stops = await waitFor('the route fitted', async () => {
      const xy = await Promise.all(PASSES.map((p) => project(p.cameraId)));
      return xy.every((p) => p && p[0] > 20 && p[0] < box.x - 12 && p[1] > 60 && p[1] < 780) ? xy.map((p) => [p![0], p![1] + 8] as [number, number]) : null; // 8 px below the centre: inside the circle, below the number
    });
    // the route at every stop once its frame is composited (read until it is, or 10 s)
    await expect.poll(async () => (await pixelsAt(map, stops)).map(isRoute), { timeout: 10_000 }).toEqual(stops.map(() => true));
    await map.screenshot({ path: join(shots, 'plates-route.png') });
    // closing the panel takes the route away: the same pixels are the map again
    await panel.getByRole('button', { name: en.plates.close }).click();
    await expect.poll(async () => (await pixelsAt(map, stops)).map(isRoute), { timeout: 10_000 }).toEqual(stops.map(() => false));
    await map.getByTestId('plates-open').click();
    await panel.getByRole('textbox', { name: en.plates.pattern }).fill(CAR.plate);
    await panel.getByRole('button', { name: en.plates.find }).click();
    await expect.poll(() => rows.count()).toBe(PASSES.length);

    await rows.nth(1).click();
    await map.getByTestId('plates-review').waitFor();
    const review = await waitFor('review at the sighting', () => map.evaluate(() => {
      const r = (window as unknown as { __kuzetReview?: ReviewProbe }).__kuzetReview;
      return r ? { position: r.position(), cameras: r.players().map((p) => p.camera) } : null;
    }));
    expect(review.cameras).toEqual([PASSES[1]!.cameraId]);
    expect(Math.abs(review.position - PASSES[1]!.atMs)).toBeLessThan(2000);
    await map.screenshot({ path: join(shots, 'plates-review.png') });
    expect(outside).toEqual([]);
  }, 180_000);

  it('reviews a traffic violation: its picture, its place on the map, rejected with a reason', async () => {
    const { api, browser, outside } = con;
    const map = browser.context.pages().find((p) => new URL(p.url()).searchParams.get('view') === 'map')!;
    const camera = PASSES[2]!.cameraId;
    const jpeg = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x36', '-frames:v', '1', '-f', 'mjpeg', 'pipe:1']);
    const pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId: 'plates-e2e-2' });
    await pub.publishAsync(`kuzet/events/${camera}`, JSON.stringify({ id: 'e2e-violation-1', camera, captureTime: T0 + 300_000, type: 'traffic_violation', confidence: 0.9,
      snapshot: `data:image/jpeg;base64,${jpeg.toString('base64')}`, attributes: { violation: 'red_light', plate: CAR.plate } }), { qos: 1 });
    await pub.endAsync();
    await waitFor('the violation listed', async () => (await api.call('violations.list', {})).length === 1);
    await map.keyboard.press('Escape'); // review closes, back to the map
    await map.getByTestId('plates-review').waitFor({ state: 'detached' });
    await map.getByTestId('plates-panel').getByRole('tab', { name: en.plates.tabs.violations }).click();
    const list = map.getByTestId('plates-violations');
    await expect.poll(() => list.innerText()).toContain(CAR.plate);
    expect(await list.innerText()).toContain(en.violations.red_light);
    await expect.poll(() => list.getByRole('img').getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
    await list.getByRole('button', { name: en.plates.onMap }).click();
    const c = city.cameras.find((x) => x.id === camera)!;
    await waitFor('the violation centred', async () => {
      const p = await mapProbe(map).project([c.location.lon, c.location.lat]);
      return p && Math.abs(p[0] - 640) < 2 && Math.abs(p[1] - 400) < 2;
    });
    await list.getByRole('textbox', { name: en.plates.reason }).fill('the light was amber');
    await map.screenshot({ path: join(shots, 'plates-violation.png') });
    await list.getByRole('button', { name: en.plates.reject }).click();
    await expect.poll(() => list.innerText()).not.toContain(CAR.plate);
    expect(await api.call('violations.get', { id: 'e2e-violation-1' })).toMatchObject({ state: 'rejected', reason: 'the light was amber', decidedBy: 'admin' });

    // the watch list, edited by a user who may edit rules (the administrator)
    await map.getByTestId('plates-panel').getByRole('tab', { name: en.plates.tabs.watch }).click();
    const watch = map.getByTestId('plates-panel');
    await watch.getByRole('textbox', { name: en.plates.pattern }).fill('010 kza *');
    await watch.getByRole('textbox', { name: en.plates.note }).fill('grey Camry');
    await watch.getByRole('button', { name: en.plates.add }).click();
    await expect.poll(() => map.getByTestId('plates-watch').innerText()).toContain('010KZA*');
    expect(await api.call('plates.watchlist.get', {})).toEqual([{ pattern: '010KZA*', list: 'wanted', note: 'grey Camry' }]);
    expect(outside).toEqual([]);
  }, 120_000);
});
