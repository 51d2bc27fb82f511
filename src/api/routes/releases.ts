/**
 * Releases over HTTP: the list and one release (drafts only for signed-in viewers), what a release
 * changed against another (signed-in viewers), and the workflow draft → approved → published
 * (admins). Publishing recomputes the indicators, as `bimo releases publish` does; every approval
 * and publication is an audit event. The steps themselves are src/api/workflow.ts (shared with
 * the portal).
 */
import { z } from '@hono/zod-openapi';
import type { Release } from '../../domain/index.ts';
import type { RecomputeResult } from '../../indicators/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, Flag, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';
import { canSeeRelease, canSeeReleaseAuthor, findRelease, type Viewer } from '../policy.ts';
import { viewerOf } from '../viewer.ts';
import { actingOf, workflowOf } from '../workflow.ts';

export const ReleaseSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['draft', 'approved', 'published']),
    created_at: z.string(),
    published_at: z.string().nullable(),
    computed_at: z.string().nullable().meta({
      description:
        'When the indicator values of this release were completed; a published release is served from then on (null: not yet, or its computation was interrupted).',
    }),
    note: z.string(),
    created_by: z.string().optional().meta({ description: 'Only for signed-in viewers.' }),
  })
  .openapi('Release');

export const ReleaseId = z.coerce
  .number()
  .int()
  .min(1)
  .max(999_999_999)
  .meta({ description: 'A release number from GET /api/v1/releases.', example: 1 });

const Cell = z
  .object({ value: z.number().nullable(), flag: Flag })
  .nullable()
  .meta({ description: 'The cell in one release; null where it has no value there.' });

const CellChange = z
  .object({
    variable: z.string().meta({ example: 'schulabgaenge_ab' }),
    region: z.string().meta({ example: '05358' }),
    period: z.string().meta({ example: '2023' }),
    dims: z.string().meta({
      description: 'The breakdown items, `dimension=item;…`; empty for none.',
      example: 'abschluss=ohne_esa;geschlecht=insgesamt',
    }),
    change: z.enum(['added', 'removed', 'changed']),
    before: Cell,
    after: Cell,
  })
  .openapi('CellChange');

const Computed = z
  .object({
    release: z.number().int().meta({ description: 'The release the values belong to.' }),
    indicators: z.number().int().meta({ description: 'Indicators computed.' }),
    values: z.number().int().meta({ description: 'Values written over all indicators.' }),
    peers: z.string().meta({ description: 'What became of the peer groups.' }),
  })
  .openapi('Recomputed');

/** A release as the API shows it; who created it only to signed-in viewers. */
export function releaseRow(r: Release, viewer: Viewer): z.infer<typeof ReleaseSchema> {
  return {
    id: r.id,
    status: r.status,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    computed_at: r.computedAt,
    note: r.note,
    ...(canSeeReleaseAuthor(viewer) ? { created_by: r.createdBy } : {}),
  };
}

function computedRow(r: RecomputeResult): z.infer<typeof Computed> {
  return {
    release: r.releaseId,
    indicators: Object.keys(r.counts).length,
    values: Object.values(r.counts).reduce((n, v) => n + v, 0),
    peers: r.peers,
  };
}

const IdParam = z.object({ id: ReleaseId });

export function releaseRoutes(s: Services): Api {
  const api = newApi();
  const flow = workflowOf(s);

  def(
    api,
    {
      method: 'get',
      path: '/releases',
      tags: ['Releases'],
      summary: 'Releases',
      description:
        'Every import is a release: draft → approved → published. The public sees published ones; newest first.',
      request: { query: z.object(pageQuery(100, 1000)) },
      responses: {
        ...ok(z.object({ data: z.array(ReleaseSchema), page: PageMeta }), 'The releases.'),
        ...errors(400),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const releases = (await s.store.listReleases())
        .filter((r) => canSeeRelease(viewer, r))
        .sort((a, b) => b.id - a.id);
      const rows = releases.map((r) => releaseRow(r, viewer));
      return c.json(paginate(c, rows, c.req.valid('query')), 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/releases/{id}',
      tags: ['Releases'],
      summary: 'One release',
      request: { params: z.object({ id: ReleaseId }) },
      responses: { ...ok(z.object({ data: ReleaseSchema }), 'The release.'), ...errors(404) },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const release = await s.store.getRelease(c.req.valid('param').id);
      return c.json({ data: releaseRow(findRelease(release, viewer), viewer) }, 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/releases/{id}/diff',
      tags: ['Releases'],
      summary: 'What a release changed (signed-in viewers)',
      description:
        'The cells in which the data as of release `id` differ from the data as of release `against` (default: the previous release), sorted by variable, region, period and breakdown. Raw cells can hold small counts that disclosure control hides in the indicator values, so only signed-in viewers get this.',
      request: {
        params: IdParam,
        query: z.object({
          against: ReleaseId.optional().meta({
            description:
              'The release to compare with (default: the previous one; none: every cell is added).',
            example: 1,
          }),
          ...pageQuery(1000, 10000),
        }),
      },
      responses: {
        ...ok(
          z.object({
            release: z.number().int(),
            against: z.number().int().nullable(),
            data: z.array(CellChange),
            page: PageMeta,
          }),
          'The changed cells.',
        ),
        ...errors(400, 401, 404),
      },
    },
    async (c) => {
      const { id } = c.req.valid('param');
      const { against, ...page } = c.req.valid('query');
      const { base, changes } = await flow.diff(actingOf(c, s), id, against);
      return c.json({ release: id, against: base, ...paginate(c, changes, page) }, 200);
    },
  );

  def(
    api,
    {
      method: 'post',
      path: '/releases/{id}/approve',
      tags: ['Releases'],
      summary: 'Approve a draft release (admins)',
      description:
        'draft → approved. Approving an approved release changes nothing; a published one cannot change (409).',
      request: { params: IdParam },
      responses: {
        ...ok(z.object({ data: ReleaseSchema }), 'The release as it is now.'),
        ...errors(400, 401, 403, 404, 409),
      },
    },
    async (c) => {
      const release = await flow.approve(actingOf(c, s), c.req.valid('param').id);
      return c.json({ data: releaseRow(release, viewerOf(c)) }, 200);
    },
  );

  def(
    api,
    {
      method: 'post',
      path: '/releases/{id}/publish',
      tags: ['Releases'],
      summary: 'Publish an approved release (admins)',
      description:
        'approved → published, then the peer groups and every indicator are computed again, so that the portal and the API show the new numbers (this takes seconds). Publishing a published release changes nothing (`computed` is null); a draft must be approved first (409). The release is served only once every indicator is computed: a publication that stops halfway leaves the previous release served (`bimo compute` finishes it).',
      request: { params: IdParam },
      responses: {
        ...ok(
          z.object({ data: ReleaseSchema, computed: Computed.nullable() }),
          'The release as it is now, and what was computed.',
        ),
        ...errors(400, 401, 403, 404, 409),
      },
    },
    async (c) => {
      const { release, computed } = await flow.publish(actingOf(c, s), c.req.valid('param').id);
      const row = releaseRow(release, viewerOf(c));
      return c.json({ data: row, computed: computed && computedRow(computed) }, 200);
    },
  );

  return api;
}
