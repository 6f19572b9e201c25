/** The language switch in the top bar: Қазақша, Русский, English (and the pseudo-locale with diagnostics on). */
import { useTranslation } from 'react-i18next';
import type { HostState } from '../bridge/host-state.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n/i18n.js';
import { chooseLanguage } from '../i18n/language-pref.js';

export function LanguageMenu({ host: _host }: { host: HostState }) {
  const { t, i18n } = useTranslation();
  const current = isLanguage(i18n.language) ? i18n.language : 'en';
  const offered: Language[] = [...LANGUAGES, ...(current === 'pseudo' ? ['pseudo' as const] : [])];
  return (
    <select className="language" aria-label={t('topbar.language')} title={t('topbar.language')} value={current}
      onChange={(e) => { if (isLanguage(e.target.value)) void chooseLanguage(e.target.value); }}>
      {offered.map((l) => <option key={l} value={l} lang={l === 'pseudo' ? 'en' : l}>{LANGUAGE_NAMES[l]}</option>)}
    </select>
  );
}
