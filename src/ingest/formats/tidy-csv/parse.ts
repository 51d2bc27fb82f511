/**
 * The bimo template for the municipalities' own data (tidy CSV, one value per row), documented in
 * docs/templates/README.md. Optional `# Schlüssel: Wert` comment lines carry the provenance
 * (Tabelle, Titel, Quelle, Stand, Lizenz); the header names the fixed columns in German or English;
 * every other column is a breakdown (dimension) named after its header.
 */
import { parseCell } from '../../../domain/index.ts';
import { csvIssue, parseRows, readRecords, type CsvOptions, type NumberedRow } from '../../csv.ts';
import { emptyParsed, type ParsedFile, type RowReader } from '../../records.ts';
import type { ImportIssue } from '../../report.ts';

const COLUMNS = {
  region: ['regionalschlüssel', 'regionalschluessel', 'region_key', 'region'],
  name: ['region', 'regionsname', 'region_name'],
  period: ['zeit', 'period'],
  variable: ['merkmal', 'variable'],
  label: ['merkmalsbezeichnung', 'variable_label'],
  unit: ['einheit', 'unit'],
  value: ['wert', 'value'],
  flag: ['zeichen', 'flag'],
} as const;

type Column = keyof typeof COLUMNS;

/**
 * The `# Schlüssel: Wert` lines at the top: their metadata and how many lines they take (the
 * CSV proper starts on the next line).
 */
export function readComments(text: string): { meta: Map<string, string>; lines: number } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const meta = new Map<string, string>();
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.startsWith('#')) break;
    const m = /^#\s*([^:]+):\s*(.*?)[;\s]*$/.exec(line);
    if (m?.[1]) meta.set(m[1].trim().toLowerCase(), (m[2] ?? '').trim());
  }
  return { meta, lines: i };
}

/** CSV options for the template (whole file or streamed), starting after the comments. */
export function csvOptions(commentLines: number): CsvOptions {
  return { fromLine: commentLines + 1, skipBlankRecords: true };
}

/** Header cells that identify the template: a region key, a period, a variable and a value column. */
function headerMap(header: string[]): Map<Column, number> | null {
  const lower = header.map((h) => h.trim().toLowerCase());
  const map = new Map<Column, number>();
  for (const [col, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    for (const n of names) {
      const idx = lower.indexOf(n);
      // `region` is the key when no explicit key column exists, else the name.
      if (idx >= 0 && ![...map.values()].includes(idx)) {
        map.set(col, idx);
        break;
      }
    }
  }
  return ['region', 'period', 'variable', 'value'].every((c) => map.has(c as Column)) ? map : null;
}

export function detect(text: string): boolean {
  const { lines } = readComments(text);
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, lines + 1)[lines] ?? '';
  return headerMap(first.split(';')) !== null;
}

