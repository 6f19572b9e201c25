/**
 * The drill the training end-to-end files run (tests/e2e/training, tests/e2e/training-review): the demo city's web shell
 * with the drill's four cameras on the wall (what a trainee watches), a quick two-event scenario saved in the console's
 * training store (rather than the demo's five-minute sample) over the demo's first recorded footage, and Chromium
 * signed in as the demo operator, the trainee; and working one alarm of the training queue through the live queue's own
 * controls.
 */
import { mkdirSync } from 'node:fs';
import { expect } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { Scenario, type ScenarioInput } from '../../electron/contract/training/scenario-schema.js';
import { ScenarioStore, trainingFile } from '../../electron/host/training/scenario-store.js';
import { ApiClient } from './api-client.js';
import { artifactsDir, demoUser, launchBrowser, signIn, startWebShell, waitFor, type RunningShell } from './harness.js';

const S = 1000;
export const DRILL_CAMS = ['abay-dostyk', 'alfarabi-nazarbayev', 'republic-square', 'tolebi-panfilov-crossing'];
/** The demo operator, who runs the drill. */
export const trainee = demoUser('operator');
export const shots = join(artifactsDir(), 'e2e');

/** A covered camera (a real alarm: claim, SOP steps 1 and 2, confirmed) and a shadow (a false alarm: claim, false), within 110 s. */
function drill(id: string, name: string, fromMs: number): ScenarioInput {
  return {
    id, name, source: { kind: 'recording', fromMs }, cameraIds: DRILL_CAMS, durationMs: 120 * S,
    events: [
      { id: 'covered', atMs: 2 * S, kind: 'real-alarm', cameraId: 'alfarabi-nazarbayev', eventType: 'tamper', summary: 'camera covered' },
      { id: 'shadow', atMs: 4 * S, kind: 'false-alarm', cameraId: 'abay-dostyk', eventType: 'object', summary: 'a shadow moving across the pavement by the bus stop, the kind that looks like a bag left behind' },
    ],
    expected: [
      { kind: 'claim', eventId: 'covered', withinMs: 110 * S },
      { kind: 'sop', eventId: 'covered', steps: [0, 1] },
      { kind: 'verdict', eventId: 'covered', verdict: 'confirmed' },
      { kind: 'claim', eventId: 'shadow', withinMs: 110 * S },
      { kind: 'verdict', eventId: 'shadow', verdict: 'false' },
    ],
  };
}

/** The drill's console: its web shell, the administrator's API client, Chromium and the trainee's page. */
export interface Drill { shell: RunningShell; api: ApiClient; browser: Browser; page: Page; fromMs: number }

/** Seconds of footage of every drill camera recorded before the scenario is saved: its footage starts at the latest camera's first segment. */
const FOOTAGE_FIRST_S = 12;

/** Starts the drill's console; the trainee's page is on the wall with the Training button shown. */
export async function startDrill(scenario: { id: string; name: string }): Promise<Drill> {
  mkdirSync(shots, { recursive: true });
  const shell = await startWebShell({ demo: true, env: { KUZET_MQTT_PORT: '0' } });
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', DRILL_CAMS, 'live', 'Live') });
  // the scenario plays the demo's own footage from its start (the demo records the drill's cameras from the start):
  // the trainee's tiles show it from the session's first moment, and a tile's pictures can be checked
  const firsts = await waitFor(`${FOOTAGE_FIRST_S} s of footage of the drill's cameras`, async () => {
    const starts: number[] = [];
    for (const cameraId of DRILL_CAMS) {
      const segs = (await api.call('playback.segments', { cameraId, fromMs: 0, toMs: Date.now() })).segments;
      if (segs.length === 0 || Date.now() - segs[0]!.startMs < FOOTAGE_FIRST_S * S) return null;
      starts.push(segs[0]!.startMs);
    }
    return starts;
  }, 90_000, 500);
  const fromMs = Math.max(...firsts);
  const store = new ScenarioStore(trainingFile(shell.dataDir));
  store.save(Scenario.parse(drill(scenario.id, scenario.name, fromMs)), 'e2e', Date.now());
  store.close();
  const { browser, page } = await launchBrowser();
  page.on('pageerror', (e) => console.error('[trainee page error]', e.message));
  await page.goto(`${shell.info.origin}/?token=${await signIn(shell.info.origin, shell.info.startToken, trainee.name, trainee.password)}&display=main&lang=en`);
  await page.waitForSelector('[data-testid="training-open"]');
  return { shell, api, browser, page, fromMs };
}

/** Works one alarm of the training queue: claim, the SOP steps as given (the box is the host's state: each waits for its commit), resolve. */
export async function workAlarm(page: Page, cameraId: string, steps: Array<[number, 'done' | 'skip']>, verdict: 'confirmed' | 'false'): Promise<void> {
  const queue = page.locator('[data-testid="training-queue"]');
  await queue.locator(`.tq-row[data-camera-id="${cameraId}"]`).click();
  const detail = queue.locator('.alarm-detail');
  await detail.getByRole('button', { name: 'Claim' }).click();
  await detail.locator('.ad-owner', { hasText: trainee.name }).waitFor();
  for (const [step, how] of steps) {
    const li = detail.locator(`.sop li[data-step="${step}"]`);
    if (how === 'done') await li.locator('input[type="checkbox"]').click();
    else await li.getByRole('button', { name: 'Skip' }).click();
    await detail.locator(`.sop li.sop-${how === 'done' ? 'done' : 'skipped'}[data-step="${step}"]`).waitFor();
  }
  await detail.locator('.ad-resolve select').selectOption(verdict);
  await detail.locator('.ad-resolve').getByRole('button', { name: 'Resolve' }).click();
  await detail.locator('.ad-verdict').waitFor();
  // the alarm's history is the session's (a training alarm is not in the live queue's store): the claim, each step, the
  // resolve, by the trainee
  await waitFor('the training alarm\'s history', async () => ((await detail.locator('.ad-history li', { hasText: trainee.name }).count()) >= 2 + steps.length ? true : null), 15_000);
}

/** Starts scenario `id` from the training panel, closes the panel and waits for both scripted alarms; returns the training queue's rows. */
export async function beginDrill(page: Page, id: string) {
  await page.click('[data-testid="training-open"]');
  await page.locator(`[data-scenario="${id}"] [data-testid="training-start"]`).click();
  await page.locator('[data-testid="training-banner"]').waitFor();
  await page.getByRole('dialog', { name: 'Training' }).getByRole('button', { name: 'Close' }).click();
  const rows = page.locator('[data-testid="training-queue"] .tq-row');
  await waitFor('both scripted alarms in the training queue', async () => (await rows.count()) === 2, 30_000);
  // a row is as tall as its text (a long title wraps inside its row instead of running into the next)
  expect(await rows.evaluateAll((els) => els.filter((e) => e.scrollHeight > e.clientHeight + 1).length)).toBe(0);
  return rows;
}

/** Works the drill with its known mistakes: SOP step 2 of the covered camera skipped, the shadow (a false alarm) resolved as confirmed. */
export async function workDrillWithMistakes(page: Page): Promise<void> {
  await workAlarm(page, 'alfarabi-nazarbayev', [[0, 'done'], [1, 'skip']], 'confirmed');
  await workAlarm(page, 'abay-dostyk', [], 'confirmed');
}

/** Stops the session from the training panel; returns its score once shown. */
export async function stopDrill(page: Page) {
  await page.click('[data-testid="training-open"]');
  await page.locator('[data-testid="training-stop"]').click();
  const score = page.locator('[data-testid="training-score"]');
  await score.waitFor();
  return score;
}
