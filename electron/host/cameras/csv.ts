/**
 * RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled. The reader
 * accepts CRLF or LF, a UTF-8 BOM, and line breaks inside quoted fields. Pure module.
 * A field a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is written with a
 * leading apostrophe, and the reader removes it again, so `=HYPERLINK(...)` round-trips as text, never as a formula.
 */

/** Starts like a formula (after any apostrophes already there, so a name that begins with `'=` round-trips too). */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** The field as a spreadsheet must see it: plain numbers stay numbers, anything formula-like gets a leading `'`. */
export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
}

/** The inverse of escapeFormula, applied to every field read. */
export function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value;
}

export function csvField(raw: string): string {
  const value = escapeFormula(raw);
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

export function writeCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One record and the line (1-based) it starts on, so errors point where a spreadsheet shows them. */
export interface CsvRecord { line: number; fields: string[] }

/** Throws an Error naming the line when a quoted field never ends or a quote sits mid-field. */
export function readCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quotedField = false;
  const endField = () => { fields.push(unescapeFormula(field)); field = ''; quotedField = false; };
  const endRecord = () => {
    endField();
    // A blank line is not a record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '"' && field === '' && !quotedField) {
      const start = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`line ${start}: a quoted field is never closed`);
        const c = src[i]!;
        if (c === '"') {
          if (src[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      quotedField = true;
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new Error(`line ${line}: unexpected text after a closing quote`);
      continue;
    }
    if (ch === ',') { endField(); i++; continue; }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (ch === '"') throw new Error(`line ${line}: a quote inside an unquoted field (quote the whole field and double the quote)`);
    field += ch;
    i++;
  }
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return records;
}
