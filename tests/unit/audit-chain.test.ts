/**
 * The anchored audit chain (electron/host/audit): an intact chain verifies; an edited entry, a cut-off tail, a rebuilt
 * chain, a forged or foreign checkpoint and a deleted checkpoint log are each reported as such; chains written before
 * anchoring keep verifying (legacy) and are anchored when first opened. Real SQLite and real files.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditLog } from '../../electron/host/audit/audit-log.js';
import { canonicalJson, checkpointLink, entryHash, GENESIS, signCheckpoint, type Checkpoint } from '../../electron/host/audit/chain.js';
import { CheckpointLog, checkpointFile } from '../../electron/host/audit/checkpoint-log.js';
import { FileAuditStorage } from '../../electron/host/audit/file-storage.js';
import { legacyHash, SqliteAuditStorage } from '../../electron/host/audit/sqlite-storage.js';
import { verifyDataDir } from '../../electron/host/audit/verify-data-dir.js';
import { keyFingerprint, loadOrCreateSigningKey, type SigningKey } from '../../electron/host/export/signing-key.js';
import { AuditVerdict } from '../../electron/contract/audit-schema.js';

const root = mkdtempSync(join(tmpdir(), 'kuzet-audit-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => { const d = join(root, `d${++n}`); return d; };

/** A data dir with an alarm-style SQLite chain of `count` entries, closed cleanly (so anchored to its end). */
function sqliteChain(count: number, opts: { everyEntries?: number; closeCleanly?: boolean } = {}) {
  const dir = freshDir();
  const key = loadOrCreateSigningKey(dir);
  const db = new Database(join(dir, 'alarms.sqlite'));
  const open = () => new AuditLog({ chain: 'alarms', storage: new SqliteAuditStorage(db), checkpoints: new CheckpointLog(checkpointFile(dir, 'alarms')), key, console: 'console-1', everyEntries: opts.everyEntries ?? 1000 });
  const log = open();
  for (let i = 1; i <= count; i++) log.append({ user: 'aigerim', action: 'alarm.claim', target: `A${i}`, details: { step: i }, at: 1_700_000_000_000 + i });
  if (opts.closeCleanly !== false) log.close();
  const verify = (k: SigningKey = key) => {
    const [v] = verifyDataDir(dir, k);
    return AuditVerdict.parse(v);
  };
  return { dir, key, db, log, open, verify };
}

