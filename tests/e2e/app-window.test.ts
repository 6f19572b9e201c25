/**
 * The windows `npm start` opens (scripts/app-window.mjs flags, headed Chromium on an X display: $DISPLAY or a private
 * Xvfb), not headless: the wall comes up and the city map draws with WebGL. Headless Chromium falls back to software
 * WebGL by itself; a window needs `--enable-unsafe-swiftshader` on a machine without a GPU, and without it the map of
 * `npm start` was empty while every headless test passed. Screenshot: tests/.artifacts/e2e/app-window-map.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { launchPlainChromium, type PlainChromium } from '../support/plain-chromium.js';
import { ensureXDisplay, type XDisplay } from '../support/xvfb.js';
import en from '../../resources/locales/en.json' with { type: 'json' };

let shell: RunningShell | undefined;
let screen: XDisplay | undefined;
const windows: PlainChromium[] = [];

beforeAll(async () => {
  shell = await startWebShell({});
  screen = await ensureXDisplay();
}, 120_000);
afterAll(async () => {
  for (const w of windows) await w.close().catch(() => {});
  await shell?.close();
  await screen?.close();
});

describe('the app window', () => {
  it('shows the wall, and the map draws with WebGL in a window of its own', async () => {
    const wall = await launchPlainChromium(shell!.info.url, { window: { display: screen!.display } });
    windows.push(wall);
    await waitFor('the wall in the window', () => wall.evaluate<boolean>('window.__kuzet?.ready === true'), 60_000, 250);

    const map = await launchPlainChromium(`${shell!.info.url}&view=map`, { window: { display: screen!.display } });
    windows.push(map);
    expect(await map.evaluate<boolean>("(() => { const c = document.createElement('canvas'); return !!(c.getContext('webgl2') || c.getContext('webgl')); })()")).toBe(true);
    await waitFor('the map drawn', () => map.evaluate<boolean>('(window.__kuzetMap?.redraws() ?? 0) > 0'), 60_000, 250);
    const text = await map.evaluate<string>('document.body.innerText');
    expect(text).not.toContain(en.map.noWebgl);
    expect(text).not.toContain(en.map.drawProblem);
    const shot = await map.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    const dir = join(artifactsDir(), 'e2e');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app-window-map.png'), Buffer.from(shot.data, 'base64'));
  }, 150_000);
});
