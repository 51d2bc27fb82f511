/**
 * Map geometry over HTTP: the simplified boundaries `bimo init` stores (src/regions/geometry.ts),
 * as TopoJSON (the stored bytes) or as GeoJSON, optionally only the features inside a region or
 * group. The same for everyone, so shared caches may keep it for an hour (src/api/http.ts).
 */
import { z } from '@hono/zod-openapi';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { BimoError, REGION_LEVELS } from '../../domain/index.ts';
import { geometryAttribution, type GeometrySetId } from '../../regions/index.ts';
import type { RegionRegistry } from '../../regions/index.ts';
import type { GeometryRecord } from '../../store/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, ok } from '../openapi/schemas.ts';

/** The sets `bimo init` builds, in the order of the list. */
const GEOMETRY_IDS: readonly GeometrySetId[] = ['kreise', 'gemeinden-nrw'];

const CACHE = { 'Cache-Control': 'public, max-age=3600' };

const FeatureId = z.string().meta({
  description:
    'The AGS of the region: 5 digits in `kreise` (05358), 8 in `gemeinden-nrw` (05358008).',
});
const Properties = z.object({
  name: z.string().meta({ description: 'The region’s name, e.g. "Düren, Kreis".' }),
});

const TopoJson = z
  .object({
    type: z.literal('Topology'),
    bbox: z.array(z.number()),
    transform: z.object({ scale: z.array(z.number()), translate: z.array(z.number()) }),
    objects: z.record(
      z.string().meta({ description: 'One object, named like the geometry (kreise).' }),
      z.object({
        type: z.literal('GeometryCollection'),
        geometries: z.array(
          z.object({
            type: z.enum(['Polygon', 'MultiPolygon']),
            id: FeatureId,
            properties: Properties,
            arcs: z.array(z.unknown()),
          }),
        ),
      }),
    ),
    arcs: z.array(z.array(z.array(z.number()))).meta({
      description: 'Quantized, delta-encoded arcs (with `within`, all arcs are kept).',
    }),
  })
  .openapi('TopoJSON');

const GeoJson = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: FeatureId,
        properties: Properties,
        geometry: z.object({
          type: z.enum(['Polygon', 'MultiPolygon']),
          coordinates: z.array(z.unknown()).meta({ description: 'WGS 84 longitude, latitude.' }),
        }),
      }),
    ),
  })
  .openapi('GeoJSON');

const GeometryInfo = z
  .object({
    id: z.string().meta({ description: 'The geometry id for GET /api/v1/geometry/{id}.' }),
    vintage: z.string().meta({ description: 'Boundary product and Gebietsstand.' }),
    level: z.enum(REGION_LEVELS).meta({ description: 'The level of its features.' }),
    features: z.number().int(),
    attribution: z.string().meta({ description: 'Required with every map (dl-de/by-2-0).' }),
  })
  .openapi('GeometryInfo');

type Props = { name: string };

function parse(g: GeometryRecord): { topo: Topology; object: GeometryCollection<Props> } {
  // Stored by `bimo init` (src/regions/geometry.ts): every feature has an id and a name.
  const topo = JSON.parse(g.topojson) as Topology<Record<string, GeometryCollection<Props>>>;
  const object = topo.objects[g.id];
  if (object?.type !== 'GeometryCollection') {
    throw new Error(`geometry ${g.id} has no GeometryCollection named like it`);
  }
  return { topo, object };
}

/** The region codes inside `within` (itself included) at the Kreis and Gemeinde levels. */
function codesWithin(regions: RegionRegistry, within: string): Set<string> {
  if (!regions.isGroup(within) && !regions.has(within)) {
    throw new BimoError(
      'BIMO_E_REGION_UNKNOWN',
      `region "${within}" does not exist`,
      'Give a region code (05358, 05) or a group id (rheinisches-revier); GET /api/v1/regions and GET /api/v1/groups list them.',
      { field: 'within' },
    );
  }
  const inside = [...regions.atLevel('kreis', within), ...regions.atLevel('gemeinde', within)];
  return new Set(inside.map((r) => r.code));
}

export function geometryRoutes(s: Services): Api {
  const api = newApi();

  def(
    api,
    {
      method: 'get',
      path: '/geometry',
      tags: ['Regions'],
      summary: 'Available map geometries',
      description: 'The ids, vintages and feature counts of the stored boundaries.',
      responses: ok(z.object({ data: z.array(GeometryInfo) }), 'The geometries.'),
    },
    async (c) => {
      const data: z.infer<typeof GeometryInfo>[] = [];
      for (const id of GEOMETRY_IDS) {
        const g = await s.store.getGeometry(id);
        if (!g) continue;
        data.push({
          id,
          vintage: g.vintage,
          level: id === 'kreise' ? 'kreis' : 'gemeinde',
          features: parse(g).object.geometries.length,
          attribution: geometryAttribution,
        });
      }
      return c.json({ data }, 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/geometry/{id}',
      tags: ['Regions'],
      summary: 'Map geometry (TopoJSON or GeoJSON)',
      description: `Simplified boundaries for maps: \`kreise\` (every German Kreis) or \`gemeinden-nrw\` (the Gemeinden of NRW). Each feature's \`id\` is the AGS, its \`properties.name\` the region's name. TopoJSON is the stored bytes; GeoJSON (\`application/geo+json\`) is converted from it. Attribution required: ${geometryAttribution}.`,
      request: {
        params: z.object({
          id: z.string().max(100).meta({
            description: 'A geometry id (GET /api/v1/geometry).',
            example: 'kreise',
          }),
        }),
        query: z.object({
          format: z.enum(['topojson', 'geojson']).default('topojson').meta({
            description: 'topojson (default) or geojson.',
            example: 'geojson',
          }),
          within: z.string().min(1).max(100).optional().meta({
            description:
              'Only the features inside this region or group (itself included), e.g. the Kreise of the Revier.',
            example: 'rheinisches-revier',
          }),
        }),
      },
      // The example shows the conversion and the filter: the Revier's Kreise as GeoJSON.
      'x-example-query': ['format', 'within'],
      responses: {
        200: {
          description: 'A TopoJSON topology, or a GeoJSON FeatureCollection.',
          content: {
            'application/json': { schema: TopoJson },
            'application/geo+json': { schema: GeoJson },
          },
        },
        ...errors(400, 404),
      },
    },
    async (c) => {
      const id = c.req.valid('param').id;
      const q = c.req.valid('query');
      const g = await s.store.getGeometry(id);
      if (!g) {
        throw new BimoError(
          'BIMO_E_NOT_FOUND',
          `geometry "${id}" does not exist`,
          `Use ${GEOMETRY_IDS.join(' or ')} (GET /api/v1/geometry); run \`bimo init\` if none exist.`,
          { field: 'id' },
        );
      }
      const inside = q.within === undefined ? undefined : codesWithin(s.regions, q.within);
      if (q.format === 'topojson' && !inside) {
        return c.body(g.topojson, 200, { 'Content-Type': 'application/json', ...CACHE }) as never;
      }
      const { topo, object } = parse(g);
      const kept = inside
        ? { ...object, geometries: object.geometries.filter((f) => inside.has(String(f.id))) }
        : object;
      if (q.format === 'topojson') {
        const filtered = { ...topo, objects: { ...topo.objects, [id]: kept } };
        return c.body(JSON.stringify(filtered), 200, {
          'Content-Type': 'application/json',
          ...CACHE,
        }) as never;
      }
      return c.body(JSON.stringify(feature(topo, kept)), 200, {
        'Content-Type': 'application/geo+json',
        ...CACHE,
      }) as never;
    },
  );

  return api;
}
