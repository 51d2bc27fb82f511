/**
 * The XLSX download: a real workbook zipped with fflate, for monitoring staff who work in Excel.
 * Sheet "Werte" holds the table with numeric cells (so Excel can sort, filter and calculate) in
 * the indicator's number format, keys and names as inline strings (so 05358 keeps its leading
 * zero), a frozen header row and an autofilter. Sheet "Quelle" holds the provenance and legends.
 *
 * The bytes depend only on the input: fixed part order, fixed compression level and a zip
 * timestamp derived from generatedAt, so the same request can be answered with the same ETag.
 */
import { zipSync, strToU8, type Zippable } from 'fflate';
import { cellRef, columnLetters } from '../../ingest/formats/workbook/index.ts';
import {
  NS_MAIN,
  NS_REL,
  STYLE,
  XML_DECL,
  contentTypesXml,
  coreXml,
  escapeXml,
  packageRelsXml,
  stylesXml,
  workbookRelsXml,
  workbookXml,
  xstring,
} from './ooxml.ts';
import type { SourceLine } from './source.ts';
import type { Cell, Table } from './table.ts';

export const XLSX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SHEET_VALUES = 'Werte';
export const SHEET_SOURCE = 'Quelle';

export interface XlsxInput {
  table: Table;
  decimals: number;
  sourceLines: SourceLine[];
  title: string;
  generatedAt: Date;
}

/** Numbers in XML: the shortest round-trip form, which xsd:double and every reader accept. */
function numberText(v: number): string {
  return String(v === 0 ? 0 : v);
}

function textCell(ref: string, text: string, style: number): string {
  const t = escapeXml(xstring(text));
  // Leading or trailing blanks and line breaks survive only with xml:space="preserve".
  const space = /^\s|\s$|\n/.test(text) ? ' xml:space="preserve"' : '';
  const s = style === STYLE.normal ? '' : ` s="${style}"`;
  return `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${t}</t></is></c>`;
}

function cellXml(ref: string, cell: Cell, textStyle: number): string {
  if (cell === null) return '';
  if (cell.t === 'text') return textCell(ref, cell.v, textStyle);
  const s = cell.style === 'dec' ? ` s="${STYLE.decimals}"` : '';
  return `<c r="${ref}"${s} t="n"><v>${numberText(cell.v)}</v></c>`;
}

/** Width in characters: the longest entry of the column plus a margin, within sensible bounds. */
function columnWidths(table: Table, decimals: number): number[] {
  return table.headers.map((h, c) => {
    let longest = h.length + 3; // room for the autofilter button next to the header
    for (const row of table.rows) {
      const cell = row[c];
      if (!cell) continue;
      const len =
        cell.t === 'text'
          ? cell.v.length
          : (cell.style === 'dec' ? cell.v.toFixed(decimals) : numberText(cell.v)).length;
      if (len > longest) longest = len;
    }
    return Math.min(Math.max(longest + 2, 8), 60);
  });
}

function colsXml(widths: number[]): string {
  const cols = widths
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
    .join('');
  return `<cols>${cols}</cols>`;
}

const PAGE_MARGINS =
  '<pageMargins left="0.7" right="0.7" top="0.787401575" bottom="0.787401575" header="0.3" footer="0.3"/>';

/** Sheet "Werte": header row 1, data from row 2, frozen header, autofilter over the table. */
function valuesSheetXml(table: Table, decimals: number, filterRef: string): string {
  const lastCol = columnLetters(table.headers.length);
  const header = table.headers.map((h, c) => textCell(cellRef(1, c + 1), h, STYLE.header)).join('');
  const rows = table.rows
    .map((row, r) => {
      const cells = row.map((cell, c) => cellXml(cellRef(r + 2, c + 1), cell, STYLE.normal));
      return `<row r="${r + 2}">${cells.join('')}</row>`;
    })
    .join('');
  return (
    XML_DECL +
    `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<dimension ref="A1:${lastCol}${table.rows.length + 1}"/>` +
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">' +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    colsXml(columnWidths(table, decimals)) +
    `<sheetData><row r="1">${header}</row>${rows}</sheetData>` +
    `<autoFilter ref="${filterRef}"/>` +
    PAGE_MARGINS +
    '</worksheet>'
  );
}

/** Sheet "Quelle": headings in bold, then label and text in two columns, the text wrapped. */
function sourceSheetXml(lines: SourceLine[]): string {
  const rows = lines
    .map((line, i) => {
      const r = i + 1;
      const cells =
        'heading' in line
          ? textCell(cellRef(r, 1), line.heading, STYLE.header)
          : (line.label === '' ? '' : textCell(cellRef(r, 1), line.label, STYLE.label)) +
            textCell(cellRef(r, 2), line.text, STYLE.wrap);
      return `<row r="${r}">${cells}</row>`;
    })
    .join('');
  return (
    XML_DECL +
    `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<dimension ref="A1:B${Math.max(lines.length, 1)}"/>` +
    '<sheetViews><sheetView workbookViewId="0"/></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    colsXml([26, 100]) +
    `<sheetData>${rows}</sheetData>` +
    PAGE_MARGINS +
    '</worksheet>'
  );
}

/**
 * The zip timestamp: generatedAt's calendar day (UTC) at noon, as local time because the zip
 * format stores local time and fflate converts with the server's zone. Noon never falls into a
 * daylight-saving gap, so the bytes are the same on every server.
 */
function zipTime(at: Date): Date {
  const year = Math.min(Math.max(at.getUTCFullYear(), 1980), 2099);
  return new Date(year, at.getUTCMonth(), at.getUTCDate(), 12, 0, 0);
}

/**
 * fflate types its output as backed by any ArrayBufferLike, while Response bodies (Hono's
 * `c.body`) want an ArrayBuffer. It is one; the check proves it to the compiler without a copy.
 */
function onArrayBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.buffer instanceof ArrayBuffer)
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Uint8Array(bytes);
}

export function writeXlsx(input: XlsxInput): Uint8Array<ArrayBuffer> {
  const { table, decimals } = input;
  const filterRef = `$A$1:$${columnLetters(table.headers.length)}$${table.rows.length + 1}`;
  // Insertion order is the member order: [Content_Types].xml first, as Office writes it.
  const parts: Record<string, string> = {
    '[Content_Types].xml': contentTypesXml(2),
    '_rels/.rels': packageRelsXml(),
    'docProps/core.xml': coreXml(input.title, input.generatedAt),
    'xl/workbook.xml': workbookXml([SHEET_VALUES, SHEET_SOURCE], { sheet: 0, ref: filterRef }),
    'xl/_rels/workbook.xml.rels': workbookRelsXml(2),
    'xl/styles.xml': stylesXml(decimals),
    'xl/worksheets/sheet1.xml': valuesSheetXml(table, decimals, filterRef.replace(/\$/g, '')),
    'xl/worksheets/sheet2.xml': sourceSheetXml(input.sourceLines),
  };
  const files: Zippable = {};
  for (const [name, xml] of Object.entries(parts)) files[name] = strToU8(xml);
  return onArrayBuffer(zipSync(files, { level: 6, mtime: zipTime(input.generatedAt) }));
}
