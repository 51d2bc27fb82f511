/**
 * The OpenAPI 3.1 document of API v1, generated from the routes' zod schemas (the same ones that
 * validate the requests), served at /api/v1/openapi.json, and rendered as a readable page at
 * /api/v1/docs (src/api/openapi/docs-page.ts).
 */
import type { Api } from '../env.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../viewer.ts';

export const API_BASE = '/api/v1';

const DESCRIPTION = `The machine interface of bimo, the regional education monitoring: indicators, their values with flags and sources, regions and maps, releases, imports and reports.

- **Reading** needs no account; signed-in members also see internal indicators and drafts.
- **Signing in**: send an API token as \`Authorization: Bearer bimo_…\`, or use the session cookie \`${SESSION_COOKIE}\` from POST /auth/login; cookie sessions send \`${CSRF_HEADER}\` with every write.
- **Errors** share one envelope \`{"error": {"code", "message", "fix", "details"}}\`; the codes are listed in docs/errors.md.
- **Caching**: every GET answer has an ETag; send If-None-Match to get 304 when nothing changed.
- **Pages**: lists take \`limit\` and \`offset\`, answer with \`page.total\` and \`page.next\`, and a Link header.
- **Numbers**: CSV downloads use the German format (semicolon, decimal comma) unless \`numbers=international\`.`;

export const TAGS = [
  { name: 'Indicators', description: 'The catalog: definitions and Fragestellungen.' },
  { name: 'Values', description: 'Indicator values, series and comparisons.' },
  { name: 'Regions', description: 'Regions, hierarchy, groups and map geometry.' },
  { name: 'Sources', description: 'Where every value comes from.' },
  { name: 'Releases', description: 'Versions of the data: draft, approved, published.' },
  { name: 'Imports', description: 'Upload a file, read its dry-run report, commit it.' },
  { name: 'Reports', description: 'Report chapters as HTML and PDF.' },
  { name: 'Accounts', description: 'Sign in, API tokens, accounts and the audit log.' },
  { name: 'Meta', description: 'This document and the health check.' },
];

/** The OpenAPI 3.1 document of `api` (the router mounted at /api/v1). */
export function apiDocument(api: Api): Record<string, unknown> {
  const registry = api.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'token', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (`bimo_…`) from POST /auth/tokens.',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `The session cookie from POST /auth/login; writes also need the ${CSRF_HEADER} header.`,
  });
  const doc = api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'bimo API',
      version: '1',
      description: DESCRIPTION,
      license: {
        name: 'EUPL-1.2',
        url: 'https://interoperable-europe.ec.europa.eu/collection/eupl',
      },
    },
    servers: [{ url: API_BASE }],
    tags: TAGS,
    // Anonymous, or signed in either way.
    security: [{}, { token: [] }, { session: [] }],
  });
  return doc as unknown as Record<string, unknown>;
}