describe('audit chain: entries and checkpoints', () => {
  it('encodes details canonically and seals every field into the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
    const e = { v: 2 as const, seq: 1, at: 5, user: 'u', console: 'c', action: 'a', target: 't', details: 'd', prev: GENESIS };
    for (const k of ['seq', 'at', 'user', 'console', 'action', 'target', 'details', 'prev'] as const) {
      expect(entryHash({ ...e, [k]: typeof e[k] === 'number' ? 6 : 'other' }), k).not.toBe(entryHash(e));
    }
  });

  it('an intact chain verifies, anchored to its last entry after a clean close', () => {
    const c = sqliteChain(25);
    expect(c.verify()).toMatchObject({ chain: 'alarms', ok: true, status: 'intact', entries: 25, anchoredSeq: 25, unanchored: 0, problem: null });
    // genesis checkpoint (seq 0) on creation, then the one on close
    expect(new CheckpointLog(checkpointFile(c.dir, 'alarms')).read().checkpoints?.map((k) => k.seq)).toEqual([0, 25]);
  });

  it('checkpoints every N entries (after the transaction ends) and on a timer, not for nothing', async () => {
    const c = sqliteChain(0, { everyEntries: 10, closeCleanly: false });
    const cps = () => new CheckpointLog(checkpointFile(c.dir, 'alarms')).read().checkpoints!.map((k) => k.seq);
    c.db.transaction(() => { for (let i = 0; i < 12; i++) c.log.append({ user: 'system', action: 'alarm.raise', target: `A${i}` }); })();
    await new Promise((r) => setImmediate(r));
    expect(cps()).toEqual([0, 12]);
    expect(c.log.checkpoint()).toBeNull(); // head already anchored
    // a transaction that rolls back: the checkpoint never names its entries
    expect(() => c.db.transaction(() => { for (let i = 0; i < 10; i++) c.log.append({ user: 'system', action: 'x', target: 'y' }); throw new Error('boom'); })()).toThrow('boom');
    c.log.reloadHead();
    await new Promise((r) => setImmediate(r));
    expect(cps()).toEqual([0, 12]);
    c.log.close();
    expect(c.verify()).toMatchObject({ ok: true, status: 'intact', entries: 12 });
  });

  it('an edited entry: reported as edited at that entry', () => {
    const c = sqliteChain(20);
    c.db.prepare(`UPDATE audit SET actor = 'mallory' WHERE seq = 7`).run();
    expect(c.verify()).toMatchObject({ ok: false, status: 'edited', firstBadSeq: 7, problem: 'entry 7 was altered' });
  });

  it('a cut-off tail: the checkpoint names entries that no longer exist', () => {
    const c = sqliteChain(20);
    c.db.prepare(`DELETE FROM audit WHERE seq > 14`).run();
    const v = c.verify();
    expect(v).toMatchObject({ ok: false, status: 'truncated', entries: 14 });
    expect(v.problem).toMatch(/checkpoint 2 .* names entry 20 but the chain ends at entry 14: at least 6 entries were cut off/);
    // every entry gone: still truncated
    c.db.prepare(`DELETE FROM audit`).run();
    expect(c.verify()).toMatchObject({ ok: false, status: 'truncated', entries: 0 });
  });

  it('a cut after the last checkpoint and before the next is not detectable (the documented limit)', () => {
    const c = sqliteChain(20, { closeCleanly: false }); // crash: 20 entries after the genesis checkpoint
    c.db.prepare(`DELETE FROM audit WHERE seq > 14`).run();
    expect(c.verify()).toMatchObject({ ok: true, status: 'intact', anchoredSeq: 0, unanchored: 14 });
  });

  it('a rebuilt chain: consistent hashes, but not what the checkpoint signed', () => {
    const c = sqliteChain(20);
    // edit entry 7 and recompute every hash after it, as someone who knows the format would
    const rows = c.db.prepare(`SELECT * FROM audit ORDER BY seq`).all() as Array<{ seq: number; at: number; actor: string; console: string; action: string; subject: string; detail: string; prev: string; hash: string }>;
    let prev = GENESIS;
    const upd = c.db.prepare(`UPDATE audit SET actor = ?, prev = ?, hash = ? WHERE seq = ?`);
    for (const r of rows) {
      const actor = r.seq === 7 ? 'mallory' : r.actor;
      const hash = entryHash({ v: 2, seq: r.seq, at: r.at, user: actor, console: r.console, action: r.action, target: r.subject, details: r.detail, prev });
      upd.run(actor, prev, hash, r.seq);
      prev = hash;
    }
    const v = c.verify();
    expect(v).toMatchObject({ ok: false, status: 'rebuilt', firstBadSeq: 20 });
    expect(v.problem).toMatch(/entry 20 is not the entry checkpoint 2 signed .*rebuilt/);
  });

  it('a forged checkpoint or one signed by another key: rebuilt', () => {
    const c = sqliteChain(5);
    const file = checkpointFile(c.dir, 'alarms');
    const text = readFileSync(file, 'utf8');
    const forged = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Checkpoint);
    forged[1] = { ...forged[1]!, seq: 4 };
    writeFileSync(file, forged.map((k) => JSON.stringify(k)).join('\n') + '\n');
    expect(c.verify()).toMatchObject({ ok: false, status: 'rebuilt', problem: "checkpoint 2's signature is invalid: the checkpoint was forged or changed" });
    // re-signed with a key that is not the console's
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const other = { privateKey, publicKeyPem: pem, fingerprint: keyFingerprint(pem) };
    const [g, last] = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Checkpoint);
    const resigned = signCheckpoint({ ...last!, key: other.fingerprint }, other.privateKey);
    writeFileSync(file, [g, resigned].map((k) => JSON.stringify(k)).join('\n') + '\n');
    expect(c.verify().problem).toMatch(/checkpoint 2 was signed by another key/);
    // verified with the other key as the trusted one, the console's own genesis checkpoint is the foreign one
    expect(c.verify(other)).toMatchObject({ ok: false, status: 'rebuilt' });
  });

  it('checkpoints removed from the middle of the log, or the whole log deleted, are reported', () => {
    const c = sqliteChain(0, { everyEntries: 3, closeCleanly: false });
    for (let i = 0; i < 9; i++) { c.log.append({ user: 'u', action: 'a', target: 't' }); if (i % 3 === 2) c.log.checkpoint(); }
    c.log.close();
    const file = checkpointFile(c.dir, 'alarms');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    writeFileSync(file, [lines[0], lines[1], lines[3]].join('\n') + '\n');
    expect(c.verify()).toMatchObject({ ok: false, status: 'rebuilt', problem: 'checkpoint 4 does not follow checkpoint 2: checkpoints were removed or reordered' });
    unlinkSync(file);
    expect(c.verify()).toMatchObject({ ok: false, status: 'unanchored', entries: 9 });
  });

  it('opening a chain shorter than its last checkpoint reports the cut at once', () => {
    const c = sqliteChain(10);
    c.db.prepare(`DELETE FROM audit WHERE seq > 8`).run();
    const problems: string[] = [];
    const again = new AuditLog({ chain: 'alarms', storage: new SqliteAuditStorage(c.db), checkpoints: new CheckpointLog(checkpointFile(c.dir, 'alarms')), key: c.key, onProblem: (p) => problems.push(p) });
    again.close();
    expect(problems).toEqual(["the audit chain 'alarms' ends at entry 8 but checkpoint 2 signed entry 10: entries were cut off"]);
    expect(c.verify().status).toBe('truncated'); // the new checkpoint at 8 does not hide the old one at 10
  });
});

