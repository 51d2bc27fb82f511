/**
 * Loads everything an indicator view shows (portal page and report chapter alike): the NRW
 * Kreise, the references NRW, Rheinisches Revier and Germany, the map geometry and the sources.
 */
import type { Topology } from 'topojson-specification';
import type { AppDeps } from '../api/app.ts';
import {
  audienceOf,
  findIndicator,
  PUBLIC_VIEWER,
  visibleSources,
  type Viewer,
} from '../api/policy.ts';
import { queryValues, type ValueRow } from '../api/values.ts';
import { BimoError, type Source } from '../domain/index.ts';
import type { Indicator } from '../indicators/index.ts';
import type { ClassMethod } from '../viz/index.ts';
import { describeIndicator } from './text.ts';

export const FOCUS_GROUP = 'rheinisches-revier';
export const FOCUS_LAND = '05';

export interface IndicatorView {
  indicator: Indicator;
  period: string;
  periods: string[];
  kreise: ValueRow[];
  nrw: ValueRow | undefined;
  revier: ValueRow | undefined;
  germany: ValueRow | undefined;
  revierCodes: string[];
  topology: Topology | null;
  sentence: string;
  sources: Source[];
  /** The map level; `kreise` holds the regions of this level (Kreise or Gemeinden of NRW). */
  level?: MapLevel;
  /** The object of `topology` to draw ('kreise' or 'gemeinden-nrw'). */
  geometryObject?: string;
  method?: ClassMethod;
  /** The breakdown item shown instead of the total, when one was chosen. */
  breakdown?: { dim: string; item: string } | undefined;
  /** Breakdown dimensions with their items that have values (without the total). */
  breakdowns?: { dim: string; items: string[] }[];
  /** The regions of the time series and their values over all periods. */
  series?: { region: string; name: string; rows: ValueRow[] }[];
  seriesCodes?: string[];
  /** Per breakdown dimension: item values of the series regions, and the gap indicator's. */
  breakdownViews?: BreakdownView[];
}

export type MapLevel = 'kreis' | 'gemeinde';

export interface BreakdownView {
  dim: string;
  items: string[];
  /** Per region (series order): the value of each item, in `items` order. */
  rows: { region: string; name: string; values: (ValueRow | undefined)[] }[];
  gap: { indicator: Indicator; rows: ValueRow[] } | undefined;
}

/** What a page asks for beyond the period: map level, classes, breakdown item, series regions. */
export interface ViewOptions {
  level?: MapLevel;
  method?: ClassMethod;
  breakdown?: { dim: string; item: string } | undefined;
  /** Regions and groups of the time series; default: the Revier and NRW. */
  seriesRegions?: string[];
}

export const DEFAULT_SERIES = [FOCUS_GROUP, FOCUS_LAND];
const GEOMETRY: Record<MapLevel, string> = { kreis: 'kreise', gemeinde: 'gemeinden-nrw' };

/**
 * Parsed map geometry per set: the stored TopoJSON only changes with `bimo init`, parsing the
 * Kreise (340 KB) costs ~6 ms, and the same object lets the map cache its projected paths.
 */
const topologies = new Map<string, { raw: string; topology: Topology }>();

async function topologyOf(deps: AppDeps, id: string): Promise<Topology | null> {
  const record = await deps.store.getGeometry(id);
  if (!record) return null;
  const hit = topologies.get(id);
  if (hit && hit.raw === record.topojson) return hit.topology;
  const topology = JSON.parse(record.topojson) as Topology;
  topologies.set(id, { raw: record.topojson, topology });
  return topology;
}

