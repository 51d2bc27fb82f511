/**
 * Every recipe in src/ingest/recipes imports its real sample file(s) from ../shared/data: the report
 * names the recipe, no row is rejected, and values checked by hand against the file (the line is
 * quoted in a comment) come back under the recipe's variables and items. Tables with several
 * editions give the same item codes, and a variable that several recipes feed is defined alike in
 * each of them (label, unit, dimensions), so indicators can combine the tables.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dimsKey, periodLabel, type Dims } from '../../src/domain/index.ts';
import {
  importBytes,
  importFile,
  loadRecipes,
  parseRecipe,
  RECIPE_DIR,
  type ImportReport,
} from '../../src/ingest/index.ts';
import { mappedDimensions } from '../../src/ingest/recipe.ts';
import { buildRegionData, RegionRegistry } from '../../src/regions/index.ts';
import { openStore, type ObservationRow, type Store } from '../../src/store/index.ts';
import { SAMPLE_DIR } from '../helpers/sample.ts';

const S = (p: string): string => join(SAMPLE_DIR, p);
const CLASSIC = (f: string): string => S(`genesis-samples/regionalstatistik-classic/${f}`);
const NRW = (f: string): string => S(`genesis-samples/landesdatenbank-nrw/${f}`);
const FF = (f: string): string => S(`genesis-samples/ffcsv/${f}`);
const FIN = (f: string): string => S(`statistics/destatis-bildungsfinanzen/${f}`);

/** Every recipe with the sample files that test it (a test below fails for a recipe missing here). */
const FILES: Record<string, string[]> = {
  '11111-02-01-4.yaml': [FF('11111-02-01-4_1773174974558_de_flat.csv')],
  '1000A-2022.yaml': [FF('1000A-2022_1773175355216_de_flat.csv')],
  '12211-0001.yaml': [
    FF('12211-0001_1773174920289_de_flat.csv'),
    FF('12211-0001_1773175226037_en_flat.csv'),
  ],
  '12211-Z-11.yaml': [FF('12211-Z-11_1773175349407_de_flat.csv')],
  '12411-01-01-4.yaml': [FF('12411-01-01-4_1773175772751_de_flat.csv')],
  '12411-02-03-4.yaml': [CLASSIC('12411-02-03-4_nrw-auswahl_2023.csv')],
  '12411-09i.yaml': [NRW('2024/12411-09i.csv')],
  '13111-01-03-4.yaml': [FF('13111-01-03-4_1773175029986_de_flat.csv')],
  '13111-54i.yaml': [NRW('2024/13111-54i.csv')],
  '13211-02-05-4.yaml': [CLASSIC('13211-02-05-4.csv')],
  '21111-01-03-4.yaml': [CLASSIC('21111-01-03-4.csv')],
  '21111-02-06-4.yaml': [CLASSIC('21111-02-06-4.csv'), CLASSIC('21111-02-06-4-B.csv')],
  '21121-02-02-4.yaml': [CLASSIC('21121-02-02-4.csv')],
  '21311-01-01-4-B.yaml': [FF('21311-01-01-4-B_1773175045085_de_flat_NRW-only.csv')],
  '21711-01.yaml': [FIN('ausgaben_21711-01.csv')],
  '21711-02-b01.yaml': [FIN('ausgaben_21711-02.csv'), FIN('ausgaben_21711-b01.csv')],
  '21711-03.yaml': [FIN('ausgaben_21711-03.csv')],
  '22161-08i.yaml': [NRW('2024/22161-08i.csv')],
  '22517-02i.yaml': [NRW('2023/22517-02i.csv'), NRW('2024/22517-02i.csv')],
  '22542-01-02-4.yaml': [CLASSIC('22542-01-02-4.csv')],
  '22542-06i.yaml': [NRW('2024/22542-06i.csv')],
  '22811-01i.yaml': [NRW('2023/22811-01i.csv'), NRW('2024/22811-01i.csv')],
  '22811-05i.yaml': [NRW('2024/22811-05i.csv')],
  '73111-01-01-4.yaml': [FF('73111-01-01-4_1773175092845_de_flat.csv')],
  '82411-01-03-4.yaml': [CLASSIC('82411-01-03-4.csv')],
  'AI-N-01-2-5.yaml': [FF('AI-N-01-2-5_1773175147935_de_flat.csv')],
};

const recipes = loadRecipes();
let store: Store;
let regions: RegionRegistry;

beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-recipes-')) });
  await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
  regions = new RegionRegistry(await store.loadRegions());
});
afterAll(async () => {
  await store.close();
});

/** Imports sample file `n` of a recipe and checks the report: this recipe, nothing rejected. */
async function imp(recipe: string, n = 0): Promise<ImportReport> {
  const path = FILES[recipe]?.[n];
  if (!path) throw new Error(`no sample file ${n} for ${recipe}`);
  const [report] = await importFile(path, { store, regions, recipes });
  if (!report) throw new Error('no report');
  const errors = report.issues.filter((i) => i.severity === 'error');
  expect(errors, JSON.stringify(errors.slice(0, 3))).toEqual([]);
  expect(report.status).toBe('imported');
  expect(report.mapping).toBe(`recipe ${recipe}`);
  expect(report.rows.rejected).toBe(0);
  return report;
}

