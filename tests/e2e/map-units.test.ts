/**
 * Issue 10 §3 and §5 in a real Chromium: following a unit keeps the map centred on it as it moves and puts the fixed
 * camera that sees it on the wall (the follow tile); the coverage layer draws a blind street where its coordinates
 * say (a pixel of the street turns the blind colour when coverage is switched on, a street the camera sees does not),
 * the panel's share equals the pure function's, and a proposed camera placed on the blind street raises it.
 * A follow that ends by itself (its operator lost the right) leaves its reason on the map for a few seconds.
 * A unit's trail is drawn whole and joined where its coordinates say: the older part on the trails canvas (redrawn every
 * few seconds), the newest segment to the dot on the moving canvas (renderer/map/trail-split.ts), in one colour.
 * Screenshots: tests/.artifacts/e2e/map-follow-*.png (map-follow-ended.png), map-coverage.png, map-trail*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import mqtt, { type MqttClient } from 'mqtt';
import { artifactsDir, launchBrowser, signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { watchOutside } from '../support/offline.js';
import { clickMap, openMapWindow, pixelsAt, settledPixels } from '../support/map-page.js';
import { ApiClient } from '../support/api-client.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import { BLIND_COLOUR } from '../../renderer/map/coverage-layers.js';
import { STALE_UNIT, UNIT_COLOURS } from '../../renderer/map/camera-look.js';
import { TRACK_STEP_MS } from '../../electron/contract/units-schema.js';
import { coverage, streetsOf } from '../../renderer/map/coverage.js';
import { sightCameras } from '../../renderer/map/follow.js';
import type { Camera } from '../../electron/contract/schemas.js';
import type { BasemapFeature } from '../../renderer/map/basemap.js';
import en from '../../resources/locales/en.json' with { type: 'json' };

let shell: RunningShell;
let api: ApiClient;
let pub: MqttClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = join(artifactsDir(), 'e2e');
const outside: string[] = [];
const district = JSON.parse(readFileSync(join(import.meta.dirname, '../../resources/map/almaty-demo.geojson'), 'utf8')) as { features: BasemapFeature[] };
// On Dostyk Ave (a street of the demo district), looking north along it.
const CAMERA: LonLat = [76.9573, 43.245];
const CAMERA_DEF = { id: 'follow-cam', name: 'Dostyk north', mainUrl: 'rtsp://127.0.0.1:9/none', kind: 'fixed' as const, location: { lat: CAMERA[1], lon: CAMERA[0], heading: 0, fov: 60 } };
// Panfilov St at the same latitude: no camera sees it.
const BLIND: LonLat = [76.949, 43.245];

type Probe = { project(lon: number, lat: number): [number, number] | null; pick(x: number, y: number): string | null; redraws(): number; trailsAgeMs(): number };
const project = (page: Page, p: LonLat) => page.evaluate(([lon, lat]) => (window as unknown as { __kuzetMap: Probe }).__kuzetMap.project(lon, lat), p);

const near = (a: number[], b: readonly number[], tol: number) => a.every((v, i) => Math.abs(v - b[i]!) < tol);
/** The map's background outside the demo district. */
const BACKGROUND = [11, 15, 20];
/** A trail's colour over the background: the unit's colour at alpha 150 (layers.ts `trailSegments`). */
const overBackground = (c: readonly number[]) => BACKGROUND.map((b, i) => b + ((c[i]! - b) * 150) / 255);

async function centred(page: Page, p: LonLat): Promise<boolean> {
  const xy = await project(page, p);
  return xy !== null && Math.abs(xy[0] - 640) < 3 && Math.abs(xy[1] - 400) < 3;
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  shell = await startWebShell();
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await api.call('cameras.add', { probe: false, camera: CAMERA_DEF });
  await api.call('cameras.add', { probe: false, camera: { id: 'robot-5-cam', name: 'Robot 5 own video', mainUrl: 'rtsp://127.0.0.1:9/none', kind: 'robot' } });
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', [null, null, null, null], 'live', 'Live') });
  pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId: 'map-units-e2e' });
  browser = await launchBrowser();
  watchOutside(browser.context, outside);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await pub?.endAsync(true);
  api?.close();
  await shell?.close();
});

