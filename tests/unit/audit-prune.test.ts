// Audit retention pruning (docs/audit.md, "Retention"): only a whole checkpointed prefix older than the retention is
// removed, after an audit.prune entry naming it has been anchored; the kept chain verifies as intact with the pruned
// prefix reported. A prefix removed by hand (at a checkpoint or not), or "authorised" by a forged, unanchored prune
// entry, is reported as cut off. Real SQLite, real checkpoint files, the console's Ed25519 key.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditLog } from '../../electron/host/audit/audit-log.js';
import { describeVerdict, sealEntry } from '../../electron/host/audit/chain.js';
import { CheckpointLog, checkpointFile } from '../../electron/host/audit/checkpoint-log.js';
import { SqliteAuditStorage } from '../../electron/host/audit/sqlite-storage.js';
import { verifyDataDir } from '../../electron/host/audit/verify-data-dir.js';
import { loadOrCreateSigningKey } from '../../electron/host/export/signing-key.js';
import { AuditVerdict } from '../../electron/contract/audit-schema.js';

const root = mkdtempSync(join(tmpdir(), 'kuzet-prune-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** 13 entries: 5 anchored at t=1000, 5 more at t=2000, 3 unanchored at t=3000. */
function chain() {
  const dir = join(root, `d${++n}`);
  const key = loadOrCreateSigningKey(dir);
  const db = new Database(join(dir, 'alarms.sqlite'));
  let clock = 500;
  const open = () => new AuditLog({ chain: 'alarms', storage: new SqliteAuditStorage(db), checkpoints: new CheckpointLog(checkpointFile(dir, 'alarms')), key, console: 'c1', everyEntries: 1_000_000, now: () => clock });
  const log = open();
  const add = (k: number) => { for (let i = 0; i < k; i++) log.append({ user: 'aigerim', action: 'view.live', target: 'camera:gate-1', details: { i }, at: clock }); };
  clock = 1000; add(5); log.checkpoint();
  clock = 2000; add(5); log.checkpoint();
  clock = 3000; add(3);
  const verify = () => AuditVerdict.parse(verifyDataDir(dir, key)[0]);
  const seqs = () => (db.prepare('SELECT seq FROM audit ORDER BY seq').pluck().all() as number[]);
  return { dir, key, db, log, open, verify, seqs, setClock: (t: number) => { clock = t; } };
}

describe('audit retention pruning', () => {
  it('removes the whole checkpointed prefix older than the cut-off, records it, and the rest still verifies', () => {
    const c = chain();
    expect(c.verify()).toMatchObject({ status: 'intact', entries: 13 });
    c.setClock(4000);
    expect(c.log.prune(1500, 30)).toBe(5); // only the checkpoint at t=1000 is older than 1500: entries 1-5
    expect(c.seqs()[0]).toBe(6);
    const v = c.verify();
    expect(v).toMatchObject({ ok: true, status: 'intact', entries: 9, prunedThrough: 5, anchoredSeq: 14, unanchored: 0 });
    expect(describeVerdict(v)).toContain('entries 1-5 pruned by retention (signed)');
    const record = c.db.prepare(`SELECT actor, action, detail FROM audit WHERE action = 'audit.prune'`).get() as { actor: string; detail: string };
    expect(record.actor).toBe('system');
    expect(JSON.parse(record.detail)).toMatchObject({ throughSeq: 5, checkpoint: 2, retentionDays: 30 });
    // nothing more is due with the same cut-off; a later cut-off prunes the next whole prefix (through entry 10)
    expect(c.log.prune(1500, 30)).toBe(0);
    c.setClock(5000);
    expect(c.log.prune(2500, 30)).toBe(5);
    expect(c.verify()).toMatchObject({ status: 'intact', prunedThrough: 10 });
    // reopened and appended to, the chain carries on and verifies
    c.log.close();
    const again = c.open();
    again.append({ user: 'dana', action: 'session.start', target: 's', at: 6000 });
    again.close();
    expect(c.verify()).toMatchObject({ status: 'intact', prunedThrough: 10 });
  });

  it('never cuts into entries a checkpoint has not anchored', () => {
    const c = chain();
    c.setClock(4000);
    expect(c.log.prune(10_000, 30)).toBe(10); // the newest checkpoint (entry 10) is the boundary, not the unanchored tail
    expect(c.seqs().slice(0, 3)).toEqual([11, 12, 13]);
    expect(c.verify()).toMatchObject({ status: 'intact', prunedThrough: 10 });
  });

  it('a prefix removed by hand is reported as cut off, at a checkpoint or not', () => {
    for (const through of [5, 7]) {
      const c = chain();
      c.log.close();
      c.db.prepare('DELETE FROM audit WHERE seq <= ?').run(through);
      const v = c.verify();
      expect(v.ok).toBe(false);
      expect(v.status).toBe('truncated');
      expect(v.problems.join('\n')).toContain(`entries 1 to ${through} are missing and no signed retention pruning covers them`);
    }
  });

  it('a forged prune entry that no checkpoint anchors does not authorise a cut', () => {
    const c = chain();
    c.log.close();
    c.db.prepare('DELETE FROM audit WHERE seq <= 5').run();
    const head = c.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    const boundary = c.db.prepare('SELECT prev FROM audit WHERE seq = 6').pluck().get() as string;
    const forged = sealEntry({ user: 'system', console: 'c1', action: 'audit.prune', target: 'audit', details: JSON.stringify({ throughSeq: 5, head: boundary }) }, head.seq + 1, 9000, head.hash);
    new SqliteAuditStorage(c.db).append(forged);
    expect(c.verify()).toMatchObject({ ok: false, status: 'truncated' });
  });
});
