// Who watched what, on the real web shell: an operator's session watches a camera over the frame channel, layout churn
// re-subscribes it within the debounce, then the socket stops; the access chain gets exactly one view interval with the
// right user, camera, console and session, and the chain still verifies.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditVerify } from '../../electron/host/audit/verify-command.js';
import { ApiClient } from '../support/api-client.js';
import { demoUser, signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';

interface Row { seq: number; at: number; actor: string; console: string; action: string; subject: string; detail: string }

describe('viewing audit (real web shell)', () => {
  let shell: RunningShell;
  beforeAll(async () => {
    shell = await startWebShell();
    const admin = await ApiClient.connect(shell.info.origin, shell.info.token);
    for (const id of ['gate-1', 'gate-2']) await admin.call('cameras.add', { camera: { id, name: id, mainUrl: `rtsp://127.0.0.1:9/${id}` }, probe: false });
    admin.close();
  }, 120_000);
  afterAll(async () => { await shell?.close(); });

  const views = (): Row[] => {
    const db = new Database(join(shell.dataDir, 'access.sqlite'), { readonly: true });
    try { return db.prepare(`SELECT seq, at, actor, console, action, subject, detail FROM audit WHERE action LIKE 'view.%' ORDER BY seq`).all() as Row[]; } finally { db.close(); }
  };

  it('one live view interval per camera watched, with user, console and session', async () => {
    const op = demoUser('operator');
    const token = await signIn(shell.info.origin, shell.info.startToken, op.name, op.password);
    const ws = shell.info.origin.replace(/^http/, 'ws');
    const s = new WebSocket(`${ws}/frames?token=${token}`);
    const slotMessages: Array<Record<string, string>> = [];
    s.on('message', (d, bin) => { if (!bin) { const m = JSON.parse(d.toString()) as { type: string; slots: Record<string, string> }; if (m.type === 'frames.slots') slotMessages.push(m.slots); } });
    await new Promise<void>((resolve, reject) => { s.once('open', () => resolve()); s.once('error', reject); });
    const started = Date.now();
    const sub = (cameraIds: string[]) => s.send(JSON.stringify({ type: 'frames.subscribe', clientId: 'web-main', cameraIds }));
    sub(['gate-1']);
    await waitFor('subscribed', () => slotMessages.length >= 1);
    for (let i = 0; i < 5; i++) { sub([]); sub(['gate-1']); } // layout churn: one interval, not six
    await waitFor('re-subscribed', () => slotMessages.length >= 11);
    expect(Object.values(slotMessages.at(-1)!)).toEqual(['gate-1']);
    await new Promise((r) => setTimeout(r, 500));
    s.close();
    const stopped = Date.now();
    const rows = await waitFor('the view interval after the debounce', () => { const v = views(); return v.length ? v : null; }, 20_000);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r).toMatchObject({ actor: 'operator', action: 'view.live', subject: 'camera:gate-1' });
    expect(r.console).toBeTruthy();
    const d = JSON.parse(r.detail) as { from: number; to: number; session: string; source: string; display: string | null };
    expect(d.source).toMatch(/^web:/);
    expect(d.display).toBe('web-main');
    expect(d.session).toMatch(/^[0-9a-f]{24}$/);
    expect(d.from).toBeGreaterThanOrEqual(started - 50);
    expect(d.to).toBeGreaterThanOrEqual(d.from + 400);
    expect(d.to).toBeLessThanOrEqual(stopped + 50);
    // the session's start and the view belong to the same session reference
    const db = new Database(join(shell.dataDir, 'access.sqlite'), { readonly: true });
    const starts = db.prepare(`SELECT subject FROM audit WHERE action = 'session.start' AND actor = 'operator'`).all() as Array<{ subject: string }>;
    db.close();
    expect(starts.map((x) => x.subject)).toContain(d.session);
    const verified = runAuditVerify(shell.dataDir);
    expect(verified.verdicts.find((v) => v.chain === 'access')).toMatchObject({ ok: true });
  }, 90_000);
});
