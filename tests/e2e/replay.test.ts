/**
 * Incident replay in Chromium through the web shell (issue 11): a simulator camera records, the wall's layout changes,
 * an alarm is raised, claimed by an operator and resolved; the incident made from the alarm replays the queue as it was
 * before and after the claim, the layout as it was, and the tile plays the recorded picture (luma and chroma against a
 * reference decode of the camera's clip and of another scene's).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../native/simulator/control.js';
import type { ConsoleState, Incident, IncidentRecord } from '../../electron/contract/replay-schema.js';
import { ApiClient } from '../support/api-client.js';
import { closeConsole, startRecordingConsole } from '../support/e2e-console.js';
import { artifactsDir, launchBrowser, waitFor, type RunningShell } from '../support/harness.js';
import { actOutIncident } from '../support/incident-scenario.js';

/** The user the harness signed in (the actor the host records for this test's actions). */
const signedIn = (): string => shell.info.user ?? 'admin';
import { bestMatch, referenceThumbs } from '../support/pictures.js';
import { reviewTileThumb } from '../support/review-page.js';

const CAM = 'cam-extra-01';
let sim: Simulator;
let shell: RunningShell;
let api: ApiClient;
let pub: MqttClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = artifactsDir();

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ({ sim, shell, api } = await startRecordingConsole([CAM]));
  pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId: 'e2e-replay' });
}, 150_000);

afterAll(async () => {
  await pub?.endAsync();
  await closeConsole({ api, browser, shell });
  await sim?.close();
});


describe('incident replay', () => {
  it('replays the queue before and after the claim, the layout as it was, and the recorded picture', async () => {
    const alarm = await actOutIncident(api, pub, CAM, 'e2e-replay-1', signedIn());

    const incident = await api.call('replay.incidents.fromAlarm', { alarmId: alarm.id, beforeMin: 1, afterMin: 0.1, operator: 'trainer' }) as Incident;
    const record = await api.call('replay.incidents.get', { id: incident.id }) as IncidentRecord;
    const claim = record.actions.find((a) => a.action === 'alarm.claim')!;
    expect(claim).toMatchObject({ user: signedIn() }); // the host records the session's user, whatever the page sends
    expect(record.actions.filter((a) => a.change.kind === 'layout').map((a) => a.change.kind === 'layout' && a.change.layout.name)).toContain('One');

    browser = await launchBrowser();
    const { page } = browser;
    await page.goto(shell.info.url);
    await page.getByTestId('incidents').click();
    // the list says how much of the incident's footage is left and keeps it on request (an evidence lock over its
    // cameras and range: retention, which deletes the oldest footage at the storage's limits, leaves it)
    const row = page.locator('.replay-incident', { has: page.locator(`[data-incident="${incident.id}"]`) });
    const footage = row.getByTestId('incident-footage');
    await waitFor('the footage left', async () => (Number(await footage.getAttribute('data-percent').catch(() => null)) > 0 ? true : null), 10_000);
    expect(await footage.getAttribute('data-lock')).toBe('');
    await row.getByTestId('incident-keep').click();
    await waitFor('the footage kept', async () => ((await footage.getAttribute('data-lock')) ? true : null), 10_000);
    const lockId = await footage.getAttribute('data-lock');
    const lock = (await api.call('evidence.locks', {})).find((l) => l.id === lockId);
    expect(lock).toMatchObject({ cameraIds: incident.cameraIds, fromMs: incident.fromMs, toMs: incident.toMs, reason: `Incident: ${incident.name}` });
    await expect(row.getByTestId('incident-keep').count()).resolves.toBe(0);
    await page.screenshot({ path: join(shots, 'incident-kept.png') });
    await page.locator(`[data-incident="${incident.id}"]`).click();
    await page.getByTestId('replay').waitFor();
    await page.locator('.review-cell').first().waitFor({ timeout: 20_000 });

    const replayed = (id: string) => page.locator(`[data-testid="replay-queue"] .replay-alarm[data-alarm="${id}"]`);
    const seek = (ms: number) => page.evaluate((ms) => (window as unknown as { __kuzetReview: { seek(ms: number): void } }).__kuzetReview.seek(ms), ms);
    const state = () => page.evaluate(() => (window as unknown as { __kuzetReplay: { state(): ConsoleState } }).__kuzetReplay.state());

    // the moments either side of the claim: the one before it, and its own (the next action is journaled later)
    await seek(claim.at - 1);
    await waitFor('the alarm new before the claim', async () => (await replayed(alarm.id).getAttribute('data-state').catch(() => null)) === 'new' ? true : null, 10_000);
    expect(await replayed(alarm.id).getAttribute('data-owner')).toBe('');
    expect((await state()).displays.find((d) => d.displayId === 'main')?.layout.name).toBe('Four');

    await seek(claim.at);
    await waitFor('the alarm claimed after the claim', async () => (await replayed(alarm.id).getAttribute('data-state')) === 'claimed' ? true : null, 10_000);
    expect(await replayed(alarm.id).getAttribute('data-owner')).toBe(signedIn());
    expect(await replayed(alarm.id).textContent()).toContain(signedIn());

    // the tile plays the camera's recorded picture at the playhead
    const shownAt = () => page.evaluate((c) => (window as unknown as { __kuzetReview: { shown(): Record<string, number | null> } }).__kuzetReview.shown()[c] ?? null, CAM);
    await waitFor('the recorded picture at the playhead', async () => { const s = await shownAt(); return s !== null && Math.abs(s - claim.at) < 1000 ? s : null; }, 30_000);
    const thumb = await reviewTileThumb(browser.page, CAM);
    await page.screenshot({ path: join(shots, 'replay-claimed.png') });
    const cams = await sim.cameras();
    const own = bestMatch(thumb, referenceThumbs(cams.find((c) => c.id === CAM)!.streams.main.file));
    const other = bestMatch(thumb, referenceThumbs(cams.find((c) => c.id !== CAM)!.streams.main.file));
    expect(own.luma, JSON.stringify({ own, other })).toBeLessThan(other.luma);
    expect(own.chroma, JSON.stringify({ own, other })).toBeLessThan(other.chroma);
    expect(own.luma).toBeLessThan(12);

    // after the resolve: resolved with its verdict; the layout is the later one
    const resolve = record.actions.find((a) => a.action === 'alarm.resolve')!;
    await seek(resolve.at);
    await waitFor('the alarm resolved', async () => (await replayed(alarm.id).getAttribute('data-state')) === 'resolved' ? true : null, 10_000);
    expect((await state()).displays.find((d) => d.displayId === 'main')?.layout.name).toBe('One');
  }, 240_000);
});
