/**
 * Names people type (cameras, groups, tags, layouts, presets, rules, zones): any script stays as typed (Kazakh,
 * Russian, Arabic), but C0/C1 control characters and the bidi embedding, override and isolate controls are refused.
 * A right-to-left override makes `gnp.exe` read as `exe.png`; a tab or newline breaks lists and exports. The marks
 * U+200E, U+200F and U+061C stay allowed: Arabic and Hebrew text needs them and they cannot reorder a name.
 */
import { z } from 'zod';
import { reasonParams } from './api-errors.js';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

const NAMED: Record<number, string> = {
  0x09: 'a tab', 0x0a: 'a line break', 0x0d: 'a carriage return', 0x202a: 'a left-to-right embedding', 0x202b: 'a right-to-left embedding',
  0x202c: 'a pop directional formatting', 0x202d: 'a left-to-right override', 0x202e: 'a right-to-left override',
  0x2066: 'a left-to-right isolate', 0x2067: 'a right-to-left isolate', 0x2068: 'a first strong isolate', 0x2069: 'a pop directional isolate',
};

/** The first character a name may not hold, described ("a right-to-left override (U+202E)"), or null. */
export function unsafeNameChar(s: string): string | null {
  const m = UNSAFE.exec(s);
  if (!m) return null;
  const cp = m[0].codePointAt(0)!;
  return `${NAMED[cp] ?? 'a control character'} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** The name without those characters (for names saved before they were refused). */
export function withoutUnsafeChars(s: string): string { return s.replace(UNSAFE_ALL, ''); }

const refuseUnsafe = (what: string) => (s: string, ctx: z.RefinementCtx) => {
  const bad = unsafeNameChar(s);
  if (bad) {
    ctx.addIssue({ code: 'custom', message: `${what} contains ${bad}: names may not hold control characters or text-direction controls`,
      params: reasonParams('nameUnsafe', { char: /U\+[0-9A-F]+/.exec(bad)?.[0] ?? '?' }) });
  }
};

/** A name typed now: trimmed, 1..max characters, refused with a clear message when it holds an unsafe character. */
export function typedName(what: string, max = 200) {
  return z.string().trim().min(1, `${what} is required`).max(max, `${what}: at most ${max} characters`).superRefine(refuseUnsafe(what));
}

/** Optional text of the same kind that may be empty (a camera's group, a tag). */
export function typedText(what: string, max = 200) {
  return z.string().max(max, `${what}: at most ${max} characters`).superRefine(refuseUnsafe(what));
}

/**
 * A name in a schema that also reads files saved by earlier versions (layouts, presets, zones): unsafe characters are
 * removed rather than refused, so saved data still loads, neutralised.
 */
export function savedName(what: string, max = 200, required = `${what} is required`) {
  return z.string().transform(withoutUnsafeChars).pipe(z.string().trim().min(1, required).max(max, `${what}: at most ${max} characters`));
}
