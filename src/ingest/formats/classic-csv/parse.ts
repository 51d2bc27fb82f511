/**
 * Parser for the classic GENESIS / Regionaldatenbank table CSV ("Werteabruf" download):
 * a `GENESIS-Tabelle:` or `Tabelle:` line, wrapped title lines, 1–5 stacked header rows,
 * data rows `<period>;<key>;<indented name>;[row dimensions;]values`, then `__________`
 * and a quoted footnote block that may contain lines that look like data rows.
 * Structural problems are returned as issues with line and column, never thrown.
 */
import { parseCell, type Cell } from '../../../domain/index.ts';
import { splitLines } from '../../decode.ts';
import type { ImportIssue } from '../../report.ts';

export interface ClassicColumn {
  /** 0-based field index in the row. */
  index: number;
  /** Non-empty header labels of this column, top to bottom, with their header-row number (1-based). */
  path: { row: number; label: string }[];
}

export interface ClassicCell extends Cell {
  raw: string;
  column: number;
}

export interface ClassicRow {
  line: number;
  period: string;
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
const KEY_RE = /^(DG|\d{2}|\d{3}|\d{5}|\d{8})$/;
const FOOTER_RE = /^_{5,}/;

/** True when the text starts like a classic table export. */
export function looksLikeClassic(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return HEADER_RE.test(first);
}

function columnOf(line: string, fieldIndex: number): number {
  let col = 1;
  for (let i = 0, f = 0; i < line.length && f < fieldIndex; i++) {
    if (line[i] === ';') f++;
    col = i + 2;
  }
  return fieldIndex === 0 ? 1 : col;
}

function isDataRow(fields: string[]): boolean {
  return PERIOD_RE.test((fields[0] ?? '').trim()) && KEY_RE.test((fields[1] ?? '').trim());
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
  const headerRows: string[][] = [];
  const headerLines: number[] = [];
  // Title block: lines whose fields after the first are empty; header rows start with `;`.
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fields = line.split(';');
    if (isDataRow(fields) || FOOTER_RE.test(line)) break;
    if ((fields[0] ?? '') === '' && fields.some((f) => f.trim() !== '')) {
      headerRows.push(fields);
      headerLines.push(i + 1);
    } else if (line.trim() !== '') titleLines.push(fields.filter((f) => f.trim() !== '').join(' '));
  }
  if (headerRows.length === 0) {
    issues.push({
      severity: 'error',
      line: i + 1,
      column: 1,
      code: 'BIMO_E_PARSE',
      message: 'no column header rows (lines starting with `;`) before the first data row',
      fix: 'The file seems cut or edited. Download the table again as CSV.',
    });
    return { table: null, issues };
  }
  const width = Math.max(...headerRows.map((r) => r.length));
  const valueColumns: ClassicColumn[] = [];
  const rowDimColumns: number[] = [];
  for (let c = 3; c < width; c++) {
    const path = headerRows
      .map((r, k) => ({ row: k + 1, label: (r[c] ?? '').trim() }))
      .filter((p) => p.label !== '');
    if (path.length === 0) rowDimColumns.push(c);
    else valueColumns.push({ index: c, path });
  }

  const rows: ClassicRow[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (FOOTER_RE.test(line)) break;
    if (line.trim() === '' || /^;*$/.test(line)) continue;
    const fields = line.split(';');
    const lineNo = i + 1;
    if (!isDataRow(fields)) {
      issues.push({
        severity: 'error',
        line: lineNo,
        column: 1,
        code: 'BIMO_E_PARSE',
        message: `expected a data row \`<period>;<region key>;<name>;…\`, found "${line.slice(0, 60)}"`,
        fix: 'Remove lines that were added by hand, or download the table again as CSV.',
      });
      continue;
    }
    if (fields.length !== width) {
      issues.push({
        severity: 'error',
        line: lineNo,
        column: columnOf(line, Math.min(fields.length, width)),
        code: 'BIMO_E_PARSE',
        message: `the row has ${fields.length} fields, the header has ${width}`,
        fix: 'Check for a missing or extra `;` in this line (e.g. a name containing `;`).',
      });
      continue;
    }
    const rawName = fields[2] ?? '';
    const cells = valueColumns.map((col): ClassicCell | null => {
      const raw = (fields[col.index] ?? '').trim();
      const cell = parseCell(raw);
      const column = columnOf(line, col.index);
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
      period: (fields[0] ?? '').trim(),
      key: (fields[1] ?? '').trim(),
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
