/**
 * The auditor's search and signed reports (issue 12, section 4). Reads every chain of a data directory read-only
 * (access and alarms in SQLite, the export chain in audit.jsonl), filters (user, camera, action prefix, time range,
 * text), and writes a report folder that `kuzet verify <folder>` checks exactly like an evidence export: report.json and
 * report.csv listed with their SHA-256 in manifest.json (format kuzet-audit-report/1), manifest.sig the Ed25519
 * signature of the manifest's bytes by the console's key, public-key.pem. The report also holds the chains' verdicts at
 * the time it was made, so it says whether the entries it quotes came from intact chains.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_REPORT_FORMAT, type AuditFilter, type AuditRow } from '../../contract/audit-api.js';
import type { AuditVerdict } from '../../contract/audit-schema.js';
import { MANIFEST_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE, sha256Hex, signManifest } from '../export/manifest.js';
import type { SigningKey } from '../export/signing-key.js';
import { verifyAudit, type ChainLink } from './chain.js';
import { CheckpointLog, checkpointFile } from './checkpoint-log.js';
import { flushAuditLogs } from './audit-log.js';
import { FileAuditStorage } from './file-storage.js';
import { SqliteAuditStorage } from './sqlite-storage.js';
import { ACCESS_CHAIN, ALARM_CHAIN, EXPORT_CHAIN, accessStoreFile, alarmStoreFile, exportAuditFile } from './verify-data-dir.js';

export const DEFAULT_QUERY_LIMIT = 1000;

interface SqlRow { seq: number; at: number; actor: string; console: string | null; action: string; subject: string | null; detail: string | null }

function sqliteRows(file: string, chain: string): AuditRow[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const cols = new Set((db.prepare(`PRAGMA table_info(audit)`).all() as Array<{ name: string }>).map((c) => c.name));
    if (!cols.size) return [];
    const rows = db.prepare(`SELECT seq, at, actor, ${cols.has('console') ? 'console' : `'' AS console`}, action, subject, detail FROM audit ORDER BY seq`).all() as SqlRow[];
    return rows.map((r) => ({ chain, seq: r.seq, at: r.at, user: r.actor, console: r.console ?? '', action: r.action, target: r.subject ?? '', details: r.detail ?? '' }));
  } finally { db.close(); }
}

function jsonlRows(file: string, chain: string): AuditRow[] {
  if (!existsSync(file)) return [];
  const out: AuditRow[] = [];
  let seq = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    seq++;
    try {
      const e = JSON.parse(line) as Record<string, unknown>;
      const details = typeof e.details === 'string' ? e.details : JSON.stringify(e.details ?? '');
      out.push({ chain, seq: typeof e.seq === 'number' ? e.seq : seq, at: Number(e.at) || 0, user: String(e.user ?? e.actor ?? ''), console: String(e.console ?? ''), action: String(e.action ?? ''), target: String(e.target ?? ''), details });
    } catch { /* a torn line: verification reports it */ }
  }
  return out;
}

/** Every entry of the data directory's chains (those asked for), oldest first. */
export function readAuditRows(dataDir: string, chains: readonly string[] = [ACCESS_CHAIN, ALARM_CHAIN, EXPORT_CHAIN]): AuditRow[] {
  flushAuditLogs(); // this process's queued entries (group commit) are part of what the auditor asked for
  const rows: AuditRow[] = [];
  if (chains.includes(ACCESS_CHAIN)) rows.push(...sqliteRows(accessStoreFile(dataDir), ACCESS_CHAIN));
  if (chains.includes(ALARM_CHAIN)) rows.push(...sqliteRows(alarmStoreFile(dataDir), ALARM_CHAIN));
  if (chains.includes(EXPORT_CHAIN)) rows.push(...jsonlRows(exportAuditFile(dataDir), EXPORT_CHAIN));
  return rows.sort((a, b) => a.at - b.at || a.chain.localeCompare(b.chain) || a.seq - b.seq);
}

/** Whether an entry is about a camera: its target, or its details naming the id as a JSON string. */
function aboutCamera(r: AuditRow, id: string): boolean {
  return r.target === `camera:${id}` || r.details.includes(JSON.stringify(id));
}

/** The pure filter (unit-tested): every given condition must hold. */
export function matches(r: AuditRow, f: AuditFilter): boolean {
  if (f.users?.length && !f.users.includes(r.user)) return false;
  if (f.actions?.length && !f.actions.some((a) => r.action === a || (a.endsWith('.') && r.action.startsWith(a)))) return false;
  if (f.cameraId && !aboutCamera(r, f.cameraId)) return false;
  // a view interval counts when it overlaps the range (it is written when it ends)
  const [from, to] = intervalOf(r);
  if (f.fromMs !== undefined && to < f.fromMs) return false;
  if (f.toMs !== undefined && from > f.toMs) return false;
  if (f.text) {
    const t = f.text.toLowerCase();
    if (![r.user, r.action, r.target, r.details].some((s) => s.toLowerCase().includes(t))) return false;
  }
  return true;
}

