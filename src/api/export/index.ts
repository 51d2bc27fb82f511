/**
 * Downloads of indicator values as CSV or XLSX, for monitoring staff who continue in Excel.
 * The values route queries the rows as for JSON and hands them here; this module only turns
 * rows into a file, so the numbers in a download are exactly those of the API and the portal.
 */
import { createHash } from 'node:crypto';
import { BimoError } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import type { ValueRow } from '../values.ts';
import { writeCsv, type NumberStyle } from './csv.ts';
import { sourceLines, type ExportSource } from './source.ts';
import { buildTable, exportFileName, periodsOf } from './table.ts';
import { XLSX_CONTENT_TYPE, writeXlsx } from './xlsx.ts';

export type { NumberStyle } from './csv.ts';
export { ATTRIBUTION_DESTATIS, DL_DE_BY_2_0, exportSourceOf, type ExportSource } from './source.ts';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportInput {
  indicator: Indicator;
  rows: ValueRow[];
  format: ExportFormat;
  /** `de` (default): `;` and decimal comma; `international`: `,` and decimal point (CSV only). */
  numbers?: NumberStyle;
  source: ExportSource;
  /** Shown as "erstellt am" and stored in the file; pass a stable time for a stable ETag. */
  generatedAt: Date;
}

export interface ExportFile {
  /** ArrayBuffer-backed, so it can go straight into `c.body(…)` or a Response. */
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  fileName: string;
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export function exportValues(input: ExportInput): ExportFile {
  const { indicator, rows } = input;
  const table = buildTable(indicator, rows);
  const fileName = exportFileName(indicator.id, periodsOf(rows), input.format);
  if (input.format === 'csv') {
    return {
      body: writeCsv(table, indicator.decimals, input.numbers ?? 'de'),
      contentType: CSV_CONTENT_TYPE,
      fileName,
    };
  }
  // XLSX cells hold binary numbers; Excel shows them with the reader's own decimal mark, so
  // `numbers` has nothing to change there.
  const body = writeXlsx({
    table,
    decimals: indicator.decimals,
    sourceLines: sourceLines(input),
    title: `${indicator.id} – ${indicator.title_de}`,
    generatedAt: input.generatedAt,
  });
  return { body, contentType: XLSX_CONTENT_TYPE, fileName };
}

/** `format` of the values route: json (default), csv or xlsx. */
export function parseExportFormat(raw: string | undefined): 'json' | ExportFormat {
  if (raw === undefined || raw === '' || raw === 'json') return 'json';
  if (raw === 'csv' || raw === 'xlsx') return raw;
  throw new BimoError(
    'BIMO_E_BAD_REQUEST',
    `format "${raw}" is not supported`,
    'Use format=json (default), format=csv or format=xlsx.',
    { field: 'format', value: raw },
  );
}

/** `numbers` of the values route: de (default) or international. */
export function parseNumberStyle(raw: string | undefined): NumberStyle {
  if (raw === undefined || raw === '' || raw === 'de') return 'de';
  if (raw === 'international') return raw;
  throw new BimoError(
    'BIMO_E_BAD_REQUEST',
    `numbers "${raw}" is not supported`,
    'Use numbers=de (default: semicolon, decimal comma) or numbers=international (comma, decimal point).',
    { field: 'numbers', value: raw },
  );
}

/** A strong ETag from the bytes: the files are deterministic, so equal bytes mean equal data. */
export function etagOf(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Response headers of a download. The file name is plain ASCII, so no `filename*` is needed. */
export function downloadHeaders(file: ExportFile): Record<string, string> {
  return {
    'Content-Type': file.contentType,
    'Content-Disposition': `attachment; filename="${file.fileName}"`,
    ETag: etagOf(file.body),
  };
}
