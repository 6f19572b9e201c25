/**
 * The audit half of `kuzet verify` and `npm run audit:verify`: verifies a data directory's audit chains with a trusted
 * public key (--key, else the data directory's own signing key) and says what it found. Exit code 0 intact (legacy
 * chains included, with a warning), 1 tampered, 2 usage or unreadable input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { KEY_FILE, keyFingerprint } from '../export/signing-key.js';
import { describeVerdict } from './chain.js';
import { hasAuditChains, verifyDataDir } from './verify-data-dir.js';
import type { AuditVerdict } from '../../contract/audit-schema.js';

export interface AuditVerifyResult { code: 0 | 1 | 2; text: string; verdicts: AuditVerdict[]; trust: string }

export function runAuditVerify(dataDir: string, opts: { keyFile?: string | undefined } = {}): AuditVerifyResult {
  const fail = (text: string): AuditVerifyResult => ({ code: 2, text, verdicts: [], trust: '' });
  if (!existsSync(dataDir) || !hasAuditChains(dataDir)) return fail(`no audit chain in ${dataDir} (expected alarms.sqlite, audit.jsonl or audit/)`);
  let publicKeyPem: string, trust: string;
  try {
    if (opts.keyFile) {
      publicKeyPem = createPublicKey(readFileSync(opts.keyFile)).export({ type: 'spki', format: 'pem' }).toString();
      trust = opts.keyFile;
    } else {
      const own = join(dataDir, KEY_FILE);
      if (!existsSync(own)) return fail(`no key to check the checkpoints with: ${own} is missing; give the console's public key with --key <public-key.pem>`);
      publicKeyPem = createPublicKey(createPrivateKey(readFileSync(own))).export({ type: 'spki', format: 'pem' }).toString();
      trust = `this installation's signing key (${own})`;
    }
  } catch (err) { return fail(`cannot read the key: ${(err as Error).message}`); }
  let verdicts: AuditVerdict[];
  try { verdicts = verifyDataDir(dataDir, { publicKeyPem, fingerprint: keyFingerprint(publicKeyPem) }); } catch (err) { return fail(`cannot read the audit chains in ${dataDir}: ${(err as Error).message}`); }
  const lines = verdicts.map((v) => (v.ok ? describeVerdict(v) : `AUDIT LOG TAMPERED: ${String(v.problem)} (${v.status})\n${describeVerdict(v)}`));
  lines.push(`trust: ${trust}`);
  return { code: verdicts.every((v) => v.ok) ? 0 : 1, text: lines.join('\n'), verdicts, trust };
}
