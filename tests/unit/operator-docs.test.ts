/**
 * Issue 12 §5: the README's operator sections exist in Kazakh and Russian (docs/operator.kk.md, docs/operator.ru.md).
 * This keeps the three in step: the same sections with the same number of bullets, every code span of an English
 * bullet unchanged in the same bullet of each translation, and every bold interface label of an English bullet written
 * in the translation's bullet as the interface shows it in that language (the same locale key's kk/ru value).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/harness.js';
import { locales } from '../support/translations.js';

/** The README sections that are translated, in their order. */
const SECTIONS = ['Signing in', 'What an operator does'];
const TRANSLATIONS = { kk: 'docs/operator.kk.md', ru: 'docs/operator.ru.md' } as const;
type Lang = keyof typeof TRANSLATIONS;

interface Section {
  heading: string;
  /** Top-level bullets (`- ` lines with their indented continuation lines), joined into one line each. */
  bullets: string[];
  /** Everything of the section that is not a bullet (paragraphs, the table), joined. */
  prose: string;
  tableRows: number;
}

/** Splits markdown into its `## ` sections (text before the first one is ignored). */
function parseSections(md: string): Section[] {
  const out: Section[] = [];
  let cur: Section | undefined;
  let inBullet = false;
  for (const line of md.split('\n')) {
    if (line.startsWith('## ')) {
      cur = { heading: line.slice(3).trim(), bullets: [], prose: '', tableRows: 0 };
      out.push(cur);
      inBullet = false;
    } else if (!cur) {
      continue;
    } else if (line.startsWith('- ')) {
      cur.bullets.push(line.slice(2).trim());
      inBullet = true;
    } else if (inBullet && /^\s+\S/.test(line)) {
      cur.bullets[cur.bullets.length - 1] += ` ${line.trim()}`;
    } else {
      inBullet = false;
      if (line.startsWith('|')) cur.tableRows++;
      if (line.trim()) cur.prose += ` ${line.trim()}`;
    }
  }
  return out;
}

const codeSpans = (s: string) => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const bolds = (s: string) => [...s.replace(/`[^`]*`/g, '').matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]!.trim());
/** An interface label as it reads in running text: without a trailing count or hint such as "({{count}})" or "(24 h)". */
const label = (v: string) => v.replace(/\s*\([^()]*\)\s*$/, '').trim();

/** English label -> the locale keys whose English value it is. */
function labelKeys(): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [k, v] of locales.en!) {
    const l = label(v);
    if (l) m.set(l, [...(m.get(l) ?? []), k]);
  }
  return m;
}

/** Problems of one translated block (a bullet, or a section's prose) against its English original. */
function blockProblems(lang: Lang, where: string, en: string, tr: string, keysOf = labelKeys()): string[] {
  const problems: string[] = [];
  const trBolds = new Set(bolds(tr));
  for (const term of bolds(en)) {
    const keys = keysOf.get(term);
    if (!keys) continue; // a concept, not an interface label: translated freely
    const wanted = [...new Set(keys.map((k) => label(locales[lang]!.get(k) ?? '')))];
    if (!wanted.some((w) => trBolds.has(w))) {
      problems.push(`${lang}: ${where}: **${term}** (${keys.join(', ')}) should appear as **${wanted.join('** or **')}**`);
    }
  }
  const enCode = codeSpans(en);
  const trCode = codeSpans(tr);
  const count = (list: string[], c: string) => list.filter((x) => x === c).length;
  for (const c of new Set([...enCode, ...trCode])) {
    const e = count(enCode, c);
    const t = count(trCode, c);
    if (t < e) problems.push(`${lang}: ${where}: code \`${c}\` is missing (${t} of ${e} times)`);
    if (t > e) problems.push(`${lang}: ${where}: code \`${c}\` is not in the English (${t} times, English ${e})`);
  }
  return problems;
}

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const english = (): Section[] => {
  const all = parseSections(read('README.md'));
  return SECTIONS.map((h) => {
    const s = all.find((x) => x.heading === h);
    if (!s) throw new Error(`README.md has no "## ${h}" section`);
    return s;
  });
};
const lead = (bullet: string) => bolds(bullet)[0] ?? bullet.slice(0, 30);

