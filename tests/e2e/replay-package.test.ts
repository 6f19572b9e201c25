/**
 * Incident packages from the incident list in Chromium (issue 11 §1): console A records a simulator camera, its
 * incident list makes the incident's package (progress, then the folder, the .tar and the signer); console B, a second
 * web shell with a fresh data dir and no recordings, names a wrong path (refused, said in the operator's language),
 * imports the .tar from its incident list, the package's source is deleted, and B's replay of the incident plays the
 * package's video: the tile's picture matches the camera's clip (luma and chroma) better than another scene's; the
 * package's event box and the making console's line (zones.json) are drawn over the tile (the overlay colours on their
 * edges), the unit that drove through the incident is on the replay's unit map (its colour at its position), and the
 * timeline's hover thumbnail comes from the package (B has no recordings, events, tracks or zones of its own).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { ApiClient } from '../support/api-client.js';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { addRecordedCameras, waitSegments } from '../support/recording.js';
import { bestMatch, referenceThumbs } from '../support/pictures.js';
import { reviewTileThumb } from '../support/review-page.js';

const CAM = 'cam-extra-01';
const UNIT = 'patrol-e2e';
const BOX = { x: 0.2, y: 0.25, w: 0.5, h: 0.5 };
const KERB_Y = 0.88;
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


/**
 * The RGBA pixels of CAM's tile's overlay canvas in a w x h rectangle whose corner is (dx, dy) canvas px from the point
 * (x, y) of the picture (0..1, the picture letterboxed in the canvas as drawn); null before the tile has a picture.
 */
function overlayPixels(page: Page, x: number, y: number, dx: number, dy: number, w: number, h: number): Promise<number[][] | null> {
  return page.evaluate(({ cam, x, y, dx, dy, w, h }) => {
    const cell = document.querySelector(`.review-cell[data-camera="${cam}"]`);
    const canvas = cell?.querySelector('canvas.review-overlay') as HTMLCanvasElement | null;
    const video = cell?.querySelector('video');
    if (!canvas || !video?.videoWidth || !canvas.width) return null;
    const k = Math.min(canvas.width / video.videoWidth, canvas.height / video.videoHeight);
    const fw = video.videoWidth * k, fh = video.videoHeight * k, fx = (canvas.width - fw) / 2, fy = (canvas.height - fh) / 2;
    const d = canvas.getContext('2d')!.getImageData(Math.round(fx + x * fw) + dx, Math.round(fy + y * fh) + dy, w, h).data;
    return Array.from({ length: w * h }, (_, i) => [d[i * 4]!, d[i * 4 + 1]!, d[i * 4 + 2]!, d[i * 4 + 3]!]);
  }, { cam: CAM, x, y, dx, dy, w, h });
}

