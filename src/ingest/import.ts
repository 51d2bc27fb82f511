/**
 * The import pipeline: read → hash → detect → parse → map → validate → commit, producing an
 * ImportReport. A file goes in whole or not at all; the same bytes twice change nothing.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BimoError, type Flag, type ReleaseStatus } from '../domain/index.ts';
import type { Store } from '../store/index.ts';
import { decodeText } from './decode.ts';
import * as classic from './formats/classic-csv/index.ts';
import { mapClassic, type RegionLookup } from './map-classic.ts';
import type { Recipe } from './recipe.ts';
import type { ImportReport } from './report.ts';

export interface ImportOptions {
  store: Store;
  regions: RegionLookup;
  recipes: Map<string, Recipe>;
  dryRun?: boolean;
  /** Command-line imports by the local administrator publish at once; portal uploads are drafts. */
  status?: ReleaseStatus;
  user?: string;
  now?: () => Date;
}

export async function importFile(path: string, opts: ImportOptions): Promise<ImportReport> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new BimoError(
      'BIMO_E_FILE_NOT_FOUND',
      `Cannot read the file ${path}.`,
      'Check the path; on Windows exports, mind spaces in file names and quote them.',
      { path },
    );
  }
  return importBytes(bytes, path, opts);
}

export async function importBytes(
  bytes: Uint8Array,
  fileName: string,
  opts: ImportOptions,
): Promise<ImportReport> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const report: ImportReport = {
    file: fileName,
    format: 'unknown',
    tableCode: null,
    encoding: null,
    sha256,
    status: 'rejected',
    releaseId: null,
    rows: { total: 0, accepted: 0, skipped: 0, rejected: 0 },
    observations: 0,
    flags: {},
    issues: [],
  };
  const { text, encoding } = decodeText(bytes);
  report.encoding = encoding;
  if (!classic.detect(text)) {
    report.issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_FORMAT_UNKNOWN',
      message:
        'the file is not a format bimo reads (expected a GENESIS table CSV starting with "GENESIS-Tabelle:" or "Tabelle:")',
      fix: 'Download the table as CSV from the Regionaldatenbank or GENESIS-Online and import that file unchanged.',
    });
    return report;
  }
  report.format = 'classic-csv';
  const parsed = classic.parse(text);
  report.issues.push(...parsed.issues);
  const table = parsed.table;
  if (!table) return report;
  report.tableCode = table.tableCode;
  report.rows.total = table.rows.length;
  const recipe = opts.recipes.get(table.tableCode);
  if (!recipe) {
    report.issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_NO_RECIPE',
      message: `there is no recipe for table ${table.tableCode}`,
      fix: `Tables with recipes: ${[...opts.recipes.keys()].sort().join(', ')}. Add a recipe file under src/ingest/recipes/ for this table.`,
    });
    return report;
  }
  const mapped = mapClassic(table, recipe, opts.regions);
  report.issues.push(...mapped.issues);
  report.rows = mapped.rows;
  report.rows.rejected += parsed.issues.filter((i) => i.severity === 'error').length;
  report.observations = mapped.observations.length;
  const flags: Partial<Record<Flag, number>> = {};
  for (const o of mapped.observations) if (o.flag) flags[o.flag] = (flags[o.flag] ?? 0) + 1;
  report.flags = flags;

  if (report.issues.some((i) => i.severity === 'error')) return report;
  const existing = await opts.store.findSourceBySha(sha256);
  if (existing) {
    report.status = 'unchanged';
    report.issues.push({
      severity: 'info',
      line: 1,
      column: 1,
      code: 'BIMO_I_UNCHANGED',
      message: `this file was already imported on ${existing.importedAt} (source ${existing.id}); nothing changed`,
      fix: 'Nothing to do.',
    });
    return report;
  }
  if (opts.dryRun) {
    report.status = 'dry-run';
    return report;
  }
  const now = (opts.now ?? (() => new Date()))();
  const sourceId = `${table.tableCode}@${sha256.slice(0, 12)}`;
  const release = await opts.store.commitImport({
    source: {
      id: sourceId,
      tableCode: table.tableCode,
      title: recipe.title,
      database: recipe.database,
      stand: table.stand,
      fileName: basename(fileName),
      fileSha256: sha256,
      importedAt: now.toISOString(),
      licence: recipe.licence,
      footnotes: table.footnotes,
    },
    release: {
      status: opts.status ?? 'published',
      createdBy: opts.user ?? 'cli',
      note: `Import ${basename(fileName)} (${table.tableCode}, Stand ${table.stand ?? 'unbekannt'})`,
    },
    variables: [
      {
        id: recipe.variable.id,
        label: recipe.variable.label,
        unit: recipe.variable.unit,
        statistic: recipe.statistic,
        periodKind: recipe.period_kind,
        additive: recipe.variable.additive,
        dashIsZero: recipe.variable.dash_is_zero,
      },
    ],
    dimensionItems: Object.entries(recipe.dimensions).flatMap(([dimensionId, items]) =>
      items.map((i) => ({ dimensionId, code: i.code, label: i.label, isTotal: i.total })),
    ),
    observations: mapped.observations.map((o) => ({ ...o, sourceId })),
  });
  report.status = 'imported';
  report.releaseId = release.id;
  return report;
}
