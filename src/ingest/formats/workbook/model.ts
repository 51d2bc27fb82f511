/**
 * The format-neutral workbook: sheets of rows of cell values, as both spreadsheet readers (legacy
 * .xls and .xlsx) deliver them. Values are what the file stores, not what Excel displays: numbers
 * are the IEEE doubles of the file (dates stay serial numbers, no number format is applied), text
 * is text, and a formula contributes its cached result. Rows and columns are 0-based in the
 * arrays; cellRef() turns them into the `B12` that people see in Excel.
 */
import { BimoError } from '../../../domain/index.ts';

/** An Excel error value such as `#DIV/0!` or `#N/A`. */
export interface CellError {
  error: string;
}

/** One cell: text, number, boolean, an error value, or null when the cell is empty. */
export type CellValue = string | number | boolean | CellError | null;

export interface Sheet {
  name: string;
  /** rows[r][c] is the cell in Excel row r+1 and column c+1; trailing empty cells are left out. */
  rows: CellValue[][];
}

export interface Workbook {
  sheets: Sheet[];
}

/** The most cells (including empty ones inside the used range of each row) a workbook may hold. */
export const MAX_CELLS = 5_000_000;

export function isCellError(v: CellValue): v is CellError {
  return typeof v === 'object' && v !== null;
}

/** Column letters of a 1-based column number: 1 → `A`, 28 → `AB`, 16384 → `XFD`. */
export function columnLetters(column: number): string {
  let n = Math.floor(column);
  if (n < 1) return '?';
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Excel cell reference from 1-based row and column: (12, 2) → `B12`. */
export function cellRef(row: number, column: number): string {
  return `${columnLetters(column)}${row}`;
}

/** `Sheet "Daten", B12` — the place of a cell in messages (1-based row and column). */
export function cellPlace(sheet: string, row: number, column: number): string {
  return `Sheet "${sheet}", ${cellRef(row, column)}`;
}

/** 1-based row and column of a reference such as `B12` or `$B$12`; null when it is none. */
export function parseCellRef(ref: string): { row: number; column: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref.trim());
  if (!m?.[1] || !m[2]) return null;
  let column = 0;
  for (const ch of m[1].toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
  const row = Number(m[2]);
  if (row < 1) return null;
  return { row, column };
}

/** The text of a cell for labels and headers: numbers in JavaScript notation, empty for null. */
export function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return v.error;
  return String(v);
}

/**
 * Collects cells sheet by sheet and enforces the cell budget, so a hostile file that places a
 * single cell at row 1,000,000 column 16,000, or millions of cells, is refused instead of
 * allocating without limit.
 */
export class WorkbookBuilder {
  private readonly sheets: Sheet[] = [];
  private used = 0;

  constructor(
    private readonly fileName: string,
    private readonly maxCells: number = MAX_CELLS,
  ) {}

  addSheet(name: string): SheetBuilder {
    const sheet: Sheet = { name, rows: [] };
    this.sheets.push(sheet);
    return new SheetBuilder(sheet, (n) => this.charge(n, name));
  }

  finish(): Workbook {
    for (const s of this.sheets) {
      for (const row of s.rows) {
        let end = row.length;
        while (end > 0 && row[end - 1] === null) end--;
        row.length = end;
      }
      let rowEnd = s.rows.length;
      while (rowEnd > 0 && s.rows[rowEnd - 1]?.length === 0) rowEnd--;
      s.rows.length = rowEnd;
    }
    return { sheets: this.sheets };
  }

  private charge(n: number, sheet: string): void {
    this.used += n;
    if (this.used > this.maxCells) {
      throw new BimoError(
        'BIMO_E_PARSE',
        `${this.fileName}: the workbook has more than ${this.maxCells.toLocaleString('en')} cells (limit reached in sheet "${sheet}")`,
        'Split the workbook or export the needed sheet as CSV; bimo refuses larger workbooks to protect the server.',
        { file: this.fileName, sheet },
      );
    }
  }
}

/** Writes the cells of one sheet; every new row and every newly covered column is charged. */
export class SheetBuilder {
  constructor(
    readonly sheet: Sheet,
    private readonly charge: (n: number) => void,
  ) {}

  /** Sets the cell at 0-based row and column (a later value for the same cell replaces it). */
  set(row: number, column: number, value: CellValue): void {
    const rows = this.sheet.rows;
    if (value === null && column >= (rows[row]?.length ?? 0)) return;
    if (row >= rows.length) {
      this.charge(row + 1 - rows.length);
      while (rows.length <= row) rows.push([]);
    }
    const cells = rows[row] as CellValue[];
    if (column >= cells.length) {
      this.charge(column + 1 - cells.length);
      while (cells.length < column) cells.push(null);
      cells.push(value);
      return;
    }
    cells[column] = value;
  }
}
