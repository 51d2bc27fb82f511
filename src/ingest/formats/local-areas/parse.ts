/**
 * The Sozialraumliste (docs/templates/README.md): a Kommune's own units below the Gemeinde, one
 * row each with its key (`05358008-N01`: the Gemeinde's AGS, a hyphen, the Kommune's own id), its
 * name and optionally its Gemeinde and validity. Checked here for form; whether the Gemeinde
 * exists is checked against the registry on import.
 */
import { LOCAL_AREA_KEY } from '../../../domain/index.ts';
import type { LocalArea } from '../../../store/index.ts';
import { parseRows, splitFields, type NumberedRow } from '../../csv.ts';
import type { ImportIssue } from '../../report.ts';
import { csvError, csvOptions, readComments } from '../tidy-csv/index.ts';

const COLUMNS = {
  key: ['sozialraumschlüssel', 'sozialraumschluessel', 'area_key'],
  name: ['sozialraum', 'sozialraumname', 'area_name'],
  parent: ['gemeindeschlüssel', 'gemeindeschluessel', 'gemeinde', 'municipality_key'],
  validFrom: ['gültig ab', 'gueltig ab', 'valid_from'],
  validTo: ['gültig bis', 'gueltig bis', 'valid_to'],
} as const;

type Column = keyof typeof COLUMNS;

/** A listed area with the place of its key in the file. */
export type ListedArea = Omit<LocalArea, 'listName'> & { line: number; column: number };

export interface ParsedAreaList {
  listName: string;
  rowCount: number;
  areas: ListedArea[];
  issues: ImportIssue[];
}

function headerMap(header: string[]): Map<Column, number> | null {
  const lower = header.map((h) => h.trim().toLowerCase());
  const map = new Map<Column, number>();
  for (const [col, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const idx = lower.findIndex((h) => names.includes(h));
    if (idx >= 0) map.set(col, idx);
  }
  const isData = lower.includes('wert') || lower.includes('value');
  return map.has('key') && map.has('name') && !isData ? map : null;
}

/** A list has a Sozialraumschlüssel and a Sozialraum column (and no Wert column). */
export function detect(text: string): boolean {
  const { lines } = readComments(text);
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, lines + 1)[lines] ?? '';
  return headerMap(splitFields(first).fields) !== null;
}

/** `2025-01-01` or `01.01.2025` → ISO date; '' → null; anything else → undefined. */
function isoDate(text: string): string | null | undefined {
  if (text === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : undefined;
}

export function parse(text: string, fileName: string): ParsedAreaList {
  const { meta, lines } = readComments(text);
  const listName =
    meta.get('liste') ??
    meta.get('tabelle') ??
    fileName.replace(/^.*[\\/!]/, '').replace(/\.[^.]*$/, '');
  let rows: NumberedRow[];
  try {
    rows = parseRows(text, csvOptions(lines));
  } catch (err) {
    return { listName, rowCount: 0, areas: [], issues: [csvError(err)] };
  }
  const header = rows[0]?.row ?? [];
  const map = headerMap(header);
  const issues: ImportIssue[] = [];
  const areas: ListedArea[] = [];
  if (!map) return { listName, rowCount: 0, areas, issues };
  const columnOf = (row: string[], c: Column): number => {
    const idx = map.get(c) ?? 0;
    return row.slice(0, idx).reduce((n, cell) => n + cell.length + 1, 1);
  };
  const seen = new Map<string, number>();
  for (const { row, line } of rows.slice(1)) {
    const get = (c: Column): string => {
      const idx = map.get(c);
      return idx === undefined ? '' : (row[idx] ?? '').trim();
    };
    const fail = (c: Column, message: string, fix: string): void => {
      issues.push({
        severity: 'error',
        line,
        column: columnOf(row, c),
        code: 'BIMO_E_PARSE',
        message,
        fix,
      });
    };
    const key = get('key').toUpperCase();
    const m = LOCAL_AREA_KEY.exec(key);
    if (!m) {
      fail(
        'key',
        `"${get('key')}" is not a Sozialraum key`,
        'Write the 8-digit Gemeindeschlüssel, a hyphen and your own id of up to 12 letters, digits or _, e.g. 05358008-N01.',
      );
      continue;
    }
    const gemeinde = m[1] ?? '';
    const parent = get('parent');
    if (parent !== '' && parent !== gemeinde && `${parent}000` !== gemeinde) {
      fail(
        'parent',
        `the key ${key} belongs to Gemeinde ${gemeinde}, but the column Gemeindeschlüssel says ${parent}`,
        'The first 8 digits of the Sozialraum key are its Gemeinde; correct the key or the Gemeindeschlüssel.',
      );
      continue;
    }
    const name = get('name');
    if (name === '') {
      fail('name', `the Sozialraum ${key} has no name`, 'Enter the name used in your reports.');
      continue;
    }
    const validFrom = isoDate(get('validFrom'));
    const validTo = isoDate(get('validTo'));
    if (validFrom === undefined || validTo === undefined) {
      fail(
        validFrom === undefined ? 'validFrom' : 'validTo',
        `"${validFrom === undefined ? get('validFrom') : get('validTo')}" is not a date`,
        'Write dates as 01.01.2025 or 2025-01-01, or leave the cell empty (no limit).',
      );
      continue;
    }
    if (validFrom !== null && validTo !== null && validTo < validFrom) {
      fail('validTo', `the Sozialraum ${key} ends before it begins`, 'Swap the two dates.');
      continue;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      fail(
        'key',
        `the key ${key} occurs twice (first in line ${first})`,
        'Each Sozialraum is listed once; remove or renumber the second row.',
      );
      continue;
    }
    seen.set(key, line);
    areas.push({
      code: key,
      name,
      parentCode: gemeinde,
      validFrom,
      validTo,
      line,
      column: columnOf(row, 'key'),
    });
  }
  return { listName, rowCount: rows.length - 1, areas, issues };
}
