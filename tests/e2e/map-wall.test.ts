/**
 * Issue 10 (remainder) in a real Chromium: unit tracks recorded over MQTT replay with the footage (the review's unit map
 * draws a unit where its recorded report says at the player's time, never ahead of its last report); the map puts
 * cameras on the wall (a camera dragged onto a tile; a rectangle or lasso of cameras as a layout); the camera popup
 * shows its camera's live picture (pixels against the clip's reference decode, luma and chroma) from the sub-stream,
 * released when it closes, while the wall's own tiles keep painting from the frame worker (docs/map.md: a worker
 * started from a shared chunk once left them all `connecting`). Screenshots: tests/.artifacts/e2e/map-wall-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import mqtt, { type MqttClient } from 'mqtt';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { clickMap, openMapWindow, pixelsAt } from '../support/map-page.js';
import { bestMatch, MATCH_CHROMA, MATCH_LUMA, referenceThumbs, sampleTile, type PictureError } from '../support/pictures.js';
import { sampleCanvas } from '../support/canvas-picture.js';
import type { MapPictureProbe } from '../../renderer/map/LivePicture.js';
import { VIOLATION_COLOUR, VIOLATION_OFFSET_PX } from '../../renderer/map/violation-markers.js';
import type { MapProbe } from '../../renderer/map/MapView.js';
import { CLIPS_DIR, startSimulator, type Simulator } from '../../native/simulator/control.js';
import { metresPerPixel, offset } from '../../renderer/map/geo.js';
import { DND_CAMERA } from '../../renderer/wall/Tile.js';
import { ApiClient } from '../support/api-client.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { UNIT_COLOURS } from '../../renderer/map/camera-look.js';
import type { UnitTelemetry } from '../../electron/contract/units-schema.js';
import type { LonLat } from '../../renderer/map/geo.js';
import en from '../../resources/locales/en.json' with { type: 'json' };

let shell: RunningShell;
let api: ApiClient;
let pub: MqttClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let sim: Simulator;
const SIM_CAM = 'cam-extra-01';
// three cameras 100 m apart west to east, and one far away
const YARD: LonLat = [76.953, 43.2395];
const GATE = offset(YARD, 270, 100), LANE = offset(YARD, 90, 100), FAR = offset(YARD, 180, 3000);
const shots = join(artifactsDir(), 'e2e');

type ReplayProbe = { project(lon: number, lat: number): [number, number] | null; units(): Array<{ id: string; reportedMs: number }>; draws(): number };
type ReviewProbe = { seek(ms: number): void; position(): number };

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  sim = await startSimulator({ camerasFile: 'none', extra: 1 });
  const place = (p: LonLat) => ({ lat: p[1], lon: p[0], heading: 0, fov: 60 });
  await api.call('cameras.add', { probe: false, camera: { id: 'yard', name: 'Yard', mainUrl: sim.url(SIM_CAM, 'main'), subUrl: sim.url(SIM_CAM, 'sub'), kind: 'fixed', location: place(YARD) } });
  for (const [id, p] of [['gate', GATE], ['lane', LANE], ['far', FAR]] as const) {
    await api.call('cameras.add', { probe: false, camera: { id, name: id, mainUrl: 'rtsp://127.0.0.1:9/none', kind: 'fixed', location: place(p) } });
  }
  // an empty wall: the popup's demand is then the only one for the yard camera (its stream, its release)
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', [null, null, null, null], 'live', 'Live') });
  pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId: 'map-wall-test' });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await pub?.endAsync(true);
  await browser?.close();
  api?.close();
  await shell?.close();
  await sim?.close();
});

const replayUnits = (page: Page) => page.evaluate(() => (window as unknown as { __kuzetUnitReplay: ReplayProbe }).__kuzetUnitReplay.units());
const replayProject = (page: Page, points: LonLat[]) => page.evaluate((list) => list.map(([lon, lat]) => (window as unknown as { __kuzetUnitReplay: ReplayProbe }).__kuzetUnitReplay.project(lon, lat)!), points);
const near = (a: number[], b: readonly number[], tol: number) => a.every((v, i) => i > 2 || Math.abs(v - b[i]!) <= tol);

describe('unit tracks in review', () => {
  it('draws a recorded unit where its report says at the player time, and never ahead of its last report', async () => {
    const tA = Date.now() - 100_000;
    const A: LonLat = [76.95, 43.24], B: LonLat = [76.953, 43.24], C: LonLat = [76.956, 43.24]; // about 240 m apart, 20 s apart
    const report = (p: LonLat, ts: number): UnitTelemetry => ({ v: 1, id: 'robot-r', kind: 'robot', lon: p[0], lat: p[1], heading: 90, ts });
    for (const [p, ts] of [[A, tA], [B, tA + 20_000], [C, tA + 40_000]] as const) await pub.publishAsync('kuzet/units/robot-r', JSON.stringify(report(p, ts)), { qos: 1 });
    await waitFor('the recorded track', async () => (await api.call('units.tracks', { fromMs: tA - 1000, toMs: tA + 60_000 })).tracks[0]?.points.length === 3);

    const page = browser.page;
    await page.goto(shell.info.url);
    await page.getByRole('button', { name: en.review.switch }).click();
    await page.getByTestId('unit-replay').waitFor({ timeout: 60_000 });
    const robot = UNIT_COLOURS.robot;

    const at = async (ms: number, reportedMs: number | null) => {
      await page.evaluate((ms) => (window as unknown as { __kuzetReview: ReviewProbe }).__kuzetReview.seek(ms), ms);
      await waitFor(`the unit map at ${ms - tA} ms`, async () => {
        const u = await replayUnits(page);
        return reportedMs === null ? u.length === 0 : u[0]?.reportedMs === reportedMs;
      });
      const pts = await replayProject(page, [A, B, C]);
      // the canvas is drawn in the same task as the state change; two equal screenshots in a row say it was composited
      let last = await pixelsAt(page, pts);
      return waitFor('the picture to settle', async () => { const now = await pixelsAt(page, pts); const ok = now.every((p, i) => near(p, last[i]!, 1)); last = now; return ok ? now : null; });
    };

    const before = await at(tA - 5000, null); // before its first report the unit is nowhere
    for (const p of before) expect(near(p, robot, 12)).toBe(false);
    const [a1, b1, c1] = await at(tA + 10_000, tA); // between A and B: still at A, never interpolated towards B
    await page.screenshot({ path: join(shots, 'map-wall-review-unit-a.png') });
    expect(near(a1!, robot, 12)).toBe(true);
    expect(near(b1!, robot, 12)).toBe(false);
    expect(near(c1!, robot, 12)).toBe(false);
    const [a2, b2, c2] = await at(tA + 25_000, tA + 20_000); // after B's report: at B
    await page.screenshot({ path: join(shots, 'map-wall-review-unit-b.png') });
    expect(near(b2!, robot, 12)).toBe(true);
    expect(near(a2!, robot, 12)).toBe(false);
    expect(near(c2!, robot, 12)).toBe(false);
    // a minute after its last report (C) it had stopped reporting: no longer drawn, and never beyond C
    const after = await at(tA + 40_000 + 61_000, null);
    for (const p of after) expect(near(p, robot, 12)).toBe(false);
    await page.getByRole('button', { name: `◀ ${en.review.live}` }).click();
  }, 240_000);
});

const mapProject = (page: Page, points: LonLat[]) => page.evaluate((list) => list.map(([lon, lat]) => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.project(lon, lat)!), points);
const wallCells = async () => (await api.call('wall.displays', {})).find((d) => d.id === 'main')!.layout.cells.map((c) => c.cameraId);

describe('map to wall', () => {
  it('shows a clicked camera live in its popup while the wall keeps painting, drags it onto a wall tile, puts a rectangle or lasso of cameras on the wall as a layout, and turns a camera by its cone', async () => {
    const wall = browser.page;
    await wall.goto(shell.info.url);
    const map = await openMapWindow(wall, en.map.open);
    const openYard = async () => {
      await map.getByRole('textbox', { name: en.map.search }).fill('Yard');
      await map.getByRole('button', { name: en.map.search, exact: true }).click();
      await map.locator('.map-camera-popup').waitFor({ timeout: 60_000 });
    };
    await openYard();

    // --- the popup's live picture: the wall's painter on a small canvas, fed by this window's own (small) demand
    const probe = () => map.evaluate(() => { const p = (window as unknown as { __kuzetMapPicture?: MapPictureProbe }).__kuzetMapPicture; return p ? { tile: p.snapshot()[0], mode: p.mode(), decodeIn: p.decodeIn() } : null; });
    await map.getByTestId('map-popup-picture').waitFor({ timeout: 60_000 });
    await waitFor('the popup picture to paint', async () => ((await probe())?.tile?.painted ?? 0) >= 10, 90_000, 500);
    const status = (await api.call('streams.status', {})).find((x) => x.cameraId === 'yard');
    expect(status?.state).toBe('live');
    expect(status?.profile, `the popup's demand is small: ${JSON.stringify(status?.decision)}`).toBe('sub');
    // its frames come through the frame worker, started from the map window's chunk (the bundle the wall's broke on)
    expect(await probe()).toMatchObject({ mode: 'worker', decodeIn: 'worker' });
    const simCam = (await sim.cameras()).find((c) => c.id === SIM_CAM)!;
    const ownClip = simCam.streams.sub.file;
    const others = readdirSync(CLIPS_DIR).filter((f) => /-360p\.h264$/.test(f) && f !== ownClip);
    expect(others.length).toBeGreaterThan(2);
    const sum = (e: PictureError) => e.luma + e.chroma;
    let own: PictureError = { luma: Infinity, chroma: Infinity }, other: PictureError = { luma: 0, chroma: 0 };
    for (let attempt = 0; attempt < 10; attempt++) { // a picture between two frames: look again for up to 5 s
      const thumb = await sampleCanvas(map, '[data-testid="map-popup-picture"]');
      own = bestMatch(thumb, referenceThumbs(ownClip));
      other = others.map((c) => bestMatch(thumb, referenceThumbs(c))).reduce((a, b) => (sum(b) < sum(a) ? b : a));
      if (own.luma < MATCH_LUMA && own.chroma < MATCH_CHROMA && sum(own) < sum(other) * 0.6) break;
      await map.waitForTimeout(500);
    }
    await map.screenshot({ path: join(shots, 'map-wall-popup-picture.png') });
    console.log(`[e2e] popup picture vs ${ownClip}: luma ${own.luma.toFixed(1)} chroma ${own.chroma.toFixed(1)}; best other scene luma ${other.luma.toFixed(1)} chroma ${other.chroma.toFixed(1)}`);
    expect(own.luma, `popup vs its clip ${ownClip}: luma`).toBeLessThan(MATCH_LUMA);
    expect(own.chroma, `popup vs its clip ${ownClip}: chroma (U, V)`).toBeLessThan(MATCH_CHROMA);
    expect(sum(own), 'the popup\'s own clip must match better than any other scene').toBeLessThan(sum(other) * 0.6);

    // --- closed, the popup withdraws its demand: nothing else shows the yard, so its stream stops (after the grace period)
    await map.locator('.map-camera-popup').getByRole('button', { name: en.map.close }).click();
    await waitFor('the yard stream to stop', async () => !(await api.call('streams.status', {})).some((x) => x.cameraId === 'yard' && x.state !== 'idle'), 90_000, 500);
    await openYard();

    // drag the camera from the popup onto the wall's fourth tile: what the map's drag carries, dropped where the wall takes it
    const carried = await map.getByTestId('map-drag-camera').evaluate((el, type) => {
      const dt = new DataTransfer();
      el.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: dt }));
      return { type, value: dt.getData(type) };
    }, DND_CAMERA);
    expect(carried.value).toBe('yard');
    await wall.locator('[data-tile-index="3"]').evaluate((el, c) => {
      const dt = new DataTransfer();
      dt.setData(c.type, c.value);
      el.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
      el.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, carried);
    await waitFor('the camera on tile 4', async () => (await wallCells())[3] === 'yard');

    // --- with the popup open the wall keeps painting: tile 4 goes live from the wall's own frame worker, with its picture
    type WallProbe = { tiles(): Array<{ index: number; state: string; painted: number }>; decodeIn(): string };
    const wallTile = () => wall.evaluate(() => { const k = (window as unknown as { __kuzet: WallProbe }).__kuzet; return { tile: k.tiles().find((x) => x.index === 3), decodeIn: k.decodeIn() }; });
    let seen = await wallTile();
    await waitFor('the wall tile to go live', async () => { seen = await wallTile(); return seen.tile?.state === 'live' && seen.tile.painted >= 10; }, 90_000, 500)
      .catch((e: unknown) => { throw new Error(`${(e as Error).message}; tile 4: ${JSON.stringify(seen)}`); });
    expect(seen.decodeIn).toBe('worker');
    const shared = (await api.call('streams.status', {})).find((x) => x.cameraId === 'yard')!;
    const wallClip = simCam.streams[shared.profile].file;
    let onWall: PictureError = { luma: Infinity, chroma: Infinity };
    for (let attempt = 0; attempt < 10 && !(onWall.luma < MATCH_LUMA && onWall.chroma < MATCH_CHROMA); attempt++) {
      if (attempt > 0) await wall.waitForTimeout(500);
      onWall = bestMatch(await sampleTile(wall, 3), referenceThumbs(wallClip));
    }
    await wall.screenshot({ path: join(shots, 'map-wall-wall-with-popup.png') });
    expect(onWall.luma, `wall tile 4 vs ${wallClip}: luma`).toBeLessThan(MATCH_LUMA);
    expect(onWall.chroma, `wall tile 4 vs ${wallClip}: chroma (U, V)`).toBeLessThan(MATCH_CHROMA);
    await waitFor('the reopened popup to paint too', async () => ((await probe())?.tile?.painted ?? 0) >= 10, 90_000, 500);
    await map.getByRole('button', { name: en.map.close }).click();

    // Shift-drag a rectangle around gate and yard (not lane): a 1 x 2 layout in map order, west to east
    const [g, y, l] = await mapProject(map, [GATE, YARD, LANE]);
    expect(l![0] - y![0]).toBeGreaterThan(30);
    await map.keyboard.down('Shift');
    await map.mouse.move(g![0] - 20, g![1] - 25);
    await map.mouse.down();
    await map.mouse.move((y![0] + l![0]) / 2, y![1] + 25, { steps: 8 });
    await map.screenshot({ path: join(shots, 'map-wall-rectangle.png') });
    await map.mouse.up();
    await map.keyboard.up('Shift');
    await waitFor('the rectangle layout', async () => JSON.stringify(await wallCells()) === JSON.stringify(['gate', 'yard']));
    // the map did not pan or rotate under the gesture
    const [y2] = await mapProject(map, [YARD]);
    expect(Math.abs(y2![0] - y![0]) + Math.abs(y2![1] - y![1])).toBeLessThan(1);

    // a lasso around yard and lane
    await map.getByTestId('map-lasso').click();
    const ring: Array<[number, number]> = [[y![0] - 15, y![1] - 30], [l![0] + 30, l![1] - 30], [l![0] + 30, l![1] + 30], [y![0] - 15, y![1] + 30], [y![0] - 15, y![1] - 25]];
    await map.mouse.move(...ring[0]!);
    await map.mouse.down();
    for (const p of ring.slice(1)) await map.mouse.move(p[0], p[1], { steps: 5 });
    await map.mouse.up();
    await waitFor('the lasso layout', async () => JSON.stringify(await wallCells()) === JSON.stringify(['yard', 'lane']));

    // aim the gate camera by its cone's handle: dragged 80 px due east of the camera, it faces east and sees as far as
    // those 80 px are on the ground (both saved in the registry)
    // clicked on its cone, 40 m out: the gate has no picture (its address is dead), so once it was put on the wall a
    // camera_offline alarm may sit on its dot, and a click there opens the alarm (as it should), not the camera
    const [cone] = await mapProject(map, [offset(GATE, 0, 40)]);
    await map.mouse.click(cone![0], cone![1]);
    const handle = map.getByTestId('map-heading-handle');
    await handle.waitFor();
    const hb = (await handle.boundingBox())!;
    expect(hb.y + hb.height / 2).toBeLessThan(g![1] - 15); // at the far edge of a cone facing north
    await map.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await map.mouse.down();
    await map.mouse.move(g![0] + 80, g![1], { steps: 6 });
    await map.mouse.up();
    const aimed = await waitFor('the saved heading', async () => { const l = (await api.call('cameras.list', {})).find((c) => c.id === 'gate')?.location; return l?.heading !== undefined && l.heading !== 0 ? l : null; });
    expect(aimed.heading).toBeGreaterThanOrEqual(85);
    expect(aimed.heading).toBeLessThanOrEqual(95);
    const zoom = await map.evaluate(() => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.zoom());
    const expectedRange = 80 * metresPerPixel(zoom, GATE[1]);
    expect(aimed.rangeM).toBeGreaterThan(expectedRange * 0.85); // undefined (never saved) fails here
    expect(aimed.rangeM).toBeLessThan(expectedRange * 1.15);
    await map.screenshot({ path: join(shots, 'map-wall-turned.png') });
    await map.close();
  }, 300_000);

  it('marks a pending traffic violation where its camera stands', async () => {
    const id = 'e2e-map-violation-1', plate = '777KZT02';
    await pub.publishAsync('kuzet/events/yard', JSON.stringify({ id, camera: 'yard', captureTime: Date.now(), type: 'traffic_violation', confidence: 0.9,
      attributes: { violation: 'red_light', plate } }), { qos: 1 });
    const v = await waitFor('the violation listed', async () => (await api.call('violations.list', { states: ['pending'] })).find((x) => x.id === id) ?? null);
    expect(v.position?.lon).toBeCloseTo(YARD[0], 6); // its camera's position
    expect(v.position?.lat).toBeCloseTo(YARD[1], 6);

    await browser.page.goto(shell.info.url);
    const map = await openMapWindow(browser.page, en.map.open);
    await map.getByRole('textbox', { name: en.map.search }).fill('Yard');
    await map.getByRole('button', { name: en.map.search, exact: true }).click();
    const popup = map.locator('.map-camera-popup');
    await popup.waitFor({ timeout: 60_000 });
    await popup.getByRole('button', { name: en.map.close }).click(); // it stands above the camera, over the marker
    const [cam] = await mapProject(map, [YARD]);
    const tag: [number, number] = [cam![0] + VIOLATION_OFFSET_PX[0], cam![1] + VIOLATION_OFFSET_PX[1]];
    // the tag's fill either side of its '!' glyph, and not 30 px further left (the cone, the street or the background)
    const points: [number, number][] = [[tag[0] - 6, tag[1]], [tag[0] + 6, tag[1]], [tag[0] - 30, tag[1]]];
    let px: number[][] = [];
    await waitFor('the violation marker drawn', async () => { px = await pixelsAt(map, points); return near(px[0]!, VIOLATION_COLOUR, 30) && near(px[1]!, VIOLATION_COLOUR, 30); }, 60_000, 500)
      .catch((e: unknown) => { throw new Error(`${(e as Error).message}; pixels ${JSON.stringify(px)}`); });
    expect(near(px[2]!, VIOLATION_COLOUR, 30)).toBe(false);
    await map.screenshot({ path: join(shots, 'map-wall-violation-marker.png') });

    // a click on the tag opens the plate panel's Violations tab with this violation marked, and the status line names it
    await clickMap(map, tag[0], tag[1], 'the status line names the violation',
      async () => ((await map.getByRole('status').first().textContent({ timeout: 1000 })) ?? '').includes(plate));
    const marked = map.getByTestId('plates-panel').locator(`li[data-violation-id="${id}"][aria-current="true"]`);
    await marked.waitFor({ timeout: 20_000 });
    await map.screenshot({ path: join(shots, 'map-wall-violation-opened.png') });
    await map.close();
  }, 240_000);
});
