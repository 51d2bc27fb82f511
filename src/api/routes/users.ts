/**
 * Account administration (admins only): list, create, change, disable and unlock accounts. The
 * same operations as `bimo users`; each is an audit event.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { User } from '../../store/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { jsonOnly, limitBody } from '../http.ts';
import { def } from '../openapi/route.ts';
import { errors, ok } from '../openapi/schemas.ts';
import { requestInfo, viewerOf } from '../viewer.ts';
import { actorOf, AUTH_BODY_LIMIT, OwnAccount, Role } from './auth.ts';

const Account = OwnAccount.extend({
  disabled: z.boolean(),
  failed_logins: z.number().int(),
  locked_until: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
}).openapi('Account');

const Regions = z
  .array(z.string().max(100))
  .max(1000)
  .meta({ description: 'Region codes or group ids an editor may write.', example: ['05358'] });

const NewUserBody = z.strictObject({
  email: z.string().min(1).max(1000).meta({ example: 'statistik@kommune.example' }),
  password: z.string().min(1).max(4096).meta({
    description: 'At least 12 characters, not a common password (docs/accounts.md).',
  }),
  role: Role,
  name: z.string().max(200).optional(),
  regions: Regions.optional(),
});

const UserPatchBody = z
  .strictObject({
    name: z.string().max(200).optional(),
    role: Role.optional(),
    regions: Regions.optional(),
    disabled: z
      .boolean()
      .optional()
      .meta({ description: 'true disables; false enables and lifts a lockout.' }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give at least one of name, role, regions, disabled',
  });

/** What an admin sees of an account (never a hash; those are not part of `User`). */
function accountRow(u: User): z.infer<typeof Account> {
  return {
    email: u.email,
    name: u.name,
    role: u.role,
    regions: u.regions,
    disabled: u.disabled,
    failed_logins: u.failedLogins,
    locked_until: u.lockedUntil,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

const json = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export function userRoutes(s: Services): Api {
  const api = newApi();
  const req = (c: Context) => requestInfo(c, s.trustProxy);
  const small = [limitBody(AUTH_BODY_LIMIT), jsonOnly()];

  def(
    api,
    {
      method: 'get',
      path: '/users',
      tags: ['Accounts'],
      summary: 'All accounts (admins)',
      responses: { ...ok(z.object({ data: z.array(Account) }), 'By email.'), ...errors(401, 403) },
    },
    async (c) => {
      await s.policy.requireAdminUsers(viewerOf(c), 'users', req(c));
      const users = await s.store.listUsers();
      c.header('Cache-Control', 'no-store');
      return c.json({ data: users.map(accountRow) }, 200);
    },
  );

  def(
    api,
    {
      method: 'post',
      path: '/users',
      tags: ['Accounts'],
      summary: 'Create an account (admins)',
      middleware: small,
      request: { body: json(NewUserBody) },
      responses: {
        201: {
          description: 'Created.',
          content: { 'application/json': { schema: z.object({ data: Account }) } },
        },
        ...errors(400, 401, 403, 409, 422),
      },
    },
    async (c) => {
      await s.policy.requireAdminUsers(viewerOf(c), 'users', req(c));
      const body = c.req.valid('json');
      const user = await s.accounts.createAccount(body, actorOf(c, s), s.regions);
      return c.json({ data: accountRow(user) }, 201);
    },
  );

  def(
    api,
    {
      method: 'patch',
      path: '/users/{email}',
      tags: ['Accounts'],
      summary: 'Change, disable or unlock an account (admins)',
      middleware: small,
      request: {
        params: z.object({
          email: z.string().max(1000).meta({ example: 'statistik@kommune.example' }),
        }),
        body: json(UserPatchBody),
      },
      responses: {
        ...ok(z.object({ data: Account }), 'The account as it is now.'),
        ...errors(400, 401, 403, 404),
      },
    },
    async (c) => {
      const { email } = c.req.valid('param');
      await s.policy.requireAdminUsers(viewerOf(c), email, req(c));
      const body = c.req.valid('json');
      let user = await s.accounts.mustFind(email);
      const { disabled, ...change } = body;
      if (Object.values(change).some((v) => v !== undefined)) {
        user = await s.accounts.updateAccount(email, change, actorOf(c, s), s.regions);
      }
      // `disabled: false` on an enabled account still lifts a lockout (the admin's unlock).
      if (disabled !== undefined)
        user = await s.accounts.setDisabled(email, disabled, actorOf(c, s));
      return c.json({ data: accountRow(user) }, 200);
    },
  );

  return api;
}