/** The one observation of a variable with exactly these dims (all of them). */
async function obs(
  table: string,
  region: string,
  variable: string,
  period: string,
  dims: Dims,
): Promise<ObservationRow> {
  const rows = await store.queryObservations({ regionCodes: [region], tableCode: table });
  const hits = rows.filter(
    (r) => r.variableId === variable && r.period === period && r.dimsKey === dimsKey(dims),
  );
  expect(hits, `${table} ${region} ${variable} ${period} ${dimsKey(dims)}`).toHaveLength(1);
  return hits[0] as ObservationRow;
}

async function value(
  table: string,
  region: string,
  variable: string,
  period: string,
  dims: Dims,
): Promise<number | null> {
  return (await obs(table, region, variable, period, dims)).value;
}

/** Item codes per dimension of one table and period. */
async function itemsOf(table: string, period: string): Promise<Record<string, string[]>> {
  const rows = await store.queryObservations({ tableCode: table });
  const out: Record<string, Set<string>> = {};
  for (const r of rows.filter((x) => x.period === period)) {
    for (const part of r.dimsKey.split(';').filter(Boolean)) {
      const [d = '', i = ''] = part.split('=');
      (out[d] ??= new Set()).add(i);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([d, s]) => [d, [...s].sort()]));
}

describe('every recipe', () => {
  it('has its sample file(s) imported in this test file', () => {
    const files = readdirSync(RECIPE_DIR).filter((f) => f.endsWith('.yaml'));
    expect(Object.keys(FILES).sort()).toEqual(files.sort());
  });

  it('defines a shared variable alike everywhere: label, unit, statistic, kind, dimensions', () => {
    const seen = new Map<string, { file: string; def: unknown }>();
    for (const r of new Set(recipes.values())) {
      for (const v of r.variables) {
        const def = {
          label: v.label,
          unit: v.unit,
          additive: v.additive,
          dashIsZero: v.dash_is_zero,
          statistic: r.statistic,
          periodKind: r.period_kind,
          dimensions: [...(v.dimensions ?? mappedDimensions(r))].sort(),
        };
        const prev = seen.get(v.id);
        if (prev) expect(def, `${v.id}: ${prev.file} vs ${r.file}`).toEqual(prev.def);
        else seen.set(v.id, { file: r.file, def });
      }
    }
    expect(seen.get('bevoelkerung')?.def).toMatchObject({
      dimensions: ['altersgruppe', 'geschlecht'],
    });
  });

  it('gives a dimension item the same label in every recipe', () => {
    const labels = new Map<string, string>();
    for (const r of new Set(recipes.values())) {
      for (const [dim, items] of Object.entries(r.dimensions)) {
        for (const i of items) {
          const key = `${dim}.${i.code}`;
          expect(labels.get(key) ?? i.label, `${key} in ${r.file}`).toBe(i.label);
          labels.set(key, i.label);
        }
      }
    }
  });
});