describe('audit chain: chains written before anchoring', () => {
  /** The alarm table as the previous version wrote it: no console or v column, the old hash. */
  function legacyAlarmDb(dir: string, count: number) {
    const db = new Database(join(dir, 'alarms.sqlite'));
    db.exec(`CREATE TABLE audit (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL)`);
    let prev = GENESIS;
    for (let seq = 1; seq <= count; seq++) {
      const r = { seq, at: 1_600_000_000_000 + seq, actor: 'system', action: 'alarm.raise', subject: `A${seq}`, detail: 'raised', prev };
      const hash = legacyHash(r);
      db.prepare(`INSERT INTO audit VALUES (@seq, @at, @actor, @action, @subject, @detail, @prev, @hash)`).run({ ...r, hash });
      prev = hash;
    }
    return db;
  }

  it('a legacy SQLite chain verifies as legacy-unanchored, is anchored on first open, and new entries continue it', () => {
    const dir = freshDir();
    const key = loadOrCreateSigningKey(dir);
    const db = legacyAlarmDb(dir, 6);
    expect(verifyDataDir(dir, key)[0]).toMatchObject({ ok: true, status: 'legacy-unanchored', entries: 6, legacyEntries: 6, checkpoints: 0 });
    // a legacy edit is still found by the old links
    db.prepare(`UPDATE audit SET detail = 'x' WHERE seq = 2`).run();
    expect(verifyDataDir(dir, key)[0]).toMatchObject({ ok: false, status: 'edited', firstBadSeq: 2 });
    db.prepare(`UPDATE audit SET detail = 'raised' WHERE seq = 2`).run();

    const log = new AuditLog({ chain: 'alarms', storage: new SqliteAuditStorage(db), checkpoints: new CheckpointLog(checkpointFile(dir, 'alarms')), key });
    log.append({ user: 'aigerim', action: 'alarm.claim', target: 'A6' });
    log.close();
    expect(verifyDataDir(dir, key)[0]).toMatchObject({ ok: true, status: 'intact', entries: 7, legacyEntries: 6, checkpoints: 2, anchoredSeq: 7 });
    // once anchored, cutting legacy entries is detected too
    db.prepare(`DELETE FROM audit WHERE seq > 5`).run();
    expect(verifyDataDir(dir, key)[0]).toMatchObject({ ok: false, status: 'truncated' });
  });

  it('a legacy export log (audit.jsonl) keeps its lines and continues as one anchored chain', () => {
    const dir = freshDir();
    const key = loadOrCreateSigningKey(dir);
    const file = join(dir, 'audit.jsonl');
    let prev = 'genesis';
    for (let i = 1; i <= 3; i++) {
      const line = JSON.stringify({ at: new Date(1_600_000_000_000 + i).toISOString(), actor: 'op', action: 'export.create', details: { id: i }, prev });
      appendFileSync(file, line + '\n');
      prev = createHash('sha256').update(line).digest('hex');
    }
    expect(verifyDataDir(dir, key)).toMatchObject([{ chain: 'export', ok: true, status: 'legacy-unanchored', entries: 3 }]);
    const before = readFileSync(file, 'utf8');
    const log = new AuditLog({ chain: 'export', storage: new FileAuditStorage(file), checkpoints: new CheckpointLog(checkpointFile(dir, 'export')), key });
    log.append({ user: 'op', action: 'export.create', target: 'export:e4', details: { id: 4 } });
    log.close();
    expect(readFileSync(file, 'utf8').startsWith(before)).toBe(true); // the old lines stay byte for byte
    expect(verifyDataDir(dir, key)).toMatchObject([{ chain: 'export', ok: true, status: 'intact', entries: 4, legacyEntries: 3, anchoredSeq: 4 }]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"id":2', '"id":9'));
    expect(verifyDataDir(dir, key)).toMatchObject([{ status: 'edited', firstBadSeq: 3, problem: 'entry 3 does not link to entry 2' }]);
  });

  it('a half-written last line (a crash) is set aside on open, not lost, and the chain continues', () => {
    const dir = freshDir();
    const key = loadOrCreateSigningKey(dir);
    const file = join(dir, 'audit.jsonl');
    const open = () => new AuditLog({ chain: 'export', storage: new FileAuditStorage(file), checkpoints: new CheckpointLog(checkpointFile(dir, 'export')), key });
    const log = open();
    log.append({ user: 'op', action: 'bookmark.add', target: 'bookmark:b1' });
    log.close();
    appendFileSync(file, '{"v":2,"seq":2,"at":1');
    const again = open();
    again.append({ user: 'op', action: 'bookmark.add', target: 'bookmark:b2' });
    again.close();
    expect(verifyDataDir(dir, key)).toMatchObject([{ ok: true, status: 'intact', entries: 2 }]);
  });
});

describe('checkpoint links', () => {
  it('each checkpoint names the one before by its signature', () => {
    const key = loadOrCreateSigningKey(freshDir());
    const a = signCheckpoint({ v: 1, chain: 'x', n: 1, prev: GENESIS, seq: 0, head: GENESIS, at: 1, count: 0, key: key.fingerprint }, key.privateKey);
    expect(checkpointLink(undefined)).toBe(GENESIS);
    expect(checkpointLink(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(checkpointLink(a)).not.toBe(checkpointLink({ ...a, sig: Buffer.alloc(64).toString('base64') }));
  });
});
