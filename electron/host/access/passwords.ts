/**
 * Password hashes: scrypt (memory-hard) with a per-user 16-byte salt, the parameters stored with the hash so they can be
 * raised later (a sign-in with older parameters re-hashes), compared in constant time. Hashing runs on libuv's thread
 * pool (async scrypt), never on the host's main thread, which also carries the wall's frames.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams { /** log2 of N, the CPU/memory cost */ ln: number; r: number; p: number }

/** N = 2^15, r = 8, p = 1: 32 MiB and about 0.1 s per hash on the 2-core test machine. */
export const CURRENT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };
const KEY_LEN = 32;

function derive(password: string, salt: Buffer, prm: ScryptParams): Promise<Buffer> {
  const N = 2 ** prm.ln;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LEN, { N, r: prm.r, p: prm.p, maxmem: 256 * N * prm.r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$ln=15,r=8,p=1$<salt base64>$<key base64>` */
export async function hashPassword(password: string, prm: ScryptParams = CURRENT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, prm);
  return `scrypt$ln=${prm.ln},r=${prm.r},p=${prm.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string): { prm: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]{4,64})\$([A-Za-z0-9+/=]{4,128})$/.exec(stored);
  if (!m) return null;
  const prm = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (prm.ln < 10 || prm.ln > 22 || prm.r < 1 || prm.p < 1) return null;
  return { prm, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

/** False for a wrong password and for a stored value that is not a hash this module wrote (never throws on it). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = stored ? parse(stored) : null;
  if (!parsed) { await derive(password, DUMMY_SALT, CURRENT_PARAMS); return false; } // same work: no timing oracle
  const key = await derive(password, parsed.salt, parsed.prm);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** Whether a stored hash uses weaker parameters than the current ones (re-hash at the next sign-in). */
export function needsRehash(stored: string, prm: ScryptParams = CURRENT_PARAMS): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.prm.ln < prm.ln || parsed.prm.r < prm.r || parsed.prm.p < prm.p;
}

const DUMMY_SALT = randomBytes(16);

/** The same work as a real check, for a user name that does not exist (sign-in time does not tell who exists). */
export async function burnPasswordCheck(password: string): Promise<false> { await derive(password, DUMMY_SALT, CURRENT_PARAMS); return false; }
