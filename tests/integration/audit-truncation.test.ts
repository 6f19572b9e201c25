/**
 * Audit truncation and rebuilding, end to end: the real web shell writes both audit chains (alarm actions into
 * SQLite, bookmarks into the export chain of custody) and anchors them on a clean shutdown; then copies of its data
 * directory are cut or rebuilt the way someone with file access would, and the real `kuzet verify` command says which.
 * A host restarted on a cut chain says so at once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { z } from 'zod';
import { ROOT, startWebShell, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { until } from '../support/until.js';
import { AuditVerdict } from '../../electron/contract/audit-schema.js';
import { entryHash, GENESIS } from '../../electron/host/audit/chain.js';

const work = mkdtempSync(join(tmpdir(), 'kuzet-audit-trunc-'));
const dataDir = join(work, 'console');
let shell: RunningShell | null = null;
afterAll(async () => {
  await shell?.close();
  rmSync(work, { recursive: true, force: true });
});

const VerifyJson = z.object({ ok: z.boolean(), trust: z.string(), chains: z.array(AuditVerdict) });
function kuzetVerify(dir: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', '--audit', dir, '--json'], { encoding: 'utf8' });
  const text = spawnSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', dir], { encoding: 'utf8' });
  expect(text.status, text.stderr).toBe(r.status);
  const out = VerifyJson.parse(JSON.parse(r.stdout));
  return { status: r.status, out, text: text.stdout, chain: (name: string) => out.chains.find((c) => c.chain === name)! };
}
const copyOf = (name: string) => { const d = join(work, name); cpSync(dataDir, d, { recursive: true }); return d; };

describe('audit truncation and rebuilt chains', () => {
  it('kuzet verify passes the console\'s chains, and reports a cut-off tail and a rebuilt chain', async () => {
    shell = await startWebShell({ dataDir, env: { KUZET_MQTT_PORT: '0' } });
    const api = await ApiClient.connect(shell.info.origin, shell.info.token);
    await api.call('cameras.add', { camera: { id: 'gate-1', name: 'Gate 1', mainUrl: 'rtsp://127.0.0.1:1/none' }, probe: false });
    const { mqttUrl } = await api.call('alarms.info', {});
    const pub = await mqtt.connectAsync(mqttUrl, { clientId: 'audit-test', reconnectPeriod: 0 });
    for (let i = 0; i < 6; i++) {
      await pub.publishAsync('kuzet/events/gate-1', JSON.stringify({ id: `face-${i}`, captureTime: Date.now(), type: 'face_match', track: `p${i}`, attributes: { watchlist: 'wanted', personId: `P-${i}`, similarity: 0.9 } }), { qos: 1 });
    }
    await pub.endAsync();
    for (let t = 0; (await api.call('alarms.list', { states: ['new'] })).length < 3; t++) {
      if (t > 200) throw new Error('no alarms raised in 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const a of await api.call('alarms.list', { states: ['new'] })) await api.call('alarms.act', { id: a.id, operator: 'aigerim', action: { kind: 'claim' } });
    for (let i = 0; i < 4; i++) await api.call('bookmarks.add', { cameraId: 'gate-1', atMs: Date.now() - i * 1000, comment: `look ${i}`, by: 'aigerim' });
    expect(await api.call('alarms.audit.verify', {})).toMatchObject({ ok: true, status: 'intact' });
    api.close();
    await shell.close(); // clean shutdown: both chains anchored to their last entry
    shell = null;

    const intact = kuzetVerify(dataDir);
    expect(intact.status, intact.text).toBe(0);
    expect(intact.chain('alarms')).toMatchObject({ status: 'intact', unanchored: 0 });
    expect(intact.chain('export')).toMatchObject({ status: 'intact', entries: 4, unanchored: 0 });
    const alarmEntries = intact.chain('alarms').entries;
    expect(alarmEntries).toBeGreaterThanOrEqual(6);

    // Cut off the last entries of both chains (the claims, the last bookmark).
    const cut = copyOf('cut');
    const db = new Database(join(cut, 'alarms.sqlite'));
    db.prepare(`DELETE FROM audit WHERE seq > ?`).run(alarmEntries - 3);
    db.close();
    const jsonl = join(cut, 'audit.jsonl');
    writeFileSync(jsonl, readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).slice(0, 3).join('\n') + '\n');
    const truncated = kuzetVerify(cut);
    expect(truncated.status).toBe(1);
    expect(truncated.chain('alarms')).toMatchObject({ ok: false, status: 'truncated', entries: alarmEntries - 3 });
    expect(truncated.chain('export')).toMatchObject({ ok: false, status: 'truncated', entries: 3 });
    expect(truncated.text).toMatch(/AUDIT LOG TAMPERED: checkpoint \d+ .* names entry \d+ but the chain ends at entry \d+: at least 3 entries were cut off \(truncated\)/);

    // Rebuild the alarm chain after rewriting who claimed: every hash recomputed, so only the checkpoint can tell.
    const rebuilt = copyOf('rebuilt');
    const rw = new Database(join(rebuilt, 'alarms.sqlite'));
    const rows = rw.prepare(`SELECT * FROM audit ORDER BY seq`).all() as Array<{ seq: number; at: number; actor: string; console: string; action: string; subject: string; detail: string }>;
    let prev = GENESIS;
    for (const r of rows) {
      const actor = r.action === 'alarm.claim' ? 'mallory' : r.actor;
      const hash = entryHash({ v: 2, seq: r.seq, at: r.at, user: actor, console: r.console, action: r.action, target: r.subject, details: r.detail, prev });
      rw.prepare(`UPDATE audit SET actor = ?, prev = ?, hash = ? WHERE seq = ?`).run(actor, prev, hash, r.seq);
      prev = hash;
    }
    rw.close();
    const forged = kuzetVerify(rebuilt);
    expect(forged.status).toBe(1);
    expect(forged.chain('alarms')).toMatchObject({ ok: false, status: 'rebuilt', entries: alarmEntries });
    expect(forged.chain('alarms').problem).toMatch(/is not the entry checkpoint \d+ signed .*rebuilt/);
    expect(forged.chain('export')).toMatchObject({ ok: true, status: 'intact' });

    // The host restarted on the cut copy says so at once in its log (the export chain also as a notice).
    shell = await startWebShell({ dataDir: cut, env: { KUZET_MQTT_PORT: '0' } });
    await until(() => /entries were cut off/.test(shell!.stderr()), 10_000);
    await shell.close();
    shell = null;
    expect(kuzetVerify(cut).chain('alarms').status).toBe('truncated'); // a restart does not hide the cut
  }, 180_000);
});
