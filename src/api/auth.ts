/**
 * Signing in over HTTP: who the viewer of a request is (API token or session cookie), CSRF
 * protection of cookie-authenticated writes, caching headers that keep one audience's answers
 * from another, and the routes for login, logout, API tokens, accounts and the audit log.
 *
 * Secrets are never handled here: src/auth/ hashes, compares and stores them (docs/accounts.md);
 * src/api/policy.ts decides what a viewer may do. docs/api-security.md describes the whole.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Accounts, Sessions } from '../auth/index.ts';
import { BimoError, errorEnvelope } from '../domain/index.ts';
import type { RegionRegistry } from '../regions/index.ts';
import type { ApiToken, AuditEvent, SessionRecord, Store, User } from '../store/index.ts';
import {
  PUBLIC_VIEWER,
  refusal,
  userViewer,
  type Policy,
  type RequestInfo,
  type Viewer,
} from './policy.ts';

export const SESSION_COOKIE = 'bimo_session';
export const CSRF_HEADER = 'X-CSRF-Token';

/** Bodies of the account routes are small: an email, a password, a name, a few regions. */
export const AUTH_BODY_LIMIT = 16 * 1024;

/** What the auth middleware and routes work with; one set per app. */
export interface AuthServices {
  store: Store;
  regions: RegionRegistry;
  accounts: Accounts;
  sessions: Sessions;
  policy: Policy;
  /** Trust X-Forwarded-For / X-Forwarded-Proto (only behind a reverse proxy that sets them). */
  trustProxy: boolean;
}

/** Context variables the middleware sets for every later handler. */
export interface ViewerVariables {
  viewer: Viewer;
  /** The session behind the cookie of this request, when it is valid. */
  session: { id: string; record: SessionRecord } | undefined;
}

type Ctx = Context<{ Variables: ViewerVariables }>;

/** The viewer of the request; the public when no middleware resolved one. */
export function viewerOf(c: Context): Viewer {
  return (c.get('viewer') as Viewer | undefined) ?? PUBLIC_VIEWER;
}

/**
 * The client's address: the last X-Forwarded-For entry (the one our proxy added) when the proxy is
 * trusted, else the socket's peer. Null in-process (app.request) without a forwarded address.
 */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const last = c.req
      .header('X-Forwarded-For')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .pop();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/** Whether the browser reached us over https (directly, or at a trusted proxy). */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  const proto = c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim().toLowerCase();
  return trustProxy && proto === 'https';
}

export function requestInfo(c: Context, trustProxy: boolean): RequestInfo {
  return { method: c.req.method, path: c.req.path, ip: clientIp(c, trustProxy) };
}

/** A JSON error answer with extra headers (Retry-After, WWW-Authenticate). */
function errorResponse(c: Context, err: BimoError, headers: Record<string, string> = {}): Response {
  return c.json(errorEnvelope(err), err.httpStatus as 400, headers);
}

/** A body limit answering with the error envelope (413). */
export function limitBody(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        errorEnvelope(
          new BimoError(
            'BIMO_E_BAD_REQUEST',
            `request body too large (limit ${maxSize >= 1024 * 1024 ? `${maxSize / 1024 / 1024} MB` : `${maxSize / 1024} KB`})`,
            'Send a smaller body.',
          ),
        ),
        413,
      ),
  });
}

function cookieOptions(c: Context, s: AuthServices, maxAge: number) {
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    path: '/',
    secure: isHttps(c, s.trustProxy),
    maxAge,
  };
}

function clearSessionCookie(c: Context, s: AuthServices): void {
  setCookie(c, SESSION_COOKIE, '', cookieOptions(c, s, 0));
}

/** Reads that change nothing; every other method on a cookie session needs the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Login does not act with the session's rights (it replaces the session), and a browser that lost
 * its CSRF token must be able to sign in again. Login CSRF is stopped by the JSON body instead.
 */
const CSRF_EXEMPT = new Set(['/api/v1/auth/login']);

/**
 * Resolves the viewer: an `Authorization: Bearer bimo_…` token first (a wrong one is refused,
 * never quietly treated as anonymous), else the session cookie (a dead one is cleared), else the
 * public. Cookie sessions must send the CSRF token with every write.
 */
