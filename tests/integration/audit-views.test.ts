// Who watched what, on the real web shell: an operator's session watches a camera over the frame channel, layout churn
// re-subscribes it within the debounce, then the socket stops; the access chain gets exactly one view interval with the
// right user, camera, console and session, and the chain still verifies.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditVerify } from '../../electron/host/audit/verify-command.js';
import { ApiClient } from '../support/api-client.js';
import { ROOT, demoUser, signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';

interface ViewRow { seq: number; at: number; actor: string; console: string; action: string; subject: string; detail: string }

describe('viewing audit (real web shell)', () => {
  let shell: RunningShell;
  beforeAll(async () => {
    shell = await startWebShell();
    const admin = await ApiClient.connect(shell.info.origin, shell.info.token);
    for (const id of ['gate-1', 'gate-2']) await admin.call('cameras.add', { camera: { id, name: id, mainUrl: `rtsp://127.0.0.1:9/${id}` }, probe: false });
    admin.close();
  }, 120_000);
  afterAll(async () => { await shell?.close(); });

  const views = (): ViewRow[] => {
    const db = new Database(join(shell.dataDir, 'access.sqlite'), { readonly: true });
    try { return db.prepare(`SELECT seq, at, actor, console, action, subject, detail FROM audit WHERE action LIKE 'view.%' ORDER BY seq`).all() as ViewRow[]; } finally { db.close(); }
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
    await new Promise((r) => setTimeout(r, 500)); // the view itself (an input): 0.5 s of watching
    s.close();
    const stopped = Date.now();
    const rows = await waitFor('the view interval after the debounce', () => { const v = views(); return v.length ? v : null; }, 20_000);
    const read = Date.now();
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
    // the interval ends when the host saw the socket close: after the test closed it, before the test read the row (a
    // busy host may see the close late; that is not a bound this test can hold it to)
    expect(d.to).toBeGreaterThanOrEqual(stopped - 50);
    expect(d.to).toBeLessThanOrEqual(read);
    // the session's start and the view belong to the same session reference
    const db = new Database(join(shell.dataDir, 'access.sqlite'), { readonly: true });
    const starts = db.prepare(`SELECT subject FROM audit WHERE action = 'session.start' AND actor = 'operator'`).all() as Array<{ subject: string }>;
    db.close();
    expect(starts.map((x) => x.subject)).toContain(d.session);
    const verified = runAuditVerify(shell.dataDir);
    expect(verified.verdicts.find((v) => v.chain === 'access')).toMatchObject({ ok: true });
    window = { from: started, to: stopped };
  }, 90_000);

  let window = { from: 0, to: 0 };
  it('the auditor finds who watched the camera between two times and exports a signed report that kuzet verify checks', async () => {
    const filter = { cameraId: 'gate-1', actions: ['view.'], fromMs: window.from, toMs: window.to };
    const op = demoUser('operator');
    const opApi = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, op.name, op.password));
    await expect(opApi.call('audit.query', { filter })).rejects.toThrow(/forbidden: viewAudit/);
    opApi.close();
    const au = demoUser('auditor');
    const api = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, au.name, au.password));
    try {
      const q = await api.call('audit.query', { filter });
      expect(q.entries.map((e) => [e.user, e.action, e.target])).toEqual([['operator', 'view.live', 'camera:gate-1']]);
      expect((await api.call('audit.query', { filter: { ...filter, cameraId: 'gate-2' } })).entries).toEqual([]);
      expect((await api.call('audit.query', { filter: { ...filter, fromMs: window.to + 60_000, toMs: window.to + 120_000 } })).entries).toEqual([]);
      expect((await api.call('audit.query', { filter: { users: ['operator'], actions: ['session.start'] } })).total).toBeGreaterThanOrEqual(1);
      const r = await api.call('audit.report', { filter, reason: 'complaint 17: who watched gate-1' });
      expect(r).toMatchObject({ entries: 1, files: ['report.json', 'report.csv'] });
      const verify = (dir: string) => { try { return { code: 0, out: execFileSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', dir], { encoding: 'utf8' }) }; } catch (e) { const x = e as { status: number; stdout: string }; return { code: x.status, out: x.stdout }; } };
      expect(verify(r.dir).code).toBe(0);
      appendFileSync(join(r.dir, 'report.csv'), 'x,y\r\n'); // edited after signing
      const bad = verify(r.dir);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/report\.csv/);
      // making the report is itself audited, with the auditor's name
      expect((await api.call('audit.query', { filter: { users: ['auditor'], actions: ['audit.report'] } })).entries).toHaveLength(1);
    } finally { api.close(); }
  }, 90_000);
});
