/**
 * The format-neutral form every parser produces: one RawRecord per value cell, with its place
 * in the file, its raw period and region key, the statistic's variable and the Merkmal items
 * that classify it (by code where the format has codes, by label where it has only labels).
 * Recipes and the generic mapping work on these records, whatever the file format was.
 */
import type { Cell } from '../domain/index.ts';
import type { ImportIssue } from './report.ts';

export interface RawDim {
  /** Merkmal code (`GES`) or a positional code for label-only formats (`H2` = header row 2). */
  code: string;
  label: string;
  /** Attribute code (`GESW`); empty for totals in flat files and for label-only formats. */
  itemCode: string;
  itemLabel: string;
}

export interface RawRecord {
  line: number;
  column: number;
  /** Period as written in the file: `2023`, `31.12.2023`, `2024-12-31`, `2023-10P6M`. */
  period: string;
  regionKey: string;
  /** Column of the region key, where the format has a key column per row (the template). */
  keyColumn?: number;
  regionName: string;
  variable: { code: string; label: string; unit: string };
  dims: RawDim[];
  cell: Cell;
  raw: string;
  /** Quality sign from a separate column (`value_q`, cube `QUALITAET`), if any. */
  quality?: string;
}

export interface ParsedFile {
  format: string;
  tableCode: string;
  title: string;
  statistic: string | null;
  stand: string | null;
  /** Publishing database or owner, when the file says so (else taken from the recipe or format). */
  database?: string;
  footnotes: string;
  copyright: string;
  /**
   * Variables (by their code in the file) that the file declares additive counts, or `true` for
   * all; without a recipe, others are not summed across regions (the template's `# Summierbar:`).
   */
  additive?: true | readonly string[];
  /** Number of data rows read (a row may hold several values). */
  rowCount: number;
  records: RawRecord[];
  issues: ImportIssue[];
}

/** What a file says about itself: table, title, statistic, Stand, database, footnotes, licence. */
export type FileMeta = Omit<ParsedFile, 'rowCount' | 'records' | 'issues'>;

/**
 * A row-oriented format (flat file, bimo template) after its header was read: turns one data row
 * into records, reporting problems as issues. Used for whole files and for streamed ones alike.
 */
export interface RowReader {
  meta: FileMeta;
  records(row: string[], line: number, issues: ImportIssue[]): RawRecord[];
}

/** Lower-case ASCII identifier from any label: umlauts transliterated, the rest `_`. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s === '' ? 'x' : s.slice(0, 60);
}

/** A parse result without records, e.g. when the header is already unreadable. */
export function emptyParsed(
  format: string,
  tableCode = '',
  issues: ImportIssue[] = [],
): ParsedFile {
  return {
    format,
    tableCode,
    title: '',
    statistic: null,
    stand: null,
    footnotes: '',
    copyright: '',
    rowCount: 0,
    records: [],
    issues,
  };
}
