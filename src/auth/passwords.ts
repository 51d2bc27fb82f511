/**
 * Password hashing and the password policy. scrypt (memory-hard, in node:crypto, no native
 * add-on) with N=2^15, r=8, p=1: about 32 MiB and 50–100 ms per hash, which makes guessing a
 * stolen hash expensive while a login stays quick. Stored as
 * `scrypt$N$r$p$salt_b64$hash_b64`, so the parameters can be raised later without breaking
 * existing hashes (`needsRehash`).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SCRYPT_N = 2 ** 15;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/**
 * A stored string is data from the database: a tampered one must not make us allocate gigabytes
 * or spin for minutes, so its parameters are bounded before scrypt sees them.
 */
const MAX_MEMORY = 64 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function scryptAsync(password: string, salt: Buffer, keylen: number, o: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keylen, o, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** scrypt needs 128·N·r bytes; Node refuses at exactly its default limit, so allow twice that. */
function options(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 2 * 128 * N * r };
}

/**
 * Passwords typed on different systems may arrive in different Unicode forms (é as one or two
 * code points); NFC makes them the same bytes.
 */
const normalise = (password: string): string => password.normalize('NFC');

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(
    normalise(password),
    salt,
    KEY_BYTES,
    options(SCRYPT_N, SCRYPT_R, SCRYPT_P),
  );
  return ['scrypt', SCRYPT_N, SCRYPT_R, SCRYPT_P, salt.toString('base64'), key.toString('base64')]
    .join('$')
    .replace(/=/g, '');
}

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(encoded: string): Parsed | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((v) => /^[1-9]\d{0,7}$/.test(v))) return null;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  const powerOfTwo = (N & (N - 1)) === 0;
  if (!powerOfTwo || N < 2 ** 14 || R > 32 || P > 4 || 128 * N * R > MAX_MEMORY) return null;
  if (!BASE64.test(salt) || !BASE64.test(key)) return null;
  const saltBytes = Buffer.from(salt, 'base64');
  const keyBytes = Buffer.from(key, 'base64');
  if (saltBytes.length < 16 || saltBytes.length > 64) return null;
  if (keyBytes.length < 32 || keyBytes.length > 64) return null;
  return { N, r: R, p: P, salt: saltBytes, key: keyBytes };
}

/** False for a wrong password and for any malformed or tampered stored string (never throws). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const h = parse(encoded);
  if (!h) return false;
  try {
    const key = await scryptAsync(
      normalise(password),
      h.salt,
      h.key.length,
      options(h.N, h.r, h.p),
    );
    return timingSafeEqual(key, h.key);
  } catch {
    return false;
  }
}

/** True when a stored hash uses weaker parameters than today's (rehash after the next login). */
export function needsRehash(encoded: string): boolean {
  const h = parse(encoded);
  return !h || h.N < SCRYPT_N || h.r < SCRYPT_R || h.key.length < KEY_BYTES;
}

// ── Policy ──────────────────────────────────────────────────────────────────────────────────

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase; bounded so nobody can make us hash megabytes. */
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * Common passwords of at least 12 characters (shorter ones fail the length rule anyway), from
 * published leak top lists and the obvious local choices. Compared case-insensitively.
 */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789abc',
  'abcdefghijkl',
  'abc123456789',
  'qwertyuiop12',
  'qwertzuiop12',
  'qwertyuiopas',
  'qwertzuiopas',
  'password1234',
  'password123!',
  'passwordpassword',
  'passwort1234',
  'passwort123!',
  'passwortpasswort',
  'iloveyou1234',
  'ichliebedich',
  'ichliebedich1',
  'hallohallo12',
  'willkommen12',
  'willkommen123',
  'geheimgeheim',
  'changeme1234',
  'letmein12345',
  'administrator',
  'administrator1',
  'admin1234567',
  'adminadmin12',
  'superuser123',
  'sommer202020',
  'bildungsmonitoring',
  'bildungsmonitoring1',
  'bimo12345678',
  'bimobimobimo',
]);

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'equals_email';

export type PolicyResult =
  { ok: true } | { ok: false; problem: PasswordProblem; /** German / English. */ message: string };

const MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Das Passwort ist zu kurz: mindestens ${PASSWORD_MIN_LENGTH} Zeichen. / The password is too short: at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Das Passwort ist zu lang: höchstens ${PASSWORD_MAX_LENGTH} Zeichen. / The password is too long: at most ${PASSWORD_MAX_LENGTH} characters.`,
  common:
    'Das Passwort ist zu verbreitet oder besteht aus einem einzigen Zeichen; ein Satz aus mehreren Wörtern ist sicherer. / The password is too common or one repeated character; a phrase of several words is safer.',
  equals_email:
    'Das Passwort darf nicht die E-Mail-Adresse (oder ihr Teil vor dem @) sein. / The password must not be the email address (or its part before the @).',
};

/**
 * The whole policy (docs/accounts.md): 12 to 1024 characters, not a common password or one
 * repeated character, not the email or its local part. No rules about character classes: they
 * make passwords harder to remember, not harder to guess (NIST SP 800-63B).
 */
export function checkPasswordPolicy(password: string, email: string): PolicyResult {
  const length = [...normalise(password)].length;
  const lower = password.toLowerCase();
  const mail = email.trim().toLowerCase();
  const problem: PasswordProblem | null =
    length < PASSWORD_MIN_LENGTH
      ? 'too_short'
      : length > PASSWORD_MAX_LENGTH
        ? 'too_long'
        : COMMON.has(lower) || /^(.)\1*$/u.test(password)
          ? 'common'
          : mail !== '' && (lower === mail || lower === mail.split('@')[0])
            ? 'equals_email'
            : null;
  return problem === null ? { ok: true } : { ok: false, problem, message: MESSAGES[problem] };
}
