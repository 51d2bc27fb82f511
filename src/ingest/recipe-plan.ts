/**
 * How a recipe reads RawRecords: which variable a value belongs to (value variable code, value
 * column or header label), and for each of the variable's dimensions the item, from the first
 * source that names one (header row, rows read together, text column, Merkmal, CSV column) or
 * the recipe's default. Periods must fit the recipe's period kind. Used by the RecordMapper.
 */
import type { RawDim, RawRecord } from './records.ts';
import { mappedDimensions, matchItem, type Recipe, type RecipeVariable } from './recipe.ts';

export const SEMESTER_RE = /^\d{4}-\d{2}P\d+M$/;

/** What a period key looks like for each kind a recipe may declare. */
const KIND_RE = {
  stichtag: /^\d{4}-\d{2}-\d{2}$/,
  jahr: /^\d{4}$/,
  schuljahr: /^\d{4}$/,
  semester: SEMESTER_RE,
} as const;

/**
 * A period under a recipe: it must fit the declared kind (a Stichtag table with a year column is
 * another table), and school years named by their first year move to the year they end.
 */
export function recipePeriod(
  recipe: Recipe,
  raw: string,
  p: { key: string; year: number } | null,
): { key: string; year: number } | { error: string } | null {
  if (!p) return null;
  if (!KIND_RE[recipe.period_kind].test(p.key)) {
    return {
      error: `the period "${raw}" does not fit period_kind ${recipe.period_kind} of recipe ${recipe.file}`,
    };
  }
  if (recipe.period_kind === 'schuljahr' && recipe.school_year_named_by === 'start') {
    return { key: String(p.year + 1), year: p.year + 1 };
  }
  return p;
}

/**
 * How one source of a dimension reads a record: a header row (`H2`), several header rows read
 * together (`H2 > H3`), a text column (`Z4`), a Merkmal code (flat files, cubes) or a CSV column.
 */
interface SourcePlan {
  describe: string;
  /** Flat files and cubes carry attribute codes; an empty code there is the total. */
  coded: boolean;
  skip: ReadonlySet<string>;
  read(rec: RawRecord): { label: string; code: string } | null;
}

interface DimPlan {
  dimension: string;
  sources: SourcePlan[];
  fallback: string | undefined;
}

export interface VariablePlan {
  def: RecipeVariable;
  dims: DimPlan[];
  rounding: Record<string, number>;
}

export type DimResult = { dim: string; item: string; label: string } | { error: string } | 'skip';

/** IT.NRW repeats some columns; the classic parser marks the repeat in its last header label. */
const REPEATED_COLUMN = /\(Wiederholung, Spalte \d+\)$/;

function dimLabel(rec: RawRecord, code: string): RawDim | undefined {
  return rec.dims.find((x) => x.code === code);
}

function sourcePlans(recipe: Recipe): Map<string, SourcePlan[]> {
  const byDim = new Map<string, SourcePlan[]>();
  const add = (dimension: string, plan: SourcePlan): void => {
    byDim.set(dimension, [...(byDim.get(dimension) ?? []), plan]);
  };
  const single = (code: string, describe: string, coded: boolean, skip: string[]): SourcePlan => ({
    describe,
    coded,
    skip: new Set(skip),
    read(rec) {
      const d = dimLabel(rec, code);
      return d ? { label: d.itemLabel.trim(), code: d.itemCode } : null;
    },
  });
  for (const c of recipe.columns) {
    if (c.header_row !== undefined) {
      add(c.dimension, single(`H${c.header_row}`, `header row ${c.header_row}`, false, c.skip));
      continue;
    }
    const rows = c.header_rows ?? [];
    add(c.dimension, {
      describe: `header rows ${rows.join('+')}`,
      coded: false,
      skip: new Set(c.skip),
      read(rec) {
        const parts = rows
          .map((r) => dimLabel(rec, `H${r}`)?.itemLabel.trim() ?? '')
          .filter((l) => l !== '');
        return parts.length === 0 ? null : { label: parts.join(' > '), code: '' };
      },
    });
  }
  for (const c of recipe.row_columns)
    add(c.dimension, single(`Z${c.column}`, `column ${c.column}`, false, c.skip));
  for (const m of recipe.merkmale)
    add(m.dimension, single(m.code, `Merkmal ${m.code}`, true, m.skip));
  for (const c of recipe.csv?.columns ?? [])
    add(c.dimension, single(c.column, `column "${c.column}"`, false, c.skip));
  return byDim;
}

export function variablePlans(recipe: Recipe): VariablePlan[] {
  const sources = sourcePlans(recipe);
  const all = mappedDimensions(recipe);
  return recipe.variables.map((def) => ({
    def,
    rounding: def.rounding ?? recipe.rounding,
    dims: (def.dimensions ?? all).map((dimension) => ({
      dimension,
      sources: sources.get(dimension) ?? [],
      fallback: recipe.defaults[dimension],
    })),
  }));
}

/**
 * The item of one dimension: the first source that names an item wins (a header row may feed
 * several dimensions, a dimension may be spread over several rows); without one, the recipe's
 * default; otherwise an issue naming what the file holds.
 */
export function resolveDim(recipe: Recipe, plan: DimPlan, rec: RawRecord): DimResult {
  const seen: string[] = [];
  for (const s of plan.sources) {
    const v = s.read(rec);
    if (!v) continue;
    if (s.skip.has(v.label) || (v.code !== '' && s.skip.has(v.code))) return 'skip';
    const item = matchItem(recipe, plan.dimension, v.label, v.code, s.coded);
    if (item !== null) return { dim: plan.dimension, item, label: v.label };
    seen.push(`${s.describe} value "${v.label}"${v.code ? ` (${v.code})` : ''}`);
  }
  if (plan.fallback !== undefined) {
    const def = recipe.dimensions[plan.dimension]?.find((i) => i.code === plan.fallback);
    return { dim: plan.dimension, item: plan.fallback, label: def?.label ?? plan.fallback };
  }
  if (seen.length === 0) {
    const where = plan.sources.map((s) => s.describe).join(' or ') || 'no source';
    return { error: `${where} (dimension "${plan.dimension}") is missing in this file` };
  }
  return {
    error: `${seen.join(', ')} matches no item of dimension "${plan.dimension}" in recipe ${recipe.file}`,
  };
}

/** The recipe variable of a record, `skip` for values the recipe leaves out, or an issue. */
export function pickVariable(
  recipe: Recipe,
  plans: VariablePlan[],
  rec: RawRecord,
): VariablePlan | 'skip' | { error: string } {
  if (recipe.skip_repeated_columns && rec.dims.some((d) => REPEATED_COLUMN.test(d.itemLabel)))
    return 'skip';
  const keyOf = (def: RecipeVariable): string =>
    def.header_row === undefined
      ? rec.variable.code
      : (dimLabel(rec, `H${def.header_row}`)?.itemLabel.trim() ?? '');
  const hit = plans.find((p) => p.def.match === undefined || p.def.match.includes(keyOf(p.def)));
  if (hit) return hit;
  if (recipe.otherVariables === 'skip') return 'skip';
  const first = plans[0]?.def;
  const where =
    first?.header_row === undefined ? 'value variable' : `header row ${first.header_row} value`;
  return {
    error: `${where} "${first ? keyOf(first) : rec.variable.code}" matches no variable of recipe ${recipe.file}`,
  };
}
