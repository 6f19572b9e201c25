// Sessions against the real store (SQLite in a temp dir) through the real gate and dispatcher: sign-in, a token
// replayed after sign-out, an administrator disabling a user, idle lock (fake clock), hand-over, a burst of wrong
// passwords, bad user names, and a policy file and a role edited by hand.
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessModule } from '../../electron/host/access/access-module.js';
import { AccessGate } from '../../electron/host/access/gate.js';
import { AccessPolicy } from '../../electron/host/access/access-policy.js';
import { dispatch } from '../../electron/host/dispatch.js';
import { createLogger } from '../../electron/host/log.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import type { HostService, ReplyMessage } from '../../electron/contract/api.js';
import type { Alarm } from '../../electron/contract/alarms-schema.js';

const log = createLogger({ scope: 'test', level: 'error', quiet: true });
const dirs: string[] = [];
const modules: AccessModule[] = [];
afterEach(() => { for (const m of modules.splice(0)) m.close(); for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const alarm = (id: string, cameraId: string) => ({ id, cameraId, priority: 1, summary: `alarm ${id}`, state: 'new', owner: null }) as unknown as Alarm;

async function setup(policy: Partial<AccessPolicy> = {}, dataDir?: string) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'kuzet-access-'));
  if (!dataDir) dirs.push(dir);
  let now = Date.UTC(2025, 2, 5, 7, 0); // Wednesday 12:00 in Almaty
  const notices = new NoticeBoard();
  const access = new AccessModule({
    dataDir: dir, log, notices, now: () => now, demoUsers: true,
    cameras: () => [{ id: 'gate-1', group: 'Medeu' }, { id: 'gate-2', group: 'Almaly' }],
    openAlarms: () => [alarm('a1', 'gate-1'), alarm('a2', 'gate-2')],
    policy: AccessPolicy.parse({ idleLockMinutes: 10, throttle: { freeFailures: 2, baseDelayMs: 0, lockAfter: 5 }, ...policy }),
  });
  modules.push(access);
  await access.seed();
  const inner = {
    ...access.handlers,
    'cameras.list': () => [{ id: 'gate-1' }, { id: 'gate-2' }],
    'streams.pin': () => ({ ok: true }),
    'alarms.act': (p: { operator: string }) => ({ actedBy: p.operator }),
  } as unknown as HostService;
  const gate = new AccessGate(access, () => now);
  const service = gate.wrap(inner);
  let id = 0;
  const call = (clientId: string, method: string, params: unknown = {}) => dispatch(service, { id: ++id, method, params }, clientId, log) as Promise<ReplyMessage>;
  return { access, gate, call, notices, dir, tick: (ms: number) => { now += ms; access.tick(); } };
}

