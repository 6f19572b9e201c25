/**
 * Plate text as the plate index keeps it (issue 10 §4), and search patterns over it. Pure module: no Node, no DOM.
 *
 * A plate is normalised before it is stored or compared: Unicode NFKC, upper case, spaces, dashes and dots dropped,
 * and the Cyrillic letters that look like Latin ones (А В Е К М Н О Р С Т У Х) written as those Latin letters, so one
 * car read "777 АВZ 02" by one camera and "777ABZ02" by another is one plate. Other letters (Kazakh Ә Ғ Қ ...) stay.
 * A pattern is the same with `?` for one unread character and `*` for any run of them.
 */
import { reason, type ErrorReason, type ErrorReasonCode } from '../api-errors.js';

/** The longest plate kept (the event model's `text` is at most 16 characters). */
export const MAX_PLATE = 16;
/** The longest text a search box may send (separators included); anything longer is refused, not cut. */
export const MAX_PATTERN_INPUT = 40;
/** A pattern needs this many known characters: `*` alone (or `*7*`) would list every car the city saw. */
export const MIN_KNOWN_CHARS = 2;

const LOOKALIKE: Record<string, string> = { А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', Ё: 'E' };
const SEPARATORS = /[\s.\-_/]/gu;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
/** What a normalised plate may hold: Latin letters, digits, and Cyrillic letters (Kazakh and Russian). */
const PLATE_CHAR = /^[A-Z0-9\u0400-\u04FF]$/u;

/** Why a text is not a plate: the English problem (logs, the API) and its reason code (the console translates it). */
export type PlateProblem = { ok: false; problem: string; reason: ErrorReason };
export type PlateCheck = { ok: true; plate: string } | PlateProblem;
export type PatternCheck = { ok: true; pattern: string; exact: boolean; glob: string; known: number } | PlateProblem;

const refused = (problem: string, code: ErrorReasonCode, params: Record<string, string | number> = {}): PlateProblem =>
  ({ ok: false, problem, reason: reason(code, params) });

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Upper case, separators dropped, lookalike Cyrillic as Latin. Does not judge what is left (see checkPlate). */
export function normalisePlate(text: string): string {
  let out = '';
  for (const c of text.normalize('NFKC').toUpperCase().replace(SEPARATORS, '')) out += LOOKALIKE[c] ?? c;
  return out;
}

/** The text's characters, normalised, each either a plate character or (with wildcards) `?`/`*`; or why not. */
function normaliseChecked(text: string, wildcards: boolean): { ok: true; value: string } | PlateProblem {
  if (text.length > MAX_PATTERN_INPUT) return refused(`too long: ${text.length} characters (a plate has at most ${MAX_PLATE})`, 'plateTooLong', { max: MAX_PLATE });
  const control = CONTROL.exec(text);
  if (control) return refused(`contains a control character (${codePoint(control[0])})`, 'plateControl', { char: codePoint(control[0]) });
  const value = normalisePlate(text);
  if (!value) return refused('empty: type the plate (letters and digits)', 'plateEmpty');
  for (const c of value) {
    if (wildcards && (c === '?' || c === '*')) continue;
    if (!PLATE_CHAR.test(c)) return refused(`'${c}' (${codePoint(c)}) is not a plate character${wildcards ? ' (letters, digits, ? for one unread character, * for several)' : ''}`,
      wildcards ? 'patternCharacter' : 'plateCharacter', { char: c, code: codePoint(c) });
  }
  return { ok: true, value };
}

/** A plate as read (an event's `text`): normalised, or refused with the reason. */
export function checkPlate(text: string): PlateCheck {
  const r = normaliseChecked(text, false);
  if (!r.ok) return r;
  if ([...r.value].length > MAX_PLATE) return refused(`too long: a plate has at most ${MAX_PLATE} characters`, 'plateTooLong', { max: MAX_PLATE });
  return { ok: true, plate: r.value };
}

/**
 * A search pattern: `?` one unread character, `*` any number (runs of `*` fold into one). `glob` is the same for
 * SQLite's GLOB (case-sensitive, whose only other specials, `[` and `]`, a normalised plate cannot hold).
 */
export function checkPattern(text: string): PatternCheck {
  const r = normaliseChecked(text, true);
  if (!r.ok) return r;
  const pattern = r.value.replace(/\*+/g, '*');
  const known = [...pattern].filter((c) => c !== '?' && c !== '*').length;
  if (known === 0) return refused('only wildcards: give at least the characters you could read', 'patternOnlyWildcards');
  if (known < MIN_KNOWN_CHARS) return refused(`give at least ${MIN_KNOWN_CHARS} characters you could read`, 'patternFewKnown', { min: MIN_KNOWN_CHARS });
  const fixed = [...pattern].filter((c) => c !== '*').length;
  if (fixed > MAX_PLATE) return refused(`too long: a plate has at most ${MAX_PLATE} characters`, 'plateTooLong', { max: MAX_PLATE });
  const exact = !/[?*]/.test(pattern);
  return { ok: true, pattern, exact, glob: pattern, known };
}

/** Does a normalised plate match a checked pattern? (The watch list matches events with this; the index uses GLOB.) */
export function patternMatches(pattern: string, plate: string): boolean {
  const re = new RegExp(`^${[...pattern].map((c) => (c === '?' ? '.' : c === '*' ? '.*' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('')}$`, 'u');
  return re.test(plate);
}

/** The literal start of a pattern (before its first wildcard): the index range a search can seek to. */
export function patternPrefix(pattern: string): string {
  const i = pattern.search(/[?*]/);
  return i < 0 ? pattern : pattern.slice(0, i);
}
