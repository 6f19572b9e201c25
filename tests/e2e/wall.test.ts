/**
 * The live wall end to end, as an operator meets it: the real web shell with the demo city (simulator RTSP
 * cameras, GStreamer workers) in Debian's Chromium at 1920x1080. Pictures are checked against reference decodes
 * of each camera's clip, not against frame counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { demoSim } from '../support/e2e-console.js';
import { bestMatch, MATCH_CHROMA, MATCH_LUMA, meanLuma, referenceThumbs, sampleTile, thumbError, type PictureError, type Thumb } from '../support/pictures.js';
import { ApiClient } from '../support/api-client.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';

type TileInfo = { index: number; cameraId: string | null; state: string; painted: number; rect: { x: number; y: number; w: number; h: number } };
type SimCam = { id: string; streams: { main: { file: string }; sub: { file: string } } };

let shell: RunningShell;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let clipOf: Map<string, string>;
let api: ApiClient;
let firstSixteen: (string | null)[] = [];
const shots = join(artifactsDir(), 'e2e');

const tiles = (): Promise<TileInfo[]> => page.evaluate(() => (window as unknown as { __kuzet: { tiles(): TileInfo[] } }).__kuzet.tiles());
const sim = (path: string, method: 'GET' | 'POST' = 'POST') => demoSim(shell, path, method);
async function liveTiles(n: number, minPainted = 10): Promise<TileInfo[]> {
  let last: TileInfo[] = [];
  try {
    return await waitFor(`${n} live tiles`, async () => {
      last = await tiles();
      const live = last.filter((x) => x.cameraId && x.state === 'live' && x.painted >= minPainted);
      return live.length >= n ? last : null;
    }, 90_000, 500);
  } catch (e) {
    throw new Error(`${(e as Error).message}; tiles: ${last.map((t) => `${t.cameraId}:${t.state}:${t.painted}`).join(' ')}`);
  }
}

/** The tile shows its own camera's clip in luma and chroma (small errors) and not another scene's picture. */
async function expectOwnPicture(t: TileInfo): Promise<{ own: PictureError; other: PictureError }> {
  const ownClip = clipOf.get(t.cameraId!)!;
  const others = [...new Set(clipOf.values())].filter((c) => c !== ownClip);
  const sum = (e: PictureError) => e.luma + e.chroma;
  let own: PictureError = { luma: Infinity, chroma: Infinity }, other: PictureError = { luma: 0, chroma: 0 };
  // A tile may be between two pictures (stream switch, a dimmed moment): look again for up to 5 s.
  for (let attempt = 0; attempt < 10; attempt++) {
    const thumb = await sampleTile(page, t.index);
    own = bestMatch(thumb, referenceThumbs(ownClip));
    other = others.map((c) => bestMatch(thumb, referenceThumbs(c))).reduce((a, b) => (sum(b) < sum(a) ? b : a));
    if (own.luma < MATCH_LUMA && own.chroma < MATCH_CHROMA && sum(own) < sum(other) * 0.6) break;
    await page.waitForTimeout(500);
  }
  expect(own.luma, `${t.cameraId} (tile ${t.index}) vs its clip ${ownClip}: luma`).toBeLessThan(MATCH_LUMA);
  expect(own.chroma, `${t.cameraId} (tile ${t.index}) vs its clip ${ownClip}: chroma (U, V)`).toBeLessThan(MATCH_CHROMA);
  expect(sum(own), `${t.cameraId}: own clip must match better than any other scene`).toBeLessThan(sum(other) * 0.6);
  return { own, other };
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  shell = await startWebShell({ demo: true });
  const cams = (await sim('/cameras', 'GET')) as SimCam[];
  clipOf = new Map(cams.map((c) => [c.id, c.streams.sub.file]));
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  browser = await launchBrowser();
  page = browser.page;
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(shell.info.url);
  await page.waitForFunction(() => (window as unknown as { __kuzet?: { ready: boolean } }).__kuzet?.ready === true, null, { timeout: 60_000 });
  // Pictures are compared with the clips as decoded: the demo analytics' boxes off and the alarm queue folded
  // (tests/e2e/alarms.test.ts covers both).
  await page.evaluate(() => {
    document.querySelector<HTMLButtonElement>('.alarm-panel button[title="Analytics boxes on every tile"]')?.click();
    document.querySelector<HTMLButtonElement>('.alarm-panel button[title="Hide the alarm queue"]')?.click();
  });
}, 180_000);

afterAll(async () => {
  api?.close();
  await browser?.close();
  await shell?.close();
});