export function rowReader(
  header: string[],
  meta: Map<string, string>,
  fileName: string,
): { reader: RowReader | null; issues: ImportIssue[] } {
  const map = headerMap(header);
  if (!map) {
    return {
      reader: null,
      issues: [
        {
          severity: 'error',
          line: 1,
          column: 1,
          code: 'BIMO_E_PARSE',
          message: 'the header lacks the columns Regionalschlüssel, Zeit, Merkmal and Wert',
          fix: 'Start from the bimo template (docs/templates/README.md) and keep its header row.',
        },
      ],
    };
  }
  const used = new Set(map.values());
  const dimCols = header
    .map((h, i) => ({ h: h.trim(), i }))
    .filter((c) => !used.has(c.i) && c.h !== '');
  const get = (row: string[], c: Column): string => {
    const idx = map.get(c);
    return idx === undefined ? '' : (row[idx] ?? '').trim();
  };
  const valueIdx = map.get('value') ?? 0;
  const table =
    meta.get('tabelle') ??
    meta.get('table') ??
    fileName.replace(/^.*[\\/!]/, '').replace(/\.[^.]*$/, '');
  const stand = meta.get('stand') ?? null;
  const summable = (meta.get('summierbar') ?? meta.get('additive') ?? '').trim();
  const additive = /^(ja|yes|true)$/i.test(summable)
    ? true
    : /^(nein|no|false)?$/i.test(summable)
      ? undefined
      : summable.split(/\s*,\s*/).filter(Boolean);
  return {
    issues: [],
    reader: {
      meta: {
        format: 'tidy-csv',
        tableCode: table,
        title: meta.get('titel') ?? meta.get('title') ?? table,
        statistic: null,
        database: meta.get('quelle') ?? 'eigene Daten',
        stand:
          stand && /^\d{4}-\d{2}-\d{2}$/.test(stand)
            ? stand
            : stand
              ? stand.split('.').reverse().join('-')
              : null,
        footnotes: meta.get('hinweise') ?? '',
        copyright: [meta.get('quelle'), meta.get('lizenz')].filter(Boolean).join('; '),
        ...(additive ? { additive } : {}),
      },
      records(row, line, issues) {
        if (row.length !== header.length) {
          issues.push({
            severity: 'error',
            line,
            column: 1,
            code: 'BIMO_E_PARSE',
            message: `the row has ${row.length} fields, the header has ${header.length}`,
            fix: 'Every row needs one cell per column; check for a missing or extra `;`.',
          });
          return [];
        }
        const raw = get(row, 'value');
        const sign = get(row, 'flag');
        const columnOf = (idx: number): number =>
          row.slice(0, idx).reduce((n, c) => n + c.length + 1, 1);
        const column = columnOf(valueIdx);
        let cell = raw === '' && sign !== '' ? parseCell(sign) : parseCell(raw);
        if (cell && sign !== '' && raw !== '' && cell.value !== null) {
          const q = parseCell(`${raw} ${sign}`);
          cell = q ?? cell;
        }
        if (!cell) {
          issues.push({
            severity: 'error',
            line,
            column,
            code: 'BIMO_E_PARSE',
            message:
              raw === ''
                ? 'the value is empty and no special sign is given'
                : `"${raw}" is not a number in German format`,
            fix:
              raw === ''
                ? 'Enter the value, or a sign in the column Zeichen (. for secret, - for nothing, / for unreliable).'
                : 'Write numbers without thousands separators and with a decimal comma, e.g. 1234,5.',
          });
          return [];
        }
        return [
          {
            line,
            column,
            period: get(row, 'period'),
            regionKey: get(row, 'region'),
            keyColumn: columnOf(map.get('region') ?? 0),
            regionName: get(row, 'name'),
            variable: {
              code: get(row, 'variable'),
              label: get(row, 'label') || get(row, 'variable'),
              unit: get(row, 'unit'),
            },
            dims: dimCols.map((d) => ({
              code: d.h,
              label: d.h,
              itemCode: '',
              itemLabel: (row[d.i] ?? '').trim(),
            })),
            cell,
            raw,
          },
        ];
      },
    },
  };
}

export function parse(text: string, fileName: string): ParsedFile {
  const { meta, lines } = readComments(text);
  let rows: NumberedRow[];
  try {
    rows = parseRows(text, csvOptions(lines));
  } catch (err) {
    return emptyParsed('tidy-csv', '', [csvError(err)]);
  }
  const { reader, issues } = rowReader(rows[0]?.row ?? [], meta, fileName);
  if (!reader) return emptyParsed('tidy-csv', '', issues);
  const records = readRecords(rows, reader, issues);
  return { ...reader.meta, rowCount: rows.length - 1, records, issues };
}

/** The issue for a CSV that cannot be split into records (an unclosed quote), with its line. */
export function csvError(err: unknown): ImportIssue {
  return csvIssue(
    err,
    'the file',
    'Save the file again as CSV (UTF-8, separator ;) from Excel or LibreOffice.',
  );
}
