/**
 * The console's access policy (`<dataDir>/access-policy.json`, edited by an administrator by hand or by a deployment
 * tool): idle lock, whether the wall plays behind the lock, brute-force limits, and directory (LDAP) sign-in with its
 * group -> role mapping. A file that does not validate is set aside with a notice and the defaults apply, which are
 * the strict ones (no directory, 15 minutes idle lock): a broken edit never lets anyone in who was not let in before.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RoleId } from '../../contract/access/access-schema.js';
import type { Logger } from '../log.js';
import type { NoticeBoard } from '../notices.js';
import { openVersionedStore } from '../settings/versioned-store.js';
import { DEFAULT_THROTTLE } from './throttle.js';

export const DirectoryConfig = z.object({
  /** ldap://host:389 or ldaps://host:636 */
  url: z.string().regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'directory url: ldap://host:port or ldaps://host:port'),
  /** A service account to find users by name; omitted: anonymous search. */
  bindDn: z.string().max(512).optional(),
  bindPassword: z.string().max(1024).optional(),
  userBase: z.string().min(1).max(512),
  /** `{user}` is replaced by the escaped user name. */
  userFilter: z.string().max(512).default('(uid={user})'),
  groupBase: z.string().min(1).max(512),
  /** `{dn}` is replaced by the escaped user DN. */
  groupFilter: z.string().max(512).default('(member={dn})'),
  /** Group name (cn) -> Kuzet roles. A directory user with none of these groups cannot sign in. */
  groupRoles: z.record(z.string().min(1).max(200), z.array(RoleId).min(1)),
  displayNameAttribute: z.string().max(64).default('cn'),
  /** Connect and each operation; past it the sign-in says the directory did not answer. */
  timeoutMs: z.number().int().min(100).max(60_000).default(3000),
  /** PEM file of the CA that signed an ldaps server's certificate. */
  caFile: z.string().max(1024).optional(),
});
export type DirectoryConfig = z.infer<typeof DirectoryConfig>;

export const AccessPolicy = z.object({
  /** Minutes without the operator touching the console before it locks; 0 never locks. */
  idleLockMinutes: z.number().min(0).max(24 * 60).default(15),
  /** While locked, the wall keeps playing behind the lock screen (a situation centre's wall never goes dark). */
  wallPlaysWhenLocked: z.boolean().default(true),
  throttle: z.object({
    freeFailures: z.number().int().min(0).max(100).default(DEFAULT_THROTTLE.freeFailures),
    baseDelayMs: z.number().int().min(0).max(60_000).default(DEFAULT_THROTTLE.baseDelayMs),
    maxDelayMs: z.number().int().min(0).max(600_000).default(DEFAULT_THROTTLE.maxDelayMs),
    lockAfter: z.number().int().min(1).max(1000).default(DEFAULT_THROTTLE.lockAfter),
    sourceLockAfter: z.number().int().min(1).max(10_000).default(DEFAULT_THROTTLE.sourceLockAfter),
    lockMs: z.number().int().min(1000).max(7 * 86_400_000).default(DEFAULT_THROTTLE.lockMs),
    windowMs: z.number().int().min(1000).max(7 * 86_400_000).default(DEFAULT_THROTTLE.windowMs),
  }).default({} as never),
  directory: DirectoryConfig.nullable().default(null),
});
export type AccessPolicy = z.infer<typeof AccessPolicy>;

export function openAccessPolicy(dataDir: string, notices?: NoticeBoard, log?: Logger): AccessPolicy {
  const store = openVersionedStore<AccessPolicy>({
    dataDir, name: 'access-policy', label: 'access policy', schema: AccessPolicy,
    defaults: () => AccessPolicy.parse({}), version: 1, notices, log,
  });
  return store.read();
}

/** The CA file's text for ldaps, or a clear error. */
export function readCa(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch (err) { throw new Error(`directory CA file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`); }
}
