import { describe, expect, it } from 'vitest';
import { readCsv, writeCsv } from '../../electron/host/cameras/csv.js';

describe('csv', () => {
  it('quotes commas, quotes, line breaks and edge spaces, and reads them back', () => {
    const rows = [
      ['id', 'name', 'tags'],
      ['cam-1', 'Gate, north', 'a;b'],
      ['cam-2', 'The "big" one', ''],
      ['cam-3', 'two\nlines\r\nhere', ' padded '],
      ['cam-4', 'Абай даңғылы', 'ok'],
    ];
    const text = writeCsv(rows);
    expect(text).toContain('"Gate, north"');
    expect(text).toContain('"The ""big"" one"');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(readCsv(text).map((r) => r.fields)).toEqual(rows);
  });

  it('reports the line each record starts on, skipping blank lines', () => {
    const recs = readCsv('\uFEFFa,b\n"x\ny",1\n\nz,2');
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', '1'] },
      { line: 5, fields: ['z', '2'] },
    ]);
  });

  it('keeps empty fields and a trailing empty field', () => {
    expect(readCsv('a,,c,\n').map((r) => r.fields)).toEqual([['a', '', 'c', '']]);
    expect(readCsv('"",x').map((r) => r.fields)).toEqual([['', 'x']]);
  });

  it('names the line of a broken quote', () => {
    expect(() => readCsv('a,b\nc,"never closed\n')).toThrow(/line 2: a quoted field is never closed/);
    expect(() => readCsv('a,b"c')).toThrow(/line 1: a quote inside an unquoted field/);
    expect(() => readCsv('"a"b,c')).toThrow(/line 1: unexpected text after a closing quote/);
  });
});
