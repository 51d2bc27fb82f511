/**
 * The import pipeline: read → hash → unpack → decode → detect → parse → map → commit, producing an
 * ImportReport. Formats are detected by content, never by file name. A file goes in whole or
 * not at all; the same bytes twice change nothing and say so.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BimoError, type Flag, type ReleaseStatus } from '../domain/index.ts';
import type { Store } from '../store/index.ts';
import { decodeText } from './decode.ts';
import * as classic from './formats/classic-csv/index.ts';
import { classicToParsed } from './formats/classic-csv/records.ts';
import * as cube from './formats/cube/index.ts';
import * as ffcsv from './formats/ffcsv/index.ts';
import * as tidy from './formats/tidy-csv/index.ts';
import { mapRecords, type RegionLookup } from './mapping.ts';
import type { Recipe } from './recipe.ts';
import { emptyParsed, type ParsedFile } from './records.ts';
import type { ImportReport } from './report.ts';
import { isZip, unzipMembers } from './zip.ts';

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

export async function importFile(path: string, opts: ImportOptions): Promise<ImportReport[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new BimoError(
      'BIMO_E_FILE_NOT_FOUND',
      `Cannot read the file ${path}.`,
      'Check the path; quote paths that contain spaces.',
      { path },
    );
  }
  if (isZip(bytes)) {
    const members = unzipMembers(bytes, path);
    const reports: ImportReport[] = [];
    for (const m of members) reports.push(await importBytes(m.bytes, `${path}!${m.name}`, opts));
    return reports;
  }
  return [await importBytes(bytes, path, opts)];
}

function newReport(fileName: string, sha256: string): ImportReport {
  return {
    file: fileName,
    format: 'unknown',
    tableCode: null,
    encoding: null,
    sha256,
    status: 'rejected',
    releaseId: null,
    mapping: null,
    rows: { total: 0, accepted: 0, skipped: 0, rejected: 0 },
    observations: 0,
    flags: {},
    issues: [],
  };
}

function parseText(text: string, fileName: string): ParsedFile | null {
  if (classic.detect(text)) {
    const { table, issues } = classic.parse(text);
    if (!table) return emptyParsed('classic-csv', '', issues);
    return classicToParsed(table, issues);
  }
  if (ffcsv.detect(text)) return ffcsv.parse(text, fileName);
  if (cube.detect(text)) return cube.parse(text);
  if (tidy.detect(text)) return tidy.parse(text, fileName);
  return null;
}

/**
 * Formats recognised by their first bytes that bimo deliberately does not read (yet), each with
 * the reason and what to do instead (see docs/adr/0004-import-formats.md).
 */
function knownUnsupported(
  bytes: Uint8Array,
): { format: string; message: string; fix: string } | null {
  const b = bytes;
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
    return {
      format: 'xls (Excel 97–2003)',
      message:
        'legacy Excel .xls files (OLE2/BIFF, e.g. INKAR exports) are not read: the only npm parser for them has unfixed security advisories',
      fix: 'Open the file in Excel or LibreOffice and save the sheet "Daten" as CSV (UTF-8, separator ;), or download the data from INKAR as CSV.',
    };
  }
  if (
    b[0] === 0x50 &&
    b[1] === 0x4b &&
    new TextDecoder('latin1').decode(b.subarray(0, 2000)).includes('xl/')
  ) {
    return {
      format: 'xlsx',
      message: 'Excel .xlsx workbooks are not read yet',
      fix: 'Save the sheet as CSV (UTF-8, separator ;) or download the table from GENESIS as CSV / flat file CSV.',
    };
  }
  const head = new TextDecoder('utf-8').decode(b.subarray(0, 200)).trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    return {
      format: 'json',
      message:
        'JSON files are not an official statistics format; bimo cannot tell which table, period and unit the values belong to',
      fix: 'Import the official table itself (e.g. Regionaldatenbank 22543-03-01-4-B as CSV or flat file CSV).',
    };
  }
  return null;
}

