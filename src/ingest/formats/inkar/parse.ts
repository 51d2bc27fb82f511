/**
 * INKAR exports (Indikatoren und Karten zur Raum- und Stadtentwicklung, BBSR) as Excel workbooks.
 * Sheet "Daten": header row 1 holds `Kennziffer`, `Raumeinheit`, `Aggregat` and, per value
 * column, the indicator's name; row 2 holds the year of each value column; one row per spatial
 * unit follows (Kennziffer as text: `05358` for a Kreis, `05358008` for a Gemeinde). Sheet
 * "Metadaten" documents each indicator (Langname, Quelle, Berechnungsgrundlage, Anmerkungen),
 * sheet "Quellangabe" the citation and copyright. Values are numbers; text cells are read as
 * official signs (parseCell), empty cells carry no value and give no record.
 *
 * The `Aggregat` column names the kind of unit, which decides how the key is read: Kreise
 * (`Landkreis`, `krsfr. Stadt`) as 5-digit AGS, also when written BBSR-style with `000` appended
 * (`5358000`); Gemeinden and gemeindefreie Gebiete as 8-digit AGS. Units that are no AGS region
 * (INKAR's Gemeindeverbände carry BBSR numbers of their own that can look like a Gemeinde key;
 * Raumordnungsregionen and other BBSR regions) are skipped with one info issue per kind.
 */
import { parseCell, type Cell } from '../../../domain/index.ts';
import { slug, type ParsedFile, type RawRecord } from '../../records.ts';
import type { ImportIssue } from '../../report.ts';
import {
  cellPlace,
  cellText,
  isCellError,
  type CellValue,
  type Sheet,
  type Workbook,
} from '../workbook/index.ts';

const FORMAT = 'inkar';
const KREIS = new Set([
  'landkreis',
  'krsfr. stadt',
  'kreisfreie stadt',
  'kreisfr. stadt',
  'kreis',
  'stadtkreis',
]);
const GEMEINDE = new Set(['gemeinde', 'gemfr. gebiet', 'gemeindefreies gebiet']);
const LAND = new Set(['land', 'bundesland']);

const norm = (v: CellValue | undefined) => cellText(v).trim().toLowerCase();

/** The sheet whose first row starts with Kennziffer, Raumeinheit (the INKAR data layout). */
function dataSheet(wb: Workbook): Sheet | undefined {
  return wb.sheets.find((s) => {
    const head = s.rows[0] ?? [];
    return norm(head[0]) === 'kennziffer' && norm(head[1]) === 'raumeinheit' && head.length > 2;
  });
}

export function detect(wb: Workbook): boolean {
  return dataSheet(wb) !== undefined;
}

interface IndicatorMeta {
  langname: string;
  quelle: string;
  berechnung: string;
  anmerkungen: string;
}

/** Sheet "Metadaten": a header row starting with `Indikator`, then one row per indicator. */
function readMeta(wb: Workbook): Map<string, IndicatorMeta> {
  const out = new Map<string, IndicatorMeta>();
  const sheet = wb.sheets.find((s) => s.name.trim().toLowerCase() === 'metadaten');
  if (!sheet) return out;
  const h = sheet.rows.findIndex((r) => norm(r[0]) === 'indikator');
  if (h < 0) return out;
  const head = (sheet.rows[h] ?? []).map(norm);
  const col = (name: string) => head.indexOf(name);
  for (const row of sheet.rows.slice(h + 1)) {
    const name = cellText(row[0]).trim();
    if (name === '') continue;
    const at = (c: number) => (c < 0 ? '' : cellText(row[c]).replace(/\s+/g, ' ').trim());
    out.set(name, {
      langname: at(col('langname')),
      quelle: at(col('quelle')),
      berechnung: at(col('berechnungsgrundlage')),
      anmerkungen: at(col('anmerkungen')),
    });
  }
  return out;
}

