/**
 * The import pipeline: read → hash → unpack → decode → detect → parse → map → commit, producing an
 * ImportReport. Formats are detected by content, never by file name. A file goes in whole or
 * not at all; the same bytes twice change nothing and say so. Flat files and bimo templates above
 * `streamThreshold` stream through the same row readers with bounded memory (see importStreamed).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BimoError, type Flag, type ReleaseStatus, type Source } from '../domain/index.ts';
import {
  ImportRolledBack,
  type ImportBatch,
  type ImportChunk,
  type Store,
} from '../store/index.ts';
import { CsvError, splitFields, streamRows, type NumberedRow } from './csv.ts';
import { decodeText } from './decode.ts';
import * as classic from './formats/classic-csv/index.ts';
import { classicToParsed } from './formats/classic-csv/records.ts';
import * as columnCsv from './formats/column-csv/index.ts';
import * as cube from './formats/cube/index.ts';
import * as ffcsv from './formats/ffcsv/index.ts';
import * as tidy from './formats/tidy-csv/index.ts';
import { detectAreaList, importAreaList } from './local-areas.ts';
import {
  errorLines,
  mapRecords,
  RecordMapper,
  unknownRegionsOf,
  type RegionLookup,
} from './mapping.ts';
import type { Recipe } from './recipe.ts';
import { emptyParsed, type FileMeta, type ParsedFile, type RowReader } from './records.ts';
import { regionList, type ImportIssue, type ImportReport } from './report.ts';
import { extractMember, isZip, unzipMembers } from './zip.ts';
import * as inkar from './formats/inkar/index.ts';
import { cellPlace, cellText, type CellValue, type Workbook } from './formats/workbook/index.ts';
import { isOle2, readXls } from './formats/xls/index.ts';
import { isXlsx, readXlsx } from './formats/xlsx/index.ts';

/** Files above this size stream (flat files and templates); smaller ones are read whole. */
export const STREAM_THRESHOLD = 64 * 1024 ** 2;
/** Formats that cannot stream are read whole up to this size (far above any real GENESIS table). */
export const MAX_IN_MEMORY_BYTES = 256 * 1024 ** 2;
/** A streamed import stops collecting after this many errors (the file is refused anyway). */
const MAX_STREAM_ERRORS = 100;