export async function importBytes(
  bytes: Uint8Array,
  fileName: string,
  opts: ImportOptions,
): Promise<ImportReport> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const report = newReport(fileName, sha256);
  const refusal = knownUnsupported(bytes);
  if (refusal) {
    report.format = refusal.format;
    report.issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_FORMAT_UNKNOWN',
      message: refusal.message,
      fix: refusal.fix,
    });
    return report;
  }
  const { text, encoding } = decodeText(bytes);
  report.encoding = encoding;
  const parsed = parseText(text, fileName);
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!parsed && firstLine.split(';').length >= 3) {
    report.format = 'csv';
    report.issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_FORMAT_UNKNOWN',
      message: `a CSV table with the columns ${firstLine.split(';').slice(0, 6).join(', ')}… but without the columns bimo needs to place each value (Regionalschlüssel, Zeit, Merkmal, Wert)`,
      fix: 'Arrange the data as in the bimo template (docs/templates/README.md): one row per value with an AGS region key, or import the official GENESIS table instead.',
    });
    return report;
  }
  if (!parsed) {
    report.issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_FORMAT_UNKNOWN',
      message:
        'the file is not a format bimo reads (GENESIS/IT.NRW table CSV, GENESIS flat file CSV v4/v5, GENESIS cube file, the bimo template for own data, or a ZIP of them)',
      fix: 'Download the table from the Regionaldatenbank / GENESIS-Online as CSV or flat file CSV and import it unchanged.',
    });
    return report;
  }
  report.format = parsed.format;
  report.issues.push(...parsed.issues);
  report.rows.total = parsed.rowCount;
  if (parsed.tableCode === '') return report;
  report.tableCode = parsed.tableCode;
  const recipe = opts.recipes.get(parsed.tableCode);
  const mapped = mapRecords(parsed, recipe, opts.regions);
  report.mapping =
    mapped.mode === 'recipe' && recipe
      ? `recipe ${basename(recipe.file)}`
      : 'generic (no recipe for this table)';
  report.issues.push(...mapped.issues);
  report.rows = mapped.rows;
  report.rows.rejected += new Set(
    parsed.issues.filter((i) => i.severity === 'error').map((i) => i.line),
  ).size;
  report.observations = mapped.observations.length;
  const flags: Partial<Record<Flag, number>> = {};
  for (const o of mapped.observations) if (o.flag) flags[o.flag] = (flags[o.flag] ?? 0) + 1;
  report.flags = flags;

  if (report.issues.some((i) => i.severity === 'error')) return report;
  if (mapped.observations.length === 0) {
    report.issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_PARSE',
      message: 'the file holds no value for any region bimo knows',
      fix: 'Check that the download covers Kreise or NRW Gemeinden; the warnings list the keys that were left out.',
    });
    return report;
  }
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
  const sourceId = `${parsed.tableCode}@${sha256.slice(0, 12)}`;
  const release = await opts.store.commitImport({
    source: {
      id: sourceId,
      tableCode: parsed.tableCode,
      title: recipe?.title ?? parsed.title,
      database: recipe?.database ?? parsed.database ?? 'GENESIS-Online (Destatis)',
      stand: parsed.stand,
      fileName: basename(fileName),
      fileSha256: sha256,
      importedAt: now.toISOString(),
      licence: recipe?.licence ?? (parsed.copyright || 'dl-de/by-2-0'),
      footnotes: parsed.footnotes,
    },
    release: {
      status: opts.status ?? 'published',
      createdBy: opts.user ?? 'cli',
      note: `Import ${basename(fileName)} (${parsed.tableCode}, Stand ${parsed.stand ?? 'unbekannt'})`,
    },
    variables: mapped.variables,
    dimensionItems: mapped.dimensionItems,
    observations: mapped.observations.map((o) => ({ ...o, sourceId })),
  });
  report.status = 'imported';
  report.releaseId = release.id;
  return report;
}
