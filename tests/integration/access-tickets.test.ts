// The map window's sign-in hand-over (issue 10) against the real access store (SQLite in a temp dir), gate and dispatcher:
// `map.openWindow` needs a session and mints a ticket into the launcher's address; `access.signInTicket` (public) gives
// the map a session of its own for the same user, once; a replayed, expired, forged or handed-over ticket is refused
// with its reason and audited; the map's session ends when the wall signs out, and when the user is disabled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessModule } from '../../electron/host/access/access-module.js';
import { AccessGate } from '../../electron/host/access/gate.js';
import { AccessPolicy } from '../../electron/host/access/access-policy.js';
import { dispatch } from '../../electron/host/dispatch.js';
import { createLogger } from '../../electron/host/log.js';
import { openMapWindow, type MapWindowLauncher } from '../../electron/host/map/map-window.js';
import type { HostService, ReplyMessage } from '../../electron/contract/api.js';
import type { SessionEvent } from '../../electron/contract/access/access-schema.js';

const log = createLogger({ scope: 'test', level: 'error', quiet: true });
const dirs: string[] = [];
const modules: AccessModule[] = [];
afterEach(() => { for (const m of modules.splice(0)) m.close(); for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A launcher that records the addresses it was asked to open (the real one, Chromium, is tested in tests/e2e/map-window.test.ts). */
function recordingLauncher(): MapWindowLauncher & { queries: string[]; close(): void } {
  let open = false;
  const queries: string[] = [];
  return { display: ':7', queries, isOpen: () => open, focus: () => false, open: async (q) => { queries.push(q); open = true; }, stop: async () => { open = false; }, close: () => { open = false; }, interacting: () => false };
}

async function setup(launcher: MapWindowLauncher | null) {
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-tickets-'));
  dirs.push(dir);
  let now = Date.UTC(2026, 11, 4, 7, 0);
  const access = new AccessModule({
    dataDir: dir, log, now: () => now, demoUsers: true, cameras: () => [{ id: 'gate-1', group: 'Medeu' }], openAlarms: () => [],
    policy: AccessPolicy.parse({}),
  });
  modules.push(access);
  await access.seed();
  const inner = {
    ...access.handlers,
    'cameras.list': () => [{ id: 'gate-1' }],
    'map.openWindow': (p: { displayId: string; lang: string }, ctx: { clientId: string; user?: string }) => openMapWindow({
      launcher, mintTicket: () => access.mintTicket(ctx.clientId), audit: (action, detail) => access.audit(ctx.user ?? '?', action, 'map', detail, true),
    }, p),
  } as unknown as HostService;
  const gate = new AccessGate(access, () => now);
  const service = gate.wrap(inner);
  let id = 0;
  const call = (clientId: string, method: string, params: unknown = {}) => dispatch(service, { id: ++id, method, params }, clientId, log) as Promise<ReplyMessage>;
  const events: SessionEvent[] = [];
  access.onSession((e) => events.push(e));
  return { access, gate, call, events, advance: (ms: number) => { now += ms; } };
}

const ok = (r: ReplyMessage) => { if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`); return r.result as Record<string, unknown>; };
const refusal = (r: ReplyMessage) => (r.ok ? null : { code: r.error.code, reason: r.error.reason?.code });
const ticketOf = (query: string) => new URLSearchParams(query).get('ticket')!;

async function wallAndTicket(s: Awaited<ReturnType<typeof setup>>, launcher: ReturnType<typeof recordingLauncher>, user = 'operator') {
  s.access.connect('wall', 'web:127.0.0.1');
  const signed = ok(await s.call('wall', 'access.signIn', { user, password: `kuzet-${user}` }));
  expect(ok(await s.call('wall', 'map.openWindow', { displayId: 'main', lang: 'ru' }))).toEqual({ opened: 'window', display: ':7' });
  const q = new URLSearchParams(launcher.queries.at(-1));
  expect([q.get('view'), q.get('display'), q.get('lang')]).toEqual(['map', 'main', 'ru']);
  expect(q.get('ticket')).not.toContain(signed.sessionToken as string);
  return { wallToken: signed.sessionToken as string, ticket: ticketOf(launcher.queries.at(-1)!) };
}

describe('the map window signs in with a one-time ticket', () => {
  it('gives the map a session of its own for the same user once; a replay, a forgery and an expired ticket are refused and audited', async () => {
    const launcher = recordingLauncher();
    const s = await setup(launcher);
    // not signed in: no window, no ticket
    s.access.connect('stranger', 'web:127.0.0.1');
    expect(refusal(await s.call('stranger', 'map.openWindow', { displayId: 'main', lang: 'en' }))).toEqual({ code: 'unauthenticated', reason: 'notSignedIn' });
    expect(launcher.queries).toEqual([]);

    const { wallToken, ticket } = await wallAndTicket(s, launcher);
    // asked again while it runs: reported open, no second window, no second ticket
    expect(ok(await s.call('wall', 'map.openWindow', { displayId: 'main', lang: 'en' }))).toEqual({ opened: 'alreadyOpen', display: ':7' });
    expect(launcher.queries).toHaveLength(1);

    s.access.connect('map', 'web:127.0.0.1');
    expect(refusal(await s.call('map', 'cameras.list'))).toEqual({ code: 'unauthenticated', reason: 'notSignedIn' });
    const signed = ok(await s.call('map', 'access.signInTicket', { ticket }));
    expect((signed.me as { user: string }).user).toBe('operator');
    expect(signed.sessionToken).not.toBe(wallToken);
    expect(s.access.tokenSession(signed.sessionToken as string)?.userKey).toBe('operator');
    expect(ok(await s.call('map', 'cameras.list'))).toEqual([{ id: 'gate-1' }]);
    // "open this alarm" from the map reaches the console that opened it, not another console of the same user
    s.access.connect('other-wall', 'web:127.0.0.1');
    ok(await s.call('other-wall', 'access.signIn', { user: 'operator', password: 'kuzet-operator' }));
    const consoleRef = s.access.consoleRefOf('map')!;
    expect(consoleRef).toBe(s.access.binding('wall')!.lastRef);
    const relayed = { event: 'map.alarmOpen', payload: { alarmId: 'A-1', consoleRef } };
    expect(s.gate.filterEvent('wall', relayed)).toEqual(relayed);
    expect(s.gate.filterEvent('other-wall', relayed)).toBeNull();
    expect(s.gate.filterEvent('map', relayed)).toBeNull();

    s.access.connect('thief', 'web:127.0.0.1');
    expect(refusal(await s.call('thief', 'access.signInTicket', { ticket }))).toEqual({ code: 'unauthenticated', reason: 'ticketUsed' });
    expect(refusal(await s.call('thief', 'access.signInTicket', { ticket: `${ticket.slice(0, -2)}xx` }))).toEqual({ code: 'unauthenticated', reason: 'ticketUnknown' });
    expect(refusal(await s.call('thief', 'cameras.list'))).toEqual({ code: 'unauthenticated', reason: 'notSignedIn' });

    launcher.close(); // the window closed: the next Map opens a new one, with a new ticket
    expect(ok(await s.call('wall', 'map.openWindow', { displayId: 'main', lang: 'en' })).opened).toBe('window');
    const second = ticketOf(launcher.queries[1]!);
    expect(second).not.toBe(ticket);
    s.advance(60_001);
    expect(refusal(await s.call('thief', 'access.signInTicket', { ticket: second }))).toEqual({ code: 'unauthenticated', reason: 'ticketExpired' });

    const actions = s.access.store.auditEntries().map((e) => `${e.actor} ${e.action}`);
    expect(actions).toContain('operator signin.ticket');
    expect(actions).toContain('operator map.window.open');
    expect(actions.filter((a) => a.endsWith('signin.ticket-refused'))).toHaveLength(3);
  });

  it('ends the map\'s session when the wall signs out, and refuses a ticket whose wall session ended or was handed over', async () => {
    const launcher = recordingLauncher();
    const s = await setup(launcher);
    const { ticket } = await wallAndTicket(s, launcher);
    s.access.connect('map', 'web:127.0.0.1');
    const mapToken = ok(await s.call('map', 'access.signInTicket', { ticket })).sessionToken as string;
    const mapRef = s.access.tokenSession(mapToken)!.ref;
    ok(await s.call('wall', 'access.signOut'));
    expect(s.access.tokenSession(mapToken)).toBeNull();
    expect(refusal(await s.call('map', 'cameras.list'))).toEqual({ code: 'unauthenticated', reason: 'notSignedIn' });
    expect(s.events.find((e) => e.sessionRef === mapRef)?.state).toBe('ended'); // the map page shows the sign-in form

    // a ticket of a session that ended before it was used
    launcher.close();
    const again = await wallAndTicket(s, launcher);
    ok(await s.call('wall', 'access.signOut'));
    expect(refusal(await s.call('map', 'access.signInTicket', { ticket: again.ticket }))).toEqual({ code: 'unauthenticated', reason: 'ticketSessionEnded' });

    // the operator's ticket after the console was handed over to the supervisor: not the supervisor's, not the operator's
    launcher.close();
    const third = await wallAndTicket(s, launcher);
    ok(await s.call('wall', 'access.handOver', { user: 'supervisor', password: 'kuzet-supervisor' }));
    expect(refusal(await s.call('map', 'access.signInTicket', { ticket: third.ticket }))).toEqual({ code: 'unauthenticated', reason: 'ticketSessionEnded' });
  });

  it('ends the map\'s session when an administrator disables the user; without a launcher the page opens a popup and no ticket is minted', async () => {
    const launcher = recordingLauncher();
    const s = await setup(launcher);
    const { ticket } = await wallAndTicket(s, launcher);
    s.access.connect('map', 'web:127.0.0.1');
    const mapToken = ok(await s.call('map', 'access.signInTicket', { ticket })).sessionToken as string;
    s.access.connect('admin', 'web:127.0.0.1');
    ok(await s.call('admin', 'access.signIn', { user: 'admin', password: 'kuzet-admin' }));
    await s.access.saveUser({ name: 'operator', disabled: true }, 'admin');
    expect(s.access.tokenSession(mapToken)).toBeNull();

    const popup = await setup(null);
    popup.access.connect('wall', 'web:127.0.0.1');
    ok(await popup.call('wall', 'access.signIn', { user: 'operator', password: 'kuzet-operator' }));
    expect(ok(await popup.call('wall', 'map.openWindow', { displayId: 'main', lang: 'en' }))).toEqual({ opened: 'popup', display: null });
  });
});
