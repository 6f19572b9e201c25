/**
 * Group commit in the audit log (electron/host/audit/audit-log.ts): entries are sealed into the chain in order at append
 * and written in one transaction per batch (when the batch is full, after its delay, before a checkpoint, a verify, a
 * reader, a store transaction, and on close); durable entries and entries appended inside a transaction are written at
 * once with the queue before them; a rolled-back transaction keeps the queued entries it carried. Real SQLite and files.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditLog, flushAuditLogs, type GroupCommit } from '../../electron/host/audit/audit-log.js';
import { canonicalJson, entryHash, GENESIS, sealEntry } from '../../electron/host/audit/chain.js';
import { CheckpointLog, checkpointFile } from '../../electron/host/audit/checkpoint-log.js';
import { FileAuditStorage } from '../../electron/host/audit/file-storage.js';
import { SqliteAuditStorage } from '../../electron/host/audit/sqlite-storage.js';
import { verifyDataDir } from '../../electron/host/audit/verify-data-dir.js';
import { AccessStore } from '../../electron/host/access/access-store.js';
import { loadOrCreateSigningKey } from '../../electron/host/export/signing-key.js';
import { until } from '../support/until.js';

const root = mkdtempSync(join(tmpdir(), 'kuzet-audit-group-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** An alarms-style chain in SQLite with group commit; `stored()` reads the table through a second connection, as a reader beside the host would. */
function groupChain(group: GroupCommit) {
  const dir = join(root, `d${++n}`);
  const key = loadOrCreateSigningKey(dir);
  const db = new Database(join(dir, 'alarms.sqlite'));
  db.pragma('journal_mode = WAL');
  const log = new AuditLog({ chain: 'alarms', storage: new SqliteAuditStorage(db), checkpoints: new CheckpointLog(checkpointFile(dir, 'alarms')), key, console: 'c1', groupCommit: group });
  const reader = new Database(join(dir, 'alarms.sqlite'), { readonly: true });
  const stored = () => (reader.prepare('SELECT seq, action FROM audit ORDER BY seq').all() as Array<{ seq: number; action: string }>);
  const verify = () => verifyDataDir(dir, key).find((v) => v.chain === 'alarms')!;
  const done = () => { log.close(); reader.close(); db.close(); };
  return { dir, db, log, stored, verify, done };
}
const LONG = 60_000; // a delay no test waits for: only a full batch or a flush writes

