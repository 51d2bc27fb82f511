/**
 * Reading the generated OpenAPI document: its operations in order, and the example request of
 * each, built only from the documented examples (path parameters, required query parameters, the
 * optional ones an operation names in `x-example-query`, and the request body's field examples).
 * The docs page prints it as a curl line; test/integration/openapi.test.ts sends it, so an
 * example that stops working fails a test.
 */

export type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  format?: string;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: Schema;
  example?: unknown;
}

export interface MediaType {
  schema?: Schema;
}

export interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; description?: string; content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
  security?: Record<string, string[]>[];
  /** Optional query parameters whose examples belong in the example request. */
  'x-example-query'?: string[];
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, Schema>;
    securitySchemes?: Record<string, { type: string; description?: string }>;
  };
}

export const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type Method = (typeof METHODS)[number];

export interface Entry {
  method: Method;
  /** As documented, relative to the server (`/indicators/{id}`). */
  path: string;
  op: Operation;
}

/** Every operation of the document, in its order. */
export function operationsOf(doc: OpenApiDocument): Entry[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((method) => ({
      method,
      path,
      op: item[method] as Operation,
    })),
  );
}

/** `get-indicators-id-values`: a stable anchor for an operation. */
export function anchorOf(method: string, path: string): string {
  return `${method}-${path}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The schema a `$ref` points to (one level; our components never chain references). */
export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  const ref = schema?.$ref;
  if (ref === undefined) return schema;
  return doc.components?.schemas?.[ref.replace('#/components/schemas/', '')];
}

/**
 * An object schema with its `allOf` parts merged (`Base.extend({…})` becomes an `allOf` of the
 * base's `$ref` and the added fields): all properties and required fields in one.
 */
export function flatten(doc: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  const s = resolve(doc, schema);
  if (!s?.allOf) return s;
  const parts = s.allOf.map((p) => flatten(doc, p) ?? {});
  return {
    ...s,
    allOf: undefined,
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<
      string,
      Schema
    >,
    required: parts.flatMap((p) => p.required ?? []),
  };
}

/** The documented example of a parameter or schema, if any. */
export function exampleOf(
  doc: OpenApiDocument,
  p: Parameter | Schema | undefined,
): unknown | undefined {
  if (p === undefined) return undefined;
  if (p.example !== undefined) return p.example;
  const schema = 'in' in p ? (p as Parameter).schema : resolve(doc, p as Schema);
  if (schema === undefined) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  return undefined;
}

export interface ExampleRequest {
  method: Method;
  /** The path with the examples filled in (relative to the server). */
  path: string;
  query: [string, string][];
  /** The JSON body built from field examples, when the operation takes a JSON body. */
  body?: Record<string, unknown> | undefined;
  /** The content type of the body (the first documented). */
  bodyType?: string | undefined;
  /** What the document gives no example for (`path id`, `query region`, `body password`). */
  missing: string[];
}

/** A path segment, readable: `@` may stay (RFC 3986 pchar). */
const segment = (v: string): string => encodeURIComponent(v).replace(/%40/g, '@');

/** A query value as a string; arrays comma-separated as the API reads them. */
function queryValue(v: unknown): string {
  return Array.isArray(v) ? v.map(String).join(',') : String(v);
}

/** An object from its fields' examples: required ones must have one, optional ones may. */
function bodyFromExamples(
  doc: OpenApiDocument,
  schema: Schema | undefined,
  at: string,
  missing: string[],
): Record<string, unknown> {
  const s = flatten(doc, schema);
  const whole = exampleOf(doc, s);
  if (whole !== undefined && typeof whole === 'object' && whole !== null) {
    return whole as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(s?.properties ?? {})) {
    const required = s?.required?.includes(name) ?? false;
    const example = exampleOf(doc, field);
    const inner = resolve(doc, field);
    if (example !== undefined) out[name] = example;
    else if (required && inner?.properties) {
      out[name] = bodyFromExamples(doc, inner, `${at}${name}.`, missing);
    } else if (required) missing.push(`body ${at}${name}`);
  }
  return out;
}

/** The example request of an operation, from the document's examples only. */
export function exampleRequest(doc: OpenApiDocument, e: Entry): ExampleRequest {
  const missing: string[] = [];
  const params = e.op.parameters ?? [];
  let path = e.path;
  for (const p of params.filter((p) => p.in === 'path')) {
    const example = exampleOf(doc, p);
    if (example === undefined) missing.push(`path ${p.name}`);
    else path = path.replace(`{${p.name}}`, segment(queryValue(example)));
  }
  const wanted = new Set(e.op['x-example-query'] ?? []);
  const query: [string, string][] = [];
  for (const p of params.filter((p) => p.in === 'query')) {
    if (!p.required && !wanted.has(p.name)) continue;
    const example = exampleOf(doc, p);
    if (example === undefined) missing.push(`query ${p.name}`);
    else query.push([p.name, queryValue(example)]);
  }
  const content = e.op.requestBody?.content ?? {};
  const bodyType = Object.keys(content)[0];
  let body: Record<string, unknown> | undefined;
  if (bodyType !== undefined) {
    body = bodyFromExamples(doc, content[bodyType]?.schema, '', missing);
  }
  return { method: e.method, path, query, body, bodyType, missing };
}

/** The query string of an example (`?a=1&b=x,y`), readable: commas and colons stay. */
export function queryString(query: readonly [string, string][]): string {
  if (query.length === 0) return '';
  const enc = (v: string) => encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%3A/gi, ':');
  return `?${query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}`;
}
