/**
 * Raw observations over HTTP, each with its full provenance (as `bimo observations --format
 * json`). Signed-in viewers only (`canReadObservations`): official cells can be small counts
 * that disclosure control suppresses in the indicator values the public reads.
 */
import { z } from '@hono/zod-openapi';
import { BimoError } from '../../domain/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, Flag, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';
import { canSeeReleaseAuthor, findRelease } from '../policy.ts';
import { loadProvenance, observationItem, observationRegionCodes } from '../provenance.ts';
import { requestInfo, viewerOf } from '../viewer.ts';

/** A comma-separated list of ids, at most `max` of them. */
function idList(max: number, description: string, example: string) {
  return z
    .string()
    .max(4000)
    .regex(/^\s*[^,\s]+(\s*,\s*[^,\s]+)*\s*$/, 'give ids separated by commas')
    .transform((v) => [...new Set(v.split(',').map((x) => x.trim()))])
    .refine((list) => list.length <= max, `at most ${max} ids`)
    .meta({ description, example });
}

const Query = z.object({
  region: idList(
    100,
    'Region codes or group ids, comma-separated (a group stands for its members at its own level: rheinisches-revier for its 7 Kreise).',
    '05358',
  ).optional(),
  variable: idList(
    100,
    'Variable ids, comma-separated (GET /api/v1/sources/{id} names those of a table).',
    'schulabgaenge_ab',
  ).optional(),
  period: z
    .string()
    .regex(/^\d{4}(-\d{2}-\d{2}|-\d{2}P\d+M)?$/, 'give a year, a date or a semester key')
    .optional()
    .meta({
      description:
        'A period key (`2023`, Stichtag `2024-12-31`, semester `2023-10P6M`); a year also matches the Stichtage and semesters of that year.',
      example: '2023',
    }),
  table: z.string().max(100).optional().meta({
    description: 'Only observations from this table code.',
    example: '21111-02-06-4',
  }),
  release: z.coerce.number().int().min(1).optional().meta({
    description:
      'Read as of this release (GET /api/v1/releases), drafts included; default: the latest published.',
    example: 3,
  }),
  ...pageQuery(1000, 10000),
});

const Item = z
  .object({
    variable: z.string(),
    label: z.string(),
    unit: z.string(),
    region: z.string(),
    period: z.string(),
    dims: z.record(z.string(), z.string()).meta({
      description:
        'The breakdown items, e.g. {"abschluss": "ohne_esa", "geschlecht": "insgesamt"}.',
    }),
    value: z.number().nullable().meta({ description: 'As published; null with a flag.' }),
    flag: Flag,
    rounding_base: z.number().int().meta({
      description: '1: exact; 5: rounded to multiples of 5 (NRW school statistics).',
    }),
    source: z.object({
      id: z.string().nullable(),
      table: z.string().nullable(),
      title: z.string().nullable(),
      database: z.string().nullable(),
      stand: z.string().nullable(),
      file: z.string().nullable(),
      sha256: z.string().nullable(),
      licence: z.string().nullable(),
      imported_at: z.string().nullable(),
      imported_by: z.string().nullable(),
      origin: z.string().meta({ description: 'Line and column of the value in the file.' }),
    }),
    release: z.object({ id: z.number().int().nullable(), status: z.string().nullable() }),
  })
  .openapi('Observation');

export function observationRoutes(s: Services): Api {
  const api = newApi();

  def(
    api,
    {
      method: 'get',
      path: '/observations',
      tags: ['Sources'],
      summary: 'Raw observations with provenance (signed in)',
      description:
        'The imported values before any computation, each with its flag, rounding, source table, file position and release; the latest release holding a cell wins. Needs `region` or `variable`. Only for signed-in accounts: raw cells include small counts that the public values suppress.',
      request: { query: Query },
      // Either `region` or `variable` is needed; the example asks for one table's cells of a Kreis.
      'x-example-query': ['region', 'variable', 'period', 'table'],
      responses: {
        ...ok(z.object({ data: z.array(Item), page: PageMeta }), 'One page of observations.'),
        ...errors(400, 401, 404),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      await s.policy.requireReadObservations(viewer, requestInfo(c, s.trustProxy));
      const q = c.req.valid('query');
      if (!q.region && !q.variable) {
        throw new BimoError(
          'BIMO_E_BAD_REQUEST',
          'either region or variable is required',
          'Add region=05358 (or a group such as rheinisches-revier) or variable=schulabgaenge_ab.',
          { field: 'region' },
        );
      }
      const regionCodes = q.region?.flatMap((code) => {
        const codes = observationRegionCodes(s.regions, code);
        if (codes.length > 0) return codes;
        throw new BimoError(
          'BIMO_E_REGION_UNKNOWN',
          `region "${code}" does not exist`,
          'GET /api/v1/regions lists region codes and group ids.',
          { field: 'region' },
        );
      });
      if (q.variable) {
        const known = new Set((await s.store.listVariables()).map((v) => v.id));
        const unknown = q.variable.find((v) => !known.has(v));
        if (unknown !== undefined) {
          throw new BimoError(
            'BIMO_E_BAD_REQUEST',
            `no variable "${unknown}" has been imported`,
            `Known variables: ${[...known].join(', ')}.`,
            { field: 'variable' },
          );
        }
      }
      const release =
        q.release === undefined
          ? undefined
          : findRelease(await s.store.getRelease(q.release), viewer).id;
      const year = q.period !== undefined && q.period.length === 4 ? q.period : undefined;
      const rows = await s.store.queryObservations({
        regionCodes,
        variableIds: q.variable,
        periods: q.period === undefined || year ? undefined : [q.period],
        tableCode: q.table,
        releaseId: release,
      });
      const provenance = await loadProvenance(s.store);
      const showAuthor = canSeeReleaseAuthor(viewer);
      const items = rows
        .filter((r) => !year || r.period === year || r.period.startsWith(`${year}-`))
        .map((r) => observationItem(r, provenance, showAuthor));
      return c.json(paginate(c, items, q), 200);
    },
  );

  return api;
}
