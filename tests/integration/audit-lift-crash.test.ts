/**
 * A mask lift survives a host killed at once (issue 12 §3-4): lifts are security events, written before the call returns
 * like sign-ins and refusals, not left in the group commit's queue (docs/audit.md, "Group commit").
 * 1. A child process runs the real mask book on the real alarm store (SQLite, group commit, checkpoints) with a batch of
 *    entries queued, lifts, then freezes (no timer can flush) and is killed with SIGKILL: the real `kuzet verify` passes
 *    the chain, and the lift and everything queued before it are in it.
 * 2. The real web shell: a supervisor lifts a mask, the host is killed with SIGKILL as soon as the reply arrives; after a
 *    restart on the same data, the auditor's search (`audit.query`, what the audit view shows) still has the lift and its
 *    reason.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { AuditVerdict } from '../../electron/contract/audit-schema.js';
import { ApiClient } from '../support/api-client.js';
import { killAtLine } from '../support/child-line.js';
import { demoUser, killGroup, ROOT, signIn, startWebShell, type RunningShell } from '../support/harness.js';

// the bundle lives under the project's node_modules so that it finds better-sqlite3 (a native module, kept external)
const cache = join(ROOT, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const work = mkdtempSync(join(cache, 'kuzet-lift-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const VerifyJson = z.object({ ok: z.boolean(), chains: z.array(AuditVerdict) });
function kuzetVerify(dir: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', '--audit', dir, '--json'], { encoding: 'utf8', timeout: 240_000 });
  expect(r.stdout, r.stderr).toBeTruthy();
  return { status: r.status, alarms: VerifyJson.parse(JSON.parse(r.stdout)).chains.find((c) => c.chain === 'alarms')! };
}

const SQUARE = [{ x: 0.1, y: 0.1 }, { x: 0.4, y: 0.1 }, { x: 0.4, y: 0.4 }, { x: 0.1, y: 0.4 }];

/** Saves a liftable mask, queues 100 alarm entries (a batch: not written yet), lifts, prints and freezes until killed. */
const CHILD = `
import { SqliteAlarmStore } from ${JSON.stringify(join(ROOT, 'electron/host/alarms/store-sqlite.ts'))};
import { MaskBook } from ${JSON.stringify(join(ROOT, 'electron/host/masks/mask-book.ts'))};
import { createLogger } from ${JSON.stringify(join(ROOT, 'electron/host/log.ts'))};
const store = new SqliteAlarmStore(process.argv[2]);
const book = new MaskBook(store, createLogger({ scope: 'child', quiet: true }));
book.save('cam-1', [{ name: 'window', kind: 'liftable', points: ${JSON.stringify(SQUARE)} }], 'sup');
for (let i = 0; i < 100; i++) store.audit({ at: Date.now(), actor: 'system', action: 'alarm.raise', subject: 'A-' + i, detail: 'queued' });
const before = store.auditLog.queued;
book.lift('cam-1', 5, 'police request 17/3', 'sup', 'console-2');
process.stdout.write('LIFTED ' + before + ' ' + store.auditLog.queued + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000));
`;

describe('a mask lift survives a host killed at once', () => {
  it('mask book on the real alarm store: lift, SIGKILL while frozen; kuzet verify passes and the lift is in the chain', async () => {
    const dataDir = join(work, 'console');
    mkdirSync(dataDir);
    writeFileSync(join(work, 'child.ts'), CHILD);
    await build({ entryPoints: [join(work, 'child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: join(work, 'child.mjs'), external: ['better-sqlite3'], logLevel: 'silent' });
    const child = spawn(process.execPath, [join(work, 'child.mjs'), join(dataDir, 'alarms.sqlite')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const m = await killAtLine(child, /LIFTED (\d+) (\d+)/, 'lifted', () => err);
    const lifted = { before: Number(m[1]), after: Number(m[2]) };

    expect(lifted).toEqual({ before: 100, after: 0 }); // a batch was queued when the lift came; the lift wrote it and itself
    const db = new Database(join(dataDir, 'alarms.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT seq, actor, action, subject, detail FROM audit ORDER BY seq').all() as Array<{ seq: number; actor: string; action: string; subject: string; detail: string }>;
    db.close();
    expect(rows.map((r) => r.action)).toEqual(['masks.save', ...Array<string>(100).fill('alarm.raise'), 'masks.lift']);
    const lift = rows.at(-1)!;
    expect(lift).toMatchObject({ seq: 102, actor: 'sup', subject: 'camera:cam-1' });
    expect(JSON.parse(lift.detail)).toMatchObject({ reason: 'police request 17/3', minutes: 5, client: 'console-2' });

    const v = kuzetVerify(dataDir);
    expect(v.status).toBe(0);
    expect(v.alarms).toMatchObject({ ok: true, status: 'intact', entries: 102 });
  }, 300_000);

  it('real web shell: a supervisor lifts, the host is killed at the reply; after a restart the auditor finds the lift', async () => {
    const dataDir = join(work, 'shell');
    mkdirSync(dataDir);
    const camera = 'cam-lift-1';
    let shell: RunningShell | null = await startWebShell({ dataDir, env: { KUZET_MQTT_PORT: '0' } });
    try {
      const admin = await ApiClient.connect(shell.info.origin, shell.info.token);
      try {
        // no stream is needed: the lift is about the camera's masks, and a camera that cannot connect still has them
        await admin.call('cameras.add', { camera: { id: camera, name: 'Yard', mainUrl: 'rtsp://127.0.0.1:9/none' }, probe: false });
        await admin.call('masks.save', { cameraId: camera, masks: [{ name: 'Neighbour window', kind: 'liftable', points: SQUARE }], operator: 'x' });
      } finally { admin.close(); }
      const sup = demoUser('supervisor');
      const api = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, sup.name, sup.password));
      const reply = await api.raw('masks.lift', { cameraId: camera, minutes: 5, reason: 'identify a suspect, case 12/7', operator: 'x' });
      killGroup(shell.proc, 'SIGKILL'); // at once: no clean stop, no exit hook, no 20 ms batch timer
      api.close();
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      const proc = shell.proc;
      await new Promise<void>((r) => { if (proc.exitCode !== null || proc.signalCode !== null) r(); else proc.once('exit', () => r()); });
      shell = null;

      shell = await startWebShell({ dataDir, role: 'auditor', env: { KUZET_MQTT_PORT: '0' } });
      const auditor = await ApiClient.connect(shell.info.origin, shell.info.token);
      try {
        const found = await auditor.call('audit.query', { filter: { actions: ['masks.lift'] } });
        expect(found.entries).toHaveLength(1);
        expect(found.entries[0]).toMatchObject({ chain: 'alarms', user: sup.name, action: 'masks.lift', target: `camera:${camera}` });
        expect(JSON.parse(found.entries[0]!.details)).toMatchObject({ reason: 'identify a suspect, case 12/7', minutes: 5 });
      } finally { auditor.close(); }
    } finally { await shell?.close(); }

    const v = kuzetVerify(dataDir);
    expect(v.status).toBe(0);
    expect(v.alarms).toMatchObject({ ok: true, status: 'intact' });
  }, 300_000);
});