describe('audit group commit', () => {
  it('queues entries in order and writes a full batch in one go', () => {
    const c = groupChain({ maxEntries: 4, maxDelayMs: LONG });
    for (let i = 1; i <= 3; i++) c.log.append({ user: 'u', action: `a${i}`, target: 't' });
    expect(c.stored()).toEqual([]);
    expect(c.log.queued).toBe(3);
    c.log.append({ user: 'u', action: 'a4', target: 't' });
    expect(c.stored().map((r) => r.action)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(c.log.queued).toBe(0);
    c.log.append({ user: 'u', action: 'a5', target: 't' });
    expect(c.stored()).toHaveLength(4);
    expect(c.verify()).toMatchObject({ ok: true, status: 'intact', entries: 5 }); // verify flushes the queue first
    expect(c.stored()).toHaveLength(5);
    c.done();
  });

  it('writes a batch that is not full after its delay', async () => {
    const c = groupChain({ maxEntries: 256, maxDelayMs: 20 });
    c.log.append({ user: 'u', action: 'view.live', target: 'camera:x' });
    expect(c.stored()).toEqual([]);
    await until(() => c.stored().length === 1, 10_000);
    expect(c.log.queued).toBe(0);
    c.done();
  });

  it('a durable entry is written before append returns, after the entries queued before it', () => {
    const c = groupChain({ maxEntries: 256, maxDelayMs: LONG });
    c.log.append({ user: 'u', action: 'view.live', target: 'camera:x' });
    c.log.append({ user: 'u', action: 'view.live', target: 'camera:y' });
    c.log.append({ user: 'u', action: 'access.refused', target: 'cameras.remove', durable: true });
    expect(c.stored().map((r) => `${r.seq} ${r.action}`)).toEqual(['1 view.live', '2 view.live', '3 access.refused']);
    c.done();
  });

  it('a checkpoint flushes first and names only written entries; close writes the rest and anchors it', () => {
    const c = groupChain({ maxEntries: 256, maxDelayMs: LONG });
    for (let i = 0; i < 10; i++) c.log.append({ user: 'u', action: 'a', target: 't' });
    const cp = c.log.checkpoint();
    expect(cp).toMatchObject({ seq: 10 });
    expect(c.stored()).toHaveLength(10);
    for (let i = 0; i < 5; i++) c.log.append({ user: 'u', action: 'b', target: 't' });
    c.log.close();
    expect(c.stored()).toHaveLength(15);
    expect(new CheckpointLog(checkpointFile(c.dir, 'alarms')).read().checkpoints!.map((k) => k.seq)).toEqual([0, 10, 15]);
    expect(c.verify()).toMatchObject({ ok: true, status: 'intact', entries: 15, unanchored: 0 });
    c.done();
  });

  it('an entry inside a transaction is written with it; a rollback keeps the queued entries it carried and drops its own', () => {
    const c = groupChain({ maxEntries: 256, maxDelayMs: LONG });
    c.log.append({ user: 'u', action: 'queued-1', target: 't' });
    c.log.append({ user: 'u', action: 'queued-2', target: 't' });
    // committed: the queue and the transaction's entry, in order
    c.db.transaction(() => { c.log.append({ user: 'u', action: 'in-tx', target: 't' }); })();
    expect(c.stored().map((r) => r.action)).toEqual(['queued-1', 'queued-2', 'in-tx']);
    c.log.append({ user: 'u', action: 'queued-3', target: 't' });
    // rolled back: the carried queued-3 comes back, the transaction's own entry does not
    expect(() => c.db.transaction(() => { c.log.append({ user: 'u', action: 'rolled-back', target: 't' }); throw new Error('boom'); })()).toThrow('boom');
    c.log.reloadHead();
    expect(c.log.queued).toBe(1);
    c.log.append({ user: 'u', action: 'after', target: 't' });
    c.log.flush();
    expect(c.stored().map((r) => `${r.seq} ${r.action}`)).toEqual(['1 queued-1', '2 queued-2', '3 in-tx', '4 queued-3', '5 after']);
    expect(c.verify()).toMatchObject({ ok: true, status: 'intact', entries: 5 });
    c.done();
  });

  it('a batch that cannot be written stays queued and is written once the storage works again; the failing entry is refused', () => {
    const c = groupChain({ maxEntries: 3, maxDelayMs: LONG });
    c.log.append({ user: 'u', action: 'a1', target: 't' });
    c.log.append({ user: 'u', action: 'a2', target: 't' });
    c.db.exec(`CREATE TRIGGER no_writes BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    expect(() => c.log.append({ user: 'u', action: 'a3', target: 't' })).toThrow(/disk says no/);
    expect(c.stored()).toEqual([]);
    expect(c.log.queued).toBe(2);
    c.db.exec('DROP TRIGGER no_writes');
    c.log.append({ user: 'u', action: 'a3-again', target: 't' });
    expect(c.stored().map((r) => `${r.seq} ${r.action}`)).toEqual(['1 a1', '2 a2', '3 a3-again']);
    expect(c.verify()).toMatchObject({ ok: true, status: 'intact', entries: 3 });
    c.done();
  });

  it('flushAuditLogs writes every open log (readers call it), the file chain included, in one append per batch', () => {
    const c = groupChain({ maxEntries: 256, maxDelayMs: LONG });
    const dir = join(root, `f${++n}`);
    const key = loadOrCreateSigningKey(dir);
    const file = new AuditLog({ chain: 'export', storage: new FileAuditStorage(join(dir, 'audit.jsonl')), checkpoints: new CheckpointLog(checkpointFile(dir, 'export')), key, groupCommit: { maxEntries: 256, maxDelayMs: LONG } });
    c.log.append({ user: 'u', action: 'a', target: 't' });
    for (let i = 0; i < 3; i++) file.append({ user: 'u', action: 'export.create', target: `export:${i}` });
    expect(c.stored()).toEqual([]);
    flushAuditLogs();
    expect(c.stored()).toHaveLength(1);
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    file.close();
    expect(verifyDataDir(dir, key).find((v) => v.chain === 'export')).toMatchObject({ ok: true, status: 'intact', entries: 3 });
    c.done();
  });

  it('the access store batches ordinary entries, writes durable ones at once, and flushes before its own reads and transactions', () => {
    const dir = join(root, `s${++n}`);
    mkdirSync(dir);
    const store = new AccessStore(join(dir, 'access.sqlite'));
    const reader = () => { const db = new Database(join(dir, 'access.sqlite'), { readonly: true }); try { return (db.prepare('SELECT action FROM audit ORDER BY seq').pluck().all() as string[]); } finally { db.close(); } };
    store.audit({ at: 1, actor: 'op', action: 'view.live', subject: 'camera:x', detail: '{}' });
    expect(reader()).toEqual([]);
    store.audit({ at: 2, actor: 'op', action: 'access.refused', subject: 'users.save', detail: 'forbidden', durable: true });
    expect(reader()).toEqual(['view.live', 'access.refused']);
    store.audit({ at: 3, actor: 'op', action: 'view.recorded', subject: 'camera:x', detail: '{}' });
    store.touchSessions([]); // a store transaction writes the queue first
    expect(reader()).toEqual(['view.live', 'access.refused', 'view.recorded']);
    store.audit({ at: 4, actor: 'op', action: 'audit.report', subject: 'report:r1', detail: '{}' });
    expect(store.auditEntries().map((e) => e.action)).toEqual(['view.live', 'access.refused', 'view.recorded', 'audit.report']);
    store.close();
  });

  it('the hot path\'s encoding is unchanged: canonicalJson equals JSON.stringify with a key-sorting replacer, and sealed hashes are the format\'s', () => {
    const reference = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
    const values: unknown[] = [
      { to: 2, from: 1, session: 'abc', display: null, source: 'web:1', n: 5 },
      { b: [3, undefined, () => 1, { z: 'Қазақ', a: 'Ж' }, null], a: { y: undefined, x: NaN, w: -0, v: 1e21 }, 'ключ': 'мән', '10': 1, '2': 2 },
      { when: new Date(1_700_000_000_000), nested: { toJSON: () => ({ b: 1, a: 2 }) }, text: 'line\nbreak "quoted" \u0001', empty: {}, list: [] },
      [1, 'two', { c: 3, b: [{ e: 5, d: 4 }] }], 'plain', 42, true, null,
    ];
    for (const v of values) expect(canonicalJson(v)).toBe(reference(v));
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson({ holes: [1, , 3] })).toBe(reference({ holes: [1, , 3] }));
    const e = sealEntry({ user: 'u', console: 'c', action: 'a', target: 't', details: 'd' }, 1, 5, GENESIS);
    const { hash, ...rest } = e;
    expect(hash).toBe(createHash('sha256').update(JSON.stringify(['kuzet-audit', 2, 1, 5, 'u', 'c', 'a', 't', 'd', GENESIS])).digest('hex'));
    expect(entryHash(rest)).toBe(hash);
  });
});
