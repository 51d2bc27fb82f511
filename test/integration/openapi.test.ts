/**
 * The OpenAPI document against the app it describes (full demo store, an admin signed in by API
 * token): it is valid OpenAPI 3.1 by a standard validator; its operations are exactly the app's
 * routes under /api/v1 (read from Hono's route table, so a route added without documentation, or
 * documentation without a route, fails); and every documented operation is called with a request
 * built from the document's own examples (src/api/openapi/examples.ts, the same the docs page prints
 * as curl lines) and must answer 2xx with a documented status and content type, a JSON answer
 * valid against its documented schema (ajv, JSON Schema 2020-12).
 *
 * Where examples cannot be enough, OVERRIDES says why and prepares the request: secrets (a
 * password, a token id made at run time), unique values (a new account's email), files to upload,
 * and states a write needs first (a draft release to approve). A route that has neither examples
 * nor an override fails with a message naming it and what it lacks.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { inspectRoutes } from 'hono/dev';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import {
  anchorOf,
  exampleOf,
  exampleRequest,
  operationsOf,
  queryString,
  type Entry,
  type OpenApiDocument,
} from '../../src/api/openapi/examples.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';
import { LEAVERS_2023 } from '../helpers/sample.ts';

const PW = 'Indemann über dem Tagebau';
const ADMIN = 'openapi-admin@example.org';
const BASE = '/api/v1';

// Built at collection time: the tests below are one per documented operation.
const base = await buildFullDemoStore();
const sessions = new Sessions(base.store);
const deps: AppDeps = { ...base, accounts: new Accounts(base.store), sessions };
const admin = await deps.accounts!.createAccount(
  { email: ADMIN, password: PW, role: 'admin' },
  { actor: 'cli:test' },
);
const { token } = await sessions.issueApiToken(admin, 'openapi test', { actor: ADMIN });
const app = createApp(deps, (a) => mountWeb(a, deps));
const doc = (await (await app.request(`${BASE}/openapi.json`)).json()) as OpenApiDocument;
const entries = operationsOf(doc);

afterAll(async () => {
  await deps.store.close();
});

const asToken = { Authorization: `Bearer ${token}` };

async function asSession(): Promise<Record<string, string>> {
  const s = await sessions.createSession(admin);
  return { Cookie: `bimo_session=${s.sessionId}`, 'X-CSRF-Token': s.csrfToken };
}

/** A request as the admin: by API token, unless `init` brings a session cookie. */
async function api(method: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = (init.headers ?? {}) as Record<string, string>;
  return app.request(`${BASE}${path}`, {
    method,
    ...init,
    headers: 'Cookie' in headers ? headers : { ...asToken, ...headers },
  });
}

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

let fileCounter = 0;
/** The leavers table with one count changed: a new file (its hash), so it imports anew. */
function revisedLeavers(): File {
  const n = ++fileCounter;
  const text = readFileSync(LEAVERS_2023, 'latin1').replace(
    '2023;05358;      Düren, Kreis;2560;1275;150;',
    `2023;05358;      Düren, Kreis;2560;1275;${150 + n};`,
  );
  return new File([Buffer.from(text, 'latin1')], basename(LEAVERS_2023), { type: 'text/csv' });
}

async function upload(): Promise<number> {
  const form = new FormData();
  form.set('file', revisedLeavers());
  const res = await api('POST', '/imports', { body: form });
  return (await json<{ data: { id: number } }>(res, 'upload')).data.id;
}

/** A committed upload: its draft release. */
async function draftRelease(): Promise<number> {
  const id = await upload();
  await json(await api('POST', `/imports/${id}/commit`), 'commit');
  const releases = await deps.store.listReleases();
  return Math.max(...releases.filter((r) => r.status === 'draft').map((r) => r.id));
}

interface Prepared {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  form?: FormData;
  headers?: Record<string, string>;
}

