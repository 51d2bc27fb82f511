/**
 * The HTTP application: JSON API v1 under /api/v1, security headers, and the one error envelope.
 * Tests call it in-process with app.request(); `bimo serve` mounts it on a Node server.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { bodyLimit } from 'hono/body-limit';
import { BimoError, errorEnvelope } from '../domain/index.ts';
import {
  compareRegion,
  type ComparedValue,
  type Comparison,
  type Indicator,
} from '../indicators/index.ts';
import type { RegionRegistry } from '../regions/index.ts';
import type { Store } from '../store/index.ts';
import {
  downloadHeaders,
  etagOf,
  exportSourceOf,
  exportValues,
  parseExportFormat,
  parseNumberStyle,
} from './export/index.ts';
import { parseLevel, queryValues } from './values.ts';

export interface AppDeps {
  store: Store;
  regions: RegionRegistry;
  catalog: Indicator[];
}

export type AppEnv = { Variables: { deps: AppDeps } };

export function findIndicator(catalog: Indicator[], id: string): Indicator {
  const ind = catalog.find((i) => i.id === id);
  if (!ind || ind.visibility !== 'public') {
    throw new BimoError(
      'BIMO_E_INDICATOR_UNKNOWN',
      `indicator "${id}" does not exist`,
      'GET /api/v1/indicators lists the indicator ids (for example D6).',
      { field: 'id', value: id },
    );
  }
  return ind;
}

const PERIOD_RE = /^\d{4}$/;

/** Rounded to the indicator's decimals (bounds rounded up), in the API's snake_case. */
function presentComparison(c: Comparison, decimals: number): Record<string, unknown> {
  const f = 10 ** decimals;
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v * f) / f);
  const up = (v: number): number => Math.ceil(v * f - 1e-9) / f;
  const value = (v: ComparedValue) => ({
    region: v.code,
    name: v.name,
    value: round(v.value),
    flag: v.flag,
    error_bound: up(v.errorBound),
  });
  return {
    period: c.period,
    dims: c.dimsKey,
    ...value(c.region),
    level: c.region.level,
    references: c.references.map((r) => ({
      ...value(r),
      kind: r.kind,
      difference: round(r.difference),
      beyond_rounding: r.beyondRounding,
    })),
    rank: c.rank,
    change: c.change && {
      from: c.change.from,
      value: round(c.change.value),
      difference: round(c.change.difference),
      beyond_rounding: c.change.beyondRounding,
    },
  };
}

/** Fields that are bimo's own working state, not part of the catalog's definition. */
const INTERNAL_FIELDS = new Set(['file', 'expr', 'ratio', 'refs']);

/** An indicator as the catalog YAML states it, without the parsed formula or the file path. */
function publicDefinition(i: Indicator): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(i).filter(([k]) => !INTERNAL_FIELDS.has(k)));
  if (i.kind === 'formula') out.variables = [...new Set(i.refs.map((r) => r.variable))];
  return out;
}

