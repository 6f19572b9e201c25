// The audit's load hook (electron/host/audit/audit-load.ts, `audit.load`, used by bench:access): every entry asked for is
// appended to the real access chain (the access store's SQLite, its checkpoint file, the console's key) and the chain still verifies; with
// diagnostics off the route answers `unavailable` and writes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccessStore } from '../../electron/host/access/access-store.js';
import { createAuditHandlers } from '../../electron/host/audit/audit-handlers.js';
import { LOAD_ACTION, runAuditLoad } from '../../electron/host/audit/audit-load.js';
import { verifyDataDir } from '../../electron/host/audit/verify-data-dir.js';
import { loadOrCreateSigningKey } from '../../electron/host/export/signing-key.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function accessChain() {
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-load-'));
  dirs.push(dir);
  const store = new AccessStore(join(dir, 'access.sqlite')); // the host's access database: WAL, its chain and checkpoints
  const append = (user: string, action: string, target: string, details: string) => { store.audit({ at: Date.now(), actor: user, action, subject: target, detail: details }); };
  return { dir, key: loadOrCreateSigningKey(dir), db: store.db, log: store.auditLog, append };
}

describe('audit load hook', () => {
  it('appends every entry asked for, cycling over the cameras, and the chain verifies', async () => {
    const c = accessChain();
    const r = await runAuditLoad({ perSecond: 4000, seconds: 0.6, cameraIds: ['gate-1', 'gate-2', 'gate-3'], user: 'admin' }, c.append);
    expect(r.appended).toBe(2400);
    expect(r.perSecond).toBeGreaterThan(0);
    c.log.flush(); // group commit: the last batch may still be queued (a reader from outside flushes first)
    const rows = c.db.prepare('SELECT actor, action, subject, detail FROM audit ORDER BY seq').all() as Array<{ actor: string; action: string; subject: string; detail: string }>;
    expect(rows).toHaveLength(2400);
    expect(new Set(rows.map((x) => x.action))).toEqual(new Set([LOAD_ACTION]));
    expect(rows.slice(0, 4).map((x) => x.subject)).toEqual(['camera:gate-1', 'camera:gate-2', 'camera:gate-3', 'camera:gate-1']);
    expect(JSON.parse(rows[5]!.detail)).toMatchObject({ n: 5, session: 'diagnostics' });
    c.log.close();
    const [v] = verifyDataDir(c.dir, c.key).filter((x) => x.chain === 'access');
    expect(v).toMatchObject({ ok: true, status: 'intact', entries: 2400, unanchored: 0 });
    expect(v!.checkpoints).toBeGreaterThanOrEqual(3); // every 1,000 entries, and on close
  });

  it('is unavailable without diagnostics, and writes nothing then', async () => {
    const c = accessChain();
    const base = { dataDir: c.dir, key: () => c.key, software: 'Kuzet test', settings: { getMeta: () => null, setMeta: () => undefined }, footageDays: () => 30, audit: c.append };
    await expect(Promise.resolve().then(() => createAuditHandlers(base)['audit.load']({ perSecond: 10, seconds: 0.1, cameraIds: ['gate-1'] }, { clientId: 'c', user: 'admin' })))
      .rejects.toMatchObject({ code: 'unavailable' });
    expect(c.db.prepare('SELECT COUNT(*) FROM audit').pluck().get()).toBe(0);
    const r = await createAuditHandlers({ ...base, diagnostics: true })['audit.load']({ perSecond: 100, seconds: 0.1, cameraIds: ['gate-1'] }, { clientId: 'c', user: 'admin' });
    expect(r.appended).toBe(10);
    // the call itself is audited, then its entries
    expect(c.db.prepare('SELECT action FROM audit ORDER BY seq LIMIT 2').pluck().all()).toEqual(['audit.load', LOAD_ACTION]);
    c.log.close();
  });
});
