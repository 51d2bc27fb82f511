/**
 * Indicator values over HTTP: the values table (JSON, CSV or XLSX), a time series per region, and
 * the comparison of one region with its references. Disclosure control blanks what this viewer's
 * audience may not see (src/api/values.ts); the viewer comes from the policy, never the request.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { BimoError } from '../../domain/index.ts';
import { compareRegion, type Indicator } from '../../indicators/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { downloadHeaders, exportSourceOf, exportValues } from '../export/index.ts';
import { def } from '../openapi/route.ts';
import {
  errors,
  Flag,
  Level,
  ok,
  PageMeta,
  pageQuery,
  paginate,
  Period,
} from '../openapi/schemas.ts';
import { audienceOf, findIndicator, findRelease, visibleSources, type Viewer } from '../policy.ts';
import { queryValues, type ValueRow } from '../values.ts';
import { viewerOf } from '../viewer.ts';
import { IndicatorId } from './indicators.ts';
import {
  breakdownOf,
  breakdownParams,
  ComparisonSchema,
  presentComparison,
  Regions,
  Value,
} from './value-schemas.ts';

/** The release a request names, if the viewer may see it (drafts only when signed in). */
async function releaseOf(s: Services, viewer: Viewer, id: number | undefined) {
  if (id === undefined) return undefined;
  return findRelease(await s.store.getRelease(id), viewer).id;
}

