/**
 * The audit chain's formats and what verification concludes; pure apart from node:crypto. Entries are hash-chained
 * (SHA-256 over a canonical encoding of the entry and the previous entry's hash) and anchored by checkpoints signed with
 * the console's Ed25519 key. Storage lives in sqlite-storage.ts and file-storage.ts; docs/audit.md describes the format.
 */
import { createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';
import type { AuditStatus, AuditVerdict } from '../../contract/audit-schema.js';

export const GENESIS = '0'.repeat(64);
export const ENTRY_FORMAT = 2 as const;

/** One thing that happened, as a module records it. All text; `details` is a sentence or canonical JSON (canonicalJson). */
export interface AuditRecord {
  /** The user who acted ('system' for the host itself). Until sign-in exists, the operator's name or the client id. */
  user: string;
  /** The console the action came from (host name unless configured). */
  console: string;
  /** Dotted verb: 'alarm.claim', 'export.create', 'rules.save'. */
  action: string;
  /** What it was done to: 'alarm:<id>' (alarms use the bare alarm id), 'camera:<id>', 'export:<id>'. */
  target: string;
  details: string;
}

/** A stored entry: seq counts from 1 without gaps; at is ms since the epoch; hash = entryHash(entry). */
export interface AuditEntry extends AuditRecord { v: typeof ENTRY_FORMAT; seq: number; at: number; prev: string; hash: string }

/**
 * JSON with object keys sorted at every level, so the same details always encode to the same text: exactly
 * JSON.stringify's output with a key-sorting replacer, written out (the replacer rebuilt every object; this is the
 * audit's hot path for view intervals).
 */
export function canonicalJson(value: unknown): string {
  return canonical(value) as string; // undefined only for undefined or a function at the top, which details never are
}

function canonical(value: unknown): string | undefined {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(): unknown }).toJSON();
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let items = '';
    for (let i = 0; i < v.length; i++) items += `${i ? ',' : ''}${canonical(v[i]) ?? 'null'}`; // a hole or undefined is null, as in JSON.stringify
    return `[${items}]`;
  }
  let out = '';
  for (const k of sortedKeys(v)) {
    const text = canonical((v as Record<string, unknown>)[k]);
    if (text !== undefined) out += `${out ? ',' : ''}${JSON.stringify(k)}:${text}`;
  }
  return `{${out}}`;
}

/**
 * The order the replacer's rebuilt object had: array-index keys ('0', '7', '10') first in numeric order, as JavaScript
 * orders them in every object (Object.keys already gives them so), then the other keys sorted by UTF-16 code units.
 */
function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  let i = 0;
  while (i < keys.length && isIndex(keys[i]!)) i++;
  return i === 0 ? keys.sort() : [...keys.slice(0, i), ...keys.slice(i).sort()];
}
const isIndex = (k: string) => /^(?:0|[1-9]\d*)$/.test(k) && Number(k) < 4_294_967_295;

/** One-shot SHA-256 (crypto.hash: no Hash object per entry). */
const sha256 = (s: string | Buffer) => hash('sha256', s, 'hex');

/** SHA-256 over a JSON array of every field in a fixed order, the previous hash included. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return sha256(JSON.stringify(['kuzet-audit', e.v, e.seq, e.at, e.user, e.console, e.action, e.target, e.details, e.prev]));
}

export function sealEntry(r: AuditRecord, seq: number, at: number, prev: string): AuditEntry {
  const e: AuditEntry = { v: ENTRY_FORMAT, seq, at, user: r.user, console: r.console, action: r.action, target: r.target, details: r.details, prev, hash: '' };
  e.hash = entryHash(e);
  return e;
}

/**
 * One stored entry as the verifier sees it: its sequence number, the previous hash it names, the hash stored with it and
 * the hash recomputed from its content. Legacy entries (written before anchoring) carry their old format's hash.
 */
export interface ChainLink {
  seq: number; prev: string; hash: string; computed: string; legacy: boolean;
  /** The entry's action and details where the storage gives them: an `audit.prune` entry authorises a pruned prefix. */
  action?: string; details?: string;
}

/** The action of the entry that records a retention pruning: details `{throughSeq, head, checkpoint, retentionDays}`. */
export const PRUNE_ACTION = 'audit.prune';

