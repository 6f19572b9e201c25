/**
 * The translation completeness check (issue 12 §5), ONE definition for tests/unit/i18n.test.ts (CI fails on a missing key)
 * and `npm run bench:access` (which reports the count): the three locale files flattened to dotted keys.
 */
import en from '../../resources/locales/en.json' with { type: 'json' };
import ru from '../../resources/locales/ru.json' with { type: 'json' };
import kk from '../../resources/locales/kk.json' with { type: 'json' };
import { LANGUAGES } from '../../renderer/i18n/i18n.js';

export type { Tree } from '../../electron/contract/training/report-text.js';
import type { Tree } from '../../electron/contract/training/report-text.js';
export const PLURAL = /_(zero|one|two|few|many|other)$/;
export const flat = (t: Tree, p = ''): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'string') out.set(p + k, v); else for (const [kk2, vv] of flat(v, `${p}${k}.`)) out.set(kk2, vv);
  }
  return out;
};
export const locales: Record<string, Map<string, string>> = { en: flat(en as Tree), ru: flat(ru as Tree), kk: flat(kk as Tree) };
export const base = (k: string) => k.replace(PLURAL, '');

/** Every language's missing keys against English (a plural key needs each of that language's CLDR categories). */
export function missingTranslations(): string[] {
  const problems: string[] = [];
  const enBases = new Set([...locales.en!.keys()].map(base));
  const pluralBases = new Set([...locales.en!.keys()].filter((k) => PLURAL.test(k)).map(base));
  for (const lng of LANGUAGES) {
    const m = locales[lng]!;
    const cats = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
    for (const b of enBases) {
      if (pluralBases.has(b)) { for (const c of cats) if (!m.has(`${b}_${c}`)) problems.push(`${lng}: ${b}_${c}`); }
      else if (!m.has(b)) problems.push(`${lng}: ${b}`);
    }
    for (const k of m.keys()) if (!enBases.has(base(k))) problems.push(`${lng}: ${k} (not in English)`);
  }
  return problems;
}

