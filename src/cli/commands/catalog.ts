/**
 * `bimo indicators`: the indicator catalog as a list (grouped by area) or as JSON with every
 * YAML field, the variables each indicator reads and the Fragestellungen that use it. Also the
 * documentation check shared with scripts/gen-catalog-docs.ts, so a page is never generated
 * for an indicator without a definition or a source.
 */
import { BimoError } from '../../domain/index.ts';
import type { Area, Catalog, Indicator } from '../../indicators/index.ts';
import { catalogFull, type Io } from '../context.ts';

const STATUSES = ['active', 'planned'] as const;
/** Shorter than this, a definition is a placeholder rather than something a reader can use. */
export const MIN_DEFINITION_LENGTH = 20;

/** One indicator as `bimo indicators --format json` prints it: the YAML fields, snake_case. */
export interface IndicatorJson {
  id: string;
  area: string;
  kind: 'formula' | 'gap';
  title_de: string;
  title_en: string;
  short_de: string;
  definition_de: string;
  definition_en: string | null;
  formula?: string;
  of?: string;
  dimension?: string;
  minuend?: string;
  subtrahend?: string;
  unit: string;
  decimals: number;
  polarity: Indicator['polarity'];
  period_kind: Indicator['period_kind'];
  period_alignment_de: string | null;
  breakdowns: string[];
  sources: string[];
  caveats_de: string;
  visibility: Indicator['visibility'];
  protect: boolean;
  status: Indicator['status'];
  feed_de: string | null;
  /** Variable ids read, in reading order without repeats; a gap reads its base indicator's. */
  variables: string[];
  /** Ids of the Fragestellungen (questions.yaml) that list this indicator. */
  questions: string[];
}

export interface CatalogJson {
  version: string;
  areas: Area[];
  handlungsfelder: Catalog['handlungsfelder'];
  questions: Catalog['questions'];
  indicators: IndicatorJson[];
}

/** The variable ids an indicator reads; a gap is computed from its base, so it reads those. */
export function variablesOf(ind: Indicator, all: readonly Indicator[]): string[] {
  const source = ind.kind === 'gap' ? all.find((i) => i.id === ind.of) : ind;
  if (source?.kind !== 'formula') return [];
  return [...new Set(source.refs.map((r) => r.variable))];
}

/** Ids of the Fragestellungen that use an indicator, in the order of questions.yaml. */
export function questionsOf(id: string, catalog: Pick<Catalog, 'questions'>): string[] {
  return catalog.questions.filter((q) => q.indicators.includes(id)).map((q) => q.id);
}

export function indicatorJson(ind: Indicator, catalog: Catalog): IndicatorJson {
  // Field order follows docs/catalog.md, so the JSON reads like the YAML it comes from.
  const how =
    ind.kind === 'gap'
      ? { of: ind.of, dimension: ind.dimension, minuend: ind.minuend, subtrahend: ind.subtrahend }
      : { formula: ind.formula };
  return {
    id: ind.id,
    area: ind.area,
    kind: ind.kind,
    title_de: ind.title_de,
    title_en: ind.title_en,
    short_de: ind.short_de,
    definition_de: ind.definition_de,
    definition_en: ind.definition_en ?? null,
    ...how,
    unit: ind.unit,
    decimals: ind.decimals,
    polarity: ind.polarity,
    period_kind: ind.period_kind,
    period_alignment_de: ind.period_alignment_de ?? null,
    breakdowns: ind.breakdowns,
    sources: ind.sources,
    caveats_de: ind.caveats_de,
    visibility: ind.visibility,
    protect: ind.protect,
    status: ind.status,
    feed_de: ind.feed_de ?? null,
    variables: variablesOf(ind, catalog.indicators),
    questions: questionsOf(ind.id, catalog),
  };
}

