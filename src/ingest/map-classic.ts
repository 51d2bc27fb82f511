/**
 * Applies a recipe to a parsed classic table: header labels → dimension items, region keys →
 * registry regions, cells → observations with flags and rounding base. Every problem becomes
 * an issue with line and column; the caller decides whether anything is written.
 */
import { dimsKey, isNullSign, type Dims, type Observation, type Region } from '../domain/index.ts';
import type { ClassicTable } from './formats/classic-csv/index.ts';
import { matchItem, type Recipe } from './recipe.ts';
import type { ImportIssue } from './report.ts';

export interface RegionLookup {
  resolveKey(key: string): Region | undefined;
  isValidIn(code: string, year: number): boolean;
}

export interface MappedTable {
  observations: Omit<Observation, 'releaseId' | 'sourceId'>[];
  issues: ImportIssue[];
  rows: { total: number; accepted: number; skipped: number; rejected: number };
}

function periodKey(raw: string): { key: string; year: number } {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(raw);
  if (m) return { key: `${m[3]}-${m[2]}-${m[1]}`, year: Number(m[3]) };
  return { key: raw, year: Number(raw.slice(0, 4)) };
}

export function mapClassic(
  table: ClassicTable,
  recipe: Recipe,
  regions: RegionLookup,
): MappedTable {
  const issues: ImportIssue[] = [];
  // Column dims from the stacked header rows.
  const columnDims: (Dims | null)[] = table.valueColumns.map((col) => {
    const dims: Dims = {};
    for (const spec of recipe.columns) {
      const label = col.path.find((p) => p.row === spec.header_row)?.label ?? '';
      const code = matchItem(recipe, spec.dimension, label);
      if (code === null) {
        issues.push({
          severity: 'error',
          line: table.headerLines[spec.header_row - 1] ?? 1,
          column: col.index + 1,
          code: 'BIMO_E_NO_RECIPE',
          message: `header "${label}" (field ${col.index + 1}, header row ${spec.header_row}) matches no item of dimension "${spec.dimension}" in recipe ${recipe.file}`,
          fix: `Add "${label}" to the match list of the right item in the recipe, or check that the file is table ${recipe.tables.join('/')}.`,
        });
        return null;
      }
      dims[spec.dimension] = code;
    }
    return dims;
  });

  const observations: MappedTable['observations'] = [];
  const rows = { total: table.rows.length, accepted: 0, skipped: 0, rejected: 0 };
  for (const row of table.rows) {
    const period = periodKey(row.period);
    const allNull = row.cells.every((c) => c !== null && c.value === null && isNullSign(c.flag));
    const region = regions.resolveKey(row.key);
    if (!region) {
      if (allNull) {
        rows.skipped++;
        issues.push({
          severity: 'info',
          line: row.line,
          column: row.period.length + 2,
          code: 'BIMO_I_HISTORIC_SKIPPED',
          message: `region key ${row.key} (${row.name}) is not in the region registry and has no values; skipped`,
          fix: 'Nothing to do: dissolved units are listed with "-" in official tables.',
        });
      } else {
        rows.rejected++;
        issues.push({
          severity: 'error',
          line: row.line,
          column: row.period.length + 2,
          code: 'BIMO_E_REGION_UNKNOWN',
          message: `unknown region key "${row.key}" (${row.name})`,
          fix: 'Use official AGS keys (2, 3, 5 or 8 digits); if the region is new, update the region registry first.',
        });
      }
      continue;
    }
    if (allNull && !regions.isValidIn(region.code, period.year)) {
      rows.skipped++;
      issues.push({
        severity: 'info',
        line: row.line,
        column: row.period.length + 2,
        code: 'BIMO_I_NOT_APPLICABLE',
        message: `${row.key} (${row.name}) did not exist in ${period.year}; its "-" values are not stored`,
        fix: 'Nothing to do.',
      });
      continue;
    }
    const rowDims: Dims = {};
    let rowOk = true;
    for (const spec of recipe.row_columns) {
      const label = row.rowDims.find((d) => d.index === spec.column - 1)?.label ?? '';
      const code = matchItem(recipe, spec.dimension, label);
      if (code === null) {
        rowOk = false;
        issues.push({
          severity: 'error',
          line: row.line,
          column: spec.column,
          code: 'BIMO_E_NO_RECIPE',
          message: `row label "${label}" matches no item of dimension "${spec.dimension}" in recipe ${recipe.file}`,
          fix: `Add "${label}" to the recipe's match lists.`,
        });
      } else rowDims[spec.dimension] = code;
    }
    if (!rowOk || row.cells.some((c) => c === null)) {
      rows.rejected++;
      continue;
    }
    const rounding = recipe.rounding[region.code.slice(0, 2)] ?? 1;
    row.cells.forEach((cell, k) => {
      const colDims = columnDims[k];
      if (!cell || !colDims) return;
      observations.push({
        variableId: recipe.variable.id,
        regionCode: region.code,
        period: period.key,
        dimsKey: dimsKey({ ...colDims, ...rowDims }),
        value: cell.value,
        flag: cell.flag,
        roundingBase: region.code === 'DG' ? 1 : rounding,
        origin: `${row.line}:${cell.column}`,
      });
    });
    rows.accepted++;
  }
  // Two cells mapped to the same key would silently overwrite each other: refuse.
  const seen = new Map<string, string>();
  for (const o of observations) {
    const k = `${o.regionCode}|${o.period}|${o.dimsKey}`;
    const prev = seen.get(k);
    if (prev !== undefined) {
      const [line, column] = o.origin.split(':').map(Number);
      issues.push({
        severity: 'error',
        line: line ?? 0,
        column: column ?? 0,
        code: 'BIMO_E_PARSE',
        message: `duplicate value for region ${o.regionCode}, period ${o.period}, ${o.dimsKey} (first at ${prev})`,
        fix: 'Remove the duplicate row, or check that the recipe maps each column to a distinct item.',
      });
    } else seen.set(k, o.origin);
  }
  return { observations, issues, rows };
}
