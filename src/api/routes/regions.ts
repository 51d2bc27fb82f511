/**
 * Regions over HTTP: search, one region with its hierarchy and groups, the regions inside a
 * region or group, and the region groups (Reviere, Anrainer, Ruhr, computed peer groups). Map
 * geometry lives in src/api/routes/geometry.ts. Regions and groups are public.
 */
import { z } from '@hono/zod-openapi';
import { BimoError, REGION_LEVELS, type Region } from '../../domain/index.ts';
import { normaliseName, type RegionRegistry } from '../../regions/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, Level, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';
import { geometryRoutes } from './geometry.ts';
import { GroupDetail, groupDetail, GroupRow, groupRoutes, RegionRef } from './groups.ts';

const RegionRow = RegionRef.extend({ parent: z.string().nullable() }).openapi('RegionRow');

const RegionDetail = z
  .object({
    type: z.literal('region'),
    code: z.string().meta({ description: 'AGS prefix: DG, 05, 053, 05358, 05358008.' }),
    name: z.string(),
    level: z.enum(REGION_LEVELS),
    parent: z.string().nullable(),
    valid_from: z.string().nullable().meta({ description: 'ISO date; null: open.' }),
    valid_to: z.string().nullable().meta({ description: 'ISO date; null: still valid.' }),
    additive: z.boolean().meta({
      description: 'false for pseudo units already contained in a sibling (05334002 Aachen).',
    }),
    same_as: z.string().nullable().meta({
      description: 'The same territory at another level (kreisfreie Stadt 05111 ≡ 05111000).',
    }),
    ancestors: z.array(RegionRef).meta({
      description: 'From the Bund down to the parent (Düren 05358008: DG, 05, 053, 05358).',
    }),
    children: z.array(RegionRef).meta({
      description: 'The direct children valid today, ordered by code.',
    }),
    groups: z.array(GroupRow.omit({ members: true, level: true })).meta({
      description: 'The groups this region is a member of, ordered by id.',
    }),
  })
  .openapi('RegionDetail');

export const RegionCode = z
  .string()
  .min(1)
  .max(100)
  .meta({ description: 'A region code (AGS) or group id.', example: '05358' });

/** The ISO date of today, for "valid now". */
function today(s: Services): string {
  return s.sessions.config.now().toISOString().slice(0, 10);
}

/** Whether a region exists on `day` (ISO date). */
function validOn(r: Region, day: string): boolean {
  return (r.validFrom === null || r.validFrom <= day) && (r.validTo === null || r.validTo >= day);
}

const ref = (r: Region) => ({ code: r.code, name: r.name, level: r.level });

function unknownRegion(code: string): BimoError {
  return new BimoError(
    'BIMO_E_REGION_UNKNOWN',
    `region "${code}" does not exist`,
    'GET /api/v1/regions lists region codes; GET /api/v1/groups the group ids.',
    { field: 'code' },
  );
}

function regionDetail(regions: RegionRegistry, r: Region, day: string) {
  const groups = regions
    .groups()
    .filter((g) => regions.memberRows(g.id).some((m) => m.regionCode === r.code))
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((g) => ({ id: g.id, name: g.name, kind: g.kind }));
  return {
    type: 'region' as const,
    code: r.code,
    name: r.name,
    level: r.level,
    parent: r.parentCode,
    valid_from: r.validFrom,
    valid_to: r.validTo,
    additive: r.additive,
    same_as: r.sameAs,
    ancestors: regions.ancestors(r.code).reverse().map(ref),
    children: regions
      .children(r.code)
      .filter((c) => validOn(c, day))
      .map(ref),
    groups,
  };
}

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
          z.object({
            data: z.array(RegionRow),
            page: PageMeta,
            groups: z.array(GroupRow.omit({ members: true, level: true })),
          }),
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
        .map((r) => ({ ...ref(r), parent: r.parentCode }));
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
      description:
        'A region with its ancestors, its children valid today and the groups it belongs to; a group id answers with the group and its members (as GET /api/v1/groups/{id}).',
      request: { params: z.object({ code: RegionCode }) },
      responses: {
        ...ok(
          z.object({ data: z.discriminatedUnion('type', [RegionDetail, GroupDetail]) }),
          'The region or group.',
        ),
        ...errors(404),
      },
    },
    (c) => {
      const { code } = c.req.valid('param');
      const region = s.regions.get(code);
      if (region) return c.json({ data: regionDetail(s.regions, region, today(s)) }, 200);
      if (s.regions.isGroup(code)) return c.json({ data: groupDetail(s.regions, code) }, 200);
      throw unknownRegion(code);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/regions/{code}/children',
      tags: ['Regions'],
      summary: 'The regions inside a region or group',
      description:
        'Without `level`: the direct children valid today (for a group: its members at the group’s level). With `level`: every region of that level inside, valid today — the Gemeinden of a Kreis or of the Revier. Ordered by code.',
      request: {
        params: z.object({ code: RegionCode }),
        query: z.object({
          level: Level.optional().meta({
            description: 'All regions of this level inside (e.g. gemeinde).',
            example: 'gemeinde',
          }),
          ...pageQuery(1000, 20000),
        }),
      },
      'x-example-query': ['level'],
      responses: {
        ...ok(
          z.object({ region: z.string(), data: z.array(RegionRow), page: PageMeta }),
          'The regions inside.',
        ),
        ...errors(400, 404),
      },
    },
    (c) => {
      const { code } = c.req.valid('param');
      const q = c.req.valid('query');
      const isGroup = s.regions.isGroup(code);
      if (!isGroup && !s.regions.has(code)) throw unknownRegion(code);
      const day = today(s);
      const inside = q.level
        ? s.regions.atLevel(q.level, code)
        : isGroup
          ? s.regions.members(code, s.regions.groupLevel(code))
          : s.regions.children(code);
      const rows = inside
        .filter((r) => validOn(r, day))
        .map((r) => ({ ...ref(r), parent: r.parentCode }));
      return c.json({ region: code, ...paginate(c, rows, q) }, 200);
    },
  );

  api.route('/', groupRoutes(s));
  api.route('/', geometryRoutes(s));
  return api;
}