describe('Regionaldatenbank classic tables', () => {
  it('12411-02-03-4: Bevölkerung by age group (the original recipe)', async () => {
    await imp('12411-02-03-4.yaml');
    // 31.12.2023;05358;      Düren, Kreis;Insgesamt;278462;138720;139742
    expect(
      await value('12411-02-03-4', '05358', 'bevoelkerung', '2023-12-31', {
        geschlecht: 'insgesamt',
        altersgruppe: 'insgesamt',
      }),
    ).toBe(278462);
    // 31.12.2023;05358;      Düren, Kreis;10 bis unter 15 Jahre;12563;6525;6038
    expect(
      await value('12411-02-03-4', '05358', 'bevoelkerung', '2023-12-31', {
        geschlecht: 'weiblich',
        altersgruppe: 'a10_15',
      }),
    ).toBe(6038);
  });

  it('21111-02-06-4: leavers 2023 and the renamed 2024 -B edition give the same items', async () => {
    await imp('21111-02-06-4.yaml', 0);
    await imp('21111-02-06-4.yaml', 1);
    // 2023;05358;      Düren, Kreis;2560;1275;150;55;470;190;930;475;120;60;-;-;1010;555
    expect(
      await value('21111-02-06-4', '05358', 'schulabgaenge_ab', '2023', {
        abschluss: 'ohne_esa',
        geschlecht: 'insgesamt',
      }),
    ).toBe(150);
    // 2024;05358;Düren, Kreis;2580;1250;205;80;435;150;965;475;100;50;-;-;975;540
    // ("ohne Ersten Schulabschluss" since the KMK renaming)
    expect(
      await value('21111-02-06-4-B', '05358', 'schulabgaenge_ab', '2024', {
        abschluss: 'ohne_esa',
        geschlecht: 'insgesamt',
      }),
    ).toBe(205);
    const y2023 = await itemsOf('21111-02-06-4', '2023');
    expect(await itemsOf('21111-02-06-4-B', '2024')).toEqual(y2023);
    expect(y2023.abschluss).toHaveLength(7);
  });

  it('21111-01-03-4: schools and pupils by Schulart; 2023 (= 2023/24) is stored as 2024', async () => {
    await imp('21111-01-03-4.yaml');
    // 2023;05358;      Düren, Kreis;Grundschulen;42;10430;5135;1665;x;x
    expect(
      await value('21111-01-03-4', '05358', 'schulen_ab', '2024', { schulart: 'grundschulen' }),
    ).toBe(42);
    const pupils = (dims: Partial<Dims>): Dims => ({
      schulart: 'grundschulen',
      geschlecht: 'insgesamt',
      nationalitaet: 'insgesamt',
      klassenstufe: 'insgesamt',
      ...dims,
    });
    const grund = await obs('21111-01-03-4', '05358', 'schueler_ab', '2024', pupils({}));
    expect(grund).toMatchObject({ value: 10430, roundingBase: 5 });
    expect(
      await value(
        '21111-01-03-4',
        '05358',
        'schueler_ab',
        '2024',
        pupils({ geschlecht: 'weiblich' }),
      ),
    ).toBe(5135);
    expect(
      await value(
        '21111-01-03-4',
        '05358',
        'schueler_ab',
        '2024',
        pupils({ nationalitaet: 'auslaendisch' }),
      ),
    ).toBe(1665);
    // 2023;05358;      Düren, Kreis;Insgesamt;x;28410;13965;4395;2400;400
    expect(
      await value(
        '21111-01-03-4',
        '05358',
        'schueler_ab',
        '2024',
        pupils({ schulart: 'insgesamt', klassenstufe: 'k11' }),
      ),
    ).toBe(400);
    const schools = await obs('21111-01-03-4', '05358', 'schulen_ab', '2024', {
      schulart: 'insgesamt',
    });
    expect(schools).toMatchObject({ value: null, flag: 'x', roundingBase: 1 });
    const v = (await store.listVariables()).find((x) => x.id === 'schueler_ab');
    expect(periodLabel({ kind: v?.periodKind ?? 'jahr', key: '2024', year: 2024 })).toBe(
      'Schuljahr 2023/24',
    );
  });

  it('21121-02-02-4: leavers of berufliche Schulen, ragged header (sex in row 3 or 5)', async () => {
    await imp('21121-02-02-4.yaml');
    // 2023;05358;      Düren, Kreis;710;365;215;95;295;145;115;75;85;50;140;55
    const v = (abschluss: string, geschlecht: string) =>
      value('21121-02-02-4', '05358', 'schulabgaenge_bs', '2023', { abschluss, geschlecht });
    expect(await v('insgesamt', 'insgesamt')).toBe(710);
    expect(await v('insgesamt', 'weiblich')).toBe(365);
    expect(await v('esa', 'weiblich')).toBe(95);
    expect(await v('ahr', 'insgesamt')).toBe(85);
    expect(await v('fhr_schulisch', 'weiblich')).toBe(55);
  });

  it('13211-02-05-4: three measures, one header row feeding four dimensions', async () => {
    await imp('13211-02-05-4.yaml');
    // 2025;05358;      Düren, Kreis;11324;3967;655;274;1221;2424;4891;8,2;7,6;7,9;7,4;19,4;8,0
    const total = { nationalitaet: 'insgesamt', altersgruppe: 'insgesamt' };
    expect(
      await value('13211-02-05-4', '05358', 'arbeitslose', '2025', {
        ...total,
        personengruppe: 'insgesamt',
      }),
    ).toBe(11324);
    expect(
      await value('13211-02-05-4', '05358', 'arbeitslose', '2025', {
        ...total,
        altersgruppe: 'a15_25',
        personengruppe: 'insgesamt',
      }),
    ).toBe(1221);
    expect(
      await value('13211-02-05-4', '05358', 'arbeitslose', '2025', {
        ...total,
        personengruppe: 'langzeitarbeitslos',
      }),
    ).toBe(4891);
    expect(await value('13211-02-05-4', '05358', 'arbeitslosenquote_abh', '2025', {})).toBe(8.2);
    expect(
      await value('13211-02-05-4', '05358', 'arbeitslosenquote', '2025', {
        ...total,
        geschlecht: 'weiblich',
      }),
    ).toBe(7.4);
    expect(
      await value('13211-02-05-4', '05358', 'arbeitslosenquote', '2025', {
        ...total,
        nationalitaet: 'auslaendisch',
        geschlecht: 'insgesamt',
      }),
    ).toBe(19.4);
  });

  it('82411-01-03-4: income sum and per inhabitant', async () => {
    await imp('82411-01-03-4.yaml');
    // 2021;05358;      Düren, Kreis;6078838;22857
    expect(await value('82411-01-03-4', '05358', 'verfuegbares_einkommen', '2021', {})).toBe(
      6078838,
    );
    expect(await value('82411-01-03-4', '05358', 'verfuegbares_einkommen_je_ew', '2021', {})).toBe(
      22857,
    );
  });

  it('22542-01-02-4: Jugendhilfe institutions, places and staff', async () => {
    await imp('22542-01-02-4.yaml');
    // 31.12.2020;05358;      Düren, Kreis;75;13;51;201;384;182;129
    const v = (variable: string, einrichtungsart: string) =>
      value('22542-01-02-4', '05358', variable, '2020-12-31', { einrichtungsart });
    expect(await v('jugendhilfe_einrichtungen', 'insgesamt')).toBe(75);
    expect(await v('jugendhilfe_plaetze', 'hze_junge_volljaehrige')).toBe(201);
    expect(await v('jugendhilfe_taetige_personen', 'jugendarbeit')).toBe(129);
  });
});

