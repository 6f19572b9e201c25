/**
 * Retention pruning of the alarms chain (issue 12 §4; docs/audit.md, "Retention"): the alarm store's chain is pruned by
 * the same policy as the access and custody chains (a whole checkpointed prefix past the retention, recorded by an
 * anchored `audit.prune` entry), never past the oldest open alarm, whose history stays whole; the pruned chain verifies
 * as intact with the prefix reported, and the alarms' history keeps what was not pruned. Real SQLite, real checkpoints.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { SqliteAlarmStore } from '../../electron/host/alarms/store-sqlite.js';
import { pruneAuditChains } from '../../electron/host/audit/audit-handlers.js';
import { describeVerdict } from '../../electron/host/audit/chain.js';
import { verifyDataDir } from '../../electron/host/audit/verify-data-dir.js';
import { loadOrCreateSigningKey } from '../../electron/host/export/signing-key.js';
import { createLogger } from '../../electron/host/log.js';

const root = mkdtempSync(join(tmpdir(), 'kuzet-alarm-prune-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const DAY = 86_400_000;
const later = () => new Promise((r) => setTimeout(r, 5));

describe('alarms chain retention', () => {
  it('prunes the alarms chain like the others, never past the oldest open alarm, recorded and verifiable', async () => {
    const dir = join(root, 'console');
    mkdirSync(dir);
    const key = loadOrCreateSigningKey(dir);
    const store = new SqliteAlarmStore(join(dir, 'alarms.sqlite'), { key, console: 'c1' });
    // the store keeps what saveAlarm reads; the rest of an alarm does not matter to the chain
    const alarm = (id: string, state: Alarm['state'], createdAt: number) => ({ id, state, priority: 2, cameraId: 'gate-1', ruleId: 'r1', createdAt }) as unknown as Alarm;
    const act = (a: Alarm, action: string) => store.transaction(() => { store.saveAlarm(a); store.audit({ at: Date.now(), actor: 'aigerim', action, subject: a.id, detail: '' }); });

    // A1: raised, claimed, resolved, anchored; then B1 is raised and stays open, anchored after it
    const a1 = alarm('A1', 'new', Date.now());
    act(a1, 'alarm.raise'); act({ ...a1, state: 'claimed' }, 'alarm.claim'); act({ ...a1, state: 'resolved' }, 'alarm.resolve');
    expect(store.auditLog.checkpoint()).toMatchObject({ seq: 3 });
    await later();
    const b1 = alarm('B1', 'new', Date.now());
    await later();
    act(b1, 'alarm.raise'); act({ ...b1, state: 'claimed' }, 'alarm.claim');
    expect(store.auditLog.checkpoint()).toMatchObject({ seq: 5 });
    expect(store.oldestOpenAlarmAt()).toBe(b1.createdAt);

    // a year and more later: everything is past the retention, but B1 is open: only the prefix before it goes
    const run = () => pruneAuditChains({
      logs: [store.auditLog], effectiveDays: () => 365, log: createLogger({ level: 'error' }), now: () => Date.now() + 400 * DAY,
      keepFrom: (chain) => (chain === store.auditLog.chain ? store.oldestOpenAlarmAt() : null),
    });
    expect(await run()).toEqual({ alarms: 3 });
    expect(store.auditOf('A1')).toEqual([]);
    expect(store.auditOf('B1').map((e) => e.action)).toEqual(['alarm.raise', 'alarm.claim']);
    let [v] = verifyDataDir(dir, key);
    expect(v).toMatchObject({ chain: 'alarms', ok: true, status: 'intact', prunedThrough: 3 });
    expect(describeVerdict(v!)).toContain('entries 1-3 pruned by retention (signed)');
    const record = store.auditOf('audit').find((e) => e.action === 'audit.prune')!;
    expect(record.actor).toBe('system');
    expect(JSON.parse(record.detail)).toMatchObject({ throughSeq: 3, retentionDays: 365 });

    // B1 resolved: its history may go too, through the last checkpoint before the cut-off (which anchored the first prune)
    act({ ...b1, state: 'resolved' }, 'alarm.resolve');
    expect(store.oldestOpenAlarmAt()).toBeNull();
    store.auditLog.checkpoint();
    const removed = (await run()).alarms!;
    expect(removed).toBeGreaterThanOrEqual(4); // B1's raise and claim, the first prune record, B1's resolve
    expect(store.auditOf('B1')).toEqual([]);
    [v] = verifyDataDir(dir, key);
    expect(v).toMatchObject({ chain: 'alarms', ok: true, status: 'intact', prunedThrough: 3 + removed });

    store.close();
  });
});
