/**
 * Recipes: declarative YAML files (src/ingest/recipes/) that map an official table's header
 * labels, row labels, Merkmal codes or CSV columns to our variables and stable dimension items.
 * Validated by a schema at load time, so a broken recipe fails with its file and field, not
 * halfway through an import. docs/recipes.md documents every field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BimoError } from '../domain/index.ts';

const ID = /^[a-z0-9_]+$/;
const labels = z.array(z.string().min(1)).min(1);

const item = z.strictObject({
  code: z.string().regex(ID),
  label: z.string().min(1),
  total: z.boolean().default(false),
  match: labels,
});

/** Land code prefix → rounding base of that Land's values. */
const rounding = z.record(z.string().regex(/^\d{2}$/), z.number().int().positive());

/** What every source of a dimension has: the dimension, and items it deliberately leaves out. */
const sourceFields = {
  dimension: z.string().regex(ID),
  /** Labels or codes whose values are left out (e.g. items a table repeats under another Merkmal). */
  skip: z.array(z.string().min(1)).default([]),
};

/** Classic tables: one stacked header row, or several read together as `label > label`. */
const headerSource = z
  .strictObject({
    header_row: z.number().int().positive().optional(),
    header_rows: z.array(z.number().int().positive()).min(2).optional(),
    ...sourceFields,
  })
  .refine((s) => (s.header_row === undefined) !== (s.header_rows === undefined), {
    message: 'give either header_row or header_rows',
  });

const variable = z.strictObject({
  id: z.string().regex(ID),
  label: z.string().min(1),
  unit: z.string().min(1),
  additive: z.boolean(),
  dash_is_zero: z.boolean(),
  /**
   * Which values belong to this variable: value variable codes (flat files, cubes), value column
   * names (column-named CSVs) or, with `header_row`, the label of that header row (classic).
   */
  match: labels.optional(),
  header_row: z.number().int().positive().optional(),
  /** The dimensions this variable is broken down by (default: all the recipe maps). */
  dimensions: z.array(z.string().regex(ID)).optional(),
  /** Overrides the recipe's rounding for this variable (e.g. unrounded school counts). */
  rounding: rounding.optional(),
});

/** A CSV whose header names its columns (e.g. converted Destatis tables without region keys). */
const columnCsv = z.strictObject({
  /** The exact first line of the file; it identifies the table (never the file name). */
  header: z.string().min(1),
  region: z.strictObject({ column: z.string().min(1), by: z.enum(['key', 'name']) }),
  period: z.string().min(1),
  value: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Column holding the unit; every row must say `expect`, else the file is refused. */
  unit: z.strictObject({ column: z.string().min(1), expect: z.string().min(1) }).optional(),
  /** Column holding a sign or remark (`p`, `r`, `s`, `()`); values in `none` mean "no sign". */
  sign: z
    .strictObject({ column: z.string().min(1), none: z.array(z.string()).default([]) })
    .optional(),
  columns: z.array(z.strictObject({ column: z.string().min(1), ...sourceFields })).default([]),
});

