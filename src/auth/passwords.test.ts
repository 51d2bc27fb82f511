/** Password hashing (round trip, wrong and tampered input) and the documented policy. */
import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  PASSWORD_MIN_LENGTH,
  verifyPassword,
} from './passwords.ts';

const GOOD = 'Rur-Ufer bei Düren 2026';

describe('hashPassword / verifyPassword', () => {
  it('round-trips and salts: the same password gives different strings', async () => {
    const a = await hashPassword(GOOD);
    const b = await hashPassword(GOOD);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(GOOD);
    expect(await verifyPassword(GOOD, a)).toBe(true);
    expect(await verifyPassword(GOOD, b)).toBe(true);
    expect(needsRehash(a)).toBe(false);
  });

  it('refuses a wrong password, also one differing only in case or a trailing blank', async () => {
    const h = await hashPassword(GOOD);
    expect(await verifyPassword('Rur-Ufer bei Düren 2025', h)).toBe(false);
    expect(await verifyPassword(GOOD.toLowerCase(), h)).toBe(false);
    expect(await verifyPassword(`${GOOD} `, h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('treats the composed and decomposed forms of ü as the same password', async () => {
    const composed = 'Grüne Wiese am Kanal';
    const h = await hashPassword(composed);
    expect(await verifyPassword(composed.normalize('NFD'), h)).toBe(true);
  });

  it('answers false (never throws, never hangs) for tampered or malformed strings', async () => {
    const h = await hashPassword(GOOD);
    const parts = h.split('$');
    const swap = (i: number, v: string): string => parts.map((p, j) => (j === i ? v : p)).join('$');
    // The first character carries six key bits (the last one partly only padding bits).
    const flipFirst = (v = ''): string => `${v.startsWith('A') ? 'B' : 'A'}${v.slice(1)}`;
    const tampered = [
      swap(5, flipFirst(parts[5])), // the key
      swap(4, flipFirst(parts[4])), // the salt
      swap(1, '16384'), // weaker N: another key
      swap(1, String(2 ** 30)), // a gigabyte of memory: refused before scrypt runs
      swap(1, '30000'), // not a power of two
      swap(2, '1000'), // r out of bounds
      swap(5, '!!notbase64!!'),
      swap(5, 'c2hvcnQ'), // key too short
      swap(0, 'bcrypt'),
      parts.slice(0, 5).join('$'),
      `${h}$extra`,
      '',
      'plain text',
    ];
    for (const t of tampered) expect(await verifyPassword(GOOD, t), t).toBe(false);
    expect(needsRehash(swap(1, '16384'))).toBe(true);
    expect(needsRehash('garbage')).toBe(true);
  });
});

describe('checkPasswordPolicy', () => {
  const email = 'anna.schmidt@kreis-dueren.de';

  it('accepts a long phrase', () => {
    expect(checkPasswordPolicy(GOOD, email)).toEqual({ ok: true });
    expect(checkPasswordPolicy('x'.repeat(11) + 'y', email)).toEqual({ ok: true });
  });

  it.each([
    ['kurz1234567', 'too_short'],
    ['ü'.repeat(PASSWORD_MIN_LENGTH - 1), 'too_short'],
    ['x'.repeat(1025), 'too_long'],
    ['Passwort1234', 'common'],
    ['QWERTZUIOP12', 'common'],
    ['aaaaaaaaaaaaaaa', 'common'],
    ['Anna.Schmidt@Kreis-Dueren.de', 'equals_email'],
    ['anna.schmidt', 'equals_email'],
  ])('refuses %j (%s) with a German/English message', (pw, problem) => {
    const r = checkPasswordPolicy(pw, email);
    expect(r).toMatchObject({ ok: false, problem });
    if (!r.ok) {
      expect(r.message).toMatch(/Passwort/);
      expect(r.message).toMatch(/password/);
      expect(r.message).not.toContain(pw);
    }
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(checkPasswordPolicy('äöüßäöüßäöüß', email)).toEqual({ ok: true });
    expect(checkPasswordPolicy('😀'.repeat(6), email)).toMatchObject({ problem: 'too_short' });
  });
});
