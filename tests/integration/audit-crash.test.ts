/**
 * A crash under audit load (issue 12 §4, group commit): a child process appends to the real access store (its SQLite,
 * group commit, checkpoints) as fast as it can, stops in the middle of a batch, and is killed with SIGKILL. It loses at
 * most that unwritten batch: the real `kuzet verify` passes the chain and counts exactly the entries written; reopening
 * anchors the tail, and the chain carries on and verifies.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { ROOT } from '../support/harness.js';
import { killAtLine } from '../support/child-line.js';
import { AuditVerdict } from '../../electron/contract/audit-schema.js';
import { AccessStore } from '../../electron/host/access/access-store.js';
import { GROUP_COMMIT } from '../../electron/host/audit/audit-log.js';

// the bundle lives under the project's node_modules so that it finds better-sqlite3 (a native module, kept external)
const cache = join(ROOT, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const work = mkdtempSync(join(cache, 'kuzet-audit-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const VerifyJson = z.object({ ok: z.boolean(), chains: z.array(AuditVerdict) });
function kuzetVerify(dir: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', '--audit', dir, '--json'], { encoding: 'utf8', timeout: 240_000 });
  expect(r.stdout, r.stderr).toBeTruthy();
  return { status: r.status, access: VerifyJson.parse(JSON.parse(r.stdout)).chains.find((c) => c.chain === 'access')! };
}

/** Appends in ticks of 50 entries (timers run between ticks); past `target` written entries, with a batch half-queued, prints and blocks. */
const CHILD = `
import { AccessStore } from ${JSON.stringify(join(ROOT, 'electron/host/access/access-store.ts'))};
const store = new AccessStore(process.argv[2]);
const target = Number(process.argv[3]);
let n = 0;
const tick = () => {
  for (let i = 0; i < 50; i++) {
    n++;
    store.audit({ at: Date.now(), actor: 'load', action: 'diagnostics.load', subject: 'camera:c' + (n % 16), detail: JSON.stringify({ n }) });
  }
  const queued = store.auditLog.queued;
  if (n - queued >= target && queued > 0) {
    process.stdout.write('STOPPED ' + n + ' ' + queued + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000));
    return;
  }
  setImmediate(tick);
};
tick();
`;

describe('audit: a crash under load', () => {
  it('kill -9 mid-load loses at most the unwritten batch; kuzet verify passes and counts what was written', async () => {
    const dataDir = join(work, 'console');
    mkdirSync(dataDir);
    writeFileSync(join(work, 'child.ts'), CHILD);
    await build({ entryPoints: [join(work, 'child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: join(work, 'child.mjs'), external: ['better-sqlite3'], logLevel: 'silent' });
    const child = spawn(process.execPath, [join(work, 'child.mjs'), join(dataDir, 'access.sqlite'), '3000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const m = await killAtLine(child, /STOPPED (\d+) (\d+)/, 'reached 3000 entries', () => err);
    const stopped = { appended: Number(m[1]), queued: Number(m[2]) };

    const written = stopped.appended - stopped.queued;
    expect(stopped.queued).toBeGreaterThan(0);
    expect(stopped.queued).toBeLessThan(GROUP_COMMIT.maxEntries);
    const db = new Database(join(dataDir, 'access.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT COUNT(*) AS n, MAX(seq) AS last FROM audit').get() as { n: number; last: number };
    db.close();
    expect(rows).toEqual({ n: written, last: written });

    const first = kuzetVerify(dataDir);
    expect(first.status).toBe(0);
    expect(first.access).toMatchObject({ ok: true, status: 'intact', entries: written });
    expect(first.access.anchoredSeq).toBeGreaterThanOrEqual(1000); // checkpoints every 1,000 entries while it ran

    // reopened: the unanchored tail is anchored, new entries follow it, and a clean close leaves nothing unanchored
    const store = new AccessStore(join(dataDir, 'access.sqlite'));
    for (let i = 0; i < 10; i++) store.audit({ at: Date.now(), actor: 'op', action: 'view.live', subject: 'camera:c1', detail: '{}' });
    store.close();
    const second = kuzetVerify(dataDir);
    expect(second.status).toBe(0);
    expect(second.access).toMatchObject({ ok: true, status: 'intact', entries: written + 10, unanchored: 0 });
  }, 300_000);
});
