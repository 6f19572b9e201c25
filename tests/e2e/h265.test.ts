/**
 * An H.265 camera end to end (issue 9): a simulator camera switched to H.265 is added to the console (probed), shown
 * on the wall in Chromium next to an H.264 camera, and its pictures are the clip's pictures in luma and chroma. The
 * window decodes H.264 itself (WebCodecs) but has no H.265 decoder, so the H.265 stream must take the host-decode
 * path with the H.265 pipeline; before the fix the probed codec never reached the stream engine, the camera got the
 * H.264 pipeline and never showed a picture.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { DIM_OVERLAY } from '../../renderer/wall/compositor-canvas2d.js';
import type { StreamStatus } from '../../electron/contract/schemas.js';
import { startSimulator, type SimCamera, type Simulator } from '../../native/simulator/control.js';
import { ApiClient } from '../support/api-client.js';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { bestMatch, pictureError, referenceThumbs, sampleTile, underOverlay, withoutChroma, withSwappedChroma, type Thumb } from '../support/pictures.js';

type TileInfo = { index: number; cameraId: string | null; state: string; painted: number };

const HEVC_SIM = 'republic-square'; // scene plaza: colourful, so chroma errors show
const AVC_SIM = 'almaty2-station'; // the same scene in H.264
let sim: Simulator;
let shell: RunningShell;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let api: ApiClient;
let hevcCam: SimCamera;
const shots = join(artifactsDir(), 'e2e');

/** The picture under the wall's stale-tile dimming (DIM_OVERLAY drawn over it). */
function undim(t: Thumb): Thumb {
  const [r, g, b, a] = DIM_OVERLAY.match(/[\d.]+/g)!.map(Number) as [number, number, number, number];
  return underOverlay(t, [r, g, b], a);
}

const tiles = (): Promise<TileInfo[]> => page.evaluate(() => (window as unknown as { __kuzet: { tiles(): TileInfo[] } }).__kuzet.tiles());
const statusOf = async (id: string): Promise<StreamStatus | undefined> => (await api.call('streams.status', {})).find((s) => s.cameraId === id);

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  sim = await startSimulator({ only: [HEVC_SIM, AVC_SIM] });
  hevcCam = await sim.codec(HEVC_SIM, 'h265');
  shell = await startWebShell();
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  browser = await launchBrowser();
  page = browser.page;
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(shell.info.url);
  await page.waitForFunction(() => (window as unknown as { __kuzet?: { ready: boolean } }).__kuzet?.ready === true, null, { timeout: 60_000 });
  // the picture is compared with the clip as decoded: the alarm queue folded, as in the wall test
  await page.evaluate(() => document.querySelector<HTMLButtonElement>('.alarm-panel button[title="Hide the alarm queue"]')?.click());
}, 180_000);

afterAll(async () => {
  api?.close();
  await browser?.close();
  await shell?.close();
  await sim?.close();
});