export function resolveViewer(s: AuthServices): MiddlewareHandler {
  return async (c, next) => {
    c.set('viewer', PUBLIC_VIEWER);
    c.set('session', undefined);
    const authorization = c.req.header('Authorization');
    if (authorization !== undefined) {
      const token = /^Bearer +(\S+) *$/i.exec(authorization)?.[1];
      const user = token ? await s.sessions.tokenUser(token) : null;
      if (!user) {
        return errorResponse(
          c,
          new BimoError(
            'BIMO_E_UNAUTHENTICATED',
            'the API token is unknown, revoked or malformed, or its account is disabled',
            'Send `Authorization: Bearer bimo_…` with a current token; create a new one with POST /api/v1/auth/tokens after signing in.',
          ),
          { 'WWW-Authenticate': 'Bearer realm="bimo"' },
        );
      }
      c.set('viewer', userViewer(user, 'token'));
      return next();
    }
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (sessionId !== undefined) {
      const active = await s.sessions.sessionUser(sessionId);
      if (active) {
        c.set('viewer', userViewer(active.user, 'session'));
        c.set('session', { id: sessionId, record: active.session });
      } else {
        clearSessionCookie(c, s);
      }
    }
    const session = (c as Ctx).get('session');
    if (session && !SAFE_METHODS.has(c.req.method) && !CSRF_EXEMPT.has(c.req.path)) {
      if (!s.sessions.checkCsrf(session.record, c.req.header(CSRF_HEADER))) {
        const viewer = viewerOf(c);
        await s.policy.recordDenial(viewer, 'csrf', c.req.path, requestInfo(c, s.trustProxy));
        return errorResponse(c, refusal(viewer, 'csrf'));
      }
    }
    return next();
  };
}

/** Answers that are the same for everyone (no Vary, public caching kept). */
const SHARED_PATHS = /^\/(static\/|favicon\.|healthz$|api\/v1\/geometry\/)/;

/**
 * Answers depend on who asks: caches must key them by the credentials (`Vary`), and answers to a
 * signed-in viewer are private and revalidated (an ETag 304 then never crosses audiences).
 */
export function varyByViewer(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (SHARED_PATHS.test(c.req.path)) return;
    c.header('Vary', 'Cookie, Authorization', { append: true });
    const cacheControl = c.res.headers.get('Cache-Control') ?? '';
    if (viewerOf(c).kind === 'user' && !cacheControl.includes('no-store')) {
      c.header('Cache-Control', 'private, no-cache');
    }
  };
}

/** Reads a JSON body against a schema; the error names the field, never the value sent. */
async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  if (!/^application\/json\b/i.test(c.req.header('Content-Type') ?? '')) {
    // Also a CSRF guard: a cross-site form cannot send JSON without a CORS preflight.
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'the body must be JSON',
      'Send `Content-Type: application/json` and a JSON object.',
      { field: 'content-type' },
    );
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'the body is not valid JSON',
      'Send a JSON object, e.g. {"email": "…", "password": "…"}.',
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'body';
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `${field}: ${issue?.message ?? 'invalid'}`,
      'Check the field against docs/api-security.md.',
      { field },
    );
  }
  return parsed.data;
}

const ROLE = z.enum(['admin', 'editor', 'member']);
const LoginBody = z.strictObject({
  email: z.string().min(1).max(1000),
  password: z.string().min(1).max(4096),
});
const TokenBody = z.strictObject({ name: z.string().max(1000) });
const NewUserBody = z.strictObject({
  email: z.string().min(1).max(1000),
  password: z.string().min(1).max(4096),
  role: ROLE,
  name: z.string().max(200).optional(),
  regions: z.array(z.string().max(100)).max(1000).optional(),
});
const UserPatchBody = z
  .strictObject({
    name: z.string().max(200).optional(),
    role: ROLE.optional(),
    regions: z.array(z.string().max(100)).max(1000).optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give at least one of name, role, regions, disabled',
  });

/** What a user learns about their own account. */
function ownAccount(u: User) {
  return { email: u.email, name: u.name, role: u.role, regions: u.regions };
}

/** What an admin sees of an account (never a hash; those are not part of `User`). */
function accountRow(u: User) {
  return {
    ...ownAccount(u),
    disabled: u.disabled,
    failed_logins: u.failedLogins,
    locked_until: u.lockedUntil,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

function tokenRow(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt,
    revoked_at: t.revokedAt,
  };
}

function auditRow(e: AuditEvent) {
  return {
    id: e.id,
    at: e.at,
    actor: e.actor,
    action: e.action,
    target: e.target,
    outcome: e.outcome,
    ip: e.ip,
    details: e.details,
  };
}

function intParam(raw: string | undefined, field: string, min: number, max: number, def: number) {
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `${field} must be a whole number from ${min} to ${max}`,
      `e.g. ${field}=${def}`,
      { field },
    );
  }
  return n;
}

function sinceParam(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (
    !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ||
    isNaN(Date.parse(raw))
  ) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'since must be an ISO date or time',
      'e.g. since=2026-01-01 or since=2026-01-01T08:00:00Z',
      { field: 'since' },
    );
  }
  return raw;
}

/** The signed-in user of a request the policy has let through. */
function signedIn(c: Context): User {
  const viewer = viewerOf(c);
  if (viewer.kind !== 'user') throw new Error('signedIn() after the policy let the public through');
  return viewer.user;
}

