/**
 * Signing in over HTTP, in-process on the demo store with accounts made through `Accounts`
 * (admin, editor for 05358, member): the session cookie and its flags, one answer for every
 * refused login, lockout and the per-address limit, CSRF on cookie writes, API tokens, logout,
 * the admin-only routes, the audit trail and the security and caching headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';

const PW = 'Rur und Inde bei Jülich';
const ADMIN = 'anna.schmidt@kreis-dueren.de';
const EDITOR = 'm.weber@kreis-dueren.de';
const MEMBER = 'lenkungskreis@kreis-dueren.de';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

let deps: AppDeps;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  const base = await buildDemoStore();
  const accounts = new Accounts(base.store);
  deps = { ...base, accounts, sessions: new Sessions(base.store), trustProxy: true };
  const ctx = { actor: 'cli:test' };
  await accounts.createAccount({ email: ADMIN, password: PW, role: 'admin' }, ctx);
  await accounts.createAccount(
    { email: EDITOR, password: PW, role: 'editor', regions: ['05358'] },
    ctx,
    base.regions,
  );
  await accounts.createAccount({ email: MEMBER, password: PW, role: 'member' }, ctx);
  await accounts.createAccount(
    { email: 'locked@kreis-dueren.de', password: PW, role: 'member' },
    ctx,
  );
  app = createApp(deps, mountWeb);
});
afterAll(async () => {
  await deps.store.close();
});

interface Login {
  res: Response;
  cookie: string;
  csrf: string;
  setCookie: string;
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.1', ...headers },
    body: JSON.stringify(body),
  });
}

async function login(email: string, password = PW, ip = '198.51.100.1'): Promise<Login> {
  const res = await post('/api/v1/auth/login', { email, password }, { 'X-Forwarded-For': ip });
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = /^(bimo_session=[^;]+)/.exec(setCookie)?.[1] ?? '';
  const body = res.status === 200 ? ((await res.clone().json()) as { csrf_token: string }) : null;
  return { res, cookie, csrf: body?.csrf_token ?? '', setCookie };
}

async function errorOf(res: Response): Promise<{ code: string; message: string; fix: string }> {
  return ((await res.json()) as { error: { code: string; message: string; fix: string } }).error;
}

describe('login', () => {
  it('sets an HttpOnly SameSite=Lax session cookie and returns the user and the CSRF token', async () => {
    const { res, setCookie, csrf } = await login(EDITOR);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.user).toEqual({ email: EDITOR, name: '', role: 'editor', regions: ['05358'] });
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookie).toMatch(/^bimo_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain(`Max-Age=${7 * 24 * 3600}`);
    expect(setCookie).not.toContain('Secure'); // plain http in-process
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Neither secret is kept in clear text: the session row holds hashes only.
    expect(JSON.stringify(await deps.store.listAudit({ limit: 100 }))).not.toContain(csrf);
  });

  it('marks the cookie Secure over https and behind a trusted proxy only', async () => {
    const direct = await app.request('https://bimo.example/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.2' },
      body: JSON.stringify({ email: MEMBER, password: PW }),
    });
    expect(direct.headers.get('set-cookie')).toContain('Secure');
    const proxied = await login(MEMBER, PW, '198.51.100.2');
    expect(proxied.setCookie).not.toContain('Secure');
    const viaProxy = await post(
      '/api/v1/auth/login',
      { email: MEMBER, password: PW },
      { 'X-Forwarded-Proto': 'https' },
    );
    expect(viaProxy.headers.get('set-cookie')).toContain('Secure');
    const untrusted = createApp({ ...deps, trustProxy: false });
    const spoofed = await untrusted.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' },
      body: JSON.stringify({ email: MEMBER, password: PW }),
    });
    expect(spoofed.status).toBe(200);
    expect(spoofed.headers.get('set-cookie')).not.toContain('Secure');
  });

  it('answers a wrong password exactly like an unknown email: 401, one message', async () => {
    const wrong = await login(ADMIN, 'not the password at all', '198.51.100.3');
    const unknown = await login('nobody@kreis-dueren.de', PW, '198.51.100.3');
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(wrong.setCookie).toBe('');
    const a = await wrong.res.json();
    expect(await unknown.res.json()).toEqual(a);
    expect(a).toMatchObject({ error: { code: 'BIMO_E_UNAUTHENTICATED' } });
    expect(JSON.stringify(a)).not.toContain('nobody');
  });

  it('locks an account after 5 failures; then even the right password gets the same 401', async () => {
    const email = 'locked@kreis-dueren.de';
    const first = await login(email, 'wrong password one', '198.51.100.4');
    const generic = await first.res.json();
    for (let i = 2; i <= 5; i++) await login(email, `wrong password ${i}`, '198.51.100.4');
    const locked = await login(email, PW, '198.51.100.4');
    // Locked looks like wrong (docs/accounts.md, docs/errors.md): a 429 or a Retry-After here
    // would tell a stranger that the email has an account.
    expect(locked.res.status).toBe(401);
    expect(locked.res.headers.get('retry-after')).toBeNull();
    expect(await locked.res.json()).toEqual(generic);
    const audit = await deps.store.listAudit({ actor: email, limit: 20 });
    expect(audit.map((e) => e.action)).toContain('login.locked');
    expect(audit[0]).toMatchObject({
      action: 'login.failed',
      outcome: 'denied',
      details: { reason: 'locked' },
    });
  });

  it('refuses an address after 10 failures with 429 and Retry-After', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await login(`probe${i}@kreis-dueren.de`, 'guessing a password', '203.0.113.9');
      expect(r.res.status).toBe(401);
    }
    const limited = await login(MEMBER, PW, '203.0.113.9');
    expect(limited.res.status).toBe(429);
    const retry = Number(limited.res.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(300);
    expect(await errorOf(limited.res)).toMatchObject({ code: 'BIMO_E_RATE_LIMITED' });
    // Other addresses are not affected.
    expect((await login(MEMBER, PW, '203.0.113.10')).res.status).toBe(200);
  });

  it('takes JSON only, with a small body limit', async () => {
    const form = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `email=${encodeURIComponent(MEMBER)}&password=${encodeURIComponent(PW)}`,
    });
    expect(form.status).toBe(400);
    expect((await errorOf(form)).fix).toContain('application/json');
    const huge = await post('/api/v1/auth/login', { email: MEMBER, password: 'x'.repeat(40_000) });
    expect(huge.status).toBe(413);
    const extra = await post('/api/v1/auth/login', { email: MEMBER, password: PW, role: 'admin' });
    expect(extra.status).toBe(400);
    const bad = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"email":',
    });
    expect(bad.status).toBe(400);
  });
});

describe('sessions, CSRF and tokens', () => {
  it('refuses a cookie write without the CSRF token (403, with the fix) and records it', async () => {
    const s = await login(MEMBER);
    const none = await post('/api/v1/auth/tokens', { name: 'Export' }, { Cookie: s.cookie });
    expect(none.status).toBe(403);
    const err = await errorOf(none);
    expect(err.code).toBe('BIMO_E_FORBIDDEN');
    expect(err.fix).toContain('X-CSRF-Token');
    const wrong = await post(
      '/api/v1/auth/tokens',
      { name: 'Export' },
      { Cookie: s.cookie, 'X-CSRF-Token': 'A'.repeat(43) },
    );
    expect(wrong.status).toBe(403);
    const right = await post(
      '/api/v1/auth/tokens',
      { name: 'Export' },
      { Cookie: s.cookie, 'X-CSRF-Token': s.csrf },
    );
    expect(right.status).toBe(201);
    const denied = await deps.store.listAudit({ actor: MEMBER, action: 'access.denied', limit: 5 });
    expect(denied[0]).toMatchObject({ outcome: 'denied', details: { decision: 'csrf' } });
    // Reads need no token.
    expect((await app.request('/api/v1/auth/me', { headers: { Cookie: s.cookie } })).status).toBe(
      200,
    );
  });

  it('authenticates API tokens without CSRF; a token cannot mint tokens; revoked ones stop', async () => {
    const s = await login(ADMIN);
    const created = await post(
      '/api/v1/auth/tokens',
      { name: 'Skript Nachtlauf' },
      { Cookie: s.cookie, 'X-CSRF-Token': s.csrf },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { data } = (await created.json()) as { data: { id: string; token: string } };
    expect(data.token).toMatch(/^bimo_[A-Za-z0-9_-]{43}$/);
    const bearer = { Authorization: `Bearer ${data.token}` };

    const me = await app.request('/api/v1/auth/me', { headers: bearer });
    expect(await me.json()).toMatchObject({ user: { email: ADMIN, role: 'admin' }, via: 'token' });
    // A write by token needs no CSRF header.
    const patch = await app.request(`/api/v1/users/${MEMBER}`, {
      method: 'PATCH',
      headers: { ...bearer, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Lenkungskreis Revier' }),
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ data: { name: 'Lenkungskreis Revier' } });
    const mint = await post('/api/v1/auth/tokens', { name: 'more' }, bearer);
    expect(mint.status).toBe(403);

    // The listing shows the token without its secret.
    const list = await app.request('/api/v1/auth/tokens', { headers: { Cookie: s.cookie } });
    const listed = JSON.stringify(await list.json());
    expect(listed).toContain(data.id);
    expect(listed).not.toContain(data.token);

    const revoke = await app.request(`/api/v1/auth/tokens/${data.id}`, {
      method: 'DELETE',
      headers: bearer,
    });
    expect(revoke.status).toBe(204);
    const after = await app.request('/api/v1/auth/me', { headers: bearer });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer realm="bimo"');
    const junk = await app.request('/api/v1/indicators', {
      headers: { Authorization: 'Bearer nonsense' },
    });
    expect(junk.status).toBe(401);
  });

  it('does not let a member revoke another account’s token', async () => {
    const admin = await login(ADMIN);
    const t = await post(
      '/api/v1/auth/tokens',
      { name: 'Admin-Token' },
      { Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf },
    );
    const { data } = (await t.json()) as { data: { id: string } };
    const member = await login(MEMBER);
    const res = await app.request(`/api/v1/auth/tokens/${data.id}`, {
      method: 'DELETE',
      headers: { Cookie: member.cookie, 'X-CSRF-Token': member.csrf },
    });
    expect(res.status).toBe(404);
    const denied = await deps.store.listAudit({ actor: MEMBER, action: 'access.denied', limit: 1 });
    expect(denied[0]).toMatchObject({ target: data.id, details: { decision: 'revokeToken' } });
  });

  it('ends the session at logout and clears the cookie', async () => {
    const s = await login(EDITOR);
    const me = await app.request('/api/v1/auth/me', { headers: { Cookie: s.cookie } });
    expect(me.status).toBe(200);
    const noCsrf = await app.request('/api/v1/auth/logout', {
      method: 'POST',
      headers: { Cookie: s.cookie },
    });
    expect(noCsrf.status).toBe(403);
    const out = await app.request('/api/v1/auth/logout', {
      method: 'POST',
      headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^bimo_session=; Max-Age=0;/);
    const again = await app.request('/api/v1/auth/me', { headers: { Cookie: s.cookie } });
    expect(again.status).toBe(401);
    // The dead cookie is cleared, and the request is simply anonymous.
    expect(again.headers.get('set-cookie')).toMatch(/^bimo_session=; Max-Age=0;/);
    const audit = await deps.store.listAudit({ actor: EDITOR, action: 'logout', limit: 1 });
    expect(audit).toHaveLength(1);
  });

  it('a disabled account loses its sessions at once', async () => {
    const admin = await login(ADMIN);
    const created = await post(
      '/api/v1/users',
      { email: 'kurzzeit@kreis-dueren.de', password: PW, role: 'member', name: 'Kurz' },
      { Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf },
    );
    expect(created.status).toBe(201);
    const s = await login('kurzzeit@kreis-dueren.de');
    expect(s.res.status).toBe(200);
    const off = await app.request('/api/v1/users/kurzzeit@kreis-dueren.de', {
      method: 'PATCH',
      headers: {
        Cookie: admin.cookie,
        'X-CSRF-Token': admin.csrf,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ disabled: true }),
    });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ data: { disabled: true } });
    const me = await app.request('/api/v1/auth/me', { headers: { Cookie: s.cookie } });
    expect(me.status).toBe(401);
  });
});

describe('admin-only routes and the audit log', () => {
  it('lists accounts to admins only, without any password hash', async () => {
    const admin = await login(ADMIN);
    const member = await login(MEMBER);
    const editor = await login(EDITOR);
    expect((await app.request('/api/v1/users')).status).toBe(401);
    expect(
      (await app.request('/api/v1/users', { headers: { Cookie: member.cookie } })).status,
    ).toBe(403);
    expect(
      (await app.request('/api/v1/users', { headers: { Cookie: editor.cookie } })).status,
    ).toBe(403);
    const ok = await app.request('/api/v1/users', { headers: { Cookie: admin.cookie } });
    expect(ok.status).toBe(200);
    const text = await ok.text();
    expect(text).toContain(EDITOR);
    expect(text).not.toMatch(/scrypt|password|hash/i);
    const create = await post(
      '/api/v1/users',
      { email: 'neu@kreis-dueren.de', password: PW, role: 'editor', regions: ['05358'] },
      { Cookie: editor.cookie, 'X-CSRF-Token': editor.csrf },
    );
    expect(create.status).toBe(403);
  });

  it('shows the audit log to admins only, with logins, failures and refusals', async () => {
    const member = await login(MEMBER);
    const res = await app.request('/api/v1/audit', { headers: { Cookie: member.cookie } });
    expect(res.status).toBe(403);
    expect((await app.request('/api/v1/audit')).status).toBe(401);
    const admin = await login(ADMIN);
    const get = async (q: string) => {
      const r = await app.request(`/api/v1/audit?${q}`, { headers: { Cookie: admin.cookie } });
      expect(r.status).toBe(200);
      return ((await r.json()) as { data: { actor: string; action: string; outcome: string }[] })
        .data;
    };
    expect((await get('action=login.ok&limit=5')).length).toBe(5);
    const failed = await get('action=login.failed');
    expect(failed.some((e) => e.actor === '(unknown)' && e.outcome === 'failed')).toBe(true);
    expect(failed.some((e) => e.actor === ADMIN)).toBe(true);
    const denied = await get(`action=access.denied&actor=${encodeURIComponent(MEMBER)}`);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((e) => e.outcome === 'denied')).toBe(true);
    expect(denied.map((e) => (e as unknown as { target: string }).target)).toContain('audit');
    expect((await get('since=2000-01-01&limit=1&offset=1')).length).toBe(1);
    const all = JSON.stringify(await get('limit=1000'));
    expect(all).not.toContain(PW);
    expect(all).not.toContain('not the password at all');
    const bad = await app.request('/api/v1/audit?limit=0', { headers: { Cookie: admin.cookie } });
    expect(bad.status).toBe(400);
    const badSince = await app.request('/api/v1/audit?since=yesterday', {
      headers: { Cookie: admin.cookie },
    });
    expect(badSince.status).toBe(400);
  });
});

describe('headers and audiences', () => {
  it('sends the security headers on pages, API answers, errors and 404s', async () => {
    for (const path of [
      '/',
      '/indikatoren/D6',
      '/api/v1/indicators',
      '/api/v1/nope',
      '/api/v1/users',
    ]) {
      const res = await app.request(path);
      expect(res.headers.get('content-security-policy'), path).toBe(CSP);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
    }
    const page = await (await app.request('/indikatoren/D6')).text();
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page).not.toMatch(/\sstyle="/);
  });

  it('varies answers by credentials and keeps signed-in answers private, 304s included', async () => {
    const url = '/api/v1/indicators/D6/values?region=05358&period=2023&format=csv';
    const anon = await app.request(url);
    expect(anon.headers.get('vary')).toBe('Cookie, Authorization');
    expect(anon.headers.get('cache-control')).toBe('no-cache');
    const s = await login(MEMBER);
    const mine = await app.request(url, { headers: { Cookie: s.cookie } });
    expect(mine.headers.get('vary')).toBe('Cookie, Authorization');
    expect(mine.headers.get('cache-control')).toBe('private, no-cache');
    const etag = mine.headers.get('etag') ?? '';
    const again = await app.request(url, { headers: { Cookie: s.cookie, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('vary')).toBe('Cookie, Authorization');
    expect(again.headers.get('cache-control')).toBe('private, no-cache');
    const page = await app.request('/', { headers: { Cookie: s.cookie } });
    expect(page.headers.get('cache-control')).toBe('private, no-cache');
    // Static files are the same for everyone and stay publicly cacheable.
    const css = await app.request('/static/bimo.css', { headers: { Cookie: s.cookie } });
    expect(css.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(css.headers.get('vary')).toBeNull();
  });

  it('shows internal indicators to signed-in accounts only', async () => {
    const s = await login(EDITOR);
    const ids = async (headers: Record<string, string>) =>
      (
        (await (await app.request('/api/v1/indicators', { headers })).json()) as {
          data: { id: string }[];
        }
      ).data.map((i) => i.id);
    expect(await ids({})).not.toContain('A2a');
    expect(await ids({ Cookie: s.cookie })).toContain('A2a');
    expect((await app.request('/api/v1/indicators/A2a')).status).toBe(404);
    const seen = await app.request('/api/v1/indicators/A2a', { headers: { Cookie: s.cookie } });
    expect(seen.status).toBe(200);
    const home = await (
      await app.request('/indikatoren', { headers: { Cookie: s.cookie } })
    ).text();
    expect(home).toContain('Familien mit Kindern');
    expect(await (await app.request('/indikatoren')).text()).not.toContain('Familien mit Kindern');
  });
});