/** Text of the "Quellangabe" sheet (citation and copyright), whitespace-normalised. */
function readCitation(wb: Workbook): string {
  const sheet = wb.sheets.find((s) => s.name.trim().toLowerCase() === 'quellangabe');
  if (!sheet) return '';
  return sheet.rows
    .flat()
    .map((v) => cellText(v).replace(/\s+/g, ' ').trim())
    .filter((t) => t !== '')
    .join(' ');
}

/** A unit stated at the end of the long name (`… in %`, `… in € je Einwohner`), else empty. */
function unitOf(langname: string): string {
  const m = / in (%|‰|€(?: je [^,;.]+)?|Euro(?: je [^,;.]+)?)$/.exec(langname);
  return m?.[1] ?? '';
}

type KeyResult = { key: string } | { skip: string } | { error: string };

function regionKey(raw: CellValue | undefined, aggregat: string, hasAggregat: boolean): KeyResult {
  const text =
    typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : cellText(raw).trim();
  if (!/^\d{1,9}$/.test(text))
    return { error: `Kennziffer "${text.slice(0, 20)}" is not a number` };
  const kind = aggregat.toLowerCase();
  const len = text.length;
  if (hasAggregat && !KREIS.has(kind) && !GEMEINDE.has(kind) && !LAND.has(kind)) {
    return { skip: aggregat || '(no Aggregat)' };
  }
  if (LAND.has(kind) || (!hasAggregat && len <= 2)) return { key: text.padStart(2, '0') };
  if (KREIS.has(kind) || (!hasAggregat && len <= 5)) {
    if (len <= 5) return { key: text.padStart(5, '0') };
    const k = text.padStart(8, '0');
    if (len <= 8 && k.endsWith('000')) return { key: k.slice(0, 5) };
    return {
      error: `Kennziffer "${text}" of a Kreis is neither 5 digits nor a Kreis key followed by 000`,
    };
  }
  if (len >= 7 && len <= 8) return { key: text.padStart(8, '0') };
  return { error: `Kennziffer "${text}" of a Gemeinde is not 8 digits` };
}

function cellOf(v: CellValue): { cell: Cell; raw: string } | { error: string } | null {
  if (v === null) return null;
  if (typeof v === 'number') return { cell: { value: v, flag: null }, raw: String(v) };
  if (typeof v === 'string') {
    if (v.trim() === '') return null;
    const cell = parseCell(v);
    return cell
      ? { cell, raw: v }
      : { error: `"${v.slice(0, 30)}" is neither a number nor a special sign` };
  }
  if (isCellError(v)) return { error: `the Excel error ${v.error} is no value` };
  return { error: `the boolean ${String(v).toUpperCase()} is no value` };
}

