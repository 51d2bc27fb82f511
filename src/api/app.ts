/**
 * The HTTP application: JSON API v1 under /api/v1, security headers, the viewer of each request
 * (src/api/auth.ts) and the one error envelope. What a viewer may see or do is decided in
 * src/api/policy.ts only. Tests call it in-process with app.request(); `bimo serve` mounts it on
 * a Node server.
 */
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { Accounts, Sessions } from '../auth/index.ts';
import { BimoError, errorEnvelope, type Release } from '../domain/index.ts';
import {
  compareRegion,
  type ComparedValue,
  type Comparison,
  loadCatalogFull,
  type Indicator,
} from '../indicators/index.ts';
import { normaliseName, type RegionRegistry } from '../regions/index.ts';
import type { Store } from '../store/index.ts';
import {
  createAuthApi,
  limitBody,
  resolveViewer,
  varyByViewer,
  viewerOf,
  type AuthServices,
  type ViewerVariables,
} from './auth.ts';
import {
  downloadHeaders,
  etagOf,
  exportSourceOf,
  exportValues,
  parseExportFormat,
  parseNumberStyle,
} from './export/index.ts';
import {
  audienceOf,
  canSeeRelease,
  canSeeReleaseAuthor,
  findIndicator,
  findRelease,
  Policy,
  visibleIndicators,
  type Viewer,
} from './policy.ts';
import { parseLevel, queryValues, round, roundUp } from './values.ts';

export interface AppDeps {
  store: Store;
  regions: RegionRegistry;
  catalog: Indicator[];
  /**
   * Logins and accounts, one instance per app: it holds the per-IP login limit. Built from
   * `store` when absent.
   */
  accounts?: Accounts;
  /** Sessions and API tokens; built from `store` when absent. */
  sessions?: Sessions;
  /**
   * Behind a reverse proxy: take the client address from X-Forwarded-For and https from
   * X-Forwarded-Proto. Default: the environment variable BIMO_TRUST_PROXY=1.
   */
  trustProxy?: boolean;
}

export type AppEnv = { Variables: { deps: AppDeps } & ViewerVariables };

/**
 * The indicator `id` as `viewer` may see it (default: the public); unknown and hidden ids answer
 * alike. The decision is the policy's (src/api/policy.ts).
 */
export { findIndicator };

const PERIOD_RE = /^\d{4}$/;