describe('Landesdatenbank NRW tables', () => {
  it('12411-09i: single years of age are items of altersgruppe', async () => {
    await imp('12411-09i.yaml');
    // 31.12.2024;05358;    Düren, Kreis;279285;2385;2571;…;1176;933;2624
    const v = (altersgruppe: string) =>
      value('12411-09i', '05358', 'bevoelkerung', '2024-12-31', {
        altersgruppe,
        geschlecht: 'insgesamt',
      });
    expect(await v('insgesamt')).toBe(279285);
    expect(await v('a00_01')).toBe(2385);
    expect(await v('a89_90')).toBe(933);
    expect(await v('a90_plus')).toBe(2624);
  });

  it('13111-54i: regions by name, Wirtschaftsabschnitt by code, two qualifications', async () => {
    await imp('13111-54i.yaml');
    const dims = (d: Partial<Dims>): Dims => ({
      wirtschaftsabschnitt: 'insgesamt',
      schulabschluss: 'insgesamt',
      berufsabschluss: 'insgesamt',
      geschlecht: 'insgesamt',
      nationalitaet: 'insgesamt',
      ...d,
    });
    const v = (d: Partial<Dims>) =>
      value('13111-54i', '05358', 'sv_beschaeftigte_ao', '2024-12-31', dims(d));
    // 31.12.2024;    Düren, Kreis;A;Land- und Forstwirtschaft, Fischerei;546;25;86;139;115;181;109;240;29;168
    expect(await v({ wirtschaftsabschnitt: 'a' })).toBe(546);
    expect(await v({ wirtschaftsabschnitt: 'a', schulabschluss: 'ohne' })).toBe(25);
    expect(await v({ wirtschaftsabschnitt: 'a', berufsabschluss: 'akademisch' })).toBe(29);
    // 31.12.2024;    Düren, Kreis;;Insgesamt;90880;2151;16159;25788;34362;12420;15276;52640;14423;8541
    expect(await v({})).toBe(90880);
    expect(await v({ berufsabschluss: 'ohne' })).toBe(15276);
  });

  it('22161-08i: Land values by name; Landschaftsverbände are reported, not stored', async () => {
    const r = await imp('22161-08i.yaml');
    expect(r.issues.filter((i) => i.code === 'BIMO_W_REGION_SKIPPED')).toHaveLength(2);
    const v = (period: string, altersgruppe: string, leistung: string) =>
      value('22161-08i', '05', 'eingliederungshilfe_empfaenger', period, {
        altersgruppe,
        traeger_eingliederungshilfe: 'insgesamt',
        leistungsart_eingliederungshilfe: leistung,
      });
    // 31.12.2022;Nordrhein-Westfalen;Insgesamt;Insgesamt;220315;44160;14355;12845;79120;54495;15335
    expect(await v('2022-12-31', 'insgesamt', 'insgesamt')).toBe(220315);
    expect(await v('2022-12-31', 'a00_07', 'insgesamt')).toBe(44160);
    // 31.12.2024;Nordrhein-Westfalen;Insgesamt;Leistungen zur Teilhabe an Bildung;15595;855;13510;1145;80;-;-
    expect(await v('2024-12-31', 'a07_18', 'teilhabe_bildung')).toBe(13510);
  });

  it('22517-02i: the 2023 and 2024 editions give the same item codes', async () => {
    await imp('22517-02i.yaml', 0);
    await imp('22517-02i.yaml', 1);
    // 2023;05358;    Düren, Kreis;4976;2288;972;280
    expect(
      await value('22517-02i', '05358', 'erzieherische_hilfen', '2023', { hilfeart: 'insgesamt' }),
    ).toBe(4976);
    expect(
      await value('22517-02i', '05358', 'erzieherische_hilfen_begonnen', '2023', {
        hilfeart: 'sgb8_35a',
      }),
    ).toBe(280);
    // 2024;05358;    Düren, Kreis;5053;2336;89;52;1833;1199;-;-;201;104;642;310;100;39;509;82;488;173;70;38;1121;339
    expect(
      await value('22517-02i', '05358', 'erzieherische_hilfen', '2024', { hilfeart: 'sgb8_35a' }),
    ).toBe(1121);
    expect(
      await value('22517-02i', '05358', 'erzieherische_hilfen', '2024', { hilfeart: 'sgb8_34' }),
    ).toBe(488);
    const y2023 = await itemsOf('22517-02i', '2023');
    const y2024 = await itemsOf('22517-02i', '2024');
    expect(y2023).toEqual({ hilfeart: ['insgesamt', 'sgb8_35a'] });
    expect(y2024.hilfeart).toEqual(expect.arrayContaining(y2023.hilfeart ?? []));
    expect(y2024.hilfeart).toHaveLength(11);
  });

  it('22542-06i: groups by Rechtsgrundlage, items shared with 22517-02i', async () => {
    await imp('22542-06i.yaml');
    // 2024;05358;    Düren, Kreis;-;2;4;10;3;-;3;3;-;-;2;-;-
    const v = (hilfeart: string) =>
      obs('22542-06i', '05358', 'jugendhilfe_gruppen', '2024', { hilfeart });
    expect((await v('sgb8_32')).value).toBe(10);
    expect((await v('sgb8_35a')).value).toBe(3);
    expect(await v('sgb8_13')).toMatchObject({ value: null, flag: '-' });
  });

  it('22811-01i: the 2023 and 2024 editions (year in a header row)', async () => {
    await imp('22811-01i.yaml', 0);
    await imp('22811-01i.yaml', 1);
    // 05358;    Düren, Kreis;10,0 (2023) and 05358;    Düren, Kreis;9,9 (2024)
    expect(await value('22811-01i', '05358', 'mindestsicherungsquote', '2023', {})).toBe(10);
    expect(await value('22811-01i', '05358', 'mindestsicherungsquote', '2024', {})).toBe(9.9);
    // 05358008;      Düren, Stadt;15,7 (2023)
    expect(await value('22811-01i', '05358008', 'mindestsicherungsquote', '2023', {})).toBe(15.7);
    expect(await itemsOf('22811-01i', '2023')).toEqual(await itemsOf('22811-01i', '2024'));
  });

  it('22811-05i: two header rows read together; the repeated SGB II column left out', async () => {
    await imp('22811-05i.yaml');
    // 2024;05358;    Düren, Kreis;21302;27632;21302;360;4230;2220;2010;1740
    const v = (leistungsart_mindestsicherung: string) =>
      value('22811-05i', '05358', 'mindestsicherung_empfaenger', '2024', {
        leistungsart_mindestsicherung,
      });
    expect(await v('insgesamt')).toBe(27632);
    expect(await v('sgb2')).toBe(21302);
    expect(await v('sgb12_grundsicherung')).toBe(4230);
    expect(await v('sgb12_grundsicherung_em')).toBe(2010);
    expect(await v('asylblg')).toBe(1740);
    const rows = await store.queryObservations({ regionCodes: ['05358'], tableCode: '22811-05i' });
    expect(rows).toHaveLength(7);
  });
});