/** What `viewer` (default: the public, as in printed reports) may see, by the policy. */
export async function loadIndicatorView(
  deps: AppDeps,
  id: string,
  period?: string,
  viewer: Viewer = PUBLIC_VIEWER,
  opts: ViewOptions = {},
): Promise<IndicatorView> {
  let level: MapLevel = opts.level ?? 'kreis';
  const indicator = findIndicator(deps.catalog, id, viewer);
  const audience = audienceOf(viewer);
  const all = await queryValues(deps.store, deps.regions, {
    indicator,
    regions: [FOCUS_LAND],
    audience,
  });
  // The periods NRW has values for; an indicator without NRW values (published only for
  // Gemeinden, or a year NRW lacks) takes every period that has values anywhere.
  const nrwPeriods = [...new Set(all.map((r) => r.period))].sort();
  const periods =
    nrwPeriods.length > 0
      ? nrwPeriods
      : (await deps.store.indicatorCoverage(indicator.id)).periods.slice().sort();
  const chosen =
    period && periods.includes(period) ? period : (periods[periods.length - 1] ?? period ?? '');
  const breakdown = opts.breakdown;
  const atLevel = (lvl: MapLevel) =>
    queryValues(deps.store, deps.regions, {
      indicator,
      level: lvl,
      within: FOCUS_LAND,
      period: chosen,
      breakdown,
      audience,
    });
  let kreise = await atLevel(level);
  // An indicator published for Gemeinden only (A10): without a chosen level, show the Gemeinden.
  const hasValues = (rows: ValueRow[]) => rows.some((r) => r.value !== null);
  if (opts.level === undefined && !hasValues(kreise)) {
    const gemeinden = await atLevel('gemeinde');
    if (hasValues(gemeinden)) [level, kreise] = ['gemeinde', gemeinden];
  }
  const refs = await queryValues(deps.store, deps.regions, {
    indicator,
    regions: [FOCUS_LAND, FOCUS_GROUP, 'DG'],
    period: chosen,
    breakdown,
    audience,
  });
  const pick = (code: string): ValueRow | undefined => refs.find((r) => r.region === code);
  const revierCodes = deps.regions.members(FOCUS_GROUP, level).map((m) => m.code);
  const topology = await topologyOf(deps, GEOMETRY[level]);
  const revier = pick(FOCUS_GROUP);
  const nrw = pick(FOCUS_LAND);
  const sentence = revier
    ? describeIndicator({
        indicator,
        period: chosen,
        focus: revier,
        reference: nrw,
        members: kreise.filter((k) => revierCodes.includes(k.region)),
      })
    : 'Für diese Auswahl liegen keine Daten vor.';
  // Only the sources of releases this viewer may see (a draft's table and Stand stay internal).
  const sources = visibleSources(
    viewer,
    await deps.store.listSources(),
    await deps.store.listReleases(),
  ).filter((s) => indicator.sources.includes(s.tableCode));
  return {
    indicator,
    period: chosen,
    periods,
    kreise,
    nrw,
    revier,
    germany: pick('DG'),
    revierCodes,
    topology,
    sentence,
    sources,
    level,
    geometryObject: GEOMETRY[level],
    method: opts.method ?? 'quantile',
    breakdown,
    ...(await extras(deps, indicator, chosen, viewer, opts)),
  };
}

/** The time series and the breakdown views (portal only; the report chapter ignores them). */
async function extras(
  deps: AppDeps,
  indicator: Indicator,
  period: string,
  viewer: Viewer,
  opts: ViewOptions,
): Promise<Pick<IndicatorView, 'series' | 'seriesCodes' | 'breakdowns' | 'breakdownViews'>> {
  const audience = audienceOf(viewer);
  const seriesCodes = [...new Set(opts.seriesRegions ?? DEFAULT_SERIES)];
  if (seriesCodes.length > 8) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `regionen lists ${seriesCodes.length} regions; at most 8 fit one chart`,
      'Choose up to 8 regions, e.g. ?regionen=05358,05,rheinisches-revier.',
      { field: 'regionen' },
    );
  }
  const all = await queryValues(deps.store, deps.regions, {
    indicator,
    regions: seriesCodes,
    breakdown: opts.breakdown,
    audience,
  });
  const series = seriesCodes.map((code) => ({
    region: code,
    name: deps.regions.get(code)?.name ?? deps.regions.group(code)?.name ?? code,
    rows: all.filter((r) => r.region === code),
  }));
  const coverage = await deps.store.indicatorCoverage(indicator.id);
  const breakdowns = indicator.breakdowns
    .map((dim) => ({
      dim,
      items: coverage.dimsKeys
        .filter((k) => k.startsWith(`${dim}=`))
        .map((k) => k.slice(dim.length + 1))
        .sort(),
    }))
    .filter((b) => b.items.length > 0);
  const breakdownViews: BreakdownView[] = [];
  for (const b of breakdowns) {
    const gapIndicator = deps.catalog.find(
      (g) => g.kind === 'gap' && g.of === indicator.id && g.dimension === b.dim,
    );
    // The gap's minuend first (weiblich before männlich), as the gap reads.
    if (gapIndicator?.kind === 'gap') {
      const first = gapIndicator.minuend;
      b.items.sort((x, y) => Number(y === first) - Number(x === first));
    }
    const perItem = await Promise.all(
      b.items.map((item) =>
        queryValues(deps.store, deps.regions, {
          indicator,
          regions: seriesCodes,
          period,
          breakdown: { dim: b.dim, item },
          audience,
        }),
      ),
    );
    let gap: BreakdownView['gap'];
    if (gapIndicator) {
      try {
        const visible = findIndicator(deps.catalog, gapIndicator.id, viewer);
        const rows = await queryValues(deps.store, deps.regions, {
          indicator: visible,
          regions: seriesCodes,
          period,
          audience,
        });
        gap = { indicator: visible, rows };
      } catch (e) {
        // A gap indicator the viewer may not see, or without values for the period: left out.
        if (!(e instanceof BimoError)) throw e;
      }
    }
    breakdownViews.push({
      dim: b.dim,
      items: b.items,
      rows: series.map((s) => ({
        region: s.region,
        name: s.name,
        values: perItem.map((rows) => rows.find((r) => r.region === s.region)),
      })),
      gap,
    });
  }
  return { series, seriesCodes, breakdowns, breakdownViews };
}
