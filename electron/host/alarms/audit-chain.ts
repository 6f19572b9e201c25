/**
 * The audit log's hash chain: each entry's hash covers its content and the previous entry's hash, so editing,
 * deleting or reordering any entry breaks every hash after it. Pure apart from node:crypto.
 */
import { createHash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

export interface AuditEntry { seq: number; at: number; actor: string; action: string; subject: string; detail: string }
export interface ChainedEntry extends AuditEntry { prev: string; hash: string }

export function hashEntry(e: AuditEntry, prev: string): string {
  return createHash('sha256').update(prev).update('\n').update(JSON.stringify([e.seq, e.at, e.actor, e.action, e.subject, e.detail])).digest('hex');
}

export function chain(e: AuditEntry, prev: string): ChainedEntry { return { ...e, prev, hash: hashEntry(e, prev) }; }

/** Walks entries in order; reports the first entry whose link or hash does not hold. */
export function verifyChain(entries: Iterable<ChainedEntry>): { ok: boolean; entries: number; firstBadSeq: number | null; problem: string | null } {
  let prev = GENESIS, n = 0, lastSeq = 0;
  for (const e of entries) {
    n++;
    if (e.seq !== lastSeq + 1) return { ok: false, entries: n, firstBadSeq: e.seq, problem: `sequence jumps from ${lastSeq} to ${e.seq} (entries removed)` };
    if (e.prev !== prev) return { ok: false, entries: n, firstBadSeq: e.seq, problem: `entry ${e.seq} does not link to entry ${lastSeq}` };
    if (hashEntry(e, prev) !== e.hash) return { ok: false, entries: n, firstBadSeq: e.seq, problem: `entry ${e.seq} was altered` };
    prev = e.hash; lastSeq = e.seq;
  }
  return { ok: true, entries: n, firstBadSeq: null, problem: null };
}
