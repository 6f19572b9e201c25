/**
 * The text of a PDF without poppler (pdftotext is used when installed): Chromium's PDFs draw text as glyph ids of
 * Type0 fonts in deflated content streams, and each font's ToUnicode map says which character a glyph is. Enough to
 * check that a printed report names what it should; not a general PDF reader.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

interface PdfObject { dict: string; stream: Buffer | null }

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    let stream: Buffer | null = null;
    let dict = body;
    if (s >= 0) {
      dict = body.slice(0, s);
      const from = start + s + 'stream'.length + (text[start + s + 6] === '\r' ? 2 : 1);
      const to = text.lastIndexOf('endstream', end);
      const raw = pdf.subarray(from, to);
      try { stream = /FlateDecode/.test(dict) ? inflateSync(raw) : raw; } catch { stream = raw; }
    }
    out.set(Number(m[1]), { dict, stream });
  }
  return out;
}

const hexChars = (hex: string) => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));

function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1]!, 16), hexChars(m[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(m[1]!, 16), hi = parseInt(m[2]!, 16);
      if (m[3]!.startsWith('[')) [...m[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((d, i) => map.set(lo + i, hexChars(d[1]!)));
      else { const base = parseInt(m[3]!.slice(1, -1), 16); for (let g = lo; g <= hi; g++) map.set(g, String.fromCodePoint(base + g - lo)); }
    }
  }
  return map;
}

/** The PDF's text, in drawing order (pdftotext's when it is installed). */
export function pdfText(pdf: Buffer): string {
  if (existsSync('/usr/bin/pdftotext')) {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-pdf-'));
    try { writeFileSync(join(dir, 'a.pdf'), pdf); return execFileSync('/usr/bin/pdftotext', [join(dir, 'a.pdf'), '-'], { encoding: 'utf8' }); }
    finally { rmSync(dir, { recursive: true, force: true }); }
  }
  const objs = objects(pdf);
  const fonts = new Map<string, Map<number, string>>();
  for (const o of objs.values()) {
    for (const res of o.dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const f of res[1]!.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
        const tu = /\/ToUnicode\s+(\d+) 0 R/.exec(objs.get(Number(f[2]))?.dict ?? '');
        const cmap = tu ? objs.get(Number(tu[1]))?.stream : null;
        if (cmap) fonts.set(f[1]!, toUnicode(cmap.toString('latin1')));
      }
    }
  }
  let out = '';
  for (const o of objs.values()) {
    const s = o.stream?.toString('latin1') ?? '';
    if (!/\bTf\b/.test(s)) continue;
    let font = new Map<number, string>();
    for (const m of s.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|(\[(?:[^\]]*)\])\s*TJ|<([0-9a-fA-F]*)>\s*Tj|\bET\b/g)) {
      if (m[1]) { font = fonts.get(m[1]) ?? new Map(); continue; }
      if (m[0] === 'ET') { out += '\n'; continue; }
      const hexes = m[2] ? [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => x[1]!) : [m[3]!];
      for (const h of hexes) for (const g of h.match(/.{4}/g) ?? []) out += font.get(parseInt(g, 16)) ?? '';
    }
  }
  return out;
}