/** Routes whose examples cannot be enough, why, and how their request is prepared. */
const OVERRIDES: Record<string, { why: string; prepare: () => Promise<Prepared> | Prepared }> = {
  'POST /auth/login': {
    why: 'a password has no example',
    prepare: () => ({ body: { email: ADMIN, password: PW } }),
  },
  'POST /auth/tokens': {
    why: 'a token never mints tokens: this needs a browser session (cookie and CSRF token)',
    prepare: async () => ({ headers: await asSession() }),
  },
  'DELETE /auth/tokens/{id}': {
    why: 'token ids are made at run time: revoke one created through the API first',
    prepare: async () => {
      const res = await api('POST', '/auth/tokens', {
        headers: { ...(await asSession()), 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'to be revoked' }),
      });
      return { params: { id: (await json<{ data: { id: string } }>(res, 'token')).data.id } };
    },
  },
  'POST /users': {
    why: 'a new account needs an unused email and a password',
    prepare: () => ({ body: { email: `neu-${++fileCounter}@example.org`, password: PW } }),
  },
  'PATCH /users/{email}': {
    why: 'the account must exist: create it through the API first',
    prepare: async () => {
      const email = `geaendert-${++fileCounter}@example.org`;
      await json(
        await api('POST', '/users', {
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, password: PW, role: 'member' }),
        }),
        'create account',
      );
      return { params: { email } };
    },
  },
  'POST /imports': {
    why: 'a file to upload: the leavers table with one count revised',
    prepare: () => {
      const form = new FormData();
      form.set('file', revisedLeavers());
      return { form };
    },
  },
  'GET /imports/{id}': {
    why: 'upload numbers are made at run time: upload a file first',
    prepare: async () => ({ params: { id: String(await upload()) } }),
  },
  'DELETE /imports/{id}': {
    why: 'only an undecided upload can be discarded: upload a file first',
    prepare: async () => ({ params: { id: String(await upload()) } }),
  },
  'POST /imports/{id}/commit': {
    why: 'only an undecided upload of a new file can be committed: upload one first',
    prepare: async () => ({ params: { id: String(await upload()) } }),
  },
  'POST /releases/{id}/approve': {
    why: 'only a draft can be approved: import one first',
    prepare: async () => ({ params: { id: String(await draftRelease()) } }),
  },
  'POST /releases/{id}/publish': {
    why: 'only an approved release can be published: import and approve one first',
    prepare: async () => {
      const id = await draftRelease();
      await json(await api('POST', `/releases/${id}/approve`), 'approve');
      return { params: { id: String(id) } };
    },
  },
};

const keyOf = (e: Entry) => `${e.method.toUpperCase()} ${e.path}`;

/** The request of an operation: its examples, completed by its override. */
async function requestOf(e: Entry): Promise<{ path: string; init: RequestInit }> {
  const ex = exampleRequest(doc, e);
  const override = OVERRIDES[keyOf(e)];
  const p: Prepared = (await override?.prepare()) ?? {};
  const missing = ex.missing.filter((m) => {
    const [where, name = ''] = m.split(' ');
    if (where === 'path') return p.params?.[name] === undefined;
    if (where === 'query') return p.query?.[name] === undefined;
    return p.form === undefined && p.body?.[name.split('.')[0] ?? ''] === undefined;
  });
  if (missing.length > 0) {
    throw new Error(
      `${keyOf(e)} cannot be called from its documented examples: no example for ${missing.join(', ')}. Add \`example\`s to its zod schemas (or, for a secret or a state the call needs, an entry in OVERRIDES saying why).`,
    );
  }
  let path = e.path;
  for (const param of (e.op.parameters ?? []).filter((q) => q.in === 'path')) {
    const value = p.params?.[param.name] ?? String(exampleOf(doc, param));
    path = path.replace(`{${param.name}}`, encodeURIComponent(value));
  }
  const query = [...ex.query.filter(([k]) => p.query?.[k] === undefined)];
  query.push(...Object.entries(p.query ?? {}));
  const headers: Record<string, string> = { ...(p.headers ?? asToken) };
  let body: BodyInit | undefined;
  if (p.form) body = p.form;
  else if (ex.bodyType === 'application/json') {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify({ ...ex.body, ...p.body });
  }
  // Upper case: fetch normalises GET, POST, DELETE … but not PATCH, and routes match exactly.
  const method = e.method.toUpperCase();
  return { path: `${BASE}${path}${queryString(query)}`, init: { method, headers, body } };
}

