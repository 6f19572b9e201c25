/**
 * The console the city map's end-to-end files start (tests/e2e/map, map-offline, map-klv, plates): a web shell, its API
 * client, cameras placed on the map (their streams lead nowhere: the map needs only where they are), an empty 2x2 wall,
 * and Chromium whose every request leaving this machine is collected in `outside` (a test ends by expecting none).
 * Also the map window's diagnostics probe (`window.__kuzetMap`) and its search box.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { Camera } from '../../electron/contract/schemas.js';
import type { LonLat } from '../../renderer/map/geo.js';
import type { MapProbe } from '../../renderer/map/MapView.js';
import en from '../../resources/locales/en.json' with { type: 'json' };
import { ApiClient } from './api-client.js';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from './harness.js';
import { openMapWindow } from './map-page.js';
import { watchOutside } from './offline.js';

export interface MapConsole { shell: RunningShell; api: ApiClient; browser: Awaited<ReturnType<typeof launchBrowser>>; outside: string[] }

/** Where screenshots of the map tests go. */
export const mapShots = join(artifactsDir(), 'e2e');

/** Starts the console; `cameras` are added without a probe, `emptyWall` lays out a 2x2 wall without cameras. */
export async function startMapConsole(opts: { shell?: Parameters<typeof startWebShell>[0]; cameras?: Array<{ id: string; name: string; location: NonNullable<Camera['location']> }>; emptyWall?: boolean } = {}): Promise<MapConsole> {
  mkdirSync(mapShots, { recursive: true });
  const shell = await startWebShell(opts.shell);
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  for (const c of opts.cameras ?? []) {
    await api.call('cameras.add', { probe: false, camera: { id: c.id, name: c.name, mainUrl: `rtsp://127.0.0.1:9/${c.id}`, kind: 'fixed', location: c.location } });
  }
  if (opts.emptyWall) await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', [null, null, null, null], 'live', 'Live') });
  const browser = await launchBrowser();
  const outside: string[] = [];
  watchOutside(browser.context, outside);
  return { shell, api, browser, outside };
}

/** The map window's probe (renderer/map/MapView.tsx): deck's projection of a coordinate to CSS pixels, what deck picks at a pixel. */
export type { MapProbe };

export const mapProbe = (page: Page) => ({
  project: (p: LonLat) => page.evaluate(([lon, lat]) => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.project(lon, lat), p),
  pick: (p: [number, number]) => page.evaluate(([x, y]) => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.pick(x, y), p),
  redraws: () => page.evaluate(() => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.redraws()),
  tiles: () => page.evaluate(() => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.tiles()),
  /** The district's names drawn at this zoom, in the map's language. */
  labels: () => page.evaluate(() => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.labels()),
  /** Plans (map.json ids) whose image had loaded when the map last drew. */
  plansDrawn: () => page.evaluate(() => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.plansDrawn()),
  /** deck.gl loop steps so far (animation frames, idle polls) and frames drawn. */
  loop: () => page.evaluate(() => { const m = (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap; return { ...m.loopSteps(), redraws: m.redraws() }; }),
  zoomTo: (z: number) => page.evaluate((zoom) => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.zoomTo(zoom), z),
  /** Pan and zoom shown by moved pictures so far, and whether both canvases are drawn sharp for the view now. */
  standIn: () => page.evaluate(() => (window as unknown as { __kuzetMap: MapProbe }).__kuzetMap.standIn()),
});

/** Searches the map for a coordinate (the search box takes "lat, lon"); `words`: the map's strings in its language. */
export async function searchMap(map: Page, p: LonLat, words: { search: string } = en.map): Promise<void> {
  await map.getByRole('textbox', { name: words.search }).fill(`${p[1]}, ${p[0]}`);
  await map.getByRole('button', { name: words.search, exact: true }).click();
}

/** Searches the map for a coordinate; resolves with its pixel once deck draws it in the middle of the 1280x800 window. */
export async function centreOn(map: Page, p: LonLat, words: { search: string } = en.map): Promise<[number, number]> {
  await searchMap(map, p, words);
  return waitFor('the point centred', async () => { const q = await mapProbe(map).project(p); return q && Math.abs(q[0] - 640) < 2 && Math.abs(q[1] - 400) < 2 ? q : null; });
}

/**
 * Opens the console's wall, runs `prepare` on it (the wall's own settings, before the map exists), then opens the map
 * window from the wall's top bar; returns both pages.
 */
export async function openMap(con: MapConsole, prepare?: (wall: Page) => Promise<unknown>): Promise<{ wall: Page; map: Page }> {
  const wall = con.browser.page;
  await wall.goto(con.shell.info.url);
  await prepare?.(wall);
  return { wall, map: await openMapWindow(wall, en.map.open) };
}
