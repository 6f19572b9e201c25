/**
 * "Displays on their monitors" (issue 11 §1, docs/replay.md): the main replay window opens the other display's
 * replayed wall in a window of its own, which follows the main window's clock. Two simulator cameras record; display
 * `main` shows a 2x2 of A and B, display `second` one tile of B. In the incident's replay (main window on `main`) the
 * control opens a follower window for `second` only: its head names the incident and the display, its wall is
 * `second`'s one tile of B filling the window. A seek and a frame step in the main window move the follower to the same
 * moment (its replay time equal to the main window's), and its B picture follows: at two moments it is closer to the
 * main window's picture of B at the same moment than to the other moment's, and closer to B's clip than to A's.
 * Play runs both (the follower's clock playing, at the main window's rate); pause stops both at one position (the
 * follower's unchanged over two more heartbeats). The main window turning to `second` closes second's window and
 * opens main's, at the same moment. Leaving the replay closes the follower window. The browser has two screens
 * (headless Chromium's `--screen-info`) and the Window Management permission: the follower window is moved onto the
 * second screen and fills its area.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { Incident } from '../../electron/contract/replay-schema.js';
import { boxOf, near, recordingConsoleForFile } from '../support/e2e-console.js';
import { artifactsDir, grantWindowManagement, launchBrowser, waitFor } from '../support/harness.js';
import { clockPast } from '../support/incident-scenario.js';
import { segmentsOf, waitSegments } from '../support/recording.js';
import { bestMatch, pictureError, referenceThumbs, type Thumb } from '../support/pictures.js';
import { reviewTileThumb } from '../support/review-page.js';

const A = 'cam-extra-01';
const B = 'cam-extra-02';
const shots = artifactsDir();
const file = recordingConsoleForFile([A, B], shots);

interface FollowerInfo { displayId: string; incidentId: string; heard: number; clock: { atMs: number; playing: boolean; rate: number } | null }
const review = (p: Page) => ({
  position: () => p.evaluate(() => (window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position()),
  shownAt: (c: string) => p.evaluate((c) => (window as unknown as { __kuzetReview: { shown(): Record<string, number | null> } }).__kuzetReview.shown()[c] ?? null, c),
});
const followerInfo = (p: Page) => p.evaluate(() => (window as unknown as { __kuzetReplay: { follower(): FollowerInfo } }).__kuzetReplay.follower());

describe('replayed displays on their own monitors', () => {
  it('opens the second display in a window that follows the main replay window\'s seek, frame step, play and pause', async () => {
    const { api, shell, sim } = file;
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', [A, B], 'live', 'Four') });
    await api.call('wall.setLayout', { displayId: 'second', layout: makePresetLayout('1', [B], 'live', 'One') });
    const laidOut = Date.now();
    await clockPast(laidOut); // the incident starts after both layouts: its starting state holds them
    await waitSegments(api, A, (await segmentsOf(api, A)) + 4, 90_000);
    await waitSegments(api, B, (await segmentsOf(api, B)) + 4, 90_000);
    const incident = await api.call('replay.incidents.create', { name: 'Two monitors', fromMs: laidOut + 1, toMs: Date.now(), cameraIds: [A, B], operator: 'trainer' }) as Incident;

    // two screens side by side (the browser's Window Management API reports them), the operator allowing the console to
    // place windows: the follower window goes onto the second screen, filling its area
    const browser = file.browser = await launchBrowser({ args: ['--screen-info={0,0 1920x1080}{1920,0 1600x900}'] });
    const { page, context } = browser;
    await page.goto(shell.info.url);
    await grantWindowManagement(browser.browser, page);
    await page.getByTestId('incidents').click();
    await page.locator(`[data-incident="${incident.id}"]`).click();
    await page.getByTestId('replay').waitFor();
    await page.locator('.replay-wall[data-display="main"]').waitFor({ timeout: 20_000 });

    // the control opens one window: the display the main window does not show
    const opened = context.waitForEvent('page');
    await page.getByTestId('replay-monitors').click();
    const follower = await opened;
    await follower.getByTestId('replay-follower').waitFor({ timeout: 30_000 });
    await follower.locator('.replay-wall[data-display="second"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('replay-monitors').getAttribute('aria-pressed')).toBe('true');
    expect(context.pages()).toHaveLength(2);
    await expect.poll(() => follower.evaluate(() => [window.screenX, window.screenY, window.outerWidth, window.outerHeight]), { timeout: 10_000 }).toEqual([1920, 0, 1600, 900]);
    expect(new URL(follower.url()).searchParams.get('view')).toBe('replay');
    const info = await followerInfo(follower);
    expect([info.displayId, info.incidentId]).toEqual(['second', incident.id]);
    const head = follower.getByTestId('follower-head');
    await expect.poll(() => head.textContent()).toContain('Two monitors');
    expect(await head.textContent()).toContain('second');
    // second's wall alone, its one tile of B filling it; the wall fills most of the window
    expect(await follower.locator('.replay-wall').count()).toBe(1);
    expect(await follower.locator('.replay-wall').getAttribute('data-layout')).toBe('One');
    const wallBox = await boxOf(follower, '.replay-wall');
    const tileBox = await boxOf(follower, `.review-cell[data-camera="${B}"]`);
    expect(near(tileBox.width, wallBox.width) && near(tileBox.height, wallBox.height)).toBe(true);
    expect(wallBox.width).toBeGreaterThan(0.9 * (follower.viewportSize()?.width ?? 0));
    expect(await follower.locator(`.review-cell[data-camera="${A}"]`).count()).toBe(0);

    const cams = await sim.cameras();
    const clip = (id: string) => referenceThumbs(cams.find((c) => c.id === id)!.streams.main.file);
    expect(cams.find((c) => c.id === A)!.streams.main.file).not.toBe(cams.find((c) => c.id === B)!.streams.main.file);
    const seekMain = (ms: number) => page.evaluate((ms) => (window as unknown as { __kuzetReview: { seek(ms: number): void } }).__kuzetReview.seek(ms), ms);
    /** Both windows at `ms`: the follower's clock there, and B's picture of that moment in each (main's 2x2 has a B tile too). */
    const bothAt = async (ms: number): Promise<{ main: Thumb; follower: Thumb }> => {
      await expect.poll(() => review(follower).position(), { timeout: 30_000 }).toBe(ms);
      for (const p of [page, follower]) await waitFor(`B's picture at ${ms}`, async () => { const s = await review(p).shownAt(B); return s !== null && Math.abs(s - ms) < 100; }, 60_000)
        .catch(async (e: unknown) => { // which window, and its players' states and seek traces
          const seen = await p.evaluate(() => { const w = window as unknown as { __kuzetReview: { players(): unknown; traces(): unknown } }; return { players: w.__kuzetReview.players(), traces: w.__kuzetReview.traces() }; });
          throw new Error(`${String(e)} in the ${p === page ? 'main' : 'follower'} window: ${JSON.stringify(seen)}`);
        });
      return { main: await reviewTileThumb(page, B), follower: await reviewTileThumb(follower, B) };
    };

    // a seek in the main window: the follower is at the same moment, its replay time as the main window's
    const t1 = incident.fromMs + 3_000;
    await seekMain(t1);
    const at1 = await bothAt(t1);
    await expect.poll(() => follower.getByTestId('follower-position').textContent()).toBe(await page.getByTestId('position').textContent());
    // a frame step (the main window's button): the follower steps with it
    await page.getByTestId('step-forward').click();
    const stepped = await review(page).position();
    expect(stepped).toBe(t1 + 40);
    await expect.poll(() => review(follower).position(), { timeout: 30_000 }).toBe(stepped);
    // another moment, 8 s on: the follower's picture is the main window's picture of that moment, not of the first
    const t2 = t1 + 8_000;
    await seekMain(t2);
    const at2 = await bothAt(t2);
    const same = pictureError(at2.follower, at2.main), other = pictureError(at2.follower, at1.main);
    expect(same.luma, JSON.stringify({ same, other })).toBeLessThan(other.luma);
    expect(same.luma, JSON.stringify({ same, other })).toBeLessThan(6);
    const back = pictureError(at1.follower, at1.main), across = pictureError(at1.follower, at2.main);
    expect(back.luma, JSON.stringify({ back, across })).toBeLessThan(across.luma);
    console.info(`follower's B picture against the main window's, luma/chroma error: same moment ${same.luma.toFixed(2)}/${same.chroma.toFixed(2)} and ${back.luma.toFixed(2)}/${back.chroma.toFixed(2)}, the other moment ${other.luma.toFixed(2)}/${other.chroma.toFixed(2)} and ${across.luma.toFixed(2)}/${across.chroma.toFixed(2)}`);
    // and it is camera B's picture: closer to B's clip than to A's
    for (const f of [at1.follower, at2.follower]) {
      const own = bestMatch(f, clip(B)), x = bestMatch(f, clip(A));
      expect(own.luma, JSON.stringify({ own, other: x })).toBeLessThan(x.luma);
      expect(own.chroma, JSON.stringify({ own, other: x })).toBeLessThan(x.chroma);
      expect(own.luma).toBeLessThan(12);
    }
    await page.screenshot({ path: join(shots, 'replay-monitors-main.png') });
    await follower.screenshot({ path: join(shots, 'replay-monitors-follower.png') });

    // play at 2x: the follower plays at the main window's rate, its playhead moving on
    await page.getByTestId('speed').selectOption('2');
    await page.getByTestId('play').click();
    await waitFor('the follower playing at 2x', async () => { const c = (await followerInfo(follower)).clock; return c?.playing === true && c.rate === 2; }, 30_000);
    await expect.poll(() => review(follower).position(), { timeout: 30_000 }).toBeGreaterThan(t2 + 2_000);
    await expect.poll(() => follower.getByTestId('follower-clock').getAttribute('data-playing')).toBe('true');
    // pause stops both, at one position: the follower's stays put over two more heartbeats of the main window
    await page.getByTestId('play').click();
    const stoppedAt = await review(page).position();
    await waitFor('the follower paused', async () => (await followerInfo(follower)).clock?.playing === false, 30_000);
    await expect.poll(() => review(follower).position(), { timeout: 30_000 }).toBe(stoppedAt);
    const heard = (await followerInfo(follower)).heard;
    await waitFor('two more heartbeats', async () => (await followerInfo(follower)).heard >= heard + 2, 30_000);
    expect(await review(follower).position()).toBe(stoppedAt);
    expect(await review(page).position()).toBe(stoppedAt);
    expect(stoppedAt).toBeGreaterThan(t2 + 2_000);

    // the replay's keys pressed in the follower window run the main window's clock, and the follower follows it:
    // a frame step (→), then Space plays and Space pauses both
    await follower.bringToFront();
    await follower.keyboard.press('ArrowRight');
    await expect.poll(() => review(page).position(), { timeout: 30_000 }).toBe(stoppedAt + 40);
    await expect.poll(() => review(follower).position(), { timeout: 30_000 }).toBe(stoppedAt + 40);
    await follower.keyboard.press(' ');
    await waitFor('both playing after Space in the follower', async () => (await followerInfo(follower)).clock?.playing === true && (await review(page).position()) > stoppedAt + 1_000, 30_000);
    await follower.keyboard.press(' ');
    await waitFor('both paused after Space again', async () => (await followerInfo(follower)).clock?.playing === false, 30_000);
    const keyedAt = await review(page).position();
    await expect.poll(() => review(follower).position(), { timeout: 30_000 }).toBe(keyedAt);
    // the follower's own buttons do the same: a frame step back, a faster speed (the main window's rate doubles)
    await follower.getByTestId('follower-step-back').click();
    const steppedAt = keyedAt - 40;
    await expect.poll(() => review(page).position(), { timeout: 30_000 }).toBe(steppedAt);
    await expect.poll(() => review(follower).position(), { timeout: 30_000 }).toBe(steppedAt);
    const speed = async () => Number(await page.getByTestId('speed').inputValue()); // the main window's speed control
    const speed0 = await speed();
    expect(speed0).toBeLessThan(16);
    await follower.getByTestId('follower-faster').click();
    await expect.poll(speed, { timeout: 30_000 }).toBe(speed0 * 2); // the next of 1/8 .. 16, each twice the last
    await follower.screenshot({ path: join(shots, 'replay-monitors-follower.png') });
    await page.bringToFront();

    // the main window turns to `second` (the display picker, by keyboard: the operator's gesture opens the window):
    // second's window closes and main's opens, at the main window's moment
    const mainOpened = context.waitForEvent('page');
    const secondClosed = follower.waitForEvent('close');
    await page.locator('.replay-head select').focus();
    await page.keyboard.press('ArrowDown');
    await page.locator('.replay-wall[data-display="second"]').waitFor({ timeout: 30_000 });
    await secondClosed;
    const mainFollower = await mainOpened;
    await mainFollower.locator('.replay-wall[data-display="main"]').waitFor({ timeout: 30_000 });
    expect((await followerInfo(mainFollower)).displayId).toBe('main');
    expect(await mainFollower.locator('.replay-wall').getAttribute('data-layout')).toBe('Four');
    await expect.poll(() => review(mainFollower).position(), { timeout: 30_000 }).toBe(steppedAt);
    expect(context.pages()).toHaveLength(2);
    await mainFollower.screenshot({ path: join(shots, 'replay-monitors-follower-main.png') });

    // leaving the replay in the main window closes the follower
    const closed = mainFollower.waitForEvent('close');
    await page.getByTestId('replay').getByRole('button', { name: /Live/ }).first().click();
    await closed;
    expect(mainFollower.isClosed()).toBe(true);
  }, 400_000);
});
