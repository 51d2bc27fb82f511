/**
 * Parser for the classic GENESIS / Regionaldatenbank table CSV ("Werteabruf" download):
 * a `GENESIS-Tabelle:` or `Tabelle:` line, wrapped title lines, 1–5 stacked header rows,
 * data rows `<period>;<key>;<indented name>;[row dimensions;]values`, then `__________`
 * and a quoted footnote block that may contain lines that look like data rows.
 * Structural problems are returned as issues with line and column, never thrown.
 */
import { splitFields } from '../../csv.ts';
import { parseCell, type Cell } from '../../../domain/index.ts';
import { splitLines } from '../../decode.ts';
import type { ImportIssue } from '../../report.ts';

export interface ClassicColumn {
  /** 0-based field index in the row. */
  index: number;
  /** Non-empty header labels of this column, top to bottom, with their header-row number (1-based). */
  path: { row: number; label: string }[];
  /** The column's period when the table has no time column (IT.NRW `;;2023`). */
  period?: string;
}

export interface ClassicCell extends Cell {
  raw: string;
  column: number;
}

export interface ClassicRow {
  line: number;
  /** Empty when the period comes from the column header (layout `key`). */
  period: string;
  /** Empty when the table has no key column (layout `period-name`). */
  key: string;
  name: string;
  /** Leading spaces of the name: the hierarchy level in Regionaldatenbank exports. */
  indent: number;
  /** Text cells of row dimensions (e.g. Altersgruppe), by field index. */
  rowDims: { index: number; label: string }[];
  cells: (ClassicCell | null)[];
}

export interface ClassicTable {
  tableCode: string;
  layout: ClassicLayout;
  titleLines: string[];
  headerRows: string[][];
  /** 1-based line number of each header row. */
  headerLines: number[];
  valueColumns: ClassicColumn[];
  rowDimColumns: number[];
  rows: ClassicRow[];
  footnotes: string;
  stand: string | null;
  copyright: string;
}

const HEADER_RE = /^(?:GENESIS-)?Tabelle:\s*([^;\s]+)/;
const PERIOD_RE = /^(\d{4}|\d{2}\.\d{2}\.\d{4})$/;
/** AGS prefixes, DG, and IT.NRW Jugendamt keys (`JH05334002`). */
const KEY_RE = /^(DG|\d{2}|\d{3}|\d{5}|\d{8}|JH\d{8})$/;
const FOOTER_RE = /^_{5,}/;

/** How data rows are laid out; decided by the first data row. */
export type ClassicLayout =
  /** `2023;05358;Düren, Kreis;…` (Regionaldatenbank, most IT.NRW tables) */
  | 'period-key'
  /** `05358;Düren, Kreis;…` with the period in a header row (IT.NRW, one year) */
  | 'key'
  /** `31.12.2024;Düren, Kreis;…` without keys: regions matched by name (IT.NRW) */
  | 'period-name';

/** True when the text starts like a classic table export. */
export function looksLikeClassic(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return HEADER_RE.test(first);
}

function layoutOf(fields: string[]): ClassicLayout | null {
  const f0 = (fields[0] ?? '').trim();
  const f1 = (fields[1] ?? '').trim();
  if (PERIOD_RE.test(f0) && KEY_RE.test(f1)) return 'period-key';
  if (KEY_RE.test(f0) && f1 !== '' && !PERIOD_RE.test(f1) && !/^[\d,.\-/x]+$/.test(f1))
    return 'key';
  if (PERIOD_RE.test(f0) && f1 !== '' && /\p{L}/u.test(f1)) return 'period-name';
  return null;
}

function headerRowLike(fields: string[]): boolean {
  return (fields[0] ?? '') === '' && fields.some((f) => f.trim() !== '');
}

