/**
 * The whole catalog computed from every sample file, checked against values worked out by hand
 * from the source files (catalog/HANDCHECK.md quotes the lines and shows the arithmetic): shares
 * from summed counts, published totals preferred, group sums, breakdown items including the
 * derived complement (männlich = insgesamt − weiblich), gaps, period alignment, plain published
 * rates, and no value where the official total is a sign.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/api/app.ts';
import { queryValues } from '../../src/api/values.ts';
import { compareRegion } from '../../src/indicators/index.ts';
import type { RegionRegistry } from '../../src/regions/index.ts';
import type { IndicatorValue } from '../../src/store/index.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';

let deps: AppDeps;
beforeAll(async () => {
  deps = await buildFullDemoStore();
}, 120_000);
afterAll(async () => {
  await deps.store.close();
});

async function value(
  indicator: string,
  region: string,
  period: string,
  dims = '',
): Promise<IndicatorValue | undefined> {
  const rows = await deps.store.queryIndicatorValues({
    indicatorId: indicator,
    regionCodes: [region],
    periods: [period],
    dimsKey: dims,
  });
  return rows[0];
}

/** [indicator, region, period, dims key, expected value] from catalog/HANDCHECK.md. */
const CASES: [string, string, string, string, number][] = [
  ['D6', '05358', '2023', '', 5.859375],
  ['D6', '05', '2023', '', 6.43801338],
  ['D6', '05358', '2024', '', 7.94573643],
  ['D6', '05', '2024', '', 7.30986221],
  ['D6', 'rheinisches-revier', '2023', '', 5.8452],
  ['D6', 'rheinisches-revier', '2024', '', 6.7924],
  ['D6-geschlecht', '05358', '2023', '', -3.07927062],
  ['D6-geschlecht', '05358', '2024', '', -2.9985],
  ['D7', '05358', '2023', '', 39.4531],
  ['D7a', '05358', '2023', '', 36.3281],
  ['D7b', '05358', '2023', '', 18.3594],
  ['D7d', '05358', '2023', '', 4.6875],
  ['D7', '05', '2023', '', 38.43768699],
  ['D7-geschlecht', '05358', '2023', '', 8.12085145],
  ['D1', '05358', '2024', '', 25.3784],
  ['D1-geschlecht', '05358', '2024', '', 4.09702494],
  ['D1-nationalitaet', '05358', '2024', '', -11.98838326],
  ['D1a', '05358', '2024', '', 15.4699],
  ['D2', '05358', '2024', '', 39.5833],
  ['D5', '05358', '2024', '', 4.9102],
  ['D5-geschlecht', '05358', '2024', '', -2.96762526],
  ['E5a', '05358', '2023', '', 30.28169014],
  ['E5b', '05358', '2023', '', 41.54929577],
  ['E5-geschlecht', '05358', '2023', '', 12.50744491],
  ['E5', '05', '2023', '', 35.64516129],
  ['F1', '05358', '2023', '', 3569],
  ['F1b', '05358', '2023', '', 42.2527],
  ['F1c', '05358', '2023', '', 31.6335],
  ['A1', '05358', '2024', '', 279285],
  ['A1', '05358', '2024', 'geschlecht=weiblich', 140196],
  ['A1a', '05358', '2024', '', 0.295552],
  ['A1a', '05358', '2024', 'geschlecht=maennlich', 0.26600346],
  ['A2', '05358', '2024', '', 32.82147354],
  ['A2', '05', '2024', '', 32.11859122],
  ['A3', '05358', '2023', '', 13.163],
  ['A3', '05358', '2023', 'geschlecht=weiblich', 12.46582989],
  ['A6', '05358', '2025', '', 7.6],
  ['A6-geschlecht', '05358', '2025', '', -0.5],
  ['A6a', '05358', '2025', '', 10.78240904],
  ['A6c', '05358', '2025', '', 43.19145178],
  ['A7', '05358', '2024', '', 9.9],
  ['A7a', '05358', '2024', '', 77.09177765],
  ['A7b', '05358', '2024', '', 9.89383605],
  ['A7d', '05358', '2024', '', 900.56853624],
  ['A8', '05358', '2024', '', 16.80897887],
  ['A8b', '05358', '2024', '', 27.61883803],
  ['A9', '05358', '2021', '', 22857],
  ['A9a', '05358', '2021', '', 43897.76437323],
  ['A10', '05358008', '2023', '', 38.3],
];

