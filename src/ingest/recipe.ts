/**
 * Recipes: declarative YAML files (src/ingest/recipes/) that map an official table's header
 * labels and row labels to our variables and stable dimension items. Validated by a schema at
 * load time, so a broken recipe fails with its file and field, not halfway through an import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BimoError } from '../domain/index.ts';

const item = z.object({
  code: z.string().regex(/^[a-z0-9_]+$/),
  label: z.string().min(1),
  total: z.boolean().default(false),
  match: z.array(z.string().min(1)).min(1),
});

export const recipeSchema = z.object({
  tables: z.array(z.string().min(1)).min(1),
  title: z.string().min(1),
  statistic: z.string().min(1),
  database: z.string().min(1),
  licence: z.string().min(1),
  period_kind: z.enum(['stichtag', 'schuljahr', 'jahr']),
  variable: z.object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    label: z.string().min(1),
    unit: z.string().min(1),
    additive: z.boolean(),
    dash_is_zero: z.boolean(),
  }),
  /** Land code prefix → rounding base of that Land's values in this table. */
  rounding: z.record(z.string().regex(/^\d{2}$/), z.number().int().positive()).default({}),
  /** Classic tables: stacked header row n (1-based) → dimension. */
  columns: z
    .array(z.object({ header_row: z.number().int().positive(), dimension: z.string() }))
    .default([]),
  /** Classic tables: text column n of the data rows (1-based field number) → dimension. */
  row_columns: z
    .array(z.object({ column: z.number().int().positive(), dimension: z.string() }))
    .default([]),
  /** Flat files and cubes: GENESIS Merkmal code (e.g. GES) → dimension. */
  merkmale: z.array(z.object({ code: z.string().min(1), dimension: z.string() })).default([]),
  /** Flat files: the value variable (e.g. BEVSTD) this recipe maps; other value variables are left out. */
  value_variable: z.string().optional(),
  dimensions: z.record(z.string().regex(/^[a-z0-9_]+$/), z.array(item).min(1)),
});

export type Recipe = z.infer<typeof recipeSchema> & { file: string };

export const RECIPE_DIR = fileURLToPath(new URL('./recipes/', import.meta.url));

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
  const recipe = { ...result.data, file };
  for (const c of [...recipe.columns, ...recipe.row_columns, ...recipe.merkmale]) {
    if (!recipe.dimensions[c.dimension]) {
      throw new BimoError(
        'BIMO_E_CATALOG',
        `Recipe ${file}: dimension "${c.dimension}" is used but not defined under dimensions`,
        'Add the dimension with its items, or fix the name.',
      );
    }
  }
  return recipe;
}

/** Loads every recipe of a directory, keyed by each table code it covers. */
export function loadRecipes(dir: string = RECIPE_DIR): Map<string, Recipe> {
  const byTable = new Map<string, Recipe>();
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
  }
  return byTable;
}

/**
 * The dimension item whose match list contains the attribute code or the label (trimmed,
 * case-sensitive). An empty attribute code labelled `Insgesamt` is the total in flat files.
 */
export function matchItem(
  recipe: Recipe,
  dimension: string,
  label: string,
  code = '',
): string | null {
  const items = recipe.dimensions[dimension] ?? [];
  const found = items.find(
    (i) => (code !== '' && i.match.includes(code)) || i.match.includes(label.trim()),
  );
  return found?.code ?? null;
}
