/**
 * `npm run audit:verify -- <data dir>`: recomputes the alarm audit log's hash chain in <data dir>/alarms.sqlite
 * (read-only) and exits 0 when it holds, 1 naming the first bad entry, 2 on a usage or file error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyChain, type ChainedEntry } from './audit-chain.js';

export function verifyAuditFile(file: string): ReturnType<typeof verifyChain> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try { return verifyChain(db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as Iterable<ChainedEntry>); } finally { db.close(); }
}

const dir = process.argv[2];
if (!dir) { process.stderr.write('usage: audit:verify <data dir>\n'); process.exit(2); }
const file = join(dir, 'alarms.sqlite');
if (!existsSync(file)) { process.stderr.write(`no alarm store at ${file}\n`); process.exit(2); }
const r = verifyAuditFile(file);
process.stdout.write(r.ok ? `audit log intact: ${r.entries} entries\n` : `AUDIT LOG TAMPERED: ${r.problem} (entry ${r.firstBadSeq})\n`);
process.exit(r.ok ? 0 : 1);