describe('incident package from the incident list', () => {
  it('makes a package on one console, imports it on another, and replays its video there', async () => {
    const dataA = mkdtempSync(join(tmpdir(), 'kuzet-e2e-pkg-a-')); // ours: the package outlives console A
    cleanup.push(dataA);
    shellA = await startWebShell({ dataDir: dataA, env: { KUZET_MQTT_PORT: '0' } });
    api = await ApiClient.connect(shellA.info.origin, shellA.info.token);
    await addRecordedCameras(api, sim, [CAM]);
    // the wall draws boxes without their labels (the top bar's switch): replay draws the tile as it was drawn
    await api.call('wall.setLayout', { displayId: 'main', layout: { ...makePresetLayout('1', [CAM], 'live', 'One'), layers: { boxes: true, labels: false, tracks: true, zones: true } } });
    await waitSegments(api, CAM, 5, 90_000);
    const now = Date.now();
    const recorded = (await api.call('playback.segments', { cameraId: CAM, fromMs: now - 600_000, toMs: now })).segments;
    const incident = await api.call('replay.incidents.create', { name: 'Package e2e', fromMs: recorded[1]!.startMs, toMs: recorded.at(-1)!.endMs, cameraIds: [CAM], operator: 'trainer' });
    const target = Math.round((incident.fromMs + incident.toMs) / 2);
    // an analytics event with a box at the replay's moment, and a patrol car driving east through the incident
    const pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId: 'e2e-replay-package' });
    await pub.publishAsync(`kuzet/events/${CAM}`, JSON.stringify({ id: 'e2e-pkg-box', captureTime: target - 300, type: 'object', track: 'e2e-1', boxes: [BOX], attributes: { class: 'person' } }), { qos: 1 });
    const reportsAt: number[] = [];
    for (let ts = incident.fromMs - 5_000, k = 0; ts <= incident.toMs; ts += 1000, k++) {
      reportsAt.push(ts);
      await pub.publishAsync(`kuzet/units/${UNIT}`, JSON.stringify({ v: 1, id: UNIT, kind: 'patrol_car', lat: 43.25, lon: 76.94 + k * 0.0001, heading: 90, ts }), { qos: 1 });
    }
    await pub.endAsync();
    // a line across the camera's picture on A: packaged (zones.json), drawn over the imported tile on B
    await api.call('zones.save', { cameraId: CAM, zones: [{ kind: 'line', name: 'Kerb', points: [{ x: 0.1, y: KERB_Y }, { x: 0.9, y: KERB_Y }] }], operator: 'trainer' });
    await waitFor('the unit\'s reports and the event stored on A', async () => {
      const t = await api!.call('units.tracks', { fromMs: incident.fromMs, toMs: incident.toMs });
      const e = await api!.call('events.query', { cameraId: CAM, fromMs: incident.fromMs, toMs: incident.toMs });
      return t.tracks[0]?.points.at(-1)?.[2] === reportsAt.at(-1) && e.events.length === 1;
    }, 20_000);

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
    const shellBApi = async () => {
      const b = await ApiClient.connect(shellB!.info.origin, shellB!.info.token);
      try { return await b.call('events.query', { cameraId: CAM, fromMs: incident.fromMs, toMs: incident.toMs }); } finally { b.close(); }
    };
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

    // the package's event box over the tile: the overlay colour on its top edge (B's own event store is empty)
    expect((await shellBApi()).events).toEqual([]);
    const edge = await waitFor('the box drawn over the tile', async () => {
      const px = await overlayPixels(page, BOX.x + BOX.w / 2, BOX.y, 0, -3, 1, 7);
      // #9cc3ff, the colour of an object event's box, opaque
      return px?.some(([r, g, b, a]) => a! > 200 && Math.abs(r! - 156) < 20 && Math.abs(g! - 195) < 20 && Math.abs(b! - 255) < 20) ? px : null;
    }, 20_000);
    const stats = await page.evaluate(() => (window as unknown as { __kuzetReview: { overlays(): { last: Record<string, { boxes: number }> } } }).__kuzetReview.overlays());
    expect(stats.last[CAM]?.boxes, JSON.stringify(edge)).toBe(1);
    // no label over the box: the live wall's tile had labels off (a label's dark background sits just above the box's corner)
    const labelArea = (await overlayPixels(page, BOX.x, BOX.y, 4, -14, 40, 8))!;
    expect(Math.max(...labelArea.map(([, , , a]) => a!)), 'the most opaque pixel where a label would be').toBe(0);
    // A's line from the package, in the line colour #00e5ff at a quarter of its length (B has no zones of its own)
    await waitFor('the package\'s line drawn over the tile', async () => (await overlayPixels(page, 0.3, KERB_Y, 0, -3, 1, 7))
      ?.some(([r, g, b, a]) => a! > 200 && r! < 30 && Math.abs(g! - 229) < 20 && b! > 235), 20_000);

    // the unit on the replay's unit map, where its last report at the playhead puts it, in the patrol car's colour
    const unit = await waitFor('the unit on the replay map', () => page.evaluate((id) => {
      const m = (window as unknown as { __kuzetUnitReplay?: { units(): Array<{ id: string; position: [number, number]; reportedMs: number }>; project(lon: number, lat: number): [number, number] | null } }).__kuzetUnitReplay;
      const u = m?.units().find((x) => x.id === id);
      const at = u ? m!.project(u.position[0], u.position[1]) : null;
      return u && at ? { ...u, at } : null;
    }, UNIT), 20_000);
    expect(unit.reportedMs).toBe(reportsAt.filter((t) => t <= target).at(-1));
    const mapPx = await page.evaluate(([x, y]) => {
      const c = document.querySelector('[data-testid="unit-replay"] canvas') as HTMLCanvasElement;
      const r = c.getBoundingClientRect(), dpr = c.width / r.width;
      return Array.from(c.getContext('2d')!.getImageData(Math.round((x - r.left) * dpr), Math.round((y - r.top) * dpr), 1, 1).data);
    }, unit.at);
    expect(mapPx.slice(0, 3).map((v, i) => Math.abs(v - [26, 188, 156][i]!)).every((d) => d < 12), JSON.stringify(mapPx)).toBe(true);

    // the hover thumbnail on the timeline: from the package (B records nothing)
    const span = page.locator(`.tl-row[data-camera="${CAM}"] .tl-recorded`).first();
    const sb = (await span.boundingBox())!;
    await page.mouse.move(sb.x + sb.width * 0.4, sb.y + sb.height / 2);
    const hover = await waitFor('the hover thumbnail', () => page.locator('.tl-hover img').evaluate((img: HTMLImageElement) => (img.complete && img.naturalWidth > 0 ? { src: new URL(img.src).pathname, w: img.naturalWidth } : null)).catch(() => null), 20_000);
    expect(hover.src).toMatch(new RegExp(`^/rec/pkg/${incident.id}/${CAM}/\\d+\\.jpg$`));
    await page.screenshot({ path: join(shots, 'replay-package-overlays.png') });
  }, 420_000);
});
