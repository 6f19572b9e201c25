/**
 * Reading the map window's pixels in e2e tests. The deck.gl canvas is WebGL: what counts is what the browser
 * composited, so pixels are read from a screenshot. `settledPixels` waits for the picture to stop changing at the
 * points instead of sleeping a fixed time after a camera move (a busy machine composites late, never differently).
 */
import type { Page } from 'playwright-core';
import { waitFor } from './harness.js';

/** RGB of the page's screenshot at CSS pixels. */
export async function pixelsAt(page: Page, points: [number, number][]): Promise<number[][]> {
  const png = (await page.screenshot({ type: 'png' })).toString('base64');
  return page.evaluate(async ({ png, points }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${png}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return points.map(([x, y]) => [...ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3)]);
  }, { png, points });
}

const same = (a: number[][], b: number[][]) => a.every((p, i) => p.every((v, c) => Math.abs(v - b[i]![c]!) <= 1));

/**
 * The pixels at `points` once the map is drawn sharp for its view (no moved picture standing in after a pan or zoom,
 * renderer/map/map-decks.ts) and two screenshots 150 ms apart agree (the last frame has been composited).
 */
export async function settledPixels(page: Page, points: [number, number][], timeoutMs = 30_000): Promise<number[][]> {
  await page.waitForFunction(() => (window as unknown as { __kuzetMap?: { standIn?: () => { sharp: boolean } } }).__kuzetMap?.standIn?.().sharp ?? true, null, { timeout: timeoutMs, polling: 100 });
  let last = await pixelsAt(page, points);
  return waitFor('the map picture to settle', async () => {
    const now = await pixelsAt(page, points);
    const ok = same(now, last);
    last = now;
    return ok ? now : null;
  }, timeoutMs, 150);
}

/** Opens the map window from the wall's top bar (its own window, 1280x800) and waits for deck's first frame. */
export async function openMapWindow(wall: Page, buttonName: string): Promise<Page> {
  const [map] = await Promise.all([wall.waitForEvent('popup'), wall.getByRole('button', { name: buttonName }).click()]);
  await map.setViewportSize({ width: 1280, height: 800 });
  await map.waitForFunction(() => ((window as unknown as { __kuzetMap?: { redraws(): number } }).__kuzetMap?.redraws() ?? 0) > 0, null, { timeout: 60_000 });
  return map;
}

/**
 * A real mouse click on the map at (x, y), repeated until `done` says it took effect. deck.gl recognises a click as a
 * tap (mjolnir.js: button down and up within 250 ms); Playwright sends down and up as two DevTools commands, and on a
 * busy machine the second can arrive later than that, so the map sees a press, not a click (a fresh clone's
 * `npm test` beside other work failed so once: e2e/map-wall's violation tag). Each try waits up to 5 s for `done`
 * before clicking again; what a click does is still asserted by `done` and by the test after it.
 */
export async function clickMap(page: Page, x: number, y: number, what: string, done: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    await page.mouse.click(x, y);
    const tryUntil = Date.now() + 5000;
    while (Date.now() < tryUntil) {
      if (await done().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`a click on the map at ${Math.round(x)}, ${Math.round(y)} did not take effect: ${what}`);
  }
}

/** A real drag with the mouse from a to b, in steps (pointer events, as a hand does it). */
export async function drag(page: Page, a: [number, number], b: [number, number]): Promise<void> {
  await page.mouse.move(a[0], a[1]);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(a[0] + ((b[0] - a[0]) * i) / 8, a[1] + ((b[1] - a[1]) * i) / 8);
  await page.mouse.up();
}

/** The centre of a site plan's reference-point handle `n` (1-based) in the map window. */
export async function handleAt(map: Page, n: number): Promise<[number, number]> {
  const box = (await map.getByTestId(`map-plan-point-${n}`).boundingBox())!;
  return [box.x + box.width / 2, box.y + box.height / 2];
}
