/**
 * A signed folder as one file: a POSIX tar (ustar) of the folder, for an audit report the auditor's browser downloads
 * (issue 12, §4) and an incident package carried to another console (issue 11). `kuzet verify <file>.tar` (or `tar -xf`
 * and `kuzet verify <folder>`) checks the same signature.
 * Plain Node, no dependency: the format is 512-byte headers and 512-byte padded bodies. Reading is strict: only regular
 * files directly inside one folder, no links, no '..', bounded sizes; anything else is refused with the reason.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const BLOCK = 512;
/** A report holds at most 100,000 entries, an incident package minutes of video: both far below this. */
const MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024;
const MAX_FILES = 1024;

function octal(n: number, width: number): string { return n.toString(8).padStart(width - 1, '0') + '\0'; }

function header(name: string, size: number, mtimeSec: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const put = (text: string, at: number, width: number) => { h.write(text, at, Math.min(width, Buffer.byteLength(text)), 'utf8'); };
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(mtimeSec, 12), 136, 12);
  put('        ', 148, 8); // the checksum is computed with its own field as spaces
  put('0', 156, 1); // a regular file
  put('ustar\u000000', 257, 8);
  let sum = 0;
  for (const b of h) sum += b;
  put(octal(sum, 7) + ' ', 148, 8);
  return h;
}

/** The tar of `dir`'s regular files under `<folder>/` (sorted by name: the same folder gives the same bytes). */
export function archiveFolder(dir: string, folder = basename(dir), mtimeMs = Date.now()): Buffer {
  const parts: Buffer[] = [];
  const mtime = Math.floor(mtimeMs / 1000);
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const body = readFileSync(path);
    const entry = `${folder}/${name}`;
    if (Buffer.byteLength(entry) > 99) throw new Error(`archive: the name ${entry} is too long`);
    parts.push(header(entry, body.length, mtime), body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

export interface ArchivedFile { folder: string; name: string; body: Buffer }

const field = (h: Buffer, at: number, width: number) => h.subarray(at, at + width).toString('utf8').replace(/\0.*$/s, '');

/** The files of an archive; throws an Error saying what is wrong with anything else. */
export function readArchive(buf: Buffer): ArchivedFile[] {
  if (buf.length > MAX_ARCHIVE_BYTES) throw new Error(`not a Kuzet archive: ${buf.length} bytes is more than a report or a package can be`);
  const out: ArchivedFile[] = [];
  let at = 0;
  while (at + BLOCK <= buf.length) {
    const h = buf.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) return out;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (parseInt(field(h, 148, 8).trim(), 8) !== sum) throw new Error(`not a Kuzet archive: the header at byte ${at} is damaged (checksum)`);
    const type = field(h, 156, 1);
    const prefix = field(h, 345, 155);
    const path = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0 || at + BLOCK + size > buf.length) throw new Error(`not a Kuzet archive: ${path} is cut off`);
    at += BLOCK;
    if (type === '5') { at += Math.ceil(size / BLOCK) * BLOCK; continue; } // the folder itself
    if (type !== '0' && type !== '') throw new Error(`not a Kuzet archive: ${path} is not a plain file (links and devices are refused)`);
    const segs = path.split('/').filter((s) => s !== '' && s !== '.');
    if (segs.length !== 2 || segs.some((s) => s === '..')) throw new Error(`not a Kuzet archive: ${path} is not a file directly inside the archive's folder`);
    if (out.length >= MAX_FILES) throw new Error(`not a Kuzet archive: more than ${MAX_FILES} files`);
    out.push({ folder: segs[0]!, name: segs[1]!, body: Buffer.from(buf.subarray(at, at + size)) });
    at += Math.ceil(size / BLOCK) * BLOCK;
  }
  if (!out.length) throw new Error('not a Kuzet archive: no files in it');
  return out;
}

/** Unpacks an archive into `into/<folder>`; returns that folder. One folder only, as `archiveFolder` writes it. */
export function extractArchive(file: string, into: string): string {
  const files = readArchive(readFileSync(file));
  const folders = new Set(files.map((f) => f.folder));
  if (folders.size !== 1) throw new Error(`not a Kuzet archive: ${folders.size} folders in it, a report or a package is one`);
  const dir = join(into, files[0]!.folder);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.name), f.body, { flag: 'wx' }); // 'wx': a name twice is refused
  return dir;
}
