import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../electron/host/export/signing-key.js';
import { MANIFEST_FORMAT, manifestBytes, sha256Hex, signManifest, type Manifest } from '../../electron/host/export/manifest.js';
import { verifyExport } from '../../electron/host/export/verify-export.js';

const dir = mkdtempSync(join(tmpdir(), 'kuzet-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeExport(name: string, dataDir: string): string {
  const key = loadOrCreateSigningKey(dataDir);
  const out = join(dir, name);
  rmSync(out, { recursive: true, force: true });
  const video = Buffer.from('not really video, but bytes to hash '.repeat(100));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'cam_1.mp4'), video);
  const m: Manifest = {
    format: MANIFEST_FORMAT, id: 'export-1', createdAt: new Date(0).toISOString(), exportedBy: 'op', reason: 'why',
    range: { fromMs: 0, toMs: 1000, from: '', to: '' }, cameras: [{ id: 'cam', name: 'Cam' }],
    files: [{ name: 'cam_1.mp4', cameraId: 'cam', startMs: 0, endMs: 1000, bytes: video.length, sha256: sha256Hex(video), kind: 'original' }],
    gaps: [], reencoded: false, software: 'test', signer: { algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint },
  };
  const bytes = manifestBytes(m);
  writeFileSync(join(out, 'manifest.json'), bytes);
  writeFileSync(join(out, 'manifest.sig'), signManifest(bytes, key.privateKey));
  return out;
}

describe('signed manifest', () => {
  const dataDir = join(dir, 'data');
  it('keeps one key per data dir', () => {
    expect(loadOrCreateSigningKey(dataDir).fingerprint).toBe(loadOrCreateSigningKey(dataDir).fingerprint);
    expect(loadOrCreateSigningKey(join(dir, 'other')).fingerprint).not.toBe(loadOrCreateSigningKey(dataDir).fingerprint);
  });
  it('accepts an untouched export and rejects a changed byte, an extra file, a missing file and another signer', async () => {
    const trusted = loadOrCreateSigningKey(dataDir).publicKeyPem;
    const ex = makeExport('a', dataDir);
    expect(await verifyExport(ex, { trustedPublicKeyPem: trusted })).toMatchObject({ ok: true, files: 1 });
    const v = readFileSync(join(ex, 'cam_1.mp4'));
    v[10] = (v[10] as number) ^ 0x80;
    writeFileSync(join(ex, 'cam_1.mp4'), v);
    expect((await verifyExport(ex)).problems.join()).toMatch(/SHA-256/);
    makeExport('a', dataDir);
    appendFileSync(join(ex, 'manifest.json'), ' ');
    expect((await verifyExport(ex)).problems.join()).toMatch(/signature does not match/);
    makeExport('a', dataDir);
    writeFileSync(join(ex, 'extra.mp4'), 'x');
    expect((await verifyExport(ex)).problems.join()).toMatch(/extra.mp4 is not part/);
    makeExport('a', dataDir);
    rmSync(join(ex, 'cam_1.mp4'));
    expect((await verifyExport(ex)).problems.join()).toMatch(/missing/);
    const other = makeExport('b', join(dir, 'other'));
    expect(await verifyExport(other)).toMatchObject({ ok: true });
    expect((await verifyExport(other, { trustedPublicKeyPem: trusted })).problems.join()).toMatch(/not by the trusted key/);
    expect((await verifyExport(join(dir, 'nope'))).ok).toBe(false);
  });
});
