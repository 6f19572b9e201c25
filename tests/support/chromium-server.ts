/**
 * vitest globalSetup of the system project: one Debian Chromium for the whole run, started once. Each test file's
 * launchBrowser() (tests/support/harness.ts) connects to it and gets its own browser context (own cookies, storage and
 * pages, closed with the file), instead of starting and stopping a Chromium of its own per file. The endpoint travels
 * in KUZET_TEST_CHROMIUM_WS (the forked test workers inherit the environment); without it, or when the shared browser
 * is gone, launchBrowser() starts its own as before (benchmarks always do).
 */
import { chromium, type BrowserServer } from 'playwright-core';
import { CHROMIUM_ARGS } from './harness.js';

export const CHROMIUM_WS_ENV = 'KUZET_TEST_CHROMIUM_WS';

let server: BrowserServer | null = null;

export async function setup(): Promise<void> {
  const t0 = Date.now();
  try {
    server = await chromium.launchServer({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    process.env[CHROMIUM_WS_ENV] = server.wsEndpoint();
    console.log(`[chromium-server] one Chromium for the run's end-to-end files, started in ${Date.now() - t0} ms`);
  } catch (e) {
    // each file then launches its own Chromium, and says why it fails if it cannot either
    console.warn(`[chromium-server] no shared Chromium: ${(e as Error).message}`);
  }
}

export async function teardown(): Promise<void> {
  delete process.env[CHROMIUM_WS_ENV];
  await server?.close();
  server = null;
}
