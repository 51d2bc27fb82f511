/** The audit log over HTTP (admins only), newest first, paginated. */
import { z } from '@hono/zod-openapi';
import type { AuditEvent } from '../../store/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, ok, PageMeta, pageQuery } from '../openapi/schemas.ts';
import { requestInfo, viewerOf } from '../viewer.ts';

const Event = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string().meta({ description: 'e.g. login.failed, user.disable, import.commit.' }),
    target: z.string(),
    outcome: z.enum(['ok', 'denied', 'failed']),
    ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEvent');

const Query = z.object({
  since: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO date or time')
    .refine((v) => !isNaN(Date.parse(v)), 'must be an ISO date or time')
    .optional()
    .meta({ description: 'Events at or after this ISO date or time.', example: '2026-01-01' }),
  actor: z.string().max(1000).optional().meta({ description: 'Only this actor (an email).' }),
  action: z.string().max(100).optional().meta({ example: 'login.failed' }),
  ...pageQuery(100, 1000),
});

function auditRow(e: AuditEvent): z.infer<typeof Event> {
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

export function auditRoutes(s: Services): Api {
  const api = newApi();
  def(
    api,
    {
      method: 'get',
      path: '/audit',
      tags: ['Accounts'],
      summary: 'The audit log (admins)',
      description:
        'Every write, approval, publication, login, failed login and refused access, newest first.',
      request: { query: Query },
      responses: {
        ...ok(z.object({ data: z.array(Event), page: PageMeta }), 'One page of events.'),
        ...errors(400, 401, 403),
      },
    },
    async (c) => {
      await s.policy.requireAuditRead(viewerOf(c), requestInfo(c, s.trustProxy));
      const q = c.req.valid('query');
      // One more than asked tells whether a next page exists without counting the whole log.
      const events = await s.store.listAudit({
        since: q.since,
        actor: q.actor || undefined,
        action: q.action || undefined,
        limit: q.limit + 1,
        offset: q.offset,
      });
      const data = events.slice(0, q.limit).map(auditRow);
      let next: string | null = null;
      if (events.length > q.limit) {
        const url = new URL(c.req.url);
        url.searchParams.set('offset', String(q.offset + q.limit));
        next = `${url.pathname}${url.search}`;
        c.header('Link', `<${next}>; rel="next"`);
      }
      c.header('Cache-Control', 'no-store');
      return c.json({ data, page: { limit: q.limit, offset: q.offset, total: null, next } }, 200);
    },
  );
  return api;
}
