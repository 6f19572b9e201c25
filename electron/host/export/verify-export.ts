/**
 * Checks an evidence export: the manifest's Ed25519 signature, every file's SHA-256 and size, no file
 * missing or added, and (when a trusted key is given) that the signer is that key. Used by the UI
 * check (export.verify) and by `kuzet verify <export>`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type { VerifyResult } from '../../contract/review-api.js';
import { AUDIT_REPORT_FORMAT } from '../../contract/audit-api.js';
import { INCIDENT_PACKAGE_FORMAT } from '../../contract/replay-package.js';
import { keyFingerprint } from './signing-key.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, PUBLIC_KEY_FILE, SIGNATURE_FILE, signatureValid, type Manifest } from './manifest.js';

const OWN_FILES = new Set([MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE, 'README.txt']);

export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}

export async function verifyExport(dir: string, opts: { trustedPublicKeyPem?: string } = {}): Promise<VerifyResult> {
  const problems: string[] = [];
  const fail = (p: string): VerifyResult => ({ ok: false, problems: [...problems, p], files: 0, signedBy: null });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return fail(`${dir} is not an export folder`);
  const mPath = join(dir, MANIFEST_FILE);
  const sPath = join(dir, SIGNATURE_FILE);
  if (!existsSync(mPath)) return fail(`${MANIFEST_FILE} is missing`);
  if (!existsSync(sPath)) return fail(`${SIGNATURE_FILE} is missing`);
  const bytes = readFileSync(mPath);
  let m: Manifest;
  try { m = JSON.parse(bytes.toString('utf8')) as Manifest; } catch { return fail(`${MANIFEST_FILE} is not valid JSON`); }
  if (![MANIFEST_FORMAT, AUDIT_REPORT_FORMAT, INCIDENT_PACKAGE_FORMAT].includes(m?.format as string) || !Array.isArray(m.files) || typeof m.signer?.publicKeyPem !== 'string') return fail(`${MANIFEST_FILE} is not a ${MANIFEST_FORMAT} manifest`);
  let signedBy: string | null = null;
  try { signedBy = keyFingerprint(m.signer.publicKeyPem); } catch { return fail('the signer key in the manifest is not a valid public key'); }
  if (!signatureValid(bytes, readFileSync(sPath, 'utf8'), m.signer.publicKeyPem)) problems.push('the manifest signature does not match: the manifest was changed after signing or signed by someone else');
  if (opts.trustedPublicKeyPem && keyFingerprint(opts.trustedPublicKeyPem) !== signedBy) problems.push(`signed by ${signedBy}, not by the trusted key ${keyFingerprint(opts.trustedPublicKeyPem)}`);
  const listed = new Set<string>();
  for (const f of m.files) {
    if (typeof f.name !== 'string' || basename(f.name) !== f.name || OWN_FILES.has(f.name)) { problems.push(`manifest lists an invalid file name '${String(f.name)}'`); continue; }
    listed.add(f.name);
    const p = join(dir, f.name);
    if (!existsSync(p)) { problems.push(`${f.name} is missing`); continue; }
    const size = statSync(p).size;
    if (size !== f.bytes) problems.push(`${f.name}: ${size} bytes, the manifest says ${f.bytes}`);
    const sha = await hashFile(p);
    if (sha !== f.sha256) problems.push(`${f.name}: SHA-256 ${sha.slice(0, 16)}… does not match the manifest (${String(f.sha256).slice(0, 16)}…)`);
  }
  for (const name of readdirSync(dir)) if (!listed.has(name) && !OWN_FILES.has(name)) problems.push(`${name} is not part of the signed export`);
  return { ok: problems.length === 0, problems, files: listed.size, signedBy };
}
