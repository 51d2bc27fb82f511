/**
 * Indicator computation. Each reference of a formula is first resolved as a count for every
 * region of every level and every region group (published official totals preferred; sums of
 * parts only where no total is published and every part is there; group sums over the members),
 * and only then is the formula evaluated. Rates are never averaged. Flags propagate (the strongest
 * wins), rounding of the inputs becomes an error bound by interval arithmetic, and breakdown
 * items (sex, nationality, …) are computed like the total. Gaps, disclosure control and the
 * whole run over the catalog are in compute-all.ts.
 */
import {
  dimsKey,
  type Region,
  type RegionGroup,
  type RegionLevel,
  type Variable,
} from '../domain/index.ts';
import type { IndicatorValue, ObservationRow } from '../store/index.ts';
import type { FormulaIndicator } from './catalog.ts';
import { evaluate, type Quantity, type RefNode } from './formula/index.ts';
import { PartIndex, sumParts, TOTAL_ITEM, type Part } from './parts.ts';
import type { Crosswalk } from '../regions/crosswalk.ts';

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

/**
 * Levels whose missing totals may be summed from the next level down. Never a Gemeinde from its
 * Sozialräume: a Kommune's list need not cover the whole Gemeinde.
 */
const CHILD_LEVEL: Partial<Record<RegionLevel, RegionLevel[]>> = {
  bund: ['land'],
  land: ['rb', 'kreis'],
  rb: ['kreis'],
  kreis: ['gemeinde'],
};
const LEVELS: RegionLevel[] = ['sozialraum', 'gemeinde', 'kreis', 'rb', 'land', 'bund'];

type Method = IndicatorValue['method'];
interface Resolved {
  part: Part;
  method: Method;
}

/**
 * Every region's and group's count for one reference, year and breakdown item. Non-additive
 * variables (published rates, averages) are only ever taken as published.
 */
function resolveAll(
  index: PartIndex,
  ref: RefNode,
  year: number,
  breakdown: { dim: string; item: string } | null,
  regions: RegionTree,
  crosswalks: readonly Crosswalk[],
): Map<string, Resolved> {
  const selection: Record<string, string[]> = { ...ref.filters };
  if (breakdown && index.dimensions.includes(breakdown.dim) && !(breakdown.dim in ref.filters)) {
    selection[breakdown.dim] = [breakdown.item];
  }
  const keys = index.keys(selection);
  const out = new Map<string, Resolved>();
  const lookup = (region: Region): Resolved | undefined => {
    for (const code of [region.code, region.sameAs]) {
      if (code === null) continue;
      const part = index.published(code, year, keys);
      if (part) return { part, method: 'published' };
    }
    if (!index.additive) return undefined;
    const childLevels = CHILD_LEVEL[region.level] ?? [];
    const kids = regions
      .children(region.code)
      .filter((c) => childLevels.includes(c.level) && regions.isValidIn(c.code, year));
    // A Kreis whose only children are pseudo sub-units (Hannover, Berlin Bezirke) has no complete
    // Gemeinde set here; 05334002 counts, as a real Gemeinde among additive ones.
    if (!kids.some((k) => k.additive)) return undefined;
    const got = kids.map((k) => out.get(k.code));
    if (got.some((g) => g === undefined)) return undefined;
    return { part: sumParts((got as Resolved[]).map((g) => g.part)), method: 'aggregated' };
  };
  for (const level of LEVELS) {
    for (const region of regions.atLevel(level)) {
      if (!regions.isValidIn(region.code, year)) continue;
      const r = lookup(region);
      if (r) out.set(region.code, r);
    }
  }
  if (index.additive) {
    // Series on today's Gebietsstand: a unit created by a territorial change (05334 in 2009) gets
    // the weighted sum of its former units for years before the change, if every part is there.
    for (const cw of crosswalks) {
      if (year >= Number(cw.effective.slice(0, 4))) continue;
      for (const to of new Set(cw.parts.map((p) => p.to))) {
        if (out.has(to)) continue;
        const parts = cw.parts.filter((p) => p.to === to);
        const got = parts.map((p) => out.get(p.from));
        if (got.some((g) => g === undefined)) continue;
        const weighted = (got as Resolved[]).map((g, i) => {
          const w = parts[i]?.weight ?? 1;
          return {
            ...g.part,
            value: g.part.value === null ? null : g.part.value * w,
            error: g.part.error * w,
          };
        });
        out.set(to, { part: sumParts(weighted), method: 'harmonised' });
      }
    }
    for (const group of regions.groups()) {
      const members = regions.members(group.id, regions.groupLevel(group.id));
      const got = members.map((m) => out.get(m.code));
      if (members.length === 0 || got.some((g) => g === undefined)) continue;
      out.set(group.id, {
        part: sumParts((got as Resolved[]).map((g) => g.part)),
        method: 'group',
      });
    }
  }
  return out;
}

