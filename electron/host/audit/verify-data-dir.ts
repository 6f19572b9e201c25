/**
 * Verifies every audit chain of a console's data directory, read-only: the alarm chain (table `audit` in alarms.sqlite),
 * the access chain (table `audit` in access.sqlite) and the export chain of custody (audit.jsonl), each against its checkpoint log in <data dir>/audit/. A chain whose
 * entries are gone but whose checkpoints remain is reported as truncated.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditVerdict } from '../../contract/audit-schema.js';
import { verifyAudit, type ChainLink, type TrustedKey } from './chain.js';
import { CheckpointLog, checkpointFile } from './checkpoint-log.js';
import { flushAuditLogs } from './audit-log.js';
import { FileAuditStorage } from './file-storage.js';
import { SqliteAuditStorage } from './sqlite-storage.js';

export const ALARM_CHAIN = 'alarms';
export const EXPORT_CHAIN = 'export';
/** Sign-ins, sessions, refused requests, user and role changes (issue 12): table `audit` in access.sqlite. */
export const ACCESS_CHAIN = 'access';
export const accessStoreFile = (dataDir: string) => join(dataDir, 'access.sqlite');
export const alarmStoreFile = (dataDir: string) => join(dataDir, 'alarms.sqlite');
export const exportAuditFile = (dataDir: string) => join(dataDir, 'audit.jsonl');

/** True when `dir` holds an audit chain or checkpoints (a data directory rather than an export folder). */
export function hasAuditChains(dir: string): boolean {
  return [alarmStoreFile(dir), exportAuditFile(dir), join(dir, 'audit')].some((p) => existsSync(p));
}

export function verifyDataDir(dataDir: string, trusted: TrustedKey): AuditVerdict[] {
  flushAuditLogs(); // entries this process has queued (group commit) are verified too
  const verdicts: AuditVerdict[] = [];
  const check = (chain: string, links: Iterable<ChainLink>) => {
    const { checkpoints, unreadable } = new CheckpointLog(checkpointFile(dataDir, chain)).read();
    verdicts.push(verifyAudit(chain, links, checkpoints, trusted, unreadable));
  };
  const alarms = alarmStoreFile(dataDir);
  if (existsSync(alarms)) {
    const db = new Database(alarms, { readonly: true, fileMustExist: true });
    try { check(ALARM_CHAIN, new SqliteAuditStorage(db, 'audit', true).links()); } finally { db.close(); }
  } else if (existsSync(checkpointFile(dataDir, ALARM_CHAIN))) check(ALARM_CHAIN, []);
  const access = accessStoreFile(dataDir);
  if (existsSync(access)) {
    const db = new Database(access, { readonly: true, fileMustExist: true });
    try { check(ACCESS_CHAIN, new SqliteAuditStorage(db, 'audit', true).links()); } finally { db.close(); }
  } else if (existsSync(checkpointFile(dataDir, ACCESS_CHAIN))) check(ACCESS_CHAIN, []);
  if (existsSync(exportAuditFile(dataDir)) || existsSync(checkpointFile(dataDir, EXPORT_CHAIN))) {
    check(EXPORT_CHAIN, new FileAuditStorage(exportAuditFile(dataDir), { readonly: true }).links());
  }
  return verdicts;
}
