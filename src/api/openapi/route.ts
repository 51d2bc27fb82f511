/**
 * Declaring an API route: one call registers the handler, validates the request against the
 * route's zod schemas (failures become the error envelope, src/api/openapi/validation.ts) and puts
 * the route into /api/v1/openapi.json. Give every parameter an `example`: the docs page builds its
 * curl line from them and test/integration/openapi.test.ts calls each route with them; optional
 * query parameters the example needs go into `'x-example-query': ['region', …]`.
 */
import { createRoute, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Api, AppEnv } from '../env.ts';
import { validationHook } from './validation.ts';

type Result = Parameters<typeof validationHook>[0];

function bodySchema(route: RouteConfig, mediaType: string): z.ZodType | undefined {
  const content = route.request?.body?.content as
    Record<string, { schema?: unknown } | undefined> | undefined;
  return (content?.[mediaType]?.schema ?? undefined) as z.ZodType | undefined;
}

/** Registers `handler` for `route` on `api`, validated and documented by the route's schemas. */
export function def<R extends RouteConfig>(
  api: Api,
  route: R,
  handler: RouteHandler<R, AppEnv>,
): void {
  const schemas: Record<string, z.ZodType | undefined> = {
    query: route.request?.query as z.ZodType | undefined,
    param: route.request?.params as z.ZodType | undefined,
    json: bodySchema(route, 'application/json'),
    form: bodySchema(route, 'multipart/form-data'),
  };
  const hook = (result: Result, c: Context) =>
    validationHook(result, c, result.success ? undefined : schemas[result.target]);
  api.openapi(createRoute(route) as never, handler as never, hook as never);
}
