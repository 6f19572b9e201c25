// Every route of the contract table x every role, called directly on the real web shell's API with that role's session:
// every request the role's rights do not allow is refused ("forbidden: <right> on <camera>") and written to the audit;
// none leaks. Also: no session at all (the start token), a token replayed after sign-out, the frame channel and the
// /rec/ routes. Issue 12 asks for >= 200 forbidden requests tried and 0 leaked.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyMessage } from '../../electron/contract/api.js';
import { DEMO_USERS } from '../../electron/host/access/access-module.js';
import { ROUTE_RIGHTS } from '../../electron/host/access/route-rights.js';
import { ApiClient } from '../support/api-client.js';
import { addMatrixCameras, allowed, auditedRefusals, CAM, METHODS, READ_ONLY, SAMPLE, tryForbidden } from '../support/forbidden-matrix.js';
import { signIn, startWebShell, type RunningShell } from '../support/harness.js';

describe('forbidden requests, every route x every role (real web shell)', () => {
  let shell: RunningShell;
  const tally = { tried: 0, refused: 0, leaked: [] as string[] };
  beforeAll(async () => {
    shell = await startWebShell();
    const admin = await ApiClient.connect(shell.info.origin, shell.info.token);
    await addMatrixCameras(admin);
    admin.close();
  }, 120_000);
  afterAll(async () => {
    console.log(`[access-forbidden] tried ${tally.tried} forbidden requests, refused ${tally.refused}, leaked ${tally.leaked.length}`);
    await shell?.close();
  });

  const check = (who: string, method: string, reply: ReplyMessage, codes: string[]) => {
    tally.tried++;
    if (!reply.ok && codes.includes(reply.error.code)) { tally.refused++; return; }
    tally.leaked.push(`${who} ${method}: ${reply.ok ? 'ok' : `${reply.error.code}: ${reply.error.message}`}`);
  };

  for (const user of DEMO_USERS) {
    const roleId = user.roles[0]!;
    it(`${roleId}: every forbidden route is refused and audited`, async () => {
      const token = await signIn(shell.info.origin, shell.info.startToken, user.name, user.password);
      const api = await ApiClient.connect(shell.info.origin, token);
      const pass = await tryForbidden(api, roleId);
      expect(pass.invalid, 'sample params rejected by the contract').toEqual([]);
      expect(pass.badMessages).toEqual([]);
      tally.tried += pass.tried;
      tally.refused += pass.refused;
      tally.leaked.push(...pass.leaked);
      expect(tally.leaked).toEqual([]);
      // and what the role may do passes the gate (read-only routes: they may still find nothing)
      for (const method of READ_ONLY.filter((m) => allowed(roleId, m))) {
        const reply = await api.raw(method, SAMPLE[method]);
        expect(reply.ok || !['forbidden', 'unauthenticated', 'locked'].includes(reply.error.code), `${roleId} ${method}: ${!reply.ok && reply.error.message}`).toBe(true);
      }
      api.close();
      // every refusal of this user is in the audit
      expect(auditedRefusals(shell.dataDir, user.name)).toBeGreaterThanOrEqual(pass.refused);
    }, 120_000);
  }

  it('no session: the start token reaches only the public routes', async () => {
    const api = await ApiClient.connect(shell.info.origin, shell.info.startToken);
    for (const method of METHODS) {
      if (ROUTE_RIGHTS[method].need === 'public') continue;
      const reply = await api.raw(method, SAMPLE[method]);
      expect(reply.ok || reply.error.code !== 'invalid', `${method}: ${!reply.ok && reply.error.message}`).toBe(true);
      check('anonymous', method, reply, ['unauthenticated']);
    }
    expect(tally.leaked).toEqual([]);
    api.close();
  }, 120_000);

  it('a token replayed after sign-out opens nothing: API, frames, recordings', async () => {
    const u = DEMO_USERS.find((d) => d.name === 'operator')!;
    const token = await signIn(shell.info.origin, shell.info.startToken, u.name, u.password);
    const api = await ApiClient.connect(shell.info.origin, token);
    expect((await api.call('cameras.list', {})).length).toBe(2);
    await api.call('access.signOut', {});
    check('replay', 'cameras.list (same socket)', await api.raw('cameras.list', {}), ['unauthenticated']);
    api.close();
    const ws = shell.info.origin.replace(/^http/, 'ws');
    for (const path of ['/api', '/frames']) {
      tally.tried++;
      const status = await new Promise<number | 'open'>((resolve) => {
        const s = new WebSocket(`${ws}${path}?token=${token}`);
        s.once('open', () => { s.close(); resolve('open'); });
        s.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        s.once('error', () => resolve(0));
      });
      if (status === 403) tally.refused++; else tally.leaked.push(`replay ${path}: ${status}`);
    }
    tally.tried++;
    const rec = await fetch(`${shell.info.origin}/rec/seg/gate-1/1000.mp4?token=${token}`);
    if (rec.status === 403) tally.refused++; else tally.leaked.push(`replay /rec/: ${rec.status}`);
    expect(tally.leaked).toEqual([]);
  }, 60_000);

  it('frames and recordings: a camera outside the rights is not sent; /rec/ needs viewRecordings on the camera', async () => {
    const c = DEMO_USERS.find((d) => d.name === 'contractor')!;
    const a = DEMO_USERS.find((d) => d.name === 'auditor')!;
    const contractor = await signIn(shell.info.origin, shell.info.startToken, c.name, c.password);
    const auditor = await signIn(shell.info.origin, shell.info.startToken, a.name, a.password);
    const ws = shell.info.origin.replace(/^http/, 'ws');
    for (const token of [contractor, auditor]) {
      const slots = await new Promise<Record<string, string>>((resolve, reject) => {
        const s = new WebSocket(`${ws}/frames?token=${token}`);
        s.once('open', () => s.send(JSON.stringify({ type: 'frames.subscribe', clientId: 'm', cameraIds: ['gate-2'] })));
        s.on('message', (d, bin) => { if (!bin) { const m = JSON.parse(d.toString()) as { type: string; slots: Record<string, string> }; if (m.type === 'frames.slots') { s.close(); resolve(m.slots); } } });
        s.once('error', reject);
      });
      tally.tried++;
      if (Object.values(slots).includes('gate-2')) tally.leaked.push('frames: gate-2 subscribed'); else tally.refused++;
    }
    for (const [who, token, status] of [['contractor', contractor, 403], ['start token', shell.info.startToken, 403]] as const) {
      for (const path of ['/rec/seg/gate-2/1000.mp4', '/rec/thumb/gate-2/1000.jpg', '/rec/clip/gate-2_1_2.mp4']) {
        tally.tried++;
        const r = await fetch(`${shell.info.origin}${path}?token=${token}`);
        if (r.status === status) tally.refused++; else tally.leaked.push(`${who} ${path}: ${r.status}`);
      }
    }
    // allowed: the auditor reads recordings (404: nothing recorded, but past the gate)
    expect((await fetch(`${shell.info.origin}/rec/seg/gate-2/1000.mp4?token=${auditor}`)).status).toBe(404);
    expect(tally.leaked).toEqual([]);
  }, 60_000);

  it('a wall that asks for no streams needs only a session (an auditor\'s wall is not refused and audited every few seconds)', async () => {
    const a = DEMO_USERS.find((d) => d.name === 'auditor')!;
    const token = await signIn(shell.info.origin, shell.info.startToken, a.name, a.password);
    const api = await ApiClient.connect(shell.info.origin, token);
    try {
      await expect(api.call('streams.demand', { clientId: 'empty-wall', tiles: [] })).resolves.toBeDefined();
      // asking for a camera still needs viewLive on it
      tally.tried++;
      await api.call('streams.demand', { clientId: 'empty-wall', tiles: [{ cameraId: CAM, width: 320, height: 180 }] })
        .then(() => tally.leaked.push('auditor streams.demand with a camera'), () => tally.refused++);
    } finally { api.close(); }
  });

  it('tried at least 200 forbidden requests across all routes and roles, 0 leaked', () => {
    expect(tally.leaked).toEqual([]);
    expect(tally.refused).toBe(tally.tried);
    expect(tally.tried).toBeGreaterThanOrEqual(200);
  });
});
