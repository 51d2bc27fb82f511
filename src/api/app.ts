/**
 * The HTTP application: security headers, size limits, the viewer of each request
 * (src/api/viewer.ts), caching and ETags (src/api/http.ts), the JSON API v1 under /api/v1
 * (src/api/routes/, documented at /api/v1/openapi.json) and the one error envelope. What a viewer
 * may see or do is decided in src/api/policy.ts only. Tests call it in-process with
 * app.request(); `bimo serve` mounts it on a Node server.
 */
import { z } from '@hono/zod-openapi';
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { BimoError, errorEnvelope } from '../domain/index.ts';
import { newApi, servicesOf, type Api, type AppDeps, type AppEnv, type Services } from './env.ts';
import { mountHealth } from './health.ts';
import { limitBody, revalidate, varyByViewer } from './http.ts';
import { requestLog, type Logger } from './log.ts';
import { API_BASE, apiDocument } from './openapi/document.ts';
import { renderDocsPage } from './openapi/docs-page.ts';
import { def } from './openapi/route.ts';
import { ok } from './openapi/schemas.ts';
import { auditRoutes } from './routes/audit.ts';
import { uploadFix, uploadLimitBytes } from './routes/import-schemas.ts';
import { authRoutes } from './routes/auth.ts';
import { importRoutes } from './routes/imports.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { regionRoutes } from './routes/regions.ts';
import { releaseRoutes } from './routes/releases.ts';
import { reportRoutes } from './routes/reports.ts';
import { sourceRoutes } from './routes/sources.ts';
import { userRoutes } from './routes/users.ts';
import { valueRoutes } from './routes/values.ts';
import { withValueCache } from './value-cache.ts';
import { resolveViewer } from './viewer.ts';

export type { AppDeps, AppEnv } from './env.ts';
/**
 * The indicator `id` as `viewer` may see it (default: the public); unknown and hidden ids answer
 * alike. The decision is the policy's (src/api/policy.ts).
 */
export { findIndicator } from './policy.ts';

/** Every route of API v1, in the order of the document. */
export function createApiApp(s: Services): Api {
  const api = newApi();
  for (const routes of [
    indicatorRoutes,
    valueRoutes,
    regionRoutes,
    sourceRoutes,
    releaseRoutes,
    importRoutes,
    reportRoutes,
    authRoutes,
    userRoutes,
    auditRoutes,
  ]) {
    api.route('/', routes(s));
  }
  let doc: Record<string, unknown> | undefined;
  const document = () => (doc ??= apiDocument(api));
  // Both are built once per app, on first request: the routes are fixed by then.
  let page: string | undefined;
  const docsPage = () => (page ??= renderDocsPage(document()));
  def(
    api,
    {
      method: 'get',
      path: '/openapi.json',
      tags: ['Meta'],
      summary: 'This OpenAPI 3.1 document',
      responses: ok(z.looseObject({ openapi: z.string() }), 'The document.'),
    },
    (c) => c.json(document() as { openapi: string }, 200),
  );
  def(
    api,
    {
      method: 'get',
      path: '/docs',
      tags: ['Meta'],
      summary: 'This document as a readable page',
      responses: {
        200: { description: 'HTML.', content: { 'text/html': { schema: z.string() } } },
      },
    },
    (c) => c.html(docsPage(), 200),
  );
  return api;
}

export function handleError(err: Error, c: Context, log?: Logger): Response {
  if (err instanceof BimoError) {
    // The database went away for a moment (src/store/postgres/resilience.ts): ask to retry.
    if (err.code === 'BIMO_E_DATABASE_UNAVAILABLE') {
      c.header('Retry-After', '2');
      log?.warn('database unavailable', { path: c.req.path, reason: err.message });
    }
    return c.json(errorEnvelope(err), err.httpStatus as 400);
  }
  if (log) log.error('internal error', { path: c.req.path, error: err.stack ?? String(err) });
  else console.error(err);
  const internal = new BimoError(
    'BIMO_E_INTERNAL',
    'internal error',
    'Try again; if it persists, report it with the time of the request.',
  );
  return c.json(errorEnvelope(internal), 500);
}

/** Paths whose own route sets a larger body limit (file uploads). */
const UPLOAD_PATHS = new Set([`${API_BASE}/imports`]);
/**
 * The portal's upload form: its CSRF field is read from the body before any route runs
 * (src/api/viewer.ts), so the upload limit applies here already.
 */
const FORM_UPLOAD_PATHS = new Set(['/intern/import']);

/**
 * The whole server app: security headers, size limits, the viewer of each request, the API and
 * the portal routes given (mounted with the app's deps, whose store reads through the value
 * cache). Every response carries the headers, errors included.
 */
export function createApp(
  given: AppDeps,
  mount?: (app: Hono<AppEnv>, deps: AppDeps) => void,
): Hono<AppEnv> {
  // One value cache for the API and the pages (src/api/value-cache.ts).
  const deps = { ...given, store: withValueCache(given.store) };
  const services = servicesOf(deps);
  const app = new Hono<AppEnv>();
  const log = given.logger;
  if (log) app.use('*', requestLog(log));
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
  const defaultLimit = limitBody(1024 * 1024);
  const uploadLimit = limitBody(uploadLimitBytes(), uploadFix(uploadLimitBytes()));
  app.use('*', (c, next) => {
    if (UPLOAD_PATHS.has(c.req.path)) return next();
    return (FORM_UPLOAD_PATHS.has(c.req.path) ? uploadLimit : defaultLimit)(c, next);
  });
  app.use('*', varyByViewer());
  app.use('*', resolveViewer(services));
  app.use('*', revalidate());
  app.onError((err, c) => handleError(err, c, log));
  app.notFound((c) =>
    c.json(
      errorEnvelope(
        new BimoError(
          'BIMO_E_NOT_FOUND',
          `no route for ${c.req.method} ${c.req.path}`,
          'See / for the portal and /api/v1/docs for the API.',
        ),
      ),
      404,
    ),
  );
  mountHealth(app, deps.store, given.lifecycle ?? { draining: false }, log);
  app.route(API_BASE, createApiApp(services));
  mount?.(app, deps);
  return app;
}
