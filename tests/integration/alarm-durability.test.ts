/**
 * Durability: the real web shell is killed with SIGKILL during an MQTT QoS 1 flood. After a restart on the
 * same data directory every acknowledged event is in the store, the operator's claim the UI was told about
 * is still there, and the audit chain verifies.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { spawnSync } from 'node:child_process';
import { killGroup, ROOT, startWebShell, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { until } from '../support/until.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-durability-'));
const env = { KUZET_MQTT_PORT: '0' };
let shell: RunningShell | null = null;

afterAll(async () => {
  await shell?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('alarm store durability', () => {
  it('SIGKILL during a flood loses no acknowledged event and no confirmed operator action', async () => {
    shell = await startWebShell({ dataDir, env });
    const api = await ApiClient.connect(shell.info.origin, shell.info.token);
    await api.call('cameras.add', { camera: { id: 'gate-1', name: 'Gate 1', mainUrl: 'rtsp://127.0.0.1:1/none' }, probe: false });
    const { mqttUrl } = await api.call('alarms.info', {});
    const pub = await mqtt.connectAsync(mqttUrl, { clientId: 'flood', reconnectPeriod: 0 });
    pub.on('error', () => {});

    // An operator action confirmed to the UI before the kill.
    await pub.publishAsync('kuzet/events/gate-1', JSON.stringify({ id: 'face-1', captureTime: Date.now(), type: 'face_match', attributes: { watchlist: 'wanted', personId: 'P-1', similarity: 0.9 } }), { qos: 1 });
    const [face] = await api.call('alarms.list', { states: ['new'] });
    const claimed = await api.call('alarms.act', { id: face!.id, operator: 'aigerim', action: { kind: 'claim' } });
    expect(claimed.owner).toBe(shell.info.user); // issue 12: the signed-in user, whatever the page sent

    // Flood: many publishes in flight; remember the ones the broker acknowledged.
    const acked: string[] = [];
    let sent = 0, stop = false;
    const flood = (async () => {
      while (!stop) {
        const batch = Array.from({ length: 50 }, () => `ev-${sent++}`);
        await Promise.all(batch.map((id, i) => pub.publishAsync('kuzet/events/gate-1',
          JSON.stringify({ id, captureTime: Date.now(), type: 'motion', track: `t${i % 7}`, confidence: 0.9, attributes: { area: 0.1 } }), { qos: 1 })
          .then(() => { acked.push(id); }, () => {})));
      }
    })();
    await until(() => acked.length >= 1500, 30_000);
    killGroup(shell.proc, 'SIGKILL');
    await new Promise<void>((r) => (shell!.proc.exitCode !== null || shell!.proc.signalCode !== null ? r() : shell!.proc.once('exit', () => r())));
    stop = true;
    pub.end(true);
    await Promise.race([flood, new Promise((r) => setTimeout(r, 3000))]);
    api.close();
    const ackedAtKill = acked.slice();
    expect(sent).toBeGreaterThan(ackedAtKill.length); // some were in flight when the host died

    // Restart on the same data: every acknowledged event and the claim are there; the chain verifies.
    shell = await startWebShell({ dataDir, env });
    const api2 = await ApiClient.connect(shell.info.origin, shell.info.token);
    const db = new Database(join(dataDir, 'alarms.sqlite'), { readonly: true });
    const ids = new Set(db.prepare('SELECT id FROM events').pluck().all() as string[]);
    db.close();
    const lost = ackedAtKill.filter((id) => !ids.has(id));
    expect(lost, `${lost.length} of ${ackedAtKill.length} acknowledged events lost`).toEqual([]);
    const again = await api2.call('alarms.get', { id: face!.id });
    expect(again.alarm).toMatchObject({ state: 'claimed', owner: 'admin' });
    expect(again.history.map((h) => h.action)).toEqual(['alarm.raise', 'alarm.claim']);
    expect(await api2.call('alarms.audit.verify', {})).toMatchObject({ ok: true, problem: null });
    api2.close();
    await shell.close();
    shell = null;

    // The verify command finds an edited entry (someone rewriting who claimed the alarm).
    const verify = () => spawnSync('npm', ['run', '--silent', 'audit:verify', '--', dataDir], { cwd: ROOT, encoding: 'utf8' });
    expect(verify()).toMatchObject({ status: 0 });
    const rw = new Database(join(dataDir, 'alarms.sqlite'));
    rw.prepare(`UPDATE audit SET actor = 'mallory' WHERE action = 'alarm.claim'`).run();
    rw.close();
    const tampered = verify();
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toMatch(/AUDIT LOG TAMPERED: entry \d+ was altered/);
  }, 120_000);
});
