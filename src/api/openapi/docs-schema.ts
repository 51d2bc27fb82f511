/**
 * JSON schemas of the OpenAPI document as short, readable HTML for the docs page: a type with
 * its allowed values and limits (`integer, 1–500, Standard 100`), and the shape of an answer
 * (`{ data: Report[], page: Page }`) with links to the named schemas.
 */
import { html, type Raw } from '../../web/html.ts';
import type { OpenApiDocument, Schema } from './examples.ts';

export const schemaAnchor = (name: string): string => `schema-${name}`;

const refName = (ref: string): string => ref.replace('#/components/schemas/', '');

const literal = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** The shape of a schema: named schemas linked, objects as `{ a, b }` to `depth` levels. */
export function shapeOf(schema: Schema | undefined, depth = 2, maxEnum = 8): Raw {
  if (schema === undefined) return html`beliebig`;
  if (schema.$ref !== undefined) {
    const name = refName(schema.$ref);
    return html`<a href="#${schemaAnchor(name)}">${name}</a>`;
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives)
    return join(
      alternatives.map((s) => shapeOf(s, depth)),
      ' | ',
    );
  if (schema.allOf)
    return join(
      schema.allOf.map((s) => shapeOf(s, depth, maxEnum)),
      ' & ',
    );
  if (schema.enum && schema.enum.length > maxEnum)
    return html`string (${schema.enum.length} Werte)`;
  if (schema.enum)
    return join(
      schema.enum.map((v) => html`<code>${literal(v)}</code>`),
      ' | ',
    );
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object'];
  return join(
    types.map((t) => {
      if (t === 'array') return html`${shapeOf(schema.items, depth)}[]`;
      if (t === 'object' && schema.properties) {
        if (depth <= 0) return html`object`;
        const fields = Object.entries(schema.properties).map(
          ([k, v]) =>
            html`${k}${schema.required?.includes(k) ? '' : '?'}: ${shapeOf(v, depth - 1)}`,
        );
        return html`{ ${join(fields, ', ')} }`;
      }
      return html`${t}${schema.format ? ` (${schema.format})` : ''}`;
    }),
    ' | ',
  );
}

function join(parts: Raw[], sep: string): Raw {
  return html`${parts.flatMap((p, i) => (i === 0 ? [p] : [sep, p]))}`;
}

/** A parameter's or field's type with limits and default, for a table cell. */
export function typeOf(schema: Schema | undefined): Raw {
  if (schema === undefined) return html`beliebig`;
  const limits: string[] = [];
  const n = (k: string) => (typeof schema[k] === 'number' ? String(schema[k]) : undefined);
  const min = n('minimum');
  const max = n('maximum');
  if (min !== undefined && max !== undefined) limits.push(`${min}–${max}`);
  else if (min !== undefined) limits.push(`ab ${min}`);
  else if (max !== undefined) limits.push(`bis ${max}`);
  if (n('maxLength') !== undefined) limits.push(`höchstens ${n('maxLength')} Zeichen`);
  if (n('maxItems') !== undefined) limits.push(`höchstens ${n('maxItems')} Einträge`);
  // Long patterns say less than the description does.
  const pattern = typeof schema.pattern === 'string' && schema.pattern.length <= 24;
  return html`${shapeOf(schema, 0, 40)}${limits.length ? `, ${limits.join(', ')}` : ''}${
    pattern ? html`, Muster <code>${String(schema.pattern)}</code>` : ''
  }${schema.default !== undefined ? html`, Standard <code>${literal(schema.default)}</code>` : ''}`;
}

/** Named schemas the document uses, by name. */
export function namedSchemas(doc: OpenApiDocument): [string, Schema][] {
  return Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
