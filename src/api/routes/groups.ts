/**
 * Region groups over HTTP: the lignite Reviere, the Anrainerkommunen, the Ruhr and the computed
 * peer groups (kind `peer`, docs/peer-groups.md), each with its members and their weights.
 * A group id stands wherever a region code can (values, series, geometry `within`).
 */
import { z } from '@hono/zod-openapi';
import { BimoError, REGION_LEVELS, type RegionGroup } from '../../domain/index.ts';
import type { RegionRegistry } from '../../regions/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';

const KINDS = ['revier', 'subregion', 'association', 'peer'] as const;

const Kind = z.enum(KINDS).meta({
  description:
    '`revier`: a lignite region (§ 2 InvKG); `subregion`: part of one (the Anrainerkommunen); `association`: a regional association (Ruhr); `peer`: a Vergleichstyp computed from context data (docs/peer-groups.md).',
  example: 'peer',
});

export const RegionRef = z
  .object({ code: z.string(), name: z.string(), level: z.enum(REGION_LEVELS) })
  .openapi('RegionRef');

export const GroupRow = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: Kind,
    level: z.enum(REGION_LEVELS).meta({
      description:
        'The level at which the group is complete and aggregated (kreis for the Revier, gemeinde for the Anrainer).',
    }),
    members: z.number().int().meta({ description: 'How many member rows the group has.' }),
  })
  .openapi('GroupRow');

export const GroupDetail = z
  .object({
    type: z.literal('group'),
    id: z.string(),
    name: z.string(),
    kind: Kind,
    level: GroupRow.shape.level,
    members: z
      .array(
        RegionRef.extend({
          weight: z.number().meta({ description: 'Share of the member counted (1: fully).' }),
        }),
      )
      .meta({
        description:
          'Every member, ordered by code; the Revier lists its 7 Kreise and their 65 Gemeinden.',
      }),
  })
  .openapi('GroupDetail');

const GroupId = z
  .string()
  .min(1)
  .max(100)
  .meta({ description: 'A group id from GET /api/v1/groups.', example: 'rheinisches-revier' });

export function groupRow(regions: RegionRegistry, g: RegionGroup): z.infer<typeof GroupRow> {
  return {
    id: g.id,
    name: g.name,
    kind: g.kind,
    level: regions.groupLevel(g.id),
    members: regions.memberRows(g.id).length,
  };
}

export function groupDetail(regions: RegionRegistry, id: string): z.infer<typeof GroupDetail> {
  const g = regions.group(id);
  if (!g) throw new Error(`unknown group ${id}`);
  const members = regions
    .memberRows(id)
    .map((m) => {
      const r = regions.get(m.regionCode);
      return {
        code: m.regionCode,
        name: r?.name ?? m.regionCode,
        level: r?.level ?? 'gemeinde',
        weight: m.weight,
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  return {
    type: 'group',
    id: g.id,
    name: g.name,
    kind: g.kind,
    level: regions.groupLevel(id),
    members,
  };
}

export function groupRoutes(s: Services): Api {
  const api = newApi();

  def(
    api,
    {
      method: 'get',
      path: '/groups',
      tags: ['Regions'],
      summary: 'Region groups',
      description:
        'Every region group with its kind, level and number of members, ordered by kind (Reviere, subregions, associations, peer groups) and id.',
      request: {
        query: z.object({
          kind: Kind.optional(),
          ...pageQuery(100, 1000),
        }),
      },
      responses: {
        ...ok(z.object({ data: z.array(GroupRow), page: PageMeta }), 'One page of groups.'),
        ...errors(400),
      },
    },
    (c) => {
      const q = c.req.valid('query');
      const rank = (g: RegionGroup) => KINDS.indexOf(g.kind);
      const rows = s.regions
        .groups()
        .filter((g) => !q.kind || g.kind === q.kind)
        .sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id, 'en', { numeric: true }))
        .map((g) => groupRow(s.regions, g));
      return c.json(paginate(c, rows, q), 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/groups/{id}',
      tags: ['Regions'],
      summary: 'One region group',
      description: 'The group with its members: their names, levels and weights.',
      request: { params: z.object({ id: GroupId }) },
      responses: {
        ...ok(z.object({ data: GroupDetail }), 'The group.'),
        ...errors(404),
      },
    },
    (c) => {
      const { id } = c.req.valid('param');
      if (!s.regions.isGroup(id)) {
        throw new BimoError(
          'BIMO_E_REGION_UNKNOWN',
          `region group "${id}" does not exist`,
          'GET /api/v1/groups lists the group ids.',
          { field: 'id' },
        );
      }
      return c.json({ data: groupDetail(s.regions, id) }, 200);
    },
  );

  return api;
}
