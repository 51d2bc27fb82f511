/** Random secrets: shape, uniqueness, what is stored (the hash) and constant-time comparison. */
import { describe, expect, it } from 'vitest';
import {
  hashSecret,
  isApiToken,
  isSessionId,
  newApiToken,
  newCsrfToken,
  newId,
  newSessionId,
  safeEqual,
} from './tokens.ts';

describe('tokens', () => {
  it('makes 256-bit base64url secrets and prefixed API tokens', () => {
    const id = newSessionId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(isSessionId(id)).toBe(true);
    expect(isSessionId(newCsrfToken())).toBe(true);
    const token = newApiToken();
    expect(token).toMatch(/^bimo_[A-Za-z0-9_-]{43}$/);
    expect(isApiToken(token)).toBe(true);
    expect(isApiToken(token.slice(5))).toBe(false);
    expect(isApiToken(`${token}x`)).toBe(false);
    expect(isApiToken('bimo_ short')).toBe(false);
    expect(isSessionId(`${id}'--`)).toBe(false);
    expect(newId()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never repeats', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newApiToken()));
    expect(seen.size).toBe(1000);
  });

  it('stores SHA-256 hex, not the secret', () => {
    const token = newApiToken();
    const h = hashSecret(token);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain(token.slice(5, 15));
    expect(hashSecret(token)).toBe(h);
    // A known vector, so the stored form cannot change unnoticed (it would log everyone out).
    expect(hashSecret('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('compares equal and unequal strings of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
