/**
 * A training session end to end in Chromium (issue 11 §2-3): the demo city's web shell; an operator's console starts a
 * scenario from the training panel and joins as trainee; the training banner shows the scenario and its clock; the
 * scripted alarms arrive in the trainee's training queue; an automated trainee claims, ticks and skips SOP steps and
 * resolves through the UI with known mistakes, and the score after Stop is exactly the expected one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { closeConsole } from '../support/e2e-console.js';
import { beginDrill, shots, startDrill, stopDrill, type Drill, workDrillWithMistakes } from '../support/training-drill.js';

let drill: Drill;
let page: Page;

beforeAll(async () => { drill = await startDrill({ id: 'e2e-drill', name: 'Republic Square drill' }); ({ page } = drill); }, 180_000);
afterAll(() => closeConsole(drill));

describe('training session in Chromium', () => {
  it('banner on screen; an automated trainee with known mistakes gets exactly the expected score', async () => {
    const rows = await beginDrill(page, 'e2e-drill');
    const banner = page.locator('[data-testid="training-banner"]');
    expect(await banner.textContent()).toContain('Republic Square drill');
    await page.screenshot({ path: join(shots, 'training-session.png') });
    // the production queue (the demo's analytics) never shows a training alarm
    const trainingIds = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-alarm-id')));
    expect(await page.locator('.aq-row').evaluateAll((els, ids) => els.filter((e) => ids.includes(e.getAttribute('data-alarm-id'))).length, trainingIds)).toBe(0);

    await workDrillWithMistakes(page);

    // the banner stays on review's screen too (mounted above every view)
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await page.getByTestId('review').waitFor();
    expect(await banner.isVisible()).toBe(true);
    await page.getByTestId('review').getByRole('button', { name: /Live/ }).first().click();
    await page.locator('[data-testid="training-open"]').waitFor();

    const score = await stopDrill(page);
    await page.screenshot({ path: join(shots, 'training-score.png') });
    expect(await score.getAttribute('data-percent')).toBe('60');
    expect(await score.locator('li.tp-check-failed').count()).toBe(2);
    await banner.waitFor({ state: 'detached' });
  }, 180_000);
});
