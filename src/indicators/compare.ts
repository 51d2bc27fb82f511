/**
 * One region's value of an indicator in context: against its references (Land, Regierungsbezirk,
 * the groups it belongs to such as the Rheinisches Revier, its peer group, Germany), its rank
 * among the regions of its level in the same Land, and its change since the previous period.
 * A difference counts only when it exceeds what rounding of the inputs could explain, so no
 * reader is told of a gap that may not exist. Values blanked by disclosure control for the
 * audience stay blank here too.
 */
import { BimoError, dimsKey, type Flag, type Region } from '../domain/index.ts';
import type { RegionRegistry } from '../regions/registry.ts';
import type { Audience, IndicatorValue, Store } from '../store/index.ts';
import type { Indicator } from './catalog.ts';
import { blankSuppressed } from './disclosure/index.ts';

export interface ComparedValue {
  code: string;
  name: string;
  value: number | null;
  flag: Flag | null;
  errorBound: number;
}

export interface Reference extends ComparedValue {
  kind: 'land' | 'rb' | 'bund' | 'group' | 'peer';
  /** Region minus reference; null when either is missing. */
  difference: number | null;
  /** True when the difference is larger than both rounding bounds together. */
  beyondRounding: boolean;
}

export interface Comparison {
  indicatorId: string;
  period: string;
  dimsKey: string;
  region: ComparedValue & { level: Region['level'] };
  references: Reference[];
  /** 1 = best by the indicator's polarity (highest value for neutral ones); ties share a rank. */
  rank: { position: number; of: number; level: Region['level']; within: string } | null;
  change: {
    from: string;
    value: number | null;
    difference: number | null;
    beyondRounding: boolean;
  } | null;
}

/** Rounding of the shown value counts towards the tolerance too (half a unit of the last place). */
function tolerance(a: number, b: number, decimals: number): number {
  return a + b + 0.5 * 10 ** -decimals;
}

function shown(v: IndicatorValue | undefined, audience: Audience): IndicatorValue | undefined {
  return v && blankSuppressed(v, audience);
}

export async function compareRegion(input: {
  store: Store;
  regions: RegionRegistry;
  indicator: Indicator;
  code: string;
  period?: string | undefined;
  breakdown?: { dim: string; item: string } | undefined;
  audience?: Audience;
}): Promise<Comparison> {
  const { store, regions, indicator } = input;
  const audience = input.audience ?? 'public';
  const region = regions.get(input.code);
  if (!region) {
    throw new BimoError(
      'BIMO_E_REGION_UNKNOWN',
      `region "${input.code}" is not a region code`,
      'Use an AGS key such as 05358 (Kreis Düren) or 05358008 (Stadt Düren).',
      { field: 'region', value: input.code },
    );
  }
  const dk = input.breakdown ? dimsKey({ [input.breakdown.dim]: input.breakdown.item }) : '';
  const coverage = await store.indicatorCoverage(indicator.id);
  const period = input.period ?? coverage.periods[coverage.periods.length - 1];
  if (period === undefined || !coverage.periods.includes(period)) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      `indicator ${indicator.id} has no values${input.period ? ` for period ${input.period}` : ''}`,
      coverage.periods.length > 0
        ? `Use one of the periods with values: ${coverage.periods.join(', ')}.`
        : 'The indicator has no data yet (see its feed in the catalog).',
      { field: 'period' },
    );
  }
  const land = regions.ancestors(region.code).find((a) => a.level === 'land');
  const peers = regions.atLevel(region.level, land?.code, Number(period));
  const groups = regions
    .groups()
    .filter((g) => regions.members(g.id).some((m) => m.code === region.code));
  const refCodes: { code: string; kind: Reference['kind']; name: string }[] = [
    ...regions
      .ancestors(region.code)
      .filter((a) => a.level === 'land' || a.level === 'rb' || a.level === 'bund')
      .map((a) => ({ code: a.code, kind: a.level as Reference['kind'], name: a.name })),
    ...groups.map((g) => ({
      code: g.id,
      kind: (g.kind === 'peer' ? 'peer' : 'group') as Reference['kind'],
      name: g.name,
    })),
  ];
  const values = await store.queryIndicatorValues({
    indicatorId: indicator.id,
    regionCodes: [region.code, ...refCodes.map((r) => r.code), ...peers.map((p) => p.code)],
    dimsKey: dk,
  });
  const at = (code: string, p: string) =>
    shown(
      values.find((v) => v.regionCode === code && v.period === p),
      audience,
    );
  const own = at(region.code, period);
  const asCompared = (code: string, name: string, v: IndicatorValue | undefined) => ({
    code,
    name,
    value: v?.value ?? null,
    flag: v?.flag ?? null,
    errorBound: v?.errorBound ?? 0,
  });
  const d = indicator.decimals;
  const references = refCodes.map((r): Reference => {
    const v = at(r.code, period);
    const diff =
      typeof own?.value === 'number' && typeof v?.value === 'number' ? own.value - v.value : null;
    return {
      ...asCompared(r.code, r.name, v),
      kind: r.kind,
      difference: diff,
      beyondRounding:
        diff !== null && Math.abs(diff) > tolerance(own?.errorBound ?? 0, v?.errorBound ?? 0, d),
    };
  });

  let rank: Comparison['rank'] = null;
  if (typeof own?.value === 'number' && land) {
    const ranked = peers
      .map((p) => at(p.code, period)?.value)
      .filter((v): v is number => v !== null && v !== undefined);
    const better = (v: number): boolean =>
      indicator.polarity === 'lower_is_better' ? v < (own.value ?? 0) : v > (own.value ?? 0);
    rank = {
      position: ranked.filter(better).length + 1,
      of: ranked.length,
      level: region.level,
      within: land.code,
    };
  }

  const earlier = coverage.periods.filter((p) => p < period);
  const from = earlier[earlier.length - 1];
  let change: Comparison['change'] = null;
  if (from !== undefined) {
    const before = at(region.code, from);
    const diff =
      typeof own?.value === 'number' && typeof before?.value === 'number'
        ? own.value - before.value
        : null;
    change = {
      from,
      value: before?.value ?? null,
      difference: diff,
      beyondRounding:
        diff !== null &&
        Math.abs(diff) > tolerance(own?.errorBound ?? 0, before?.errorBound ?? 0, d),
    };
  }
  return {
    indicatorId: indicator.id,
    period,
    dimsKey: dk,
    region: { ...asCompared(region.code, region.name, own), level: region.level },
    references,
    rank,
    change,
  };
}