/** The prefix an `audit.prune` entry says was pruned (entries 1..throughSeq), or null when the link is not one. */
export function prunedThrough(l: ChainLink): { throughSeq: number; head: string } | null {
  if (l.action !== PRUNE_ACTION || !l.details) return null;
  try {
    const d = JSON.parse(l.details) as { throughSeq?: unknown; head?: unknown };
    return typeof d.throughSeq === 'number' && typeof d.head === 'string' ? { throughSeq: d.throughSeq, head: d.head } : null;
  } catch { return null; }
}

/** A signed statement that the chain `chain` held `count` entries ending at `seq` with hash `head` at time `at`. */
export interface Checkpoint {
  v: 1; chain: string;
  /** Checkpoint number, from 1 without gaps; prev = SHA-256 of the previous checkpoint's signature (GENESIS for the first). */
  n: number; prev: string;
  seq: number; head: string; at: number; count: number;
  /** The signing key's fingerprint (signing-key.ts keyFingerprint); sig is base64 Ed25519 over checkpointPayload. */
  key: string; sig: string;
}

export function checkpointPayload(c: Omit<Checkpoint, 'sig'>): Buffer {
  return Buffer.from(JSON.stringify(['kuzet-audit-checkpoint', c.v, c.chain, c.n, c.prev, c.seq, c.head, c.at, c.count, c.key]));
}

export function signCheckpoint(c: Omit<Checkpoint, 'sig'>, privateKey: KeyObject): Checkpoint {
  return { ...c, sig: sign(null, checkpointPayload(c), privateKey).toString('base64') };
}

export const checkpointLink = (c: Checkpoint | undefined): string => (c ? sha256(Buffer.from(c.sig, 'base64')) : GENESIS);

function signatureHolds(c: Checkpoint, publicKey: KeyObject): boolean {
  try { return verify(null, checkpointPayload(c), publicKey, Buffer.from(c.sig, 'base64')); } catch { return false; }
}

export interface TrustedKey { publicKeyPem: string; fingerprint: string }

/**
 * Walks the chain once and checks it against the checkpoints. `checkpointLog` is null when the chain has no checkpoint
 * log at all (an empty log counts the same); `unreadable` lists checkpoint lines that did not parse. The verdict lists every problem found.
 */