describe('following a unit, and street coverage', () => {
  let map: Page;

  it('keeps the followed unit centred as it moves and puts the camera that sees it on the follow tile', async () => {
    const wall = browser.page;
    await wall.goto(shell.info.url);
    map = await openMapWindow(wall, en.map.open);

    const t0 = Date.now();
    const send = (at: LonLat, ts: number) => pub.publishAsync('kuzet/units/robot-5', JSON.stringify({ v: 1, id: 'robot-5', kind: 'robot', lat: at[1], lon: at[0], heading: 0, ts, cameraId: 'robot-5-cam' }), { qos: 1 });
    const a = offset(CAMERA, 0, 20); // 20 m ahead of the camera, on its axis
    await send(a, t0);
    await map.getByRole('textbox', { name: en.map.search }).fill(`${a[1]}, ${a[0]}`);
    await map.getByRole('button', { name: en.map.search, exact: true }).click();
    await waitFor('the map at the unit', () => centred(map, a));
    const px = (await project(map, a))!;
    await waitFor('the unit drawn', () => map.evaluate(([x, y]) => (window as unknown as { __kuzetMap: Probe }).__kuzetMap.pick(x, y) === 'robot-5', px));
    await clickMap(map, px[0], px[1], 'the unit\'s panel open', async () => (await map.getByRole('dialog').getByRole('button', { name: en.units.follow }).count()) > 0);
    await map.getByRole('dialog').getByRole('button', { name: en.units.follow }).click();
    // the follow tile shows the camera that sees the unit, and the unit's own video is on the tile after it
    const cells = await waitFor('the follow tile and the unit\'s video', async () => {
      const c = (await api.call('wall.displays', {})).find((d) => d.id === 'main')?.layout.cells ?? [];
      return c.some((x) => x.cameraId === 'follow-cam') && c.some((x) => x.cameraId === 'robot-5-cam') ? c : null;
    });
    expect(cells.findIndex((x) => x.cameraId === 'robot-5-cam')).toBe(cells.findIndex((x) => x.cameraId === 'follow-cam') + 1);
    await expect.poll(() => map.locator('.map-follow').innerText()).toContain(CAMERA_DEF.name);
    await map.screenshot({ path: join(shots, 'map-follow-1.png') });

    // the unit drives 400 m east: the map follows it, and no fixed camera sees it there
    const b = offset(a, 90, 400);
    await send(b, t0 + 10_000);
    await waitFor('the map centred on the moved unit', () => centred(map, b));
    await expect.poll(() => map.locator('.map-follow').innerText()).toContain(en.units.noCameraSees);
    await map.screenshot({ path: join(shots, 'map-follow-2.png') });
    await map.getByRole('button', { name: en.units.stopFollow }).click();
    expect(outside).toEqual([]);
  }, 300_000);

  it('draws a blind street where its coordinates say, with the share of street length covered', async () => {
    await map.getByRole('textbox', { name: en.map.search }).fill(`${BLIND[1]}, ${BLIND[0]}`);
    await map.getByRole('button', { name: en.map.search, exact: true }).click();
    await waitFor('the map at the blind street', () => centred(map, BLIND));
    const blindPx = (await project(map, BLIND))!;
    const [streetBefore] = await settledPixels(map, [blindPx]); // the frame after the jump, composited
    expect(near(streetBefore!, BLIND_COLOUR, 40)).toBe(false);

    await map.getByRole('checkbox', { name: en.coverage.title }).check();
    const share = Number(await map.locator('.map-coverage-share').getAttribute('data-share'));
    const want = coverage(streetsOf(district.features), sightCameras([CAMERA_DEF as unknown as Camera])).share;
    expect(share).toBeCloseTo(want, 4);
    expect(share).toBeGreaterThan(0);
    // the blind layer drawn: read until its frame is composited (10 s at most)
    await expect.poll(async () => near((await pixelsAt(map, [blindPx]))[0]!, BLIND_COLOUR, 12), { timeout: 10_000 }).toBe(true);
    await map.screenshot({ path: join(shots, 'map-coverage.png') });

    // a proposed camera on the blind street, looking north along it: the share rises
    await map.getByRole('button', { name: en.coverage.propose }).click();
    // a tap deck.gl recognises (down and up within 250 ms): repeated until it took effect on a busy machine (clickMap)
    await clickMap(map, blindPx[0], blindPx[1], 'the proposed camera placed', async () => (await map.locator('.map-coverage-after').count()) > 0);
    const after = Number(await waitFor('the proposal evaluated', () => map.locator('.map-coverage-after').getAttribute('data-after', { timeout: 1000 }).catch(() => null)));
    expect(after).toBeGreaterThan(share);

    // the street the camera sees is not drawn blind (Dostyk, 45 m ahead of it)
    const seenAt = offset(CAMERA, 0, 45);
    await map.getByRole('textbox', { name: en.map.search }).fill(`${seenAt[1]}, ${seenAt[0]}`);
    await map.getByRole('button', { name: en.map.search, exact: true }).click();
    await waitFor('the map at the seen street', () => centred(map, seenAt));
    const [seen, ahead] = await settledPixels(map, [(await project(map, seenAt))!, (await project(map, offset(CAMERA, 0, 100)))!]);
    await map.screenshot({ path: join(shots, 'map-coverage-seen.png') });
    expect(near(seen!, BLIND_COLOUR, 40)).toBe(false);
    expect(near(ahead!, BLIND_COLOUR, 12)).toBe(true); // beyond its 60 m range: blind again
    expect(outside).toEqual([]);
  }, 300_000);

  it('says on the map why a follow ended by itself (its operator lost the right), then clears it', async () => {
    // another operator follows robot-5 on this display; this map window shows that follow
    await api.call('access.users.save', { user: { name: 'map-follower', password: 'long-enough-1', roles: ['operator'] } });
    const follower = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, 'map-follower', 'long-enough-1'));
    try {
      // each report newer than the unit's last (the first test's was 10 s ahead of its clock), the first a minute later (it
      // drives back 400 m: no implausible jump), and taken by the unit store
      let ts = Math.max(Date.now(), (await api.call('units.list', {})).units.find((u) => u.id === 'robot-5')?.ts ?? 0) + 59_000;
      const send = async (at: LonLat) => {
        ts += 1000;
        await pub.publishAsync('kuzet/units/robot-5', JSON.stringify({ v: 1, id: 'robot-5', kind: 'robot', lat: at[1], lon: at[0], heading: 0, ts, cameraId: 'robot-5-cam' }), { qos: 1 });
        await waitFor('the report in the unit store', async () => (await api.call('units.list', {})).units.some((u) => u.id === 'robot-5' && u.ts === ts));
      };
      await send(offset(CAMERA, 0, 20));
      await follower.call('follow.start', { displayId: 'main', unitId: 'robot-5' });
      await expect.poll(() => map.locator('.map-follow').innerText()).toContain(en.units.following.replace('{{id}}', 'robot-5'));
      expect(await map.getByTestId('follow-ended').count()).toBe(0);
      // the operator loses viewLive: the unit's next report ends the follow, and the map says why instead of just dropping the bar
      await api.call('access.users.save', { user: { name: 'map-follower', roles: [], grants: [] } });
      await send(offset(CAMERA, 0, 25));
      await waitFor('the follow ended in the host', async () => (await api.call('follow.list', {})).length === 0);
      expect(api.events.filter((e) => e.event === 'follow.ended').map((e) => e.payload)).toEqual([expect.objectContaining({ reason: 'noRight', unitId: 'robot-5' })]);
      const ended = map.getByTestId('follow-ended');
      await expect.poll(() => ended.count(), { timeout: 30_000 }).toBe(1);
      expect(await ended.getAttribute('data-reason')).toBe('noRight');
      expect(await ended.innerText()).toBe(en.units.followEnded.noRight.replace('{{id}}', 'robot-5'));
      expect(await map.getByRole('button', { name: en.units.stopFollow }).count()).toBe(0); // the follow bar itself is gone
      await map.screenshot({ path: join(shots, 'map-follow-ended.png') });
      // shown for a few seconds (FOLLOW_ENDED_SHOW_MS), then gone
      await expect.poll(() => ended.count(), { timeout: 30_000 }).toBe(0);
    } finally { follower.close(); }
    expect(outside).toEqual([]);
  }, 300_000);

  it('draws a unit\'s trail whole and joined: the older part on the trails canvas, the newest segment to its dot', async () => {
    // a patrol car east of the district (plain background): 7 reports 40 m apart going east, 4 s apart (each kept in the trail)
    const start: LonLat = [77.1, 43.2];
    const pts = Array.from({ length: 7 }, (_, k) => offset(start, 90, 40 * k));
    const t1 = Date.now();
    const send = (k: number, ts: number) => pub.publishAsync('kuzet/units/car-7', JSON.stringify({ v: 1, id: 'car-7', kind: 'patrol_car', lat: pts[k]![1], lon: pts[k]![0], heading: 90, ts }), { qos: 1 });
    for (let k = 0; k < 6; k++) await send(k, t1 - (6 - k) * 4000);
    await waitFor('six trail points in the unit store', async () => (await api.call('units.list', {})).units.find((u) => u.id === 'car-7')?.track.length === 6);
    const mid = pts[3]!;
    await map.getByRole('textbox', { name: en.map.search }).fill(`${mid[1]}, ${mid[0]}`);
    await map.getByRole('button', { name: en.map.search, exact: true }).click();
    await waitFor('the map at the trail', () => centred(map, mid));
    // the newest report once the trails canvas's snapshot is a step (TRACK_STEP_MS) old: it then takes a new one, up to p5
    await waitFor('the trails snapshot a step old', async () => (await map.evaluate(() => (window as unknown as { __kuzetMap: Probe }).__kuzetMap.trailsAgeMs())) >= TRACK_STEP_MS);
    await send(6, t1);
    await waitFor('the trail in the unit store', async () => (await api.call('units.list', {})).units.find((u) => u.id === 'car-7')?.track.length === 7);
    const at = await Promise.all(pts.map(async (p) => (await project(map, p))!));
    // on each segment's middle, at the joint between the trails canvas's end and the tail (p5, 2 px either side), and
    // 20 px north of the trail; y - 0.5: the pixel row inside the 2 px wide line
    const mids = at.slice(1).map((b, k) => [(at[k]![0] + b[0]) / 2, (at[k]![1] + b[1]) / 2 - 0.5] as [number, number]);
    const joint = [-2, 0, 2].map((dx) => [at[5]![0] + dx, at[5]![1] - 0.5] as [number, number]);
    const north = mids.map(([x, y]) => [x, y - 20] as [number, number]);
    const colours = [UNIT_COLOURS.patrol_car, STALE_UNIT].map(overBackground); // stale after 10 s without a report: grey
    const isTrail = (px: number[]) => colours.some((c) => near(px, c, 14));
    const { drawn, tailOnly } = await waitFor('the trail drawn, its older part on the trails canvas', async () => {
      await settledPixels(map, [...mids, ...joint]);
      const drawn = await pixelsAt(map, [...mids, ...joint, ...north]);
      if (!drawn.slice(0, mids.length + joint.length).every(isTrail)) return null;
      // the trails canvas: deck's, or the Canvas 2D one without a GPU (map-decks.ts `flatTrails`)
      await map.evaluate(() => { for (const e of document.querySelectorAll<HTMLElement>('.map-trails, .map-flat-trails')) e.style.opacity = '0'; });
      const tailOnly = await pixelsAt(map, mids);
      await map.screenshot({ path: join(shots, 'map-trail-tail.png') });
      await map.evaluate(() => { for (const e of document.querySelectorAll<HTMLElement>('.map-trails, .map-flat-trails')) e.style.opacity = ''; });
      return near(tailOnly[4]!, BACKGROUND, 6) ? { drawn, tailOnly } : null;
    }, 60_000, 500);
    await map.screenshot({ path: join(shots, 'map-trail.png') });
    // one colour along the whole trail, joint included (no gap, no doubled alpha), and nothing beside it
    const first = drawn[0]!;
    for (const px of drawn.slice(0, mids.length + joint.length)) expect(near(px, first, 6)).toBe(true);
    for (const px of drawn.slice(mids.length + joint.length)) expect(near(px, BACKGROUND, 6)).toBe(true);
    // without the trails canvas only the newest segment (p5 to the dot) is left: it is the moving canvas's tail
    for (const px of tailOnly.slice(0, 5)) expect(near(px, BACKGROUND, 6)).toBe(true);
    expect(isTrail(tailOnly[5]!)).toBe(true);
    const by = await map.evaluate(() => (window as unknown as { __kuzetMap: { drawsBy(): { trails: number; flatTrails: number } } }).__kuzetMap.drawsBy());
    expect(by.trails + by.flatTrails).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  }, 300_000);
});
