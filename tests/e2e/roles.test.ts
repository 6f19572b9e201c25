/**
 * Custom roles in Chromium (issue 12, §2), on the real web shell: the administrator opens Users -> Roles, creates the role
 * "Contractor gate 1" that sees one camera live only within a time window on the centre's clock, and gives it to a new user.
 * Signed in as that user, the console lists only that camera and the host refuses the other one (straight to the API);
 * once the window no longer covers the present, the host refuses that camera too, saying why. The window is set around
 * the moment the test runs (from an hour before to two hours after, on the centre's clock), so the test does not depend
 * on the hour: a "by day" window is the same mechanism with 08:00-18:00.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { closeConsole, listedCameras as listed, openConsoleAs } from '../support/e2e-console.js';
import { artifactsDir, launchBrowser, signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';

let shell: RunningShell;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let admin: ApiClient;
const shots = join(artifactsDir(), 'e2e');
const CENTRE_ZONE = 'Asia/Almaty';

/** The centre's clock `minutes` from now, as HH:MM. */
function centreClock(minutes: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: CENTRE_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(Date.now() + minutes * 60_000));
  return `${parts.find((p) => p.type === 'hour')!.value}:${parts.find((p) => p.type === 'minute')!.value}`;
}

const openAs = (token: string) => openConsoleAs(browser.context, shell, token);

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  shell = await startWebShell(); // signed in as the demo administrator
  admin = await ApiClient.connect(shell.info.origin, shell.info.token);
  for (const [id, name] of [['gate-1', 'Gate 1'], ['gate-2', 'Gate 2']] as const) {
    await admin.call('cameras.add', { camera: { id, name, mainUrl: `rtsp://127.0.0.1:9/${id}` }, probe: false });
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(() => closeConsole({ api: admin, browser, shell }));

describe('custom roles (Chromium)', () => {
  it('the administrator creates a contractor role on one camera in a time window and a user with it; that user sees only that camera', async () => {
    const page = await openAs(shell.info.token);
    await page.getByTestId('users-open').click();
    const view = page.getByTestId('users-view');
    await view.getByRole('button', { name: 'Roles', exact: true }).click();
    const roles = view.getByTestId('roles-view');
    await roles.locator('tr[data-role="operator"]').waitFor();
    expect(await roles.locator('tr[data-role="operator"]').innerText()).toContain('built in');
    await roles.getByRole('button', { name: 'New role' }).click();
    const form = roles.getByRole('form', { name: 'New role' });
    // (the demo already has a day contractor of its own: this one is for gate 1)
    await form.getByLabel('Role name').fill('Contractor gate 1');
    expect(await form.getByLabel(/^Role id/).inputValue()).toBe('contractor-gate-1');
    await form.getByRole('button', { name: 'Add rights on cameras' }).click();
    await form.getByLabel('these cameras', { exact: true }).selectOption(['gate-1']);
    await form.getByLabel('Only at these times').check();
    for (const day of ['Sat', 'Sun']) await form.getByLabel(day, { exact: true }).check();
    const from = centreClock(-60), to = centreClock(120);
    await form.getByLabel('From', { exact: true }).fill(from);
    await form.getByLabel('To', { exact: true }).fill(to);
    await page.screenshot({ path: join(shots, 'roles-new-role.png') });
    await form.getByRole('button', { name: 'Save' }).click();
    await roles.getByRole('status').getByText('Role Contractor gate 1 saved.').waitFor();
    const role = (await admin.call('access.roles.list', {})).find((r) => r.id === 'contractor-gate-1')!;
    expect(role).toEqual({ id: 'contractor-gate-1', name: 'Contractor gate 1', builtIn: false, grants: [{ rights: ['viewLive'], scope: { kind: 'cameras', ids: ['gate-1'] }, windows: [{ days: [1, 2, 3, 4, 5, 6, 7], from, to, timeZone: CENTRE_ZONE }] }] });
    // a built-in role cannot be removed (no button), a custom one can
    await roles.locator('tr[data-role="operator"]').click();
    expect(await roles.getByRole('button', { name: 'Remove role' }).count()).toBe(0);

    // a user with the role
    await view.getByRole('button', { name: 'Users', exact: true }).click();
    await view.getByRole('button', { name: 'New user' }).click();
    const userForm = view.getByRole('form', { name: 'New user' });
    await userForm.getByLabel('User name').fill('contractor1');
    await userForm.getByLabel('Full name').fill('Day contractor');
    await userForm.getByLabel('Password', { exact: true }).fill('day-shift-77');
    await userForm.getByLabel('Password again').fill('day-shift-77');
    await userForm.getByLabel('Operator').uncheck();
    await userForm.getByLabel('Contractor gate 1').check();
    await userForm.getByRole('button', { name: 'Save' }).click();
    await view.locator('tr[data-user="contractor1"]').waitFor();
    expect((await admin.call('access.users.list', {})).find((u) => u.name === 'contractor1')).toMatchObject({ roles: ['contractor-gate-1'], grants: [] });
    await page.close();

    // signed in as the contractor: one camera listed; the host refuses the other one, and the API lists only one
    const token = await signIn(shell.info.origin, shell.info.startToken, 'contractor1', 'day-shift-77');
    const mine = await openAs(token);
    await waitFor('the camera list', async () => (await listed(mine)).length > 0, 20_000);
    expect(await listed(mine)).toEqual(['gate-1']);
    await mine.screenshot({ path: join(shots, 'roles-contractor-console.png') });
    const api = await ApiClient.connect(shell.info.origin, token);
    expect((await api.call('cameras.list', {})).map((c) => c.id)).toEqual(['gate-1']);
    const demand = (cameraId: string) => api.raw('streams.demand', { clientId: 'roles-test', tiles: [{ cameraId, width: 320, height: 180 }] });
    expect((await demand('gate-1')).ok).toBe(true);
    expect(await demand('gate-2')).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'forbidden: viewLive on gate-2', reason: { code: 'forbidden', params: { right: 'viewLive', camera: 'gate-2' } } } });

    // outside its hours the role gives nothing: the window moved past the present, gate-1 is refused too, saying why
    await admin.call('access.roles.save', { role: { ...role, grants: [{ ...role.grants[0]!, windows: [{ days: [1, 2, 3, 4, 5, 6, 7], from: centreClock(180), to: centreClock(300), timeZone: CENTRE_ZONE }] }] } });
    await waitFor('gate-1 refused outside the hours', async () => {
      const r = await demand('gate-1');
      return !r.ok && r.error.reason?.code === 'forbiddenHours';
    }, 20_000);
    expect(await demand('gate-1')).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'forbidden: viewLive on gate-1 (outside the allowed hours)' } });
    api.close();
    await mine.close();
  }, 180_000);
});
