/**
 * Several displays replayed side by side, each in its layout's own geometry (issue 11 §1, docs/replay.md): two simulator
 * cameras record; display `main` shows a 1+5 layout (camera A on the big tile spanning 2x2 of 3x3, B beside it) and
 * display `second` a 2x2 of B and A; then `second` changes to one tile of B. The incident replays, with "All displays",
 * both walls side by side at the moment before the change and at the change: their layouts, the big tile's span, the
 * one tile filling `second` after it, and the recorded pictures (A's player on `main`, the mirror tiles on `second`)
 * against the cameras' clips in luma and chroma.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { ConsoleState, Incident, IncidentRecord } from '../../electron/contract/replay-schema.js';
import { ApiClient } from '../support/api-client.js';
import { boxOf, closeConsole, near, startRecordingConsole } from '../support/e2e-console.js';
import { artifactsDir, launchBrowser, waitFor, type RunningShell } from '../support/harness.js';
import { clockPast } from '../support/incident-scenario.js';
import { segmentsOf, waitSegments } from '../support/recording.js';
import { bestMatch, referenceThumbs, type Thumb } from '../support/pictures.js';
import { mirrorTileThumb, reviewTileThumb } from '../support/review-page.js';

const A = 'cam-extra-01';
const B = 'cam-extra-02';
let sim: Simulator;
let shell: RunningShell;
let api: ApiClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = artifactsDir();

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ({ sim, shell, api } = await startRecordingConsole([A, B]));
}, 150_000);

afterAll(async () => {
  await closeConsole({ api, browser, shell });
  await sim?.close();
});


describe('replay of several displays', () => {
  it('shows both displays side by side in their own layouts before and after a layout change, with the recorded pictures', async () => {
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('1+5', [A, B], 'live', 'Big') });
    await api.call('wall.setLayout', { displayId: 'second', layout: makePresetLayout('2x2', [B, A], 'live', 'Four') });
    const laidOut = Date.now();
    await clockPast(laidOut); // the incident starts after both layouts: its starting state holds them
    await waitSegments(api, A, 3, 90_000);
    await waitSegments(api, B, 3, 90_000);
    await clockPast(Date.now());
    await api.call('wall.setLayout', { displayId: 'second', layout: makePresetLayout('1', [B], 'live', 'One') });
    await waitSegments(api, A, (await segmentsOf(api, A)) + 2, 60_000); // the footage covers the change and after
    await waitSegments(api, B, (await segmentsOf(api, B)) + 2, 60_000);

    const now = Date.now();
    const incident = await api.call('replay.incidents.create', { name: 'Two displays', fromMs: laidOut + 1, toMs: now, cameraIds: [A, B], operator: 'trainer' }) as Incident;
    const record = await api.call('replay.incidents.get', { id: incident.id }) as IncidentRecord;
    const change = record.actions.find((a) => a.change.kind === 'layout' && a.change.displayId === 'second' && a.change.layout.name === 'One');
    expect(change, JSON.stringify(record.actions.map((a) => a.action))).toBeTruthy();
    const changeAt = change!.at;

    browser = await launchBrowser();
    const { page } = browser;
    await page.goto(shell.info.url);
    await page.getByTestId('incidents').click();
    await page.locator(`[data-incident="${incident.id}"]`).click();
    await page.getByTestId('replay').waitFor();
    await page.locator('.replay-wall').first().waitFor({ timeout: 20_000 });

    const seek = (ms: number) => page.evaluate((ms) => (window as unknown as { __kuzetReview: { seek(ms: number): void } }).__kuzetReview.seek(ms), ms);
    const state = () => page.evaluate(() => (window as unknown as { __kuzetReplay: { state(): ConsoleState } }).__kuzetReplay.state());
    const shownAt = (c: string) => page.evaluate((c) => (window as unknown as { __kuzetReview: { shown(): Record<string, number | null> } }).__kuzetReview.shown()[c] ?? null, c);
    const wall = (d: string) => `.replay-wall[data-display="${d}"]`;
    const cams = await sim.cameras();
    const clip = (id: string) => referenceThumbs(cams.find((c) => c.id === id)!.streams.main.file);
    expect(cams.find((c) => c.id === A)!.streams.main.file).not.toBe(cams.find((c) => c.id === B)!.streams.main.file);
    /** The picture matches its own camera's clip, and better than the other camera's. */
    const expectCamera = (thumb: Thumb, own: string, other: string) => {
      const o = bestMatch(thumb, clip(own)), x = bestMatch(thumb, clip(other));
      expect(o.luma, JSON.stringify({ own: o, other: x })).toBeLessThan(x.luma);
      expect(o.chroma, JSON.stringify({ own: o, other: x })).toBeLessThan(x.chroma);
      expect(o.luma).toBeLessThan(12);
    };
    const matching = (what: string, thumb: () => Promise<Thumb>, own: string) => waitFor(what, async () => {
      const t = await thumb();
      return bestMatch(t, clip(own)).luma < 12 ? t : null;
    }, 30_000);
    const pictureAt = (c: string, ms: number) => waitFor(`${c}'s recorded picture at the playhead`, async () => { const s = await shownAt(c); return s !== null && Math.abs(s - ms) < 1000 ? s : null; }, 30_000);

    // one display at first (the chosen one, `main`), then every display side by side
    const before = changeAt - 1;
    await seek(before);
    await waitFor('the main display alone', async () => (await page.locator('.replay-wall').count()) === 1 && (await page.locator(wall('main')).count()) === 1, 10_000);
    await page.getByTestId('replay-all-displays').click();
    await waitFor('both displays', async () => (await page.locator('.replay-wall').count()) === 2, 10_000);

    // before the change: main in its 1+5 layout, second in its 2x2, side by side
    expect((await state()).displays.map((d) => [d.displayId, d.layout.name])).toEqual([['main', 'Big'], ['second', 'Four']]);
    expect(await page.locator(wall('main')).getAttribute('data-layout')).toBe('Big');
    expect(await page.locator(wall('second')).getAttribute('data-layout')).toBe('Four');
    const mainBox = await boxOf(page, wall('main'));
    const secondBox = await boxOf(page, wall('second'));
    expect(near(mainBox.y, secondBox.y, 1)).toBe(true); // one row
    expect(mainBox.x + mainBox.width).toBeLessThan(secondBox.x); // main left of second, not overlapping
    expect(Math.abs(mainBox.width / mainBox.height - 16 / 9)).toBeLessThan(0.02); // a screen's aspect (no bounds in the web shell)
    // the big tile spans two of three columns and rows; B's tile is one cell beside it
    const big = await boxOf(page, `${wall('main')} .review-cell[data-camera="${A}"]`);
    const small = await boxOf(page, `${wall('main')} .review-cell[data-camera="${B}"]`);
    expect(near(big.width, (mainBox.width * 2) / 3)).toBe(true);
    expect(near(big.height, (mainBox.height * 2) / 3)).toBe(true);
    expect(near(small.width, mainBox.width / 3)).toBe(true);
    expect(small.x).toBeGreaterThan(big.x + big.width - 1);
    expect(await page.locator(`${wall('main')} .replay-tile`).count()).toBe(6);
    // second's 2x2: B and A in the top cells (mirrors of main's players: one decode per camera), two empty cells
    expect(await page.locator(`${wall('second')} .replay-tile`).count()).toBe(4);
    expect(await page.locator(`${wall('second')} .replay-empty`).count()).toBe(2);
    const bOnSecond = await boxOf(page, `${wall('second')} .review-cell[data-mirror="${B}"]`);
    const aOnSecond = await boxOf(page, `${wall('second')} .review-cell[data-mirror="${A}"]`);
    expect(near(bOnSecond.width, secondBox.width / 2)).toBe(true);
    expect(aOnSecond.x).toBeGreaterThan(bOnSecond.x);
    expect(near(aOnSecond.y, bOnSecond.y, 1)).toBe(true);

    await pictureAt(A, before);
    await pictureAt(B, before);
    expectCamera(await reviewTileThumb(page, A), A, B);
    expectCamera(await matching('A mirrored on second', () => mirrorTileThumb(page, A, 'second'), A), A, B);
    await page.screenshot({ path: join(shots, 'replay-displays-before.png') });

    // at the change: second shows one tile of B filling its wall; main as it was
    await seek(changeAt);
    await waitFor('second in its one-tile layout', async () => (await page.locator(wall('second')).getAttribute('data-layout')) === 'One', 10_000);
    expect(await page.locator(wall('main')).getAttribute('data-layout')).toBe('Big');
    expect(await page.locator(`${wall('second')} .replay-tile`).count()).toBe(1);
    const secondNow = await boxOf(page, wall('second'));
    const one = await boxOf(page, `${wall('second')} .review-cell[data-mirror="${B}"]`);
    expect(near(one.width, secondNow.width) && near(one.height, secondNow.height)).toBe(true);
    await pictureAt(B, changeAt);
    expectCamera(await reviewTileThumb(page, B), B, A);
    expectCamera(await matching('B mirrored on second', () => mirrorTileThumb(page, B, 'second'), B), B, A);
    await page.screenshot({ path: join(shots, 'replay-displays-after.png') });
  }, 300_000);
});
