/**
 * The indicator catalog: versioned YAML in catalog/ (areas and life phases, the AG's
 * Handlungsfelder and Fragestellungen, one indicator file per area), validated by a schema when
 * loaded. Formulas are parsed here, so a broken definition fails at start with its file, its
 * indicator, its field and the column in the formula, instead of producing wrong numbers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BimoError } from '../domain/index.ts';
import type { Audience } from '../store/index.ts';
import { DEFAULT_DISCLOSURE, type DisclosureRule } from './disclosure/index.ts';
import {
  FormulaError,
  formulaErrorExcerpt,
  parseFormula,
  refsOf,
  splitRatio,
  type Expr,
  type RefNode,
} from './formula/index.ts';

export const AREA_IDS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'] as const;
const text = z.string().trim().min(1);

const base = {
  id: z
    .string()
    .regex(
      /^[A-I]\d+[a-z]?(-[a-z]+)?$/,
      'an id like D6, D7a or D6-geschlecht (area letter A–I, a number, a letter, a gap suffix)',
    ),
  area: z.enum(AREA_IDS),
  title_de: text,
  title_en: text,
  short_de: text,
  definition_de: text,
  definition_en: z.string().optional(),
  unit: text,
  decimals: z.number().int().min(0).max(4),
  polarity: z.enum(['higher_is_better', 'lower_is_better', 'neutral']),
  /** How the reporting year reads: school year ending in it, Stichtag, calendar year, semester. */
  period_kind: z.enum(['schuljahr', 'stichtag', 'jahr', 'semester']),
  period_alignment_de: z.string().optional(),
  /** For period_kind stichtag: the day and month of the Stichtag (Kita: 01.03.). */
  stichtag: z
    .string()
    .regex(/^\d{2}\.\d{2}\.$/, 'a day and month like 31.12. or 01.03.')
    .default('31.12.'),
  /** Dimensions computed item by item (e.g. geschlecht: weiblich, maennlich), besides the total. */
  breakdowns: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).default([]),
  sources: z.array(text).min(1),
  caveats_de: z.string().default(''),
  visibility: z.enum(['public', 'internal']),
  /** Disclosure control applies (counts of persons); false for schools, money, published rates. */
  protect: z.boolean().default(true),
  status: z.enum(['active', 'planned']).default('active'),
  /** For planned indicators: the table or municipal source that would feed them. */
  feed_de: z.string().optional(),
};

const formulaSchema = z.object({
  ...base,
  kind: z.literal('formula').default('formula'),
  formula: text,
});
const gapSchema = z.object({
  ...base,
  kind: z.literal('gap'),
  of: text,
  dimension: z.string().regex(/^[a-z][a-z0-9_]*$/),
  minuend: z.string().regex(/^[a-z0-9_]+$/),
  subtrahend: z.string().regex(/^[a-z0-9_]+$/),
});
const indicatorSchema = z.union([gapSchema, formulaSchema]);

const areasSchema = z.object({
  version: z.union([z.string(), z.number()]).transform(String),
  life_phases: z.array(z.object({ id: text, title_de: text, title_en: text })).min(1),
  areas: z
    .array(
      z.object({
        id: z.enum(AREA_IDS),
        title_de: text,
        title_en: text,
        phase: text,
        description_de: z.string().default(''),
      }),
    )
    .length(AREA_IDS.length),
});

/** questions.yaml; also the check of the workspace's export (src/workspace/). */
export const questionsSchema = z.object({
  handlungsfelder: z
    .array(
      z.object({
        id: z.string().regex(/^hf-[a-z0-9-]+$/),
        title_de: text,
        title_en: text,
        areas: z.array(z.enum(AREA_IDS)).min(1),
        /** Chosen by the AG for its monitoring; the portal shows only chosen fields. */
        chosen: z.boolean().default(true),
      }),
    )
    .min(1),
  questions: z
    .array(
      z.object({
        id: z.string().regex(/^FS\d{2,3}$/),
        handlungsfeld: text,
        title_de: text,
        title_en: text,
        indicators: z.array(text).min(1),
        origin_de: z.string().default(''),
        next_report: z.boolean().default(false),
      }),
    )
    .min(1),
});

