/**
 * Issue 10 (remainder) in a real Chromium: unit tracks recorded over MQTT replay with the footage (the review's unit map
 * draws a unit where its recorded report says at the player's time, never ahead of its last report); the map puts
 * cameras on the wall (a camera dragged onto a tile; a rectangle or lasso of cameras as a layout); the camera popup
 * shows its live picture. Screenshots: tests/.artifacts/e2e/map-wall-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import mqtt, { type MqttClient } from 'mqtt';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { pixelsAt } from '../support/map-page.js';
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
const shots = join(artifactsDir(), 'e2e');

type ReplayProbe = { project(lon: number, lat: number): [number, number] | null; units(): Array<{ id: string; reportedMs: number }>; draws(): number };
type ReviewProbe = { seek(ms: number): void; position(): number };

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await api.call('cameras.add', { probe: false, camera: { id: 'yard', name: 'Yard', mainUrl: 'rtsp://127.0.0.1:9/none', kind: 'fixed', location: { lat: 43.2395, lon: 76.953, heading: 0, fov: 60 } } });
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', ['yard', null, null, null], 'live', 'Live') });
  pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId: 'map-wall-test' });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await pub?.endAsync(true);
  await browser?.close();
  api?.close();
  await shell?.close();
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
