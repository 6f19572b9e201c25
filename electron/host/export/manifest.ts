/**
 * The evidence manifest: what an export holds and who made it, signed with Ed25519.
 * `manifest.json` is the exact bytes signed; `manifest.sig` is the base64 signature; the signer's
 * public key is inside the manifest (and `public-key.pem`), its fingerprint printed by verify so a
 * court can compare it with the one the site published.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const MANIFEST_FORMAT = 'kuzet-evidence/1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'public-key.pem';

/**
 * `original`: remuxed, not re-encoded (the evidence); `burn-in`: a re-encoded copy with time stamp, watermark and boxes
 * drawn in; `masked`: re-encoded with the camera's privacy masks burned in (the manifest's `masks` lists them).
 */
export interface ManifestFile { name: string; cameraId: string; startMs: number; endMs: number; bytes: number; sha256: string; kind: 'original' | 'burn-in' | 'masked' }

/** A privacy mask burned into an export's files (or, with `unmasked`, left off them). */
export interface ManifestMask { cameraId: string; id: string; kind: 'liftable' | 'permanent'; polygon: Array<{ x: number; y: number }>; version: string }

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  id: string;
  createdAt: string;
  exportedBy: string;
  reason: string;
  range: { fromMs: number; toMs: number; from: string; to: string };
  cameras: Array<{ id: string; name: string }>;
  files: ManifestFile[];
  /** Stretches of the range with no footage, per camera (camera down, recording off, damaged segment). */
  gaps: Array<{ cameraId: string; startMs: number; endMs: number }>;
  /** False: every file is the camera's own compressed stream, remuxed. True: burned-in copies (kind `burn-in`) are included. */
  reencoded: boolean;
  burnIn?: { timestamp: boolean; watermark: string; overlays: boolean };
  /** Privacy masks burned into the files of kind `masked` and `burn-in` (issue 12 §3); absent when no camera has masks. */
  masks?: ManifestMask[];
  /** Exported without the masks (the right exportUnmasked): `masks` then lists what was left off. */
  unmasked?: boolean;
  software: string;
  signer: { algorithm: 'Ed25519'; publicKeyPem: string; fingerprint: string };
}

export function sha256Hex(data: Buffer | string): string { return createHash('sha256').update(data).digest('hex'); }

/** The bytes written as manifest.json (stable key order, as built). */
export function manifestBytes(m: Manifest): Buffer { return Buffer.from(JSON.stringify(m, null, 2) + '\n'); }

export function signManifest(bytes: Buffer, key: KeyObject): string { return sign(null, bytes, key).toString('base64'); }

export function signatureValid(bytes: Buffer, signatureB64: string, publicKeyPem: string): boolean {
  try { return verify(null, bytes, createPublicKey(publicKeyPem), Buffer.from(signatureB64.trim(), 'base64')); } catch { return false; }
}
