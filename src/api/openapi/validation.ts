/**
 * Request validation failures as the one error envelope: the zod issue becomes a
 * BIMO_E_BAD_REQUEST naming the field (never echoing a password or token sent in it), with the
 * field's description and example from its schema as the fix.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { BimoError } from '../../domain/index.ts';

interface Failure {
  success: false;
  error: z.ZodError;
  target: string;
}

/** Where in the request a field is sent, as the fix names it. */
const WHERE: Record<string, string> = {
  query: 'query parameter',
  param: 'path segment',
  json: 'JSON field',
  form: 'form field',
  header: 'header',
  cookie: 'cookie',
};

/** The metadata (description, example) of a field of an object schema, if any. */
function metaOf(schema: z.ZodType | undefined, path: readonly PropertyKey[]) {
  let s: unknown = schema;
  for (const key of path) {
    const shape = (s as { shape?: Record<string, unknown> } | undefined)?.shape;
    s = shape?.[String(key)];
    // Unwrap optional/default/nullable to reach the described inner schema.
    for (let i = 0; i < 4 && s !== undefined; i++) {
      const meta = (s as { meta?: () => unknown }).meta?.();
      if (meta) break;
      s = (s as { unwrap?: () => unknown }).unwrap?.() ?? undefined;
    }
  }
  return ((s as { meta?: () => unknown } | undefined)?.meta?.() ?? {}) as {
    description?: string;
    example?: unknown;
  };
}

/** The BimoError for a failed zod validation of one part of a request. */
export function validationError(error: z.ZodError, target: string, schema?: z.ZodType): BimoError {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  const field = path.map(String).join('.') || (target === 'json' ? 'body' : target);
  const meta = metaOf(schema, path);
  const where = WHERE[target] ?? target;
  const example =
    meta.example === undefined
      ? ''
      : target === 'query'
        ? ` e.g. ${field}=${String(meta.example)}.`
        : ` e.g. ${JSON.stringify(meta.example)}.`;
  const fix = `${meta.description ? `${where} ${field}: ${meta.description.replace(/\.?$/, '.')}` : `Check the ${where} ${field}.`}${example} The parameters of every route are listed at /api/v1/docs.`;
  return new BimoError('BIMO_E_BAD_REQUEST', `${field}: ${issue?.message ?? 'invalid'}`, fix, {
    field,
    in: target,
  });
}

/** The default hook of every API router: a failed validation is thrown as a BimoError. */
export function validationHook(
  result: { success: true } | Failure,
  _c: Context,
  schema?: z.ZodType,
): undefined {
  if (!result.success) throw validationError(result.error, result.target, schema);
  return undefined;
}
