/**
 * Every official format in ../shared/data imports, with or without a recipe, and Düren's values
 * come back exactly as in the file (checked by hand against each file), flags where the file has
 * special signs. Files that bimo deliberately does not read are refused with a precise reason.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { pack, relsXml, sheetXml, workbookXml } from '../../src/ingest/formats/xlsx/testkit.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatReport,
  importBytes,
  importFile,
  loadRecipes,
  type ImportReport,
} from '../../src/ingest/index.ts';
import { buildRegionData, RegionRegistry } from '../../src/regions/index.ts';
import { openStore, type ObservationRow, type Store } from '../../src/store/index.ts';
import { SAMPLE_DIR } from '../helpers/sample.ts';

const G = (p: string): string => join(SAMPLE_DIR, 'genesis-samples', p);
let store: Store;
let regions: RegionRegistry;
const recipes = loadRecipes();
/** No recipes: tests of the generic path (tables that have a recipe import generically without it). */
const GENERIC: typeof recipes = new Map();

beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-formats-')) });
  await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
  regions = new RegionRegistry(await store.loadRegions());
});
afterAll(async () => {
  await store.close();
});

async function imp(path: string, use = recipes): Promise<ImportReport> {
  const [report] = await importFile(path, { store, regions, recipes: use });
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
    const r = await imp(G('ffcsv/12411-01-01-4_1773175772751_de_flat.csv'), GENERIC);
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
    await imp(G('landesdatenbank-nrw/2024/13111-54i.csv'), GENERIC);
    const rows = await store.queryObservations({ regionCodes: ['05358'], tableCode: '13111-54i' });
    const agri = rows.filter((r) => r.dimsKey.includes('z3=a;') || r.dimsKey.endsWith('z3=a'));
    expect(agri.map((r) => r.value)).toContain(546);
  });

  it('keeps repeated columns apart (22811-05i: Düren 27 632 recipients in total)', async () => {
    await imp(G('landesdatenbank-nrw/2024/22811-05i.csv'), GENERIC);
    const rows = await store.queryObservations({ regionCodes: ['05358'], tableCode: '22811-05i' });
    expect(rows.map((r) => r.value)).toContain(27632);
    expect(rows).toHaveLength(8);
  });
});

describe('Regionaldatenbank classic CSV without a recipe', () => {
  it('imports 13211-02-05-4 generically with counts and rates', async () => {
    await imp(G('regionalstatistik-classic/13211-02-05-4.csv'), GENERIC);
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

/** A one-sheet workbook "Daten" holding the `;`-separated lines, numbers in column H as numbers. */
function sheetOf(lines: string[]): Uint8Array {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = lines
    .map((line, r) => {
      const cells = line.split(';').map((t, c) => {
        const ref = `${String.fromCharCode(65 + c)}${r + 1}`;
        // Numbers as Excel stores them (a number cell), everything else as inline text.
        return /^\d+$/.test(t) && c === 7
          ? `<c r="${ref}"><v>${t}</v></c>`
          : t === ''
            ? ''
            : `<c r="${ref}" t="inlineStr"><is><t>${esc(t)}</t></is></c>`;
      });
      return `<row r="${r + 1}">${cells.join('')}</row>`;
    })
    .join('');
  return pack({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': workbookXml(['Daten']),
    'xl/_rels/workbook.xml.rels': relsXml(['worksheets/sheet1.xml']),
    'xl/worksheets/sheet1.xml': sheetXml(rows),
  });
}

const EXAMPLE_LINES = (): string[] =>
  readFileSync(new URL('../../docs/templates/eigene-daten-beispiel.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');

describe('Excel workbooks', () => {
  // Düren (05358) checked by hand with xlrd 1.2.0 against each file's sheet "Daten" (row 86).
  it.each([
    ['B_SchulabgaengerohneAbschluss.xls', '1995', 5.33542565712044, '2015', 5.406259879860891],
    ['B_SchulabgaengermitHochschulreife.xls', '1995', 22.67555904276187, '2015', 36.83212140373063],
    ['B_BeschaeftigtemitakadAbschluss.xls', '2012', 10.356904157198235, '2015', 11.46719891541764],
    ['B_BeschaeftigteohneAbschluss.xls', '2012', 14.654457960165754, '2015', 15.790464713414174],
    ['E_Haushaltseinkommen.xls', '2000', 1239, '2015', 1665],
  ])('reads the INKAR export %s (legacy .xls, own BIFF8 reader)', async (file, y1, v1, y2, v2) => {
    const r = await imp(join(SAMPLE_DIR, 'statistics/inkar', file));
    expect(r.format).toBe('inkar');
    const rows = await store.queryObservations({
      regionCodes: ['05358'],
      tableCode: r.tableCode ?? '',
    });
    expect(rows.find((o) => o.period === y1)?.value).toBe(v1);
    expect(rows.find((o) => o.period === y2)?.value).toBe(v2);
  });

  it('reads the INKAR Gemeinde file A_Arbeitslosigkeit.xls (Düren, Stadt 05358008: 93.2 in 2015)', async () => {
    const r = await imp(join(SAMPLE_DIR, 'statistics/inkar/A_Arbeitslosigkeit.xls'));
    const rows = await store.queryObservations({
      regionCodes: ['05358008'],
      tableCode: r.tableCode ?? '',
    });
    expect(rows.find((o) => o.period === '2015')?.value).toBe(93.22578463203465);
    expect(rows.find((o) => o.period === '1998')?.value).toBe(75.5234585447274);
  });

  it('reads the bimo template saved as .xlsx like the CSV (row numbers as lines)', async () => {
    const bytes = sheetOf(EXAMPLE_LINES());
    const r = await importBytes(bytes, 'seu-beispiel.xlsx', { store, regions, recipes });
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r.format).toBe('xlsx: tidy-csv');
    expect(['imported', 'unchanged']).toContain(r.status);
    const obs = await store.queryObservations({
      regionCodes: ['05358008'],
      tableCode: 'seu-beispiel',
    });
    expect(obs.find((o) => o.dimsKey.includes('weiblich') && o.value === 395)).toBeDefined();
  });

  it('names the Excel cell of a bad value in a workbook', async () => {
    const lines = EXAMPLE_LINES().map((l) =>
      l.replace(';Anzahl;insgesamt;118;', ';Anzahl;insgesamt;11x8;'),
    );
    const r = await importBytes(sheetOf(lines), 'seu-kaputt.xlsx', { store, regions, recipes });
    expect(r.status).toBe('rejected');
    expect(r.issues.filter((i) => i.severity === 'error')).toMatchObject([
      {
        line: 12,
        column: 8,
        cell: 'Sheet "Daten", H12',
        message: '"11x8" is not a number in German format',
      },
    ]);
    expect(formatReport(r)).toContain('seu-kaputt.xlsx (Sheet "Daten", H12) BIMO_E_PARSE');
  });
});

describe('refusals', () => {
  it.each([['statistics/regionalstatistik-extracts/childcare_coverage_u3_2025.json', 'json']])(
    'refuses %s with a precise reason',
    async (file, format) => {
      const [r] = await importFile(join(SAMPLE_DIR, file), { store, regions, recipes });
      expect(r?.status).toBe('rejected');
      expect(r?.format).toContain(format);
      expect(r?.issues[0]?.fix).toMatch(/CSV/);
    },
  );

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
