/**
 * Every official format in ../shared/data imports, with or without a recipe, and Düren's values
 * come back exactly as in the file (checked by hand against each file), flags where the file has
 * special signs. Files that bimo deliberately does not read are refused with a precise reason.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBytes, importFile, loadRecipes, type ImportReport } from '../../src/ingest/index.ts';
import { buildRegionData, RegionRegistry } from '../../src/regions/index.ts';
import { openStore, type ObservationRow, type Store } from '../../src/store/index.ts';
import { SAMPLE_DIR } from '../helpers/sample.ts';

const G = (p: string): string => join(SAMPLE_DIR, 'genesis-samples', p);
let store: Store;
let regions: RegionRegistry;
const recipes = loadRecipes();

beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-formats-')) });
  await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
  regions = new RegionRegistry(await store.loadRegions());
});
afterAll(async () => {
  await store.close();
});

async function imp(path: string): Promise<ImportReport> {
  const [report] = await importFile(path, { store, regions, recipes });
  if (!report) throw new Error('no report');
  const errors = report.issues.filter((i) => i.severity === 'error');
  expect(errors, JSON.stringify(errors.slice(0, 3))).toEqual([]);
  expect(report.status).toBe('imported');
  return report;
}

async function cell(
  region: string,
  table: string,
  dims: Record<string, string>,
  variable?: string,
): Promise<ObservationRow> {
  const rows = await store.queryObservations({ regionCodes: [region], tableCode: table });
  const hits = rows.filter(
    (r) =>
      (variable === undefined || r.variableId === variable) &&
      Object.entries(dims).every(([k, v]) => r.dimsKey.split(';').includes(`${k}=${v}`)),
  );
  expect(hits, `${region} ${table} ${JSON.stringify(dims)}: ${hits.length} hits`).toHaveLength(1);
  return hits[0] as ObservationRow;
}

describe('GENESIS flat file CSV (ffcsv v5)', () => {
  it('imports 12411-01-01-4 generically: Düren 279 285 = 139 089 m + 140 196 w', async () => {
    const r = await imp(G('ffcsv/12411-01-01-4_1773175772751_de_flat.csv'));
    expect(r.format).toBe('ffcsv-v5');
    expect(r.tableCode).toBe('12411-01-01-4');
    expect(r.mapping).toContain('generic');
    expect((await cell('05358', '12411-01-01-4', { ges: 'insgesamt' })).value).toBe(279285);
    expect((await cell('05358', '12411-01-01-4', { ges: 'gesm' })).value).toBe(139089);
    expect((await cell('05358', '12411-01-01-4', { ges: 'gesw' })).value).toBe(140196);
    // Aachen (05334002) is stored under its own key, never added into 05334.
    expect((await cell('05334', '12411-01-01-4', { ges: 'insgesamt' })).value).toBe(582410);
  });

  it('keeps the quality column: `()` becomes a flag, `/` a null value (12211-Z-11)', async () => {
    const r = await imp(G('ffcsv/12211-Z-11_1773175349407_de_flat.csv'));
    expect(r.flags['()']).toBeGreaterThan(0);
    expect(r.flags['/']).toBeGreaterThan(0);
  });

  it('reads winter-semester periods `2023-10P6M` (21311-01-01-4-B, Studierende)', async () => {
    await imp(G('ffcsv/21311-01-01-4-B_1773175045085_de_flat_NRW-only.csv'));
    const rows = await store.queryObservations({
      regionCodes: ['05358'],
      tableCode: '21311-01-01-4-B',
    });
    expect(rows.length).toBeGreaterThan(50);
    expect(new Set(rows.map((r) => r.period))).toEqual(new Set(['2023-10P6M']));
  });

  it('unpacks the ZIP in which the API delivers a flat file', async () => {
    const name = '73111-01-01-4_1773175092845_de_flat.csv';
    const zip = zipSync({ [name]: new Uint8Array(readFileSync(G(`ffcsv/${name}`))) });
    const dir = mkdtempSync(join(tmpdir(), 'bimo-zip-'));
    const path = join(dir, 'download.zip');
    await import('node:fs/promises').then((fs) => fs.writeFile(path, zip));
    const [r] = await importFile(path, { store, regions, recipes });
    expect(r?.status).toBe('imported');
    expect(r?.tableCode).toBe('73111-01-01-4');
    expect(r?.file).toContain('download.zip!73111');
  });
});

describe('IT.NRW Landesdatenbank CSV', () => {
  it('reads the year from the header when there is no time column (22811-01i 2024)', async () => {
    await imp(G('landesdatenbank-nrw/2024/22811-01i.csv'));
    const k = await cell('05358', '22811-01i', {});
    expect(k).toMatchObject({ value: 9.9, period: '2024' });
    expect((await cell('05358008', '22811-01i', {})).value).toBe(15.6);
  });

  it('maps Jugendamt keys JH05334002 onto the city (22517-02i 2023)', async () => {
    await imp(G('landesdatenbank-nrw/2023/22517-02i.csv'));
    const rows = await store.queryObservations({
      regionCodes: ['05334002'],
      tableCode: '22517-02i',
    });
    expect(rows.map((r) => r.value)).toContain(5221);
  });

  it('matches regions by name where the table has no key column (13111-54i)', async () => {
    await imp(G('landesdatenbank-nrw/2024/13111-54i.csv'));
    const rows = await store.queryObservations({ regionCodes: ['05358'], tableCode: '13111-54i' });
    const agri = rows.filter((r) => r.dimsKey.includes('z3=a;') || r.dimsKey.endsWith('z3=a'));
    expect(agri.map((r) => r.value)).toContain(546);
  });

  it('keeps repeated columns apart (22811-05i: Düren 27 632 recipients in total)', async () => {
    await imp(G('landesdatenbank-nrw/2024/22811-05i.csv'));
    const rows = await store.queryObservations({ regionCodes: ['05358'], tableCode: '22811-05i' });
    expect(rows.map((r) => r.value)).toContain(27632);
    expect(rows).toHaveLength(8);
  });
});

describe('Regionaldatenbank classic CSV without a recipe', () => {
  it('imports 13211-02-05-4 generically with counts and rates', async () => {
    await imp(G('regionalstatistik-classic/13211-02-05-4.csv'));
    const rows = await store.queryObservations({
      regionCodes: ['05358'],
      tableCode: '13211-02-05-4',
    });
    expect(rows).toHaveLength(13);
    expect(rows.map((r) => r.value)).toEqual(expect.arrayContaining([11324, 3967, 8.2, 19.4]));
  });
});

describe('bimo template for own data (tidy CSV)', () => {
  it('imports the documented example with provenance, breakdowns and signs', async () => {
    const r = await imp(
      new URL('../../docs/templates/eigene-daten-beispiel.csv', import.meta.url).pathname,
    );
    expect(r.format).toBe('tidy-csv');
    expect(r.tableCode).toBe('seu-beispiel');
    const rows = await store.queryObservations({
      regionCodes: ['05358008'],
      tableCode: 'seu-beispiel',
    });
    expect(
      rows.find(
        (o) => o.variableId.endsWith('seu_untersucht') && o.dimsKey === 'geschlecht=weiblich',
      )?.value,
    ).toBe(395);
    expect(
      rows.find(
        (o) =>
          o.variableId.endsWith('seu_sprachfoerderbedarf') && o.dimsKey === 'geschlecht=weiblich',
      ),
    ).toMatchObject({ value: null, flag: '.' });
    const src = (await store.listSources()).find((s) => s.tableCode === 'seu-beispiel');
    expect(src).toMatchObject({ database: 'Gesundheitsamt (Beispiel)', stand: '2025-03-01' });
  });

  it('names line and column of a bad value', async () => {
    const text = 'Regionalschlüssel;Zeit;Merkmal;Wert\n05358;2024;x;12\n05358;2024;y;1.234\n';
    const r = await importBytes(new TextEncoder().encode(text), 'eigen.csv', {
      store,
      regions,
      recipes,
    });
    expect(r.status).toBe('rejected');
    expect(r.issues[0]).toMatchObject({ line: 3, column: 14, code: 'BIMO_E_PARSE' });
    expect(r.issues[0]?.fix).toContain('decimal comma');
  });
});

describe('GENESIS cube file', () => {
  it('reads axes, time, value variables and the quality sign (47414BJ002)', async () => {
    const r = await imp(G('cube/cubefile-47414BJ002.csv'));
    expect(r.format).toBe('cube');
    const rows = await store.queryObservations({ regionCodes: ['DG'], tableCode: '47414BJ002' });
    const hit = rows.find((o) => o.dimsKey === 'werte4=nominal;wz08n7=wz08_49_01');
    expect(hit).toMatchObject({ value: 136.6, flag: 'p', period: '2024' });
  });
});

describe('refusals', () => {
  it.each([
    ['statistics/inkar/B_SchulabgaengerohneAbschluss.xls', 'xls'],
    ['statistics/regionalstatistik-extracts/childcare_coverage_u3_2025.json', 'json'],
  ])('refuses %s with a precise reason', async (file, format) => {
    const [r] = await importFile(join(SAMPLE_DIR, file), { store, regions, recipes });
    expect(r?.status).toBe('rejected');
    expect(r?.format).toContain(format);
    expect(r?.issues[0]?.fix).toMatch(/CSV/);
  });

  it('refuses an unknown format with the reason and the fix', async () => {
    const r = await importBytes(new TextEncoder().encode('a,b\n1,2\n'), 'x.csv', {
      store,
      regions,
      recipes,
    });
    expect(r.status).toBe('rejected');
    expect(r.issues[0]).toMatchObject({ code: 'BIMO_E_FORMAT_UNKNOWN', line: 1, column: 1 });
  });

  it('refuses a truncated flat file and writes nothing', async () => {
    const before = (await store.listReleases()).length;
    const text = readFileSync(G('ffcsv/11111-02-01-4_1773174974558_de_flat.csv'), 'utf8');
    const cut = text.slice(0, Math.floor(text.length / 2));
    const r = await importBytes(new TextEncoder().encode(cut), '11111-02-01-4_1_de_flat.csv', {
      store,
      regions,
      recipes,
    });
    expect(r.status).toBe('rejected');
    const err = r.issues.find((i) => i.severity === 'error');
    expect(err?.line).toBeGreaterThan(1);
    expect((await store.listReleases()).length).toBe(before);
  });
});
