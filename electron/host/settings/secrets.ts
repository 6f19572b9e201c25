/**
 * Seals camera passwords at rest. The Electron shell passes a safeStorage-backed SecretBox; the
 * default one (web shell, tests) uses AES-256-GCM with a random key in `<dataDir>/secret.key` (0600).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretBox {
  /** Returns an opaque printable string; never the plain text. */
  encrypt(plain: string): string;
  /** Throws when the sealed text was not made by this box (other key, tampered). */
  decrypt(sealed: string): string;
}

const PREFIX = 'k1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class FileKeySecretBox implements SecretBox {
  private key: Buffer | undefined;
  readonly keyFile: string;

  constructor(dataDir: string) { this.keyFile = join(dataDir, 'secret.key'); }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.loadKey(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('sealed secret: unknown format');
    const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('sealed secret: too short');
    const decipher = createDecipheriv('aes-256-gcm', this.loadKey(), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('sealed secret: cannot be opened with this key (secret.key replaced or data tampered)');
    }
  }

  private loadKey(): Buffer {
    if (this.key) return this.key;
    try {
      const key = readFileSync(this.keyFile);
      if (key.length !== KEY_BYTES) throw new Error(`${this.keyFile}: expected ${KEY_BYTES} bytes, found ${key.length}`);
      this.key = key;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(join(this.keyFile, '..'), { recursive: true });
      const key = randomBytes(KEY_BYTES);
      // 'wx': if another process created the key meanwhile, fail instead of replacing it.
      writeFileSync(this.keyFile, key, { mode: 0o600, flag: 'wx' });
      chmodSync(this.keyFile, 0o600);
      this.key = key;
    }
    return this.key;
  }
}

/** The SecretBox the web shell and tests use; the Electron shell passes a safeStorage-backed one. */
export function createDefaultSecretBox(dataDir: string): SecretBox { return new FileKeySecretBox(dataDir); }