type Base = z.infer<z.ZodObject<typeof base>>;
export interface FormulaIndicator extends Base {
  kind: 'formula';
  formula: string;
  expr: Expr;
  /** `k * N / D` shapes: numerator and denominator are stored with the value (null otherwise). */
  ratio: { numerator: Expr; denominator: Expr; scale: number } | null;
  refs: RefNode[];
  file: string;
}
export interface GapIndicator extends Base {
  kind: 'gap';
  of: string;
  dimension: string;
  minuend: string;
  subtrahend: string;
  file: string;
}
export type Indicator = FormulaIndicator | GapIndicator;
export type Area = z.infer<typeof areasSchema>['areas'][number];
export type LifePhase = z.infer<typeof areasSchema>['life_phases'][number];
export type Handlungsfeld = z.infer<typeof questionsSchema>['handlungsfelder'][number];
export type Question = z.infer<typeof questionsSchema>['questions'][number];

const disclosureSchema = z.object({
  audiences: z.object({
    public: z.object({ min_count: z.number().int().min(0), secondary: z.boolean() }),
    member: z.object({ min_count: z.number().int().min(0), secondary: z.boolean() }),
  }),
});

export interface Catalog {
  version: string;
  /** Disclosure rules per audience (catalog/disclosure.yaml). */
  disclosure: Record<Audience, DisclosureRule>;
  lifePhases: LifePhase[];
  areas: Area[];
  handlungsfelder: Handlungsfeld[];
  questions: Question[];
  indicators: Indicator[];
}

export const CATALOG_DIR = fileURLToPath(new URL('../../catalog', import.meta.url));

function fail(message: string, fix = 'Correct the named field in the catalog YAML.'): never {
  throw new BimoError('BIMO_E_CATALOG', message, fix);
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof Error && 'linePos' in err) {
      fail(
        `Catalog ${file} is not valid YAML: ${err.message}`,
        'Fix the YAML syntax at the position named.',
      );
    }
    throw err;
  }
}

/** The first schema issue as `field a.b: message`, with the indicator id where there is one. */
function schemaIssue(error: z.ZodError, raw: unknown): string {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  const index = typeof path[0] === 'number' ? path[0] : -1;
  const item = Array.isArray(raw) && index >= 0 ? (raw[index] as { id?: unknown }) : undefined;
  const id = item?.id === undefined ? '' : `indicator ${String(item.id)}, `;
  return `${id}field ${path.slice(index >= 0 ? 1 : 0).join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`;
}

/** Parses and checks one area file's indicators (formulas included). */
export function parseIndicators(raw: unknown, file: string): Indicator[] {
  const result = z.array(indicatorSchema).safeParse(raw);
  if (!result.success) fail(`Catalog ${file}: ${schemaIssue(result.error, raw)}`);
  return result.data.map((ind): Indicator => {
    if (ind.status === 'planned' && !ind.feed_de) {
      fail(
        `Catalog ${file}: indicator ${ind.id}, field feed_de: a planned indicator names the table that would feed it`,
      );
    }
    if (ind.kind === 'gap') return { ...ind, kind: 'gap', file };
    let expr: Expr;
    try {
      expr = parseFormula(ind.formula);
    } catch (err) {
      if (!(err instanceof FormulaError)) throw err;
      fail(
        `Catalog ${file}: indicator ${ind.id}, field formula, column ${err.position}: ${err.message}\n${formulaErrorExcerpt(err)}`,
        'Correct the formula (docs/catalog.md describes the formula language).',
      );
    }
    const refs = refsOf(expr);
    if (refs.some((r) => r.shift !== null) && !ind.period_alignment_de) {
      fail(
        `Catalog ${file}: indicator ${ind.id}, field period_alignment_de: the formula reads another period (@), so the catalog must say how periods align`,
      );
    }
    return { ...ind, kind: 'formula', expr, ratio: splitRatio(expr), refs, file };
  });
}

