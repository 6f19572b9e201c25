/**
 * Issue 12 §5: every key of the interface exists in Kazakh, Russian and English with the same placeholders and the
 * plural forms each language needs; every key the renderer asks for exists; the pseudo-locale is longer; dates and
 * times are in the centre's zone, not the machine's. CI fails on a missing key.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import en from '../../resources/locales/en.json' with { type: 'json' };
import { createI18n, missingKeys, setLanguage } from '../../renderer/i18n/i18n.js';
import { pseudoLocalise } from '../../renderer/i18n/pseudo.js';
import { formatDuration, formatTime, formatZone, setCentreTimeZone } from '../../renderer/i18n/format.js';
import { base, locales, missingTranslations } from '../support/translations.js';
import { Downgrade } from '../../electron/contract/schemas.js';

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it('Kazakh, Russian and English have every key (and every plural form each language needs)', () => {
    expect(missingTranslations()).toEqual([]);
    expect(locales.en!.size).toBeGreaterThan(300);
  });

  it('every translation keeps the placeholders of the English text and is not empty', () => {
    const bad: string[] = [];
    for (const lng of ['ru', 'kk'] as const) {
      for (const [k, v] of locales[lng]!) {
        const enText = locales.en!.get(k) ?? locales.en!.get(`${base(k)}_other`) ?? '';
        if (!v.trim()) bad.push(`${lng}: ${k} is empty`);
        if (JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(enText))) bad.push(`${lng}: ${k} has {{${placeholders(v)}}} not {{${placeholders(enText)}}}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('Russian and Kazakh texts are in Cyrillic, not copies of the English', () => {
    const copies = [...locales.ru!].filter(([, v]) => /[a-z]{4,}/i.test(v.replace(/\{\{\w+\}\}/g, '').replace(/\b(SHA-256|Kuzet|PTZ|Enter|Esc|Delete|Shift|H\.264|IANA)\b/g, '')) && !/[а-яё]/i.test(v)).map(([k]) => k);
    expect(copies).toEqual([]);
    const kkCopies = [...locales.kk!].filter(([k, v]) => v === locales.en!.get(k) && /[a-z]{3,}/.test(v)).map(([k]) => k);
    expect(kkCopies).toEqual([]);
  });

  it('every key the renderer asks for with a literal key exists in English', () => {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(f)) for (const m of readFileSync(p, 'utf8').matchAll(/\b(?:t|tr)\(\s*'([\w.-]+)'/g)) used.add(m[1]!);
      }
    };
    walk(join(import.meta.dirname, '..', '..', 'renderer'));
    expect(used.size).toBeGreaterThan(250);
    const enBases = new Set([...locales.en!.keys()].map(base));
    expect([...used].filter((k) => !enBases.has(k))).toEqual([]);
  });

  it('every reason the host gives for a downgraded stream has its words and hint in each language', () => {
    for (const code of Downgrade.options) {
      for (const [lang, keys] of Object.entries(locales)) {
        expect(keys.has(`downgrade.${code}`), `${lang}: downgrade.${code}`).toBe(true);
        expect(keys.has(`downgrade.${code}Hint`), `${lang}: downgrade.${code}Hint`).toBe(true);
      }
    }
  });

  it('switches language at runtime and uses the plural rules of each language', async () => {
    const i = createI18n('en');
    expect(i.t('alarm.events', { count: 5 })).toBe('5 events');
    await i.changeLanguage('ru');
    expect(i.t('alarm.events', { count: 1 })).toBe('1 событие');
    expect(i.t('alarm.events', { count: 3 })).toBe('3 события');
    expect(i.t('alarm.events', { count: 5 })).toBe('5 событий');
    await i.changeLanguage('kk');
    expect(i.t('alarms.title')).toBe('Дабылдар');
    expect(i.t('no.such.key')).toBe('no.such.key');
    expect(missingKeys.has('no.such.key')).toBe(true);
  });

  it('the pseudo-locale is longer than English and keeps placeholders', () => {
    const s = pseudoLocalise('Claimed by {{owner}}');
    expect(s.length).toBeGreaterThan('Claimed by {{owner}}'.length * 1.2);
    expect(s).toContain('{{owner}}');
  });

  it('shows times in the centre’s zone whatever the machine’s zone', async () => {
    await setLanguage('en');
    setCentreTimeZone('Asia/Almaty');
    const at = Date.UTC(2026, 11, 3, 6, 0, 0); // 06:00 UTC = 11:00 in Almaty (UTC+5)
    expect(formatTime(at)).toBe('11:00:00');
    expect(formatZone(at)).toMatch(/GMT\+5|UTC\+5/);
    setCentreTimeZone('Not/AZone'); // refused: the previous zone stays
    expect(formatTime(at)).toBe('11:00:00');
  });

  it('durations in the chosen language’s unit names, also after a switch (its formatters are kept per language)', async () => {
    await setLanguage('en');
    const en = [formatDuration(12_000), formatDuration(185_000), formatDuration(2 * 3_600_000 + 600_000), formatDuration(3 * 86_400_000)];
    expect(en).toEqual(['12s', '3m 5s', '2h 10m', '3d']);
    await setLanguage('ru');
    expect(formatDuration(185_000)).toBe('3 мин 5 с');
    // Kazakh from the locale file's words, whatever the browser's Intl knows of Kazakh units (Debian's Chromium: none)
    await setLanguage('kk');
    expect([formatDuration(284_000), formatDuration(2 * 3_600_000 + 600_000), formatDuration(3 * 86_400_000)]).toEqual(['4 мин 44 с', '2 сағ 10 мин', '3 күн']);
    await setLanguage('en');
    expect(formatDuration(185_000)).toBe('3m 5s');
  });
});

describe('alarm lines', () => {
  it('the host’s English line and the window’s line come from one function; zones are kept; an unknown producer’s words are kept', async () => {
    const { describeEvent, translatorOf } = await import('../../electron/contract/event-text.js');
    const { alarmText } = await import('../../renderer/i18n/alarm-text.js');
    const ev = { type: 'traffic_violation', attributes: { violation: 'speeding', speedKmh: 131, limitKmh: 90, plate: '777ABZ02' } };
    const english = describeEvent(ev, translatorOf(en));
    expect(english).toBe('Speeding 131 km/h (limit 90), plate 777ABZ02');
    await setLanguage('ru');
    expect(alarmText({ ...ev, type: 'traffic_violation', summary: english })).toBe('Превышение: 131 км/ч (ограничение 90), номер 777ABZ02');
    expect(alarmText({ type: 'object', attributes: { class: 'person' }, summary: 'person detected in Gate 2' })).toBe('Обнаружен объект: человек в Gate 2');
    expect(alarmText({ type: 'object', attributes: { class: 'person' }, summary: 'Something else entirely' })).toBe('Something else entirely');
    await setLanguage('kk');
    expect(alarmText({ type: 'motion', attributes: { area: 0.04 }, summary: 'Motion (4 % of the picture)' })).toBe('Қозғалыс (кадрдың 4 %)');
    // a training session's scripted alarms: their rule's name is a default rule's, worded in the language
    const { ruleText } = await import('../../renderer/i18n/labels.js');
    expect(ruleText('training-scripted', 'Alarm')).toBe('Дабыл');
    // a replayed alarm journaled before its snapshot kept the event's type and attributes: its English summary as it was
    expect(alarmText({ summary: 'Motion (4 % of the picture)' })).toBe('Motion (4 % of the picture)');
    await setLanguage('en');
  });
});
