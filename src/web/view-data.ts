/**
 * Loads everything an indicator view shows (portal page and report chapter alike): the NRW
 * Kreise, the references NRW, Rheinisches Revier and Germany, the map geometry and the sources.
 */
import type { Topology } from 'topojson-specification';
import type { AppDeps } from '../api/app.ts';
import { audienceOf, findIndicator, PUBLIC_VIEWER, type Viewer } from '../api/policy.ts';
import { queryValues, type ValueRow } from '../api/values.ts';
import type { Source } from '../domain/index.ts';
import type { Indicator } from '../indicators/index.ts';
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
}

/** What `viewer` (default: the public, as in printed reports) may see, by the policy. */
export async function loadIndicatorView(
  deps: AppDeps,
  id: string,
  period?: string,
  viewer: Viewer = PUBLIC_VIEWER,
): Promise<IndicatorView> {
  const indicator = findIndicator(deps.catalog, id, viewer);
  const audience = audienceOf(viewer);
  const all = await queryValues(deps.store, deps.regions, {
    indicator,
    regions: [FOCUS_LAND],
    audience,
  });
  const periods = [...new Set(all.map((r) => r.period))].sort();
  const chosen =
    period && periods.includes(period) ? period : (periods[periods.length - 1] ?? period ?? '');
  const kreise = await queryValues(deps.store, deps.regions, {
    indicator,
    level: 'kreis',
    within: FOCUS_LAND,
    period: chosen,
    audience,
  });
  const refs = await queryValues(deps.store, deps.regions, {
    indicator,
    regions: [FOCUS_LAND, FOCUS_GROUP, 'DG'],
    period: chosen,
    audience,
  });
  const pick = (code: string): ValueRow | undefined => refs.find((r) => r.region === code);
  const revierCodes = deps.regions.members(FOCUS_GROUP, 'kreis').map((m) => m.code);
  const geometry = await deps.store.getGeometry('kreise');
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
  const sources = (await deps.store.listSources()).filter((s) =>
    indicator.sources.includes(s.tableCode),
  );
  return {
    indicator,
    period: chosen,
    periods,
    kreise,
    nrw,
    revier,
    germany: pick('DG'),
    revierCodes,
    topology: geometry ? (JSON.parse(geometry.topojson) as Topology) : null,
    sentence,
    sources,
  };
}
