/**
 * Issue 12 §5: the default SOP steps and the default alarm rules' names in the operator's language
 * (electron/contract/default-texts.ts). The host stores the English of resources/locales/en.json; a window shows a
 * default step or rule name in Kazakh, Russian or English, and a supervisor's own step or a renamed rule as typed.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, DEFAULT_SOP } from '../../electron/host/alarms/sop.js';
import { defaultRuleKey, SOP_STEP_KEYS, sopStepKey } from '../../electron/contract/default-texts.js';
import { EventType } from '../../electron/contract/events-schema.js';
import { demoEventText, ruleText, sopText } from '../../renderer/i18n/labels.js';
import { alarmText } from '../../renderer/i18n/alarm-text.js';
import { setLanguage } from '../../renderer/i18n/i18n.js';
import { locales } from '../support/translations.js';
import { readFileSync } from 'node:fs';
import { defaultDisplayName, DEMO_SCENARIO_ID, displayText, MAIN_DISPLAY, scenarioText } from '../../electron/contract/default-texts.js';
import { WallStore } from '../../electron/host/wall/store.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportText } from '../../electron/contract/training/report-text.js';
import en from '../../resources/locales/en.json' with { type: 'json' };
import ru from '../../resources/locales/ru.json' with { type: 'json' };
import kk from '../../resources/locales/kk.json' with { type: 'json' };

describe('default SOP steps and rule names', () => {
  it('the host stores the same English as before, from en.json (stored alarms and scenarios keep matching)', () => {
    expect(DEFAULT_SOP.face_match).toEqual(['Compare the face with the watch-list photo', 'Check the person on neighbouring cameras', 'Call the district duty officer', 'Record the direction of travel']);
    expect(DEFAULT_SOP.storage[1]).toBe('Release evidence locks no longer needed or add storage');
    expect(Object.keys(DEFAULT_SOP).sort()).toEqual([...EventType.options].sort());
    expect(DEFAULT_RULES.find((r) => r.id === 'watchlist-face')?.name).toBe('Face on a watch list');
    for (const r of DEFAULT_RULES) expect(defaultRuleKey(r.id, r.name), r.id).toBe(r.id);
  });

  it('every default step and rule has its words in Kazakh, Russian and English', () => {
    for (const keys of Object.values(SOP_STEP_KEYS)) for (const k of keys) for (const [lang, l] of Object.entries(locales)) expect(l.has(`sopSteps.${k}`), `${lang} sopSteps.${k}`).toBe(true);
    for (const r of DEFAULT_RULES) for (const [lang, l] of Object.entries(locales)) expect(l.has(`defaultRules.${r.id}`), `${lang} defaultRules.${r.id}`).toBe(true);
  });

  it('shows a default step and rule in the chosen language, and a supervisor\'s own words as typed', async () => {
    await setLanguage('kk');
    expect(sopText('Compare the face with the watch-list photo')).toBe('Бетті бақылау тізіміндегі суретпен салыстыру');
    expect(ruleText('watchlist-face', 'Face on a watch list')).toBe('Бақылау тізіміндегі бет');
    await setLanguage('ru');
    expect(sopText('Create a maintenance ticket')).toBe('Создать заявку на обслуживание');
    expect(ruleText('camera-offline', 'Camera offline')).toBe('Камера недоступна');
    // a supervisor's own step, a renamed default rule, a custom rule: as typed
    expect(sopText('Позвонить в ЦОУ')).toBe('Позвонить в ЦОУ');
    expect(sopStepKey('Compare the face')).toBeNull();
    expect(ruleText('watchlist-face', 'Розыск: лица')).toBe('Розыск: лица');
    expect(ruleText('my-rule', 'Face on a watch list')).toBe('Face on a watch list');
    await setLanguage('en');
    expect(sopText('Look at the scene')).toBe('Look at the scene');
  });

  it('names the demo\'s training scenario in the language, and a trainer\'s own scenario as written', () => {
    const file = JSON.parse(readFileSync(new URL('../../resources/training/demo-scenario.json', import.meta.url), 'utf8')) as { id: string; name: string; description: string };
    expect(file.id).toBe(DEMO_SCENARIO_ID);
    expect([file.name, file.description]).toEqual([en.demoScenario.name, en.demoScenario.description]); // one English
    expect(scenarioText(file, reportText('kk')).name).toBe(kk.demoScenario.name);
    expect(scenarioText(file, reportText('ru'))).toEqual({ name: ru.demoScenario.name, description: ru.demoScenario.description });
    expect(scenarioText({ ...file, name: 'Ночная смена: учебная тревога' }, reportText('kk')).name).toBe('Ночная смена: учебная тревога');
    expect(scenarioText({ id: 'mine', name: en.demoScenario.name }, reportText('kk')).name).toBe(en.demoScenario.name);
  });

  it('names a new display in the language while its name is still the default; an administrator\'s name as typed', () => {
    const store = new WallStore({ dataDir: mkdtempSync(join(tmpdir(), 'kuzet-displays-')), cameraIds: () => ['cam-1'] });
    const main = store.displays().find((d) => d.id === MAIN_DISPLAY)!;
    expect(main.name).toBe(en.defaultDisplays.main); // the host stores the English
    expect(defaultDisplayName('side')).toBe('Display side');
    expect(displayText(main, reportText('kk'))).toBe(kk.defaultDisplays.main);
    expect(displayText({ id: 'side', name: 'Display side' }, reportText('ru'))).toBe('Дисплей side');
    expect(displayText({ id: 'side', name: 'Дежурная часть' }, reportText('kk'))).toBe('Дежурная часть');
    expect(displayText({ id: 'side', name: 'Display other' }, reportText('ru'))).toBe('Display other'); // another display's default: as typed
    expect(displayText({ id: 'side', name: '' }, reportText('ru'))).toBe('side');
  });

  it('words the demo scenario\'s own event summaries in the language (the training alarm\'s label and description), a trainer\'s as written', async () => {
    const file = JSON.parse(readFileSync(new URL('../../resources/training/demo-scenario.json', import.meta.url), 'utf8')) as { events: Array<{ id: string; summary?: string }> };
    const summaries = Object.fromEntries(file.events.filter((e) => e.summary).map((e) => [e.id, e.summary]));
    expect(summaries).toEqual(en.demoScenario.events); // one English
    const alarm = { summary: 'a shadow detected', type: 'object' as const, attributes: { class: 'other', label: 'a shadow', description: 'a shadow' } };
    await setLanguage('ru');
    expect(alarmText(alarm)).toBe(ru.events.object.replace('{{label}}', ru.demoScenario.events['dostyk-bag']));
    expect(demoEventText('a shadow')).toBe(ru.demoScenario.events['dostyk-bag']);
    expect(alarmText({ ...alarm, summary: 'a bag by the bench detected', attributes: { class: 'other', label: 'a bag by the bench' } })).toBe(ru.events.object.replace('{{label}}', 'a bag by the bench'));
    await setLanguage('kk');
    expect(demoEventText('person climbing the fence')).toBe(kk.demoScenario.events['square-intruder']);
    await setLanguage('en');
    expect(alarmText(alarm)).toBe('a shadow detected');
  });
});
