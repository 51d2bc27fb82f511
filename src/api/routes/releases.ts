/** Releases over HTTP: the list and one release (drafts only for signed-in viewers). */
import { z } from '@hono/zod-openapi';
import type { Release } from '../../domain/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';
import { canSeeRelease, canSeeReleaseAuthor, findRelease, type Viewer } from '../policy.ts';
import { viewerOf } from '../viewer.ts';

export const ReleaseSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['draft', 'approved', 'published']),
    created_at: z.string(),
    published_at: z.string().nullable(),
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

/** A release as the API shows it; who created it only to signed-in viewers. */
export function releaseRow(r: Release, viewer: Viewer): z.infer<typeof ReleaseSchema> {
  return {
    id: r.id,
    status: r.status,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    note: r.note,
    ...(canSeeReleaseAuthor(viewer) ? { created_by: r.createdBy } : {}),
  };
}

export function releaseRoutes(s: Services): Api {
  const api = newApi();

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

  return api;
}