/** Rounded to the indicator's decimals (bounds rounded up), in the API's snake_case. */
function presentComparison(c: Comparison, decimals: number): Record<string, unknown> {
  const r = (v: number | null): number | null => round(v, decimals);
  const value = (v: ComparedValue) => ({
    region: v.code,
    name: v.name,
    value: r(v.value),
    flag: v.flag,
    error_bound: roundUp(v.errorBound, decimals),
  });
  return {
    period: c.period,
    dims: c.dimsKey,
    ...value(c.region),
    level: c.region.level,
    references: c.references.map((ref) => ({
      ...value(ref),
      kind: ref.kind,
      difference: r(ref.difference),
      beyond_rounding: ref.beyondRounding,
    })),
    rank: c.rank,
    change: c.change && {
      from: c.change.from,
      value: r(c.change.value),
      difference: r(c.change.difference),
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

/** A release as the API shows it; who created it only to signed-in viewers. */
function releaseRow(r: Release, viewer: Viewer): Record<string, unknown> {
  return {
    id: r.id,
    status: r.status,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    note: r.note,
    ...(canSeeReleaseAuthor(viewer) ? { created_by: r.createdBy } : {}),
  };
}

export function createApiApp(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get('/indicators', (c) =>
    c.json({
      data: visibleIndicators(viewerOf(c), deps.catalog).map((i) => ({
        id: i.id,
        area: i.area,
        kind: i.kind,
        status: i.status,
        title_de: i.title_de,
        title_en: i.title_en,
        unit: i.unit,
        polarity: i.polarity,
        visibility: i.visibility,
      })),
    }),
  );

  api.get('/indicators/:id', (c) => {
    const i = findIndicator(deps.catalog, c.req.param('id'), viewerOf(c));
    return c.json({ data: publicDefinition(i) });
  });

  api.get('/indicators/:id/values', async (c) => {
    const viewer = viewerOf(c);
    const indicator = findIndicator(deps.catalog, c.req.param('id'), viewer);
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
      audience: audienceOf(viewer),
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
    const viewer = viewerOf(c);
    const indicator = findIndicator(deps.catalog, c.req.param('id'), viewer);
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
      audience: audienceOf(viewer),
    });
    return c.json({
      indicator: indicator.id,
      unit: indicator.unit,
      data: presentComparison(data, indicator.decimals),
    });
  });

  api.get('/releases', async (c) => {
    const viewer = viewerOf(c);
    const releases = (await deps.store.listReleases()).filter((r) => canSeeRelease(viewer, r));
    return c.json({ data: releases.map((r) => releaseRow(r, viewer)) });
  });

  api.get('/releases/:id', async (c) => {
    const viewer = viewerOf(c);
    const raw = c.req.param('id');
    const release = /^\d{1,9}$/.test(raw) ? await deps.store.getRelease(Number(raw)) : null;
    return c.json({ data: releaseRow(findRelease(release, viewer), viewer) });
  });

  api.get('/questions', (c) => {
    const visible = new Set(visibleIndicators(viewerOf(c), deps.catalog).map((i) => i.id));
    const full = loadCatalogFull();
    return c.json({
      version: full.version,
      handlungsfelder: full.handlungsfelder,
      data: full.questions.map((q) => ({
        ...q,
        indicators: q.indicators.filter((id) => visible.has(id)),
      })),
    });
  });

  api.get('/regions', (c) => {
    const level = parseLevel(c.req.query('level'));
    const q = normaliseName(c.req.query('q') ?? '');
    const rows = deps.regions
      .all()
      .filter((r) => !level || r.level === level)
      .filter((r) => q === '' || r.code.startsWith(q) || normaliseName(r.name).includes(q));
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

export function handleError(err: Error, c: Context): Response {
  if (err instanceof BimoError) return c.json(errorEnvelope(err), err.httpStatus as 400);
  console.error(err);
  const internal = new BimoError(
    'BIMO_E_INTERNAL',
    'internal error',
    'Try again; if it persists, report it with the time of the request.',
  );
  return c.json(errorEnvelope(internal), 500);
}

/** The accounts, sessions and policy of one app (built from the store unless given). */
export function authServices(deps: AppDeps): AuthServices {
  const accounts = deps.accounts ?? new Accounts(deps.store);
  const sessions = deps.sessions ?? new Sessions(deps.store, { now: accounts.config.now });
  return {
    store: deps.store,
    regions: deps.regions,
    accounts,
    sessions,
    policy: new Policy(deps.store, sessions.config.now),
    trustProxy: deps.trustProxy ?? process.env.BIMO_TRUST_PROXY === '1',
  };
}

/**
 * The whole server app: security headers, size limits, the viewer of each request, the API and
 * the portal routes given. Every response carries the headers, errors included.
 */
export function createApp(deps: AppDeps, mount?: (app: Hono<AppEnv>) => void): Hono<AppEnv> {
  const auth = authServices(deps);
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The SVG maps and charts use presentation attributes, never style attributes, so
        // styles need no 'unsafe-inline' either (src/viz/svg.ts, echarts-svg.ts).
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      xContentTypeOptions: 'nosniff',
      referrerPolicy: 'strict-origin-when-cross-origin',
    }),
  );
  app.use('*', limitBody(1024 * 1024));
  app.use('*', varyByViewer());
  app.use('*', resolveViewer(auth));
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
  app.route('/api/v1', createAuthApi(auth));
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
