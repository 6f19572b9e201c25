/**
 * Incident packages from the incident list in Chromium (issue 11 §1): console A records a simulator camera, its
 * incident list makes the incident's package (progress, then the folder, the .tar and the signer); console B, a second
 * web shell with a fresh data dir and no recordings, names a wrong path (refused, said in the operator's language),
 * imports the .tar from its incident list, the package's source is deleted, and B's replay of the incident plays the
 * package's video: the tile's picture matches the camera's clip (luma and chroma) better than another scene's.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { ApiClient } from '../support/api-client.js';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { addRecordedCameras, waitSegments } from '../support/recording.js';
import { bestMatch, referenceThumbs } from '../support/pictures.js';
import { reviewTileThumb } from '../support/review-page.js';

const CAM = 'cam-extra-01';
let sim: Simulator;
let shellA: RunningShell | undefined;
let shellB: RunningShell | undefined;
let api: ApiClient | undefined;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
const shots = artifactsDir();
const cleanup: string[] = [];

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  sim = await startSimulator({ camerasFile: 'none', extra: 2 });
}, 150_000);

afterAll(async () => {
  await browser?.close();
  api?.close();
  await shellA?.close();
  await shellB?.close();
  await sim?.close();
  for (const p of cleanup) rmSync(p, { recursive: true, force: true });
});


describe('incident package from the incident list', () => {
  it('makes a package on one console, imports it on another, and replays its video there', async () => {
    const dataA = mkdtempSync(join(tmpdir(), 'kuzet-e2e-pkg-a-')); // ours: the package outlives console A
    cleanup.push(dataA);
    shellA = await startWebShell({ dataDir: dataA, env: { KUZET_MQTT_PORT: '0' } });
    api = await ApiClient.connect(shellA.info.origin, shellA.info.token);
    await addRecordedCameras(api, sim, [CAM]);
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('1', [CAM], 'live', 'One') });
    await waitSegments(api, CAM, 5, 90_000);
    const now = Date.now();
    const recorded = (await api.call('playback.segments', { cameraId: CAM, fromMs: now - 600_000, toMs: now })).segments;
    const incident = await api.call('replay.incidents.create', { name: 'Package e2e', fromMs: recorded[1]!.startMs, toMs: recorded.at(-1)!.endMs, cameraIds: [CAM], operator: 'trainer' });

    browser = await launchBrowser();
    const { page } = browser;
    await page.goto(shellA.info.url);
    await page.getByTestId('incidents').click();
    const make = page.locator(`[data-testid="make-package"][data-package-incident="${incident.id}"]`);
    await make.getByRole('button').click();
    const written = make.getByTestId('package-written');
    await written.waitFor({ timeout: 120_000 });
    const archive = (await written.getAttribute('data-archive'))!;
    const dir = (await written.getAttribute('data-dir'))!;
    cleanup.push(dir, archive);
    expect(archive).toBe(`${dir}.tar`);
    expect(existsSync(archive)).toBe(true);
    expect(await written.textContent()).toMatch(/signed by [0-9a-f:]{8,}/i);
    await page.screenshot({ path: join(shots, 'replay-package-made.png') });
    api.close(); api = undefined;
    await shellA.close(); shellA = undefined; // console A is gone: B has only the package

    shellB = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
    await page.goto(shellB.info.url);
    await page.getByTestId('incidents').click();
    const form = page.getByTestId('import-package');
    await form.getByTestId('package-path').fill(`${archive}.nope`);
    await form.getByRole('button').click();
    await form.getByTestId('package-error').waitFor();
    expect(await form.getByTestId('package-error').textContent()).toContain('No such file or folder on the host');
    await form.getByTestId('package-path').fill(archive);
    await form.getByRole('button').click();
    await form.locator('[data-testid="package-imported"], [data-testid="package-error"]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(shots, 'replay-package-imported.png') });
    expect(await form.getByTestId('package-imported').count(), (await form.textContent()) ?? '').toBe(1);
    expect(await form.getByTestId('package-imported').getAttribute('data-incident')).toBe(incident.id);
    rmSync(dir, { recursive: true });
    rmSync(archive);

    await page.locator(`button[data-incident="${incident.id}"]`).click();
    await page.getByTestId('replay').waitFor();
    await page.locator(`.review-cell[data-camera="${CAM}"]`).waitFor({ timeout: 20_000 });
    const target = Math.round((incident.fromMs + incident.toMs) / 2);
    await page.evaluate((ms) => (window as unknown as { __kuzetReview: { seek(ms: number): void } }).__kuzetReview.seek(ms), target);
    const shownAt = () => page.evaluate((c) => (window as unknown as { __kuzetReview: { shown(): Record<string, number | null> } }).__kuzetReview.shown()[c] ?? null, CAM);
    await waitFor('the package picture at the playhead', async () => { const s = await shownAt(); return s !== null && Math.abs(s - target) < 1000 ? s : null; }, 60_000);
    const src = await page.evaluate(() => (window as unknown as { __kuzetReview: { traces(): Record<string, unknown> } }).__kuzetReview.traces());
    const thumb = await reviewTileThumb(browser!.page, CAM);
    await page.screenshot({ path: join(shots, 'replay-package-replayed.png') });
    const cams = await sim.cameras();
    const own = bestMatch(thumb, referenceThumbs(cams.find((c) => c.id === CAM)!.streams.main.file));
    const other = bestMatch(thumb, referenceThumbs(cams.find((c) => c.id !== CAM)!.streams.main.file));
    const why = JSON.stringify({ own, other, src });
    expect(own.luma, why).toBeLessThan(other.luma);
    expect(own.chroma, why).toBeLessThan(other.chroma);
    expect(own.luma, why).toBeLessThan(12);
  }, 420_000);
});
