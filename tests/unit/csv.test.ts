import { describe, expect, it } from 'vitest';
import { readCsv, writeCsv } from '../../electron/host/cameras/csv.js';
import { exportCsv, parseCsvImport } from '../../electron/host/cameras/camera-io.js';
import type { Camera } from '../../electron/contract/schemas.js';

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

  it('writes formula-like fields with a leading apostrophe and reads them back as typed', () => {
    const risky = ['=HYPERLINK("http://evil","x")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1)', '\tTab', '\rCR', "'=already quoted", "''=twice", "'plain apostrophe", '-12.5', '42', 'a=b'];
    const text = writeCsv([risky]);
    const written = readCsvRaw(text);
    // every formula-like field starts with an apostrophe on disk (what a spreadsheet sees); plain numbers stay numbers
    expect(written).toEqual(["'=HYPERLINK(\"http://evil\",\"x\")", "'+1+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rCR", "''=already quoted", "'''=twice", "'plain apostrophe", '-12.5', '42', 'a=b']);
    expect(readCsv(text).map((r) => r.fields)).toEqual([risky]);
  });

  it('a camera list exported as CSV cannot run formulas and imports back to the same names', () => {
    const cam = (id: string, name: string, group?: string): Camera => ({ id, name, mainUrl: `rtsp://10.0.0.1/${id}`, hasCredentials: false, kind: 'fixed', tags: ['=t'], ...(group ? { group } : {}) });
    const cameras = [cam('c1', '=1+1'), cam('c2', '@gate', '+group'), cam('c3', '-Abay'), cam('c4', 'Абай даңғылы')];
    const text = exportCsv(cameras);
    for (const line of text.split('\r\n').slice(1, -1)) expect(line.split(',')[1], line).not.toMatch(/^[=+\-@]/);
    const back = parseCsvImport(text).map((r) => ('input' in r ? r.input : r.error));
    expect(back).toMatchObject([{ name: '=1+1', tags: ['=t'] }, { name: '@gate', group: '+group' }, { name: '-Abay' }, { name: 'Абай даңғылы' }]);
  });

  it('the place and aim of a camera (heading, field of view, range) export as CSV and import back the same', () => {
    const location = { lat: 43.2383, lon: 76.9453, heading: 135, fov: 75, rangeM: 120 };
    const text = exportCsv([{ id: 'c1', name: 'Abay', mainUrl: 'rtsp://10.0.0.1/c1', hasCredentials: false, kind: 'fixed', tags: [], location }]);
    expect(text.split('\r\n')[0]).toContain('fov,rangeM');
    const [row] = parseCsvImport(text);
    expect(row && 'input' in row ? row.input.location : row).toEqual(location);
    const [bad] = parseCsvImport('name,mainUrl,lat,lon,rangeM\nA,rtsp://x,43,76,far\n');
    expect(bad).toMatchObject({ row: 2, error: expect.stringContaining("rangeM: 'far' is not a number") });
  });
});

/** The fields as a spreadsheet reads them (quotes removed, nothing unescaped). */
function readCsvRaw(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const line = text.replace(/\r\n$/, '');
  while (i <= line.length) {
    if (line[i] === '"') {
      let j = i + 1, v = '';
      for (;;) { if (line[j] === '"' && line[j + 1] === '"') { v += '"'; j += 2; } else if (line[j] === '"') { j++; break; } else v += line[j++]; }
      out.push(v); i = j + 1;
    } else {
      const j = line.indexOf(',', i);
      out.push(line.slice(i, j < 0 ? line.length : j)); i = j < 0 ? line.length + 1 : j + 1;
    }
  }
  return out;
}