describe('live wall in Chromium (web shell, 1920x1080)', () => {
  it('shows 16 live cameras, each with its own moving, correctly decoded picture', async () => {
    const t = await liveTiles(16, 25);
    await page.screenshot({ path: join(shots, 'wall-4x4.png') });
    // The pictures below are painted by the WebAssembly I420 kernel (not the browser's drawImage), from the page's
    // own H.264 decode in the frame worker: the pixel checks are what proves the decode, the pooled hand-over to the
    // main thread, and the kernel's colours and scaling.
    const how = await page.evaluate(() => { const k = (window as unknown as { __kuzet: { paint: string; browserDecode: boolean | null; decodeIn(): string } }).__kuzet; return { paint: k.paint, browserDecode: k.browserDecode, decodeIn: k.decodeIn() }; });
    expect(how).toEqual({ paint: 'i420-kernel', browserDecode: true, decodeIn: 'worker' });
    const shown = t.filter((x) => x.cameraId);
    expect(shown).toHaveLength(16);
    firstSixteen = shown.map((x) => x.cameraId);
    const first = new Map<number, Thumb>();
    for (const tile of shown) first.set(tile.index, await sampleTile(page, tile.index));
    // Every tile's picture must change. Tiles the decoder budget put on key frames only show about one new picture a
    // second, and a clip's key frames can look alike: such a tile counts as moving when it painted new pictures (its
    // painted count went up by 3 or more) even where two of them look the same. Each tile is looked at again until it
    // moved, up to 30 s (no timing is asserted: a busy machine only makes it take longer).
    const moved = new Map<number, number>();
    const still = () => shown.filter((tile) => !moved.has(tile.index));
    const keyframeOnlyNow = async () => new Set((await api.call('streams.status', {})).filter((s) => s.keyframeOnly).map((s) => s.cameraId));
    await waitFor('every tile\'s picture to change', async () => {
      const keyOnly = await keyframeOnlyNow();
      const paintedNow = new Map((await tiles()).map((x) => [x.index, x.painted]));
      for (const tile of still()) {
        // A frozen picture gives exactly 0; the darkest scene (night street, small moving lights) changes by ~0.3.
        const change = thumbError(first.get(tile.index)!, await sampleTile(page, tile.index));
        if (change > 0.05) moved.set(tile.index, change);
        else if (keyOnly.has(tile.cameraId!) && (paintedNow.get(tile.index) ?? 0) >= tile.painted + 3) moved.set(tile.index, change);
      }
      return still().length === 0;
    }, 30_000, 500).catch(() => undefined);
    const keyframeOnly = await keyframeOnlyNow();
    expect(still().map((tile) => `${tile.cameraId}${keyframeOnly.has(tile.cameraId!) ? ' (key frames only)' : ''}`), 'tiles whose picture did not change in 30 s').toEqual([]);
    expect(moved.size, 'tiles whose picture changed').toBe(16);
    const report: string[] = [];
    for (const tile of shown) {
      const { own, other } = await expectOwnPicture(tile);
      report.push(`${tile.cameraId}${keyframeOnly.has(tile.cameraId!) ? ' (key frames only)' : ''}: own luma ${own.luma.toFixed(1)} chroma ${own.chroma.toFixed(1)}, other scene luma ${other.luma.toFixed(1)} chroma ${other.chroma.toFixed(1)}`);
    }
    console.log('[e2e] picture match (mean abs error, 0-255):\n' + report.join('\n'));
  }, 240_000);

  it('switches layouts from the top bar and keeps the cameras in order', async () => {
    const before = (await tiles()).map((t) => t.cameraId);
    await page.getByRole('button', { name: '3x3', exact: true }).click();
    await waitFor('9 tiles', async () => (await tiles()).length === 9);
    expect((await tiles()).map((t) => t.cameraId)).toEqual(before.slice(0, 9));
    await page.getByRole('button', { name: '1+5', exact: true }).click();
    await waitFor('6 tiles', async () => (await tiles()).length === 6);
    const span = await tiles();
    expect(span[0]!.rect.w).toBeGreaterThan(span[1]!.rect.w * 1.8); // the big cell of 1+5 spans two columns
    await liveTiles(6);
    await page.screenshot({ path: join(shots, 'wall-1plus5.png') });
    await expectOwnPicture((await tiles())[0]!);
    await page.getByRole('button', { name: '4x4', exact: true }).click();
    await waitFor('16 tiles', async () => (await tiles()).length === 16);
    // Growing the grid keeps the six cameras and adds empty cells (as Smart Client does).
    expect((await tiles()).map((t) => t.cameraId)).toEqual([...before.slice(0, 6), ...Array(10).fill(null)]);
    // Back to the full wall, as an operator opening a saved layout would.
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('4x4', firstSixteen, 'live', 'Live') });
    await waitFor('16 cameras back', async () => (await tiles()).filter((t) => t.cameraId).length === 16);
  }, 150_000);

  it('puts a camera dragged from the camera list onto a tile, and swaps two tiles by dragging', async () => {
    const t0 = await tiles();
    const onWall = new Set(t0.map((t) => t.cameraId));
    const newcomer = [...clipOf.keys()].find((id) => !onWall.has(id))!;
    await page.dragAndDrop(`li.cam-row[data-camera-id="${newcomer}"]`, '[data-tile-index="5"]');
    await waitFor('tile 5 shows the dragged camera', async () => (await tiles()).find((t) => t.index === 5)?.cameraId === newcomer);
    const live = await liveTiles(16);
    await expectOwnPicture(live.find((t) => t.index === 5)!);
    const a = live.find((t) => t.index === 0)!.cameraId, b = live.find((t) => t.index === 1)!.cameraId;
    await page.dragAndDrop('[data-tile-index="0"]', '[data-tile-index="1"]');
    await waitFor('tiles 0 and 1 swapped', async () => {
      const t = await tiles();
      return t[0]!.cameraId === b && t[1]!.cameraId === a;
    });
  }, 150_000);

  it('maximises a tile on double-click and restores it with Esc', async () => {
    const before = await tiles();
    const target = before.find((t) => t.index === 6)!;
    await page.dblclick('[data-tile-index="6"]');
    const big = await waitFor('maximised tile', async () => {
      const t = (await tiles()).find((x) => x.index === 6)!;
      return t.rect.w > before[6]!.rect.w * 3 ? t : null;
    });
    await liveTiles(1);
    // the host switches the big tile's camera to its main stream: the screenshot shows that picture
    await waitFor('the big tile on the main stream', async () => (await api.call('streams.status', {})).some((s) => s.cameraId === target.cameraId && s.profile === 'main' && s.state === 'live'), 30_000);
    await page.screenshot({ path: join(shots, 'wall-maximised.png') });
    expect(big.cameraId).toBe(target.cameraId);
    await page.keyboard.press('Escape');
    await waitFor('restored', async () => Math.abs((await tiles()).find((x) => x.index === 6)!.rect.w - before[6]!.rect.w) < 2);
  }, 150_000);

  it('turns a stalled camera visibly stale, and live again when it resumes', async () => {
    const t = await liveTiles(16);
    const victim = t.find((x) => x.index === 2)!;
    const live = await sampleTile(page, victim.index);
    await sim(`/cameras/${victim.cameraId}/stall`);
    const t0 = Date.now();
    await waitFor('stale tile', async () => {
      const s = await page.getAttribute(`[data-tile-index="${victim.index}"]`, 'data-state');
      return s !== 'live' ? s : null;
    }, 20_000, 100);
    // the 1.5 s rule is the state machine's (tests/unit/stream-state.test.ts); how soon the tile shows it depends on load
    console.log(`[wall] tile stale ${Date.now() - t0} ms after the camera stalled`);
    // The frozen picture is dimmed, so it cannot pass for live video (the dimming is drawn with the tile's next paint).
    const liveLuma = meanLuma(live);
    await expect.poll(async () => meanLuma(await sampleTile(page, victim.index)), { timeout: 10_000, interval: 100 })
      .toBeLessThan(liveLuma * 0.8);
    await page.screenshot({ path: join(shots, 'wall-stalled.png') });
    // Other tiles are unaffected: none reconnects, errs or goes offline (on an overloaded machine any tile may go
    // 1.2 s without a picture and show 'stalled' for a moment: the stall rule reacting to load, logged, not asserted).
    const others = (await tiles()).filter((x) => x.index !== victim.index && x.cameraId);
    console.log(`[wall] other tiles stalled by load meanwhile: ${others.filter((x) => x.state === 'stalled').length}`);
    expect(others.filter((x) => x.state !== 'live' && x.state !== 'stalled').map((x) => `${x.index}: ${x.state}`)).toEqual([]);
    await sim(`/cameras/${victim.cameraId}/unstall`);
    await waitFor('tile live again', async () => (await page.getAttribute(`[data-tile-index="${victim.index}"]`, 'data-state')) === 'live', 30_000);
  }, 150_000);
});
