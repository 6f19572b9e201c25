/**
 * Issue 10, second slice, in a real Chromium with every request routed (anything outside 127.0.0.1 is aborted and fails
 * the test): a PMTiles basemap from a local file drawn where its features are (pixels), a PNG site plan placed by two
 * reference points, cameras clustering at low zoom and splitting on a click, an alarm pulsing at its camera that opens
 * in the console's queue and puts its camera on the alarm tile, the alarm heat map by type, and the wall window never
 * loading the map's code. Screenshots: tests/.artifacts/e2e/map-offline-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import mqtt from 'mqtt';
import { ROOT, waitFor } from '../support/harness.js';
import { isLoopback } from '../support/offline.js';
import { clickMap, pixelsAt, settledPixels } from '../support/map-page.js';
import { centreOn, mapProbe as probe, mapShots as shots, openMap, startMapConsole, type MapConsole } from '../support/map-console.js';
import { closeConsole } from '../support/e2e-console.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import { BASEMAP_FILL, CLUSTER_FILL } from '../../renderer/map/layers.js';
import { PRIORITY_COLOURS } from '../../renderer/map/alarm-geo.js';
import { writePmtiles } from '../support/pmtiles-writer.js';
import { PARK_CENTRE, PMTILES_FEATURES, solidPng } from '../support/pmtiles-fixture.js';
import en from '../../resources/locales/en.json' with { type: 'json' };

let con: MapConsole;
let loopback = 0;
const BACKGROUND = [11, 15, 20];
const MAGENTA: [number, number, number] = [255, 0, 255];
// The plan: 64x64 pixels, its top-left corner here, 200 m wide (north up), west of the park.
const PLAN_TL: LonLat = [77.0, 43.2];
const PLAN_CENTRE = offset(offset(PLAN_TL, 90, 100), 180, 100);
// Three cameras 150 m apart (one cluster at zoom 11), far from the alarm camera.
const GROUP: LonLat = [77.05, 43.22];
const GROUP_CAMS = [['grp-a', GROUP], ['grp-b', offset(GROUP, 90, 150)], ['grp-c', offset(GROUP, 0, 150)]] as const;
// The alarm camera, far from the cluster's cameras.
const ALARM_AT: LonLat = [77.1, 43.21];

const blend = (under: readonly number[], over: readonly number[], alpha255: number) => under.map((u, i) => u + (over[i]! - u) * (alpha255 / 255));
const near = (got: readonly number[], want: readonly number[], tol: number) => { for (let i = 0; i < 3; i++) expect(Math.abs(got[i]! - want[i]!), `channel ${i}: got ${got.join(',')} want ${want.map(Math.round).join(',')}`).toBeLessThan(tol); };

/** Centres the map on a coordinate through the search box, then waits until deck has drawn it there. */
async function goTo(map: Page, p: LonLat): Promise<[number, number]> {
  const at = await centreOn(map, p);
  await settledPixels(map, [at]); // the last frame after the jump is composited
  return at;
}

beforeAll(async () => {
  con = await startMapConsole({ cameras: [...GROUP_CAMS, ['alarm-cam', ALARM_AT] as const].map(([id, p]) => ({ id, name: `Map ${id}`, location: { lat: p[1], lon: p[0], heading: 0, fov: 60 } })), emptyWall: true });
  const { shell, api, browser, outside } = con;
  writePmtiles(join(shell.dataDir, 'city.pmtiles'), PMTILES_FEATURES, { minZoom: 10, maxZoom: 14 });
  writeFileSync(join(shell.dataDir, 'plan.png'), solidPng(64, 64, MAGENTA));
  const east = offset(PLAN_TL, 90, 200);
  writeFileSync(join(shell.dataDir, 'map.json'), JSON.stringify({ v: 1, basemap: { pmtiles: 'city.pmtiles' }, plans: [
    { id: 'depot', name: 'Depot', image: 'plan.png', opacity: 1, points: [{ px: [0, 0], lon: PLAN_TL[0], lat: PLAN_TL[1] }, { px: [64, 0], lon: east[0], lat: east[1] }] },
  ] }));
  await api.call('alarms.rules.save', { rules: [{ id: 'map-objects', name: 'Map objects', types: ['object'], priority: 1 }], operator: 'e2e' });
  // Every request of every page is routed: loopback goes through, anything else is aborted and recorded.
  await browser.context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) { loopback += 1; return route.continue(); }
    outside.push(url);
    return route.abort();
  });
}, 180_000);
afterAll(() => closeConsole(con));

