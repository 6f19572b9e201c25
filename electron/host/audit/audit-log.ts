/**
 * The console's audit log: modules append typed records (user, console, action, target, details); the log seals them
 * into the hash chain and anchors the chain with signed checkpoints, every `everyEntries` entries or `everyMs`, whichever
 * comes first, and on close(). Opening checks the stored chain against its last checkpoint, anchors a chain that has
 * none (a legacy chain, or a new empty one) and anchors the tail a crash left unanchored.
 *
 * Group commit (option `groupCommit`): entries are sealed into the chain in order at append() and queued; the queue is
 * written in one transaction when it holds `maxEntries` or `maxDelayMs` after its first entry, before a checkpoint,
 * prune or verify, when a `durable` entry is appended, and on close() or process exit. A killed process loses at most
 * the queue (the last batch, never a hole: batches are atomic and written in order), and the stored chain stays a
 * verifiable prefix. Readers that open the database themselves call flushAuditLogs() first (audit-report.ts does).
 */
import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import type { SigningKey } from '../export/signing-key.js';
import { canonicalJson, checkpointLink, GENESIS, PRUNE_ACTION, sealEntry, signCheckpoint, verifyAudit, type AuditEntry, type ChainLink, type Checkpoint } from './chain.js';
import { CheckpointLog } from './checkpoint-log.js';
import type { AuditVerdict } from '../../contract/audit-schema.js';

/** Where a chain's entries live (a SQLite table, a JSON-lines file). */
export interface AuditStorage {
  /** The last committed entry, or null when the chain is empty. */
  head(): { seq: number; hash: string } | null;
  /** The stored hash of entry `seq`, or null when there is no such entry. */
  hashAt(seq: number): string | null;
  /** Stores one sealed entry (inside the caller's transaction, where the storage has them). */
  append(e: AuditEntry): void;
  /** Every entry in sequence order, as the verifier reads it. */
  links(): Iterable<ChainLink>;
  /** Makes every appended entry durable, so a checkpoint never names entries a power cut can still lose. */
  sync(): void;
  /** True while a transaction that may still roll back is open: no checkpoint may name its entries yet. */
  busy(): boolean;
  /** The first stored entry's seq (null when empty); with `prune`, where the storage supports retention pruning. */
  firstSeq?(): number | null;
  /** Deletes entries 1..throughSeq; returns how many. */
  prune?(throughSeq: number): number;
  /** Stores sealed entries in order as one unit (one transaction where the storage has them); default: append() each. */
  appendBatch?(entries: readonly AuditEntry[]): void;
}

/** What a module appends. `details` may be an object: it is stored as canonical JSON. */
export interface AuditInput {
  user: string;
  action: string;
  target: string;
  details?: string | Record<string, unknown>;
  /** ms since the epoch; default now. */
  at?: number;
  /** Default: the log's console. */
  console?: string;
  /**
   * Written (with every entry queued before it, in one transaction) before append() returns, whatever the group commit:
   * sign-ins and refusals, so a process killed right after a refusal cannot take its record with it.
   */
  durable?: boolean;
}

/** How entries are grouped into transactions (AuditLog's `groupCommit`). */
export interface GroupCommit { maxEntries: number; maxDelayMs: number }
/** 256 entries or 20 ms, whichever first (docs/audit.md, "Group commit"). */
export const GROUP_COMMIT: GroupCommit = { maxEntries: 256, maxDelayMs: 20 };

/** Every open log of this process, so a reader (report, query, verify) can flush them and a normal exit loses nothing. */
const openLogs = new Set<AuditLog>();
let exitHook = false;

/** Writes every open log's queued entries (call before reading a chain's table or file from outside its AuditLog). */
export function flushAuditLogs(): void {
  for (const l of openLogs) {
    try { l.flush(); } catch { /* its own writes report the failure; a reader still reads what is stored */ }
  }
}

export interface AuditLogOptions {
  /** The chain's name: 'alarms', 'export' (checkpoint file name, and in every checkpoint). */
  chain: string;
  storage: AuditStorage;
  checkpoints: CheckpointLog;
  key: SigningKey;
  console?: string;
  log?: Logger;
  /** Defaults: 1000 entries, 30 s (docs/audit.md says why). */
  everyEntries?: number;
  everyMs?: number;
  now?: () => number;
  /** Told when opening finds the chain shorter than, or different from, what its last checkpoint signed. */
  onProblem?: (problem: string) => void;
  /** Group entries into transactions (GROUP_COMMIT is the host's choice); off: every entry is written by its append(). */
  groupCommit?: GroupCommit | false;
}

