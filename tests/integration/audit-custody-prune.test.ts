// The export chain of custody (audit.jsonl) is pruned by retention like the access chain (docs/audit.md, "Retention"):
// a whole checkpointed prefix, recorded and anchored first; the real `kuzet verify` then reports the chain intact with
// "entries 1-N pruned by retention (signed)", and the same prefix removed by hand as cut off. The host's pruning keeps
// the custody of footage under an evidence lock whatever the retention. Real files, the console's Ed25519 key.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AuditVerdict } from '../../electron/contract/audit-schema.js';
import { startAuditPruning } from '../../electron/host/audit/audit-handlers.js';
import { AuditLog } from '../../electron/host/audit/audit-log.js';
import { CheckpointLog, checkpointFile } from '../../electron/host/audit/checkpoint-log.js';
import { FileAuditStorage } from '../../electron/host/audit/file-storage.js';
import { EXPORT_CHAIN, exportAuditFile } from '../../electron/host/audit/verify-data-dir.js';
import { loadOrCreateSigningKey } from '../../electron/host/export/signing-key.js';
import { createLogger } from '../../electron/host/log.js';
import { ROOT } from '../support/harness.js';

const root = mkdtempSync(join(tmpdir(), 'kuzet-custody-prune-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => { vi.useRealTimers(); });
let n = 0;

/** A data dir with an export chain of 13 entries: 5 anchored at t=1000, 5 more at t=2000, 3 unanchored at t=3000. */
function custody() {
  const dir = join(root, `d${++n}`);
  const key = loadOrCreateSigningKey(dir);
  let clock = 500;
  const open = () => new AuditLog({ chain: EXPORT_CHAIN, storage: new FileAuditStorage(exportAuditFile(dir)), checkpoints: new CheckpointLog(checkpointFile(dir, EXPORT_CHAIN)), key, console: 'c1', everyEntries: 1_000_000, now: () => clock });
  const log = open();
  const add = (k: number) => { for (let i = 0; i < k; i++) log.append({ user: 'aigerim', action: 'bookmark.add', target: `bookmark:b${clock}-${i}`, details: { i }, at: clock }); };
  clock = 1000; add(5); log.checkpoint();
  clock = 2000; add(5); log.checkpoint();
  clock = 3000; add(3);
  const seqs = () => readFileSync(exportAuditFile(dir), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { seq: number }).seq);
  return { dir, log, open, seqs, setClock: (t: number) => { clock = t; } };
}

const VerifyJson = z.object({ ok: z.boolean(), chains: z.array(AuditVerdict) });
function kuzetVerify(dir: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', '--audit', dir, '--json'], { encoding: 'utf8' });
  const text = spawnSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', '--audit', dir], { encoding: 'utf8' });
  const out = VerifyJson.parse(JSON.parse(r.stdout));
  return { status: r.status, text: text.stdout, export: out.chains.find((c) => c.chain === EXPORT_CHAIN)! };
}

describe('export chain of custody: retention pruning', () => {
  it('prunes a whole checkpointed prefix; kuzet verify says pruned by retention, not truncated', () => {
    const c = custody();
    c.setClock(4000);
    expect(c.log.prune(1500, 30)).toBe(5);
    c.log.close();
    expect(c.seqs()[0]).toBe(6);
    const v = kuzetVerify(c.dir);
    expect(v.status, v.text).toBe(0);
    expect(v.export).toMatchObject({ ok: true, status: 'intact', prunedThrough: 5, unanchored: 0 });
    expect(v.text).toContain("audit chain 'export': INTACT");
    expect(v.text).toContain('entries 1-5 pruned by retention (signed)');
    // reopened (as the host does at start), appended to and pruned again, the file stays one verifiable chain
    const again = c.open();
    again.append({ user: 'dana', action: 'export.create', target: 'export:e1', details: {} });
    c.setClock(5000);
    expect(again.prune(2500, 30)).toBe(5);
    again.close();
    expect(kuzetVerify(c.dir).export).toMatchObject({ status: 'intact', prunedThrough: 10 });
  });

  it('the same prefix removed by hand is reported as cut off', () => {
    const c = custody();
    c.log.close();
    const file = exportAuditFile(c.dir);
    writeFileSync(file, readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(5).join('\n') + '\n');
    const v = kuzetVerify(c.dir);
    expect(v.status).toBe(1);
    expect(v.export).toMatchObject({ ok: false, status: 'truncated' });
    expect(v.text).toContain('entries 1 to 5 are missing and no signed retention pruning covers them');
  });

  it('does not prune a file with a line that fails its hash (the edit stays visible)', () => {
    const c = custody();
    c.log.close();
    const file = exportAuditFile(c.dir);
    const edited = join(root, `edited-${n}`);
    cpSync(c.dir, edited, { recursive: true });
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    lines[2] = lines[2]!.replace('"aigerim"', '"mallory"'); // inside the prefix that would go
    writeFileSync(exportAuditFile(edited), lines.join('\n') + '\n');
    expect(new FileAuditStorage(exportAuditFile(edited)).prune(5)).toBe(0);
    expect(kuzetVerify(edited).export.status).toBe('edited'); // the evidence of the edit is still there
  });

  it('the host\'s pruning keeps the custody of footage under an evidence lock whatever the retention', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const c = custody();
    let lockedFrom: number | null = 1500; // footage under a lock from t=1500: what was written before it may go, not after
    const stop = startAuditPruning({ logs: [c.log], effectiveDays: () => 1, log: createLogger({ quiet: true }), now: () => 10 * 86_400_000, keepFrom: () => lockedFrom });
    try {
      await vi.advanceTimersByTimeAsync(60_000); // the first run, a minute after start
      expect(c.seqs()[0]).toBe(6); // entries 1-5 (t=1000) pruned; from t=2000 on kept although past the retention
      lockedFrom = null; // the lock is lifted: the next run prunes to the retention
      await vi.advanceTimersByTimeAsync(6 * 3600_000);
      expect(c.seqs()[0]).toBeGreaterThan(13);
    } finally { stop(); }
    c.log.close();
    expect(kuzetVerify(c.dir).export).toMatchObject({ ok: true, status: 'intact' });
  });
});
