/** The indicator catalog over HTTP: the list, one definition, and the Fragestellungen. */
import { z } from '@hono/zod-openapi';
import { AREA_IDS, loadCatalogFull, type Indicator } from '../../indicators/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';
import { findIndicator, visibleIndicators } from '../policy.ts';
import { viewerOf } from '../viewer.ts';

export const IndicatorId = z
  .string()
  .max(40)
  .meta({ description: 'An indicator id from GET /api/v1/indicators.', example: 'D6' });

const Summary = z
  .object({
    id: z.string(),
    area: z.string().meta({ description: 'Bildungsbereich A–I (docs/catalog.md).' }),
    kind: z.enum(['formula', 'gap']),
    status: z.enum(['active', 'planned']).meta({
      description: '`planned`: defined, but no data feed it yet.',
    }),
    title_de: z.string(),
    title_en: z.string(),
    unit: z.string(),
    polarity: z.enum(['higher_is_better', 'lower_is_better', 'neutral']),
    visibility: z.enum(['public', 'internal']),
  })
  .openapi('IndicatorSummary');

const Definition = z
  .looseObject({
    id: z.string(),
    area: z.string(),
    kind: z.enum(['formula', 'gap']),
    title_de: z.string(),
    title_en: z.string(),
    definition_de: z.string(),
    unit: z.string(),
    decimals: z.number().int(),
    polarity: z.string(),
    period_kind: z.string(),
    breakdowns: z.array(z.string()).meta({
      description: 'Dimensions the values can be broken down by (a query parameter each).',
    }),
    sources: z.array(z.string()),
    visibility: z.enum(['public', 'internal']),
    status: z.enum(['active', 'planned']),
    formula: z.string().optional(),
    variables: z.array(z.string()).optional(),
  })
  .openapi('IndicatorDefinition');

const Question = z
  .object({
    id: z.string(),
    handlungsfeld: z.string(),
    title_de: z.string(),
    title_en: z.string(),
    indicators: z.array(z.string()).meta({ description: 'Those this viewer may see.' }),
    origin_de: z.string(),
    next_report: z.boolean(),
  })
  .openapi('Question');

const Handlungsfeld = z
  .object({
    id: z.string(),
    title_de: z.string(),
    title_en: z.string(),
    areas: z.array(z.string()),
    chosen: z.boolean().meta({
      description: 'Chosen by the AG for its monitoring; the portal lists only chosen fields.',
    }),
  })
  .openapi('Handlungsfeld');

/** Fields that are bimo's own working state, not part of the catalog's definition. */
const INTERNAL_FIELDS = new Set(['file', 'expr', 'ratio', 'refs']);

/** An indicator as the catalog YAML states it, without the parsed formula or the file path. */
function publicDefinition(i: Indicator): z.infer<typeof Definition> {
  const out = Object.fromEntries(Object.entries(i).filter(([k]) => !INTERNAL_FIELDS.has(k)));
  if (i.kind === 'formula') out.variables = [...new Set(i.refs.map((r) => r.variable))];
  return out as z.infer<typeof Definition>;
}

const ListQuery = z.object({
  area: z.enum(AREA_IDS).optional().meta({ description: 'Only this area.', example: 'D' }),
  status: z.enum(['active', 'planned']).optional().meta({ example: 'active' }),
  ...pageQuery(500, 500),
});

export function indicatorRoutes(s: Services): Api {
  const api = newApi();

  def(
    api,
    {
      method: 'get',
      path: '/indicators',
      tags: ['Indicators'],
      summary: 'The indicator catalog',
      description:
        'Every indicator this viewer may see, in catalog order (internal ones only when signed in).',
      request: { query: ListQuery },
      responses: {
        ...ok(z.object({ data: z.array(Summary), page: PageMeta }), 'The indicators.'),
        ...errors(400),
      },
    },
    (c) => {
      const q = c.req.valid('query');
      const rows = visibleIndicators(viewerOf(c), s.catalog)
        .filter((i) => (!q.area || i.area === q.area) && (!q.status || i.status === q.status))
        .map((i) => ({
          id: i.id,
          area: i.area,
          kind: i.kind,
          status: i.status,
          title_de: i.title_de,
          title_en: i.title_en,
          unit: i.unit,
          polarity: i.polarity,
          visibility: i.visibility,
        }));
      return c.json(paginate(c, rows, q), 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/indicators/{id}',
      tags: ['Indicators'],
      summary: 'One indicator’s definition',
      description: 'As the catalog states it: definition, formula, unit, sources, caveats.',
      request: { params: z.object({ id: IndicatorId }) },
      responses: { ...ok(z.object({ data: Definition }), 'The definition.'), ...errors(404) },
    },
    (c) => {
      const i = findIndicator(s.catalog, c.req.valid('param').id, viewerOf(c));
      return c.json({ data: publicDefinition(i) }, 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/questions',
      tags: ['Indicators'],
      summary: 'Handlungsfelder and Fragestellungen',
      description:
        'The questions the AG Bildungsmonitoring asks, each with the indicators that answer it.',
      responses: {
        ...ok(
          z.object({
            version: z.string(),
            handlungsfelder: z.array(Handlungsfeld),
            data: z.array(Question),
          }),
          'The Fragestellungen.',
        ),
      },
    },
    (c) => {
      const visible = new Set(visibleIndicators(viewerOf(c), s.catalog).map((i) => i.id));
      const full = loadCatalogFull();
      return c.json(
        {
          version: full.version,
          handlungsfelder: full.handlungsfelder,
          data: full.questions.map((q) => ({
            ...q,
            indicators: q.indicators.filter((id) => visible.has(id)),
          })),
        },
        200,
      );
    },
  );

  return api;
}