export interface ImportProgress {
  file: string;
  /** `checking`: hashing and encoding check; `importing`: reading, mapping and writing. */
  phase: 'checking' | 'importing';
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface ImportOptions {
  store: Store;
  regions: RegionLookup;
  recipes: Map<string, Recipe>;
  dryRun?: boolean;
  /** Command-line imports by the local administrator publish at once; portal uploads are drafts. */
  status?: ReleaseStatus;
  user?: string;
  now?: () => Date;
  /** Size in bytes above which flat files and templates stream (default STREAM_THRESHOLD). */
  streamThreshold?: number;
  /** Called during streamed imports (several times a second at most once per batch). */
  onProgress?: (p: ImportProgress) => void;
}

export async function importFile(path: string, opts: ImportOptions): Promise<ImportReport[]> {
  const notFound = new BimoError(
    'BIMO_E_FILE_NOT_FOUND',
    `Cannot read the file ${path}.`,
    'Check the path; quote paths that contain spaces.',
    { path },
  );
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw notFound;
    size = st.size;
  } catch {
    throw notFound;
  }
  const threshold = opts.streamThreshold ?? STREAM_THRESHOLD;
  if (size > threshold) {
    const head = await readHead(path, 64 * 1024);
    if (!isZip(head)) {
      const { text } = decodeText(head);
      if (ffcsv.detect(text) || tidy.detect(text)) {
        return [await importStreamed(path, path, size, opts)];
      }
      if (size > MAX_IN_MEMORY_BYTES) return [tooLarge(path, head, size)];
    }
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw notFound;
  }
  if (isZip(bytes)) {
    const reports: ImportReport[] = [];
    for (const m of unzipMembers(bytes, path, threshold)) {
      const name = `${path}!${m.name}`;
      if (m.bytes) {
        reports.push(await importBytes(m.bytes, name, opts));
        continue;
      }
      // A member too large to hold in memory is unpacked to a temporary file and streamed.
      const dir = await mkdtemp(join(tmpdir(), 'bimo-import-'));
      try {
        const tmp = join(dir, basename(m.name));
        await extractMember(bytes, m.name, tmp);
        reports.push(await importStreamed(tmp, name, m.size, opts));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    return reports;
  }
  return [await importBytes(bytes, path, opts)];
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function tooLarge(path: string, head: Uint8Array, size: number): ImportReport {
  const report = emptyReport(path, '');
  report.issues.push({
    severity: 'error',
    line: 1,
    column: 1,
    code: 'BIMO_E_FORMAT_UNKNOWN',
    message: `the file has ${(size / 1024 ** 2).toFixed(0)} MB; only GENESIS flat files (ffcsv) and the bimo template are read in streaming mode, other formats up to ${MAX_IN_MEMORY_BYTES / 1024 ** 2} MB`,
    fix: 'Download the table as flat file CSV (ffcsv), or split it into several downloads (e.g. by year).',
  });
  report.format = knownUnsupported(head)?.format ?? 'unknown';
  return report;
}

/** A report of nothing yet: status `rejected` until the pipeline says otherwise. */
export function emptyReport(fileName: string, sha256: string): ImportReport {
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
    regions: [],
    flags: {},
    issues: [],
  };
}

function parseText(
  text: string,
  fileName: string,
  recipes: ReadonlyMap<string, Recipe>,
): ParsedFile | null {
  if (classic.detect(text)) {
    const { table, issues } = classic.parse(text);
    if (!table) return emptyParsed('classic-csv', '', issues);
    return classicToParsed(table, issues);
  }
  if (ffcsv.detect(text)) return ffcsv.parse(text, fileName);
  if (cube.detect(text)) return cube.parse(text);
  // A CSV whose exact header line a recipe declares (columns named, no keys: docs/recipes.md).
  const columnRecipe = columnCsv.detect(text, recipes);
  if (columnRecipe) return columnCsv.parse(text, columnRecipe);
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
  const report = emptyReport(fileName, sha256);
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
  let text: string;
  let parsed: ParsedFile | null;
  if (isOle2(bytes) || isXlsx(bytes)) {
    // Workbooks: INKAR exports have their own layout; any other sheet is read as the CSV it
    // would be saved as (GENESIS tables as XLSX, the bimo template as XLSX).
    report.format = isOle2(bytes) ? 'xls' : 'xlsx';
    let wb: Workbook;
    try {
      wb = isOle2(bytes) ? readXls(bytes, fileName) : readXlsx(bytes, fileName);
    } catch (err) {
      if (!(err instanceof BimoError)) throw err;
      report.issues.push(issueOf(err));
      return report;
    }
    if (inkar.detect(wb)) {
      text = '';
      parsed = inkar.parse(wb, fileName);
    } else {
      const sheet = wb.sheets[0] ?? { name: '', rows: [] };
      text = sheetAsCsv(sheet.rows);
      if (detectAreaList(text)) {
        return placeInSheet(await importAreaList(text, fileName, report, opts), text, sheet.name);
      }
      parsed = parseText(text, fileName, opts.recipes);
      if (parsed) parsed.format = `${report.format}: ${parsed.format}`;
      if (parsed) return placeInSheet(await importParsed(parsed, report, opts), text, sheet.name);
    }
  } else {
    const decoded = decodeText(bytes);
    report.encoding = decoded.encoding;
    text = decoded.text;
    if (detectAreaList(text)) return importAreaList(text, fileName, report, opts);
    parsed = parseText(text, fileName, opts.recipes);
  }
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
  return importParsed(parsed, report, opts);
}

/** Maps a parsed file and writes it as one release (or reports why not). */
async function importParsed(
  parsed: ParsedFile,
  report: ImportReport,
  opts: ImportOptions,
): Promise<ImportReport> {
  const { sha256, file: fileName } = report;
  report.format = parsed.format;
  report.issues.push(...parsed.issues);
  report.rows.total = parsed.rowCount;
  if (parsed.tableCode === '') return report;
  report.tableCode = parsed.tableCode;
  const recipe = opts.recipes.get(parsed.tableCode);
  const source = sourceOf(parsed, recipe, sha256, fileName, opts);
  const mapped = mapRecords(parsed, recipe, opts.regions, source.id);
  report.mapping =
    mapped.mode === 'recipe' && recipe
      ? `recipe ${basename(recipe.file)}`
      : 'generic (no recipe for this table)';
  report.issues.push(...mapped.issues);
  report.rows = mapped.rows;
  report.observations = mapped.observations.length;
  report.regions = regionList(mapped.observations.map((o) => o.regionCode));
  countFlags(mapped.observations, report.flags);

  if (report.issues.some((i) => i.severity === 'error')) return report;
  if (mapped.observations.length === 0) {
    report.issues.push(NO_VALUES);
    return report;
  }
  const existing = await opts.store.findSourceBySha(sha256);
  if (existing) {
    report.status = 'unchanged';
    report.issues.push(unchangedIssue(existing));
    return report;
  }
  if (opts.dryRun) {
    report.status = 'dry-run';
    return report;
  }
  const release = await opts.store.commitImport({
    source,
    release: releaseOf(parsed, fileName, opts),
    chunks: [
      {
        variables: mapped.variables,
        dimensionItems: mapped.dimensionItems,
        observations: mapped.observations,
      },
    ],
  });
  report.status = 'imported';
  report.releaseId = release.id;
  return report;
}

const NO_VALUES: ImportIssue = {
  severity: 'error',
  line: 1,
  column: 1,
  code: 'BIMO_E_PARSE',
  message: 'the file holds no value for any region bimo knows',
  fix: 'Check that the download covers Kreise or NRW Gemeinden; the warnings list the keys that were left out.',
};

function countFlags(
  observations: readonly { flag: Flag | null }[],
  flags: Partial<Record<Flag, number>>,
): void {
  for (const o of observations) if (o.flag) flags[o.flag] = (flags[o.flag] ?? 0) + 1;
}

function sourceOf(
  meta: FileMeta,
  recipe: Recipe | undefined,
  sha256: string,
  fileName: string,
  opts: ImportOptions,
): Source {
  const now = (opts.now ?? (() => new Date()))();
  return {
    id: `${meta.tableCode}@${sha256.slice(0, 12)}`,
    tableCode: meta.tableCode,
    title: recipe?.title ?? meta.title,
    database: recipe?.database ?? meta.database ?? 'GENESIS-Online (Destatis)',
    stand: meta.stand,
    fileName: basename(fileName),
    fileSha256: sha256,
    importedAt: now.toISOString(),
    licence: recipe?.licence ?? (meta.copyright || 'dl-de/by-2-0'),
    footnotes: meta.footnotes,
  };
}

function releaseOf(meta: FileMeta, fileName: string, opts: ImportOptions): ImportBatch['release'] {
  return {
    status: opts.status ?? 'published',
    createdBy: opts.user ?? 'cli',
    note: `Import ${basename(fileName)} (${meta.tableCode}, Stand ${meta.stand ?? 'unbekannt'})`,
  };
}

/** First pass over a large file: SHA-256, and whether the bytes are valid UTF-8 (else 1252). */
async function checkFile(
  path: string,
  report: (bytes: number) => void,
): Promise<{ sha256: string; encoding: 'utf-8-bom' | 'utf-8' | 'windows-1252' }> {
  const hash = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let valid = true;
  let bom = false;
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    if (bytes === 0) bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
    hash.update(buf);
    if (valid) {
      try {
        utf8.decode(buf, { stream: true });
      } catch {
        valid = false;
      }
    }
    bytes += buf.length;
    report(bytes);
  }
  if (valid) {
    try {
      utf8.decode();
    } catch {
      valid = false;
    }
  }
  return {
    sha256: hash.digest('hex'),
    encoding: bom ? 'utf-8-bom' : valid ? 'utf-8' : 'windows-1252',
  };
}

/** Thrown inside the chunk stream to roll back a streamed import; the report holds the reasons. */
class ImportRefused extends Error {}

/**
 * Streams a flat file or template: a hashing pass, then rows in batches through the format's
 * row reader and the RecordMapper straight into the store's transaction. The first error stops
 * the writing (the transaction is rolled back) but reading goes on to report up to
 * MAX_STREAM_ERRORS errors; duplicates are found by the store before it commits (sql-import.ts).
 */
async function importStreamed(
  path: string,
  displayName: string,
  size: number,
  opts: ImportOptions,
): Promise<ImportReport> {
  const progress = (phase: ImportProgress['phase'], bytes: number, rows: number): void =>
    opts.onProgress?.({ file: displayName, phase, bytes, totalBytes: size, rows });
  const { sha256, encoding } = await checkFile(path, (b) => progress('checking', b, 0));
  const report = emptyReport(displayName, sha256);
  report.encoding = encoding;
  const head = decodeText(await readHead(path, 64 * 1024)).text;
  const isFlat = ffcsv.detect(head);
  const comments = isFlat ? 0 : tidy.readComments(head).lines;
  const batches = streamRows(
    path,
    encoding === 'windows-1252' ? 'windows-1252' : 'utf-8',
    isFlat ? ffcsv.CSV_OPTIONS : tidy.csvOptions(comments),
    10_000,
    (p) => progress('importing', p.bytes, p.rows),
  )[Symbol.asyncIterator]();

  const parseIssues: ImportIssue[] = [];
  let first: NumberedRow[] = [];
  try {
    first = (await batches.next()).value ?? [];
  } catch (err) {
    parseIssues.push((isFlat ? ffcsv : tidy).csvError(err));
  }
  const header = first[0]?.row ?? [];
  const { reader, issues: headerIssues } = isFlat
    ? ffcsv.rowReader(header, first[1]?.row, displayName)
    : tidy.rowReader(header, tidy.readComments(head).meta, displayName);
  report.format = isFlat ? (reader?.meta.format ?? 'ffcsv') : 'tidy-csv';
  parseIssues.push(...headerIssues);
  if (!reader || parseIssues.length > 0) {
    await batches.return?.(undefined);
    report.issues.push(...parseIssues);
    return report;
  }
  const meta = reader.meta;
  report.tableCode = meta.tableCode;
  const recipe = opts.recipes.get(meta.tableCode);
  report.mapping = recipe
    ? `recipe ${basename(recipe.file)}`
    : 'generic (no recipe for this table)';
  const existing = await opts.store.findSourceBySha(sha256);
  if (existing) {
    await batches.return?.(undefined);
    report.status = 'unchanged';
    report.issues.push(unchangedIssue(existing));
    return report;
  }

  const source = sourceOf(meta, recipe, sha256, displayName, opts);
  const mapper = new RecordMapper(meta.tableCode, meta.statistic, recipe, opts.regions, {
    detectDuplicates: false,
    sourceId: source.id,
    unknownRegions: unknownRegionsOf(report.format),
    additive: meta.additive,
  });
  const errors = (): number =>
    parseIssues.filter((i) => i.severity === 'error').length + mapper.errorCount;
  const regions = new Set<string>();
  async function* chunks(): AsyncGenerator<ImportChunk> {
    const take = (rows: NumberedRow[], reader: RowReader) => {
      const issues: ImportIssue[] = [];
      const records = rows.flatMap((r) => reader.records(r.row, r.line, issues));
      report.rows.total += rows.length;
      parseIssues.push(...issues);
      return mapper.push(records, errorLines(issues));
    };
    let batch: NumberedRow[] | undefined = first.slice(1);
    while (batch) {
      const observations = take(batch, reader as RowReader);
      for (const o of observations) regions.add(o.regionCode);
      countFlags(observations, report.flags);
      if (errors() >= MAX_STREAM_ERRORS) break;
      if (errors() === 0) {
        yield { ...mapper.takeNew(), observations };
      }
      const next = await batches.next();
      batch = next.done ? undefined : next.value;
    }
    await batches.return?.(undefined);
    if (errors() > 0) throw new ImportRefused();
    if (mapper.observationCount === 0) {
      parseIssues.push(NO_VALUES);
      throw new ImportRefused();
    }
  }

  try {
    // A dry run writes as well, to let the store find duplicates, and then rolls back.
    const release = await opts.store.commitImport({
      source,
      release: releaseOf(meta, displayName, opts),
      chunks: chunks(),
      checkDuplicates: true,
      rollback: opts.dryRun === true,
    });
    report.releaseId = release.id;
    report.status = 'imported';
  } catch (err) {
    if (err instanceof ImportRolledBack) {
      report.status = 'dry-run';
    } else if (err instanceof BimoError && Array.isArray(err.details.duplicates)) {
      for (const d of err.details.duplicates as DuplicateCell[]) {
        const [line, column] = (d.origins[1] ?? '1:1').split(':').map(Number);
        parseIssues.push({
          severity: 'error',
          line: line ?? 1,
          column: column ?? 1,
          code: 'BIMO_E_PARSE',
          message: `a second value for region ${d.regionCode}, period ${d.period}, ${d.dimsKey || 'no breakdown'} (the first is at ${d.origins[0]})`,
          fix: err.fix,
        });
      }
    } else if (err instanceof CsvError) {
      parseIssues.push((isFlat ? ffcsv : tidy).csvError(err));
    } else if (!(err instanceof ImportRefused)) {
      throw err;
    }
    if (report.status !== 'dry-run') report.status = 'rejected';
  }
  const rest = mapper.finish();
  report.rows = { ...rest.rows, total: report.rows.total };
  report.observations = mapper.observationCount;
  report.regions = regionList(regions);
  report.issues.push(...parseIssues, ...rest.issues);
  if (report.status === 'rejected') report.releaseId = null;
  return report;
}

interface DuplicateCell {
  regionCode: string;
  period: string;
  dimsKey: string;
  origins: string[];
}

function unchangedIssue(existing: { importedAt: string; id: string }): ImportIssue {
  return {
    severity: 'info',
    line: 1,
    column: 1,
    code: 'BIMO_I_UNCHANGED',
    message: `this file was already imported on ${existing.importedAt} (source ${existing.id}); nothing changed`,
    fix: 'Nothing to do.',
  };
}

/**
 * Issues of a sheet read as CSV (sheetAsCsv) name the Excel cell: line = row, and the character
 * column of the CSV line becomes the sheet column (`Sheet "Daten", C12`).
 */
function placeInSheet(report: ImportReport, text: string, sheet: string): ImportReport {
  const lines = text.split('\n');
  for (const issue of report.issues) {
    const line = lines[issue.line - 1];
    if (line === undefined || issue.severity === 'info') continue;
    const { starts } = splitFields(line);
    let column = 1;
    for (const [i, start] of starts.entries()) if (start <= issue.column) column = i + 1;
    issue.column = column;
    issue.cell = cellPlace(sheet, issue.line, column);
  }
  return report;
}

/**
 * A sheet as the `;`-separated text Excel would save, one line per Excel row (so line numbers
 * are row numbers, every row as wide as the widest): numbers with a decimal comma, text quoted
 * where needed.
 */
function sheetAsCsv(rows: readonly CellValue[][]): string {
  // Excel leaves trailing empty cells out; the CSV has every row as wide as the widest.
  const width = Math.max(0, ...rows.map((r) => r.length));
  return rows
    .map((row) =>
      Array.from({ length: width }, (_, c) => row[c] ?? null)
        .map((v) => {
          // One line per row (so line numbers are row numbers): line breaks in a cell become blanks.
          const t =
            typeof v === 'number'
              ? String(v).replace('.', ',')
              : cellText(v).replace(/\r\n|[\r\n]/g, ' ');
          return /[;"\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
        })
        .join(';'),
    )
    .join('\n');
}

function issueOf(err: BimoError): ImportIssue {
  return {
    severity: 'error',
    line: 1,
    column: 1,
    code: err.code,
    message: err.message,
    fix: err.fix,
  };
}