const ajv = new Ajv2020({ allErrors: true, validateFormats: false });
// OpenAPI's own keywords beside JSON Schema (OpenAPI 3.1 §4.8.24), and the components the $refs
// point into; any other unknown keyword fails the compilation (ajv's strict mode).
ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs', 'components']);

function validatorOf(schema: object) {
  return ajv.compile({ ...schema, components: doc.components });
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 by @seriousme/openapi-schema-validator', async () => {
    const spec = doc as unknown as Parameters<Validator['validate']>[0];
    const result = await new Validator().validate(spec);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('documents every route under /api/v1, and no route the app does not have', () => {
    const routes = new Set(
      inspectRoutes(app)
        .filter((r) => !r.isMiddleware && r.path.startsWith(`${BASE}/`))
        .map((r) => `${r.method} ${r.path.slice(BASE.length)}`),
    );
    const documented = new Set(
      entries.map((e) => `${e.method.toUpperCase()} ${e.path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(
      [...routes].filter((r) => !documented.has(r)),
      'routes missing in the document',
    ).toEqual([]);
    expect(
      [...documented].filter((r) => !routes.has(r)),
      'documented, but no route',
    ).toEqual([]);
  });

  it('says why for every override, and every override is a documented operation', () => {
    const keys = new Set(entries.map(keyOf));
    expect(Object.keys(OVERRIDES).filter((k) => !keys.has(k))).toEqual([]);
  });
});

describe('the docs page /api/v1/docs', () => {
  it('has every operation under its stable anchor, with its curl line, and nothing the CSP refuses', async () => {
    const res = await app.request(`${BASE}/docs`);
    const page = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    for (const e of entries) {
      expect(page, keyOf(e)).toContain(`id="${anchorOf(e.method, e.path)}"`);
      expect(page, keyOf(e)).toContain(`href="#${anchorOf(e.method, e.path)}"`);
    }
    expect(page).toContain('id="get-indicators-id-values"');
    expect(page).toContain(
      'curl &quot;$BIMO/api/v1/indicators/D6/values?region=05358,05,rheinisches-revier&amp;period=2023&quot;',
    );
    expect(page).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('<a href="/api/v1/docs">API</a>');
    expect(page.match(/<h1[\s>]/g)).toHaveLength(1);
    // Every table names its columns and rows for screen readers.
    expect(page.match(/<th(?![^>]*scope=)[\s>]/g) ?? []).toEqual([]);
  });
});

describe('every documented operation, called with its examples by an admin', () => {
  it.each(entries.map((e) => [keyOf(e), e] as const))('%s', async (key, e) => {
    const { path, init } = await requestOf(e);
    const res = await app.request(path, init);
    const text = res.status >= 400 ? await res.clone().text() : '';
    expect(res.status, `${key} → ${path}: ${text}`).toBeGreaterThanOrEqual(200);
    expect(res.status, `${key} → ${path}: ${text}`).toBeLessThan(300);
    const documented = e.op.responses[String(res.status)];
    expect(documented, `${key} answered ${res.status}, which is not documented`).toBeDefined();
    const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (res.status === 204) return;
    expect(Object.keys(documented?.content ?? {}), `${key}: content type`).toContain(type);
    if (type !== 'application/json') return;
    const schema = documented?.content?.['application/json']?.schema;
    expect(schema, `${key}: JSON schema`).toBeDefined();
    const validate = validatorOf(schema as object);
    const body: unknown = await res.json();
    expect(validate(body) ? [] : validate.errors, `${key}: answer against its schema`).toEqual([]);
  });
});