describe('an H.265 camera on the wall', () => {
  it('is probed as H.265, decoded by the host with the H.265 pipeline, and shows the clip\'s pictures in colour', async () => {
    expect(hevcCam.codec).toBe('h265');
    const hevc = await api.call('cameras.add', { camera: { id: 'hevc-cam', name: 'H.265 camera', mainUrl: sim.url(HEVC_SIM, 'main'), subUrl: sim.url(HEVC_SIM, 'sub') }, probe: true });
    const avc = await api.call('cameras.add', { camera: { id: 'avc-cam', name: 'H.264 camera', mainUrl: sim.url(AVC_SIM, 'main'), subUrl: sim.url(AVC_SIM, 'sub') }, probe: true });
    expect(hevc.probe?.main).toMatchObject({ ok: true, codec: 'hevc', width: 1280, height: 720 });
    expect(hevc.probe?.sub).toMatchObject({ ok: true, codec: 'hevc', width: 640, height: 360 });
    expect(avc.probe?.sub).toMatchObject({ ok: true, codec: 'h264' });
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', ['hevc-cam', 'avc-cam', null, null], 'live', 'Live') });

    // Every picture from the first one on is the camera's: a stream joined mid-GOP must not paint the grey, smeared
    // pictures libav's H.265 decoder makes of frames whose references it never saw (the first 8 samples from the first
    // painted picture on; a starved decoder dropping data must not paint them either).
    const own = referenceThumbs(hevcCam.streams.main.file);
    const early: number[] = [];
    await waitFor('8 samples of the H.265 tile\'s first pictures', async () => {
      const t = (await tiles()).find((x) => x.cameraId === 'hevc-cam');
      if (!t || t.painted < 1 || t.state !== 'live') return false;
      const sample = await sampleTile(page, t.index);
      // a tile that stalls for a moment (a loaded machine) is dimmed on purpose: judge the picture under the dimming
      early.push(Math.min(bestMatch(sample, own).chroma, bestMatch(undim(sample), own).chroma));
      return early.length >= 8;
    }, 90_000, 50);

    let last: TileInfo[] = [];
    await waitFor('both tiles live and painting', async () => {
      last = await tiles();
      return ['hevc-cam', 'avc-cam'].every((id) => last.some((t) => t.cameraId === id && t.state === 'live' && t.painted >= 25));
    }, 90_000, 500).catch((e: Error) => { throw new Error(`${e.message}; tiles: ${last.map((t) => `${t.cameraId}:${t.state}:${t.painted}`).join(' ')}`); });
    await page.screenshot({ path: join(shots, 'h265-wall.png') });

    // The window decodes H.264 itself: the H.264 camera travels compressed, the H.265 one is decoded by the host.
    expect(await page.evaluate(() => (window as unknown as { __kuzet: { browserDecode: boolean | null } }).__kuzet.browserDecode)).toBe(true);
    const status = await statusOf('hevc-cam');
    expect(status).toMatchObject({ state: 'live', codec: 'h265', encoded: false, engine: 'gstreamer' });
    expect(await statusOf('avc-cam')).toMatchObject({ state: 'live', codec: 'h264', encoded: true });

    const tile = last.find((t) => t.cameraId === 'hevc-cam')!;
    const clip = hevcCam.streams[status!.profile].file;
    expect(status!.profile, 'a 2x2 tile of 1920x1080 takes the main stream').toBe('main');
    expect(clip).toMatch(/\.h265$/);
    console.log(`first pictures of the H.265 tile: ${early.length} samples, chroma error ${early.map((e) => e.toFixed(1)).join(' ')}`);
    expect(Math.max(...early), 'no grey or smeared picture after joining the stream').toBeLessThan(8);
    const other = referenceThumbs('night-street-360p.h264');
    let best = { luma: Infinity, chroma: Infinity, frame: -1 };
    let thumb: Thumb = { y: new Uint8Array(), u: new Uint8Array(), v: new Uint8Array() };
    // a picture may be caught mid-change: look again for up to 5 s
    for (let attempt = 0; attempt < 10; attempt++) {
      thumb = await sampleTile(page, tile.index);
      best = bestMatch(thumb, own);
      if (best.luma < 10 && best.chroma < 4) break;
      await page.waitForTimeout(500);
    }
    const reference = own[best.frame]!;
    const grey = pictureError(thumb, withoutChroma(reference)).chroma;
    const swapped = pictureError(thumb, withSwappedChroma(reference)).chroma;
    const elsewhere = bestMatch(thumb, other);
    console.log(`h265 tile vs ${clip} frame ${best.frame}: luma ${best.luma.toFixed(2)} chroma ${best.chroma.toFixed(2)}; ` +
      `vs grey chroma ${grey.toFixed(2)}, swapped chroma ${swapped.toFixed(2)}, another scene luma ${elsewhere.luma.toFixed(2)}`);
    expect(best.luma, 'luma of the painted H.265 picture against its clip').toBeLessThan(10);
    expect(best.chroma, 'chroma of the painted H.265 picture against its clip').toBeLessThan(4);
    // the bounds could be met by a wrong picture only if the comparison were blind: it is not
    expect(best.chroma).toBeLessThan(grey * 0.5);
    expect(best.chroma).toBeLessThan(swapped * 0.5);
    expect(best.luma).toBeLessThan(elsewhere.luma * 0.6);

    // it is a moving picture, not one frozen frame
    const later = await waitFor('a later, different H.265 picture', async () => { const p = await sampleTile(page, tile.index); return pictureError(thumb, p).luma > 0.05 ? p : null; }, 30_000);
    expect(pictureError(thumb, later).luma, 'the H.265 picture changes over time').toBeGreaterThan(0.05);
  }, 240_000);
});
