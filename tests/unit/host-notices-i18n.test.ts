/**
 * Every notice the host shows an operator names its translation (issue 12, §5): each `notices.add(...)` call in
 * electron/host passes `{ key }`, and that key exists under `hostNotices.` in every locale with the same parameters.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const LANGS = ['en', 'ru', 'kk'] as const;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The `notices.add(` / `notices?.add(` calls of a source file, each as its text up to the closing parenthesis. */
function noticeCalls(text: string): string[] {
  const out: string[] = [];
  const re = /notices\??\.add\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 1, i = m.index + m[0].length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    out.push(text.slice(m.index, i));
  }
  return out;
}

const locale = (lang: string) => JSON.parse(readFileSync(join(ROOT, 'resources', 'locales', `${lang}.json`), 'utf8')) as { hostNotices?: Record<string, string> };
const params = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('host notices are translated', () => {
  const calls = sources(join(ROOT, 'electron', 'host')).flatMap((f) => noticeCalls(readFileSync(f, 'utf8')).map((c) => ({ file: f.slice(ROOT.length + 1), c })));

  it('finds the host\'s notices (the scan itself works)', () => {
    expect(calls.length).toBeGreaterThanOrEqual(7);
  });

  it('every notice names a key that exists in en, ru and kk with the same parameters', () => {
    const problems: string[] = [];
    const en = locale('en').hostNotices ?? {};
    for (const { file, c } of calls) {
      const key = /key: '(\w+)'/.exec(c)?.[1];
      if (!key) { problems.push(`${file}: ${c.slice(0, 80)}… has no translation key`); continue; }
      for (const lang of LANGS) {
        const text = locale(lang).hostNotices?.[key];
        if (!text) problems.push(`${file}: hostNotices.${key} missing in ${lang}`);
        else if (en[key] && params(text).join() !== params(en[key]!).join()) problems.push(`hostNotices.${key} (${lang}) has parameters ${params(text)} against ${params(en[key]!)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
