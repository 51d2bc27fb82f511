/**
 * A whole computation run: every active indicator of the catalog for the latest published
 * release, gaps after their base indicators, disclosure control per audience on each table, and
 * the values stored. The per-indicator arithmetic is in compute.ts.
 */
import { dimsKey, strongestFlag } from '../domain/index.ts';
import { loadCrosswalks } from '../regions/crosswalk.ts';
import type { Audience, IndicatorValue, Store } from '../store/index.ts';
import type { GapIndicator, Indicator } from './catalog.ts';
import { computeIndicator, METHOD_RANK, type RegionTree } from './compute.ts';
import { DEFAULT_DISCLOSURE, disclose, type DisclosureRule } from './disclosure/index.ts';

/** A gap: item minus item of the base indicator's values, per region and period. */
export function computeGap(gap: GapIndicator, base: readonly IndicatorValue[]): IndicatorValue[] {
  const key = (item: string): string => dimsKey({ [gap.dimension]: item });
  const subtrahends = new Map(
    base
      .filter((v) => v.dimsKey === key(gap.subtrahend))
      .map((v) => [`${v.regionCode}|${v.period}`, v]),
  );
  const out: IndicatorValue[] = [];
  for (const a of base) {
    if (a.dimsKey !== key(gap.minuend)) continue;
    const b = subtrahends.get(`${a.regionCode}|${a.period}`);
    if (!b) continue;
    const flag = strongestFlag([a.flag, b.flag]);
    const value = a.value === null || b.value === null ? null : a.value - b.value;
    out.push({
      indicatorId: gap.id,
      regionCode: a.regionCode,
      period: a.period,
      dimsKey: '',
      value,
      numerator: null,
      denominator: null,
      flag: value === null ? (flag ?? '.') : flag,
      errorBound: value === null ? 0 : a.errorBound + b.errorBound,
      method: METHOD_RANK[a.method] >= METHOD_RANK[b.method] ? a.method : b.method,
      releaseId: a.releaseId,
    });
  }
  return out;
}

/**
 * Marks each value's suppression per audience (disclosure control on the whole table of the
 * indicator). A gap is suppressed wherever one of its two items is: with the other item
 * published, the gap would give the suppressed one away.
 */
export function applyDisclosure(
  indicator: Indicator,
  values: IndicatorValue[],
  regions: RegionTree,
  rules: Record<Audience, DisclosureRule>,
  base?: readonly IndicatorValue[],
): void {
  for (const audience of Object.keys(rules) as Audience[]) {
    if (indicator.kind === 'gap') {
      const hidden = new Set(
        (base ?? [])
          .filter((v) => v.suppressed?.[audience])
          .map((v) => `${v.regionCode}|${v.period}`),
      );
      for (const v of values) {
        if (hidden.has(`${v.regionCode}|${v.period}`)) {
          v.suppressed = { ...v.suppressed, [audience]: 'secondary' };
        }
      }
      continue;
    }
    if (!indicator.protect) continue;
    const out = disclose({
      values,
      regions,
      rule: rules[audience],
      protectedIndicators: new Set([indicator.id]),
    });
    out.forEach((d, i) => {
      const v = values[i];
      if (v && d.suppressed) v.suppressed = { ...v.suppressed, [audience]: d.suppressed };
    });
  }
}

/**
 * Computes every active indicator for the newest published release, stores the values, and then
 * marks the release (and any earlier published one still pending) as computed, so that it is
 * served.
 */
export async function computeAll(
  store: Store,
  indicators: readonly Indicator[],
  regions: RegionTree,
  onProgress?: (msg: string) => void,
  rules: Record<Audience, DisclosureRule> = DEFAULT_DISCLOSURE,
): Promise<{ releaseId: number; counts: Record<string, number> } | null> {
  // The newest published release, also while it is not served yet (its values are made here).
  const release = await store.latestPublishedRelease({ includePending: true });
  if (!release) return null;
  const variables = new Map((await store.listVariables()).map((v) => [v.id, v]));
  const counts: Record<string, number> = {};
  const computed = new Map<string, IndicatorValue[]>();
  const crosswalks = loadCrosswalks();
  const active = indicators.filter((i) => i.status === 'active');
  // Formula indicators first: gaps read their base indicator's values.
  const ordered = [
    ...active.filter((i) => i.kind === 'formula'),
    ...active.filter((i) => i.kind === 'gap'),
  ];
  for (const indicator of ordered) {
    let values: IndicatorValue[];
    if (indicator.kind === 'gap') {
      values = computeGap(indicator, computed.get(indicator.of) ?? []);
    } else {
      const rows = await store.queryObservations({
        variableIds: [...new Set(indicator.refs.map((r) => r.variable))],
        releaseId: release.id,
      });
      values = computeIndicator({
        indicator,
        rows,
        variables,
        regions,
        releaseId: release.id,
        crosswalks,
      });
    }
    applyDisclosure(
      indicator,
      values,
      regions,
      rules,
      indicator.kind === 'gap' ? computed.get(indicator.of) : undefined,
    );
    computed.set(indicator.id, values);
    await store.replaceIndicatorValues(release.id, [indicator.id], values);
    counts[indicator.id] = values.length;
    onProgress?.(`${indicator.id}: ${values.length} values`);
  }
  // Only now, with every indicator's values stored, do readers switch to this release (one
  // transaction): a run stopped before leaves them on the previous one (migration 8).
  const served = await store.markReleasesComputed(release.id, new Date().toISOString());
  if (served.length > 0) {
    const ids =
      served.length > 3 ? `s ${served[0]}–${served[served.length - 1]}` : ` ${served.join(', ')}`;
    onProgress?.(`release${ids} now served`);
  }
  return { releaseId: release.id, counts };
}
