/**
 * The console around the wall, as an operator and a supervisor use it: the camera panel (add with a probe, bad input,
 * location, import, export), two displays (push a camera and a layout to the other one), wall presets, and a camera
 * tour. The real web shell with the demo city (simulator RTSP cameras) in Debian's Chromium at 1920x1080; only a few
 * tiles are shown so the test stays light on 2 cores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';

type TileInfo = { index: number; cameraId: string | null; state: string; painted: number; rect: { x: number; y: number; w: number; h: number } };
type SimCam = { id: string; streams: { main: { url: string }; sub: { url: string } } };

let shell: RunningShell;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let side: Page;
let api: ApiClient;
let simCams: SimCam[];
const shots = join(artifactsDir(), 'e2e');

const tilesOf = (p: Page): Promise<TileInfo[]> => p.evaluate(() => (window as unknown as { __kuzet: { tiles(): TileInfo[] } }).__kuzet.tiles());
const ready = (p: Page) => p.waitForFunction(() => (window as unknown as { __kuzet?: { ready: boolean } }).__kuzet?.ready === true, null, { timeout: 60_000 });

/** Waits until the element's text matches (Playwright's own expect is not vitest's). */
async function hasText(loc: Locator, want: string | RegExp, timeoutMs = 10_000): Promise<void> {
  let last = '';
  try {
    await waitFor(`text ${String(want)}`, async () => {
      last = (await loc.count()) ? await loc.first().innerText() : '';
      return typeof want === 'string' ? last.includes(want) : want.test(last);
    }, timeoutMs, 200);
  } catch { expect(last, 'element text').toMatch(want); }
}

async function tileMenu(p: Page, index: number): Promise<void> {
  const t = (await tilesOf(p)).find((x) => x.index === index)!;
  await p.mouse.click(t.rect.x + t.rect.w / 2, t.rect.y + t.rect.h / 2, { button: 'right' });
  await p.getByRole('menu').waitFor();
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  shell = await startWebShell({ demo: true });
  simCams = await (await fetch(`${shell.info.simControl}/cameras`)).json() as SimCam[];
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', ['abay-dostyk', 'republic-square', 'green-bazaar', null], 'live', 'Live') });
  browser = await launchBrowser();
  page = browser.page;
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(shell.info.url);
  await ready(page);
}, 180_000);

afterAll(async () => {
  api?.close();
  await browser?.close();
  await shell?.close();
});