function intervalOf(r: AuditRow): [number, number] {
  if (r.action.startsWith('view.')) {
    try { const d = JSON.parse(r.details) as { from?: unknown; to?: unknown }; if (typeof d.from === 'number' && typeof d.to === 'number') return [d.from, d.to]; } catch { /* plain text */ }
  }
  return [r.at, r.at];
}

export function queryAudit(dataDir: string, f: AuditFilter): { entries: AuditRow[]; total: number; truncated: boolean } {
  const all = readAuditRows(dataDir, f.chains).filter((r) => matches(r, f));
  const limit = f.limit ?? DEFAULT_QUERY_LIMIT;
  const offset = f.offset ?? 0;
  return { entries: all.slice(offset, offset + limit), total: all.length, truncated: all.length > offset + limit };
}

/** The chains' verdicts now (read-only), with the console's own key. */
export function chainVerdicts(dataDir: string, key: SigningKey): AuditVerdict[] {
  flushAuditLogs();
  const trusted = { publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint };
  const out: AuditVerdict[] = [];
  const check = (chain: string, links: Iterable<ChainLink>) => {
    const { checkpoints, unreadable } = new CheckpointLog(checkpointFile(dataDir, chain)).read();
    out.push(verifyAudit(chain, links, checkpoints, trusted, unreadable));
  };
  for (const [chain, file] of [[ACCESS_CHAIN, accessStoreFile(dataDir)], [ALARM_CHAIN, alarmStoreFile(dataDir)]] as const) {
    if (!existsSync(file)) continue;
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try { check(chain, [...new SqliteAuditStorage(db, 'audit', true).links()]); } finally { db.close(); }
  }
  if (existsSync(exportAuditFile(dataDir))) check(EXPORT_CHAIN, new FileAuditStorage(exportAuditFile(dataDir), { readonly: true }).links());
  return out;
}

const csvCell = (v: string | number): string => {
  const s = String(v);
  // a leading = + - @ would be a formula in a spreadsheet: quote it as text
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function reportCsv(rows: readonly AuditRow[]): string {
  const head = ['time (UTC)', 'chain', 'seq', 'user', 'console', 'action', 'target', 'details'];
  return [head.join(','), ...rows.map((r) => [new Date(r.at).toISOString(), r.chain, r.seq, r.user, r.console, r.action, r.target, r.details].map(csvCell).join(','))].join('\r\n') + '\r\n';
}

/** Writes a signed report folder under `<dataDir>/audit-reports/<id>`; returns what `audit.report` answers. */
export function writeAuditReport(dataDir: string, key: SigningKey, o: { filter: AuditFilter; reason: string; by: string; software: string; now?: number }) {
  const now = o.now ?? Date.now();
  const id = `audit-${new Date(now).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const dir = join(dataDir, 'audit-reports', id);
  mkdirSync(dir, { recursive: true });
  const { offset: _page, ...filter } = o.filter; // a report is every matching entry, not the page on the screen
  const { entries, total, truncated } = queryAudit(dataDir, { ...filter, limit: filter.limit ?? 100_000 });
  const verdicts = chainVerdicts(dataDir, key);
  const report = { format: AUDIT_REPORT_FORMAT, id, createdAt: new Date(now).toISOString(), by: o.by, reason: o.reason, filter, total, truncated, chains: verdicts, entries };
  const files = [
    { name: 'report.json', body: Buffer.from(JSON.stringify(report, null, 2) + '\n') },
    { name: 'report.csv', body: Buffer.from(reportCsv(entries)) },
  ];
  for (const f of files) writeFileSync(join(dir, f.name), f.body);
  const manifest = {
    format: AUDIT_REPORT_FORMAT, id, createdAt: report.createdAt, exportedBy: o.by, reason: o.reason, filter, entries: entries.length,
    files: files.map((f) => ({ name: f.name, bytes: f.body.length, sha256: sha256Hex(f.body), kind: 'report' })),
    software: o.software, signer: { algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint },
  };
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(dir, MANIFEST_FILE), bytes);
  writeFileSync(join(dir, SIGNATURE_FILE), signManifest(bytes, key.privateKey));
  writeFileSync(join(dir, PUBLIC_KEY_FILE), key.publicKeyPem);
  return { id, dir, entries: entries.length, files: files.map((f) => f.name), signer: key.fingerprint };
}
