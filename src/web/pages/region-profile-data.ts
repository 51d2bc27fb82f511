/**
 * Everything a region profile shows: the region (or group) with its parent chain and groups,
 * and per visible indicator with data for it the latest value, its references with differences
 * judged against rounding (compareRegion), the rank within the Land and the time series. What
 * is shown is the policy's decision for the viewer: visible indicators only, values blanked by
 * disclosure control for the viewer's audience.
 */
import type { AppDeps } from '../../api/app.ts';
import { audienceOf, visibleIndicators, type Viewer } from '../../api/policy.ts';
import type { Flag, Region, RegionGroup, RegionLevel } from '../../domain/index.ts';
import {
  blankSuppressed,
  compareRegion,
  type Comparison,
  type Indicator,
} from '../../indicators/index.ts';
import type { Audience, IndicatorValue } from '../../store/index.ts';
import { NRW, REVIER } from './region-words.ts';

export type RefKey = 'land' | 'revier' | 'kreis' | 'peer' | 'bund';
export const REF_KEYS: RefKey[] = ['land', 'revier', 'kreis', 'peer', 'bund'];

export interface RefCell {
  code: string;
  name: string;
  value: number | null;
  flag: Flag | null;
  difference: number | null;
  beyondRounding: boolean;
}

export interface SeriesPoint {
  period: string;
  value: number | null;
  flag: Flag | null;
}

export interface ProfileRow {
  indicator: Indicator;
  period: string;
  value: number | null;
  flag: Flag | null;
  refs: Partial<Record<RefKey, RefCell>>;
  rank: Comparison['rank'];
  series: SeriesPoint[];
}

export interface Profile {
  code: string;
  name: string;
  level: RegionLevel | 'group';
  /** Parent, grandparent, … (nearest first); empty for groups. */
  ancestors: Region[];
  /** Groups the region belongs to (not peer groups). */
  groups: RegionGroup[];
  peer: RegionGroup | undefined;
  /** Gemeinden of a Kreis, Kreise of a Land, members of a group. */
  parts: Region[];
  rows: ProfileRow[];
  refKeys: RefKey[];
}

/** A difference counts when it exceeds both rounding bounds and half a unit of the last place. */
function tolerance(a: number, b: number, decimals: number): number {
  return a + b + 0.5 * 10 ** -decimals;
}

function refCell(
  own: IndicatorValue | undefined,
  v: IndicatorValue | undefined,
  code: string,
  name: string,
  decimals: number,
): RefCell {
  const diff =
    typeof own?.value === 'number' && typeof v?.value === 'number' ? own.value - v.value : null;
  return {
    code,
    name,
    value: v?.value ?? null,
    flag: v?.flag ?? null,
    difference: diff,
    beyondRounding:
      diff !== null &&
      Math.abs(diff) > tolerance(own?.errorBound ?? 0, v?.errorBound ?? 0, decimals),
  };
}

async function valuesOf(
  deps: AppDeps,
  indicatorId: string,
  code: string,
  audience: Audience,
  period?: string,
): Promise<IndicatorValue[]> {
  const rows = await deps.store.queryIndicatorValues({
    indicatorId,
    regionCodes: [code],
    periods: period ? [period] : undefined,
    dimsKey: '',
  });
  return rows
    .map((v) => blankSuppressed(v, audience))
    .sort((a, b) => a.period.localeCompare(b.period));
}

/** Null when the code is neither a region nor a group (the caller answers 404). */
export async function loadProfile(
  deps: AppDeps,
  code: string,
  viewer: Viewer,
): Promise<Profile | null> {
  const { regions } = deps;
  const region = regions.get(code);
  const group = region ? undefined : regions.group(code);
  if (!region && !group) return null;
  const audience = audienceOf(viewer);
  const memberOf = region
    ? regions.groups().filter((g) => regions.members(g.id).some((m) => m.code === code))
    : [];
  const ancestors = region ? regions.ancestors(code) : [];
  const kreis =
    region?.level === 'gemeinde' ? ancestors.find((a) => a.level === 'kreis') : undefined;
  const revier = regions.group(REVIER);
  const rows: ProfileRow[] = [];
  for (const indicator of visibleIndicators(viewer, deps.catalog)) {
    if (indicator.status !== 'active') continue;
    const series = await valuesOf(deps, indicator.id, code, audience);
    if (series.length === 0) continue;
    const latest = [...series].reverse().find((v) => v.value !== null) ?? series[series.length - 1];
    if (!latest) continue;
    const period = latest.period;
    const d = indicator.decimals;
    const extra = async (refCode: string, name: string): Promise<RefCell> => {
      const [v] = await valuesOf(deps, indicator.id, refCode, audience, period);
      return refCell(latest, v, refCode, name, d);
    };
    const refs: ProfileRow['refs'] = {};
    let rank: Comparison['rank'] = null;
    if (region) {
      const cmp = await compareRegion({
        store: deps.store,
        regions,
        indicator,
        code,
        period,
        audience,
      });
      const pick = (pred: (r: Comparison['references'][number]) => boolean) =>
        cmp.references.find(pred);
      refs.land = pick((r) => r.kind === 'land');
      refs.peer = pick((r) => r.kind === 'peer');
      if (region.level === 'land') refs.bund = pick((r) => r.kind === 'bund');
      rank = cmp.rank;
    } else {
      refs.land = await extra(NRW, regions.get(NRW)?.name ?? 'Nordrhein-Westfalen');
      refs.bund = await extra('DG', regions.get('DG')?.name ?? 'Deutschland');
    }
    if (revier && code !== REVIER && region?.level !== 'land') {
      refs.revier = await extra(REVIER, revier.name);
    }
    if (kreis) refs.kreis = await extra(kreis.code, kreis.name);
    rows.push({
      indicator,
      period,
      value: latest.value,
      flag: latest.flag,
      refs,
      rank,
      series: series.map((v) => ({ period: v.period, value: v.value, flag: v.flag })),
    });
  }
  const parts = group
    ? regions.members(code).filter((m) => m.level === regions.groupLevel(code))
    : region && (region.level === 'kreis' || region.level === 'land' || region.level === 'rb')
      ? regions.children(code).filter((r) => r.validTo === null)
      : [];
  return {
    code,
    name: region?.name ?? group?.name ?? code,
    level: region?.level ?? 'group',
    ancestors,
    groups: memberOf.filter((g) => g.kind !== 'peer'),
    peer: memberOf.find((g) => g.kind === 'peer'),
    parts,
    rows,
    refKeys: REF_KEYS.filter((k) => rows.some((r) => r.refs[k] !== undefined)),
  };
}
