/**
 * The Germany-scale generator and pipeline (bench/germany) at a small scale: the generated flat
 * files import and compute on DuckDB and PostgreSQL, a Kreis's population is the sum of its
 * Gemeinden's rows in the generated file, a rate is the ratio of the summed parts, and both
 * backends give the same values.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generate, type Manifest } from '../../bench/germany/generate.ts';
import { computeIndicators, importAll } from '../../bench/germany/pipeline.ts';
import { germanyRegionData } from '../../bench/germany/regions.ts';
import { VARIABLE_COUNT } from '../../bench/germany/tables.ts';
import type { RegionData } from '../../src/regions/index.ts';
import { openStore, type IndicatorValue } from '../../src/store/index.ts';
import { freshDatabaseUrl } from '../helpers/pg-database.ts';

const SAMPLE = resolve(import.meta.dirname, '../../../shared/data');
const IDS = ['A1', 'A9a', 'F1b'];
let work: string;
let regionData: RegionData;
let manifest: Manifest;

/** Data rows of a generated file, split into fields. */
function rows(table: string): string[][] {
  const f = manifest.files.find((x) => x.table === table);
  if (!f) throw new Error(`no file for ${table}`);
  return readFileSync(f.path, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(';'));
}

async function run(databaseUrl?: string): Promise<Map<string, IndicatorValue>> {
  const store = await openStore({ dataDir: mkdtempSync(join(work, 'db-')), databaseUrl });
  try {
    const imported = await importAll(store, regionData, manifest);
    expect(imported.rows).toBe(manifest.files.reduce((n, f) => n + f.rows, 0));
    expect(imported.files.every((f) => f.left === 0)).toBe(true);
    await computeIndicators(store, IDS);
    const out = new Map<string, IndicatorValue>();
    for (const id of IDS) {
      for (const v of await store.queryIndicatorValues({ indicatorId: id })) {
        out.set(`${v.indicatorId}|${v.regionCode}|${v.period}|${v.dimsKey}`, v);
      }
    }
    return out;
  } finally {
    await store.close();
  }
}

describe('Germany-scale data (bench/germany) at scale 0,01', () => {
  let duck: Map<string, IndicatorValue>;
  let pg: Map<string, IndicatorValue>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'bimo-germany-test-'));
    regionData = await germanyRegionData(SAMPLE);
    manifest = await generate({
      out: join(work, 'data'),
      scale: 0.01,
      seed: 7,
      years: 3,
      regionData,
    });
    duck = await run();
    pg = await run(await freshDatabaseUrl(inject('databaseUrl'), 'bimo_germany'));
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('extends the registry to every Gemeinde of Germany and writes 60 variables in ffcsv v5', () => {
    const gemeinden = regionData.regions.filter((r) => r.level === 'gemeinde');
    expect(gemeinden.length).toBe(10_996);
    expect(regionData.regions.filter((r) => r.level === 'kreis' && r.validTo === null).length).toBe(
      400,
    );
    expect(VARIABLE_COUNT).toBe(60);
    const text = readFileSync(manifest.files[0]?.path ?? '', 'utf8');
    expect(text.startsWith('\uFEFFstatistics_code;statistics_label;time_code;')).toBe(true);
    expect(manifest.years).toEqual([2022, 2023, 2024]);
  });

  it('sums a Kreis from its Gemeinden as they stand in the generated file', () => {
    const pop = rows('12411-01-01-4').filter((r) => r[4] === '2024-12-31' && r[11] === '');
    const kreis = pop[0]?.[7]?.slice(0, 5) ?? '';
    const expected = pop
      .filter((r) => r[7]?.startsWith(kreis))
      .reduce((s, r) => s + Number(r[13]), 0);
    expect(expected).toBeGreaterThan(0);
    expect(duck.get(`A1|${kreis}|2024|`)?.value).toBe(expected);
    expect(duck.get(`A1|${kreis}|2024|`)?.method).toBe('aggregated');
  });

  it('computes a rate from summed numerators and denominators, never averaged', () => {
    const tax = rows('73111-01-01-4').filter((r) => r[4] === '2024');
    const kreis = tax[0]?.[7]?.slice(0, 5) ?? '';
    const sum = (code: string): number =>
      tax
        .filter((r) => r[7]?.startsWith(kreis) && r[11] === code)
        .reduce((s, r) => s + Number(r[9]), 0);
    const v = duck.get(`A9a|${kreis}|2024|`);
    expect(v?.numerator).toBe(sum('EKF002'));
    expect(v?.denominator).toBe(sum('LSNW01'));
    expect(v?.value).toBeCloseTo((1000 * sum('EKF002')) / sum('LSNW01'), 9);
  });

  it('gives the same values on DuckDB and PostgreSQL', () => {
    expect(duck.size).toBeGreaterThan(100);
    expect(pg.size).toBe(duck.size);
    for (const [k, v] of duck) {
      const w = pg.get(k);
      if (v.value === null) expect(w?.value ?? null, k).toBeNull();
      else expect(w?.value ?? NaN, k).toBeCloseTo(v.value, 9);
      expect(w?.flag ?? null, k).toBe(v.flag);
    }
  });
});
