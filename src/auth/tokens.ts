/**
 * Random secrets (session ids, CSRF tokens, API tokens) and how they are kept. Each is 32 random
 * bytes (256 bits), so a plain SHA-256 is enough to store it: unlike a password it cannot be
 * guessed, and a stolen table of hashes gives nobody a usable token.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

const SECRET_BYTES = 32;
/** base64url of 32 bytes, without padding. */
const SECRET_TEXT = /^[A-Za-z0-9_-]{43}$/;

/**
 * API tokens carry a prefix so that people and secret scanners recognise a leaked one
 * (in a log, a commit, a chat) and know where to revoke it.
 */
export const API_TOKEN_PREFIX = 'bimo_';

function secret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export const newSessionId = secret;
export const newCsrfToken = secret;

export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${secret()}`;
}

/** Row ids for users and tokens: random, so they reveal neither order nor count. */
export function newId(): string {
  return randomUUID();
}

/** Cheap shape checks first: a malformed value never costs a database lookup. */
export function isSessionId(value: string): boolean {
  return SECRET_TEXT.test(value);
}

export function isApiToken(value: string): boolean {
  return (
    value.startsWith(API_TOKEN_PREFIX) && SECRET_TEXT.test(value.slice(API_TOKEN_PREFIX.length))
  );
}

/** What the store keeps instead of the secret: SHA-256, hex. */
export function hashSecret(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Compares two strings in time independent of where they differ. Both sides are hashed first,
 * so that their lengths (which timingSafeEqual needs to be equal) leak nothing either.
 */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a, 'utf8').digest();
  const y = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(x, y);
}

/**
 * The CSRF token of a portal form (`<input name="csrf">`): an HMAC keyed with the session id.
 * The login answer's token is stored only as a hash, so a server-rendered page cannot show it;
 * this one the server derives again from the cookie of each request. Only who holds the session
 * id (an HttpOnly cookie) can compute it, and it dies with the session (docs/api-security.md).
 */
export function formCsrfToken(sessionId: string): string {
  return createHmac('sha256', sessionId).update('bimo portal form csrf v1').digest('base64url');
}
