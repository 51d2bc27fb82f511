/**
 * Logins on a real (DuckDB) store with a fake clock: lockout per account, the limit per IP,
 * the audit trail of each, and account changes. No waiting: the clock is moved by hand.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.ts';
import { Accounts } from './accounts.ts';
import { loginError } from './login.ts';

const PW = 'Rurtalsperre im Nebel';
const cli = { actor: 'cli' };
let store: Store;
let t = Date.parse('2026-03-02T08:00:00.000Z');
const now = (): Date => new Date(t);
const minutes = (n: number): void => {
  t += n * 60_000;
};

beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-auth-')) });
});
afterAll(async () => {
  await store.close();
});

describe('Accounts', () => {
  const accounts = (): Accounts => new Accounts(store, { now });

  it('creates an admin with a normalised email and refuses duplicates and weak passwords', async () => {
    const a = accounts();
    const admin = await a.createAccount(
      { email: ' Admin@Kreis-Dueren.de ', password: PW, role: 'admin', name: 'Ada' },
      cli,
    );
    expect(admin).toMatchObject({ email: 'admin@kreis-dueren.de', role: 'admin', regions: [] });
    await expect(
      a.createAccount({ email: 'ADMIN@kreis-dueren.de', password: PW, role: 'member' }, cli),
    ).rejects.toMatchObject({ code: 'BIMO_E_CONFLICT' });
    await expect(
      a.createAccount({ email: 'm@kreis-dueren.de', password: 'kurz', role: 'member' }, cli),
    ).rejects.toMatchObject({ code: 'BIMO_E_PASSWORD_POLICY' });
    await expect(
      a.createAccount({ email: 'not an email', password: PW, role: 'member' }, cli),
    ).rejects.toMatchObject({ code: 'BIMO_E_BAD_REQUEST' });
    await expect(
      a.createAccount({ email: 'e@kreis-dueren.de', password: PW, role: 'editor' }, cli),
    ).rejects.toMatchObject({ code: 'BIMO_E_BAD_REQUEST', details: { field: 'regions' } });
    const [created] = await store.listAudit({ action: 'user.create', limit: 10 });
    expect(created).toMatchObject({ actor: 'cli', target: 'admin@kreis-dueren.de', outcome: 'ok' });
  });

  it('locks an account after 5 failed logins for 15 minutes, then counts afresh', async () => {
    const a = accounts();
    const email = 'admin@kreis-dueren.de';
    for (let i = 1; i <= 4; i++) {
      expect(await a.authenticate(email, `wrong password ${i}`, `192.0.2.${i}`)).toEqual({
        ok: false,
        reason: 'wrong_password',
      });
      expect((await a.findByEmail(email))?.failedLogins).toBe(i);
    }
    await a.authenticate(email, 'wrong password 5', '192.0.2.5');
    const locked = await a.findByEmail(email);
    expect(locked?.lockedUntil).toBe('2026-03-02T08:15:00.000Z');
    const [lockEvent] = await store.listAudit({ action: 'login.locked', limit: 1 });
    expect(lockEvent).toMatchObject({ target: email, outcome: 'denied', ip: '192.0.2.5' });

    // Even the right password is refused while locked, and tells the client nothing more.
    minutes(14);
    const refused = await a.authenticate(email, PW, '192.0.2.6');
    expect(refused).toMatchObject({ ok: false, reason: 'locked', retryAfterSeconds: 60 });
    if (!refused.ok) expect(loginError(refused).code).toBe('BIMO_E_UNAUTHENTICATED');

    minutes(1);
    expect(await a.authenticate(email, 'one more slip', '192.0.2.7')).toMatchObject({
      reason: 'wrong_password',
    });
    expect(await a.findByEmail(email)).toMatchObject({ failedLogins: 1, lockedUntil: null });
    const ok = await a.authenticate(email.toUpperCase(), PW, '192.0.2.7');
    expect(ok).toMatchObject({ ok: true, user: { email, failedLogins: 0, lockedUntil: null } });
    const [last] = await store.listAudit({ actor: email, limit: 1 });
    expect(last).toMatchObject({ action: 'login.ok', outcome: 'ok', ip: '192.0.2.7' });
  });

  it('takes other limits when configured', async () => {
    const a = new Accounts(store, { now, maxFailedLogins: 2, lockMinutes: 1 });
    await a.createAccount({ email: 'm2@kreis-dueren.de', password: PW, role: 'member' }, cli);
    await a.authenticate('m2@kreis-dueren.de', 'wrong wrong wrong', '198.51.100.1');
    await a.authenticate('m2@kreis-dueren.de', 'wrong wrong wrong', '198.51.100.1');
    expect((await a.findByEmail('m2@kreis-dueren.de'))?.lockedUntil).toBe(
      new Date(t + 60_000).toISOString(),
    );
    expect(a.refusalError({ ok: false, reason: 'locked' }).fix).toContain('after 2 failed logins');
  });

  it('refuses an address after 10 failures in 5 minutes, whatever the account', async () => {
    const a = accounts();
    const ip = '203.0.113.9';
    for (let i = 0; i < 10; i++) {
      expect(await a.authenticate(`guess${i}@example.org`, 'Sommer2026!!', ip)).toMatchObject({
        reason: 'unknown_account',
      });
      minutes(0.25);
    }
    // Now 2.5 minutes after the first failure: the right password does not help either.
    const blocked = await a.authenticate('admin@kreis-dueren.de', PW, ip);
    expect(blocked).toEqual({ ok: false, reason: 'rate_limited', retryAfterSeconds: 150 });
    if (!blocked.ok) expect(loginError(blocked).code).toBe('BIMO_E_RATE_LIMITED');
    await a.authenticate('admin@kreis-dueren.de', PW, ip);
    // Another address is not affected; the blocked attempts did not count on the account.
    expect(await a.authenticate('admin@kreis-dueren.de', PW, '203.0.113.10')).toMatchObject({
      ok: true,
    });
    const limited = await store.listAudit({ action: 'login.rate_limited', limit: 10 });
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ target: ip, outcome: 'denied' });
    minutes(2.5);
    expect(await a.authenticate('admin@kreis-dueren.de', PW, ip)).toMatchObject({ ok: true });
  });

  it('records a stranger as (unknown), never what they typed', async () => {
    const a = accounts();
    await a.authenticate('Geheim-Passwort-im-Feld', 'x', '192.0.2.50');
    const [e] = await store.listAudit({ action: 'login.failed', limit: 1 });
    expect(e).toMatchObject({ actor: '(unknown)', target: '(unknown)', outcome: 'failed' });
    expect(e?.details).toEqual({ reason: 'unknown_account' });
    const all = JSON.stringify(await store.listAudit({ limit: 1000 }));
    expect(all).not.toContain('Geheim-Passwort');
    expect(all).not.toContain('Sommer2026');
    expect(all).not.toContain(PW);
  });

  it('disables (refusing logins alike), enables (unlocking) and keeps one admin', async () => {
    const a = accounts();
    await expect(a.setDisabled('admin@kreis-dueren.de', true, cli)).rejects.toMatchObject({
      code: 'BIMO_E_CONFLICT',
    });
    await expect(
      a.updateAccount('admin@kreis-dueren.de', { role: 'member' }, cli),
    ).rejects.toMatchObject({ code: 'BIMO_E_CONFLICT' });
    await a.setDisabled('m2@kreis-dueren.de', true, cli);
    expect(await a.authenticate('m2@kreis-dueren.de', PW, '192.0.2.60')).toEqual({
      ok: false,
      reason: 'disabled',
    });
    const enabled = await a.setDisabled('M2@kreis-dueren.de', false, cli);
    expect(enabled).toMatchObject({ disabled: false, failedLogins: 0, lockedUntil: null });
    expect(await a.authenticate('m2@kreis-dueren.de', PW, '192.0.2.60')).toMatchObject({
      ok: true,
    });
    await expect(a.setDisabled('nobody@example.org', true, cli)).rejects.toMatchObject({
      code: 'BIMO_E_NOT_FOUND',
    });
    const actions = (await store.listAudit({ actor: 'cli', limit: 5 })).map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['user.enable', 'user.disable']);
  });
});
