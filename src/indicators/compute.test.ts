/**
 * The engine on small, hand-made inputs over the real region registry: a share and its
 * aggregation, the derived complement of a breakdown, period alignment with @-1, a series on
 * today's Gebietsstand (05334 before 2009 from 05313 + 05354), and non-additive variables that
 * are never summed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Variable } from '../domain/index.ts';
import { buildRegionData, loadCrosswalks, RegionRegistry } from '../regions/index.ts';
import { sampleDataDir } from '../regions/sample-data.ts';
import type { ObservationRow } from '../store/index.ts';
import { parseIndicators, type FormulaIndicator } from './catalog.ts';
import { computeIndicator } from './compute.ts';

let regions: RegionRegistry;
beforeAll(async () => {
  regions = new RegionRegistry(await buildRegionData(sampleDataDir()));
});

function indicator(formula: string, extra: Record<string, unknown> = {}): FormulaIndicator {
  const [ind] = parseIndicators(
    [
      {
        id: 'A99',
        area: 'A',
        title_de: 'Test',
        title_en: 'Test',
        short_de: 'Test',
        definition_de: 'Ein Testindikator für die Rechenregeln.',
        formula,
        unit: '%',
        decimals: 1,
        polarity: 'neutral',
        period_kind: 'jahr',
        sources: ['test'],
        visibility: 'public',
        ...extra,
      },
    ],
    'test.yaml',
  );
  return ind as FormulaIndicator;
}

const variable = (id: string, additive = true): Variable => ({
  id,
  label: id,
  unit: 'Anzahl',
  statistic: 'test',
  periodKind: 'jahr',
  additive,
  dashIsZero: false,
});

function row(
  variableId: string,
  regionCode: string,
  period: string,
  value: number | null,
  dimsKey = '',
  roundingBase = 1,
): ObservationRow {
  return {
    variableId,
    regionCode,
    period,
    dimsKey,
    value,
    flag: value === null ? '.' : null,
    roundingBase,
    sourceId: 's',
    releaseId: 1,
    origin: '1:1',
    tableCode: 't',
    variableLabel: variableId,
    unit: 'Anzahl',
  };
}

const compute = (ind: FormulaIndicator, rows: ObservationRow[], vars: Variable[]) =>
  computeIndicator({
    indicator: ind,
    rows,
    variables: new Map(vars.map((v) => [v.id, v])),
    regions,
    releaseId: 1,
    crosswalks: loadCrosswalks(),
  });

describe('computeIndicator', () => {
  it('harmonises the Städteregion Aachen before 2009 from 05313 + 05354, counts only', () => {
    const rows = [row('kinder', '05313', '2005', 4210), row('kinder', '05354', '2005', 5620)];
    const values = compute(indicator('kinder'), rows, [variable('kinder')]);
    expect(values.find((v) => v.regionCode === '05334')).toMatchObject({
      period: '2005',
      value: 9830,
      method: 'harmonised',
    });
    // The dissolved Kreise keep their own values; nothing is counted twice in the RB.
    expect(values.find((v) => v.regionCode === '05313')?.value).toBe(4210);
    const rate = compute(
      indicator('quote'),
      [row('quote', '05313', '2005', 7.5)],
      [variable('quote', false)],
    );
    expect(rate.find((v) => v.regionCode === '05334')).toBeUndefined();
  });

  it('reads the population of the year before with @-1', () => {
    const ind = indicator('100 * kinder / bevoelkerung@-1', {
      period_alignment_de: 'Kinder am 1.3. gegen Bevölkerung am 31.12. des Vorjahres.',
    });
    const rows = [
      row('kinder', '05358', '2024-03-01', 300),
      row('bevoelkerung', '05358', '2023-12-31', 6000),
      row('bevoelkerung', '05358', '2024-12-31', 1),
    ];
    const v = compute(ind, rows, [variable('kinder'), variable('bevoelkerung')]).find(
      (x) => x.regionCode === '05358',
    );
    expect(v).toMatchObject({ period: '2024', value: 5, numerator: 300, denominator: 6000 });
  });

  it('derives männlich = insgesamt − weiblich for a breakdown and carries both errors', () => {
    const ind = indicator('100 * a[abschluss=ohne] / a', { breakdowns: ['geschlecht'] });
    const k = (abschluss: string, geschlecht: string) =>
      `abschluss=${abschluss};geschlecht=${geschlecht}`;
    const rows = [
      row('a', '05358', '2023', 150, k('ohne', 'insgesamt'), 5),
      row('a', '05358', '2023', 55, k('ohne', 'weiblich'), 5),
      row('a', '05358', '2023', 2560, k('insgesamt', 'insgesamt'), 5),
      row('a', '05358', '2023', 1275, k('insgesamt', 'weiblich'), 5),
    ];
    const values = compute(ind, rows, [variable('a')]).filter((v) => v.regionCode === '05358');
    const m = values.find((v) => v.dimsKey === 'geschlecht=maennlich');
    expect(m).toMatchObject({ numerator: 95, denominator: 1285 });
    expect(m?.value).toBeCloseTo((100 * 95) / 1285, 10);
    // 95 = 150 − 55 with ±2 each: ±4; 1285 likewise.
    expect(m?.errorBound).toBeCloseTo((100 * 99) / 1281 - (100 * 95) / 1285, 10);
  });

  it('never sums a non-additive variable over regions or groups', () => {
    const rows = [row('quote', '05358', '2023', 7.6), row('quote', '05366', '2023', 5.1)];
    const values = compute(indicator('quote'), rows, [variable('quote', false)]);
    expect(values.map((v) => v.regionCode).sort()).toEqual(['05358', '05366']);
  });
});
