/**
 * Schemas shared by the API routes: the error envelope, pagination, and the common parameters.
 * Descriptions and examples here appear in /api/v1/openapi.json and in the fix of a validation
 * error (src/api/openapi/validation.ts).
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ERROR_CODES, REGION_LEVELS } from '../../domain/index.ts';

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [string, ...string[]]).meta({
        description: 'A stable code; docs/errors.md explains each.',
      }),
      message: z.string().meta({ description: 'What went wrong, in English.' }),
      fix: z.string().meta({ description: 'What to do about it.' }),
      details: z.record(z.string(), z.unknown()).meta({
        description: 'Machine-readable context, e.g. the `field` that was refused.',
      }),
    }),
  })
  .openapi('Error');

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is malformed or a parameter is invalid (BIMO_E_BAD_REQUEST).',
  401: 'Not signed in, or the token is unknown or revoked (BIMO_E_UNAUTHENTICATED).',
  403: 'Signed in, but this role may not do it (BIMO_E_FORBIDDEN), or the CSRF token is missing.',
  404: 'Unknown, or not visible to this viewer (hidden objects answer like unknown ones).',
  409: 'Conflicts with the current state (BIMO_E_CONFLICT).',
  413: 'The body or upload is larger than the limit (BIMO_E_TOO_LARGE).',
  415: 'The file format is not recognised (BIMO_E_FORMAT_UNKNOWN).',
  422: 'The file or value was read but refused (BIMO_E_PARSE, BIMO_E_PASSWORD_POLICY, …).',
  429: 'Too many attempts; wait for Retry-After seconds (BIMO_E_RATE_LIMITED).',
  500: 'An internal error (BIMO_E_INTERNAL); report it with the time of the request.',
};

/** Error responses of a route, each with the one envelope. */
export function errors<C extends number>(
  ...codes: C[]
): Record<
  C,
  { description: string; content: { 'application/json': { schema: typeof ErrorEnvelope } } }
> {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: STATUS_TEXT[code] ?? 'An error.',
        content: { 'application/json': { schema: ErrorEnvelope } },
      },
    ]),
  ) as Record<
    C,
    { description: string; content: { 'application/json': { schema: typeof ErrorEnvelope } } }
  >;
}

/** A JSON 200 answer described by `schema`. */
export function ok<T extends z.ZodType>(
  schema: T,
  description: string,
): { 200: { description: string; content: { 'application/json': { schema: T } } } } {
  return { 200: { description, content: { 'application/json': { schema } } } };
}

export const PageMeta = z
  .object({
    limit: z.number().int(),
    offset: z.number().int(),
    total: z.number().int().nullable().meta({
      description:
        'How many items match over all pages; null where counting is not done (the audit log).',
    }),
    next: z.string().nullable().meta({
      description: 'The URL of the next page (also in the Link header); null at the end.',
    }),
  })
  .openapi('Page');

/** `limit` and `offset` query parameters. */
export function pageQuery(defaultLimit: number, maxLimit: number) {
  return {
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(maxLimit)
      .default(defaultLimit)
      .meta({
        description: `Items per page, 1 to ${maxLimit} (default ${defaultLimit}).`,
        example: defaultLimit,
      }),
    offset: z.coerce
      .number()
      .int()
      .min(0)
      .max(1_000_000_000)
      .default(0)
      // Stated in full: coercion would otherwise document `null` as allowed (Number(null) is 0).
      .openapi({
        type: 'integer',
        minimum: 0,
        maximum: 1_000_000_000,
        default: 0,
        description: 'Items to skip (default 0).',
        example: 0,
      }),
  };
}

/**
 * One page of `items` (already in their stable order) with its meta; the URL of the next page
 * goes into a `Link: <…>; rel="next"` header as well.
 */
export function paginate<T>(
  c: Context,
  items: readonly T[],
  page: { limit: number; offset: number },
): { data: T[]; page: z.infer<typeof PageMeta> } {
  const data = items.slice(page.offset, page.offset + page.limit);
  const end = page.offset + data.length;
  let next: string | null = null;
  if (end < items.length) {
    const url = new URL(c.req.url);
    url.searchParams.set('offset', String(end));
    url.searchParams.set('limit', String(page.limit));
    next = `${url.pathname}${url.search}`;
    c.header('Link', `<${next}>; rel="next"`);
  }
  return { data, page: { limit: page.limit, offset: page.offset, total: items.length, next } };
}

export const Level = z.enum(REGION_LEVELS).meta({
  description: 'A region level.',
  example: 'kreis',
});

export const Period = z
  .string()
  .regex(/^\d{4}$/, 'is not a year')
  .meta({ description: 'A reporting year (Schuljahr 2023/24 is 2023).', example: '2023' });

export const Flag = z.string().nullable().meta({
  description:
    'The special sign of the value (docs/flags: `-` nothing, `.` secret or suppressed, `…` not yet available, `x` not sensible, `/` too uncertain, `p` provisional, `r` revised, `e` estimated); null when none.',
});
