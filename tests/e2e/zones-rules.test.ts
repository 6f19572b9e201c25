/**
 * Zones, rules, layers and recorded overlays end to end, in Chromium through the web shell (1920x1080): the operator
 * draws a zone and a tripwire on a live tile with the mouse, creates a rule for the zone in the rule editor, an event
 * standing in the zone raises the rule's alarm (one outside it does not), the zones layer switches on and off
 * globally and per tile (canvas pixels), and in review the stored event's box is drawn on the recorded frame it
 * belongs to (the alarm marker seeks there; a step back of two frames has no box).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { ApiClient } from '../support/api-client.js';
import { surfaceOnPicture } from '../support/e2e-console.js';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { addRecordedCameras, waitSegments } from '../support/recording.js';
import { markPixel, timelineMarks } from '../support/review-page.js';

const CAM = 'cam-extra-01';
let sim: Simulator;
let shell: RunningShell;
let api: ApiClient;
let pub: MqttClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = join(artifactsDir(), 'e2e');
/** The tile's picture in page coordinates, taken from the editor's drawing surface. */
let picture = { x: 0, y: 0, width: 0, height: 0 };
let eventAt = 0;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  sim = await startSimulator({ camerasFile: 'none', extra: 1 });
  shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await addRecordedCameras(api, sim, [CAM]);
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('1', [CAM], 'live', 'Live') });
  pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId: 'e2e-zones' });
  browser = await launchBrowser();
  await browser.page.addInitScript(() => localStorage.setItem('kuzet.operator', 'dana'));
  browser.page.on('pageerror', (e) => console.error('[page error]', e.message));
  await browser.page.goto(shell.info.url);
  await browser.page.locator(`.tile[data-camera-id="${CAM}"][data-state="live"]`).waitFor({ timeout: 60_000 });
}, 150_000);

afterAll(async () => {
  await pub?.endAsync();
  await browser?.close();
  api?.close();
  await shell?.close();
  await sim?.close();
});

const at = (nx: number, ny: number) => ({ x: picture.x + nx * picture.width, y: picture.y + ny * picture.height });
async function click(nx: number, ny: number) { const p = at(nx, ny); await browser.page.mouse.click(p.x, p.y); }

/** How many of 24 points along the tripwire are painted in its colour on the wall canvas. */
async function wirePixels(): Promise<number> {
  const pts = Array.from({ length: 24 }, (_, i) => at(0.62 + (0.26 * i) / 23, 0.3));
  return browser.page.evaluate((points) => {
    const canvas = document.querySelector('canvas.wall-canvas') as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    const ctx = canvas.getContext('2d')!;
    let n = 0;
    for (const p of points) {
      const [red, g, b] = ctx.getImageData(Math.round(p.x - r.left), Math.round(p.y - r.top), 1, 1).data as unknown as number[];
      if (red! < 60 && g! > 190 && b! > 215) n++; // #00e5ff
    }
    return n;
  }, pts);
}

