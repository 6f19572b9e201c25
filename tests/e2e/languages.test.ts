/**
 * Issue 12 §5 in a real window: the console in Kazakh, Russian and English, switched at runtime from the top bar;
 * the centre's clock in Asia/Almaty; and the pseudo-locale (every text about 40 % longer) with nothing cut off in
 * the top bar, the alarm queue and the tile menu. Screenshots of each language are kept in tests/.artifacts/e2e.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { defaultRuleKey, SOP_STEP_KEYS } from '../../electron/contract/default-texts.js';
import { ApiClient } from '../support/api-client.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import en from '../../resources/locales/en.json' with { type: 'json' };
import ru from '../../resources/locales/ru.json' with { type: 'json' };
import kk from '../../resources/locales/kk.json' with { type: 'json' };

let shell: RunningShell;
let api: ApiClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const shots = join(artifactsDir(), 'e2e');
const ready = (p: Page) => p.waitForFunction(() => (window as unknown as { __kuzet?: { ready: boolean } }).__kuzet?.ready === true, null, { timeout: 60_000 });
const withLang = (url: string, lang: string) => url.replace(/([?&])lang=[^&]*/, `$1lang=${lang}`);

/** Elements in the top bar and the alarm panel whose text is cut off (content wider than the box that shows it). */
function overflowing(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.topbar button, .topbar label, .topbar select, .alarm-panel button, .alarm-panel select, .aq-head, .menu button')) {
      if (el.offsetParent === null) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) out.push(`${el.tagName.toLowerCase()}: ${el.innerText.slice(0, 40)}`);
    }
    return out;
  });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  shell = await startWebShell({ demo: true });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', ['abay-dostyk', 'republic-square', null, null], 'live', 'Live') });
  browser = await launchBrowser();
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  api?.close();
  await shell?.close();
});

describe('languages', () => {
  it('opens in the language asked for and switches at runtime from the top bar, with no key left untranslated', async () => {
    await page.goto(withLang(shell.info.url, 'kk'));
    await ready(page);
    const topbar = page.locator('.topbar');
    expect(await topbar.innerText()).toContain(kk.topbar.cameras);
    expect(await page.locator('.alarm-panel').innerText()).toContain(kk.alarms.title);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('kk');
    await page.screenshot({ path: join(shots, 'languages-kk.png') });

    await page.getByRole('combobox', { name: kk.topbar.language }).selectOption('ru');
    await page.waitForFunction((want) => document.querySelector('.topbar')?.textContent?.includes(want), ru.topbar.cameras);
    expect(await page.locator('.alarm-panel').innerText()).toContain(ru.alarms.title);
    expect(await page.getByRole('button', { name: ru.review.switch, exact: true }).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'languages-ru.png') });

    await page.getByRole('combobox', { name: ru.topbar.language }).selectOption('en');
    await page.waitForFunction((want) => document.querySelector('.topbar')?.textContent?.includes(want), en.topbar.cameras);
    expect(await topbar.innerText()).not.toContain(ru.topbar.cameras);
    // a key the interface asked for that no language has would show as the key itself
    expect(await page.locator('body').innerText()).not.toMatch(/\b(topbar|alarms|tileStates|review|rules)\.[a-zA-Z]+/);
  }, 120_000);

  it('remembers the choice in this window after a reload', async () => {
    await page.getByRole('combobox', { name: en.topbar.language }).selectOption('ru');
    await page.goto(shell.info.url.replace(/([?&])lang=[^&]*&?/, '$1').replace(/[?&]$/, ''));
    await ready(page);
    expect(await page.locator('.topbar').innerText()).toContain(ru.topbar.cameras);
  }, 60_000);

  it('shows an alarm\'s procedure and rule in Kazakh: the demo\'s default steps and rule name translated', async () => {
    await page.goto(withLang(shell.info.url, 'kk'));
    await ready(page);
    // a demo alarm whose rule and procedure are still the defaults (every demo alarm's are)
    const alarm = await waitFor('a demo alarm with a procedure', async () => (await api.call('alarms.list', {})).find((a) => a.sop.length > 1 && defaultRuleKey(a.ruleId, a.ruleName)), 60_000, 500);
    await page.locator(`.aq-row[data-alarm-id="${alarm.id}"]`).click();
    const detail = page.locator(`.alarm-detail[data-alarm-id="${alarm.id}"]`);
    await detail.waitFor();
    const steps = await detail.locator('ol.sop li label span').allInnerTexts();
    expect(steps).toEqual(SOP_STEP_KEYS[alarm.type].map((k) => kk.sopSteps[k]));
    expect(steps.join(' ')).not.toMatch(/[A-Za-z]{3}/); // no English left in the steps
    expect(await detail.innerText()).toContain(kk.defaultRules[defaultRuleKey(alarm.ruleId, alarm.ruleName)!]);
    // the event's attributes named in Kazakh where Kuzet knows them
    const names = await detail.locator('dt').allInnerTexts();
    for (const k of Object.keys(alarm.attributes)) if (k in kk.eventAttributes) expect(names).toContain(kk.eventAttributes[k as keyof typeof kk.eventAttributes]);
    await page.screenshot({ path: join(shots, 'languages-kk-alarm.png') });
  }, 120_000);

  it('words a tile\'s stream decision in Kazakh in its stats', async () => {
    await page.goto(withLang(shell.info.url, 'kk'));
    await ready(page);
    await page.locator('.topbar button', { hasText: kk.topbar.stats }).click();
    const pre = page.locator('.tile-stats').first();
    // the small 2x2 tiles of a 16:9 wall get the sub-stream or (recorded demo cameras) the main stream: a decision either way
    // a line that starts with one of the Kazakh decision steps (streamDecision.*), its figures filled in
    const steps = Object.values(kk.streamDecision).map((t) => new RegExp(`^${t.split(/\{\{\w+\}\}/).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}`));
    const decisionLine = await waitFor('a stream decision in the tile stats', async () =>
      (await pre.innerText().catch(() => '')).split('\n').find((l) => steps.some((r) => r.test(l))) ?? null, 60_000, 500);
    expect(decisionLine!).not.toMatch(/sub-stream|main stream|tile \d/); // no English left in it
    // the stream line names the profile in Kazakh too (not `main`/`sub`)
    expect(await pre.innerText()).toMatch(new RegExp(`^(${kk.stats.profile_main}|${kk.stats.profile_sub}) `, 'm'));
    await page.screenshot({ path: join(shots, 'languages-kk-stats.png') });
    await page.locator('.topbar button', { hasText: kk.topbar.stats }).click();
  }, 120_000);

  it('shows the centre’s clock in Asia/Almaty', async () => {
    const shown = await page.getByTestId('centre-clock').innerText();
    const almaty = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.now());
    expect(shown).toContain(almaty.slice(0, 2)); // the hour in Almaty, whatever this machine's zone is
    expect(shown).toMatch(/GMT\+5|UTC\+5/);
  });

  it('the pseudo-locale (about 40 % longer) cuts nothing off in the top bar, the alarm queue and the tile menu', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(withLang(shell.info.url, 'pseudo'));
    await ready(page);
    expect(await page.locator('.topbar').innerText()).toMatch(/\[Çáámëëráás\]|\[Çá/);
    await page.screenshot({ path: join(shots, 'languages-pseudo.png') });
    expect(await overflowing(page)).toEqual([]);
    const tile = page.locator('[data-tile-index="0"]');
    const box = (await tile.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    await page.getByRole('menu').waitFor();
    await page.screenshot({ path: join(shots, 'languages-pseudo-menu.png') });
    expect(await overflowing(page)).toEqual([]);
  }, 90_000);
});
