/**
 * The values query shared by the JSON API, the portal pages and the reports: indicator values
 * for a level or a list of regions and groups, with names, in a stable order.
 */
import {
  BimoError,
  dimsKey,
  levelOfCode,
  REGION_LEVELS,
  type Flag,
  type RegionLevel,
} from '../domain/index.ts';
import { blankSuppressed, TOTAL_ITEM, type Indicator } from '../indicators/index.ts';
import type { Audience, IndicatorValue, Store, Suppression } from '../store/index.ts';

export interface NameLookup {
  get(code: string): { code: string; name: string; level: RegionLevel } | undefined;
  group(id: string): { id: string; name: string } | undefined;
  atLevel(level: RegionLevel, withinCode?: string, year?: number): { code: string }[];
}

export interface ValueRow {
  region: string;
  name: string;
  level: RegionLevel | 'group';
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  flag: Flag | null;
  error_bound: number;
  method: IndicatorValue['method'];
  /** Set when bimo's disclosure control blanked the value (flag `.`). */
  suppressed?: Suppression;
}

export interface ValuesQuery {
  indicator: Indicator;
  level?: RegionLevel | undefined;
  within?: string | undefined;
  regions?: string[] | undefined;
  period?: string | undefined;
  /** First and last period (inclusive); ignored when `period` is given. */
  from?: string | undefined;
  to?: string | undefined;
  /** One breakdown item, e.g. `{ dim: 'geschlecht', item: 'weiblich' }`; default: the total. */
  breakdown?: { dim: string; item: string } | undefined;
  releaseId?: number | undefined;
  /**
   * Disclosure control: values suppressed for this audience are blanked (default: public). Take
   * it from the policy, `audienceOf(viewer)` (src/api/policy.ts), never from the request.
   */
  audience?: Audience | undefined;
}

/** A value rounded to the indicator's decimals, as every answer shows it. */
export const round = (v: number | null, decimals: number): number | null =>
  v === null ? null : Math.round(v * 10 ** decimals) / 10 ** decimals;

/** An error bound is never understated: rounded up to the shown decimals. */
export function roundUp(v: number, decimals: number): number {
  const f = 10 ** decimals;
  // The small epsilon keeps 0.30000000000000004 from becoming 0.4.
  return Math.ceil(v * f - 1e-9) / f;
}

export function parseLevel(raw: string | undefined): RegionLevel | undefined {
  if (raw === undefined || raw === '') return undefined;
  if ((REGION_LEVELS as readonly string[]).includes(raw)) return raw as RegionLevel;
  throw new BimoError(
    'BIMO_E_BAD_REQUEST',
    `level "${raw}" is not a region level`,
    `Use one of ${REGION_LEVELS.join(', ')}.`,
    { field: 'level' },
  );
}

/** Above this many region codes, the values are filtered after the query (see queryValues). */
const MAX_BOUND_CODES = 50;

/**
 * Throws the helpful error when a period or breakdown item has no values for the indicator at
 * all (as opposed to none for the regions asked).
 */
async function explainEmpty(store: Store, q: ValuesQuery, dims: string): Promise<void> {
  const { indicator } = q;
  const coverage = await store.indicatorCoverage(indicator.id, q.releaseId);
  if (
    q.period !== undefined &&
    coverage.periods.length > 0 &&
    !coverage.periods.includes(q.period)
  ) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      `indicator ${indicator.id} has no values for period ${q.period}`,
      `Use one of the periods with values: ${coverage.periods.join(', ')}.`,
      { field: 'period', value: q.period },
    );
  }
  if (q.breakdown && dims !== '' && !coverage.dimsKeys.includes(dims)) {
    const { dim, item } = q.breakdown;
    const items = coverage.dimsKeys
      .filter((k) => k.startsWith(`${dim}=`))
      .map((k) => k.slice(dim.length + 1));
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `indicator ${indicator.id} has no values for ${dim}=${item}`,
      `Use ${dim}=${[TOTAL_ITEM, ...items].join(', ' + dim + '=')}.`,
      { field: dim, value: item },
    );
  }
}

export async function queryValues(
  store: Store,
  names: NameLookup,
  q: ValuesQuery,
): Promise<ValueRow[]> {
  const { indicator } = q;
  let codes: string[] | undefined;
  if (q.regions && q.regions.length > 0) {
    for (const code of q.regions) {
      if (!names.get(code) && !names.group(code)) {
        throw new BimoError(
          'BIMO_E_REGION_UNKNOWN',
          `region "${code}" is neither a region code nor a group id`,
          'Use an AGS key such as 05358 (Kreis Düren), 05 (NRW) or a group such as rheinisches-revier; GET /api/v1/regions lists them.',
          { field: 'region', value: code },
        );
      }
    }
    codes = q.regions;
  } else if (q.level) {
    const year = q.period ? Number(q.period.slice(0, 4)) : undefined;
    if (q.within !== undefined && !names.get(q.within) && !names.group(q.within)) {
      throw new BimoError(
        'BIMO_E_REGION_UNKNOWN',
        `within "${q.within}" is neither a region code nor a group id`,
        'Use e.g. within=05 (NRW) or within=rheinisches-revier.',
        { field: 'within', value: q.within },
      );
    }
    codes = names.atLevel(q.level, q.within, year).map((r) => r.code);
  }
  const dims =
    q.breakdown && q.breakdown.item !== TOTAL_ITEM
      ? dimsKey({ [q.breakdown.dim]: q.breakdown.item })
      : '';
  const audience = q.audience ?? 'public';
  // A long list of codes (a whole level) is filtered here: binding hundreds of parameters costs
  // the database more than reading the indicator's rows for the period.
  const many = codes !== undefined && codes.length > MAX_BOUND_CODES;
  const wanted = many ? new Set(codes) : undefined;
  const inRange = (p: string) =>
    (q.from === undefined || p >= q.from) && (q.to === undefined || p <= q.to);
  const values = (
    await store.queryIndicatorValues({
      indicatorId: indicator.id,
      regionCodes: many ? undefined : codes,
      periods: q.period ? [q.period] : undefined,
      dimsKey: dims,
      releaseId: q.releaseId,
    })
  )
    .filter((v) => (!wanted || wanted.has(v.regionCode)) && (q.period || inRange(v.period)))
    .map((v) => blankSuppressed(v, audience));
  // Nothing found: say why when the period or breakdown item does not exist at all.
  if (values.length === 0) await explainEmpty(store, q, dims);
  const rows = values.map((v): ValueRow => {
    const region = names.get(v.regionCode);
    const group = region ? undefined : names.group(v.regionCode);
    return {
      region: v.regionCode,
      name: region?.name ?? group?.name ?? v.regionCode,
      level: region?.level ?? (group ? 'group' : (levelOfCode(v.regionCode) ?? 'group')),
      period: v.period,
      value: round(v.value, indicator.decimals),
      numerator: v.numerator,
      denominator: v.denominator,
      flag: v.flag,
      error_bound: roundUp(v.errorBound, indicator.decimals),
      method: v.method,
      ...(v.suppressed?.[audience] ? { suppressed: v.suppressed[audience] } : {}),
    };
  });
  // Keep the order the caller asked for; otherwise by code.
  if (q.regions) {
    const order = new Map(q.regions.map((c, i) => [c, i]));
    rows.sort(
      (a, b) =>
        (order.get(a.region) ?? 0) - (order.get(b.region) ?? 0) || a.period.localeCompare(b.period),
    );
  }
  return rows;
}