/** Routes under /api/v1: auth/*, users, audit. Answers carrying secrets are never stored. */
export function createAuthApi(s: AuthServices): Hono<{ Variables: ViewerVariables }> {
  const api = new Hono<{ Variables: ViewerVariables }>();
  const req = (c: Context) => requestInfo(c, s.trustProxy);
  const ctx = (c: Context) => ({ actor: signedIn(c).email, ip: clientIp(c, s.trustProxy) });
  const small = limitBody(AUTH_BODY_LIMIT);

  api.post('/auth/login', small, async (c) => {
    const body = await readJson(c, LoginBody);
    const ip = clientIp(c, s.trustProxy);
    const result = await s.accounts.authenticate(body.email, body.password, ip);
    if (!result.ok) {
      const err = s.accounts.refusalError(result);
      const headers: Record<string, string> = {};
      if (err.code === 'BIMO_E_RATE_LIMITED') {
        headers['Retry-After'] = String(result.retryAfterSeconds ?? 60);
      }
      return errorResponse(c, err, headers);
    }
    // A new id at every login (no session fixation); the session this browser had ends.
    const old = getCookie(c, SESSION_COOKIE);
    if (old !== undefined) await s.sessions.logout(old, ip);
    const session = await s.sessions.createSession(result.user);
    const maxAge = s.sessions.config.sessionMaxDays * 24 * 3600;
    setCookie(c, SESSION_COOKIE, session.sessionId, cookieOptions(c, s, maxAge));
    c.header('Cache-Control', 'no-store');
    return c.json({
      user: ownAccount(result.user),
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
    });
  });

  api.post('/auth/logout', async (c) => {
    const session = c.get('session');
    if (session) await s.sessions.logout(session.id, clientIp(c, s.trustProxy));
    if (getCookie(c, SESSION_COOKIE) !== undefined) clearSessionCookie(c, s);
    return c.body(null, 204);
  });

  api.get('/auth/me', async (c) => {
    const viewer = viewerOf(c);
    await s.policy.requireSignedIn(viewer, req(c));
    c.header('Cache-Control', 'no-store');
    return c.json({
      user: ownAccount(signedIn(c)),
      via: viewer.kind === 'user' ? viewer.via : null,
    });
  });

  api.get('/auth/tokens', async (c) => {
    await s.policy.requireSignedIn(viewerOf(c), req(c));
    const tokens = await s.sessions.listApiTokens(signedIn(c).id);
    return c.json({ data: tokens.map(tokenRow) });
  });

  api.post('/auth/tokens', small, async (c) => {
    await s.policy.requireCreateToken(viewerOf(c), req(c));
    const body = await readJson(c, TokenBody);
    const { token, record } = await s.sessions.issueApiToken(signedIn(c), body.name, ctx(c));
    c.header('Cache-Control', 'no-store');
    return c.json({ data: { ...tokenRow(record), token } }, 201);
  });

  api.delete('/auth/tokens/:id', async (c) => {
    const id = c.req.param('id');
    const viewer = viewerOf(c);
    await s.policy.requireSignedIn(viewer, req(c));
    const token = (await s.sessions.listApiTokens()).find((t) => t.id === id && !t.revokedAt);
    await s.policy.requireRevokeToken(viewer, token, id, req(c));
    await s.sessions.revokeApiToken(id, ctx(c));
    return c.body(null, 204);
  });

  api.get('/users', async (c) => {
    await s.policy.requireAdminUsers(viewerOf(c), 'users', req(c));
    const users = await s.store.listUsers();
    c.header('Cache-Control', 'no-store');
    return c.json({ data: users.map(accountRow) });
  });

  api.post('/users', small, async (c) => {
    await s.policy.requireAdminUsers(viewerOf(c), 'users', req(c));
    const body = await readJson(c, NewUserBody);
    const user = await s.accounts.createAccount(body, ctx(c), s.regions);
    return c.json({ data: accountRow(user) }, 201);
  });

  api.patch('/users/:email', small, async (c) => {
    const email = c.req.param('email');
    await s.policy.requireAdminUsers(viewerOf(c), email, req(c));
    const body = await readJson(c, UserPatchBody);
    let user = await s.accounts.mustFind(email);
    const { disabled, ...change } = body;
    if (Object.values(change).some((v) => v !== undefined)) {
      user = await s.accounts.updateAccount(email, change, ctx(c), s.regions);
    }
    // `disabled: false` on an enabled account still lifts a lockout (the admin's unlock).
    if (disabled !== undefined) user = await s.accounts.setDisabled(email, disabled, ctx(c));
    return c.json({ data: accountRow(user) });
  });

  api.get('/audit', async (c) => {
    await s.policy.requireAuditRead(viewerOf(c), req(c));
    const q = c.req.query();
    const limit = intParam(q.limit, 'limit', 1, 1000, 100);
    const offset = intParam(q.offset, 'offset', 0, 1_000_000_000, 0);
    const events = await s.store.listAudit({
      since: sinceParam(q.since),
      actor: q.actor || undefined,
      action: q.action || undefined,
      limit,
      offset,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ data: events.map(auditRow), limit, offset });
  });

  return api;
}
