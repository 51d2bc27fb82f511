/**
 * Indicator computation. For every region of every level and every region group, numerator and
 * denominator are first summed as counts (published official totals preferred; sums of parts
 * only where no total is published), then divided. Rates are never averaged. Flags propagate
 * (the strongest wins) and rounding of the inputs becomes an error bound of the result.
 */
import {
  dimsKey,
  parseDimsKey,
  strongestFlag,
  type Dims,
  type Flag,
  type Region,
  type RegionGroup,
  type RegionLevel,
  type Variable,
} from '../domain/index.ts';
import type { IndicatorValue, ObservationRow, Store } from '../store/index.ts';
import type { Indicator, Selector } from './catalog.ts';

/** What the engine needs of the region registry. */
export interface RegionTree {
  atLevel(level: RegionLevel, withinCode?: string, year?: number): Region[];
  children(code: string): Region[];
  get(code: string): Region | undefined;
  groups(): RegionGroup[];
  members(groupId: string, level?: RegionLevel): Region[];
  groupLevel(groupId: string): RegionLevel;
  isValidIn(code: string, year: number): boolean;
}

/** The item code every recipe uses for a dimension's total. */
export const TOTAL_ITEM = 'insgesamt';

interface Part {
  value: number | null;
  flag: Flag | null;
  /** Largest absolute error from rounded inputs. */
  error: number;
}

const CHILD_LEVEL: Partial<Record<RegionLevel, RegionLevel[]>> = {
  bund: ['land'],
  land: ['rb', 'kreis'],
  rb: ['kreis'],
  kreis: ['gemeinde'],
};

function sumParts(parts: Part[]): Part {
  // `-` counted as zero and `0` (less than half a unit) describe their own cell only: a sum of
  // several parts with a real total carries no such sign (ARCHITECTURE §5: signs are never a value).
  const flag = strongestFlag(
    parts.map((p) =>
      parts.length > 1 && p.value !== null && (p.flag === '-' || p.flag === '0') ? null : p.flag,
    ),
  );
  if (parts.some((p) => p.value === null)) {
    return {
      value: null,
      flag: strongestFlag(parts.filter((p) => p.value === null).map((p) => p.flag)),
      error: 0,
    };
  }
  return {
    value: parts.reduce((s, p) => s + (p.value ?? 0), 0),
    flag,
    error: parts.reduce((s, p) => s + p.error, 0),
  };
}

/** All dims keys a selector needs for one breakdown item, given the variable's dimensions. */
function neededKeys(
  sel: Selector,
  dimensions: string[],
  breakdown: string | undefined,
  item: string,
): string[] {
  let combos: Dims[] = [{}];
  for (const dim of dimensions) {
    const items = dim === breakdown ? [item] : (sel.dims[dim] ?? [TOTAL_ITEM]);
    combos = combos.flatMap((c) => items.map((i) => ({ ...c, [dim]: i })));
  }
  return combos.map(dimsKey);
}

const yearOf = (period: string): string => period.slice(0, 4);

class PartIndex {
  private readonly cells = new Map<string, Part>();
  readonly dimensions: string[];
  readonly breakdownItems = new Set<string>();

  constructor(
    rows: ObservationRow[],
    variable: Variable | undefined,
    breakdown: string | undefined,
  ) {
    const dims = new Set<string>();
    for (const r of rows) {
      const parsed = parseDimsKey(r.dimsKey);
      Object.keys(parsed).forEach((d) => dims.add(d));
      if (breakdown && parsed[breakdown]) this.breakdownItems.add(parsed[breakdown]);
      // `-` may count as 0 only where the recipe says "nothing" is meant.
      const dashZero = r.value === null && r.flag === '-' && variable?.dashIsZero === true;
      this.cells.set(`${r.regionCode}|${yearOf(r.period)}|${r.dimsKey}`, {
        value: dashZero ? 0 : r.value,
        flag: r.flag,
        error: Math.floor(r.roundingBase / 2),
      });
    }
    this.dimensions = [...dims].sort();
  }

  years(): string[] {
    return [...new Set([...this.cells.keys()].map((k) => k.split('|')[1] ?? ''))].sort();
  }

  published(region: string, year: string, keys: string[]): Part | undefined {
    const parts: Part[] = [];
    for (const k of keys) {
      const p = this.cells.get(`${region}|${year}|${k}`);
      if (!p) return undefined;
      parts.push(p);
    }
    return sumParts(parts);
  }
}

function ratio(
  n: Part,
  d: Part,
  scale: number,
): { value: number | null; flag: Flag | null; error: number } {
  const flag = strongestFlag([n.flag, d.flag]);
  if (n.value === null || d.value === null) return { value: null, flag: flag ?? '.', error: 0 };
  if (d.value === 0) return { value: null, flag: 'x', error: 0 };
  const value = (n.value / d.value) * scale;
  const lo =
    d.value + d.error > 0 ? (Math.max(0, n.value - n.error) / (d.value + d.error)) * scale : value;
  const hi = d.value - d.error > 0 ? ((n.value + n.error) / (d.value - d.error)) * scale : value;
  return { value, flag, error: Math.max(hi - value, value - lo) };
}