describe('GENESIS flat files', () => {
  it('12411-01-01-4: the same variable as 12411-02-03-4, age group total', async () => {
    await imp('12411-01-01-4.yaml');
    // …;05358;Düren, Kreis;GES;Geschlecht;;Insgesamt;279285;Anzahl;BEVSTD;Bevölkerungsstand
    // …;05358;Düren, Kreis;GES;Geschlecht;GESW;weiblich;140196;Anzahl;BEVSTD;Bevölkerungsstand
    const v = (geschlecht: string) =>
      value('12411-01-01-4', '05358', 'bevoelkerung', '2024-12-31', {
        geschlecht,
        altersgruppe: 'insgesamt',
      });
    expect(await v('insgesamt')).toBe(279285);
    expect(await v('weiblich')).toBe(140196);
    expect(await v('maennlich')).toBe(139089);
  });

  it('11111-02-01-4: Gemeinden per Kreis', async () => {
    await imp('11111-02-01-4.yaml');
    // …;2024-12-31;KREISE;Kreise und kreisfreie Städte;05358;Düren, Kreis;15;Anzahl;GEM001;…
    expect(await value('11111-02-01-4', '05358', 'gemeinden', '2024-12-31', {})).toBe(15);
  });

  it('73111-01-01-4: three value variables in one file', async () => {
    await imp('73111-01-01-4.yaml');
    // …;05358;Düren, Kreis;132625;Anzahl;LSNW01;Lohn- und Einkommensteuerpflichtige
    // …;05358;Düren, Kreis;959127;Tsd. EUR;LSNW02;Lohn- und Einkommensteuer
    // …;05358;Düren, Kreis;5821941;Tsd. EUR;EKF002;Gesamtbetrag der Einkünfte
    expect(await value('73111-01-01-4', '05358', 'steuerpflichtige', '2021', {})).toBe(132625);
    expect(await value('73111-01-01-4', '05358', 'lohn_einkommensteuer', '2021', {})).toBe(959127);
    expect(await value('73111-01-01-4', '05358', 'gesamtbetrag_einkuenfte', '2021', {})).toBe(
      5821941,
    );
  });

  it('AI-N-01-2-5: Regionalatlas on Gemeinde level', async () => {
    const r = await imp('AI-N-01-2-5.yaml');
    // Gemeinden outside NRW are skipped: 19 listed, the other 13 137 in one summary warning.
    const skipped = r.issues.filter((i) => i.code === 'BIMO_W_REGION_SKIPPED');
    expect(skipped).toHaveLength(20);
    expect(skipped[19]?.message).toMatch(
      /^13137 further region keys .*; 26274 row\(s\) not stored$/,
    );
    // …;GEMEIN;Gemeinden;05358008;Düren, Stadt;38,3;Prozent;AI0111;Anteil Siedlungs- und …
    // …;GEMEIN;Gemeinden;05358008;Düren, Stadt;0,1;Prozent;AI0112;Veränderung der Siedlungs- …
    expect(
      await value('AI-N-01-2-5', '05358008', 'anteil_siedlungs_verkehrsflaeche', '2023', {}),
    ).toBe(38.3);
    expect(
      await value('AI-N-01-2-5', '05358008', 'veraenderung_siedlungs_verkehrsflaeche', '2023', {}),
    ).toBe(0.1);
  });

  it('13111-01-03-4: Land values; the Kreise are still `-` at this Stichtag', async () => {
    await imp('13111-01-03-4.yaml');
    const dims = (d: Partial<Dims>): Dims => ({
      geschlecht: 'insgesamt',
      nationalitaet: 'insgesamt',
      wirtschaftsabschnitt: 'insgesamt',
      schulabschluss: 'insgesamt',
      berufsabschluss: 'insgesamt',
      ...d,
    });
    // …;DLAND;Bundesländer;05;Nordrhein-Westfalen;NAT;Nationalität;;Insgesamt;GES;Geschlecht;;Insgesamt;7350231;…
    expect(await value('13111-01-03-4', '05', 'sv_beschaeftigte_ao', '2025-06-30', dims({}))).toBe(
      7350231,
    );
    // …;05;Nordrhein-Westfalen;NAT;Nationalität;NATA;ausländisch;GES;Geschlecht;;Insgesamt;1193812;…
    expect(
      await value(
        '13111-01-03-4',
        '05',
        'sv_beschaeftigte_ao',
        '2025-06-30',
        dims({ nationalitaet: 'auslaendisch' }),
      ),
    ).toBe(1193812);
    // …;05358;Düren, Kreis;NAT;Nationalität;;Insgesamt;GES;Geschlecht;;Insgesamt;-;Anzahl;ERW032;…
    expect(
      await obs('13111-01-03-4', '05358', 'sv_beschaeftigte_ao', '2025-06-30', dims({})),
    ).toMatchObject({ value: null, flag: '-' });
  });

  it('21311-01-01-4-B: Studierende, winter semester as period kind semester', async () => {
    await imp('21311-01-01-4-B.yaml');
    // …;2023-10P6M;KREISE;…;05358;Düren, Kreis;GESINS;Geschlecht;INSGESAMT;Insgesamt;NAT01;…;INSGESAMT;Insgesamt;HS-FG2;…;INSGESAMT;Insgesamt;3569;Anzahl;HS-W02;…
    const v = (d: Dims) => value('21311-01-01-4-B', '05358', 'studierende', '2023-10P6M', d);
    expect(
      await v({ geschlecht: 'insgesamt', nationalitaet: 'insgesamt', faechergruppe: 'insgesamt' }),
    ).toBe(3569);
    // …;05358;Düren, Kreis;GESINS;Geschlecht;GESW;weiblich;NAT01;…;NATA;ausländisch;HS-FG2;…;HS-FG08;Ingenieurwissenschaften;241;…
    expect(
      await v({ geschlecht: 'weiblich', nationalitaet: 'auslaendisch', faechergruppe: 'fg08' }),
    ).toBe(241);
    const variable = (await store.listVariables()).find((x) => x.id === 'studierende');
    expect(variable?.periodKind).toBe('semester');
    expect(periodLabel({ kind: 'semester', key: '2023-10P6M', year: 2023 })).toBe('WS 2023/24');
  });

  it('12211-Z-11: Mikrozensus Lebensformen with quality flags', async () => {
    await imp('12211-Z-11.yaml');
    // …;2019;KREISE;…;05358;Düren, Kreis;LBFORM01;Art der Lebensform;LB-INS;Insgesamt;128;1000;LBFMZ01;Lebensformen;e
    // …;05358;Düren, Kreis;LBFORM01;Art der Lebensform;FAMILIEN;Familien mit Kind(ern);37;1000;…
    expect(
      await value('12211-Z-11', '05358', 'lebensformen', '2019', { lebensform: 'insgesamt' }),
    ).toBe(128);
    expect(
      await value('12211-Z-11', '05358', 'lebensformen', '2019', {
        lebensform: 'familien_mit_kindern',
      }),
    ).toBe(37);
  });

  it('12211-0001: German and English downloads give the same cells', async () => {
    await imp('12211-0001.yaml', 0);
    const de = await store.queryObservations({ tableCode: '12211-0001' });
    await imp('12211-0001.yaml', 1);
    const all = await store.queryObservations({ tableCode: '12211-0001' });
    const key = (r: ObservationRow) => `${r.variableId}|${r.dimsKey}|${r.value}`;
    const latest = all.filter((r) => r.releaseId === Math.max(...all.map((x) => x.releaseId)));
    expect(latest.map(key).sort()).toEqual(de.map(key).sort());
    // de: …;DG;Deutschland;GES;Geschlecht;;Insgesamt;ALT068;…;;Insgesamt;82777;1000;BEV036;…
    // en: …;DG;Germany;GES;Sex;;Total;ALT068;…;;Total;82777;1000;BEV036;…
    const total = { geschlecht: 'insgesamt', altersgruppe: 'insgesamt' };
    expect(
      latest.find((r) => r.variableId === 'mz_bevoelkerung' && r.dimsKey === dimsKey(total))?.value,
    ).toBe(82777);
    // de: …;DG;Deutschland;GES;Geschlecht;GESW;weiblich;ALT068;…;ALT015B20;15 bis unter 20 Jahre;47;1000;ERW042;…
    expect(
      latest.find(
        (r) =>
          r.variableId === 'mz_erwerbslose' &&
          r.dimsKey === dimsKey({ geschlecht: 'weiblich', altersgruppe: 'a15_20' }),
      )?.value,
    ).toBe(47);
  });

  it('1000A-2022: Zensus; the repeated Einwanderungsgeschichte items are stored once', async () => {
    const r = await imp('1000A-2022.yaml');
    expect(r.rows).toMatchObject({ total: 1360, accepted: 1020, skipped: 340 });
    const v = (region: string, altersgruppe: string, einwanderungsgeschichte: string) =>
      value('1000A-2022', region, 'bevoelkerung_zensus', '2022-05-15', {
        altersgruppe,
        einwanderungsgeschichte,
      });
    // …;GEODL1;Deutschland;DG;Deutschland;ALTGR2;…;;Insgesamt;WDGAT2;…;;Insgesamt;82719540;Anzahl;PRS001;…
    expect(await v('DG', 'insgesamt', 'insgesamt')).toBe(82719540);
    // …;05;Nordrhein-Westfalen;ALTGR2;…;;Insgesamt;WDGAT2;…;;Insgesamt;17890489;Anzahl;PRS018;…
    expect(await v('05', 'insgesamt', 'insgesamt')).toBe(17890489);
    // …;05;Nordrhein-Westfalen;ALTGR2;…;ALT010B019;10 bis 19 Jahre;WDGAT1;…;EINGEWANDERTE;Eingewanderte;237158;…
    expect(await v('05', 'a10_20', 'eingewanderte')).toBe(237158);
    // …;05;Nordrhein-Westfalen;ALTGR2;…;ALT010B019;10 bis 19 Jahre;WDGAT2;…;WANDERUNG-EINS;…;150364;…
    expect(await v('05', 'a10_20', 'einseitig')).toBe(150364);
  });
});