export function parse(wb: Workbook, fileName: string): ParsedFile {
  const issues: ImportIssue[] = [];
  const records: RawRecord[] = [];
  const sheet = dataSheet(wb);
  const citation = readCitation(wb);
  const meta = readMeta(wb);
  const base: ParsedFile = {
    format: FORMAT,
    tableCode: 'INKAR',
    title: 'INKAR',
    statistic: null,
    stand: null,
    database: 'INKAR (BBSR)',
    footnotes: '',
    copyright: citation || 'dl-de/by-2-0',
    rowCount: 0,
    records,
    issues,
  };
  const issue = (
    severity: ImportIssue['severity'],
    line: number,
    column: number,
    message: string,
    fix: string,
  ) =>
    issues.push({
      severity,
      line,
      column,
      code: severity === 'info' ? 'BIMO_I_SPATIAL_UNIT_SKIPPED' : 'BIMO_E_PARSE',
      message,
      fix,
    });
  if (!sheet) {
    issue(
      'error',
      1,
      1,
      `${fileName}: no sheet starts with the INKAR header Kennziffer, Raumeinheit`,
      'Export the table from INKAR again without changing it.',
    );
    return base;
  }
  const place = (row: number, col: number) => cellPlace(sheet.name, row, col);
  const head = sheet.rows[0] ?? [];
  const years = sheet.rows[1] ?? [];
  const aggCol = head.findIndex((v) => norm(v) === 'aggregat');
  const columns: { col: number; name: string; period: string }[] = [];
  head.forEach((v, c) => {
    const name = cellText(v).trim();
    if (c < 2 || c === aggCol || name === '') return;
    const y = years[c];
    const period = typeof y === 'number' ? String(y) : cellText(y).trim();
    if (!/^\d{4}$/.test(period)) {
      issue(
        'error',
        2,
        c + 1,
        `${place(2, c + 1)}: "${period.slice(0, 20)}" is not the year of indicator "${name}"`,
        'INKAR exports have the years in row 2; export the table again.',
      );
      return;
    }
    columns.push({ col: c, name, period });
  });
  const names = [...new Set(columns.map((c) => c.name))];
  const variables = new Map(
    names.map((name) => {
      const m = meta.get(name);
      return [name, { code: slug(name), label: name, unit: unitOf(m?.langname ?? '') }];
    }),
  );
  const skipped = new Map<string, { line: number; rows: number }>();
  for (let r = 2; r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    const line = r + 1;
    const values = columns.filter((c) => row[c.col] !== null && row[c.col] !== undefined);
    if (values.length === 0) continue; // empty row or a note below the table
    const aggregat = aggCol >= 0 ? cellText(row[aggCol]).trim() : '';
    const key = regionKey(row[0], aggregat, aggCol >= 0);
    if ('skip' in key) {
      const s = skipped.get(key.skip) ?? { line, rows: 0 };
      s.rows++;
      skipped.set(key.skip, s);
      continue;
    }
    if ('error' in key) {
      issue(
        'error',
        line,
        1,
        `${place(line, 1)}: ${key.error}`,
        'Kennziffern are AGS keys (05358, 05358008); export the table from INKAR again.',
      );
      continue;
    }
    base.rowCount++;
    const regionName = cellText(row[1]).trim();
    for (const c of values) {
      const read = cellOf(row[c.col] as CellValue);
      if (read === null) continue;
      if ('error' in read) {
        issue(
          'error',
          line,
          c.col + 1,
          `${place(line, c.col + 1)}: ${read.error}`,
          'Correct the cell or export the table from INKAR again.',
        );
        continue;
      }
      records.push({
        line,
        column: c.col + 1,
        period: c.period,
        regionKey: key.key,
        regionName,
        variable: variables.get(c.name) as RawRecord['variable'],
        dims: [],
        cell: read.cell,
        raw: read.raw,
      });
    }
  }
  for (const [kind, s] of skipped) {
    issue(
      'info',
      s.line,
      1,
      `${s.rows} ${s.rows === 1 ? 'row' : 'rows'} of Aggregat "${kind}" skipped (first: ${place(s.line, 1)}): INKAR's keys for these units are no AGS region keys`,
      'Import the table at Kreis or Gemeinde level to use these values.',
    );
  }
  const footnotes = names.map((name) => {
    const m = meta.get(name);
    if (!m) return `${name}.`;
    const parts = [
      m.langname && `${name}: ${m.langname}.`,
      m.quelle && `Quelle: ${m.quelle}.`,
      m.berechnung && `Berechnung: ${m.berechnung}.`,
      m.anmerkungen && `Anmerkungen: ${m.anmerkungen}`,
    ];
    return parts.filter((p) => p).join(' ');
  });
  // INKAR recalculates whole time series onto one Gebietsstand (BBSR Umsteigeschlüssel); keep any
  // statement of it from the citation as well.
  const gebietsstand = /Gebietsstand[^.]*\.?/.exec(citation)?.[0];
  if (gebietsstand) footnotes.push(gebietsstand);
  const edition = /Ausgabe \d{4}/.exec(citation)?.[0];
  const slugs = names.map(slug);
  return {
    ...base,
    tableCode: `INKAR:${slugs.join('+')}`.slice(0, 120),
    title: `INKAR${edition ? ` ${edition}` : ''}: ${names.join(', ')}`,
    footnotes: footnotes.join('\n'),
  };
}
