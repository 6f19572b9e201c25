/**
 * The auditor's screen and the administrator's users screen in Chromium (issue 12, §2 and §4), on the real web shell:
 * an operator watches a camera (the frame channel writes the view interval); the auditor opens Audit from the top bar,
 * asks who watched that camera between two times, finds the operator, and exports a signed report that the browser
 * downloads as one file and the real `kuzet verify` CLI accepts (and rejects once a byte is changed). The operator sees
 * neither entry point and the host refuses the routes to them. The administrator creates a user with rights on one camera
 * group by day and disables the operator, whose session ends at once; both changes are in the audit.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { closeConsole, openConsoleAs } from '../support/e2e-console.js';
import { ROOT, artifactsDir, demoUser, launchBrowser, signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';

let shell: RunningShell;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let admin: ApiClient;
let operatorToken = '';
const shots = join(artifactsDir(), 'e2e');

const openAs = (token: string, lang = 'en') => openConsoleAs(browser.context, shell, token, lang);

function kuzetVerify(file: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', file, '--data-dir', shell.dataDir], { encoding: 'utf8' }) };
  } catch (e) { const x = e as { status: number; stdout: string }; return { code: x.status, out: x.stdout }; }
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  shell = await startWebShell({ role: 'auditor' });
  const a = demoUser('administrator');
  admin = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, a.name, a.password));
  for (const [id, name, group] of [['gate-1', 'Gate 1 (Medeu)', 'Medeu district'], ['gate-2', 'Gate 2 (Almaly)', 'Almaly']] as const) {
    await admin.call('cameras.add', { camera: { id, name, mainUrl: `rtsp://127.0.0.1:9/${id}`, group }, probe: false });
  }
  // the operator watches gate-1 for a moment over the frame channel: one view.live interval in the access chain
  const op = demoUser('operator');
  operatorToken = await signIn(shell.info.origin, shell.info.startToken, op.name, op.password);
  const s = new WebSocket(`${shell.info.origin.replace(/^http/, 'ws')}/frames?token=${operatorToken}`);
  await new Promise<void>((resolve, reject) => { s.once('open', () => resolve()); s.once('error', reject); });
  const slots = new Promise<void>((resolve) => s.on('message', (d, bin) => { if (!bin && (JSON.parse(d.toString()) as { type: string }).type === 'frames.slots') resolve(); }));
  s.send(JSON.stringify({ type: 'frames.subscribe', clientId: 'web-main', cameraIds: ['gate-1'] }));
  await slots;
  await new Promise((r) => setTimeout(r, 800)); // the view itself (an input, not a wait for a state): 0.8 s of watching
  s.close();
  await waitFor('the view interval in the audit', async () => (await admin.call('audit.query', { filter: { cameraId: 'gate-1', actions: ['view.'] } })).total > 0, 20_000);
  browser = await launchBrowser();
}, 180_000);

afterAll(() => closeConsole({ api: admin, browser, shell }));

describe('the auditor and the administrator (Chromium)', () => {
  it('an operator sees no Audit or Users entry and the host refuses their audit and user routes', async () => {
    const page = await openAs(operatorToken);
    expect(await page.getByRole('button', { name: 'Review' }).count()).toBe(1); // the top bar is there
    expect(await page.getByTestId('audit-open').count()).toBe(0);
    expect(await page.getByTestId('users-open').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'audit-operator-topbar.png'), clip: { x: 0, y: 0, width: 1920, height: 60 } });
    await page.close();
    const api = await ApiClient.connect(shell.info.origin, operatorToken);
    try {
      for (const [method, params] of [
        ['audit.query', { filter: { cameraId: 'gate-1' } }], ['audit.report', { filter: {}, reason: 'x' }], ['audit.reportArchive', { id: 'audit-x' }],
        ['audit.retention', {}], ['access.users.list', {}], ['access.users.save', { user: { name: 'operator', disabled: false } }],
      ] as const) {
        const reply = await api.raw(method, params);
        expect(reply.ok ? 'ok' : reply.error.code, method).toBe('forbidden');
      }
    } finally { api.close(); }
  }, 120_000);

  it('the auditor finds who watched a camera and exports a signed report that kuzet verify accepts', async () => {
    const page = await openAs(shell.info.token);
    await page.getByTestId('audit-open').click();
    const view = page.getByTestId('audit-view');
    await view.waitFor();
    await view.getByLabel('Camera').selectOption('gate-1');
    await view.getByRole('button', { name: 'Who watched this camera' }).click();
    const rows = view.locator('tbody tr');
    await waitFor('the view row', async () => (await rows.count()) > 0, 20_000);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-user'), tr.getAttribute('data-action')]))).toEqual([['operator', 'view.live']]);
    const cells = await rows.first().locator('td').allInnerTexts();
    expect(cells[3]).toBe('Gate 1 (Medeu)');
    expect(cells[4]).toMatch(/^web:/);
    // times on the centre's clock (Almaty, UTC+5), whatever the machine's zone
    expect(await view.innerText()).toContain('Asia/Almaty');
    expect(await view.getByTestId('audit-page').innerText()).toBe('Page 1 of 1 · 1 entries');
    // another camera: nobody watched it
    await view.getByLabel('Camera').selectOption('gate-2');
    await view.getByRole('button', { name: 'Search', exact: true }).click();
    await view.getByText('No audit entries match.').waitFor();
    await view.getByLabel('Camera').selectOption('gate-1');
    await view.getByRole('button', { name: 'Search', exact: true }).click();
    await waitFor('the row again', async () => (await rows.count()) === 1, 20_000);
    await page.screenshot({ path: join(shots, 'audit-who-watched.png') });

    await view.getByLabel('Reason for the report').fill('complaint 17: who watched gate 1');
    const [download] = await Promise.all([page.waitForEvent('download'), view.getByRole('button', { name: 'Export signed report' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.tar$/);
    const file = join(shell.dataDir, download.suggestedFilename());
    await download.saveAs(file);
    await view.getByRole('status').waitFor();
    const ok = kuzetVerify(file);
    expect(ok.out).toMatch(/^VERIFIED: 2 file\(s\)/);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`trust: this installation's export key`);
    // the report holds the entry, and one byte changed in the downloaded file is caught
    const bytes = readFileSync(file);
    const at = bytes.lastIndexOf('complaint 17');
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'C'.charCodeAt(0);
    writeFileSync(`${file}.edited.tar`, bytes);
    const bad = kuzetVerify(`${file}.edited.tar`);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/REJECTED[\s\S]*report\.json: SHA-256/);
    const report = JSON.parse(readFileSync(join(shell.dataDir, 'audit-reports', download.suggestedFilename().replace(/\.tar$/, ''), 'report.json'), 'utf8')) as { by: string; entries: Array<{ user: string; action: string }> };
    expect(report.by).toBe('auditor');
    expect(report.entries.map((e) => [e.user, e.action])).toEqual([['operator', 'view.live']]);
    // the auditor cannot open the administrator's screen and the download is audited
    expect(await page.getByTestId('users-open').count()).toBe(0);
    expect((await admin.call('audit.query', { filter: { users: ['auditor'], actions: ['audit.'] } })).entries.map((e) => e.action)).toEqual(['audit.report', 'audit.download']);
    await page.close();
  }, 180_000);

  it('the auditor screen in Kazakh: every label translated', async () => {
    const page = await openAs(shell.info.token, 'kk');
    await page.getByTestId('audit-open').click();
    const view = page.getByTestId('audit-view');
    await view.getByText('Бұл камераны кім көрді').waitFor();
    expect(await view.innerText()).not.toMatch(/\b(Who watched|Export signed report|Reason for the report)\b/);
    await page.screenshot({ path: join(shots, 'audit-kk.png') });
    await page.close();
  }, 120_000);

  it('the administrator creates a contractor by day and disables the operator, whose session ends; both are audited', async () => {
    const a = demoUser('administrator');
    const page = await openAs(await signIn(shell.info.origin, shell.info.startToken, a.name, a.password));
    await page.getByTestId('users-open').click();
    const view = page.getByTestId('users-view');
    await view.locator('tr[data-user="operator"]').waitFor();
    await view.getByRole('button', { name: 'New user' }).click();
    const form = view.getByRole('form', { name: 'New user' });
    await form.getByLabel('User name').fill('contractor7');
    await form.getByLabel('Full name').fill('Day contractor');
    await form.getByLabel('Password', { exact: true }).fill('short');
    await form.getByLabel('Password again').fill('short');
    await form.getByText('The password needs at least 8 characters.').waitFor();
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await form.getByLabel('Password', { exact: true }).fill('day-shift-77');
    await form.getByLabel('Password again').fill('day-shift-77');
    await form.getByLabel('Operator').uncheck();
    await form.getByRole('button', { name: 'Add rights on cameras' }).click();
    await form.getByTestId('grant-scope').selectOption('groups');
    await form.getByLabel('these camera groups', { exact: true }).selectOption(['Medeu district']);
    await form.getByLabel('Only at these times').check();
    await page.screenshot({ path: join(shots, 'admin-new-user.png') });
    await form.getByRole('button', { name: 'Save' }).click();
    await view.locator('tr[data-user="contractor7"]').waitFor();
    const saved = (await admin.call('access.users.list', {})).find((u) => u.name === 'contractor7')!;
    expect(saved).toMatchObject({ displayName: 'Day contractor', source: 'local', roles: [], disabled: false });
    expect(saved.grants).toEqual([{ rights: ['viewLive'], scope: { kind: 'groups', names: ['Medeu district'] }, windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', timeZone: 'Asia/Almaty' }] }]);

    // disable the operator: their open session ends at once
    const opApi = await ApiClient.connect(shell.info.origin, operatorToken);
    expect((await opApi.raw('cameras.list', {})).ok).toBe(true);
    await view.locator('tr[data-user="operator"]').click();
    await view.getByRole('button', { name: 'Disable' }).click();
    await view.locator('tr[data-user="operator"][data-state="disabled"]').waitFor();
    await page.screenshot({ path: join(shots, 'admin-users.png') });
    const after = await opApi.raw('cameras.list', {});
    expect(after.ok ? 'ok' : after.error.code).toBe('unauthenticated');
    opApi.close();
    const changes = (await admin.call('audit.query', { filter: { users: ['admin'], actions: ['user.'] } })).entries;
    expect(changes.map((e) => [e.action, e.target])).toEqual([['user.create', 'contractor7'], ['user.update', 'operator']]);
    expect(JSON.parse(changes[0]!.details)).toMatchObject({ grants: saved.grants });
    expect(JSON.parse(changes[1]!.details)).toMatchObject({ changes: ['disabled'], disabled: true });
    // the audit's retention: never shorter than the footage's (30 days by default)
    const retention = view.getByTestId('audit-retention');
    await retention.getByRole('spinbutton').fill('7');
    await retention.getByRole('button', { name: 'Save' }).click();
    await retention.getByRole('status').getByText(/shorter than the recordings it covers/).waitFor();
    await retention.getByRole('spinbutton').fill('400');
    await retention.getByRole('button', { name: 'Save' }).click();
    await retention.getByText('Audit retention saved.').waitFor();
    expect(await admin.call('audit.retention', {})).toEqual({ days: 400, footageDays: 30, effectiveDays: 400 });
    await page.close();
  }, 180_000);
});