describe('column-named CSVs (Destatis Bildungsfinanzen 21711)', () => {
  const dims = (d: Partial<Dims>): Dims => ({
    schulart: 'insgesamt',
    ausgabeart: 'insgesamt',
    koerperschaftsgruppe: 'insgesamt',
    ...d,
  });

  it('21711-01: Land names resolve to keys, `p` stays a flag', async () => {
    const r = await imp('21711-01.yaml');
    expect(r).toMatchObject({ format: 'column-csv', tableCode: '21711-01' });
    // Bildungsberichterstattung für nationale Zwecke;Nordrhein-Westfalen;Alle Schularten;Insgesamt;2023;Euro;8900;-
    expect(await obs('21711-01', '05', 'ausgaben_je_schueler', '2023', dims({}))).toMatchObject({
      value: 8900,
      flag: null,
    });
    // …;Nordrhein-Westfalen;Alle Schularten;Insgesamt;2024;Euro;9500;p
    expect(await obs('21711-01', '05', 'ausgaben_je_schueler', '2024', dims({}))).toMatchObject({
      value: 9500,
      flag: 'p',
    });
    // …;Deutschland;Berufliche Schulen;darunter: Berufsschulen im dualen System;2023;Euro;4400;-
    expect(
      await value(
        '21711-01',
        'DG',
        'ausgaben_je_schueler',
        '2023',
        dims({ schulart: 'berufsschulen_dual' }),
      ),
    ).toBe(4400);
  });

  it('21711-02 and -b01 share one layout; trailing blanks in names do not matter', async () => {
    await imp('21711-02-b01.yaml', 0);
    // …;Nordrhein-Westfalen;Grundschulen;2024;Euro;8100;p
    expect(
      await obs(
        '21711-02-b01',
        '05',
        'ausgaben_je_schueler',
        '2024',
        dims({ schulart: 'grundschulen' }),
      ),
    ).toMatchObject({ value: 8100, flag: 'p' });
    // …;Nordrhein-Westfalen;Hauptschulen;2023;Euro;-;-
    expect(
      await obs(
        '21711-02-b01',
        '05',
        'ausgaben_je_schueler',
        '2023',
        dims({ schulart: 'hauptschulen' }),
      ),
    ).toMatchObject({ value: null, flag: '-' });
    await imp('21711-02-b01.yaml', 1);
    // …;Nordrhein-Westfalen;Alle Schularten;2010;Euro;5200;-
    expect(await value('21711-02-b01', '05', 'ausgaben_je_schueler', '2010', dims({}))).toBe(5200);
    // …;Sachsen-Anhalt ;Alle Schularten;2010;Euro;7200;-
    expect(await value('21711-02-b01', '15', 'ausgaben_je_schueler', '2010', dims({}))).toBe(7200);
    // …;Nordrhein-Westfalen                               ;Alle Schularten     ;2023;Euro;8900;-
    expect(await value('21711-02-b01', '05', 'ausgaben_je_schueler', '2023', dims({}))).toBe(8900);
  });

  it('21711-03: Ausgabearten and the Länder share', async () => {
    await imp('21711-03.yaml');
    // …;Nordrhein-Westfalen;Gesamtausgaben;darunter: Länder;2023;Euro;6700;-
    expect(
      await value(
        '21711-03',
        '05',
        'ausgaben_je_schueler',
        '2023',
        dims({ koerperschaftsgruppe: 'laender' }),
      ),
    ).toBe(6700);
    // …;Nordrhein-Westfalen;Personalausgaben;Insgesamt;2023;Euro;7000;-
    expect(
      await value(
        '21711-03',
        '05',
        'ausgaben_je_schueler',
        '2023',
        dims({ ausgabeart: 'personal' }),
      ),
    ).toBe(7000);
  });

  it('refuses a file whose unit changed, naming line and column', async () => {
    const text = readFileSync(FIN('ausgaben_21711-03.csv'), 'utf8').replace(
      'Nordrhein-Westfalen;Personalausgaben;Insgesamt;2023;Euro;7000',
      'Nordrhein-Westfalen;Personalausgaben;Insgesamt;2023;Tsd. Euro;7',
    );
    const r = await importBytes(new TextEncoder().encode(text), 'x.csv', {
      store,
      regions,
      recipes,
    });
    expect(r.status).toBe('rejected');
    expect(r.issues[0]).toMatchObject({ code: 'BIMO_E_PARSE', line: 11 });
    expect(r.issues[0]?.message).toContain('"Tsd. Euro"');
  });

  it('leaves a CSV with an unknown header to the other formats (refused as before)', async () => {
    const text = 'Statistik;Gebiet;Jahr;Wert\nX;Bayern;2023;5\n';
    const r = await importBytes(new TextEncoder().encode(text), 'x.csv', {
      store,
      regions,
      recipes,
    });
    expect(r).toMatchObject({ status: 'rejected', format: 'csv' });
  });
});

