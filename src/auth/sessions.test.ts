/**
 * Sessions and API tokens on a real (DuckDB) store with a fake clock: only hashes stored,
 * sliding expiry with an absolute end, CSRF, logout, password reset and disable end them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type User } from '../store/index.ts';
import { Accounts } from './accounts.ts';
import { Sessions } from './sessions.ts';
import { hashSecret } from './tokens.ts';

const PW = 'Indestal Abraumhalde 7';
const cli = { actor: 'cli' };
let store: Store;
let t = Date.parse('2026-03-02T08:00:00.000Z');
const now = (): Date => new Date(t);
const hours = (n: number): void => {
  t += n * 3_600_000;
};
let accounts: Accounts;
let sessions: Sessions;
let user: User;

beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-auth-')) });
  accounts = new Accounts(store, { now });
  sessions = new Sessions(store, { now });
  await accounts.createAccount({ email: 'root@example.org', password: PW, role: 'admin' }, cli);
  user = await accounts.createAccount(
    { email: 'm@example.org', password: PW, role: 'member' },
    cli,
  );
});
afterAll(async () => {
  await store.close();
});

describe('Sessions', () => {
  it('stores only hashes and slides the 8-hour end with each request', async () => {
    const s = await sessions.createSession(user);
    expect(s.expiresAt).toBe('2026-03-02T16:00:00.000Z');
    expect(await store.getSession(s.sessionId)).toBeNull();
    const stored = await store.getSession(hashSecret(s.sessionId));
    expect(stored?.csrfTokenHash).toBe(hashSecret(s.csrfToken));
    hours(7);
    const active = await sessions.sessionUser(s.sessionId);
    expect(active?.user.email).toBe('m@example.org');
    expect(active?.session.expiresAt).toBe('2026-03-02T23:00:00.000Z');
    expect(sessions.checkCsrf(stored!, s.csrfToken)).toBe(true);
    expect(sessions.checkCsrf(stored!, s.sessionId)).toBe(false);
    expect(sessions.checkCsrf(stored!, undefined)).toBe(false);
    hours(8);
    expect(await sessions.sessionUser(s.sessionId)).toBeNull();
    expect(await store.getSession(hashSecret(s.sessionId))).toBeNull();
    expect(await sessions.sessionUser('not a session id')).toBeNull();
  });

  it('ends a busy session 7 days after the login anyway', async () => {
    const s = await sessions.createSession(user);
    for (let i = 0; i < 24; i++) {
      hours(7);
      if (i < 23) expect(await sessions.sessionUser(s.sessionId), `hour ${i * 7}`).not.toBeNull();
    }
    expect(await sessions.sessionUser(s.sessionId)).toBeNull();
  });

  it('logs out (audited) and ends all sessions on password reset and disable', async () => {
    const a = await sessions.createSession(user);
    await sessions.logout(a.sessionId, '192.0.2.1');
    expect(await sessions.sessionUser(a.sessionId)).toBeNull();
    const [out] = await store.listAudit({ action: 'logout', limit: 1 });
    expect(out).toMatchObject({ actor: 'm@example.org', ip: '192.0.2.1' });

    const b = await sessions.createSession(user);
    const c = await sessions.createSession(user);
    await accounts.resetPassword('m@example.org', 'Ein ganz neues Passwort', cli);
    expect(await sessions.sessionUser(b.sessionId)).toBeNull();
    expect(await sessions.sessionUser(c.sessionId)).toBeNull();
    const [reset] = await store.listAudit({ action: 'user.password_reset', limit: 1 });
    expect(reset?.details).toEqual({ sessionsEnded: 2 });
    expect(await accounts.authenticate('m@example.org', PW, null)).toMatchObject({ ok: false });
    expect(
      await accounts.authenticate('m@example.org', 'Ein ganz neues Passwort', null),
    ).toMatchObject({ ok: true });

    const d = await sessions.createSession(user);
    await accounts.setDisabled('m@example.org', true, cli);
    expect(await sessions.sessionUser(d.sessionId)).toBeNull();
    await accounts.setDisabled('m@example.org', false, cli);
  });
});

describe('API tokens', () => {
  it('issues a token once, finds its user by hash, and stops after revoke or disable', async () => {
    const { token, record } = await sessions.issueApiToken(user, ' Export Kita-Bericht ', cli);
    expect(token).toMatch(/^bimo_/);
    expect(record).toMatchObject({ name: 'Export Kita-Bericht', lastUsedAt: null });
    expect(JSON.stringify(await store.listAudit({ limit: 100 }))).not.toContain(token);
    expect((await sessions.tokenUser(token))?.email).toBe('m@example.org');
    expect((await sessions.listApiTokens(user.id))[0]?.lastUsedAt).toBe(now().toISOString());
    expect(await sessions.tokenUser(`${token.slice(0, -1)}x`)).toBeNull();
    expect(await sessions.tokenUser('bimo_')).toBeNull();

    await accounts.setDisabled('m@example.org', true, cli);
    expect(await sessions.tokenUser(token)).toBeNull();
    await expect(
      sessions.issueApiToken({ ...user, disabled: true }, 'x', cli),
    ).rejects.toMatchObject({ code: 'BIMO_E_FORBIDDEN' });
    await accounts.setDisabled('m@example.org', false, cli);
    expect(await sessions.tokenUser(token)).not.toBeNull();

    expect(await sessions.revokeApiToken(record.id, cli)).toBe(true);
    expect(await sessions.revokeApiToken(record.id, cli)).toBe(false);
    expect(await sessions.tokenUser(token)).toBeNull();
    const actions = (await store.listAudit({ limit: 100 })).map((e) => e.action);
    expect(actions).toContain('token.create');
    expect(actions).toContain('token.revoke');
    await expect(sessions.issueApiToken(user, '  ', cli)).rejects.toMatchObject({
      code: 'BIMO_E_BAD_REQUEST',
    });
  });
});
