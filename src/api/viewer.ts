/**
 * Who the viewer of a request is: an API token (`Authorization: Bearer bimo_…`), a session cookie,
 * or the public. Cookie-authenticated writes must carry the CSRF token. Secrets are never handled
 * here: src/auth/ hashes, compares and stores them (docs/accounts.md); src/api/policy.ts decides
 * what a viewer may do. docs/api-security.md describes the whole.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { BimoError, errorEnvelope } from '../domain/index.ts';
import type { AppEnv, Services } from './env.ts';
import { refusal, type RequestInfo } from './policy-enforce.ts';
import { PUBLIC_VIEWER, userViewer, type Viewer } from './policy.ts';
import type { User } from '../store/index.ts';

export const SESSION_COOKIE = 'bimo_session';
export const CSRF_HEADER = 'X-CSRF-Token';
/** Portal forms send the CSRF token in this field (src/auth/tokens.ts `formCsrfToken`). */
export const CSRF_FIELD = 'csrf';

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
export function errorResponse(
  c: Context,
  err: BimoError,
  headers: Record<string, string> = {},
): Response {
  return c.json(errorEnvelope(err), err.httpStatus as 400, headers);
}

export function cookieOptions(c: Context, s: Pick<Services, 'trustProxy'>, maxAge: number) {
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    path: '/',
    secure: isHttps(c, s.trustProxy),
    maxAge,
  };
}

export function clearSessionCookie(c: Context, s: Pick<Services, 'trustProxy'>): void {
  setCookie(c, SESSION_COOKIE, '', cookieOptions(c, s, 0));
}

/** Reads that change nothing; every other method on a cookie session needs the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Login does not act with the session's rights (it replaces the session), and a browser that lost
 * its CSRF token must be able to sign in again. Login CSRF is stopped by the JSON body instead.
 */
const CSRF_EXEMPT = new Set(['/api/v1/auth/login', '/anmelden']);
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
const isApiPath = (path: string): boolean => path.startsWith('/api/');

/**
 * A browser's request from another site: `Sec-Fetch-Site` or `Origin` name one. Requests with
 * neither header (scripts, curl, old browsers' same-origin posts) do not count as cross-site.
 */
export function crossSite(c: Context, trustProxy: boolean): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = c.req.header('Origin');
  if (origin === undefined) return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true; // `null` (sandboxed or privacy-redirected) and malformed origins
  }
  const forwarded = trustProxy ? c.req.header('X-Forwarded-Host')?.split(',')[0]?.trim() : '';
  return host !== (forwarded || c.req.header('Host') || new URL(c.req.url).host);
}

/** A portal form post carrying the session's form token in the field `csrf`. */
async function formCsrfOk(c: Context, s: Services, sessionId: string): Promise<boolean> {
  if (isApiPath(c.req.path) || !FORM_TYPES.test(c.req.header('Content-Type') ?? '')) return false;
  try {
    // Parsed once: the route reads the same body from Hono's cache.
    const field = (await c.req.parseBody())[CSRF_FIELD];
    return typeof field === 'string' && s.sessions.checkFormCsrf(sessionId, field);
  } catch {
    return false;
  }
}

/**
 * Resolves the viewer: an `Authorization: Bearer bimo_…` token first (a wrong one is refused,
 * never quietly treated as anonymous), else the session cookie (a dead one is cleared), else the
 * public. Cookie sessions must send the CSRF token with every write.
 */
export function resolveViewer(s: Services): MiddlewareHandler {
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
    const session = (c as Context<AppEnv>).get('session');
    const unsafe = !SAFE_METHODS.has(c.req.method);
    // Portal forms (the login form too) are refused when a browser sends them from another site.
    if (unsafe && !isApiPath(c.req.path) && crossSite(c, s.trustProxy)) {
      const viewer = viewerOf(c);
      await s.policy.recordDenial(viewer, 'csrf', c.req.path, requestInfo(c, s.trustProxy));
      return errorResponse(
        c,
        new BimoError(
          'BIMO_E_FORBIDDEN',
          'this form was sent from another site',
          'Open the form on this site and send it from there.',
          { decision: 'csrf' },
        ),
      );
    }
    if (session && unsafe && !CSRF_EXEMPT.has(c.req.path)) {
      const header = c.req.header(CSRF_HEADER);
      if (
        !s.sessions.checkCsrf(session.record, header) &&
        !(header === undefined && (await formCsrfOk(c, s, session.id)))
      ) {
        const viewer = viewerOf(c);
        await s.policy.recordDenial(viewer, 'csrf', c.req.path, requestInfo(c, s.trustProxy));
        return errorResponse(c, refusal(viewer, 'csrf'));
      }
    }
    return next();
  };
}

/**
 * Signs `user` in on this browser: the session it had ends, a new one (new id: no session
 * fixation) is created and its cookie set. Shared by the API login and the portal's login form.
 */
export async function startSession(
  c: Context,
  s: Pick<Services, 'sessions' | 'trustProxy'>,
  user: User,
  ip: string | null,
): Promise<{ csrfToken: string; expiresAt: string }> {
  const old = getCookie(c, SESSION_COOKIE);
  if (old !== undefined) await s.sessions.logout(old, ip);
  const session = await s.sessions.createSession(user);
  const maxAge = s.sessions.config.sessionMaxDays * 24 * 3600;
  setCookie(c, SESSION_COOKIE, session.sessionId, cookieOptions(c, s, maxAge));
  c.header('Cache-Control', 'no-store');
  return session;
}
