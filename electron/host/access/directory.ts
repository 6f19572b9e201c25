/**
 * Directory sign-in over LDAP(S) with ldapts: find the user's DN (service account or anonymous search), bind as the
 * user with their password, read their groups and map them to Kuzet roles. Every failure is one of four plain
 * answers: wrong password, not a Kuzet user (no mapped group), directory unreachable, directory too slow.
 */
import { Client, InvalidCredentialsError } from 'ldapts';
import type { DirectoryConfig } from './access-policy.js';
import { readCa } from './access-policy.js';

export type DirectoryResult =
  | { ok: true; dn: string; displayName: string; groups: string[]; roles: string[] }
  | { ok: false; kind: 'wrong-password' | 'no-role' | 'unreachable' | 'timeout'; message: string };

function classify(err: unknown, cfg: DirectoryConfig): DirectoryResult {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof InvalidCredentialsError) return { ok: false, kind: 'wrong-password', message: 'wrong user name or password' };
  if (/timeout|timed out/i.test(msg)) return { ok: false, kind: 'timeout', message: `the directory did not answer within ${cfg.timeoutMs / 1000} s` };
  return { ok: false, kind: 'unreachable', message: `the directory cannot be reached (${msg.slice(0, 200)})` };
}

/** The first value of an attribute as a string. */
function first(v: unknown): string | null {
  if (Array.isArray(v)) return v.length ? first(v[0]) : null;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return null;
}

/** RFC 4515 escaping of a value inside a search filter. */
export function escapeFilterValue(v: string): string {
  return v.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function cnOf(dn: string): string { return /^cn=([^,]+)/i.exec(dn)?.[1] ?? dn; }

export async function directorySignIn(cfg: DirectoryConfig, user: string, password: string): Promise<DirectoryResult> {
  const tlsOptions = cfg.url.startsWith('ldaps:') && cfg.caFile ? { ca: [readCa(cfg.caFile)] } : undefined;
  const client = new Client({ url: cfg.url, timeout: cfg.timeoutMs, connectTimeout: cfg.timeoutMs, ...(tlsOptions ? { tlsOptions } : {}) });
  try {
    if (cfg.bindDn) await client.bind(cfg.bindDn, cfg.bindPassword ?? '');
    const found = await client.search(cfg.userBase, {
      scope: 'sub', filter: cfg.userFilter.replaceAll('{user}', escapeFilterValue(user)), sizeLimit: 2, attributes: ['dn', cfg.displayNameAttribute],
    });
    if (found.searchEntries.length !== 1) {
      await client.bind('cn=nobody,' + cfg.userBase, password).catch(() => {}); // same round trips as a real user
      return { ok: false, kind: 'wrong-password', message: 'wrong user name or password' };
    }
    const entry = found.searchEntries[0]!;
    if (cfg.bindDn) await client.unbind().catch(() => {});
    // An empty password would be an anonymous bind that "succeeds": never accept it.
    if (!password) return { ok: false, kind: 'wrong-password', message: 'wrong user name or password' };
    await client.bind(entry.dn, password);
    const groups = await client.search(cfg.groupBase, { scope: 'sub', filter: cfg.groupFilter.replaceAll('{dn}', escapeFilterValue(entry.dn)), attributes: ['cn'] });
    const names = groups.searchEntries.map((g) => first(g.cn) ?? cnOf(g.dn));
    const roles = [...new Set(names.flatMap((n) => cfg.groupRoles[n] ?? []))];
    if (roles.length === 0) return { ok: false, kind: 'no-role', message: `your directory groups give no Kuzet role (${names.join(', ') || 'no groups'})` };
    return { ok: true, dn: entry.dn, displayName: first(entry[cfg.displayNameAttribute]) ?? user, groups: names, roles };
  } catch (err) {
    return classify(err, cfg);
  } finally {
    await client.unbind().catch(() => {});
  }
}