export const recipeSchema = z
  .strictObject({
    tables: z.array(z.string().min(1)).min(1),
    title: z.string().min(1),
    statistic: z.string().min(1),
    database: z.string().min(1),
    licence: z.string().min(1),
    period_kind: z.enum(['stichtag', 'schuljahr', 'jahr', 'semester']),
    /**
     * School years are keyed by the year they end (2022/23 → 2023). Tables that name a school
     * year by the year it begins (pupils at Schuljahresbeginn: 2023 = 2023/24) say `start`.
     */
    school_year_named_by: z.enum(['start', 'end']).default('end'),
    /** One variable (the original form) … */
    variable: variable.optional(),
    /** … or several, each with a `match`. */
    variables: z.array(variable).min(1).optional(),
    rounding: rounding.default({}),
    /** Classic tables: stacked header row n (1-based) → dimension. */
    columns: z.array(headerSource).default([]),
    /** Classic tables: text column n of the data rows (1-based field number) → dimension. */
    row_columns: z
      .array(z.strictObject({ column: z.number().int().positive(), ...sourceFields }))
      .default([]),
    /** Flat files and cubes: GENESIS Merkmal code (e.g. GES) → dimension. */
    merkmale: z.array(z.strictObject({ code: z.string().min(1), ...sourceFields })).default([]),
    /** Flat files: the value variable (e.g. BEVSTD) this recipe maps; other value variables are left out. */
    value_variable: z.string().optional(),
    /** Item of a dimension when no source names one (or the table lacks the dimension). */
    defaults: z.record(z.string().regex(ID), z.string().regex(ID)).default({}),
    /** Classic tables: leave out columns the file repeats with an identical header (IT.NRW). */
    skip_repeated_columns: z.boolean().default(false),
    csv: columnCsv.optional(),
    dimensions: z.record(z.string().regex(ID), z.array(item).min(1)),
  })
  .refine((r) => (r.variable === undefined) !== (r.variables === undefined), {
    message: 'give either variable or variables',
    path: ['variables'],
  });

type RecipeData = z.infer<typeof recipeSchema>;
export type RecipeVariable = z.infer<typeof variable>;
export type ColumnCsvSpec = z.infer<typeof columnCsv>;

export type Recipe = Omit<RecipeData, 'variable' | 'variables'> & {
  file: string;
  /** Always a list; a recipe with one `variable` has one entry. */
  variables: RecipeVariable[];
  /** Values whose variable matches no entry: left out (legacy `value_variable`) or an error. */
  otherVariables: 'skip' | 'error';
};

export const RECIPE_DIR = fileURLToPath(new URL('./recipes/', import.meta.url));

function invalid(file: string, field: string, message: string, fix: string): BimoError {
  return new BimoError('BIMO_E_CATALOG', `Recipe ${file}: field ${field}: ${message}`, fix);
}

export function parseRecipe(text: string, file: string): Recipe {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new BimoError(
      'BIMO_E_CATALOG',
      `Recipe ${file} is not valid YAML: ${String(err)}`,
      'Fix the YAML syntax at the position named.',
    );
  }
  const result = recipeSchema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new BimoError(
      'BIMO_E_CATALOG',
      `Recipe ${file}: field ${first?.path.join('.') ?? '?'}: ${first?.message ?? 'invalid'}`,
      'Correct the recipe field; see docs/recipes.md for the format.',
    );
  }
  const { variable: one, variables: many, ...rest } = result.data;
  if (many && rest.value_variable !== undefined) {
    throw invalid(
      file,
      'value_variable',
      'value_variable belongs to the one-variable form',
      'Give each entry under variables its value variable code in match instead.',
    );
  }
  const recipe: Recipe = {
    ...rest,
    file,
    variables: many ?? (one ? [{ ...one, match: one.match ?? optional(rest.value_variable) }] : []),
    otherVariables: one && rest.value_variable !== undefined ? 'skip' : 'error',
  };
  check(recipe);
  return recipe;
}

const optional = (v: string | undefined): string[] | undefined => (v === undefined ? v : [v]);

