/**
 * The CSV download: only the table, one header row and one line per value, so every CSV reader
 * (Excel, LibreOffice, pandas, R) finds the columns without skipping lines. Provenance and the
 * legends go into the XLSX "Quelle" sheet instead: comment lines (`# …`) or a footer below the
 * data would turn into bogus data rows in Excel and break `read_csv` without extra options.
 *
 * German (default): `;` separator, decimal comma, no thousands separator — what Excel with German
 * regional settings opens by double-click without the import dialog. International: `,` and a
 * decimal point. Both are UTF-8 with a BOM and CRLF line ends (RFC 4180). The BOM stays in the
 * international variant too: without it Excel reads the file as Windows-1252 and garbles Düren or
 * Köln, while pandas, R (readr) and LibreOffice skip a UTF-8 BOM on their own.
 */
import type { Cell, Table } from './table.ts';

export type NumberStyle = 'de' | 'international';

const BOM = '\uFEFF';

/** The separator and decimal mark of a numbers style. */
export function csvDialect(style: NumberStyle): { separator: string; decimal: string } {
  return style === 'de' ? { separator: ';', decimal: ',' } : { separator: ',', decimal: '.' };
}

/** A rounded number as plain digits: no exponent, no grouping, the given decimal mark. */
export function formatCsvNumber(v: number, decimals: number | null, decimal: string): string {
  // Counts and years (`decimals` null) print as stored, which roundTo keeps free of float noise.
  const s = decimals === null ? plainDigits(v) : v.toFixed(decimals);
  return decimal === '.' ? s : s.replace('.', decimal);
}

/** String(v) without the exponent form JavaScript uses for very large or very small numbers. */
function plainDigits(v: number): string {
  const s = String(v);
  if (!/e/i.test(s)) return s;
  // Counts never reach 1e21, but a download must not contain "1e+21" where digits belong.
  return v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/**
 * Text that Excel would run as a formula when the CSV is opened (`=`, `+`, `-`, `@`, tab, CR
 * first) gets a leading apostrophe. Only free text (keys, names) is guarded: signs such as `-`
 * in Zeichen are a fixed vocabulary and must stay exactly as the official tables write them.
 */
function guardFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** RFC 4180: quote a field that holds the separator, a quote or a line break; double quotes. */
function quote(s: string, separator: string): string {
  return s.includes(separator) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Columns whose text comes from outside the fixed vocabulary (region keys and names). */
const FREE_TEXT_COLUMNS = new Set([0, 1]);

export function writeCsv(
  table: Table,
  decimals: number,
  style: NumberStyle,
): Uint8Array<ArrayBuffer> {
  const { separator, decimal } = csvDialect(style);
  const field = (cell: Cell, column: number): string => {
    if (cell === null) return '';
    if (cell.t === 'num')
      return formatCsvNumber(cell.v, cell.style === 'dec' ? decimals : null, decimal);
    return quote(FREE_TEXT_COLUMNS.has(column) ? guardFormula(cell.v) : cell.v, separator);
  };
  const lines = [
    table.headers.map((h) => quote(h, separator)).join(separator),
    ...table.rows.map((row) => row.map(field).join(separator)),
  ];
  // RFC 4180 ends every record with CRLF, the last one included.
  return new TextEncoder().encode(BOM + lines.map((l) => `${l}\r\n`).join(''));
}