export function parseClassic(text: string): { table: ClassicTable | null; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const lines = splitLines(text.replace(/^\uFEFF/, ''));
  const head = HEADER_RE.exec(lines[0] ?? '');
  if (!head?.[1]) {
    issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_FORMAT_UNKNOWN',
      message: 'the first line is not `GENESIS-Tabelle: <code>` or `Tabelle: <code>`',
      fix: 'Download the table again as CSV from the Regionaldatenbank or GENESIS-Online without editing it.',
    });
    return { table: null, issues };
  }
  const tableCode = head[1];
  let i = 1;
  const titleLines: string[] = [];
  let headerRows: string[][] = [];
  let headerLines: number[] = [];
  let layout: ClassicLayout | null = null;
  // Title block: lines whose only text is in the first field; header rows start with `;`.
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const { fields } = splitFields(line);
    if (FOOTER_RE.test(line)) break;
    if (headerRows.length > 0 && !headerRowLike(fields)) {
      layout = layoutOf(fields);
      if (layout) break;
    }
    if (headerRowLike(fields)) {
      headerRows.push(fields);
      headerLines.push(i + 1);
    } else if (line.trim() !== '') titleLines.push(fields.filter((f) => f.trim() !== '').join(' '));
  }
  if (headerRows.length === 0 || layout === null) {
    issues.push({
      severity: 'error',
      line: Math.min(i + 1, lines.length),
      column: 1,
      code: 'BIMO_E_PARSE',
      message:
        headerRows.length === 0
          ? 'no column header rows (lines starting with `;`) before the data'
          : 'no data row found (expected `<period>;<region key>;<name>;…` or `<region key>;<name>;…`)',
      fix: 'The file seems cut or edited. Download the table again as CSV.',
    });
    return { table: null, issues };
  }
  const firstCol = layout === 'period-key' ? 3 : 2;
  // Without a time column the period stands in a header row (`;;2023`): that row gives each
  // column its period and is no dimension.
  let headerPeriods: (string | null)[] | null = null;
  if (layout === 'key') {
    const k = headerRows.findIndex((r) => r.slice(firstCol).some((c) => PERIOD_RE.test(c.trim())));
    if (k < 0) {
      issues.push({
        severity: 'error',
        line: headerLines[0] ?? 1,
        column: 1,
        code: 'BIMO_E_PARSE',
        message: 'the table has no time column and no year or date in its header rows',
        fix: 'Download the table with the time (Jahr/Stichtag) as a column or header.',
      });
      return { table: null, issues };
    }
    const periodRow = headerRows[k] ?? [];
    headerPeriods = periodRow.map((c) => (PERIOD_RE.test(c.trim()) ? c.trim() : null));
    headerRows = headerRows.filter((_, j) => j !== k);
    headerLines = headerLines.filter((_, j) => j !== k);
  }
  const width = Math.max(...headerRows.map((r) => r.length), (headerPeriods ?? []).length);
  const valueColumns: ClassicColumn[] = [];
  const rowDimColumns: number[] = [];
  for (let c = firstCol; c < width; c++) {
    const path = headerRows
      .map((r, k) => ({ row: k + 1, label: (r[c] ?? '').trim() }))
      .filter((p) => p.label !== '');
    const period = headerPeriods?.[c] ?? null;
    if (path.length === 0 && period === null) rowDimColumns.push(c);
    else valueColumns.push(period === null ? { index: c, path } : { index: c, path, period });
  }

  const rows: ClassicRow[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (FOOTER_RE.test(line)) break;
    if (line.trim() === '' || /^;*$/.test(line)) continue;
    const { fields, starts } = splitFields(line);
    const lineNo = i + 1;
    if (layoutOf(fields) !== layout) {
      issues.push({
        severity: 'error',
        line: lineNo,
        column: 1,
        code: 'BIMO_E_PARSE',
        message: `expected a data row like the first one (${layout}), found "${line.slice(0, 60)}"`,
        fix: 'Remove lines that were added by hand, or download the table again as CSV.',
      });
      continue;
    }
    if (fields.length !== width) {
      issues.push({
        severity: 'error',
        line: lineNo,
        column: starts[Math.min(fields.length, width) - 1] ?? 1,
        code: 'BIMO_E_PARSE',
        message: `the row has ${fields.length} fields, the header has ${width}`,
        fix: 'Check for a missing or extra `;` in this line (e.g. a name containing `;`).',
      });
      continue;
    }
    const nameIndex = layout === 'key' ? 1 : layout === 'period-key' ? 2 : 1;
    const rawName = fields[nameIndex] ?? '';
    const cells = valueColumns.map((col): ClassicCell | null => {
      const raw = (fields[col.index] ?? '').trim();
      const cell = parseCell(raw);
      const column = starts[col.index] ?? 1;
      if (cell === null) {
        issues.push({
          severity: 'error',
          line: lineNo,
          column,
          code: 'BIMO_E_PARSE',
          message: `"${raw}" is neither a number (German format, e.g. 1234 or 6,8) nor a special sign (- . x / ...)`,
          fix: 'Correct the cell in the source file or download the table again; do not format numbers with thousands separators.',
        });
        return null;
      }
      return { ...cell, raw, column };
    });
    rows.push({
      line: lineNo,
      period: layout === 'key' ? '' : (fields[0] ?? '').trim(),
      key:
        layout === 'period-key'
          ? (fields[1] ?? '').trim()
          : layout === 'key'
            ? (fields[0] ?? '').trim()
            : '',
      name: rawName.trim(),
      indent: rawName.length - rawName.trimStart().length,
      rowDims: rowDimColumns.map((index) => ({ index, label: (fields[index] ?? '').trim() })),
      cells,
    });
  }
  const footer = lines.slice(i + 1).join('\n');
  const standMatch = /Stand:\s*(\d{2})\.(\d{2})\.(\d{4})/.exec(footer);
  const copyright = /©[^"]*/.exec(footer)?.[0]?.replace(/\s+/g, ' ').trim() ?? '';
  const footnotes = footer
    .replace(/Stand:.*$/m, '')
    .replace(/"©[\s\S]*?"/, '')
    .replace(/^"|"$/gm, '')
    .replace(/""/g, '"')
    .trim();
  if (rows.length === 0) {
    issues.push({
      severity: 'error',
      line: i + 1,
      column: 1,
      code: 'BIMO_E_PARSE',
      message: 'the table has no data rows',
      fix: 'Choose at least one region and period when downloading the table.',
    });
  }
  return {
    table: {
      tableCode,
      layout,
      titleLines,
      headerRows,
      headerLines,
      valueColumns,
      rowDimColumns,
      rows,
      footnotes,
      stand: standMatch ? `${standMatch[3]}-${standMatch[2]}-${standMatch[1]}` : null,
      copyright,
    },
    issues,
  };
}