describe('indicator values against hand-checked source lines', () => {
  it.each(CASES)('%s %s %s %s = %d', async (indicator, region, period, dims, expected) => {
    const v = await value(indicator, region, period, dims);
    expect(v, `${indicator} ${region} ${period} ${dims}`).toBeDefined();
    expect(v?.value).toBeCloseTo(expected, 4);
  });

  it('keeps counts, method and rounding bound with the share', async () => {
    // 21111-02-06-4: Düren 150 of 2560; NRW values are 5er-rounded (each count ±2).
    expect(await value('D6', '05358', '2023')).toMatchObject({
      numerator: 150,
      denominator: 2560,
      method: 'published',
      flag: null,
    });
    const revier = await value('D6', 'rheinisches-revier', '2023');
    expect(revier).toMatchObject({ numerator: 1435, denominator: 24550, method: 'group' });
    // Seven Kreise × ±2 in numerator and denominator.
    expect(revier?.errorBound).toBeCloseTo(((1435 + 14) / (24550 - 14)) * 100 - 5.8452, 3);
  });

  it('gives no total where the official total is a sign, never the sum of rounded parts', async () => {
    // 21111-01-03-4: Düren's number of schools is `x` in the Insgesamt column.
    const b3 = await value('B3', '05358', '2024');
    expect(b3).toMatchObject({ value: null, flag: 'x' });
  });
});

describe('peer groups and disclosure on the real data', () => {
  it('computes values for Düren’s peer group (Vergleichstyp) as a group sum', async () => {
    const peer = deps.regions
      .groups()
      .find((g) => g.kind === 'peer' && deps.regions.members(g.id).some((m) => m.code === '05358'));
    expect(peer?.id).toMatch(/^vergleichstyp-\d$/);
    const v = await value('A1', peer?.id ?? '', '2024');
    expect(v?.method).toBe('group');
    expect(v?.value).toBeGreaterThan(279285);
  });

  it('suppresses small counts for the public only, through the values query', async () => {
    // 21111-01-03-4, Kl. 7 at Hauptschulen, 2024: Kreis 03455 (Friesland) has 1 of 828 pupils.
    const raw = await value('D2a', '03455', '2024');
    expect(raw).toMatchObject({
      numerator: 1,
      denominator: 828,
      suppressed: { public: 'primary' },
    });
    const indicator = deps.catalog.find((i) => i.id === 'D2a');
    if (!indicator) throw new Error('D2a missing');
    const ask = (audience: 'public' | 'member') =>
      queryValues(deps.store, deps.regions, {
        indicator,
        regions: ['03455'],
        period: '2024',
        audience,
      });
    expect((await ask('public'))[0]).toMatchObject({
      value: null,
      numerator: null,
      flag: '.',
      suppressed: 'primary',
    });
    expect((await ask('member'))[0]).toMatchObject({ numerator: 1, denominator: 828 });
    // Secondary suppression hid other Kreise of the same Land so that 1 cannot be recomputed
    // from the Land total: at least one more cell of Niedersachsen (03…) is blanked.
    const land = await deps.store.queryIndicatorValues({
      indicatorId: 'D2a',
      periods: ['2024'],
      dimsKey: '',
    });
    expect(
      land.filter((v) => v.regionCode.startsWith('03') && v.suppressed?.public === 'secondary')
        .length,
    ).toBeGreaterThan(0);
  });
});

describe('computed against published rates', () => {
  it('Mindestsicherungsquote 2024: recipients / population equals the published rate wherever both are in the data', async () => {
    // A7 is 22811-01i as published (1 decimal); A7b is computed from 22811-05i recipients and the
    // population on 31.12.2024 (12411-09i, 12411-01-01-4). Within the published rounding (±0.05)
    // they must agree. ../shared/data has the 2024 population for Land, RBs and Kreise only (and
    // so for the kreisfreie Städte, whose Gemeinde keys 05111000 … are the same territory); the
    // kreisangehörige Gemeinden get A7b once a Gemeinde population table is imported.
    const published = await deps.store.queryIndicatorValues({
      indicatorId: 'A7',
      periods: ['2024'],
    });
    const computed = new Map(
      (await deps.store.queryIndicatorValues({ indicatorId: 'A7b', periods: ['2024'] })).map(
        (v) => [v.regionCode, v],
      ),
    );
    const nrw = published.filter((p) => p.regionCode.startsWith('05') && p.value !== null);
    const compared = nrw.filter((p) => typeof computed.get(p.regionCode)?.value === 'number');
    const off = compared.filter(
      (p) => Math.abs((computed.get(p.regionCode)?.value ?? 0) - (p.value ?? 0)) > 0.05 + 1e-9,
    );
    expect(
      off.map((p) => `${p.regionCode} ${p.value} vs ${computed.get(p.regionCode)?.value}`),
    ).toEqual([]);
    const level = (p: { regionCode: string }) => deps.regions.get(p.regionCode)?.level;
    // Land, 5 RBs, all 53 Kreise and the 22 kreisfreie Städte as Gemeinden are compared.
    expect(compared.filter((p) => level(p) === 'land')).toHaveLength(1);
    expect(compared.filter((p) => level(p) === 'rb')).toHaveLength(5);
    expect(compared.filter((p) => level(p) === 'kreis')).toHaveLength(53);
    const cities = compared.filter((p) => level(p) === 'gemeinde');
    const kreisfrei = nrw.filter((p) => level(p) === 'gemeinde' && p.regionCode.endsWith('000'));
    expect(cities.map((c) => c.regionCode)).toEqual(
      expect.arrayContaining(kreisfrei.map((c) => c.regionCode)),
    );
    expect(cities.length).toBeGreaterThanOrEqual(22);
    // The README's examples: Düren, Kreis 27 632 / 279 285 = 9,89 → 9,9; NRW 11,07 → 11,1.
    expect(computed.get('05358')?.value).toBeCloseTo(9.89383605, 6);
    expect(computed.get('05')?.value).toBeCloseTo(11.07410294, 6);
  });
});