const ok = (r: ReplyMessage) => { if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`); return r.result as Record<string, unknown>; };

describe('sessions', () => {
  it('signs in, refuses a token replayed after sign-out, and audits both', async () => {
    const { access, call } = await setup();
    access.connect('c1', 'web:127.0.0.1');
    expect(await call('c1', 'cameras.list')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const signed = ok(await call('c1', 'access.signIn', { user: 'Operator', password: 'kuzet-operator' }));
    const token = signed.sessionToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect((signed.me as { roles: string[] }).roles).toEqual(['operator']);
    expect(ok(await call('c1', 'cameras.list'))).toHaveLength(2);
    // the store never holds the token
    const rows = access.store.db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    ok(await call('c1', 'access.signOut'));
    expect(await call('c1', 'cameras.list')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(access.tokenSession(token)).toBeNull();
    access.connect('c2', 'web:127.0.0.1', token); // a replay on a new connection
    expect(await call('c2', 'cameras.list')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const actions = access.store.auditEntries().map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['session.start', 'session.end', 'access.refused']));
    expect(access.store.verifyAudit().ok).toBe(true);
  });

  it('sets the acting operator from the session, whatever the page sent', async () => {
    const { access, call } = await setup();
    access.connect('c1', 'desktop');
    ok(await call('c1', 'access.signIn', { user: 'operator', password: 'kuzet-operator' }));
    expect(ok(await call('c1', 'alarms.act', { id: 'a1', operator: 'somebody-else', action: { kind: 'claim' } }))).toEqual({ actedBy: 'operator' });
  });

  it('ends every session of a user an administrator disables; the user cannot sign in again', async () => {
    const { access, call } = await setup();
    access.connect('op', 'desktop');
    access.connect('admin', 'desktop');
    const events: string[] = [];
    access.onSession((e) => events.push(`${e.state}:${e.reason}`));
    ok(await call('op', 'access.signIn', { user: 'operator', password: 'kuzet-operator' }));
    ok(await call('admin', 'access.signIn', { user: 'admin', password: 'kuzet-admin' }));
    ok(await call('admin', 'access.users.save', { user: { name: 'operator', disabled: true } }));
    expect(events).toContain('ended:user disabled by admin');
    expect(await call('op', 'cameras.list')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await call('op', 'access.signIn', { user: 'operator', password: 'kuzet-operator' })).toMatchObject({ ok: false, error: { message: 'this account is disabled' } });
    expect(await call('admin', 'access.users.save', { user: { name: 'admin', disabled: true } })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('locks after the idle time (the wall keeps playing), unlocks with the password only', async () => {
    const { access, call, tick } = await setup();
    access.connect('c1', 'desktop');
    ok(await call('c1', 'access.signIn', { user: 'operator', password: 'kuzet-operator' }));
    tick(9 * 60_000);
    ok(await call('c1', 'streams.pin', { cameraId: 'gate-1', pinned: true })); // the operator's own action: activity
    tick(9 * 60_000);
    expect(ok(await call('c1', 'access.whoami')).me).toMatchObject({ state: 'active' });
    tick(60_000 + 5000);
    expect(ok(await call('c1', 'access.whoami')).me).toMatchObject({ state: 'locked' });
    expect(await call('c1', 'streams.pin', { cameraId: 'gate-1', pinned: true })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(ok(await call('c1', 'cameras.list'))).toHaveLength(2); // background traffic of the wall goes on
    expect(await call('c1', 'access.unlock', { password: 'wrong-password' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    ok(await call('c1', 'access.unlock', { password: 'kuzet-operator' }));
    ok(await call('c1', 'streams.pin', { cameraId: 'gate-1', pinned: true }));
  });

  it('hands the shift over on the same console token and lists the open alarms the next operator may work', async () => {
    const { access, call } = await setup();
    access.connect('c1', 'desktop');
    const token = ok(await call('c1', 'access.signIn', { user: 'trainer', password: 'kuzet-trainer' })).sessionToken as string;
    const r = ok(await call('c1', 'access.handOver', { user: 'operator', password: 'kuzet-operator' }));
    expect(r.from).toBe('trainer');
    expect((r.me as { user: string }).user).toBe('operator');
    expect((r.openAlarms as Alarm[]).map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(access.tokenSession(token)).not.toBeNull(); // the wall's sockets carry on
    const subject = access.subjectOf(access.tokenSession(token)!);
    expect(subject?.user).toBe('operator');
    const ends = access.store.auditEntries({ action: 'session.end' });
    expect(ends.at(-1)).toMatchObject({ actor: 'trainer', detail: 'hand-over to operator' });
    // a wrong password for the next operator changes nothing
    expect(await call('c1', 'access.handOver', { user: 'supervisor', password: 'nope-nope' })).toMatchObject({ ok: false });
    expect(access.subjectOf(access.tokenSession(token)!)?.user).toBe('operator');
  });
});

describe('per-user language', () => {
  it('remembers each user\'s interface language on the host and gives it back at the next sign-in', async () => {
    const { access, call } = await setup();
    access.connect('c1', 'web:127.0.0.1');
    const first = ok(await call('c1', 'access.signIn', { user: 'operator', password: 'kuzet-operator' }));
    expect((first.me as { language: string | null }).language).toBeNull();
    ok(await call('c1', 'access.language', { language: 'kk' }));
    expect(await call('c1', 'access.language', { language: 'xx' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    ok(await call('c1', 'access.signOut'));
    expect(await call('c1', 'access.language', { language: 'ru' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const other = ok(await call('c1', 'access.signIn', { user: 'supervisor', password: 'kuzet-supervisor' }));
    expect((other.me as { language: string | null }).language).toBeNull(); // per user, not per console
    ok(await call('c1', 'access.signOut'));
    const again = ok(await call('c1', 'access.signIn', { user: 'operator', password: 'kuzet-operator' }));
    expect((again.me as { language: string | null }).language).toBe('kk');
  });
});

describe('bad input', () => {
  it('a burst of wrong passwords slows down, then locks, and says until when; the right password does not get in', async () => {
    const { access, call, tick } = await setup();
    access.connect('c1', 'web:10.0.0.9');
    const replies: ReplyMessage[] = [];
    for (let i = 0; i < 7; i++) { replies.push(await call('c1', 'access.signIn', { user: 'operator', password: `guess-${i}` })); tick(1); }
    const messages = replies.map((r) => (r.ok ? 'OK' : r.error.message));
    expect(messages.slice(0, 4).every((m) => m.startsWith('wrong user name or password'))).toBe(true);
    expect(messages[4]).toMatch(/wrong user name or password; too many failed sign-ins: this account is locked until \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2}/);
    expect(messages[5]).toMatch(/^too many failed sign-ins: this account is locked until/);
    expect(await call('c1', 'access.signIn', { user: 'operator', password: 'kuzet-operator' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(access.store.getUser('operator')?.lockedUntil).toBeGreaterThan(0);
    // other users on another console are not affected
    access.connect('c2', 'desktop');
    ok(await call('c2', 'access.signIn', { user: 'supervisor', password: 'kuzet-supervisor' }));
    // the lock ends by itself
    tick(15 * 60_000 + 10);
    ok(await call('c1', 'access.signIn', { user: 'operator', password: 'kuzet-operator' }));
  });

  it('refuses a 10,000-character user name and control characters with a clear message', async () => {
    const { access, call } = await setup();
    access.connect('c1', 'desktop');
    const long = await call('c1', 'access.signIn', { user: 'x'.repeat(10_000), password: 'whatever' });
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(!long.ok && long.error.message).toMatch(/user: user name: at most 64 characters/);
    const ctl = await call('c1', 'access.signIn', { user: 'oper\u0007ator', password: 'kuzet-operator' });
    expect(!ctl.ok && ctl.error.message).toMatch(/control or invisible/);
  });

  it('a policy file and a role edited by hand: set aside or refused with a notice; nobody gains a right', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-access-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'access-policy.json'), '{ "idleLockMinutes": "never", "directory": {"url": "http://x"} ');
    const first = await setup({}, dir);
    first.access.store.db.prepare(`UPDATE roles SET body = '{"id":"operator","grants":[{"rights":["everything"]}]}' WHERE id = 'operator'`).run();
    first.access.close();
    modules.splice(modules.indexOf(first.access), 1);
    const notices = new NoticeBoard();
    const { openAccessPolicy } = await import('../../electron/host/access/access-policy.js');
    const policy = openAccessPolicy(dir, notices, log);
    expect(policy.directory).toBeNull();
    expect(policy.idleLockMinutes).toBe(15);
    expect(notices.list()[0]?.message).toMatch(/access policy file could not be read/);
    expect(readdirSync(dir).some((f) => f.startsWith('access-policy.corrupt-'))).toBe(true);
    const again = await setup({}, dir);
    expect(again.notices.list().map((n) => n.message).join('\n')).toMatch(/Role "operator" .* does not validate/);
    again.access.connect('c1', 'desktop');
    ok(await again.call('c1', 'access.signIn', { user: 'operator', password: 'kuzet-operator' }));
    expect(await again.call('c1', 'streams.pin', { cameraId: 'gate-1', pinned: true })).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'forbidden: control on gate-1' } });
  });
});
