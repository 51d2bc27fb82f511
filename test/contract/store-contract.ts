/**
 * The Store contract: one suite, run against every backend (DuckDB file, PostgreSQL server).
 * It imports the real 2023 school-leaver and population tables, computes the indicators and
 * checks values by hand against the source file.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAll, loadCatalog } from '../../src/indicators/index.ts';
import { importBytes, importFile, loadRecipes } from '../../src/ingest/index.ts';
import { buildGeometries, buildRegionData, RegionRegistry } from '../../src/regions/index.ts';
import type { IndicatorValue, Store } from '../../src/store/index.ts';
import { LEAVERS_2023, POPULATION_2023, SAMPLE_DIR } from '../helpers/sample.ts';

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let regions: RegionRegistry;
    const recipes = loadRecipes();

    beforeAll(async () => {
      store = await open();
      const data = await buildRegionData(SAMPLE_DIR);
      await store.replaceRegions(data);
      await store.replaceGeometries(await buildGeometries(SAMPLE_DIR));
      regions = new RegionRegistry(await store.loadRegions());
    });
    afterAll(async () => {
      await store.close();
    });

    it('migrates idempotently and round-trips the region registry', async () => {
      await store.migrate();
      const set = await store.loadRegions();
      expect(set.regions.filter((r) => r.level === 'kreis' && r.validTo === null)).toHaveLength(
        400,
      );
      expect(
        set.regions.filter((r) => r.level === 'gemeinde' && r.code.startsWith('05')),
      ).toHaveLength(396);
      const aachen = set.regions.find((r) => r.code === '05334002');
      expect(aachen?.additive).toBe(false);
      expect(regions.members('rheinisches-revier', 'kreis')).toHaveLength(7);
      expect((await store.getGeometry('kreise'))?.topojson.length).toBeGreaterThan(1000);
    });

    it('stores local areas apart from the registry: a rebuild keeps them', async () => {
      const area = {
        code: '05358008-N1',
        name: 'Nord',
        parentCode: '05358008',
        validFrom: '2020-01-01',
        validTo: null,
        listName: 'liste',
      };
      await store.saveLocalAreas([area, { ...area, code: '05358008-S1', name: 'Süd' }], 'test');
      await store.saveLocalAreas([{ ...area, name: 'Nord-Düren' }], 'test');
      await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
      expect(await store.listLocalAreas()).toEqual([
        { ...area, name: 'Nord-Düren' },
        { ...area, code: '05358008-S1', name: 'Süd' },
      ]);
      const set = await store.loadRegions();
      expect(set.regions.filter((r) => r.level === 'sozialraum').map((r) => r.code)).toEqual([
        '05358008-N1',
        '05358008-S1',
      ]);
    });

    it('rejects a broken file whole: nothing is written', async () => {
      const good = readFileSync(LEAVERS_2023);
      const text = new TextDecoder('windows-1252')
        .decode(good)
        .replace('2023;05358;      Düren, Kreis;2560;', '2023;05358;      Düren, Kreis;25x0;');
      const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
      const report = await importBytes(bytes, 'broken.csv', { store, regions, recipes });
      expect(report.status).toBe('rejected');
      const issue = report.issues.find((i) => i.severity === 'error');
      expect(issue?.line).toBe(108);
      expect(issue?.column).toBe(31);
      expect(issue?.message).toContain('25x0');
      expect(await store.listReleases()).toHaveLength(0);
    });

    it('imports the real tables, keeps signs as flags with null values, and is idempotent', async () => {
      const [first] = await importFile(LEAVERS_2023, { store, regions, recipes });
      expect(first?.status).toBe('imported');
      expect(first?.rows.rejected).toBe(0);
      const [again] = await importFile(LEAVERS_2023, { store, regions, recipes });
      expect(again?.status).toBe('unchanged');
      const [pop] = await importFile(POPULATION_2023, { store, regions, recipes });
      expect(pop?.status).toBe('imported');
      expect(await store.listReleases()).toHaveLength(2);

      const dueren = await store.queryObservations({
        regionCodes: ['05358'],
        variableIds: ['schulabgaenge_ab'],
      });
      const cell = (dims: string) => dueren.find((o) => o.dimsKey === dims);
      expect(cell('abschluss=insgesamt;geschlecht=insgesamt')?.value).toBe(2560);
      expect(cell('abschluss=ohne_esa;geschlecht=insgesamt')?.value).toBe(150);
      expect(cell('abschluss=ohne_esa;geschlecht=insgesamt')?.roundingBase).toBe(5);
      // `2023;05358;…;-;-;1010;555`: dar. schulischer Teil der FHR is `-`.
      const dash = cell('abschluss=fhr;geschlecht=insgesamt');
      expect(dash?.value).toBeNull();
      expect(dash?.flag).toBe('-');
      expect(dash?.origin).toMatch(/^108:/);
    });

    it('computes D6 from summed counts at every level and for groups', async () => {
      const result = await computeAll(store, loadCatalog(), regions);
      expect(result?.counts.D6).toBeGreaterThan(400);
      const d6 = await store.queryIndicatorValues({
        indicatorId: 'D6',
        periods: ['2023'],
        dimsKey: '',
      });
      const at = (code: string): IndicatorValue | undefined =>
        d6.find((v) => v.regionCode === code);
      expect(at('05358')).toMatchObject({
        numerator: 150,
        denominator: 2560,
        method: 'published',
        flag: null,
      });
      expect(at('05358')?.value).toBeCloseTo(5.859375, 6);
      expect(at('rheinisches-revier')).toMatchObject({
        numerator: 1435,
        denominator: 24550,
        method: 'group',
      });
      expect(at('rheinisches-revier')?.value).toBeCloseTo(5.8452, 4);
      // NRW uses the published Land total, not a sum of rounded Kreis values.
      expect(at('05')).toMatchObject({
        numerator: 11835,
        denominator: 183830,
        method: 'published',
      });
      expect(at('05')?.value).toBeCloseTo(6.438, 3);
      // 05334002 (Aachen) is inside 05334 and never a Kreis of its own.
      expect(regions.atLevel('kreis', '05', 2023).map((r) => r.code)).not.toContain('05334002');
      expect(regions.atLevel('kreis', '05', 2023)).toHaveLength(53);
      // The Revier's error bound reflects 7 Kreise rounded to multiples of 5.
      expect(at('rheinisches-revier')?.errorBound).toBeGreaterThan(0.03);
      const girls = await store.queryIndicatorValues({
        indicatorId: 'D6',
        regionCodes: ['05358'],
        dimsKey: 'geschlecht=weiblich',
      });
      expect(girls[0]).toMatchObject({ numerator: 55, denominator: 1275 });
    });

    it('computes the population indicator A3 (NRW-only table)', async () => {
      const a3 = await store.queryIndicatorValues({
        indicatorId: 'A3',
        regionCodes: ['05358', '05'],
        dimsKey: '',
      });
      const dueren = a3.find((v) => v.regionCode === '05358');
      // 10900 + 12563 + 7914 + 5277 = 36654 of 278462
      expect(dueren).toMatchObject({ numerator: 36654, denominator: 278462 });
    });
  });
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'bimo-contract-'));
}