export function valueRoutes(s: Services): Api {
  const api = newApi();
  const breakdowns = breakdownParams(s.catalog);
  const dims = Object.keys(breakdowns);
  const release = z.coerce.number().int().min(1).optional().meta({
    description:
      'Read as of this release (GET /api/v1/releases); default: the latest published. Drafts only when signed in.',
    example: 3,
  });
  const range = {
    period: Period.optional(),
    from: Period.optional().meta({ description: 'First period (inclusive).', example: '2015' }),
    to: Period.optional().meta({ description: 'Last period (inclusive).', example: '2023' }),
  };

  const ValuesQuery = z.object({
    region: Regions.optional(),
    level: Level.optional().meta({
      description: 'All regions of this level (with `within`); needed when `region` is absent.',
      example: 'kreis',
    }),
    within: z.string().max(100).optional().meta({
      description: 'With `level`: only regions inside this region or group.',
      example: 'rheinisches-revier',
    }),
    ...range,
    release,
    format: z.enum(['json', 'csv', 'xlsx']).default('json').meta({
      description:
        '`csv` in German number format (semicolon, decimal comma) unless numbers=international; `xlsx` with a Quelle sheet. Downloads hold every row (no pages).',
      example: 'csv',
    }),
    numbers: z.enum(['de', 'international']).default('de').meta({
      description: 'CSV number format: de (default) or international (comma, decimal point).',
    }),
    ...pageQuery(1000, 10000),
    ...breakdowns,
  });

  def(
    api,
    {
      method: 'get',
      path: '/indicators/{id}/values',
      tags: ['Values'],
      summary: 'Values of an indicator',
      description:
        'For a list of regions and groups, or every region of a level. Each value keeps its flag, its error bound from rounded inputs and how it was made. Stable order: the regions as asked (else by code), then period.',
      request: { params: z.object({ id: IndicatorId }), query: ValuesQuery },
      // Either `region` or `level` is needed; the example asks for regions of one year.
      'x-example-query': ['region', 'period'],
      responses: {
        200: {
          description: 'The values (JSON, one page), or the whole table as CSV or XLSX.',
          content: {
            'application/json': {
              schema: z.object({
                indicator: z.string(),
                unit: z.string(),
                data: z.array(Value),
                page: PageMeta,
              }),
            },
            'text/csv': { schema: z.string() },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: z.string().meta({ format: 'binary' }),
            },
          },
        },
        ...errors(400, 404),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const indicator = findIndicator(s.catalog, c.req.valid('param').id, viewer);
      const q = c.req.valid('query');
      if (!q.region && !q.level) {
        throw new BimoError(
          'BIMO_E_BAD_REQUEST',
          'either level or region is required',
          'Add level=kreis (or land, rb, gemeinde, bund) or region=05358 / region=rheinisches-revier.',
          { field: 'level' },
        );
      }
      const data = await queryValues(s.store, s.regions, {
        indicator,
        level: q.level,
        within: q.within,
        regions: q.region,
        period: q.period,
        from: q.from,
        to: q.to,
        releaseId: await releaseOf(s, viewer, q.release),
        breakdown: breakdownOf(indicator, q, dims),
        audience: audienceOf(viewer),
      });
      if (q.format === 'json') {
        const page = paginate(c, data, q);
        return c.json({ indicator: indicator.id, unit: indicator.unit, ...page }, 200);
      }
      return download(c, s, indicator, data, q.format, q.numbers) as never;
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/indicators/{id}/series',
      tags: ['Values'],
      summary: 'Time series of an indicator',
      description: 'One series per region or group, periods ascending.',
      request: {
        params: z.object({ id: IndicatorId }),
        query: z.object({
          region: Regions,
          from: range.from,
          to: range.to,
          release,
          ...breakdowns,
        }),
      },
      responses: {
        ...ok(
          z.object({
            indicator: z.string(),
            unit: z.string(),
            data: z.array(
              z.object({
                region: z.string(),
                name: z.string(),
                level: z.string(),
                points: z.array(
                  z.object({
                    period: z.string(),
                    value: z.number().nullable(),
                    flag: Flag,
                    error_bound: z.number(),
                  }),
                ),
              }),
            ),
          }),
          'The series.',
        ),
        ...errors(400, 404),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const indicator = findIndicator(s.catalog, c.req.valid('param').id, viewer);
      const q = c.req.valid('query');
      const rows = await queryValues(s.store, s.regions, {
        indicator,
        regions: q.region,
        from: q.from,
        to: q.to,
        releaseId: await releaseOf(s, viewer, q.release),
        breakdown: breakdownOf(indicator, q, dims),
        audience: audienceOf(viewer),
      });
      const series = q.region.map((code) => {
        const own = rows.filter((r) => r.region === code);
        const first = own[0];
        const known = s.regions.get(code) ?? s.regions.group(code);
        return {
          region: code,
          name: first?.name ?? known?.name ?? code,
          level: first?.level ?? (s.regions.get(code)?.level || 'group'),
          points: own.map((r) => ({
            period: r.period,
            value: r.value,
            flag: r.flag,
            error_bound: r.error_bound,
          })),
        };
      });
      return c.json({ indicator: indicator.id, unit: indicator.unit, data: series }, 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/indicators/{id}/compare',
      tags: ['Values'],
      summary: 'One region against its references',
      description:
        'The region’s value beside NRW, the Revier, its Kreis and its peer group, with differences, whether they exceed the rounding, its rank and its change since the earliest period.',
      request: {
        params: z.object({ id: IndicatorId }),
        query: z.object({
          region: z
            .string()
            .min(1)
            .max(100)
            .meta({ description: 'One region code.', example: '05358' }),
          period: Period.optional(),
          ...breakdowns,
        }),
      },
      responses: {
        ...ok(
          z.object({ indicator: z.string(), unit: z.string(), data: ComparisonSchema }),
          'The comparison.',
        ),
        ...errors(400, 404),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const indicator = findIndicator(s.catalog, c.req.valid('param').id, viewer);
      const q = c.req.valid('query');
      const data = await compareRegion({
        store: s.store,
        regions: s.regions,
        indicator,
        code: q.region,
        period: q.period,
        breakdown: breakdownOf(indicator, q, dims),
        audience: audienceOf(viewer),
      });
      return c.json(
        {
          indicator: indicator.id,
          unit: indicator.unit,
          data: presentComparison(data, indicator.decimals),
        },
        200,
      );
    },
  );

  return api;
}

/** The whole values table as a CSV or XLSX download (ETag from its bytes). */
async function download(
  c: Context,
  s: Services,
  indicator: Indicator,
  rows: ValueRow[],
  format: 'csv' | 'xlsx',
  numbers: 'de' | 'international',
): Promise<Response> {
  const [all, releases, release] = await Promise.all([
    s.store.listSources(),
    s.store.listReleases(),
    s.store.latestPublishedRelease(),
  ]);
  const sources = visibleSources(viewerOf(c), all, releases);
  const file = exportValues({
    indicator,
    rows,
    format,
    numbers,
    source: exportSourceOf(indicator, sources),
    // The release time, not now: the same data give the same bytes, so the ETag holds.
    generatedAt: new Date(release?.publishedAt ?? release?.createdAt ?? 0),
  });
  return c.body(file.body, 200, downloadHeaders(file));
}
