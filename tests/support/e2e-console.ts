/**
 * The pieces every end-to-end file's console set-up shares: closing what beforeAll started (in any state it got to), a
 * page of the console signed in with a session token, the wall's and camera list's probes, and an editor's drawing
 * surface once it is on the picture.
 */
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { ApiClient } from './api-client.js';
import { startWebShell, waitFor, type RunningShell } from './harness.js';
import { addRecordedCameras } from './recording.js';

/** A call to the control API of the demo web shell's own simulator (native/simulator/README.md: GET /cameras, POST /cameras/<id>/<action>). */
export async function demoSim(shell: RunningShell, path: string, method: 'GET' | 'POST' = 'POST'): Promise<unknown> {
  const res = await fetch(`${shell.info.simControl}${path}`, { method });
  if (!res.ok) throw new Error(`simulator ${path}: ${res.status}`);
  return res.json() as Promise<unknown>;
}

/** Closes the API client, Chromium and the web shell, whichever of them started (for afterAll). */
export async function closeConsole(c: { api?: ApiClient | undefined; browser?: { close(): Promise<void> } | undefined; shell?: RunningShell | undefined } | undefined): Promise<void> {
  c?.api?.close();
  await c?.browser?.close();
  await c?.shell?.close();
}

/** Resolves once the wall page says it is ready (its tiles laid out and connected). */
export const wallReady = (p: Page) => p.waitForFunction(() => (window as unknown as { __kuzet?: { ready: boolean } }).__kuzet?.ready === true, null, { timeout: 60_000 });

/** The camera ids the console's camera list shows, sorted. */
export const listedCameras = (p: Page) => p.locator('.camera-list [data-camera-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id')!).sort());

/** A new page of the console (display `main`) opened with a session token, once its wall is ready; page errors are logged. */
export async function openConsoleAs(context: BrowserContext, shell: RunningShell, token: string, lang = 'en'): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(`${shell.info.origin}/?token=${token}&display=main&lang=${lang}`);
  await wallReady(page);
  return page;
}

export type Box = { x: number; y: number; width: number; height: number };

/** An element's box on the page (an error when it is not there). */
export async function boxOf(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).boundingBox();
  if (!b) throw new Error(`${selector} is not on the page`);
  return b;
}
/** Two lengths in CSS pixels within px of each other. */
export const near = (a: number, b: number, px = 4): boolean => Math.abs(a - b) <= px;

/**
 * The boxes of several elements from one layout of the page (one evaluate): two `boxOf` calls can straddle a re-layout
 * (the replay walls are placed by the measured size of their area), so boxes compared with each other come from here.
 */
export async function boxesOf(page: Page, selectors: string[]): Promise<Box[]> {
  const boxes = await page.evaluate((sels) => sels.map((s) => {
    const r = document.querySelector(s)?.getBoundingClientRect();
    return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
  }), selectors);
  return boxes.map((b, i) => { if (!b) throw new Error(`${selectors[i]} is not on the page`); return b; });
}

/** The replay e2e files' console: a simulator with two extra cameras, a web shell (no MQTT port), these cameras recorded. */
export async function startRecordingConsole(cameraIds: string[]): Promise<{ sim: Simulator; shell: RunningShell; api: ApiClient }> {
  const sim = await startSimulator({ camerasFile: 'none', extra: 2 });
  const shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await addRecordedCameras(api, sim, cameraIds);
  return { sim, shell, api };
}

/** A replay e2e file's console (startRecordingConsole) and the browser its test launches, closed after the file's tests. */
export interface RecordingConsoleFile { sim: Simulator; shell: RunningShell; api: ApiClient; browser?: { close(): Promise<void> } }

/**
 * Starts startRecordingConsole before the file's tests (beforeAll) and closes it, with the browser the test put in
 * `browser`, after them (afterAll); the returned object is filled in by beforeAll.
 */
export function recordingConsoleForFile(cameraIds: string[], artifacts: string): RecordingConsoleFile {
  const c = {} as RecordingConsoleFile;
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    Object.assign(c, await startRecordingConsole(cameraIds));
  }, 150_000);
  afterAll(async () => {
    await closeConsole(c);
    await c.sim?.close();
  });
  return c;
}

/**
 * The box of a zone or mask editor's drawing surface once it lies on the picture of the maximised tile of `cameraId`.
 * The surface follows the tile's picture (polled every 250 ms), so after the editor opens it may still have the tile's
 * size from before the maximise, or the whole tile's until the maximised tile paints: it is read until it has the
 * picture's `aspect` and fits the tile (inside it, one side filling it; the wall's tile rectangles, in CSS pixels of the
 * page, from `window.__kuzet.tiles()`), and two reads 300 ms apart agree.
 */
export async function surfaceOnPicture(page: Page, surface: Locator, cameraId: string, aspect = 16 / 9): Promise<Box> {
  let last: Box | null = null;
  return waitFor(`the drawing surface on the maximised picture of ${cameraId}`, async () => {
    const box = await surface.boundingBox();
    const tile = await page.evaluate((id) => {
      // the tiles' rectangles in CSS pixels of the page
      const w = window as unknown as { __kuzet: { tiles(): Array<{ cameraId: string | null; rect: { x: number; y: number; w: number; h: number } }> } };
      return w.__kuzet.tiles().filter((t) => t.cameraId === id).sort((a, b) => b.rect.w * b.rect.h - a.rect.w * a.rect.h)[0]?.rect ?? null;
    }, cameraId);
    const same = box && last && ['x', 'y', 'width', 'height'].every((k) => Math.abs(box[k as keyof Box] - last![k as keyof Box]) < 0.5);
    last = box;
    if (!box || !tile || !same) return null;
    // a picture a few pixels smaller than its letterboxed rect is drawn 1:1 (renderer/wall/tile-geometry.ts NATIVE_SLACK, 10 px)
    const inside = box.x >= tile.x - 2 && box.y >= tile.y - 2 && box.x + box.width <= tile.x + tile.w + 2 && box.y + box.height <= tile.y + tile.h + 2;
    const fits = inside && Math.abs(box.width / box.height - aspect) < 0.02 && (tile.w - box.width <= 12 || tile.h - box.height <= 12);
    return fits ? box : null;
  }, 30_000, 300);
}
