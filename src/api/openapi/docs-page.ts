/**
 * The OpenAPI document as a readable page (/api/v1/docs): server-rendered in the portal's layout
 * and stylesheet, without scripts or inline styles (the CSP allows neither). The frame is German
 * like the portal; the API's own texts are English and marked `lang="en"`. Every operation has a
 * stable anchor (`#get-indicators-id-values`), its parameters, body, answers and a curl line
 * built from the documented examples (src/api/openapi/examples.ts).
 */
import { html, type Raw } from '../../web/html.ts';
import { layout } from '../../web/layout.ts';
import { inlineMarkdown, markdown } from '../../web/markdown.ts';
import { namedSchemas, schemaAnchor, shapeOf, typeOf } from './docs-schema.ts';
import {
  anchorOf,
  exampleOf,
  exampleRequest,
  flatten,
  operationsOf,
  queryString,
  resolve,
  type Entry,
  type MediaType,
  type OpenApiDocument,
  type Schema,
} from './examples.ts';

const WHERE: Record<string, string> = {
  path: 'Pfad',
  query: 'Query',
  header: 'Header',
  cookie: 'Cookie',
};

const en = (text: string | undefined): Raw =>
  text ? html`<span lang="en">${inlineMarkdown(text)}</span>` : html``;

const exampleCell = (v: unknown): Raw =>
  v === undefined ? html`` : html`<code>${typeof v === 'string' ? v : JSON.stringify(v)}</code>`;

/** Who may call the operation, from its security and its documented refusals. */
function accessNote(e: Entry): string {
  const codes = Object.keys(e.op.responses);
  const write = e.method !== 'get';
  const csrf = write ? ' Mit dem Sitzungs-Cookie zusätzlich den Header X-CSRF-Token senden.' : '';
  if (e.op.security?.length === 0) return 'Ohne Anmeldung.';
  if (codes.includes('401') && codes.includes('403')) {
    return `Nur angemeldet (sonst 401); 403, wenn Rolle oder Art der Anmeldung nicht genügen.${csrf}`;
  }
  if (codes.includes('401')) return `Nur angemeldet (sonst 401).${csrf}`;
  if (write) return `Ohne Anmeldung möglich.${csrf}`;
  return 'Öffentlich; angemeldet auch interne Indikatoren und Entwürfe, wo es sie gibt.';
}

const needsToken = (e: Entry): boolean =>
  e.op.security?.length !== 0 && Object.keys(e.op.responses).includes('401');

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The example request as a curl command (server in $BIMO, token in $BIMO_TOKEN). */
export function curlOf(doc: OpenApiDocument, base: string, e: Entry): string {
  const ex = exampleRequest(doc, e);
  const args: string[] = [];
  if (e.method !== 'get') args.push(`-X ${e.method.toUpperCase()}`);
  if (needsToken(e)) args.push('-H "Authorization: Bearer $BIMO_TOKEN"');
  const body = { ...ex.body };
  for (const m of ex.missing.filter((m) => m.startsWith('body '))) {
    const field = m.slice(5);
    if (!field.includes('.')) body[field] = '…';
  }
  if (ex.bodyType === 'application/json') {
    args.push("-H 'Content-Type: application/json'", `-d ${shellQuote(JSON.stringify(body))}`);
  } else if (ex.bodyType === 'multipart/form-data') {
    const schema = resolve(doc, e.op.requestBody?.content[ex.bodyType]?.schema);
    for (const [name, field] of Object.entries(schema?.properties ?? {})) {
      const file = resolve(doc, field)?.format === 'binary';
      args.push(`-F ${shellQuote(`${name}=${file ? '@tabelle.csv' : String(body[name] ?? '…')}`)}`);
    }
  }
  args.push(`"$BIMO${base}${ex.path}${queryString(ex.query)}"`);
  return `curl ${args.join(' \\\n  ')}`;
}

