/**
 * The auditor's routes in the host (issue 12, §4): search, signed reports, the report as one file to download, and the
 * audit's retention. Rights are the gate's (route-rights.ts): viewAudit on every camera, retention manageUsers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, type HostService } from '../../contract/api.js';
import type { ErrorReason } from '../../contract/api-errors.js';
import type { auditRequests, AuditRetention } from '../../contract/audit-api.js';
import type { SigningKey } from '../export/signing-key.js';
import type { Logger } from '../log.js';
import type { AuditLog } from './audit-log.js';
import { queryAudit, writeAuditReport } from './audit-report.js';
import { archiveFolder } from '../export/folder-archive.js';
import { runAuditLoad } from './audit-load.js';

type AuditHandlers = Pick<HostService, keyof typeof auditRequests>;

/** Kept when nobody set it: a year (Kazakh and most European rules ask for between six months and a few years). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
const RETENTION_KEY = 'auditRetentionDays';

/** Where the setting is kept (access.sqlite's meta table in the host; a map in tests). */
export interface SettingStore { getMeta(key: string): string | null; setMeta(key: string, value: string): void }

/**
 * Why `days` cannot be the audit's retention, or null: the audit of the footage must outlive the footage, so it is never
 * shorter than the recordings' age limit (days, possibly fractional).
 */
export function auditRetentionProblem(days: number, footageDays: number): string | null {
  return auditRetentionRefusal(days, footageDays)?.message ?? null;
}

/** The problem with its reason code (the console translates it: apiErrors.auditRetentionWhole / auditRetentionShort). */
function auditRetentionRefusal(days: number, footageDays: number): { message: string; reason: ErrorReason } | null {
  if (!Number.isInteger(days) || days < 1) return { message: 'audit retention: a whole number of days, at least 1', reason: { code: 'auditRetentionWhole', params: {} } };
  if (days < footageDays) {
    const min = Math.ceil(footageDays);
    return { message: `audit retention: ${days} days is shorter than the recordings it covers (kept ${footageDays} days); set at least ${min} days`, reason: { code: 'auditRetentionShort', params: { days, footageDays, min } } };
  }
  return null;
}

/** The stored setting (default a year) and what pruning would use: never less than the footage's age limit. */
export function auditRetention(store: SettingStore, footageDays: number): AuditRetention {
  const stored = Number(store.getMeta(RETENTION_KEY));
  const days = Number.isInteger(stored) && stored >= 1 ? stored : DEFAULT_AUDIT_RETENTION_DAYS;
  return { days, footageDays, effectiveDays: Math.max(days, Math.ceil(footageDays)) };
}

export interface AuditHandlerOptions {
  dataDir: string;
  key: () => SigningKey;
  software: string;
  settings: SettingStore;
  /** The recordings' age limit in days now (recording.retention). */
  footageDays: () => number | Promise<number>;
  /** Writes an entry in the access chain. */
  /** `durable`: written before the call returns (a policy change), not with the group commit's batch. */
  audit(user: string, action: string, target: string, details: string, durable?: boolean): void;
  /** Diagnostics on (KUZET_DIAGNOSTICS=1): the measurement hook `audit.load` answers; otherwise it is `unavailable`. */
  diagnostics?: boolean;
}

export function createAuditHandlers(o: AuditHandlerOptions): AuditHandlers {
  return {
    'audit.query': ({ filter }) => queryAudit(o.dataDir, filter),
    'audit.report': ({ filter, reason, by }, ctx) => {
      const who = by ?? ctx.user ?? ctx.clientId;
      const r = writeAuditReport(o.dataDir, o.key(), { filter, reason, by: who, software: o.software });
      o.audit(who, 'audit.report', `report:${r.id}`, JSON.stringify({ filter, reason, entries: r.entries }).slice(0, 2000));
      return r;
    },
    'audit.reportArchive': ({ id }, ctx) => {
      const dir = join(o.dataDir, 'audit-reports', id); // the id is checked by the contract (no separators)
      if (!existsSync(join(dir, 'manifest.json'))) throw new ContractError('not-found', `no audit report "${id}"`, { code: 'noReport', params: { id } });
      const tar = archiveFolder(dir, id);
      o.audit(ctx.user ?? ctx.clientId, 'audit.download', `report:${id}`, `${tar.length} bytes`);
      return { fileName: `${id}.tar`, bytes: tar.length, base64: tar.toString('base64') };
    },
    'audit.retention': async ({ days }, ctx) => {
      const footageDays = await o.footageDays();
      if (days === undefined) return auditRetention(o.settings, footageDays);
      const problem = auditRetentionRefusal(days, footageDays);
      if (problem) throw new ContractError('invalid', problem.message, problem.reason);
      const before = auditRetention(o.settings, footageDays).days;
      o.settings.setMeta(RETENTION_KEY, String(days));
      o.audit(ctx.user ?? ctx.clientId, 'audit.retention', 'audit', JSON.stringify({ from: before, to: days, footageDays }), true);
      return auditRetention(o.settings, footageDays);
    },
    'audit.load': async ({ perSecond, seconds, cameraIds }, ctx) => {
      if (!o.diagnostics) throw new ContractError('unavailable', 'audit.load is a measurement hook: start the console with diagnostics on (--diagnostics or KUZET_DIAGNOSTICS=1)', { code: 'diagnosticsOff', params: {} });
      const user = ctx.user ?? ctx.clientId;
      o.audit(user, 'audit.load', 'audit', JSON.stringify({ perSecond, seconds, cameras: cameraIds.length }));
      return runAuditLoad({ perSecond, seconds, cameraIds, user }, o.audit);
    },
  };
}

/** How often pruning looks for a whole checkpointed prefix past the retention (the first look a minute after start). */
export const PRUNE_EVERY_MS = 6 * 3600_000;

export interface AuditPruning {
  logs: readonly AuditLog[]; effectiveDays: () => number | Promise<number>; log: Logger; now?: () => number;
  /** Entries of this chain written at or after the time returned are kept whatever the retention (null: no hold). */
  keepFrom?: (chain: string) => number | null;
}

/**
 * One pruning run over the given chains: each to the audit's effective retention and its `keepFrom` hold (AuditLog.prune:
 * whole checkpointed prefixes only, recorded and anchored first). Returns how many entries each chain lost; a chain that
 * fails is logged and the others still run.
 */
export async function pruneAuditChains(o: AuditPruning): Promise<Record<string, number>> {
  const now = o.now ?? Date.now;
  const out: Record<string, number> = {};
  let days: number;
  try { days = await o.effectiveDays(); } catch (err) { o.log.warn('audit pruning failed', { error: String(err) }); return out; }
  for (const l of o.logs) {
    try {
      const hold = o.keepFrom?.(l.chain) ?? null;
      out[l.chain] = l.prune(Math.min(now() - days * 86_400_000, hold ?? Infinity), days);
      if (out[l.chain]) o.log.info('audit pruned by retention', { chain: l.chain, removed: out[l.chain], days });
    } catch (err) { o.log.warn('audit pruning failed', { chain: l.chain, error: String(err) }); }
  }
  return out;
}

/** Runs pruneAuditChains a minute after start and every PRUNE_EVERY_MS. Returns the stop function. */
export function startAuditPruning(o: AuditPruning): () => void {
  const run = () => pruneAuditChains(o);
  const first = setTimeout(() => void run(), 60_000);
  const timer = setInterval(() => void run(), PRUNE_EVERY_MS);
  first.unref?.();
  timer.unref?.();
  return () => { clearTimeout(first); clearInterval(timer); };
}
