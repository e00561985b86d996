import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';

const KEY_LENGTH = 64;
/** Today's cost; stored with every hash so it can be raised without breaking old ones. */
const CURRENT = { N: 2 ** 17, r: 8, p: 1 } as const;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

function scrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; allow twice that so raised costs still run.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** "scrypt$N=131072,r=8,p=1$<salt>$<hash>": a fresh 16-byte salt per call. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, CURRENT);
  return `scrypt$N=${CURRENT.N},r=${CURRENT.r},p=${CURRENT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when the password matches the stored hash (constant-time compare). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = stored ? parseHash(stored) : null;
  if (!parsed) {
    // Same work for unknown accounts, so timing does not tell which emails exist.
    await scrypt(password, randomBytes(16), CURRENT);
    return false;
  }
  const key = await scrypt(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

function parseHash(stored: string) {
  const m = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return null;
  return {
    params: { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) },
    salt: Buffer.from(m[4] ?? '', 'base64'),
    key: Buffer.from(m[5] ?? '', 'base64'),
  };
}

// About 49,000 of the most common passwords (zxcvbn-ts's maintained list).
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/**
 * What is wrong with a new password, or null: length 12 to 256 characters (never
 * truncated), not the account's email, not a commonly used password.
 * No composition rules (NIST SP 800-63B).
 */
export function passwordProblem(password: string, email: string | null): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Password must be at least ${PASSWORD_MIN} characters long.`;
  if (length > PASSWORD_MAX) return `Password must be ${PASSWORD_MAX} characters or fewer.`;
  const lower = password.toLowerCase();
  if (email && lower === email.toLowerCase()) return 'Password must not be your email address.';
  if (COMMON.has(lower)) return 'That password is on a list of commonly used passwords. Choose another one.';
  return null;
}
