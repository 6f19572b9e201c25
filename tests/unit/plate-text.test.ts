// Plate normalisation and search patterns (issue 10 §4, §7: bad input gets a clear refusal).
import { describe, expect, it } from 'vitest';
import { checkPattern, checkPlate, normalisePlate, patternMatches, patternPrefix } from '../../electron/contract/plates/plate-text.js';
import { PlatePattern } from '../../electron/contract/plates/plates-api.js';

describe('plate normalisation', () => {
  it('upper case, separators dropped, lookalike Cyrillic as Latin, Kazakh letters kept', () => {
    expect(normalisePlate('777 abz-02')).toBe('777ABZ02');
    expect(normalisePlate('777 АВZ 02')).toBe('777ABZ02'); // Cyrillic А, В
    expect(normalisePlate('123 ҚАZ 01')).toBe('123ҚAZ01');
    expect(normalisePlate('ｘｙ１２')).toBe('XY12'); // full-width (NFKC)
    expect(checkPlate('777.ABZ.02')).toEqual({ ok: true, plate: '777ABZ02' });
  });
  it('refuses what is not a plate, with the reason', () => {
    const no = (text: string) => { const r = checkPlate(text); return r.ok ? 'accepted' : r.problem; };
    expect(no('')).toMatch(/^empty/);
    expect(no('   ')).toMatch(/^empty/);
    expect(no('A'.repeat(10_000))).toMatch(/^too long: 10000 characters/);
    expect(no('777\u0000ABZ')).toMatch(/control character \(U\+0000\)/);
    expect(no('777\nABZ')).toMatch(/control character \(U\+000A\)/);
    expect(no('777\u202eABZ')).toMatch(/U\+202E/);
    expect(no('777<b>')).toMatch(/'<' \(U\+003C\) is not a plate character/);
    expect(no('777AB?')).toMatch(/'\?'/); // a wildcard is not a plate
    expect(no('A'.repeat(17))).toMatch(/at most 16/);
  });
});

describe('search patterns', () => {
  it('exact and wildcard patterns, normalised like plates', () => {
    expect(checkPattern('777 abz 02')).toMatchObject({ ok: true, pattern: '777ABZ02', exact: true });
    expect(checkPattern('777?BZ*')).toMatchObject({ ok: true, pattern: '777?BZ*', exact: false, glob: '777?BZ*', known: 5 });
    expect(checkPattern('7**7')).toMatchObject({ ok: true, pattern: '7*7' }); // runs of * fold
  });
  it('refuses empty patterns, only wildcards, too few known characters, control characters, 10,000 characters', () => {
    const no = (text: string) => { const r = checkPattern(text); return r.ok ? 'accepted' : r.problem; };
    expect(no('')).toMatch(/^empty/);
    expect(no('***')).toMatch(/^only wildcards/);
    expect(no('?*??')).toMatch(/^only wildcards/);
    expect(no('*7*')).toMatch(/at least 2 characters/);
    expect(no('7'.repeat(10_000))).toMatch(/^too long/);
    expect(no('77\u0007*')).toMatch(/control character \(U\+0007\)/);
    expect(no('77%')).toMatch(/not a plate character \(letters, digits, \? for one unread character/);
    expect(no('1234567890ABCDEFG')).toMatch(/at most 16/);
  });
  it('the wire schema refuses with the same message', () => {
    const r = PlatePattern.safeParse('****');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('plate pattern only wildcards: give at least the characters you could read');
    expect(PlatePattern.safeParse('777AB*').success).toBe(true);
  });
  it('matching: ? is exactly one character, * any run, anchored at both ends', () => {
    const m = (p: string, plate: string) => patternMatches(checkPattern(p).ok ? (checkPattern(p) as { pattern: string }).pattern : p, plate);
    expect(m('777?BZ02', '777ABZ02')).toBe(true);
    expect(m('777?BZ02', '777BZ02')).toBe(false);
    expect(m('777*02', '777ABZ02')).toBe(true);
    expect(m('777*02', '777ABZ03')).toBe(false);
    expect(m('*BZ*', '777ABZ02')).toBe(true);
    expect(m('77AB', '777ABZ02')).toBe(false); // no substring match without *
    expect(m('123?AZ01', '123ҚAZ01')).toBe(true); // one Kazakh letter is one character
    expect(patternPrefix('777?BZ*')).toBe('777');
    expect(patternPrefix('*BZ')).toBe('');
  });
});
