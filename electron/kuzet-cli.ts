/**
 * `kuzet verify <export-folder> [--key <public-key.pem>] [--data-dir <dir>]`
 * Checks an evidence export (signature, every file's SHA-256, nothing missing or added). The signer must
 * be the key given with --key, else this installation's export key (data dir), else only the key inside
 * the export is checked and its fingerprint printed for comparison.
 * An audit report downloaded as one file (`<id>.tar`, the auditor's screen) or an incident package archived as one
 * (`<id>.tar`) is unpacked into a temporary folder and checked the same way.
 * `kuzet verify --audit [<data-dir>] [--key <public-key.pem>]` (or a data directory instead of an export folder)
 * checks the console's audit chains against their signed checkpoints (docs/audit.md).
 * Exit 0 verified, 1 rejected, 2 usage.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPublicKey, createPrivateKey } from 'node:crypto';
import { verifyExport } from './host/export/verify-export.js';
import { KEY_FILE } from './host/export/signing-key.js';
import { MANIFEST_FILE } from './host/export/manifest.js';
import { runAuditVerify } from './host/audit/verify-command.js';
import { hasAuditChains } from './host/audit/verify-data-dir.js';
import { extractArchive } from './host/export/folder-archive.js';

const USAGE = 'usage: kuzet verify <export-folder | incident-package | report-or-package.tar> [--key <public-key.pem>] [--data-dir <dir>] [--json]\n       kuzet verify --audit [<data-dir>] [--key <public-key.pem>] [--json]';
const defaultDataDir = (given: string | undefined) => given ?? process.env.KUZET_DATA_DIR ?? join(homedir(), '.config', 'kuzet');

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { key: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' }, audit: { type: 'boolean' } } });
  } catch (err) { console.error(`${String((err as Error).message)}\n${USAGE}`); return 2; }
  const [cmd, dir] = parsed.positionals;
  if (cmd !== 'verify' || (!dir && !parsed.values.audit)) { console.error(USAGE); return 2; }
  if (parsed.values.audit || (dir && !existsSync(join(dir, MANIFEST_FILE)) && hasAuditChains(dir))) {
    const r = runAuditVerify(resolve(dir ?? defaultDataDir(parsed.values['data-dir'])), { keyFile: parsed.values.key });
    if (parsed.values.json && r.code !== 2) console.log(JSON.stringify({ ok: r.code === 0, trust: r.trust, chains: r.verdicts }));
    else if (r.code === 2) console.error(r.text);
    else console.log(r.text);
    return r.code;
  }
  if (!dir) { console.error(USAGE); return 2; }
  let trusted: string | undefined;
  let trustSource = 'the key inside the export only (not pinned)';
  if (parsed.values.key) {
    try { trusted = createPublicKey(readFileSync(parsed.values.key)).export({ type: 'spki', format: 'pem' }).toString(); trustSource = parsed.values.key; } catch (err) { console.error(`cannot read the public key ${parsed.values.key}: ${String((err as Error).message)}`); return 2; }
  } else {
    const dataDir = defaultDataDir(parsed.values['data-dir']);
    const own = join(dataDir, KEY_FILE);
    if (existsSync(own)) {
      try { trusted = createPublicKey(createPrivateKey(readFileSync(own))).export({ type: 'spki', format: 'pem' }).toString(); trustSource = `this installation's export key (${own})`; } catch { /* unreadable: fall back to the embedded key */ }
    }
  }
  // a report or an incident package as one file: unpack it (strictly: plain files in one folder) and check the folder
  let unpacked: string | null = null;
  let folder = resolve(dir);
  if (existsSync(folder) && statSync(folder).isFile()) {
    unpacked = mkdtempSync(join(tmpdir(), 'kuzet-verify-'));
    try { folder = extractArchive(folder, unpacked); } catch (err) {
      rmSync(unpacked, { recursive: true, force: true });
      console.log(`REJECTED: ${dir}\n  - ${(err as Error).message}`);
      return 1;
    }
  }
  const r = await verifyExport(folder, trusted ? { trustedPublicKeyPem: trusted } : {}).finally(() => { if (unpacked) rmSync(unpacked, { recursive: true, force: true }); });
  if (parsed.values.json) console.log(JSON.stringify({ ...r, trust: trustSource }));
  else {
    console.log(r.ok ? `VERIFIED: ${r.files} file(s), signed by ${String(r.signedBy)}` : `REJECTED: ${dir}`);
    console.log(`trust: ${trustSource}`);
    for (const p of r.problems) console.log(`  - ${p}`);
  }
  return r.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
