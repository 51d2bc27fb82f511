/**
 * Running the checks: loads one release from the store once and runs every check over it in the
 * order the report prints them; without computed indicator values only the checks on the
 * observations run, with one finding saying why.
 */
import { BimoError } from '../../domain/index.ts';
import type { RegionRegistry } from '../../regions/registry.ts';
import type { IndicatorValue, Store } from '../../store/index.ts';
import type { Catalog } from '../catalog.ts';
import type { CheckData, Finding } from './finding.ts';
import { checkFlagCounts, checkRevierFlags } from './flags.ts';
import { checkJumps } from './jumps.ts';
import { checkPartsVsTotal } from './parts.ts';
import { checkPublishedRate } from './rates.ts';
import { checkCoverage, checkShareRange, checkSmallCounts } from './values.ts';

/** Loads one release and runs every check; the release defaults to the latest published one. */
export async function runChecks(input: {
  store: Store;
  regions: RegionRegistry;
  catalog: Catalog;
  releaseId?: number;
}): Promise<Finding[]> {
  const { store } = input;
  const releaseId = input.releaseId ?? (await store.latestPublishedRelease())?.id;
  if (releaseId === undefined || (await store.getRelease(releaseId)) === null) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      releaseId === undefined ? 'no published release to check' : `release ${releaseId} not found`,
      'Import data first (bimo import FILE, or bimo demo), or name a release listed by `bimo releases`.',
    );
  }
  const values = new Map<string, IndicatorValue[]>();
  for (const ind of input.catalog.indicators.filter((i) => i.status === 'active')) {
    values.set(ind.id, await store.queryIndicatorValues({ indicatorId: ind.id, releaseId }));
  }
  const data: CheckData = {
    releaseId,
    regions: input.regions,
    catalog: input.catalog,
    variables: new Map((await store.listVariables()).map((v) => [v.id, v])),
    rows: await store.queryObservations({ releaseId }),
    values,
  };
  return runAll(data);
}

/** Every check over loaded data, in the order the report prints them. */
export function runAll(data: CheckData): Finding[] {
  const out = [...checkPartsVsTotal(data), ...checkPublishedRate(data), ...checkFlagCounts(data)];
  if ([...data.values.values()].every((v) => v.length === 0)) {
    // Without computed values the indicator checks would report every indicator as empty.
    return [...out, noValuesFinding(data.releaseId)];
  }
  return [
    ...out,
    ...checkJumps(data),
    ...checkShareRange(data),
    ...checkRevierFlags(data),
    ...checkCoverage(data),
    ...checkSmallCounts(data),
  ];
}

function noValuesFinding(releaseId: number): Finding {
  return {
    check: 'coverage',
    severity: 'warning',
    subject: `Release ${releaseId}`,
    message_de: `Für Release ${releaseId} sind keine Indikatorwerte berechnet.`,
    explanation_de:
      'Indikatoren werden nur für das zuletzt veröffentlichte Release berechnet; Sprünge, Wertebereiche, Lücken und Geheimhaltung lassen sich ohne Werte nicht prüfen.',
    fix_de:
      'Release veröffentlichen (bimo releases publish N) oder bimo compute ausführen, dann erneut prüfen.',
    data: { release: releaseId },
  };
}