/** Loads catalog/ and checks the references between its files. */
export function loadCatalogFull(dir: string = CATALOG_DIR): Catalog {
  const areasFile = join(dir, 'areas.yaml');
  const areasRaw = readYaml(areasFile);
  const areas = areasSchema.safeParse(areasRaw);
  if (!areas.success) fail(`Catalog ${areasFile}: ${schemaIssue(areas.error, areasRaw)}`);
  const questionsFile = join(dir, 'questions.yaml');
  const questionsRaw = readYaml(questionsFile);
  const questions = questionsSchema.safeParse(questionsRaw);
  if (!questions.success)
    fail(`Catalog ${questionsFile}: ${schemaIssue(questions.error, questionsRaw)}`);

  const disclosureFile = join(dir, 'disclosure.yaml');
  const disclosureRaw = existsSync(disclosureFile) ? readYaml(disclosureFile) : null;
  let disclosure = DEFAULT_DISCLOSURE;
  if (disclosureRaw !== null) {
    const parsed = disclosureSchema.safeParse(disclosureRaw);
    if (!parsed.success)
      fail(`Catalog ${disclosureFile}: ${schemaIssue(parsed.error, disclosureRaw)}`);
    const rule = (r: { min_count: number; secondary: boolean }): DisclosureRule => ({
      minCount: r.min_count,
      secondary: r.secondary,
    });
    disclosure = {
      public: rule(parsed.data.audiences.public),
      member: rule(parsed.data.audiences.member),
    };
  }

  const indicatorDir = join(dir, 'indicators');
  const indicators = readdirSync(indicatorDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseIndicators(readYaml(join(indicatorDir, f)), join(indicatorDir, f)));
  return checkReferences({
    version: areas.data.version,
    disclosure,
    lifePhases: areas.data.life_phases,
    areas: areas.data.areas,
    handlungsfelder: questions.data.handlungsfelder,
    questions: questions.data.questions,
    indicators,
  });
}

function checkReferences(c: Catalog): Catalog {
  const phases = new Set(c.lifePhases.map((p) => p.id));
  for (const a of c.areas) {
    if (!phases.has(a.phase))
      fail(`Catalog areas.yaml: area ${a.id}, field phase: unknown life phase ${a.phase}`);
  }
  const byId = new Map<string, Indicator>();
  for (const ind of c.indicators) {
    if (byId.has(ind.id)) {
      fail(
        `Catalog ${ind.file}: indicator id ${ind.id} appears twice (also in ${byId.get(ind.id)?.file})`,
        'Give every indicator a unique id.',
      );
    }
    byId.set(ind.id, ind);
  }
  for (const ind of c.indicators) {
    if (ind.kind !== 'gap') continue;
    const of = byId.get(ind.of);
    if (of?.kind !== 'formula') {
      fail(
        `Catalog ${ind.file}: indicator ${ind.id}, field of: ${ind.of} is not a formula indicator of the catalog`,
      );
    }
    if (!of.breakdowns.includes(ind.dimension)) {
      fail(
        `Catalog ${ind.file}: indicator ${ind.id}, field dimension: ${ind.of} has no breakdown ${ind.dimension}`,
        `Add ${ind.dimension} to the breakdowns of ${ind.of}, or choose one of its breakdowns.`,
      );
    }
  }
  const fields = new Set(c.handlungsfelder.map((h) => h.id));
  for (const q of c.questions) {
    if (!fields.has(q.handlungsfeld))
      fail(
        `Catalog questions.yaml: question ${q.id}, field handlungsfeld: unknown ${q.handlungsfeld}`,
      );
    for (const id of q.indicators) {
      if (!byId.has(id))
        fail(`Catalog questions.yaml: question ${q.id}, field indicators: unknown indicator ${id}`);
    }
  }
  return c;
}

/** The indicators of the catalog (most callers need only these). */
export function loadCatalog(dir: string = CATALOG_DIR): Indicator[] {
  return loadCatalogFull(dir).indicators;
}
