/**
 * Shared by the check tests: a small region tree (NRW with two Kreise, one Kreis elsewhere) and
 * builders for variables, observation rows, indicators, catalogs and indicator values, so each
 * test states only what differs from a plain cell.
 */
import type { Region, RegionLevel, Variable } from '../../domain/index.ts';
import { RegionRegistry } from '../../regions/registry.ts';
import type { IndicatorValue, ObservationRow } from '../../store/index.ts';
import { parseIndicators, type Catalog } from '../catalog.ts';
import { DEFAULT_DISCLOSURE } from '../disclosure/index.ts';
import type { CheckData } from './index.ts';

const reg = (code: string, level: RegionLevel, parentCode: string | null): Region => ({
  code,
  level,
  name: `Name ${code}`,
  parentCode,
  validFrom: null,
  validTo: null,
  additive: true,
  sameAs: null,
});

/** NRW with two Kreise (Düren with two Gemeinden, Rhein-Erft with one) and one Kreis elsewhere. */
export const REGIONS = new RegionRegistry({
  regions: [
    reg('DG', 'bund', null),
    reg('05', 'land', 'DG'),
    reg('053', 'rb', '05'),
    reg('05358', 'kreis', '053'),
    reg('05358004', 'gemeinde', '05358'),
    reg('05358008', 'gemeinde', '05358'),
    reg('05362', 'kreis', '053'),
    reg('05362004', 'gemeinde', '05362'),
    reg('06', 'land', 'DG'),
    reg('06411', 'kreis', '06'),
  ],
  groups: [],
  members: [],
});

export const variable = (id: string, over: Partial<Variable> = {}): Variable => ({
  id,
  label: id,
  unit: 'Anzahl',
  statistic: '21111',
  periodKind: 'jahr',
  additive: true,
  dashIsZero: false,
  ...over,
});

export const row = (
  variableId: string,
  regionCode: string,
  value: number | null,
  over: Partial<ObservationRow> = {},
): ObservationRow => ({
  variableId,
  regionCode,
  period: '2023',
  dimsKey: '',
  value,
  flag: null,
  roundingBase: 1,
  sourceId: 's1',
  releaseId: 1,
  origin: '1:1',
  tableCode: 'T-1',
  variableLabel: variableId,
  unit: 'Anzahl',
  ...over,
});

export const ind = (id: string, formula: string, over: Record<string, unknown> = {}) => ({
  id,
  area: 'D',
  title_de: `Titel ${id}`,
  title_en: `Title ${id}`,
  short_de: 'kurz',
  definition_de: 'Definition',
  formula,
  unit: '%',
  decimals: 1,
  polarity: 'neutral',
  period_kind: 'jahr',
  sources: ['T-1'],
  visibility: 'public',
  ...over,
});

export function catalogOf(raw: unknown[]): Catalog {
  return {
    version: 'test',
    disclosure: DEFAULT_DISCLOSURE,
    lifePhases: [],
    areas: [],
    handlungsfelder: [],
    questions: [],
    indicators: parseIndicators(raw, 'test.yaml'),
  };
}

export function dataOf(over: Partial<CheckData>): CheckData {
  return {
    releaseId: 1,
    regions: REGIONS,
    catalog: catalogOf([]),
    variables: new Map(),
    rows: [],
    values: new Map(),
    ...over,
  };
}

export const value = (
  regionCode: string,
  period: string,
  v: number | null,
  over: Partial<IndicatorValue> = {},
): IndicatorValue => ({
  indicatorId: 'X',
  regionCode,
  period,
  dimsKey: '',
  value: v,
  numerator: null,
  denominator: null,
  flag: null,
  errorBound: 0,
  method: 'published',
  releaseId: 1,
  ...over,
});