export const CHECKPOINT_EVERY_ENTRIES = 1000;
export const CHECKPOINT_EVERY_MS = 30_000;

export class AuditLog {
  readonly chain: string;
  readonly console: string;
  private seq = 0;
  private hash = GENESIS;
  private lastCheckpoint: Checkpoint | undefined;
  private sinceCheckpoint = 0;
  private pending: NodeJS.Immediate | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly everyEntries: number;
  private closed = false;
  private readonly group: GroupCommit | null;
  /** Sealed entries not written yet, in chain order. */
  private queue: AuditEntry[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  /** Queued entries written inside a caller's open transaction: requeued by reloadHead() if that transaction rolled back. */
  private carried: AuditEntry[] = [];

  constructor(private readonly o: AuditLogOptions) {
    this.chain = o.chain;
    this.console = o.console ?? hostname();
    this.now = o.now ?? Date.now;
    this.everyEntries = o.everyEntries ?? CHECKPOINT_EVERY_ENTRIES;
    this.group = o.groupCommit || null;
    this.reloadHead();
    this.lastCheckpoint = o.checkpoints.last();
    this.checkOpening();
    this.checkpoint(); // anchors a new or legacy chain, or the tail the last run left when it crashed
    this.timer = setInterval(() => this.quietly(() => this.checkpoint()), o.everyMs ?? CHECKPOINT_EVERY_MS);
    this.timer.unref();
    openLogs.add(this);
    if (!exitHook) { exitHook = true; process.on('exit', flushAuditLogs); }
  }

  /**
   * Seals one entry into the chain and stores it: at once when the log has no group commit, the entry is `durable`, or a
   * transaction is open (call inside the transaction of the change it records, where there is one); otherwise with its
   * batch. Throws when it could not be stored now; the entry is then not part of the chain.
   */
  append(input: AuditInput): AuditEntry {
    if (this.closed) throw new Error(`audit log '${this.chain}' is closed`);
    const details = input.details === undefined ? '' : typeof input.details === 'string' ? input.details : canonicalJson(input.details);
    const e = sealEntry({ user: input.user, console: input.console ?? this.console, action: input.action, target: input.target, details }, this.seq + 1, input.at ?? this.now(), this.hash);
    this.queue.push(e);
    this.seq = e.seq; this.hash = e.hash;
    if (!this.group || input.durable || this.queue.length >= this.group.maxEntries || this.o.storage.busy()) {
      try { this.write(e); } catch (err) {
        this.queue.pop(); // the entries queued before it stay queued, for the next write
        const last = this.queue.at(-1) ?? this.o.storage.head();
        this.seq = last?.seq ?? 0; this.hash = last?.hash ?? GENESIS;
        throw err;
      }
    } else this.flushLater();
    if (++this.sinceCheckpoint >= this.everyEntries && !this.pending) this.pending = setImmediate(() => { this.pending = null; this.quietly(() => this.checkpoint()); });
    return e;
  }

  /** Writes the queued entries now (one transaction; inside the caller's, when one is open). */
  flush(): void {
    if (this.flushTimer) { clearTimeout(this.flushTimer); this.flushTimer = null; }
    this.write();
  }

  /** Entries sealed but not yet written (0 without group commit). */
  get queued(): number { return this.queue.length; }

  /**
   * Re-reads the head from storage (after a transaction that appended entries rolled back). Queued entries the rolled-back
   * transaction had carried are queued again, and entries still queued are sealed again on top of the stored head.
   */
  reloadHead(): void {
    const h = this.o.storage.head();
    this.seq = h?.seq ?? 0; this.hash = h?.hash ?? GENESIS;
    const lost = this.carried.filter((e) => e.seq > this.seq);
    const pending = [...lost, ...this.queue];
    this.carried = []; this.queue = [];
    for (const e of pending) {
      const again = e.prev === this.hash && e.seq === this.seq + 1 ? e : sealEntry(e, this.seq + 1, e.at, this.hash);
      this.queue.push(again);
      this.seq = again.seq; this.hash = again.hash;
    }
  }

  /** `own`: the entry of the open transaction's own change (not carried: its rollback takes it out of the chain). */
  private write(own?: AuditEntry): void {
    if (!this.queue.length) return;
    const batch = this.queue;
    this.queue = [];
    const s = this.o.storage;
    const inTransaction = s.busy();
    try {
      if (s.appendBatch) s.appendBatch(batch); else for (const e of batch) s.append(e);
    } catch (err) { this.queue = [...batch, ...this.queue]; throw err; }
    if (inTransaction) this.carried.push(...batch.filter((e) => e !== own)); else this.carried = [];
  }

  /** Timers: a failed write or checkpoint is logged and tried again at the next one, never thrown into the event loop. */
  private quietly(fn: () => unknown): void {
    try { fn(); } catch (err) {
      this.o.log?.error('audit write failed', { chain: this.chain, error: String(err), queued: this.queue.length });
      if (this.queue.length && !this.closed) this.flushLater();
    }
  }

  private flushLater(): void {
    if (this.flushTimer || !this.group) return;
    this.flushTimer = setTimeout(() => { this.flushTimer = null; this.quietly(() => this.flush()); }, this.group.maxDelayMs);
    this.flushTimer.unref(); // a normal exit flushes (flushAuditLogs on 'exit')
  }

  /**
   * Signs the committed head when it is not anchored yet; returns the new checkpoint, or null when there was nothing to
   * anchor or a transaction is open (the timer tries again).
   */
  checkpoint(): Checkpoint | null {
    if (this.o.storage.busy()) return null;
    this.flush();
    const head = this.o.storage.head() ?? { seq: 0, hash: GENESIS };
    const last = this.lastCheckpoint;
    if (last && last.seq === head.seq && last.head === head.hash) return null;
    this.o.storage.sync();
    const c = signCheckpoint({
      v: 1, chain: this.chain, n: (last?.n ?? 0) + 1, prev: checkpointLink(last),
      seq: head.seq, head: head.hash, at: this.now(), count: head.seq, key: this.o.key.fingerprint,
    }, this.o.key.privateKey);
    this.o.checkpoints.append(c);
    this.lastCheckpoint = c;
    this.sinceCheckpoint = Math.max(0, this.seq - head.seq);
    return c;
  }

  /**
   * Retention: removes the oldest whole checkpointed prefix written before `beforeMs` (docs/audit.md, "Retention").
   * The boundary is the newest checkpoint older than `beforeMs` whose head is still the stored entry; an `audit.prune`
   * entry naming it is appended and anchored first, so the kept chain links to a signed head and verification knows the
   * missing prefix was pruned, not cut. Returns the number of entries removed (0 when nothing is due, the storage cannot
   * prune, or a transaction is open).
   */
  prune(beforeMs: number, retentionDays: number): number {
    const storage = this.o.storage;
    if (!storage.prune || !storage.firstSeq || storage.busy()) return 0;
    this.flush();
    const { checkpoints } = this.o.checkpoints.read();
    const c = (checkpoints ?? []).filter((x) => x.chain === this.chain && x.seq > 0 && x.at < beforeMs).at(-1);
    const first = storage.firstSeq();
    if (!c || first === null || first > c.seq || storage.hashAt(c.seq) !== c.head) return 0;
    this.append({ user: 'system', action: PRUNE_ACTION, target: 'audit', details: { throughSeq: c.seq, head: c.head, checkpoint: c.n, retentionDays } });
    if (!this.checkpoint()) return 0; // not anchored yet: delete nothing (the next run tries again)
    return storage.prune(c.seq);
  }

  /** Verifies the whole chain against its checkpoints with this console's key. */
  verify(): AuditVerdict {
    if (!this.o.storage.busy()) this.flush();
    const { checkpoints, unreadable } = this.o.checkpoints.read();
    return verifyAudit(this.chain, this.o.storage.links(), checkpoints, this.o.key, unreadable);
  }

  /** Anchors the tail (a clean shutdown leaves nothing unanchored) and stops the timer. */
  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    if (this.pending) clearImmediate(this.pending);
    try { this.flush(); } catch (err) {
      this.o.log?.error('audit write failed on close: the queued entries are lost', { chain: this.chain, error: String(err), lost: this.queue.length });
      this.queue = [];
      this.reloadHead();
    }
    this.checkpoint();
    this.closed = true;
    openLogs.delete(this);
  }

  /** A chain shorter than, or different from, what its last checkpoint signed was cut or rebuilt while we were away. */
  private checkOpening(): void {
    const c = this.lastCheckpoint;
    if (!c) return;
    let problem: string | null = null;
    if (c.seq > this.seq) problem = `the audit chain '${this.chain}' ends at entry ${this.seq} but checkpoint ${c.n} signed entry ${c.seq}: entries were cut off`;
    else if (c.seq > 0 && this.o.storage.hashAt(c.seq) !== c.head) problem = `entry ${c.seq} of the audit chain '${this.chain}' is not the one checkpoint ${c.n} signed: the chain was rebuilt`;
    if (!problem) return;
    this.o.log?.error(problem, { chain: this.chain });
    this.o.onProblem?.(problem);
  }
}
