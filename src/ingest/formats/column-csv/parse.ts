/**
 * Column-named CSVs: tables converted by others (e.g. Destatis Statistischer Bericht sheets as
 * tidy CSV) that carry no table code, no region keys and no GENESIS header. Only a recipe can say
 * what they are: it names the exact header line, and which columns hold the region (key or
 * name), the period, the value(s), the unit, a sign or remark, and the dimensions. A file is
 * recognised by its header line alone, never by its name; the table code comes from the recipe.
 */
import { parseCell, type Cell } from '../../../domain/index.ts';
import { CsvError, parseRows, type NumberedRow } from '../../csv.ts';
import type { Recipe } from '../../recipe.ts';
import { emptyParsed, type ParsedFile, type RawRecord } from '../../records.ts';
import type { ImportIssue } from '../../report.ts';

function firstLine(text: string): string {
  const line = text.replace(/^\uFEFF/, '').split('\n', 1)[0] ?? '';
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The recipe whose declared header is exactly the file's first line, if any. */
export function detect(text: string, recipes: ReadonlyMap<string, Recipe>): Recipe | null {
  const head = firstLine(text);
  for (const recipe of recipes.values()) if (recipe.csv?.header === head) return recipe;
  return null;
}

function issue(line: number, column: number, message: string, fix: string): ImportIssue {
  return { severity: 'error', line, column, code: 'BIMO_E_PARSE', message, fix };
}

/** Value and sign cell together: `9500` + `p` → 9500 (vorläufig); signs in `none` are no sign. */
function readCell(raw: string, sign: string, none: readonly string[]): Cell | null {
  const cell = parseCell(raw);
  if (!cell || sign === '' || none.includes(sign)) return cell;
  if (sign === '()' && cell.value !== null) return { value: cell.value, flag: '()' };
  if (['p', 'r', 's'].includes(sign) && cell.value !== null) return parseCell(`${raw} ${sign}`);
  // A sign on a value that is itself a sign (`-` with `p`): the value's own sign stands.
  return cell.value === null && ['p', 'r', 's', '()'].includes(sign) ? cell : null;
}

export function parse(text: string, recipe: Recipe): ParsedFile {
  const spec = recipe.csv;
  const tableCode = recipe.tables[0] ?? '';
  if (!spec) return emptyParsed('column-csv', tableCode);
  let rows: NumberedRow[];
  try {
    rows = parseRows(text, { skipBlankRecords: true });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    return emptyParsed('column-csv', '', [
      issue(err.line, 1, err.message, 'Export the table again; it seems cut.'),
    ]);
  }
  const header = (rows[0]?.row ?? []).map((h) => h.trim());
  const col = (name: string): number => header.indexOf(name);
  const values = (Array.isArray(spec.value) ? spec.value : [spec.value]).map((v) => ({
    name: v,
    index: col(v),
  }));
  const regionCol = col(spec.region.column);
  const periodCol = col(spec.period);
  const unitCol = spec.unit ? col(spec.unit.column) : -1;
  const signCol = spec.sign ? col(spec.sign.column) : -1;
  const dimCols = spec.columns.map((c) => ({ name: c.column, index: col(c.column) }));
  const missing = [
    spec.region.column,
    spec.period,
    ...values.map((v) => v.name),
    ...(spec.unit ? [spec.unit.column] : []),
    ...(spec.sign ? [spec.sign.column] : []),
    ...dimCols.map((d) => d.name),
  ].filter((n) => col(n) < 0);
  if (missing.length > 0) {
    return emptyParsed('column-csv', '', [
      issue(
        1,
        1,
        `recipe ${recipe.file} names the column(s) ${missing.join(', ')}, which the header lacks`,
        'Correct the column names in the recipe (they must match the header exactly).',
      ),
    ]);
  }
  const issues: ImportIssue[] = [];
  const records: RawRecord[] = [];
  const none = spec.sign?.none ?? [];
  for (const { row, line } of rows.slice(1)) {
    if (row.length !== header.length) {
      issues.push(
        issue(
          line,
          1,
          `the row has ${row.length} fields, the header has ${header.length}`,
          'Every row needs one cell per column; check for a missing or extra `;`.',
        ),
      );
      continue;
    }
    const at = (i: number): number => row.slice(0, i).reduce((n, c) => n + c.length + 1, 1);
    const get = (i: number): string => (row[i] ?? '').trim();
    const unit = unitCol >= 0 ? get(unitCol) : '';
    if (spec.unit && unit !== spec.unit.expect) {
      issues.push(
        issue(
          line,
          at(unitCol),
          `the unit is "${unit}", recipe ${recipe.file} expects "${spec.unit.expect}"`,
          'The table changed its unit: check the values and correct unit.expect and the variable unit in the recipe.',
        ),
      );
      continue;
    }
    const sign = signCol >= 0 ? get(signCol) : '';
    const region = get(regionCol);
    for (const v of values) {
      const raw = get(v.index);
      if (!parseCell(raw)) {
        issues.push(
          issue(
            line,
            at(v.index),
            `"${raw}" is neither a number (German format, e.g. 1234 or 6,8) nor a special sign`,
            'Correct the cell or export the table again; do not use thousands separators.',
          ),
        );
        continue;
      }
      const cell = readCell(raw, sign, none);
      if (!cell) {
        issues.push(
          issue(
            line,
            at(signCol),
            `the sign "${sign}" is not one bimo knows (p, r, s, ())`,
            `If "${sign}" means "no sign", add it to sign.none in recipe ${recipe.file}.`,
          ),
        );
        continue;
      }
      records.push({
        line,
        column: at(v.index),
        period: get(periodCol),
        regionKey: spec.region.by === 'key' ? region : '',
        regionName: region,
        variable: { code: v.name, label: v.name, unit },
        dims: dimCols.map((d) => ({
          code: d.name,
          label: d.name,
          itemCode: '',
          itemLabel: get(d.index),
        })),
        cell,
        raw,
      });
    }
  }
  return {
    format: 'column-csv',
    tableCode,
    title: recipe.title,
    statistic: recipe.statistic,
    stand: null,
    database: recipe.database,
    footnotes: '',
    copyright: recipe.licence,
    rowCount: Math.max(rows.length - 1, 0),
    records,
    issues,
  };
}