describe('recipe schema', () => {
  const base = `tables: ['t-1']
title: T
statistic: '1'
database: D
licence: L
period_kind: jahr
variable: { id: v, label: V, unit: Anzahl, additive: true, dash_is_zero: false }
dimensions: {}
`;

  it('refuses an unknown field, naming it', () => {
    expect(() => parseRecipe(`${base}defualts: {}\n`, 'x.yaml')).toThrow(/defualts/);
  });

  it('refuses several variables without a match', () => {
    const text = base.replace(
      /variable: .*\n/,
      'variables:\n  - { id: a, label: A, unit: U, additive: true, dash_is_zero: false }\n  - { id: b, label: B, unit: U, additive: true, dash_is_zero: false }\n',
    );
    expect(() => parseRecipe(text, 'x.yaml')).toThrow(/variables\.0\.match/);
  });

  it('refuses a default that is no item of its dimension', () => {
    const text = base.replace(
      'dimensions: {}',
      'defaults: { g: x }\ndimensions:\n  g: [{ code: insgesamt, label: I, match: [I] }]',
    );
    expect(() => parseRecipe(text, 'x.yaml')).toThrow(/defaults\.g/);
  });

  it('refuses a file whose periods do not fit period_kind', async () => {
    const stichtag = loadRecipes();
    const r22811 = stichtag.get('22811-01i');
    if (!r22811) throw new Error('no recipe');
    stichtag.set('22811-01i', { ...r22811, period_kind: 'stichtag' });
    const [r] = await importFile(NRW('2023/22811-01i.csv'), {
      store,
      regions,
      recipes: stichtag,
      dryRun: true,
    });
    expect(r?.status).toBe('rejected');
    expect(r?.issues.find((i) => i.severity === 'error')?.message).toContain(
      'period_kind stichtag',
    );
  });
});