function parameters(doc: OpenApiDocument, e: Entry, id: string): Raw {
  const params = e.op.parameters ?? [];
  if (params.length === 0) return html``;
  return html`<h4 id="${id}-parameter">Parameter</h4>
    <table class="data apidoc-table" aria-labelledby="${id}-parameter">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Ort</th>
          <th scope="col">Pflicht</th>
          <th scope="col">Typ</th>
          <th scope="col">Beschreibung</th>
          <th scope="col">Beispiel</th>
        </tr>
      </thead>
      <tbody>
        ${params.map(
          (p) =>
            html`<tr>
              <th scope="row"><code>${p.name}</code></th>
              <td data-label="Ort">${WHERE[p.in] ?? p.in}</td>
              <td data-label="Pflicht">${p.required ? 'ja' : 'nein'}</td>
              <td data-label="Typ">${typeOf(p.schema)}</td>
              <td data-label="Beschreibung">${en(p.description ?? p.schema?.description)}</td>
              <td data-label="Beispiel">${exampleCell(exampleOf(doc, p))}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** The fields of an object schema as table rows (`example` column when `examples`). */
function fieldRows(doc: OpenApiDocument, schema: Schema | undefined, examples: boolean): Raw[] {
  const s = flatten(doc, schema);
  return Object.entries(s?.properties ?? {}).map(
    ([name, field]) =>
      html`<tr>
        <th scope="row"><code>${name}</code></th>
        <td data-label="Pflicht">${s?.required?.includes(name) ? 'ja' : 'nein'}</td>
        <td data-label="Typ">
          ${field.$ref || field.properties ? shapeOf(field, 1) : typeOf(field)}
        </td>
        <td data-label="Beschreibung">${en(resolve(doc, field)?.description)}</td>
        ${examples ? html`<td data-label="Beispiel">${exampleCell(exampleOf(doc, field))}</td>` : ''}
      </tr>`,
  );
}

function fieldTable(rows: Raw[], labelledBy: string, examples: boolean): Raw {
  return html`<table class="data apidoc-table" aria-labelledby="${labelledBy}">
    <thead>
      <tr>
        <th scope="col">Feld</th>
        <th scope="col">Pflicht</th>
        <th scope="col">Typ</th>
        <th scope="col">Beschreibung</th>
        ${examples ? html`<th scope="col">Beispiel</th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function requestBody(doc: OpenApiDocument, e: Entry, id: string): Raw {
  const body = e.op.requestBody;
  if (!body) return html``;
  return html`<h4 id="${id}-body">Anfragekörper</h4>
    ${Object.entries(body.content).map(([type, media]) => {
      const rows = fieldRows(doc, media.schema, true);
      const named = media.schema?.$ref ? html` (${shapeOf(media.schema)})` : '';
      return html`<p><code>${type}</code>${named}${body.required ? ', Pflicht' : ''}</p>
        ${rows.length ? fieldTable(rows, `${id}-body`, true) : html`<p>${shapeOf(media.schema)}</p>`}`;
    })}`;
}

/** The content types of an answer and their shapes; an empty cell when it has no body. */
function contentCell(content: Record<string, MediaType> | undefined): Raw {
  if (!content) return html`<td></td>`;
  return html`<td data-label="Inhalt">
    ${Object.entries(content).map(
      ([type, media]) => html`<p><code>${type}</code>: ${shapeOf(media.schema)}</p>`,
    )}
  </td>`;
}

function responses(e: Entry, id: string): Raw {
  return html`<h4 id="${id}-responses">Antworten</h4>
    <table class="data apidoc-table" aria-labelledby="${id}-responses">
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Beschreibung</th>
          <th scope="col">Inhalt</th>
        </tr>
      </thead>
      <tbody>
        ${Object.entries(e.op.responses).map(
          ([status, r]) =>
            html`<tr>
              <th scope="row">${status}</th>
              <td data-label="Beschreibung">${en(r.description)}</td>
              ${contentCell(r.content)}
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function operation(doc: OpenApiDocument, base: string, e: Entry): Raw {
  const id = anchorOf(e.method, e.path);
  return html`<section class="apidoc-op" aria-labelledby="${id}">
    <h3 id="${id}">
      <span class="apidoc-method apidoc-${e.method}">${e.method.toUpperCase()}</span>
      <code>${base}${e.path}</code>
    </h3>
    ${e.op.summary ? html`<p class="apidoc-summary">${en(e.op.summary)}</p>` : ''}
    ${e.op.description ? html`<div lang="en">${markdown(e.op.description)}</div>` : ''}
    <p class="apidoc-access"><strong>Zugang:</strong> ${accessNote(e)}</p>
    ${parameters(doc, e, id)} ${requestBody(doc, e, id)} ${responses(e, id)}
    <h4>Beispiel</h4>
    <pre class="apidoc-curl"><code>${curlOf(doc, base, e)}</code></pre>
  </section>`;
}

function schemas(doc: OpenApiDocument): Raw {
  return html`<section aria-labelledby="apidoc-schemas">
    <h2 id="apidoc-schemas">Schemas</h2>
    ${namedSchemas(doc).map(([name, schema]) => {
      const rows = fieldRows(doc, schema, false);
      return html`<section class="apidoc-schema" aria-labelledby="${schemaAnchor(name)}">
        <h3 id="${schemaAnchor(name)}"><code>${name}</code></h3>
        ${schema.description ? html`<p lang="en">${inlineMarkdown(schema.description)}</p>` : ''}
        ${rows.length ? fieldTable(rows, schemaAnchor(name), false) : html`<p>${shapeOf(schema)}</p>`}
      </section>`;
    })}
  </section>`;
}

/** The operations grouped by their first tag, in the order of the document's tags. */
function byTag(doc: OpenApiDocument): { name: string; description?: string; ops: Entry[] }[] {
  const groups = (doc.tags ?? []).map((t) => ({ ...t, ops: [] as Entry[] }));
  for (const e of operationsOf(doc)) {
    const name = e.op.tags?.[0] ?? 'Other';
    let group = groups.find((g) => g.name === name);
    if (!group) groups.push((group = { name, ops: [] }));
    group.ops.push(e);
  }
  return groups.filter((g) => g.ops.length > 0);
}

export function renderDocsPage(document: Record<string, unknown>): string {
  const doc = document as unknown as OpenApiDocument;
  const base = doc.servers?.[0]?.url ?? '';
  const tags = byTag(doc);
  const tagId = (name: string) => `tag-${anchorOf('', name)}`;
  const body = html`<div class="apidoc">
    <h1>${doc.info.title} <span class="apidoc-version">Version ${doc.info.version}</span></h1>
    <p class="lead">
      Die Schnittstelle für Programme: dieselben Daten wie im Portal, als JSON, CSV, XLSX, HTML und
      PDF. Die Texte der Schnittstelle sind englisch. Maschinenlesbar als
      <a href="${base}/openapi.json">OpenAPI ${doc.openapi} (openapi.json)</a>.
    </p>
    <section aria-labelledby="apidoc-basics">
      <h2 id="apidoc-basics">Grundlagen</h2>
      <div lang="en">${markdown(doc.info.description ?? '')}</div>
      <h3>Anmeldung</h3>
      <dl class="meta">
        ${Object.entries(doc.components?.securitySchemes ?? {}).map(
          ([name, scheme]) =>
            html`<dt><code>${name}</code> (${scheme.type})</dt>
              <dd>${en(scheme.description)}</dd>`,
        )}
      </dl>
      <h3>Beispiele</h3>
      <p>
        Die curl-Zeilen erwarten die Adresse des Servers in <code>BIMO</code> und, wo eine Anmeldung
        nötig ist, ein API-Token in <code>BIMO_TOKEN</code>, etwa
        <code>export BIMO=https://bimo.example.de BIMO_TOKEN=bimo_…</code>.
      </p>
    </section>
    <nav class="apidoc-toc" aria-labelledby="apidoc-toc">
      <h2 id="apidoc-toc">Inhalt</h2>
      <ul>
        ${tags.map(
          (t) =>
            html`<li>
              <a href="#${tagId(t.name)}" lang="en">${t.name}</a>
              <ul>
                ${t.ops.map(
                  (e) =>
                    html`<li>
                      <a href="#${anchorOf(e.method, e.path)}"
                        ><code>${e.method.toUpperCase()} ${e.path}</code></a
                      >
                      ${en(e.op.summary)}
                    </li>`,
                )}
              </ul>
            </li>`,
        )}
        <li><a href="#apidoc-schemas">Schemas</a></li>
      </ul>
    </nav>
    ${tags.map(
      (t) =>
        html`<section class="apidoc-tag" aria-labelledby="${tagId(t.name)}">
          <h2 id="${tagId(t.name)}" lang="en">${t.name}</h2>
          ${t.description ? html`<p lang="en">${inlineMarkdown(t.description)}</p>` : ''}
          ${t.ops.map((e) => operation(doc, base, e))}
        </section>`,
    )}
    ${schemas(doc)}
  </div>`;
  return layout('API-Dokumentation', body);
}
