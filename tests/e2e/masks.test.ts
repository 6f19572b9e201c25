/**
 * Privacy masks in Chromium (issue 12 §3): a liftable mask covers its region on the wall canvas's pixels; an operator
 * who tries to lift it gets the host's refusal; a supervisor lifts it with a reason (the picture shows there, the lift
 * is audited) and puts it back (covered again). A permanent mask on the same camera is black on the wall (the host's
 * worker paints it into the frames; the camera is then never sent compressed) and no lift reveals it. Real web shell,
 * RTSP simulator, Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { ApiClient } from '../support/api-client.js';
import { artifactsDir, demoUser, launchBrowser, signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';

const CAM = 'cam-extra-01';
const MASK = [{ x: 0.3, y: 0.3 }, { x: 0.7, y: 0.3 }, { x: 0.7, y: 0.7 }, { x: 0.3, y: 0.7 }];
/** A permanent mask in the bottom-right corner (sampled 0.76..0.91). */
const PERMANENT = [{ x: 0.72, y: 0.72 }, { x: 0.95, y: 0.72 }, { x: 0.95, y: 0.95 }, { x: 0.72, y: 0.95 }];
let sim: Simulator;
let shell: RunningShell;
let admin: ApiClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = join(artifactsDir(), 'e2e');

async function openAs(role: string): Promise<Page> {
  const u = demoUser(role);
  const token = await signIn(shell.info.origin, shell.info.startToken, u.name, u.password);
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(`${shell.info.origin}/?token=${token}&display=main&lang=en`);
  await page.locator(`.tile[data-camera-id="${CAM}"][data-state="live"]`).waitFor({ timeout: 60_000 });
  return page;
}

/** Samples a 9x9 grid inside [from, to] of the tile's picture on the wall canvas: how many samples are pure black. */
async function blackShare(page: Page, from: number, to: number): Promise<{ black: number; of: number }> {
  return page.evaluate(({ cam, from, to }) => {
    const canvas = document.querySelector('canvas.wall-canvas') as HTMLCanvasElement;
    const tile = document.querySelector(`.tile[data-camera-id="${cam}"]`) as HTMLElement;
    const tr = tile.getBoundingClientRect(), cr = canvas.getBoundingClientRect();
    const sx = canvas.width / cr.width, sy = canvas.height / cr.height;
    // the picture is letterboxed 16:9 inside the tile
    const w = Math.min(tr.width, (tr.height * 16) / 9), h = (w * 9) / 16;
    const x0 = tr.left - cr.left + (tr.width - w) / 2, y0 = tr.top - cr.top + (tr.height - h) / 2;
    const ctx = canvas.getContext('2d')!;
    let black = 0, of = 0;
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) {
      const nx = from + ((to - from) * i) / 8, ny = from + ((to - from) * j) / 8;
      const [r, g, b] = ctx.getImageData(Math.round((x0 + nx * w) * sx), Math.round((y0 + ny * h) * sy), 1, 1).data as unknown as number[];
      of++;
      if (r === 0 && g === 0 && b === 0) black++;
    }
    return { black, of };
  }, { cam: CAM, from, to });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  sim = await startSimulator({ camerasFile: 'none', extra: 1 });
  shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  admin = await ApiClient.connect(shell.info.origin, shell.info.token);
  await admin.call('cameras.add', { camera: { id: CAM, name: 'Yard', mainUrl: sim.url(CAM, 'main'), subUrl: sim.url(CAM, 'sub') }, probe: false });
  await admin.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('1', [CAM], 'live', 'Live') });
  await admin.call('masks.save', { cameraId: CAM, masks: [{ name: 'Neighbour window', kind: 'liftable', points: MASK }, { name: 'Balcony', kind: 'permanent', points: PERMANENT }], operator: 'x' });
  browser = await launchBrowser();
}, 150_000);

afterAll(async () => {
  await browser?.close();
  admin?.close();
  await shell?.close();
  await sim?.close();
});

async function openLift(page: Page) {
  await page.locator(`.tile[data-camera-id="${CAM}"]`).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Privacy masks: lift…' }).click();
  return page.getByTestId('lift-masks');
}

describe('privacy masks on the wall (Chromium)', () => {
  it('a liftable mask covers its region; an operator cannot lift it', async () => {
    const page = await openAs('operator');
    await waitFor('the mask region is black', async () => (await blackShare(page, 0.35, 0.65)).black === 81, 20_000);
    const outside = await blackShare(page, 0.02, 0.25);
    expect(outside.black).toBeLessThan(outside.of); // the rest is the picture
    await page.screenshot({ path: join(shots, 'masks-covered.png') });
    const dialog = await openLift(page);
    await dialog.locator('input[name="reason"]').fill('I just want to look');
    await dialog.getByRole('button', { name: 'Lift', exact: true }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').innerText()).toMatch(/forbidden: liftMasks on cam-extra-01/);
    expect((await admin.call('masks.list', { cameraIds: [CAM] }))[0]!.lift).toBeNull();
    expect((await blackShare(page, 0.35, 0.65)).black).toBe(81);
    await page.close();
  }, 120_000);

  it('a permanent mask is black on the tile, and the camera is decoded by the host (never sent compressed)', async () => {
    const page = await openAs('operator');
    await waitFor('the permanent region is black', async () => (await blackShare(page, 0.76, 0.91)).black === 81, 20_000);
    const status = (await admin.call('streams.status', {})).find((s) => s.cameraId === CAM);
    expect(status).toMatchObject({ state: 'live', encoded: false });
    await page.close();
  }, 120_000);

  it('a supervisor lifts it with a reason (the picture shows), then puts it back (covered again)', async () => {
    const page = await openAs('supervisor');
    await waitFor('the mask region is black', async () => (await blackShare(page, 0.35, 0.65)).black === 81, 20_000);
    const dialog = await openLift(page);
    expect(await dialog.getByTestId('permanent-masks').innerText()).toContain('Permanent masks: 1');
    await dialog.locator('select[name="minutes"]').selectOption('1');
    await dialog.locator('input[name="reason"]').fill('police request no. 17/3');
    await dialog.getByRole('button', { name: 'Lift', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitFor('the picture shows under the lifted mask', async () => (await blackShare(page, 0.35, 0.65)).black < 40, 20_000);
    const [m] = await admin.call('masks.list', { cameraIds: [CAM] });
    expect(m!.lift).toMatchObject({ by: demoUser('supervisor').name, reason: 'police request no. 17/3' });
    expect(m!.lift!.until - Date.now()).toBeLessThanOrEqual(60_000);
    // lifting reveals the liftable mask only: the permanent one stays black (the host painted it into the frames)
    expect((await blackShare(page, 0.76, 0.91)).black).toBe(81);
    await page.screenshot({ path: join(shots, 'masks-lifted.png') });
    const restore = await openLift(page);
    await restore.getByRole('button', { name: 'Put the masks back now' }).click();
    await waitFor('the mask is back', async () => (await blackShare(page, 0.35, 0.65)).black === 81, 20_000);
    await page.close();
  }, 120_000);
});
