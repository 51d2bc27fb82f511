/** Regions over HTTP: search, one region or group, and map geometry. */
import { z } from '@hono/zod-openapi';
import { BimoError, REGION_LEVELS } from '../../domain/index.ts';
import { normaliseName } from '../../regions/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, Level, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';

const RegionRow = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.enum(REGION_LEVELS),
    parent: z.string().nullable(),
  })
  .openapi('RegionRow');

const GroupRow = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['revier', 'subregion', 'association', 'peer']),
  })
  .openapi('GroupRow');

export const RegionCode = z
  .string()
  .min(1)
  .max(100)
  .meta({ description: 'A region code (AGS) or group id.', example: '05358' });

export function regionRoutes(s: Services): Api {
  const api = newApi();

  def(
    api,
    {
      method: 'get',
      path: '/regions',
      tags: ['Regions'],
      summary: 'Find regions',
      description:
        'Regions by level and by name or key prefix (`q`), ordered by code; the region groups beside them.',
      request: {
        query: z.object({
          level: Level.optional(),
          q: z.string().max(200).optional().meta({
            description: 'A key prefix or part of the name (case and umlauts ignored).',
            example: 'düren',
          }),
          ...pageQuery(1000, 20000),
        }),
      },
      responses: {
        ...ok(
          z.object({ data: z.array(RegionRow), page: PageMeta, groups: z.array(GroupRow) }),
          'Matching regions.',
        ),
        ...errors(400),
      },
    },
    (c) => {
      const query = c.req.valid('query');
      const q = normaliseName(query.q ?? '');
      const rows = s.regions
        .all()
        .filter((r) => !query.level || r.level === query.level)
        .filter((r) => q === '' || r.code.startsWith(q) || normaliseName(r.name).includes(q))
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((r) => ({ code: r.code, name: r.name, level: r.level, parent: r.parentCode }));
      return c.json(
        {
          ...paginate(c, rows, query),
          groups: s.regions.groups().map((g) => ({ id: g.id, name: g.name, kind: g.kind })),
        },
        200,
      );
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/regions/{code}',
      tags: ['Regions'],
      summary: 'One region or group',
      request: { params: z.object({ code: RegionCode }) },
      responses: {
        ...ok(z.object({ data: z.looseObject({ name: z.string() }) }), 'The region or group.'),
        ...errors(404),
      },
    },
    (c) => {
      const { code } = c.req.valid('param');
      const region = s.regions.get(code);
      const group = s.regions.group(code);
      if (region) return c.json({ data: region }, 200);
      if (group) {
        return c.json(
          { data: { ...group, members: s.regions.members(code).map((m) => m.code) } },
          200,
        );
      }
      throw new BimoError(
        'BIMO_E_REGION_UNKNOWN',
        `region "${code}" does not exist`,
        'GET /api/v1/regions lists region codes and group ids.',
        { field: 'code' },
      );
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/geometry/{id}',
      tags: ['Regions'],
      summary: 'Map geometry (TopoJSON)',
      description: 'Simplified boundaries for maps: `kreise` or `gemeinden-nrw`.',
      request: {
        params: z.object({
          id: z.string().max(100).meta({ example: 'kreise' }),
        }),
      },
      responses: {
        200: {
          description: 'A TopoJSON topology.',
          content: { 'application/json': { schema: z.looseObject({ type: z.string() }) } },
        },
        ...errors(404),
      },
    },
    async (c) => {
      const id = c.req.valid('param').id;
      const g = await s.store.getGeometry(id);
      if (!g) {
        throw new BimoError(
          'BIMO_E_NOT_FOUND',
          `geometry "${id}" does not exist`,
          'Use kreise or gemeinden-nrw; run `bimo init` if none exist.',
        );
      }
      return c.body(g.topojson, 200, {
        'Content-Type': 'application/json',
        'Cache-Control': 'public, max-age=3600',
      }) as never;
    },
  );

  return api;
}