export function verifyAudit(chain: string, links: Iterable<ChainLink>, checkpointLog: readonly Checkpoint[] | null, trusted: TrustedKey, unreadable: readonly string[] = []): AuditVerdict {
  const edits: string[] = [], rebuilds: string[] = [...unreadable], cuts: string[] = [];
  let firstBadSeq: number | null = null;
  const bad = (seq: number) => { firstBadSeq ??= seq; };

  // The checkpoints on their own: numbered without gaps, each naming the one before, each signed by the trusted key.
  const publicKey = createPublicKey(trusted.publicKeyPem);
  const checkpoints = checkpointLog ?? [];
  const valid: Checkpoint[] = [];
  checkpoints.forEach((c, i) => {
    const before = checkpoints[i - 1];
    if (c.chain !== chain) rebuilds.push(`checkpoint ${c.n} belongs to the chain '${c.chain}', not '${chain}'`);
    else if (c.n !== i + 1 || c.prev !== checkpointLink(before)) rebuilds.push(`checkpoint ${c.n} does not follow checkpoint ${before?.n ?? 0}: checkpoints were removed or reordered`);
    if (c.key !== trusted.fingerprint) rebuilds.push(`checkpoint ${c.n} was signed by another key (${c.key}, expected ${trusted.fingerprint})`);
    else if (!signatureHolds(c, publicKey)) rebuilds.push(`checkpoint ${c.n}'s signature is invalid: the checkpoint was forged or changed`);
    else valid.push(c);
  });
  const wanted = new Map<number, Checkpoint[]>();
  for (const c of valid) wanted.set(c.seq, [...(wanted.get(c.seq) ?? []), c]);

  let entries = 0, legacyEntries = 0, lastSeq = 0, prev = GENESIS, sawAnchoredFormat = false;
  // Retention pruning (docs/audit.md, "Retention") removes a whole checkpointed prefix: the chain then starts after a
  // signed checkpoint, linking to its head; it is accepted only with an anchored audit.prune entry naming that prefix.
  let pruned = 0, firstPrev = '';
  const pruneRecords: Array<{ seq: number; throughSeq: number; head: string }> = [];
  for (const l of links) {
    if (entries === 0 && l.seq > 1 && !l.legacy) { pruned = l.seq - 1; lastSeq = pruned; prev = l.prev; firstPrev = l.prev; }
    entries++;
    const pr = prunedThrough(l);
    if (pr) pruneRecords.push({ seq: l.seq, ...pr });
    if (l.legacy) legacyEntries++;
    if (l.legacy && sawAnchoredFormat) { edits.push(`entry ${l.seq} is in the legacy format after anchored entries`); bad(l.seq); }
    sawAnchoredFormat ||= !l.legacy;
    if (l.seq !== lastSeq + 1) { edits.push(`sequence jumps from ${lastSeq} to ${l.seq} (entries removed)`); bad(l.seq); }
    else if (l.prev !== prev) { edits.push(`entry ${l.seq} does not link to entry ${lastSeq}`); bad(l.seq); }
    if (l.computed !== l.hash) { edits.push(`entry ${l.seq} was altered`); bad(l.seq); }
    for (const c of wanted.get(l.seq) ?? []) {
      if (c.head !== l.hash || c.count !== entries + pruned) {
        rebuilds.push(`entry ${l.seq} is not the entry checkpoint ${c.n} signed at ${new Date(c.at).toISOString()}: the chain was rebuilt or re-written from there`);
        bad(l.seq);
      }
    }
    prev = l.hash; lastSeq = l.seq;
  }
  for (const c of valid) {
    if (c.seq > lastSeq) cuts.push(`checkpoint ${c.n} (${new Date(c.at).toISOString()}) names entry ${c.seq} but the chain ends at entry ${lastSeq}: at least ${c.seq - lastSeq} entries were cut off`);
    else if (c.seq === 0 && (c.head !== GENESIS || c.count !== 0)) rebuilds.push(`checkpoint ${c.n} names entry 0 with a head other than the empty chain's`);
  }

  const anchored = valid.filter((c) => c.seq <= lastSeq).at(-1);
  if (pruned > 0) {
    const boundary = valid.find((c) => c.seq === pruned && c.head === firstPrev);
    const record = pruneRecords.find((r) => r.throughSeq === pruned && r.seq <= (anchored?.seq ?? 0) && r.head === boundary?.head);
    if (!boundary || !record) {
      cuts.push(`entries 1 to ${pruned} are missing and no signed retention pruning covers them: they were cut off`);
      bad(pruned + 1);
    }
  }
  let status: AuditStatus;
  if (edits.length) status = 'edited';
  else if (rebuilds.length) status = 'rebuilt';
  else if (cuts.length) status = 'truncated';
  else if (checkpoints.length === 0 && entries > 0) status = legacyEntries === entries ? 'legacy-unanchored' : 'unanchored';
  else status = 'intact';
  const problems = [...edits, ...rebuilds, ...cuts];
  if (status === 'unanchored') problems.push(`${entries} entries and no checkpoint: the checkpoint log was deleted or emptied`);
  return {
    chain, ok: status === 'intact' || status === 'legacy-unanchored', status, entries, legacyEntries,
    checkpoints: checkpoints.length, anchoredSeq: anchored?.seq ?? null, unanchored: lastSeq - (anchored?.seq ?? 0),
    firstBadSeq, problem: problems[0] ?? null, problems, ...(pruned ? { prunedThrough: pruned } : {}),
  };
}

/** One line for people: what verify found for this chain. */
export function describeVerdict(v: AuditVerdict): string {
  const head = `audit chain '${v.chain}': ${v.status.toUpperCase()}: ${v.entries} entries${v.legacyEntries ? ` (${v.legacyEntries} legacy)` : ''}, ${v.checkpoints} checkpoints`;
  if (v.status === 'legacy-unanchored') return `${head}; written before checkpoints existed: a cut-off tail or a rebuilt chain cannot be detected`;
  if (!v.ok) return `${head}\n${v.problems.map((p) => `  - ${p}`).join('\n')}`;
  const prunedText = v.prunedThrough ? `; entries 1-${v.prunedThrough} pruned by retention (signed)` : '';
  return `${head}${prunedText}; anchored to entry ${v.anchoredSeq ?? 0}${v.unanchored ? `, ${v.unanchored} after the last checkpoint (not yet anchored)` : ''}`;
}
