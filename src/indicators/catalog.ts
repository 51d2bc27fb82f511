/**
 * The indicator catalog: YAML in catalog/, validated by a schema when loaded, so a broken
 * definition fails at start with its file and field instead of producing wrong numbers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BimoError } from '../domain/index.ts';

const selector = z.object({
  variable: z.string().min(1),
  /** dimension → items that are summed; dimensions not named take their total item. */
  dims: z.record(z.string(), z.array(z.string()).min(1)).default({}),
});

export const indicatorSchema = z.object({
  id: z.string().regex(/^[A-I]\d+[a-z]?$/, 'an id like D6 (area letter A–I and a number)'),
  area: z.enum(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']),
  title_de: z.string().min(1),
  title_en: z.string().min(1),
  short_de: z.string().min(1),
  definition_de: z.string().min(1),
  unit: z.string().min(1),
  /** How the reporting year reads: school year ending in it, Stichtag 31.12., calendar year. */
  period_kind: z.enum(['schuljahr', 'stichtag', 'jahr']),
  decimals: z.number().int().min(0).max(4),
  polarity: z.enum(['higher_is_better', 'lower_is_better', 'neutral']),
  kind: z.literal('share'),
  scale: z.number().positive(),
  numerator: selector,
  denominator: selector,
  /** A dimension whose items are computed separately (e.g. geschlecht: insgesamt, weiblich). */
  breakdown: z.string().optional(),
  sources: z.array(z.string()).min(1),
  caveats_de: z.string().default(''),
  visibility: z.enum(['public', 'internal']),
});

export type Indicator = z.infer<typeof indicatorSchema>;
export type Selector = z.infer<typeof selector>;

export const CATALOG_FILE = fileURLToPath(
  new URL('../../catalog/indicators.yaml', import.meta.url),
);

export function parseCatalog(text: string, file: string): Indicator[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new BimoError(
      'BIMO_E_CATALOG',
      `Catalog ${file} is not valid YAML: ${String(err)}`,
      'Fix the YAML syntax at the position named.',
    );
  }
  const result = z.array(indicatorSchema).safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const index = typeof path[0] === 'number' ? path[0] : -1;
    const id =
      Array.isArray(raw) && index >= 0 ? String((raw[index] as { id?: unknown })?.id ?? '?') : '?';
    throw new BimoError(
      'BIMO_E_CATALOG',
      `Catalog ${file}: indicator ${id}, field ${path.slice(1).join('.')}: ${issue?.message ?? 'invalid'}`,
      'Correct the field in the catalog YAML.',
    );
  }
  const ids = new Set<string>();
  for (const ind of result.data) {
    if (ids.has(ind.id)) {
      throw new BimoError(
        'BIMO_E_CATALOG',
        `Catalog ${file}: indicator id ${ind.id} appears twice`,
        'Give every indicator a unique id.',
      );
    }
    ids.add(ind.id);
  }
  return result.data;
}

export function loadCatalog(file: string = CATALOG_FILE): Indicator[] {
  return parseCatalog(readFileSync(file, 'utf8'), file);
}
