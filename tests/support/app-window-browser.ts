/**
 * For benchmarks that drive the page with Playwright and must measure what the user gets: a headed Chromium window on
 * an X display ($DISPLAY, or a private Xvfb this starts and close() stops) with the flags of the app window
 * `npm start` opens (scripts/app-window.mjs), instead of headless. The window's compositor and GPU process (software,
 * no GPU here) are then part of every figure. Playwright's own tab strip stays (it cannot drive an `--app` window).
 */
import { chromium } from 'playwright-core';
import { appWindowArgs, screenSize } from '../../scripts/app-window.mjs';
import { CHROMIUM_ARGS, newTestContext, TEST_CHROMIUM, type launchBrowser } from './harness.js';
import { ensureXDisplay } from './xvfb.js';

export async function launchAppWindowBrowser(): ReturnType<typeof launchBrowser> {
  const xd = await ensureXDisplay();
  try {
    const screen = screenSize(xd.display) ?? { width: 1920, height: 1080 };
    const appFlags = appWindowArgs({ url: 'about:blank', profileDir: '', screen, asRoot: process.getuid?.() === 0 })
      .filter((a: string) => !a.startsWith('--app=') && !a.startsWith('--user-data-dir='));
    const args = [...new Set([...CHROMIUM_ARGS, ...appFlags])];
    const browser = await chromium.launch({ executablePath: TEST_CHROMIUM, headless: false, args, env: { ...process.env, DISPLAY: xd.display } });
    const context = await newTestContext(browser);
    const page = await context.newPage();
    return { browser, context, page, close: async () => { await browser.close().catch(() => {}); await xd.close(); } };
  } catch (e) {
    await xd.close();
    throw e;
  }
}
