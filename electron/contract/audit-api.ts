/**
 * The auditor's part of the contract (issue 12, section 4): search every audit chain of the console and export the
 * result as a signed report (a folder that `kuzet verify` checks like an evidence export). Both need `viewAudit` on
 * every camera (electron/host/access/route-rights.ts). Merged into api.ts.
 */
import { z } from 'zod';

/** The `format` of a signed audit report's manifest (`kuzet verify` checks it like an evidence export). */
export const AUDIT_REPORT_FORMAT = 'kuzet-audit-report/1';

const Text = z.string().max(200);

/** Which entries: every given condition must hold; absent conditions match everything. */
export const AuditFilter = z.object({
  /** User names (exact, any of them). */
  users: z.array(Text.min(1)).max(50).optional(),
  /** Entries about this camera: target `camera:<id>`, or details naming the id. */
  cameraId: Text.min(1).optional(),
  /** Action prefixes: 'view.' matches view.live and view.recording; 'mask.lift' only that action. */
  actions: z.array(Text.min(1)).max(50).optional(),
  fromMs: z.number().int().nonnegative().optional(),
  toMs: z.number().int().nonnegative().optional(),
  /** Case-insensitive text anywhere in user, action, target or details. */
  text: Text.optional(),
  /** Chains to search: 'access', 'alarms', 'export' (default all). */
  chains: z.array(z.enum(['access', 'alarms', 'export'])).max(3).optional(),
  limit: z.number().int().min(1).max(100_000).optional(),
  /** Entries to skip first (paging: the auditor's table asks for one page at a time); a report ignores it. */
  offset: z.number().int().min(0).max(10_000_000).optional(),
}).strict();
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditRow = z.object({
  chain: z.string(), seq: z.number().int(), at: z.number(), user: z.string(), console: z.string(),
  action: z.string(), target: z.string(), details: z.string(),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const AuditQueryResult = z.object({ entries: z.array(AuditRow), total: z.number().int(), truncated: z.boolean() });

export const AuditReportResult = z.object({ id: z.string(), dir: z.string(), entries: z.number().int(), files: z.array(z.string()), signer: z.string() });

/** A report folder's id as `audit.report` answers it (the folder name under <data dir>/audit-reports/). */
export const AuditReportId = z.string().regex(/^audit-[0-9A-Za-z-]{1,80}$/, 'report id: audit-<time>-<hex>');

/**
 * A signed report as one file to download: a POSIX tar (ustar) of the report folder, `<id>/` and its files. `kuzet verify
 * <file>.tar` checks it as it is; `tar -xf` gives the folder, which `kuzet verify <folder>` checks the same way.
 */
export const AuditReportArchive = z.object({ fileName: z.string(), bytes: z.number().int(), base64: z.string() });
export type AuditReportArchive = z.infer<typeof AuditReportArchive>;

/**
 * How long the audit is kept, in days. Never shorter than the footage it covers: `days` below the recordings' age limit
 * (`footageDays`, recording.retention) is refused, and `effectiveDays` is what pruning uses (the larger of the two, so
 * raising the footage's retention later never outlives its audit).
 */
export const AuditRetention = z.object({
  days: z.number().int().min(1).max(36_500),
  footageDays: z.number(),
  effectiveDays: z.number(),
});
export type AuditRetention = z.infer<typeof AuditRetention>;

/**
 * What `audit.load` measured: entries appended, over how long (s), the rate achieved, and how far the appends fell behind
 * their schedule (ms: the host's thread was busy elsewhere, or the audit could not keep up); per-tick append time (ms).
 */
export const AuditLoadResult = z.object({
  appended: z.number().int(), seconds: z.number(), perSecond: z.number(), lagMsMax: z.number(),
  tickMsP50: z.number(), tickMsP99: z.number(), tickMsMax: z.number(),
});
export type AuditLoadResult = z.infer<typeof AuditLoadResult>;

export const auditRequests = {
  /** Audit entries matching the filter, oldest first (at most `limit`, default 1,000). */
  'audit.query': { params: z.object({ filter: AuditFilter }), result: AuditQueryResult },
  /** A signed report of the entries matching the filter: report.json, report.csv, manifest.json + manifest.sig. */
  'audit.report': { params: z.object({ filter: AuditFilter, reason: z.string().min(1).max(500), by: z.string().max(200).optional() }), result: AuditReportResult },
  /** The report folder `audit.report` wrote, as one tar file for the auditor to download. */
  'audit.reportArchive': { params: z.object({ id: AuditReportId }), result: AuditReportArchive },
  /** The audit's retention (days); with `days`, sets it (refused when shorter than the footage's). Administrators only. */
  'audit.retention': { params: z.object({ days: z.number().int().min(1).max(36_500).optional() }), result: AuditRetention },
  /**
   * A measurement hook (bench:access; only with diagnostics on, else `unavailable`): appends `perSecond` entries a second
   * (`diagnostics.load`, the size of a view interval, cycling over `cameraIds`) to the access chain on the host's thread
   * for `seconds`, then answers. Administrators only.
   */
  'audit.load': {
    params: z.object({ perSecond: z.number().int().min(1).max(50_000), seconds: z.number().min(0.1).max(120), cameraIds: z.array(Text.min(1)).min(1).max(64) }),
    result: AuditLoadResult,
  },
} as const;
