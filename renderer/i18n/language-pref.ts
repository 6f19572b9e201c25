/**
 * Which language this console shows. Remembered per user: with a signed-in user the host keeps it in the user's
 * preferences (see renderer/access); until then, per browser profile. `?lang=` in the URL wins for a start (used by
 * tests and to open an extra display in another language).
 */
import { isLanguage, setLanguage, type Language } from './i18n.js';

const KEY = 'kuzet.language';
type Saver = (lng: Language) => Promise<void>;
let saveForUser: Saver | null = null;

/** The signed-in user's saver (set by the access module at sign-in; null at sign-out). */
export function rememberLanguageWith(saver: Saver | null): void { saveForUser = saver; }

export function initialLanguage(centreDefault: Language, search: string = typeof location === 'undefined' ? '' : location.search): Language {
  const fromUrl = new URLSearchParams(search).get('lang');
  if (isLanguage(fromUrl)) return fromUrl;
  try { const stored = localStorage.getItem(KEY); if (isLanguage(stored)) return stored; } catch { /* no storage */ }
  return centreDefault;
}

export async function chooseLanguage(lng: Language): Promise<void> {
  await setLanguage(lng);
  try { localStorage.setItem(KEY, lng); } catch { /* session only */ }
  if (saveForUser) await saveForUser(lng).catch(() => { /* kept locally; the host copy catches up next time */ });
}

/** True when this window was opened in a language (`?lang=`) or its user chose one: the centre's default then stays out. */
export function hasChosenLanguage(search: string = typeof location === 'undefined' ? '' : location.search): boolean {
  if (isLanguage(new URLSearchParams(search).get('lang'))) return true;
  try { return isLanguage(localStorage.getItem(KEY)); } catch { return false; }
}

/**
 * The map window speaks the wall's language: it opens in it (`?lang=`) and follows when the operator switches the wall's
 * language (the host tells every session of the user, `access.session`; the map window under `npm start` is a browser
 * of its own), also across a reload of the map window (its address is rewritten). Extra displays opened in a language
 * of their own do not follow and keep theirs.
 */
let followsWall = false;
export function followWallLanguage(): void { followsWall = true; }

/** The signed-in user's language changed on the host (chosen in another window of theirs). */
export function userLanguageChanged(lng: Language): void {
  if (!followsWall) return;
  void setLanguage(lng);
  const url = new URL(location.href);
  url.searchParams.set('lang', lng);
  history.replaceState(history.state, '', url);
}
