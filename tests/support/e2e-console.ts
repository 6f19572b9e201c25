/**
 * The pieces every end-to-end file's console set-up shares: closing what beforeAll started (in any state it got to), a
 * page of the console signed in with a session token, and the wall's and camera list's probes.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { ApiClient } from './api-client.js';
import type { RunningShell } from './harness.js';

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
