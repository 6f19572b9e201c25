/**
 * The incident list names why an import was refused (renderer/replay/package-errors.ts); these are the refusals the
 * host's own package code makes (a signed package folder built here, then damaged in the ways an operator meets).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../electron/contract/api.js';
import { INCIDENT_PACKAGE_FORMAT } from '../../electron/contract/replay-package.js';
import { MANIFEST_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE, manifestBytes, sha256Hex, signManifest, type Manifest } from '../../electron/host/export/manifest.js';
import { loadOrCreateSigningKey } from '../../electron/host/export/signing-key.js';
import { readIncidentPackage, withPackageFolder } from '../../electron/host/replay/incident-package.js';
import { packageProblem } from '../../renderer/replay/package-errors.js';

const root = mkdtempSync(join(tmpdir(), 'kuzet-pkgerr-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A signed folder of the package format holding two data files (what verification checks; not a whole package). */
function signedFolder(name: string): string {
  const dir = join(root, name);
  const key = loadOrCreateSigningKey(join(root, 'key'));
  const files = ['journal.json', 'alarms.json'].map((n) => { const body = Buffer.from(`{"file":"${n}"}\n`); writeFileSync(join(dir, n), body, { flag: 'w' }); return { name: n, bytes: body.length, sha256: sha256Hex(body), kind: 'data' }; });
  const m = { format: INCIDENT_PACKAGE_FORMAT, id: name, files, signer: { algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint } } as unknown as Manifest;
  const bytes = manifestBytes(m);
  writeFileSync(join(dir, MANIFEST_FILE), bytes);
  writeFileSync(join(dir, SIGNATURE_FILE), signManifest(bytes, key.privateKey) + '\n');
  writeFileSync(join(dir, PUBLIC_KEY_FILE), key.publicKeyPem);
  return dir;
}

/** What the import route does with a path, reduced to the refusal's problem. */
async function problemOf(path: string): Promise<string> {
  try {
    await withPackageFolder(path, (dir) => readIncidentPackage(dir));
    return 'imported';
  } catch (err) {
    expect(err).toBeInstanceOf(ContractError);
    return packageProblem((err as ContractError).code, (err as Error).message);
  }
}

describe('package import refusals', () => {
  it('names a missing path, a file that is no package, a folder without a manifest, a file gone, a changed file', async () => {
    for (const d of ['empty', 'gone', 'edited', 'intact']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'notes.txt'), 'hello');
    writeFileSync(join(root, 'broken.tar'), 'this is not a tar archive');
    expect(await problemOf(join(root, 'nothing-here'))).toBe('notFound');
    expect(await problemOf(join(root, 'notes.txt'))).toBe('notPackage');
    expect(await problemOf(join(root, 'broken.tar'))).toBe('notPackage');
    expect(await problemOf(join(root, 'empty'))).toBe('notPackage');
    rmSync(join(signedFolder('gone'), 'alarms.json'));
    expect(await problemOf(join(root, 'gone'))).toBe('missingFile');
    writeFileSync(join(signedFolder('edited'), 'journal.json'), '{"file":"journal.jsoN"}\n');
    expect(await problemOf(join(root, 'edited'))).toBe('tampered');
    // intact, it verifies: the refusal is then about its contents (these data files are not the package's), not tampering
    expect(await problemOf(signedFolder('intact'))).toBe('notPackage');
  });

  it('sorts the other refusals', () => {
    expect(packageProblem('conflict', 'this console has an incident inc-1 already')).toBe('already');
    expect(packageProblem('forbidden', 'forbidden: viewRecordings on cam-1')).toBe('forbidden');
    expect(packageProblem('internal', 'boom')).toBe('failed');
    expect(packageProblem('invalid', 'the incident package does not verify: a.mp4 is missing; b.json: SHA-256 1… does not match the manifest (2…)')).toBe('tampered');
  });
});