export interface ComputeInput {
  indicator: FormulaIndicator;
  rows: readonly ObservationRow[];
  variables: ReadonlyMap<string, Variable>;
  regions: RegionTree;
  releaseId: number;
  /** Territorial changes: values on today's Gebietsstand for earlier years (crosswalks.yaml). */
  crosswalks?: readonly Crosswalk[];
}

export const METHOD_RANK: Record<Method, number> = {
  published: 0,
  aggregated: 1,
  harmonised: 2,
  group: 3,
};

export function computeIndicator(input: ComputeInput): IndicatorValue[] {
  const { indicator, regions } = input;
  const indexes = new Map<string, PartIndex>();
  for (const ref of indicator.refs) {
    if (indexes.has(ref.variable)) continue;
    const rows = input.rows.filter((r) => r.variableId === ref.variable);
    indexes.set(ref.variable, new PartIndex(rows, input.variables.get(ref.variable)));
  }
  const indexOf = (ref: RefNode): PartIndex => indexes.get(ref.variable) as PartIndex;
  // Reporting years: those of the references that read the indicator's own period.
  const years = new Set<number>();
  for (const ref of indicator.refs) {
    if (ref.shift === null) indexOf(ref).years.forEach((y) => years.add(y));
  }
  // Breakdown items: those the data have for every variable that carries the dimension.
  const breakdowns: ({ dim: string; item: string } | null)[] = [null];
  for (const dim of indicator.breakdowns) {
    const sets = indicator.refs
      .map((r) => indexOf(r).items.get(dim))
      .filter((s) => s !== undefined);
    if (sets.length === 0) continue;
    const items = [...(sets[0] ?? [])].filter((i) => sets.every((s) => s.has(i))).sort();
    breakdowns.push(...items.map((item) => ({ dim, item })));
  }

  const out: IndicatorValue[] = [];
  const cache = new Map<string, Map<string, Resolved>>();
  const resolved = (ref: RefNode, refNo: number, year: number, bd: (typeof breakdowns)[number]) => {
    const key = `${refNo}|${year}|${bd ? `${bd.dim}=${bd.item}` : ''}`;
    let map = cache.get(key);
    if (!map) {
      map = resolveAll(indexOf(ref), ref, year, bd, regions, input.crosswalks ?? []);
      cache.set(key, map);
    }
    return map;
  };
  const refNo = new Map(indicator.refs.map((r, i) => [r, i]));
  for (const year of [...years].sort()) {
    for (const bd of breakdowns) {
      const yearOf = (ref: RefNode): number =>
        ref.shift === null
          ? year
          : ref.shift.kind === 'relative'
            ? year + ref.shift.years
            : ref.shift.year;
      const maps = indicator.refs.map((ref) => resolved(ref, refNo.get(ref) ?? 0, yearOf(ref), bd));
      const codes = new Set<string>();
      for (const m of maps) for (const code of m.keys()) codes.add(code);
      for (const code of codes) {
        let method: Method = 'published';
        const at = (ref: RefNode): Quantity | undefined => {
          const r = maps[refNo.get(ref) ?? 0]?.get(code);
          if (r && METHOD_RANK[r.method] > METHOD_RANK[method]) method = r.method;
          return r?.part;
        };
        const q = evaluate(indicator.expr, at);
        if (!q) continue;
        const ratio = indicator.ratio;
        out.push({
          indicatorId: indicator.id,
          regionCode: code,
          period: String(year),
          dimsKey: bd ? dimsKey({ [bd.dim]: bd.item }) : '',
          value: q.value,
          numerator: ratio ? (evaluate(ratio.numerator, at)?.value ?? null) : null,
          denominator: ratio ? (evaluate(ratio.denominator, at)?.value ?? null) : null,
          flag: q.flag,
          errorBound: Number.isFinite(q.error) ? q.error : Number.MAX_VALUE,
          method,
          releaseId: input.releaseId,
        });
      }
    }
  }
  return out;
}

export { TOTAL_ITEM };
