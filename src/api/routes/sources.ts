/**
 * Sources and provenance over HTTP: every imported file with its table, Stand, checksum,
 * licence and the release it came with; the sources behind an indicator; and (signed in) the raw
 * observations with their provenance (src/api/routes/observations.ts). The public sees the
 * sources of published releases only (`canSeeSource`), and never who imported them.
 */
import { z } from '@hono/zod-openapi';
import { BimoError, type Release, type Source } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import { loadRecipes, type Recipe } from '../../ingest/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';
import { canSeeReleaseAuthor, canSeeSource, findIndicator, type Viewer } from '../policy.ts';
import { loadProvenance, type Provenance } from '../provenance.ts';
import { viewerOf } from '../viewer.ts';
import { IndicatorId } from './indicators.ts';
import { observationRoutes } from './observations.ts';

const SourceRow = z
  .object({
    id: z.string().meta({ description: 'Table code and the start of the file’s SHA-256.' }),
    table: z.string().meta({ description: 'The official table code, e.g. 21111-02-06-4.' }),
    title: z.string(),
    database: z.string().meta({ description: 'Where the table was downloaded from.' }),
    stand: z.string().nullable().meta({ description: 'Stand of the data (ISO date), if stated.' }),
    file: z.string().meta({ description: 'The file name as imported.' }),
    sha256: z.string().meta({ description: 'SHA-256 of the file’s bytes (hex).' }),
    imported_at: z.string(),
    licence: z.string().meta({ description: 'e.g. dl-de/by-2-0.' }),
    release: z
      .object({
        id: z.number().int(),
        status: z.enum(['draft', 'approved', 'published']),
        imported_by: z.string().nullable().meta({
          description: 'Who imported the file (signed-in viewers only; null for the public).',
        }),
      })
      .nullable()
      .meta({ description: 'The release the import created; null when it cannot be found.' }),
  })
  .openapi('Source');

const SourceDetail = SourceRow.extend({
  footnotes: z.string().meta({ description: 'The footnote block of the file, as read.' }),
  variables: z.array(z.string()).meta({
    description: 'The variables the table’s import recipe reads from it (empty without a recipe).',
  }),
}).openapi('SourceDetail');

const FeedingSource = SourceRow.extend({
  variables: z.array(z.string()).meta({
    description: 'Which of the indicator’s variables the table gives (per its import recipe).',
  }),
}).openapi('IndicatorSource');

const SourceId = z.string().min(1).max(200).meta({
  description: 'A source id from GET /api/v1/sources.',
  example: '21111-02-06-4@168d48f263d3',
});

function sourceRow(s: Source, release: Release | undefined, viewer: Viewer) {
  return {
    id: s.id,
    table: s.tableCode,
    title: s.title,
    database: s.database,
    stand: s.stand,
    file: s.fileName,
    sha256: s.fileSha256,
    imported_at: s.importedAt,
    licence: s.licence,
    release: release
      ? {
          id: release.id,
          status: release.status,
          imported_by: canSeeReleaseAuthor(viewer) ? release.createdBy : null,
        }
      : null,
  };
}

/** The sources this viewer may see, in the store's order (imported_at, id). */
function visibleSources(p: Provenance, viewer: Viewer): Source[] {
  return [...p.sources.values()].filter((s) =>
    canSeeSource(viewer, p.releaseOfSource.get(s.id) ?? null),
  );
}

/** The variables an indicator's formula reads (a gap reads those of the indicator it splits). */
function variablesOf(indicator: Indicator, catalog: readonly Indicator[]): string[] {
  const formula = indicator.kind === 'gap' ? catalog.find((i) => i.id === indicator.of) : indicator;
  return formula?.kind === 'formula' ? [...new Set(formula.refs.map((r) => r.variable))] : [];
}

/** Table code → the variables its import recipe gives. */
function variablesByTable(recipes: ReadonlyMap<string, Recipe>): Map<string, string[]> {
  return new Map([...recipes].map(([table, r]) => [table, r.variables.map((v) => v.id)]));
}

