/**
 * `npm run audit:verify -- <data dir> [--key <public-key.pem>] [--json]`: verifies the data directory's audit chains
 * (read-only) against their signed checkpoints; exit 0 intact, 1 tampered (edited, truncated or rebuilt), 2 usage or
 * file error. `kuzet verify --audit` does the same.
 */
import { parseArgs } from 'node:util';
import { runAuditVerify } from './verify-command.js';

const USAGE = 'usage: audit:verify <data dir> [--key <public-key.pem>] [--json]';
let parsed;
try { parsed = parseArgs({ allowPositionals: true, options: { key: { type: 'string' }, json: { type: 'boolean' } } }); } catch (err) { process.stderr.write(`${(err as Error).message}\n${USAGE}\n`); process.exit(2); }
const dir = parsed.positionals[0];
if (!dir) { process.stderr.write(`${USAGE}\n`); process.exit(2); }
const r = runAuditVerify(dir, { keyFile: parsed.values.key });
if (parsed.values.json && r.code !== 2) process.stdout.write(JSON.stringify({ ok: r.code === 0, trust: r.trust, chains: r.verdicts }) + '\n');
else (r.code === 2 ? process.stderr : process.stdout).write(r.text + '\n');
process.exit(r.code);