/** Cross-field rules the schema cannot express, each with the field and the fix. */
function check(recipe: Recipe): void {
  const { file } = recipe;
  const sources = [
    ...recipe.columns,
    ...recipe.row_columns,
    ...recipe.merkmale,
    ...(recipe.csv?.columns ?? []),
  ];
  for (const c of sources) {
    if (!recipe.dimensions[c.dimension]) {
      throw new BimoError(
        'BIMO_E_CATALOG',
        `Recipe ${file}: dimension "${c.dimension}" is used but not defined under dimensions`,
        'Add the dimension with its items, or fix the name.',
      );
    }
  }
  for (const [dim, code] of Object.entries(recipe.defaults)) {
    if (!recipe.dimensions[dim]?.some((i) => i.code === code)) {
      throw invalid(
        file,
        `defaults.${dim}`,
        `"${code}" is no item of dimension "${dim}"`,
        'Name an item code defined under dimensions.',
      );
    }
  }
  const mapped = mappedDimensions(recipe);
  recipe.variables.forEach((v, i) => {
    if (recipe.variables.length > 1 && v.match === undefined) {
      throw invalid(
        file,
        `variables.${i}.match`,
        `variable "${v.id}" needs a match when the recipe has several variables`,
        'List the value variable codes (flat files), value columns (CSV) or header labels (classic, with header_row) of this variable.',
      );
    }
    for (const d of v.dimensions ?? []) {
      if (!mapped.includes(d)) {
        throw invalid(
          file,
          `variables.${i}.dimensions`,
          `"${d}" is no dimension the recipe maps (sources or defaults)`,
          'Map the dimension under columns, row_columns, merkmale, csv.columns or defaults.',
        );
      }
    }
  });
  const ids = recipe.variables.map((v) => v.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) {
    throw invalid(file, 'variables', `variable "${twice}" is defined twice`, 'Merge the entries.');
  }
  if (recipe.csv && recipe.tables.length !== 1) {
    throw invalid(
      file,
      'tables',
      'a column-named CSV recipe gives its files exactly one table code',
      'Write one recipe per CSV layout with one table code.',
    );
  }
}

/** Dimensions a recipe fills: those with a source, then those only given a default. */
export function mappedDimensions(recipe: Recipe): string[] {
  const dims: string[] = [];
  const add = (d: string): void => {
    if (!dims.includes(d)) dims.push(d);
  };
  for (const c of recipe.columns) add(c.dimension);
  for (const c of recipe.row_columns) add(c.dimension);
  for (const c of recipe.merkmale) add(c.dimension);
  for (const c of recipe.csv?.columns ?? []) add(c.dimension);
  for (const d of Object.keys(recipe.defaults)) add(d);
  return dims;
}

/** Loads every recipe of a directory, keyed by each table code it covers. */
export function loadRecipes(dir: string = RECIPE_DIR): Map<string, Recipe> {
  const byTable = new Map<string, Recipe>();
  const byHeader = new Map<string, Recipe>();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    const file = join(dir, name);
    const recipe = parseRecipe(readFileSync(file, 'utf8'), file);
    for (const t of recipe.tables) {
      if (byTable.has(t)) {
        throw new BimoError(
          'BIMO_E_CATALOG',
          `Table ${t} has two recipes (${byTable.get(t)?.file} and ${file})`,
          'Keep one recipe per table.',
        );
      }
      byTable.set(t, recipe);
    }
    if (recipe.csv) {
      const other = byHeader.get(recipe.csv.header);
      if (other) {
        throw new BimoError(
          'BIMO_E_CATALOG',
          `Recipes ${other.file} and ${file} declare the same CSV header, so a file cannot tell which one it is`,
          'Merge the two recipes into one (one table code for the layout).',
        );
      }
      byHeader.set(recipe.csv.header, recipe);
    }
  }
  return byTable;
}

/**
 * The dimension item whose match list contains the attribute code or the label (trimmed,
 * case-sensitive). With `emptyCodeIsTotal` (flat files, cubes), an empty attribute code whose
 * label matches nothing is the dimension's total: GENESIS writes totals without a code and
 * labels them in the download language (`Insgesamt`, `Total`).
 */
export function matchItem(
  recipe: Recipe,
  dimension: string,
  label: string,
  code = '',
  emptyCodeIsTotal = false,
): string | null {
  const items = recipe.dimensions[dimension] ?? [];
  const text = label.trim();
  const found =
    items.find((i) => (code !== '' && i.match.includes(code)) || i.match.includes(text)) ??
    (emptyCodeIsTotal && code === '' ? items.find((i) => i.total) : undefined);
  return found?.code ?? null;
}