export function createApiApp(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/indicators', (c) =>
    c.json({
      data: deps.catalog
        .filter((i) => i.visibility === 'public')
        .map((i) => ({
          id: i.id,
          area: i.area,
          kind: i.kind,
          status: i.status,
          title_de: i.title_de,
          title_en: i.title_en,
          unit: i.unit,
          polarity: i.polarity,
        })),
    }),
  );

  api.get('/indicators/:id', (c) => {
    const i = findIndicator(deps.catalog, c.req.param('id'));
    return c.json({ data: publicDefinition(i) });
  });

  api.get('/indicators/:id/values', async (c) => {
    const indicator = findIndicator(deps.catalog, c.req.param('id'));
    const q = c.req.query();
    const format = parseExportFormat(q.format);
    const numbers = parseNumberStyle(q.numbers);
    const period = q.period;
    if (period !== undefined && !PERIOD_RE.test(period)) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        `period "${period}" is not a year`,
        'Give the reporting year, e.g. period=2023.',
        { field: 'period' },
      );
    }
    const regions = q.region
      ? q.region
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
    if (regions !== undefined && regions.length === 0) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        'region is empty',
        'Give region codes or group ids, e.g. region=05358,rheinisches-revier.',
        { field: 'region' },
      );
    }
    const level = parseLevel(q.level);
    if (!regions && !level) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        'either level or region is required',
        'Add level=kreis (or land, rb, gemeinde, bund) or region=05358 / region=rheinisches-revier.',
        { field: 'level' },
      );
    }
    const data = await queryValues(deps.store, deps.regions, {
      indicator,
      level,
      within: q.within,
      regions,
      period,
      breakdown: breakdownOf(indicator, q),
    });
    if (format === 'json') return c.json({ indicator: indicator.id, unit: indicator.unit, data });
    const [sources, release] = await Promise.all([
      deps.store.listSources(),
      deps.store.latestPublishedRelease(),
    ]);
    const file = exportValues({
      indicator,
      rows: data,
      format,
      numbers,
      source: exportSourceOf(indicator, sources),
      // The release time, not now: the same data give the same bytes, so the ETag holds.
      generatedAt: new Date(release?.publishedAt ?? release?.createdAt ?? 0),
    });
    const etag = etagOf(file.body);
    const headers = { ...downloadHeaders(file), 'Cache-Control': 'no-cache' };
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304, { ETag: etag });
    return c.body(file.body, 200, headers);
  });

  api.get('/indicators/:id/compare', async (c) => {
    const indicator = findIndicator(deps.catalog, c.req.param('id'));
    const q = c.req.query();
    if (!q.region) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        'region is required',
        'Give one region code, e.g. region=05358.',
        { field: 'region' },
      );
    }
    if (q.period !== undefined && !PERIOD_RE.test(q.period)) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        `period "${q.period}" is not a year`,
        'Give the reporting year, e.g. period=2023.',
        { field: 'period' },
      );
    }
    const data = await compareRegion({
      store: deps.store,
      regions: deps.regions,
      indicator,
      code: q.region,
      period: q.period,
      breakdown: breakdownOf(indicator, q),
    });
    return c.json({
      indicator: indicator.id,
      unit: indicator.unit,
      data: presentComparison(data, indicator.decimals),
    });
  });

  api.get('/regions', (c) => {
    const level = parseLevel(c.req.query('level'));
    const rows = deps.regions.all().filter((r) => !level || r.level === level);
    return c.json({
      data: rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parent: r.parentCode })),
      groups: deps.regions.groups().map((g) => ({ id: g.id, name: g.name, kind: g.kind })),
    });
  });

  api.get('/regions/:code', (c) => {
    const code = c.req.param('code');
    const region = deps.regions.get(code);
    const group = deps.regions.group(code);
    if (region) return c.json({ data: region });
    if (group) {
      return c.json({ data: { ...group, members: deps.regions.members(code).map((m) => m.code) } });
    }
    throw new BimoError(
      'BIMO_E_REGION_UNKNOWN',
      `region "${code}" does not exist`,
      'GET /api/v1/regions lists region codes and group ids.',
      { field: 'code' },
    );
  });

  api.get('/geometry/:id', async (c) => {
    const g = await deps.store.getGeometry(c.req.param('id'));
    if (!g)
      throw new BimoError(
        'BIMO_E_NOT_FOUND',
        `geometry "${c.req.param('id')}" does not exist`,
        'Use kreise or gemeinden-nrw; run `bimo init` if none exist.',
      );
    c.header('Content-Type', 'application/json');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(g.topojson);
  });

  return api;
}

export function handleError(
  err: Error,
  c: { json: (body: unknown, status: number) => Response },
): Response {
  if (err instanceof BimoError) return c.json(errorEnvelope(err), err.httpStatus);
  console.error(err);
  const internal = new BimoError(
    'BIMO_E_INTERNAL',
    'internal error',
    'Try again; if it persists, report it with the time of the request.',
  );
  return c.json(errorEnvelope(internal), 500);
}

/** The whole server app: security headers, size limits, API, and the portal routes given. */
export function createApp(deps: AppDeps, mount?: (app: Hono<AppEnv>) => void): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
    }),
  );
  app.use(
    '*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) =>
        c.json(
          errorEnvelope(
            new BimoError(
              'BIMO_E_BAD_REQUEST',
              'request body too large (limit 1 MB)',
              'Send a smaller body.',
            ),
          ),
          413,
        ),
    }),
  );
  app.onError((err, c) => handleError(err, c));
  app.notFound((c) =>
    c.json(
      errorEnvelope(
        new BimoError(
          'BIMO_E_NOT_FOUND',
          `no route for ${c.req.method} ${c.req.path}`,
          'See / for the portal and /api/v1/indicators for the API.',
        ),
      ),
      404,
    ),
  );
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/api/v1', createApiApp(deps));
  mount?.(app);
  return app;
}

/**
 * The breakdown a values request asks for, by German dimension parameter (`&geschlecht=weiblich`):
 * at most one of the indicator's breakdowns.
 */
function breakdownOf(
  indicator: Indicator,
  q: Record<string, string>,
): { dim: string; item: string } | undefined {
  const given = indicator.breakdowns.filter((d) => q[d] !== undefined && q[d] !== '');
  if (given.length > 1) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `only one breakdown at a time, not ${given.join(' and ')}`,
      `Ask for ${given.map((d) => `${d}=…`).join(' or ')} in separate requests.`,
      { field: given[1] },
    );
  }
  const dim = given[0];
  return dim === undefined ? undefined : { dim, item: q[dim] ?? '' };
}