export function sourceRoutes(s: Services): Api {
  const api = newApi();
  // Read once, when first needed: the recipes say which variables each table gives.
  let byTable: Map<string, string[]> | undefined;
  const tableVariables = () => (byTable ??= variablesByTable(loadRecipes()));

  def(
    api,
    {
      method: 'get',
      path: '/sources',
      tags: ['Sources'],
      summary: 'Imported sources',
      description:
        'Every imported file: its official table, Stand, SHA-256, licence and the release it came with. Ordered by import time. The public sees the sources of published releases.',
      request: {
        query: z.object({
          table: z.string().max(100).optional().meta({
            description: 'Only the sources of this table code.',
            example: '21111-02-06-4',
          }),
          ...pageQuery(100, 1000),
        }),
      },
      responses: {
        ...ok(z.object({ data: z.array(SourceRow), page: PageMeta }), 'One page of sources.'),
        ...errors(400),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const q = c.req.valid('query');
      const p = await loadProvenance(s.store);
      const rows = visibleSources(p, viewer)
        .filter((src) => !q.table || src.tableCode === q.table)
        .map((src) => sourceRow(src, p.releaseOfSource.get(src.id), viewer));
      return c.json(paginate(c, rows, q), 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/sources/{id}',
      tags: ['Sources'],
      summary: 'One source',
      description: 'With its footnotes and the variables read from it.',
      request: { params: z.object({ id: SourceId }) },
      responses: {
        ...ok(z.object({ data: SourceDetail }), 'The source.'),
        ...errors(404),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const { id } = c.req.valid('param');
      const p = await loadProvenance(s.store);
      const src = p.sources.get(id);
      const release = p.releaseOfSource.get(id);
      // Sources of unpublished releases answer the public like unknown ones.
      if (!src || !canSeeSource(viewer, release ?? null)) {
        throw new BimoError(
          'BIMO_E_NOT_FOUND',
          'no source with this id is available',
          'GET /api/v1/sources lists the sources and their ids.',
          { field: 'id' },
        );
      }
      const data = {
        ...sourceRow(src, release, viewer),
        footnotes: src.footnotes,
        variables: tableVariables().get(src.tableCode) ?? [],
      };
      return c.json({ data }, 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/indicators/{id}/sources',
      tags: ['Sources'],
      summary: 'The sources of an indicator',
      description:
        'The imported files that feed the variables the indicator’s formula reads (by the import recipes), and those of the tables its catalog entry names.',
      request: { params: z.object({ id: IndicatorId }) },
      responses: {
        ...ok(
          z.object({
            indicator: z.string(),
            variables: z
              .array(z.string())
              .meta({ description: 'The variables the formula reads.' }),
            tables: z.array(z.string()).meta({
              description: 'The table codes that give them, and those the catalog names.',
            }),
            data: z.array(FeedingSource),
          }),
          'The sources.',
        ),
        ...errors(404),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const indicator = findIndicator(s.catalog, c.req.valid('param').id, viewer);
      const variables = variablesOf(indicator, s.catalog);
      const feeds = new Map<string, string[]>();
      for (const [table, vars] of tableVariables()) {
        const used = vars.filter((v) => variables.includes(v));
        if (used.length > 0) feeds.set(table, used);
      }
      for (const table of indicator.sources) if (!feeds.has(table)) feeds.set(table, []);
      const p = await loadProvenance(s.store);
      const data = visibleSources(p, viewer)
        .filter((src) => feeds.has(src.tableCode))
        .map((src) => ({
          ...sourceRow(src, p.releaseOfSource.get(src.id), viewer),
          variables: feeds.get(src.tableCode) ?? [],
        }));
      return c.json(
        { indicator: indicator.id, variables, tables: [...feeds.keys()].sort(), data },
        200,
      );
    },
  );

  api.route('/', observationRoutes(s));
  return api;
}