describe('offline city map', () => {
  it('draws a local PMTiles basemap and a placed site plan, clusters cameras, puts alarms where they happen, and fetches nothing outside', async () => {
    const { api, outside } = con;
    // tile 4 of 2x2 is this console's alarm tile
    const { wall, map } = await openMap(con, (w) => w.evaluate(() => localStorage.setItem('kuzet.alarmTiles', JSON.stringify([3]))));
    expect(await map.getByRole('alert').count()).toBe(0); // map.json, the archive and the plan were all accepted

    // --- the PMTiles basemap: the park's fill at its centre, the window's background 300 m north of it
    const park = await goTo(map, PARK_CENTRE);
    await waitFor('PMTiles tiles loaded', async () => ((await probe(map).tiles()) > 0 ? true : null), 30_000);
    const north = (await probe(map).project(offset(PARK_CENTRE, 0, 300)))!;
    const [inPark, outPark] = await waitFor('the park drawn', async () => {
      const px = await pixelsAt(map, [park, north]);
      return Math.abs(px[0]![1]! - BASEMAP_FILL.park![1]) < 8 ? px : null;
    }, 20_000, 500);
    await map.screenshot({ path: join(shots, 'map-offline-pmtiles.png') });
    near(inPark!, BASEMAP_FILL.park!, 8);
    near(outPark!, BACKGROUND, 6);

    // --- the site plan: magenta at its centre, background 60 m north of its top edge
    const plan = await goTo(map, PLAN_CENTRE);
    const above = (await probe(map).project(offset(PLAN_TL, 0, 60)))!;
    const [inPlan, abovePlan] = await waitFor('the plan drawn', async () => { const px = await pixelsAt(map, [plan, above]); return px[0]![1]! < 40 ? px : null; }, 20_000, 500);
    await map.screenshot({ path: join(shots, 'map-offline-plan.png') });
    near(inPlan!, MAGENTA, 10);
    near(abovePlan!, BACKGROUND, 6);

    // --- clusters: one circle for three cameras at zoom 11; a click zooms in until they are cameras again
    const camAt = await goTo(map, GROUP);
    expect(await probe(map).pick(camAt)).toBe('grp-a');
    await probe(map).zoomTo(11);
    const mean: LonLat = [GROUP_CAMS.reduce((s, c) => s + c[1][0], 0) / 3, GROUP_CAMS.reduce((s, c) => s + c[1][1], 0) / 3];
    const clusterAt = await waitFor('the cluster drawn', async () => { const p = await probe(map).project(mean); return p && (await probe(map).pick(p)) === 'cluster:grp-a' ? p : null; });
    const [clusterPx] = await settledPixels(map, [[clusterAt[0] - 11, clusterAt[1]]]); // inside the circle, beside the count
    await map.screenshot({ path: join(shots, 'map-offline-cluster.png') });
    near(clusterPx!, blend(BACKGROUND, CLUSTER_FILL, CLUSTER_FILL[3]), 12);
    await clickMap(map, clusterAt[0], clusterAt[1], 'the cameras apart again', async () => { const p = await probe(map).project(GROUP_CAMS[0][1]); return Boolean(p && (await probe(map).pick(p)) === 'grp-a'); });

    // --- an alarm at its camera, pulsing, in the priority's colour
    const pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId: 'map-offline-e2e' });
    await pub.publishAsync('kuzet/events/alarm-cam', JSON.stringify({ id: 'map-e2e-1', captureTime: Date.now(), type: 'object', confidence: 0.9, track: 'm1', attributes: { class: 'person' } }), { qos: 1 });
    await pub.endAsync();
    const alarm = await waitFor('the alarm', async () => (await api.call('alarms.list', {})).find((a) => a.lastEventId === 'map-e2e-1'), 15_000, 200);
    const dot = await goTo(map, ALARM_AT);
    await waitFor('the alarm drawn', async () => ((await probe(map).pick(dot)) === alarm.id ? true : null), 15_000);
    const r0 = await probe(map).redraws();
    // it pulses: frames while nothing else changes (the map draws on change only)
    await waitFor('the alarm pulsing', async () => (await probe(map).redraws()) > r0 + 2, 30_000, 200);
    const [dotPx] = await pixelsAt(map, [dot]);
    await map.screenshot({ path: join(shots, 'map-offline-alarm.png') });
    near(dotPx!, PRIORITY_COLOURS[1]!, 12);

    // --- the heat map (deck.gl HeatmapLayer): warm 34 px south-west of the alarm (beyond its dot and pulse ring, away
    // from the camera's north-facing cone), the background again when only plate alarms are chosen
    const heatPoint: [number, number] = [dot[0] - 24, dot[1] + 24];
    const [before] = await pixelsAt(map, [heatPoint]);
    near(before!, BACKGROUND, 6);
    await map.getByRole('checkbox', { name: en.map.heat }).check({ timeout: 90_000 }); // a busy 2-core machine can starve the page's frames
    let last: number[][] = [];
    const [heated] = await waitFor('the heat drawn', async () => { last = await pixelsAt(map, [heatPoint]); return last[0]![0]! > 80 ? last : null; }, 15_000, 300)
      .catch(async (err: unknown) => { await map.screenshot({ path: join(shots, 'map-offline-heat-failed.png') }); throw new Error(`${String(err)}; pixel ${JSON.stringify(last)}`); });
    await map.screenshot({ path: join(shots, 'map-offline-heat.png') });
    expect(heated![0]!).toBeGreaterThan(heated![2]! + 40); // warm: red above blue
    await map.getByRole('combobox', { name: en.map.heatType }).selectOption('plate', { timeout: 90_000 });
    const [plates] = await waitFor('no plate heat', async () => { const px = await pixelsAt(map, [heatPoint]); return px[0]![0]! < 40 ? px : null; }, 15_000, 300);
    near(plates!, BACKGROUND, 6);
    await map.getByRole('checkbox', { name: en.map.heat }).uncheck({ timeout: 90_000 });

    // --- a click on the alarm: selected in the console's queue, its camera on the alarm tile (cell 4)
    await clickMap(map, dot[0], dot[1], 'the alarm selected in the queue', async () => (await wall.locator(`.aq-row.sel[data-alarm-id="${alarm.id}"]`).count()) > 0);
    await waitFor('the camera on the alarm tile', async () => (await api.call('wall.displays', {})).find((d) => d.id === 'main')?.layout.cells[3]?.cameraId === 'alarm-cam');
    await expect.poll(() => map.getByRole('status').innerText()).toBe(en.map.alarmOpened);
    await wall.screenshot({ path: join(shots, 'map-offline-wall-queue.png') });

    // --- the wall window never loaded the map's code; the map window did
    const scripts = (page: Page) => page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.js')));
    const wallJs = await scripts(wall);
    const mapJs = await scripts(map);
    expect(mapJs.some((p) => /\/MapView-[A-Z0-9]+\.js$/.test(p))).toBe(true);
    expect(wallJs.some((p) => p.includes('MapView'))).toBe(false);
    for (const p of ['/app.js', ...wallJs]) expect(readFileSync(join(ROOT, 'dist', 'renderer', p.slice(1)), 'utf8')).not.toMatch(/luma\.gl|deck\.gl/);

    expect(outside).toEqual([]);
    expect(loopback).toBeGreaterThan(10);
  }, 420_000);
});
