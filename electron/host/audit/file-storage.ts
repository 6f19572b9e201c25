/**
 * An audit chain in a JSON-lines file (the export chain of custody: `<data dir>/audit.jsonl`). Lines written before
 * anchoring ({at, actor, action, details, prev} with prev = SHA-256 of the line before, 'genesis' for the first) stay
 * as they are: each counts as entry <line number>, hashed as SHA-256 of its text, and the first anchored entry links to
 * the last of them, so the file remains one chain.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { entryHash, ENTRY_FORMAT, GENESIS, type AuditEntry, type ChainLink } from './chain.js';
import type { AuditStorage } from './audit-log.js';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const EntryLine = z.object({
  v: z.literal(ENTRY_FORMAT), seq: z.number().int().min(1), at: z.number(), user: z.string(), console: z.string(),
  action: z.string(), target: z.string(), details: z.string(), prev: Hex64, hash: Hex64,
}).strict();
const LegacyLine = z.object({ at: z.string(), actor: z.string(), action: z.string(), details: z.unknown(), prev: z.string() });

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export class FileAuditStorage implements AuditStorage {
  private last: { seq: number; hash: string } | null = null;

  /** Opening (not for verify-only use) sets aside a last line a crash left half-written, so appends start clean. */
  constructor(readonly path: string, opts: { readonly?: boolean } = {}) {
    if (!opts.readonly) this.setAsideTornLine();
    this.last = this.readHead();
  }

  head() { return this.last; }

  hashAt(seq: number): string | null {
    for (const l of this.links()) if (l.seq === seq) return l.hash;
    return null;
  }

  append(e: AuditEntry): void {
    appendFileSync(this.path, JSON.stringify(e) + '\n', { mode: 0o600 });
    this.last = { seq: e.seq, hash: e.hash };
  }

  /** One write for the batch (a crash can tear only its last line, which opening sets aside). */
  appendBatch(entries: readonly AuditEntry[]): void {
    if (!entries.length) return;
    appendFileSync(this.path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
    const last = entries[entries.length - 1]!;
    this.last = { seq: last.seq, hash: last.hash };
  }

  *links(): Iterable<ChainLink> {
    if (!existsSync(this.path)) return;
    const lines = readFileSync(this.path, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    for (const [i, line] of lines.entries()) yield linkOf(line, i + 1);
  }

  sync(): void {
    if (!existsSync(this.path)) return;
    const fd = openSync(this.path, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  }

  busy(): boolean { return false; }

  /** The first line's entry number (null when empty). */
  firstSeq(): number | null {
    for (const l of this.links()) return l.seq;
    return null;
  }

  /**
   * Retention (AuditLog.prune has anchored the boundary first): rewrites the file without entries 1..throughSeq, into a
   * temporary file that is fsynced and renamed over the chain, so a crash leaves either the old file or the new one. Only
   * when every kept line is an anchored entry (legacy lines are numbered by their line, which pruning would shift) and no
   * line fails its hash (pruning must not erase the evidence of an edit).
   */
  prune(throughSeq: number): number {
    if (!existsSync(this.path)) return 0;
    const lines = readFileSync(this.path, 'utf8').split('\n').filter((l) => l !== '');
    const kept: string[] = [];
    let removed = 0;
    for (const [i, line] of lines.entries()) {
      const l = linkOf(line, i + 1);
      if (l.computed !== l.hash) return 0;
      if (l.seq <= throughSeq && kept.length === 0) { removed++; continue; }
      if (l.legacy) return 0;
      kept.push(line);
    }
    if (!removed) return 0;
    const tmp = `${this.path}.prune-${process.pid}`;
    writeFileSync(tmp, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
    const fd = openSync(tmp, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, this.path);
    const dir = openSync(dirname(this.path), 'r');
    try { fsyncSync(dir); } finally { closeSync(dir); }
    return removed;
  }

  /** The last line only: its entry, or for a legacy line its line number and hash (no need to hash the whole file). */
  private readHead(): { seq: number; hash: string } | null {
    if (!existsSync(this.path)) return null;
    const text = readFileSync(this.path, 'utf8');
    const end = text.endsWith('\n') ? text.length - 1 : text.length;
    if (end <= 0) return null;
    const start = text.lastIndexOf('\n', end - 1) + 1;
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
    const l = linkOf(text.slice(start, end), lines + 1);
    return { seq: l.seq, hash: l.hash };
  }

  private setAsideTornLine(): void {
    if (!existsSync(this.path)) return;
    const bytes = readFileSync(this.path);
    if (!bytes.length || bytes[bytes.length - 1] === 0x0a) return;
    copyFileSync(this.path, `${this.path}.torn-${Date.now()}`); // the bytes as they were, for whoever investigates
    truncateSync(this.path, bytes.lastIndexOf(0x0a) + 1);
  }
}

/** A line that is neither format still takes its place in the chain, as a link that cannot hold. */
function linkOf(line: string, lineNo: number): ChainLink {
  let parsed: unknown;
  try { parsed = JSON.parse(line); } catch { parsed = undefined; }
  const e = EntryLine.safeParse(parsed);
  // action and details: an audit.prune entry authorises the prefix retention removed (chain.ts, prunedThrough)
  if (e.success) return { seq: e.data.seq, prev: e.data.prev, hash: e.data.hash, computed: entryHash(e.data), legacy: false, action: e.data.action, details: e.data.details };
  const old = LegacyLine.safeParse(parsed);
  const hash = sha(line);
  if (old.success) return { seq: lineNo, prev: old.data.prev === 'genesis' ? GENESIS : old.data.prev, hash, computed: hash, legacy: true };
  return { seq: lineNo, prev: '', hash, computed: `line ${lineNo} is not an audit entry`, legacy: false };
}
