/**
 * The interface's languages: Kazakh (Cyrillic), Russian and English through i18next, switched at runtime.
 * Every string the renderer shows goes through `t(key)` (react-i18next's `useTranslation` in components); camera,
 * group and rule names are the user's own and are never translated. English is the fallback for a key a language
 * lacks, and a missing key is counted (`missingKeys`) so tests and bench:access can report it.
 * `pseudo` is a test language: English made about 40 % longer with accented letters, so truncation and overflow
 * show up in screenshots; it is offered only with diagnostics on.
 */
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../../resources/locales/en.json' with { type: 'json' };
import ru from '../../resources/locales/ru.json' with { type: 'json' };
import kk from '../../resources/locales/kk.json' with { type: 'json' };
import { pseudoLocalise } from './pseudo.js';

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number] | 'pseudo';
export type Messages = typeof en;

/** Each language's own name, shown in the language menu in that language. */
export const LANGUAGE_NAMES: Record<Language, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English', pseudo: 'Pseudo' };

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && ((LANGUAGES as readonly string[]).includes(x) || x === 'pseudo');
}

import type { Tree } from '../../electron/contract/training/report-text.js';

function mapTree(tree: Tree, fn: (s: string) => string): Tree {
  const out: Tree = {};
  for (const [k, v] of Object.entries(tree)) out[k] = typeof v === 'string' ? fn(v) : mapTree(v, fn);
  return out;
}

/** Keys asked for that no language (not even English) has; each is counted once. */
export const missingKeys = new Set<string>();

export function createI18n(lng: Language = 'en'): I18n {
  const inst = i18next.createInstance();
  void inst.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES, 'pseudo'],
    resources: {
      en: { translation: en }, ru: { translation: ru }, kk: { translation: kk },
      pseudo: { translation: mapTree(en as Tree, pseudoLocalise) },
    },
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (_lngs, _ns, key) => { missingKeys.add(key); },
  });
  return inst;
}

/** The renderer's one instance (components use `useTranslation`; non-React code imports `t`). */
export const i18n = createI18n();
export const t: I18n['t'] = ((...args: Parameters<I18n['t']>) => i18n.t(...args)) as I18n['t'];

export function currentLanguage(): Language {
  const l = i18n.language;
  return isLanguage(l) ? l : 'en';
}

/** Switches every mounted component at once (react-i18next re-renders on `languageChanged`). */
export async function setLanguage(lng: Language): Promise<void> {
  await i18n.changeLanguage(lng);
  if (typeof document !== 'undefined') document.documentElement.lang = lng === 'pseudo' ? 'en' : lng;
}

/** The product's name: the same in every language (күзет is Kazakh for "watch, guard"). */
export const BRAND = 'KUZET';
