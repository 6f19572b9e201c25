/**
 * Privacy masks in Chromium (issue 12 §3): a liftable mask covers its region on the wall canvas's pixels; an operator
 * who tries to lift it gets the host's refusal; a supervisor lifts it with a reason (the picture shows there, the lift
 * is audited) and puts it back (covered again). A permanent mask on the same camera is black on the wall (the host's
 * worker paints it into the frames; the camera is then never sent compressed) and no lift reveals it. Real web shell,
 * RTSP simulator, Debian's Chromium. An administrator draws a permanent mask with the tile's mask editor (the tile's
 * pixels are black there afterwards, not elsewhere) and a crossing outline is refused by the host, in Russian.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { ApiClient } from '../support/api-client.js';
import { surfaceOnPicture } from '../support/e2e-console.js';
import { artifactsDir, demoUser, launchBrowser, signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import ru from '../../resources/locales/ru.json' with { type: 'json' };

const CAM = 'cam-extra-01';
const MASK = [{ x: 0.3, y: 0.3 }, { x: 0.7, y: 0.3 }, { x: 0.7, y: 0.7 }, { x: 0.3, y: 0.7 }];
/** A permanent mask in the bottom-right corner (sampled 0.76..0.91). */
const PERMANENT = [{ x: 0.72, y: 0.72 }, { x: 0.95, y: 0.72 }, { x: 0.95, y: 0.95 }, { x: 0.72, y: 0.95 }];
let sim: Simulator;
let shell: RunningShell;
let admin: ApiClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = join(artifactsDir(), 'e2e');

async function openAs(role: string, lang = 'en'): Promise<Page> {
  const u = demoUser(role);
  const token = await signIn(shell.info.origin, shell.info.startToken, u.name, u.password);
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(`${shell.info.origin}/?token=${token}&display=main&lang=${lang}`);
  await page.locator(`.tile[data-camera-id="${CAM}"][data-state="live"]`).waitFor({ timeout: 60_000 });
  return page;
}

/** Samples a 9x9 grid inside [from, to] of the tile's picture on the wall canvas: how many samples are pure black. */
async function blackShare(page: Page, from: number, to: number, yFrom = from, yTo = to): Promise<{ black: number; of: number }> {
  return page.evaluate(({ cam, from, to, yFrom, yTo }) => {
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
      const nx = from + ((to - from) * i) / 8, ny = yFrom + ((yTo - yFrom) * j) / 8;
      const [r, g, b] = ctx.getImageData(Math.round((x0 + nx * w) * sx), Math.round((y0 + ny * h) * sy), 1, 1).data as unknown as number[];
      of++;
      if (r === 0 && g === 0 && b === 0) black++;
    }
    return { black, of };
  }, { cam: CAM, from, to, yFrom, yTo });
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
    expect(await dialog.getByRole('alert').innerText()).toBe('You do not have the right "lift privacy masks" on camera cam-extra-01.'); // the host's refusal, translated
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

  it('an administrator draws a permanent mask on the tile (black there, the picture elsewhere); a crossing outline is refused in Russian', async () => {
    const page = await openAs('administrator');
    // bottom-left: not masked yet, the picture shows (as it does in the unmasked band above it)
    const region = [0.08, 0.22, 0.76, 0.91] as const, unmasked = [0.08, 0.22, 0.45, 0.6] as const;
    await waitFor('the region shows the picture', async () => (await blackShare(page, ...region)).black < 40, 20_000);
    await page.locator(`.tile[data-camera-id="${CAM}"]`).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Privacy masks: edit…' }).click();
    const editor = page.getByTestId('mask-editor');
    const surface = page.getByTestId('mask-canvas');
    await surface.waitFor();
    const box = await surfaceOnPicture(page, surface, CAM);
    const click = (x: number, y: number) => page.mouse.click(box.x + x * box.width, box.y + y * box.height);
    // the masks already there are listed with their kinds
    expect(await editor.getByLabel('kind of mask 2').inputValue()).toBe('permanent');
    await editor.getByRole('button', { name: 'Draw permanent mask' }).click();
    for (const [x, y] of [[0.04, 0.72], [0.26, 0.72], [0.26, 0.95], [0.04, 0.95]] as const) await click(x, y);
    await click(0.04, 0.72); // back on the first corner: closed
    await editor.getByLabel('name of mask 3').fill('Neighbour yard');
    await page.screenshot({ path: join(shots, 'masks-editor.png') });
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });
    const [saved] = await admin.call('masks.list', { cameraIds: [CAM] });
    const drawn = saved!.masks.find((m) => m.name === 'Neighbour yard')!;
    expect(drawn.kind).toBe('permanent');
    expect(drawn.points[0]!.x).toBeCloseTo(0.04, 2);
    expect(drawn.points[2]!.y).toBeCloseTo(0.95, 2);
    await waitFor('the drawn region is black', async () => (await blackShare(page, ...region)).black === 81, 20_000);
    expect((await blackShare(page, ...unmasked)).black).toBeLessThan(40); // the rest is still the picture
    await page.screenshot({ path: join(shots, 'masks-drawn.png') });
    await page.close();

    // a crossing outline, in Russian: the host refuses it, the editor says why in Russian, nothing is saved
    const ruPage = await openAs('administrator', 'ru');
    await ruPage.locator(`.tile[data-camera-id="${CAM}"]`).click({ button: 'right' });
    await ruPage.getByRole('menuitem', { name: ru.masksEditor.menu }).click();
    const ruEditor = ruPage.getByTestId('mask-editor');
    const ruSurface = ruPage.getByTestId('mask-canvas');
    await ruSurface.waitFor();
    const rb = await surfaceOnPicture(ruPage, ruSurface, CAM);
    const ruClick = (x: number, y: number) => ruPage.mouse.click(rb.x + x * rb.width, rb.y + y * rb.height);
    await ruEditor.getByRole('button', { name: ru.masksEditor.draw.liftable }).click();
    for (const [x, y] of [[0.3, 0.05], [0.5, 0.2], [0.5, 0.05], [0.3, 0.2]] as const) await ruClick(x, y);
    await ruClick(0.3, 0.05);
    await ruEditor.getByRole('button', { name: ru.common.save }).click();
    const alert = ruEditor.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe(`«${ru.masksEditor.mask} 1»: стороны фигуры пересекаются. Нарисуйте контур без пересечений.`);
    await ruPage.screenshot({ path: join(shots, 'masks-crossing-refused.png') });
    expect(await ruEditor.isVisible()).toBe(true); // still open: the outline can be fixed
    const [after] = await admin.call('masks.list', { cameraIds: [CAM] });
    expect(after!.masks.map((m) => m.name)).toEqual(saved!.masks.map((m) => m.name));
    await ruPage.close();
  }, 180_000);
});
