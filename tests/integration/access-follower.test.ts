// A window the desktop console opens itself (incident replay's follower window, electron/main.ts) is signed in to its
// opener's session (`AccessModule.connectAs`), against the real access store (SQLite in a temp dir), gate and
// dispatcher: the follower is the opener's user with the opener's rights, ends when the opener signs out, and a window
// opened by a console nobody signed in to is not signed in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessModule } from '../../electron/host/access/access-module.js';
import { AccessGate } from '../../electron/host/access/gate.js';
import { AccessPolicy } from '../../electron/host/access/access-policy.js';
import { dispatch } from '../../electron/host/dispatch.js';
import { createLogger } from '../../electron/host/log.js';
import type { HostService, ReplyMessage } from '../../electron/contract/api.js';

const log = createLogger({ scope: 'test', level: 'error', quiet: true });
const cleanup: Array<() => void> = [];
afterEach(() => { for (const c of cleanup.splice(0)) c(); });

async function consoleAccess() {
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-follower-'));
  const access = new AccessModule({ dataDir: dir, log, demoUsers: true, cameras: () => [{ id: 'gate-1', group: 'Medeu' }], openAlarms: () => [], policy: AccessPolicy.parse({}) });
  cleanup.push(() => { access.close(); rmSync(dir, { recursive: true, force: true }); });
  await access.seed();
  const service = new AccessGate(access).wrap({ ...access.handlers, 'cameras.list': () => [{ id: 'gate-1' }] } as unknown as HostService);
  let id = 0;
  const call = (clientId: string, method: string, params: unknown = {}) => dispatch(service, { id: ++id, method, params }, clientId, log) as Promise<ReplyMessage>;
  return { access, call };
}

const result = (r: ReplyMessage) => (r.ok ? r.result as Record<string, unknown> : { refused: r.error.code });
const userOf = async (call: (c: string, m: string) => Promise<ReplyMessage>, clientId: string) => ((result(await call(clientId, 'access.whoami')).me ?? null) as { user: string } | null)?.user ?? null;

describe('a window the console opens itself', () => {
  it('is signed in to its opener\'s session, and ends with it', async () => {
    const { access, call } = await consoleAccess();
    access.connect('electron-1', 'desktop');
    expect(result(await call('electron-1', 'access.signIn', { user: 'trainer', password: 'kuzet-trainer' })).sessionToken).toBeTruthy();
    access.connectAs('electron-7', 'desktop', 'electron-1');
    expect(await userOf(call, 'electron-7')).toBe('trainer');
    expect(result(await call('electron-7', 'cameras.list'))).toEqual([{ id: 'gate-1' }]);
    // the opener signs out: the follower's session is the same one, so it is gone too
    expect(result(await call('electron-1', 'access.signOut'))).toEqual({ ok: true });
    expect(await userOf(call, 'electron-7')).toBeNull();
    expect(result(await call('electron-7', 'cameras.list'))).toEqual({ refused: 'unauthenticated' });
  });

  it('is not signed in when its opener is not (or is unknown)', async () => {
    const { access, call } = await consoleAccess();
    access.connect('electron-1', 'desktop');
    access.connectAs('electron-7', 'desktop', 'electron-1');
    access.connectAs('electron-8', 'desktop', 'electron-99');
    expect(await userOf(call, 'electron-7')).toBeNull();
    expect(await userOf(call, 'electron-8')).toBeNull();
    expect(result(await call('electron-7', 'cameras.list'))).toEqual({ refused: 'unauthenticated' });
  });
});