export interface ComputeInput {
  indicator: Indicator;
  rows: ObservationRow[];
  variables: Map<string, Variable>;
  regions: RegionTree;
  releaseId: number;
}

export function computeIndicator(input: ComputeInput): IndicatorValue[] {
  const { indicator, regions } = input;
  const bd = indicator.breakdown;
  const idx = (sel: Selector): PartIndex =>
    new PartIndex(
      input.rows.filter((r) => r.variableId === sel.variable),
      input.variables.get(sel.variable),
      bd,
    );
  const numIdx = idx(indicator.numerator);
  const denIdx = idx(indicator.denominator);
  const items = bd
    ? [TOTAL_ITEM, ...[...numIdx.breakdownItems].filter((i) => i !== TOTAL_ITEM).sort()]
    : [TOTAL_ITEM];
  const out: IndicatorValue[] = [];
  const levels: RegionLevel[] = ['gemeinde', 'kreis', 'rb', 'land', 'bund'];

  for (const year of numIdx.years()) {
    for (const item of items) {
      const keyOf = (sel: Selector, pi: PartIndex): string[] =>
        neededKeys(sel, pi.dimensions, bd, item);
      const numKeys = keyOf(indicator.numerator, numIdx);
      const denKeys = keyOf(indicator.denominator, denIdx);
      const resolved = new Map<string, { n: Part; d: Part; method: IndicatorValue['method'] }>();
      const lookup = (
        region: Region,
      ): { n: Part; d: Part; method: IndicatorValue['method'] } | undefined => {
        for (const code of [region.code, region.sameAs].filter((c): c is string => c !== null)) {
          const n = numIdx.published(code, year, numKeys);
          const d = denIdx.published(code, year, denKeys);
          if (n && d) return { n, d, method: 'published' };
        }
        // No official total: sum the parts one level down, but only when every part is there.
        const childLevels = CHILD_LEVEL[region.level] ?? [];
        const kids = regions
          .children(region.code)
          .filter((c) => childLevels.includes(c.level) && regions.isValidIn(c.code, Number(year)));
        // A Kreis whose only children are pseudo sub-units (Hannover, Berlin Bezirke) has no
        // complete Gemeinde set here; 05334002 counts, as a real Gemeinde among additive ones.
        if (!kids.some((k) => k.additive)) return undefined;
        const got = kids.map((k) => resolved.get(k.code));
        if (got.some((g) => g === undefined)) return undefined;
        const ok = got as { n: Part; d: Part }[];
        return {
          n: sumParts(ok.map((g) => g.n)),
          d: sumParts(ok.map((g) => g.d)),
          method: 'aggregated',
        };
      };
      for (const level of levels) {
        for (const region of regions.atLevel(level)) {
          if (!regions.isValidIn(region.code, Number(year))) continue;
          const r = lookup(region);
          if (r) resolved.set(region.code, r);
        }
      }
      for (const group of regions.groups()) {
        const members = regions.members(group.id, regions.groupLevel(group.id));
        const got = members.map((m) => resolved.get(m.code));
        if (members.length === 0 || got.some((g) => g === undefined)) continue;
        const ok = got as { n: Part; d: Part }[];
        resolved.set(group.id, {
          n: sumParts(ok.map((g) => g.n)),
          d: sumParts(ok.map((g) => g.d)),
          method: 'group',
        });
      }
      for (const [code, r] of resolved) {
        const q = ratio(r.n, r.d, indicator.scale);
        out.push({
          indicatorId: indicator.id,
          regionCode: code,
          period: year,
          dimsKey: item === TOTAL_ITEM || !bd ? '' : dimsKey({ [bd]: item }),
          value: q.value,
          numerator: r.n.value,
          denominator: r.d.value,
          flag: q.flag,
          errorBound: q.error,
          method: r.method,
          releaseId: input.releaseId,
        });
      }
    }
  }
  return out;
}

/** Computes every indicator for a release and stores the values. */
export async function computeAll(
  store: Store,
  indicators: Indicator[],
  regions: RegionTree,
  onProgress?: (msg: string) => void,
): Promise<{ releaseId: number; counts: Record<string, number> } | null> {
  const release = await store.latestPublishedRelease();
  if (!release) return null;
  const variables = new Map((await store.listVariables()).map((v) => [v.id, v]));
  const counts: Record<string, number> = {};
  for (const indicator of indicators) {
    const rows = await store.queryObservations({
      variableIds: [...new Set([indicator.numerator.variable, indicator.denominator.variable])],
      releaseId: release.id,
    });
    const values = computeIndicator({ indicator, rows, variables, regions, releaseId: release.id });
    await store.replaceIndicatorValues(release.id, [indicator.id], values);
    counts[indicator.id] = values.length;
    onProgress?.(`${indicator.id}: ${values.length} values`);
  }
  return { releaseId: release.id, counts };
}