/**
 * What a documentation page cannot do without: a definition of at least
 * MIN_DEFINITION_LENGTH characters and at least one source. One message per problem, each
 * naming the indicator; empty when the catalog is fully documented.
 */
export function documentationProblems(indicators: readonly Indicator[]): string[] {
  const problems: string[] = [];
  for (const ind of indicators) {
    const definition = ind.definition_de.trim();
    if (definition.length < MIN_DEFINITION_LENGTH) {
      problems.push(
        `indicator ${ind.id}: definition_de is ${definition ? `only ${definition.length} characters` : 'empty'} (at least ${MIN_DEFINITION_LENGTH} needed)`,
      );
    }
    if (!ind.sources.some((s) => s.trim())) {
      problems.push(`indicator ${ind.id}: sources is empty (name the table code or the source)`);
    }
  }
  return problems;
}

/** The catalog narrowed to one area and/or status; unknown values are a bad request. */
export function selectIndicators(
  catalog: Catalog,
  opts: { area?: string | undefined; status?: string | undefined },
): { areas: Area[]; indicators: Indicator[] } {
  const areaIds = catalog.areas.map((a) => a.id);
  // Area letters are case-insensitive on the command line (`--area d`), as ids are upper case.
  const area = opts.area?.toUpperCase();
  if (area !== undefined && !areaIds.some((a) => a === area)) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `unknown --area "${opts.area}": accepted values are ${areaIds.join(', ')}`,
      `Give one area letter, e.g. --area D (${areaIds.join(', ')}).`,
      { field: 'area', value: opts.area, accepted: areaIds },
    );
  }
  const status = opts.status;
  if (status !== undefined && !STATUSES.some((s) => s === status)) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `unknown --status "${status}": accepted values are ${STATUSES.join(', ')}`,
      `Use --status active (has data in bimo) or --status planned (defined, not yet fed).`,
      { field: 'status', value: status, accepted: [...STATUSES] },
    );
  }
  return {
    areas: catalog.areas.filter((a) => area === undefined || a.id === area),
    indicators: catalog.indicators.filter(
      (i) =>
        (area === undefined || i.area === area) && (status === undefined || i.status === status),
    ),
  };
}

/**
 * The catalog as JSON. Areas follow --area; Handlungsfelder and Fragestellungen are always
 * complete, because they are the lookup table for each indicator's `questions`.
 */
export function catalogJson(
  catalog: Catalog,
  opts: { area?: string | undefined; status?: string | undefined } = {},
): CatalogJson {
  const selected = selectIndicators(catalog, opts);
  return {
    version: catalog.version,
    areas: selected.areas,
    handlungsfelder: catalog.handlungsfelder,
    questions: catalog.questions,
    indicators: selected.indicators.map((i) => indicatorJson(i, catalog)),
  };
}

/** Text: an area heading, then one line per indicator `D6  active  %  Abgehende ohne …`. */
function catalogText(catalog: Catalog, selected: ReturnType<typeof selectIndicators>): string[] {
  const lines = [`Indicator catalog ${catalog.version}: ${selected.indicators.length} indicators`];
  for (const area of selected.areas) {
    const inArea = selected.indicators.filter((i) => i.area === area.id);
    if (inArea.length === 0) continue;
    lines.push('', `${area.id}  ${area.title_de}`);
    for (const i of inArea) lines.push(`  ${i.id}  ${i.status}  ${i.unit}  ${i.title_de}`);
  }
  return lines;
}

export async function indicatorsCommand(
  io: Io,
  opts: { format: 'text' | 'json'; area?: string; status?: string },
): Promise<number> {
  const catalog = catalogFull();
  if (opts.format === 'json') {
    io.out(JSON.stringify(catalogJson(catalog, opts), null, 2));
    return 0;
  }
  const selected = selectIndicators(catalog, opts);
  io.out(catalogText(catalog, selected).join('\n'));
  if (selected.indicators.length === 0) io.log('indicators: no indicator matches the filters');
  return 0;
}