describe('zones, rules and layers', () => {
  it('draws a zone and a tripwire on the live picture with the mouse and saves them', async () => {
    const { page } = browser;
    await page.locator(`.tile[data-camera-id="${CAM}"]`).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Edit zones and lines…' }).click();
    const surface = page.getByTestId('zone-canvas');
    await surface.waitFor();
    picture = await surfaceOnPicture(page, surface, CAM);
    expect(picture.width).toBeGreaterThan(800);
    await page.getByRole('button', { name: 'Draw zone' }).click();
    for (const [x, y] of [[0.2, 0.5], [0.5, 0.5], [0.5, 0.9], [0.2, 0.9]] as const) await click(x, y);
    await click(0.2, 0.5); // back on the first corner: closed
    await page.getByRole('button', { name: 'Draw line' }).click();
    await click(0.6, 0.3);
    await click(0.9, 0.3);
    await page.getByLabel('name of zone 1').fill('Gate <b>north</b>');
    await page.getByLabel('name of line 2').fill('Wire');
    await page.getByLabel('direction of line 2').selectOption('left');
    // bad input: a duplicate name is refused with a message, nothing saved
    await page.getByLabel('name of line 2').fill('gate <b>north</b>');
    await expect.poll(() => page.getByTestId('zone-editor').getByRole('alert').textContent()).toContain('is used twice on this camera');
    await page.getByLabel('name of line 2').fill('Wire');
    await page.screenshot({ path: join(shots, 'zones-editor.png') });
    await page.getByTestId('zone-editor').getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('zone-editor').waitFor({ state: 'detached' });
    const [saved] = await api.call('zones.list', { cameraIds: [CAM] });
    expect(saved!.zones.map((z) => [z.kind, z.name])).toEqual([['zone', 'Gate <b>north</b>'], ['line', 'Wire']]);
    const gate = saved!.zones[0]!.points;
    expect(gate[0]!.x).toBeCloseTo(0.2, 2);
    expect(gate[2]!.y).toBeCloseTo(0.9, 2);
    expect(saved!.zones[1]).toMatchObject({ direction: 'left' });
    expect(await page.locator('b', { hasText: 'north' }).count()).toBe(0); // a name is text, never markup
  }, 60_000);

  it('switches the zones layer globally (top bar) and per tile (tile menu): canvas pixels follow', async () => {
    const { page } = browser;
    await waitFor('tripwire drawn on the wall', async () => (await wirePixels()) >= 18, 10_000, 200);
    await page.getByRole('button', { name: /^Layers/ }).click();
    await page.getByRole('checkbox', { name: 'Zones and lines' }).uncheck();
    await page.getByRole('button', { name: /^Layers/ }).click();
    await waitFor('tripwire gone', async () => (await wirePixels()) <= 4, 5_000, 200);
    await page.screenshot({ path: join(shots, 'zones-layer-off.png') });
    await page.locator(`.tile[data-camera-id="${CAM}"]`).click({ button: 'right' });
    await page.getByRole('menuitemcheckbox', { name: /Zones and lines/ }).click();
    await waitFor('tripwire back on this tile', async () => (await wirePixels()) >= 18, 5_000, 200);
    const layout = (await api.call('wall.displays', {})).find((d) => d.id === 'main')!.layout;
    expect(layout.layers?.zones).toBe(false); // plain data in the saved layout
    expect(layout.cells[0]!.layers).toEqual({ zones: true });
    await page.screenshot({ path: join(shots, 'zones-layer-tile.png') });
  }, 40_000);

  it('creates a rule in the editor; an event standing in the zone raises its alarm, one outside does not', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Rules' }).click();
    const panel = page.getByRole('dialog', { name: 'Rules' });
    await panel.locator('tr[data-rule-id]').first().waitFor();
    await panel.getByRole('button', { name: 'Add rule' }).click();
    await panel.getByRole('button', { name: 'Save rule' }).waitFor();
    expect(await panel.getByRole('button', { name: 'Save rule' }).isDisabled()).toBe(true); // no name yet
    await expect.poll(() => panel.locator('.rule-form .error').first().textContent()).toBe('Name: a rule needs a name.');
    await panel.locator('input[name="rule-name"]').fill('Person at the gate');
    expect(await panel.locator('.rf-warning').first().textContent()).toContain('matches every event');
    await panel.getByRole('checkbox', { name: 'object', exact: true }).check();
    await panel.getByLabel(`camera Camera ${CAM}`).check();
    await panel.getByLabel('zone Gate <b>north</b>').check();
    await panel.locator('select[name="priority"]').selectOption('1');
    await panel.locator('input[name="min-confidence"]').fill('abc');
    await expect.poll(() => panel.locator('.rule-form .error').first().textContent()).toBe('Minimum confidence: a number from 0 to 100 (per cent).');
    await panel.locator('input[name="min-confidence"]').fill('50');
    expect(await panel.locator('.rf-warning').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'rules-editor.png') });
    await panel.getByRole('button', { name: 'Save rule' }).click();
    await panel.locator('tr[data-rule-id="person-at-the-gate"]').waitFor();
    const rule = (await api.call('alarms.rules.list', {})).find((r) => r.id === 'person-at-the-gate');
    expect(rule).toMatchObject({ priority: 1, types: ['object'], cameras: [CAM], zones: ['Gate <b>north</b>'], minConfidence: 0.5 });
    await panel.getByRole('button', { name: 'Close' }).click();

    const send = (id: string, foot: [number, number], t: number) => pub.publishAsync(`kuzet/events/${CAM}`, JSON.stringify({
      id, captureTime: t, type: 'object', confidence: 0.9, track: id, attributes: { class: 'person' },
      boxes: [{ x: foot[0] - 0.05, y: foot[1] - 0.25, w: 0.1, h: 0.25, label: 'person' }] }), { qos: 1 });
    eventAt = Date.now();
    await send('e2e-outside', [0.8, 0.45], eventAt - 3000); // outside the zone; long gone from the picture by eventAt (hold 1.5 s)
    await send('e2e-in-gate', [0.35, 0.8], eventAt);
    const alarm = await waitFor('the rule\'s alarm', async () => (await api.call('alarms.list', {})).find((a) => a.ruleId === 'person-at-the-gate'), 10_000, 200);
    expect(alarm).toMatchObject({ lastEventId: 'e2e-in-gate', priority: 1, firstAt: eventAt });
    expect((await api.call('alarms.list', {})).filter((a) => a.ruleId === 'person-at-the-gate')).toHaveLength(1);
    await page.locator(`.aq-row[data-alarm-id="${alarm.id}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator(`.aq-row[data-alarm-id="${alarm.id}"] .aq-summary`).textContent()).toBe('person detected in Gate <b>north</b>');
    await page.screenshot({ path: join(shots, 'rules-alarm.png') });
  }, 60_000);

  it('review: the alarm marker seeks to the event, whose stored box is drawn on that recorded frame only', async () => {
    const { page } = browser;
    const segs = (await api.call('recording.status', {})).find((s) => s.cameraId === CAM)!.segments;
    await waitSegments(api, CAM, segs + 2, 30_000); // the segment holding the event is closed and indexed
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByTestId('review').waitFor();
    const mb = await waitFor('the alarm marker on the camera\'s row', async () => (await timelineMarks(page)).find((m) => m.cameraId === CAM && m.kind === 'alarm') ?? null, 15_000);
    expect(mb.atMs).toBe(eventAt);
    // drawn red where it is said to be (the row's canvas), and a click there seeks to the event's own moment
    const px = await markPixel(page, mb);
    expect(px[0]! > 180 && px[1]! < 110 && px[2]! < 110 && px[3]! > 200, JSON.stringify(px)).toBe(true);
    await page.mouse.click(mb.x + mb.width / 2, mb.y + mb.height / 2);
    type Stats = { last: Record<string, { shownMs: number | null; boxes: number }> };
    const last = () => page.evaluate((c) => (window as unknown as { __kuzetReview: { overlays(): Stats } }).__kuzetReview.overlays().last[c], CAM);
    const on = await waitFor('the stored box on the recorded frame', async () => { const l = await last(); return l && l.shownMs !== null && Math.abs(l.shownMs - eventAt) < 25 && l.boxes === 1 ? l : null; }, 30_000, 200)
      .catch(async (e: unknown) => { await page.screenshot({ path: join(shots, 'review-overlay-debug.png') }); throw new Error(`${String(e)} last=${JSON.stringify(await last())}`); });
    expect(on.boxes).toBe(1);
    await page.screenshot({ path: join(shots, 'review-overlay.png') });
    await page.getByTestId('step-back').click();
    await page.getByTestId('step-back').click();
    const before = await waitFor('two frames earlier', async () => { const l = await last(); return l && l.shownMs !== null && eventAt - l.shownMs > 60 ? l : null; }, 10_000, 100);
    expect(before.boxes, 'no box on a frame captured before the event').toBe(0);
    await page.getByTestId('step-forward').click();
    await page.getByTestId('step-forward').click();
    await waitFor('box again on the event\'s frame', async () => { const l = await last(); return l && l.shownMs !== null && Math.abs(l.shownMs - eventAt) < 25 && l.boxes === 1 ? l : null; }, 10_000, 100);
  }, 90_000);
});