describe('console around the wall (web shell, Chromium)', () => {
  it('adds a camera with a probe, refuses bad input with a clear message, and keeps its location', async () => {
    await page.getByRole('button', { name: 'Cameras', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'Cameras' });
    await panel.waitFor();
    const field = (label: string) => panel.getByLabel(label, { exact: true });

    // Shell metacharacters in a URL: refused with the reason, nothing saved.
    await field('Name').fill('Bad URL');
    await field('Main stream URL').fill('rtsp://10.0.0.1/live;rm -rf /');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await hasText(panel.getByRole('alert'), /URL/i);
    // A latitude that is not a number: the field is named.
    await field('Main stream URL').fill(simCams[3]!.streams.main.url);
    await field('Latitude').fill('forty-three');
    await field('Longitude').fill('76.95');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await hasText(panel.getByRole('alert'), 'latitude: a number from -90 to 90');
    expect((await api.call('cameras.list', {})).some((c) => c.name === 'Bad URL')).toBe(false);

    // A good camera: saved, probed (codec, size and fps from the real stream), location kept.
    await field('Name').fill('Satpayev lane 2');
    await field('Sub-stream URL').fill(simCams[3]!.streams.sub.url);
    await field('Latitude').fill('43.2367');
    await field('Heading °').fill('135');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    // both streams probed, each with its key frames timed: the simulator's sub-stream has one every half second
    await hasText(panel.locator('.result'),
      /Saved Satpayev lane 2 .*h264 1280x720 25 fps, a key frame every 1 s · sub-stream: h264 640x360 25 fps, a key frame every 0\.5 s$/, 30_000);
    await hasText(panel.locator('tr', { hasText: 'Satpayev lane 2' }).locator('td').nth(2), /a key frame every 0\.5 s$/);
    const added = (await api.call('cameras.list', {})).find((c) => c.name === 'Satpayev lane 2')!;
    expect(added.location).toEqual({ lat: 43.2367, lon: 76.95, heading: 135 });
    // Recording is switched per camera in the list; the new camera starts recording its main stream.
    await panel.getByLabel('Recording of Satpayev lane 2').selectOption('continuous');
    await waitFor('recording starts', async () => {
      const st = (await api.call('recording.status', {})).find((x) => x.cameraId === added.id);
      return st?.mode === 'continuous' && (st.state === 'recording' || st.state === 'starting');
    }, 20_000);
    // its sub-stream is recorded too (the default), and the switch beside the mode turns that off alone
    const subSwitch = panel.getByLabel('Also record the sub-stream of Satpayev lane 2');
    await waitFor('the sub-stream switch on', async () => (await subSwitch.isChecked().catch(() => false)) || null, 10_000);
    await page.screenshot({ path: join(shots, 'camera-panel.png') });
    await subSwitch.uncheck();
    await waitFor('the sub-stream not recorded', async () => {
      const st = (await api.call('recording.status', {})).find((x) => x.cameraId === added.id);
      return st?.mode === 'continuous' && st.sub === undefined || null;
    }, 10_000);
    await panel.getByLabel('Recording of Satpayev lane 2').selectOption('off');
    await waitFor('recording off', async () => (await api.call('recording.status', {})).find((x) => x.cameraId === added.id)?.mode === 'off');

    // Import: one good row, one with an 8,000-character name: the good one lands, the bad one is named.
    const rows = [
      { name: 'Imported gate', mainUrl: simCams[5]!.streams.main.url, kind: 'fixed', tags: ['gate'] },
      { name: 'x'.repeat(8000), mainUrl: simCams[6]!.streams.main.url },
    ];
    await panel.locator('input[type=file]').setInputFiles({ name: 'more.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rows)) });
    await hasText(panel.locator('.result'), /Imported more\.json: 1 added, 0 updated, 1 rejected — row 2: .*200 characters/);

    // Export: the file the browser downloads is the camera list, without passwords.
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export JSON' }).click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as unknown;
    const text = JSON.stringify(exported);
    expect(text).toContain('Imported gate');
    expect(text).toContain('Satpayev lane 2');
    expect(text).not.toMatch(/password/i);
    await panel.getByRole('button', { name: 'Close', exact: true }).first().click();
  }, 150_000);

  it('pushes a camera and a layout to another display, and a wall preset restores both displays', async () => {
    side = await browser.context.newPage();
    // The side display decodes on the host (as a browser without WebCodecs would); the main one decodes H.264 itself.
    await side.goto(shell.info.url.replace('display=main', 'display=side') + '&decode=host');
    await ready(side);
    await waitFor('main sees the side display', async () => (await page.getByRole('button', { name: 'Wall presets ▾' }).count()) > 0
      && (await api.call('wall.displays', {})).some((d) => d.id === 'side'));

    // Right-click a tile on the main display: send its camera to "side".
    await tileMenu(page, 1);
    await page.getByRole('menuitem', { name: 'Send camera to Display side' }).click();
    await waitFor('side shows republic-square', async () => (await tilesOf(side)).some((t) => t.cameraId === 'republic-square' && t.state === 'live'), 90_000);
    await side.screenshot({ path: join(shots, 'display-side.png') });
    const decodes = (p: Page) => p.evaluate(() => (window as unknown as { __kuzet: { browserDecode: boolean | null } }).__kuzet.browserDecode);
    expect([await decodes(page), await decodes(side)]).toEqual([true, false]);
    // One worker per camera: a camera on both displays comes as pictures for both; one only on main stays compressed.
    await waitFor('delivery follows the displays', async () => {
      const st = await api.call('streams.status', {});
      const of = (id: string) => st.find((x) => x.cameraId === id)?.encoded;
      return of('republic-square') === false && of('abay-dostyk') === true;
    }, 90_000);
    await waitFor('republic-square live on both', async () => (await tilesOf(page))[1]?.state === 'live' && (await tilesOf(side)).some((t) => t.cameraId === 'republic-square' && t.state === 'live'), 90_000);

    // Save both displays as a wall preset, change both, apply the preset: both come back.
    const sideBefore = (await tilesOf(side)).map((t) => t.cameraId);
    const mainBefore = (await tilesOf(page)).map((t) => t.cameraId);
    await page.getByRole('button', { name: 'Wall presets ▾' }).click();
    await page.getByPlaceholder('Save wall as…').fill('Morning shift');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await hasText(page.locator('.popover'), 'Morning shift');
    await page.getByRole('button', { name: 'Wall presets ▾' }).click(); // close

    await tileMenu(page, 0);
    await page.getByRole('menuitem', { name: 'Send layout to Display side' }).click();
    await waitFor('side took the main layout', async () => JSON.stringify((await tilesOf(side)).map((t) => t.cameraId)) === JSON.stringify(mainBefore), 90_000);
    await page.getByRole('button', { name: '3x3', exact: true }).click();
    await waitFor('main has 9 tiles', async () => (await tilesOf(page)).length === 9, 90_000);

    await page.getByRole('button', { name: 'Wall presets ▾' }).click();
    await page.locator('.popover').getByRole('button', { name: 'Morning shift' }).click();
    await waitFor('main restored', async () => JSON.stringify((await tilesOf(page)).map((t) => t.cameraId)) === JSON.stringify(mainBefore), 90_000);
    await waitFor('side restored', async () => JSON.stringify((await tilesOf(side)).map((t) => t.cameraId)) === JSON.stringify(sideBefore), 90_000);
    // The preset survives in the host, as data.
    const presets = await api.call('wall.presets.list', {});
    expect(presets.find((p) => p.name === 'Morning shift')?.displays).toHaveProperty('side');
    await side.close();
  }, 400_000);

  it('runs a camera tour on a tile: the tile cycles through the group and stops on request', async () => {
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', ['kapchagay-hwy-drone', 'republic-square', null, null], 'live', 'Live') });
    await waitFor('drone on tile 0', async () => (await tilesOf(page))[0]?.cameraId === 'kapchagay-hwy-drone');
    await tileMenu(page, 0);
    await page.getByRole('menuitem', { name: /^Start tour of group “Aerial patrol” \(2 cameras/ }).click();
    // Ten seconds a camera: the tile moves on to the group's other drone, and goes live there.
    await waitFor('the tour moves to the other drone', async () => {
      const t = (await tilesOf(page))[0];
      return t?.cameraId === 'medeu-road-drone' && t.state === 'live';
    }, 25_000, 300);
    await tileMenu(page, 0);
    await page.getByRole('menuitem', { name: 'Stop tour' }).click();
    const stoppedOn = (await tilesOf(page))[0]?.cameraId;
    await page.waitForTimeout(11_000); // the thing tested: longer than a tour step (10 s) passes and the tile stays put
    expect((await tilesOf(page))[0]?.cameraId).toBe(stoppedOn);
  }, 150_000);

  it('the grid fields follow the layout: a preset sets what they show (they kept the first layout\'s numbers)', async () => {
    const cols = page.getByLabel('columns', { exact: true });
    const rows = page.getByLabel('rows', { exact: true });
    for (const [preset, n] of [['3x3', '3'], ['2x2', '2']] as const) {
      await page.locator('nav.presets').getByRole('button', { name: preset, exact: true }).click();
      await waitFor(`the grid fields at ${n} x ${n}`, async () => ((await cols.inputValue()) === n && (await rows.inputValue()) === n ? true : null), 10_000);
    }
  });
});
