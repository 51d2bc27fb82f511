/**
 * Signing in over HTTP: login, logout, who am I, and one's API tokens. Answers carrying secrets
 * are never stored (`Cache-Control: no-store`).
 */
import { z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import type { Context } from 'hono';
import type { ApiToken, User } from '../../store/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { jsonOnly, limitBody } from '../http.ts';
import { def } from '../openapi/route.ts';
import { errors, ok } from '../openapi/schemas.ts';
import {
  clearSessionCookie,
  clientIp,
  errorResponse,
  requestInfo,
  SESSION_COOKIE,
  startSession,
  viewerOf,
} from '../viewer.ts';

/** Bodies of the account routes are small: an email, a password, a name, a few regions. */
export const AUTH_BODY_LIMIT = 16 * 1024;

export const Role = z.enum(['admin', 'editor', 'member']).meta({
  description:
    '`admin` manages accounts and everything; `editor` imports data of their regions; `member` (Lenkungskreis) reads internal material.',
  example: 'editor',
});

export const OwnAccount = z
  .object({
    email: z.string(),
    name: z.string(),
    role: Role,
    regions: z.array(z.string()).meta({
      description: 'Region codes and group ids an editor may write; empty for other roles.',
    }),
  })
  .openapi('OwnAccount');

const Token = z
  .object({
    id: z.string(),
    name: z.string(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiToken');

const LoginBody = z.strictObject({
  email: z.string().min(1).max(1000).meta({ example: 'monitoring@kommune.example' }),
  password: z.string().min(1).max(4096).meta({ description: 'The account’s password.' }),
});
const TokenBody = z.strictObject({
  name: z
    .string()
    .max(1000)
    .meta({ description: 'What the token is for.', example: 'Dashboard Kreis Düren' }),
});

/** What a user learns about their own account. */
export function ownAccount(u: User): z.infer<typeof OwnAccount> {
  return { email: u.email, name: u.name, role: u.role, regions: u.regions };
}

function tokenRow(t: ApiToken): z.infer<typeof Token> {
  return {
    id: t.id,
    name: t.name,
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt,
    revoked_at: t.revokedAt,
  };
}

/** The signed-in user of a request the policy has let through. */
export function signedIn(c: Context): User {
  const viewer = viewerOf(c);
  if (viewer.kind !== 'user') throw new Error('signedIn() after the policy let the public through');
  return viewer.user;
}

/** The actor and address of a write, for its audit event. */
export function actorOf(c: Context, s: Services) {
  return { actor: signedIn(c).email, ip: clientIp(c, s.trustProxy) };
}

const json = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export function authRoutes(s: Services): Api {
  const api = newApi();
  const req = (c: Context) => requestInfo(c, s.trustProxy);
  const small = [limitBody(AUTH_BODY_LIMIT), jsonOnly()];

  def(
    api,
    {
      method: 'post',
      path: '/auth/login',
      tags: ['Accounts'],
      summary: 'Sign in with email and password',
      description:
        'Sets the HttpOnly session cookie `bimo_session` (SameSite=Lax; Secure over https) and returns the CSRF token that every later write with this cookie must send as `X-CSRF-Token`. Failed logins are counted per account and per address; too many lock the account for a while (429 with Retry-After).',
      security: [],
      middleware: small,
      request: { body: json(LoginBody) },
      responses: {
        ...ok(
          z.object({
            user: OwnAccount,
            csrf_token: z.string(),
            expires_at: z.string(),
          }),
          'Signed in; the cookie is set.',
        ),
        ...errors(400, 401, 429),
      },
    },
    async (c) => {
      const body = c.req.valid('json');
      const ip = clientIp(c, s.trustProxy);
      const result = await s.accounts.authenticate(body.email, body.password, ip);
      if (!result.ok) {
        const err = s.accounts.refusalError(result);
        const headers: Record<string, string> = {};
        if (err.code === 'BIMO_E_RATE_LIMITED') {
          headers['Retry-After'] = String(result.retryAfterSeconds ?? 60);
        }
        return errorResponse(c, err, headers) as never;
      }
      const session = await startSession(c, s, result.user, ip);
      return c.json(
        {
          user: ownAccount(result.user),
          csrf_token: session.csrfToken,
          expires_at: session.expiresAt,
        },
        200,
      );
    },
  );

  def(
    api,
    {
      method: 'post',
      path: '/auth/logout',
      tags: ['Accounts'],
      summary: 'End this session',
      description: 'Ends the session of the cookie (if any) and clears the cookie. Always 204.',
      responses: { 204: { description: 'Signed out.' }, ...errors(403) },
    },
    async (c) => {
      const session = c.get('session');
      if (session) await s.sessions.logout(session.id, clientIp(c, s.trustProxy));
      if (getCookie(c, SESSION_COOKIE) !== undefined) clearSessionCookie(c, s);
      return c.body(null, 204);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/auth/me',
      tags: ['Accounts'],
      summary: 'The signed-in account',
      responses: {
        ...ok(
          z.object({ user: OwnAccount, via: z.enum(['session', 'token']).nullable() }),
          'The account and how it signed in.',
        ),
        ...errors(401),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      await s.policy.requireSignedIn(viewer, req(c));
      c.header('Cache-Control', 'no-store');
      return c.json(
        { user: ownAccount(signedIn(c)), via: viewer.kind === 'user' ? viewer.via : null },
        200,
      );
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/auth/tokens',
      tags: ['Accounts'],
      summary: 'One’s own API tokens',
      description: 'Lists the tokens (never their secret; only its hash is stored).',
      responses: { ...ok(z.object({ data: z.array(Token) }), 'The tokens.'), ...errors(401) },
    },
    async (c) => {
      await s.policy.requireSignedIn(viewerOf(c), req(c));
      const tokens = await s.sessions.listApiTokens(signedIn(c).id);
      return c.json({ data: tokens.map(tokenRow) }, 200);
    },
  );

  def(
    api,
    {
      method: 'post',
      path: '/auth/tokens',
      tags: ['Accounts'],
      summary: 'Create an API token',
      description:
        'Only with a session (a token never mints tokens). The secret `token` is shown once, in this answer; send it as `Authorization: Bearer bimo_…`.',
      middleware: small,
      request: { body: json(TokenBody) },
      responses: {
        201: {
          description: 'The new token, with its secret.',
          content: {
            'application/json': {
              schema: z.object({ data: Token.extend({ token: z.string() }) }),
            },
          },
        },
        ...errors(400, 401, 403),
      },
    },
    async (c) => {
      await s.policy.requireCreateToken(viewerOf(c), req(c));
      const body = c.req.valid('json');
      const { token, record } = await s.sessions.issueApiToken(
        signedIn(c),
        body.name,
        actorOf(c, s),
      );
      c.header('Cache-Control', 'no-store');
      return c.json({ data: { ...tokenRow(record), token } }, 201);
    },
  );

  def(
    api,
    {
      method: 'delete',
      path: '/auth/tokens/{id}',
      tags: ['Accounts'],
      summary: 'Revoke an API token',
      description: 'One’s own token; admins may revoke any.',
      request: {
        params: z.object({ id: z.string().max(200).meta({ description: 'The token id.' }) }),
      },
      responses: { 204: { description: 'Revoked.' }, ...errors(401, 403, 404) },
    },
    async (c) => {
      const { id } = c.req.valid('param');
      const viewer = viewerOf(c);
      await s.policy.requireSignedIn(viewer, req(c));
      const token = (await s.sessions.listApiTokens()).find((t) => t.id === id && !t.revokedAt);
      await s.policy.requireRevokeToken(viewer, token, id, req(c));
      await s.sessions.revokeApiToken(id, actorOf(c, s));
      return c.body(null, 204);
    },
  );

  return api;
}
