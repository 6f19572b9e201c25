// Directory sign-in against a real OpenLDAP server (Debian's slapd, started here on a loopback port with its own
// config and an LDIF of people and groups): group -> role mapping, wrong password, a user in no mapped group, the
// server down (clear message, local accounts still sign in) and the server stalled (SIGSTOP: timeout).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessModule } from '../../electron/host/access/access-module.js';
import { AccessPolicy } from '../../electron/host/access/access-policy.js';
import { createLogger } from '../../electron/host/log.js';
import { BASE, slapdMissing, startSlapd, type RunningSlapd } from '../support/slapd.js';

const missing = slapdMissing();
if (missing) console.warn(`access-ldap: skipped: ${missing}`);

describe.skipIf(!!missing)('directory sign-in (real slapd)', () => {
  let slapd: RunningSlapd;
  let access: AccessModule;
  let dir: string;
  beforeAll(async () => {
    slapd = await startSlapd([
      { uid: 'a.serik', cn: 'Askar Serikbayev', password: 'dir-pass-1', groups: ['kuzet-operators'] },
      { uid: 'm.nur', cn: 'Madina Nurlanova', password: 'dir-pass-2', groups: ['kuzet-supervisors', 'kuzet-operators'] },
      { uid: 'guest', cn: 'Guest User', password: 'dir-pass-3', groups: ['canteen'] },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'kuzet-ldap-'));
    access = new AccessModule({
      dataDir: dir, log: createLogger({ scope: 'test', level: 'error', quiet: true }), demoUsers: true,
      cameras: () => [{ id: 'gate-1' }], openAlarms: () => [],
      policy: AccessPolicy.parse({
        directory: {
          url: slapd.url, userBase: `ou=people,${BASE}`, groupBase: `ou=groups,${BASE}`, timeoutMs: 1500,
          groupRoles: { 'kuzet-operators': ['operator'], 'kuzet-supervisors': ['supervisor'] },
        },
      }),
    });
    await access.seed();
    access.connect('c1', 'desktop');
  }, 60_000);
  afterAll(async () => { access?.close(); await slapd?.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('signs a directory user in with the roles of their groups', async () => {
    const r = await access.signIn('c1', 'm.nur', 'dir-pass-2');
    expect(r.me).toMatchObject({ user: 'm.nur', displayName: 'Madina Nurlanova', source: 'directory' });
    expect([...r.me.roles].sort()).toEqual(['operator', 'supervisor']);
    expect(r.me.global).toContain('export'); // supervisor's right
    const one = await access.signIn('c1', 'A.Serik', 'dir-pass-1');
    expect(one.me.roles).toEqual(['operator']);
    expect(one.me.global).not.toContain('export');
    expect(access.store.getUser('a.serik')).toMatchObject({ source: 'directory', passwordHash: null });
  });

  it('refuses a wrong password and a user without a mapped group, with clear messages', async () => {
    await expect(access.signIn('c1', 'a.serik', 'not-it')).rejects.toThrow('wrong user name or password');
    await expect(access.signIn('c1', 'nobody-here', 'whatever')).rejects.toThrow('wrong user name or password');
    await expect(access.signIn('c1', 'guest', 'dir-pass-3')).rejects.toThrow(/your directory groups give no Kuzet role \(canteen\)/);
    await expect(access.signIn('c1', 'a.serik*', 'dir-pass-1')).rejects.toThrow('wrong user name or password'); // a filter metacharacter is a literal
  });

  it('says the directory is too slow when it stalls, and unreachable when it is down; local accounts still sign in', async () => {
    await slapd.pause();
    try {
      const t0 = Date.now();
      await expect(access.signIn('c1', 'a.serik', 'dir-pass-1')).rejects.toThrow(/the directory did not answer within 1.5 s; local accounts can still sign in/);
      expect(Date.now() - t0).toBeLessThan(15_000); // bounded by the timeout, not hanging
      expect((await access.signIn('c1', 'operator', 'kuzet-operator')).me.source).toBe('local');
    } finally { slapd.resume(); }
    await slapd.kill();
    await expect(access.signIn('c1', 'a.serik', 'dir-pass-1')).rejects.toThrow(/the directory cannot be reached \(.*\); local accounts can still sign in/);
    expect((await access.signIn('c1', 'admin', 'kuzet-admin')).me.roles).toEqual(['administrator']);
    expect(access.store.auditEntries({ action: 'signin.directory-down' }).length).toBe(2);
  });
});
