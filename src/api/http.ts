/**
 * HTTP behaviour shared by every route: body size limits, caching that keeps one audience's
 * answers from another, and ETag revalidation of every GET answer.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { etag } from 'hono/etag';
import { BimoError, errorEnvelope } from '../domain/index.ts';
import { viewerOf } from './viewer.ts';

/** A body limit answering with the error envelope (413); `fix` tells what to do instead. */
export function limitBody(
  maxSize: number,
  fix = 'Send a smaller body; import larger files with `bimo import` on the server.',
): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        errorEnvelope(
          new BimoError(
            'BIMO_E_TOO_LARGE',
            `request body too large (limit ${maxSize >= 1024 * 1024 ? `${maxSize / 1024 / 1024} MB` : `${maxSize / 1024} KB`})`,
            fix,
            { limit: maxSize },
          ),
        ),
        413,
      ),
  });
}

/** Answers that are the same for everyone (no Vary, public caching kept). */
const SHARED_PATHS = /^\/(static\/|favicon\.|healthz$|readyz$|api\/v1\/geometry\/)/;

/**
 * Answers depend on who asks: caches must key them by the credentials (`Vary`), and answers to a
 * signed-in viewer are private and revalidated (an ETag 304 then never crosses audiences).
 */
export function varyByViewer(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (SHARED_PATHS.test(c.req.path)) return;
    c.header('Vary', 'Cookie, Authorization', { append: true });
    const cacheControl = c.res.headers.get('Cache-Control') ?? '';
    if (viewerOf(c).kind === 'user' && !cacheControl.includes('no-store')) {
      c.header('Cache-Control', 'private, no-cache');
    }
  };
}

/**
 * Every successful GET answer carries an ETag (a hash of its bytes, so two audiences that see
 * different bytes never share one) and, unless the route said otherwise, `Cache-Control:
 * no-cache`: caches may keep it but must revalidate, and `If-None-Match` answers 304.
 */
export function revalidate(): MiddlewareHandler {
  const tag = etag();
  return (c, next) =>
    tag(c, async () => {
      await next();
      const read = c.req.method === 'GET' || c.req.method === 'HEAD';
      if (read && c.res.ok && !c.res.headers.has('Cache-Control')) {
        c.header('Cache-Control', 'no-cache');
      }
    });
}

/**
 * Writes with a JSON body must say so. Also a CSRF guard: a cross-site form cannot send
 * `application/json` without a CORS preflight, which bimo never grants.
 */
export function jsonOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (!/^application\/json\b/i.test(c.req.header('Content-Type') ?? '')) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        'the body must be JSON',
        'Send `Content-Type: application/json` and a JSON object.',
        { field: 'content-type' },
      );
    }
    try {
      await c.req.json();
    } catch {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        'the body is not valid JSON',
        'Send a JSON object, e.g. {"email": "…", "password": "…"}.',
      );
    }
    await next();
  };
}