/** Every drift of one translation from the English sections. */
function driftOf(lang: Lang, enSections: Section[], trSections: Section[]): string[] {
  const problems: string[] = [];
  if (trSections.length !== enSections.length) {
    problems.push(`${lang}: ${trSections.length} sections (${trSections.map((s) => s.heading).join(' | ')}), README has ${enSections.length}`);
  }
  enSections.forEach((en, si) => {
    const tr = trSections[si];
    if (!tr) return;
    const where = `section ${si + 1} ("${en.heading}" / "${tr.heading}")`;
    if (tr.bullets.length !== en.bullets.length) problems.push(`${lang}: ${where}: ${tr.bullets.length} bullets, README has ${en.bullets.length}`);
    if (tr.tableRows !== en.tableRows) problems.push(`${lang}: ${where}: ${tr.tableRows} table rows, README has ${en.tableRows}`);
    problems.push(...blockProblems(lang, `${where}, text outside bullets`, en.prose, tr.prose));
    en.bullets.forEach((b, i) => {
      const t = tr.bullets[i];
      if (t !== undefined) problems.push(...blockProblems(lang, `${where}, bullet ${i + 1} (**${lead(b)}** / **${lead(t)}**)`, b, t));
    });
  });
  return problems;
}

describe('operator docs in Kazakh and Russian (issue 12 §5)', () => {
  const en = english();

  it('README.md has the translated sections, with bullets and bold interface labels to check', () => {
    expect(en[1]!.bullets.length).toBeGreaterThan(15);
    const labelled = en.flatMap((s) => s.bullets).flatMap(bolds).filter((b) => labelKeys().has(b));
    expect(labelled).toContain('Review');
    expect(labelled).toContain('Export…');
    expect(labelled).toContain('Map');
  });

  it('README.md links both translations at the start of each translated section', () => {
    const md = read('README.md');
    for (const h of SECTIONS) {
      const after = md.slice(md.indexOf(`## ${h}\n`)).split('\n')[1] ?? '';
      expect(after, `the line after "## ${h}"`).toContain('(docs/operator.kk.md)');
      expect(after, `the line after "## ${h}"`).toContain('(docs/operator.ru.md)');
    }
  });

  for (const lang of Object.keys(TRANSLATIONS) as Lang[]) {
    it(`${TRANSLATIONS[lang]} has the same sections, bullets, code spans and interface labels as README.md`, () => {
      expect(driftOf(lang, en, parseSections(read(TRANSLATIONS[lang])))).toEqual([]);
    });
  }

  it('the check fails on drift: a missing bullet, a changed code span, an English or stale label', () => {
    const ru = parseSections(read(TRANSLATIONS.ru));
    const minusBullet = ru.map((s, i) => (i === 1 ? { ...s, bullets: s.bullets.slice(1) } : s));
    expect(driftOf('ru', en, minusBullet).join('\n')).toMatch(/section 2 .*: \d+ bullets, README has \d+/);

    const reviewAt = en[1]!.bullets.findIndex((b) => bolds(b).includes('Review'));
    const tampered = ru.map((s, i) => (i === 1 ? { ...s, bullets: s.bullets.map((b, j) => (j === reviewAt ? b.replace('**Архив**', '**Review**').replace('`kuzet verify`', '`kuzet check`') : b)) } : s));
    const found = driftOf('ru', en, tampered).join('\n');
    expect(found).toContain(`bullet ${reviewAt + 1} `);
    expect(found).toContain('**Review** (review.switch) should appear as **Архив**');
    expect(found).toContain('code `kuzet verify` is missing');
    expect(found).toContain('code `kuzet check` is not in the English');
  });
});
