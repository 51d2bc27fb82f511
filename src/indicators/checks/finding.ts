/**
 * What every check shares: the Finding it reports, the CheckData it reads, the thresholds that
 * decide what is worth reporting, and the German number, period and region texts the findings
 * are written with. Kept in one place so the checks word and tune their findings alike.
 */
import type { Variable } from '../../domain/index.ts';
import type { RegionRegistry } from '../../regions/registry.ts';
import type { IndicatorValue, ObservationRow } from '../../store/index.ts';
import type { Catalog, Indicator } from '../catalog.ts';

export interface Finding {
  /** Stable id, e.g. 'parts-vs-total'. */
  check: string;
  severity: 'error' | 'warning' | 'info';
  /** What it is about: variable/indicator id, region code + name, period, dims. */
  subject: string;
  /** German, one or two sentences: what was found, with the numbers. */
  message_de: string;
  /** Why this matters / what it likely means. */
  explanation_de: string;
  /** What the monitoring staff should do. */
  fix_de: string;
  /** The numbers behind it. */
  data: Record<string, number | string | null>;
}

/** Everything the checks read, loaded once: pure check functions can be tested on hand-made data. */
export interface CheckData {
  releaseId: number;
  regions: RegionRegistry;
  catalog: Catalog;
  variables: Map<string, Variable>;
  rows: ObservationRow[];
  /** Values per active indicator id (empty list: none computed). */
  values: Map<string, IndicatorValue[]>;
}

/** The seven Kreise of the Rheinisches Revier (domain.md §2.2). */
export const REVIER_KREISE = ['05116', '05162', '05334', '05358', '05362', '05366', '05370'];
/** Statistics perturbed by the Cell-Key-Methode: Bevölkerung, Hochschulen, Zensus 2022. */
export const CKM_STATISTICS = new Set(['12411', '21311', '1000A']);
/** Signs that leave a value missing (`-` is a real zero or a value set to zero, so it is shown). */
export const MISSING_SIGNS: readonly string[] = ['.', 'x', '/', '...'];
/** A published rate with one decimal is exact to ±0.05 (half its last digit). */
export const RATE_TOLERANCE = 0.05;
/** Jumps: shares must move more than this many percentage points, other units this fraction. */
export const JUMP_SHARE_PP = 5;
export const JUMP_RELATIVE = 0.2;
/** An indicator is stale when its latest year lies more than this many years behind the newest. */
export const STALE_YEARS = 3;

export const fmt = (n: number, d = 0): string =>
  new Intl.NumberFormat('de-DE', { maximumFractionDigits: d, minimumFractionDigits: d }).format(n);
export const signed = (n: number, d = 0): string => `${n > 0 ? '+' : ''}${fmt(n, d)}`;
export const yearOf = (period: string): number => Number(period.slice(0, 4));

/** `05358 Düren, Kreis` (group ids by their name). */
export function regionLabel(regions: RegionRegistry, code: string): string {
  const name = regions.get(code)?.name ?? regions.group(code)?.name;
  return name === undefined ? code : `${code} ${name}`;
}

/** Subject text: the parts joined by ' · ', an empty dims key left out. */
export function subjectOf(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' · ');
}

// Shared by the checks on indicator values (3.–7.).

export const active = (data: CheckData): Indicator[] =>
  data.catalog.indicators.filter((i) => i.status === 'active');
export const valuesOf = (data: CheckData, id: string): IndicatorValue[] =>
  data.values.get(id) ?? [];

/** `Schuljahr 2022/23` for school years, the year otherwise (indicator periods are years). */
export function periodText(ind: Indicator, period: string): string {
  const y = yearOf(period);
  return ind.period_kind === 'schuljahr' ? `Schuljahr ${y - 1}/${String(y).slice(2)}` : period;
}