describe('golden: the Revier table, derived by hand (catalog/HANDCHECK-REVIER.md)', () => {
  // The machine-readable block at the end of HANDCHECK-REVIER.md was computed from the source
  // files by an independent parser (quoted lines, arithmetic shown per indicator): the 7 Kreise,
  // the group (Σ numerators / Σ denominators) and NRW's own Land row.
  const text = readFileSync(new URL('../../catalog/HANDCHECK-REVIER.md', import.meta.url), 'utf8');
  const block =
    /```\nINDICATOR;REGION;PERIOD;NUMERATOR;DENOMINATOR;VALUE\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
  const rows = block
    .trim()
    .split('\n')
    .map((l) => l.split(';') as [string, string, string, string, string, string]);

  it('has the whole table: 7 Kreise, the Revier and NRW for every indicator', () => {
    const indicators = new Set(rows.map((r) => r[0]));
    expect(indicators.size).toBeGreaterThanOrEqual(12);
    for (const id of indicators) {
      const regions = rows.filter((r) => r[0] === id).map((r) => r[1]);
      expect(regions, id).toEqual(
        expect.arrayContaining([
          '05116',
          '05162',
          '05334',
          '05358',
          '05362',
          '05366',
          '05370',
          'rheinisches-revier',
        ]),
      );
    }
  });

  it.each(rows)('%s %s %s: %s / %s = %s', async (id, region, period, num, den, expected) => {
    const v = await value(id, region, period);
    if (expected === '') {
      // No value by hand: bimo has none either (or only a sign).
      expect(v?.value ?? null).toBeNull();
      return;
    }
    expect(v?.value).toBeCloseTo(Number(expected), 5);
    if (/^\d+$/.test(num)) expect(v?.numerator).toBe(Number(num));
    if (/^\d+$/.test(den)) expect(v?.denominator).toBe(Number(den));
  });
});

describe('a region in context: references, rank, change', () => {
  it('Düren D6: like the Revier within rounding, clearly below NRW, rank among NRW Kreise, change', async () => {
    const indicator = deps.catalog.find((i) => i.id === 'D6');
    if (!indicator) throw new Error('D6 missing');
    const c = await compareRegion({
      store: deps.store,
      regions: deps.regions as RegionRegistry,
      indicator,
      code: '05358',
      period: '2024',
    });
    expect(c.region.value).toBeCloseTo(7.94573643, 6);
    const ref = (code: string) => c.references.find((r) => r.code === code);
    // 2024: Düren 205/2580 = 7.9457; Revier 1675/24660 = 6.7924; NRW Σ Kreise 13475/184340 = 7.3099.
    expect(ref('rheinisches-revier')).toMatchObject({ kind: 'group', beyondRounding: true });
    expect(ref('rheinisches-revier')?.difference).toBeCloseTo(7.94573643 - 6.7924, 3);
    expect(ref('05')).toMatchObject({ kind: 'land' });
    expect(ref('05')?.difference).toBeCloseTo(7.94573643 - 7.30986221, 6);
    expect(ref('053')?.kind).toBe('rb');
    expect(c.references.some((r) => r.kind === 'peer')).toBe(true);
    // Rank among the 53 NRW Kreise, lower is better.
    const all = await deps.store.queryIndicatorValues({
      indicatorId: 'D6',
      periods: ['2024'],
      dimsKey: '',
    });
    const nrw = all.filter(
      (v) => /^05\d{3}$/.test(v.regionCode) && v.value !== null && !v.suppressed?.public,
    );
    expect(c.rank).toEqual({
      position: nrw.filter((v) => (v.value ?? 0) < 7.94573643).length + 1,
      of: 53,
      level: 'kreis',
      within: '05',
    });
    // Change since Schuljahr 2022/23: 5.8594 → 7.9457, far beyond the ±0.2 rounding bounds.
    expect(c.change?.from).toBe('2023');
    expect(c.change?.difference).toBeCloseTo(7.94573643 - 5.859375, 6);
    expect(c.change?.beyondRounding).toBe(true);
  });

  it('says when a difference lies within rounding (Düren vs Revier 2023: 5.86 vs 5.85)', async () => {
    const indicator = deps.catalog.find((i) => i.id === 'D6');
    if (!indicator) throw new Error('D6 missing');
    const c = await compareRegion({
      store: deps.store,
      regions: deps.regions as RegionRegistry,
      indicator,
      code: '05358',
      period: '2023',
    });
    expect(c.references.find((r) => r.code === 'rheinisches-revier')?.beyondRounding).toBe(false);
    expect(c.references.find((r) => r.code === '05')?.beyondRounding).toBe(true);
    expect(c.change).toBeNull();
  });
});
