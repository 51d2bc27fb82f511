/**
 * INKAR exports: the six real files in ../shared/data/statistics/inkar (values checked by hand
 * with xlrd 1.2.0 against the .xls, outside the repo), built workbooks for the key forms and
 * special values, and random workbooks (no exception, every issue placed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../../../test/helpers/sample.ts';
import type { CellValue, Workbook } from '../workbook/index.ts';
import { readXls } from '../xls/index.ts';
import { detect, parse } from './index.ts';

const load = (name: string) => {
  const wb = readXls(readFileSync(join(SAMPLE_DIR, 'statistics/inkar', name)), name);
  return { wb, parsed: parse(wb, name) };
};

/** The record of a region and year: value, Excel row and column. */
function at(name: string, key: string, period: string) {
  const { parsed } = cache(name);
  const r = parsed.records.find((x) => x.regionKey === key && x.period === period);
  return (
    r && {
      value: r.cell.value,
      flag: r.cell.flag,
      line: r.line,
      column: r.column,
      name: r.regionName,
    }
  );
}
const loaded = new Map<string, ReturnType<typeof load>>();
const cache = (name: string) =>
  loaded.get(name) ?? (loaded.set(name, load(name)).get(name) as ReturnType<typeof load>);

const CITATION =
  'Quelle (Zitierhinweis): Indikatoren und Karten zur Raum- und Stadtentwicklung. INKAR. Ausgabe 2018. Hrsg.: Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR) im Bundesamt für Bauwesen und Raumordnung (BBR) - Bonn 2018. © 2018 Bundesamt für Bauwesen und Raumordnung, Bonn';

describe('INKAR exports (Kreise)', () => {
  // [file, indicator slug, unit, years, Düren (first year, last year), Städteregion Aachen, Berlin]
  const cases = [
    [
      'B_BeschaeftigtemitakadAbschluss.xls',
      'anteil_beschaeftigte_mit_akademischem_berufsabschluss',
      '%',
      ['2012', '2015'],
      [10.356904157198235, 11.46719891541764],
      18.603224719835495,
      22.568710238498475,
    ],
    [
      'B_BeschaeftigteohneAbschluss.xls',
      'anteil_beschaeftigte_ohne_berufsabschluss',
      '%',
      ['2012', '2015'],
      [14.654457960165754, 15.790464713414174],
      14.834515663571324,
      10.290350942075456,
    ],
    [
      'B_SchulabgaengermitHochschulreife.xls',
      'schulabgaenger_mit_hochschulreife',
      '%',
      ['1995', '2015'],
      [22.67555904276187, 36.83212140373063],
      42.820139226161565,
      42.187966185977125,
    ],
    [
      'B_SchulabgaengerohneAbschluss.xls',
      'schulabgaenger_ohne_abschluss',
      '%',
      ['1995', '2015'],
      [5.33542565712044, 5.406259879860891],
      5.067184717500405,
      9.975136747886623,
    ],
    [
      'E_Haushaltseinkommen.xls',
      'haushaltseinkommen',
      '€ je Einwohner',
      ['2000', '2015'],
      [1239, 1665],
      1620,
      1579,
    ],
  ] as const;

  it.each(cases)('%s', (file, code, unit, [first, last], duren, aachen, berlin) => {
    const { wb, parsed } = cache(file);
    expect(detect(wb)).toBe(true);
    expect(parsed.issues).toEqual([]);
    expect(parsed.format).toBe('inkar');
    expect(parsed.tableCode).toBe(`INKAR:${code}`);
    expect(parsed.database).toBe('INKAR (BBSR)');
    expect(parsed.copyright).toBe(CITATION);
    expect(parsed.title).toMatch(/^INKAR Ausgabe 2018: /);
    expect(parsed.rowCount).toBe(402);
    expect(parsed.records[0]?.variable).toEqual({ code, label: parsed.title.slice(20), unit });
    expect(parsed.records[0]?.dims).toEqual([]);
    const lastColumn = 4 + Number(last) - Number(first);
    expect(at(file, '05358', first)).toEqual({
      value: duren[0],
      flag: null,
      line: 86,
      column: 4,
      name: 'Düren',
    });
    expect(at(file, '05358', last)).toEqual({
      value: duren[1],
      flag: null,
      line: 86,
      column: lastColumn,
      name: 'Düren',
    });
    expect(at(file, '05334', last)?.value).toBe(aachen);
    expect(at(file, '11000', last)).toMatchObject({
      value: berlin,
      line: 328,
      name: 'Berlin, Stadt',
    });
    expect(parsed.records).toHaveLength(402 * (lastColumn - 3));
  });

  it('keeps the indicator documentation as footnotes', () => {
    const { parsed } = cache('B_SchulabgaengerohneAbschluss.xls');
    expect(parsed.footnotes).toBe(
      'Schulabgänger ohne Abschluss: Anteil der Schulabgänger ohne Hauptschulabschluss an den Schulabgängern in %. ' +
        'Quelle: Statistik der allgemeinbildenden Schulen des Bundes und der Länder. ' +
        'Berechnung: Schulabgänger ohne Hauptschulabschluss <Zeitpunkt> / Schulabgänger <Zeitpunkt> x 100. ' +
        'Anmerkungen: Hinweis auf niedriges regionales Qualifikationspotenzial.',
    );
  });
});

describe('INKAR export A_Arbeitslosigkeit.xls (Gemeinden and Gemeindeverbände)', () => {
  const file = 'A_Arbeitslosigkeit.xls';

  it('reads Gemeinden with 8-digit keys', () => {
    const { parsed } = cache(file);
    expect(parsed.tableCode).toBe('INKAR:arbeitslosigkeit');
    // The header says "Arbeitslosigkeit " (trailing blank); no unit is stated.
    expect(parsed.records[0]?.variable).toEqual({
      code: 'arbeitslosigkeit',
      label: 'Arbeitslosigkeit',
      unit: '',
    });
    expect(at(file, '05358008', '1998')).toEqual({
      value: 75.5234585447274,
      flag: null,
      line: 691,
      column: 4,
      name: 'Düren, Stadt',
    });
    expect(at(file, '05358008', '2015')).toMatchObject({ value: 93.22578463203465, column: 21 });
    expect(at(file, '05334002', '2015')?.value).toBe(68.59626741172193);
    expect(at(file, '09162000', '1998')).toMatchObject({ value: 49.773941877487665, line: 2092 });
    expect(parsed.rowCount).toBe(3194 + 75);
    expect(parsed.records).toHaveLength((3194 + 75) * 18);
  });

  it('skips Gemeindeverbände (BBSR numbers, no AGS) with one info issue', () => {
    const { parsed } = cache(file);
    expect(parsed.issues).toEqual([
      expect.objectContaining({
        severity: 'info',
        line: 9,
        column: 1,
        code: 'BIMO_I_SPATIAL_UNIT_SKIPPED',
      }),
    ]);
    expect(parsed.issues[0]?.message).toMatch(/^1269 rows of Aggregat "Gemeindeverband" skipped/);
    expect(parsed.records.some((r) => r.regionKey === '01051963')).toBe(false);
  });
});

/** A workbook in the INKAR layout with the given data rows. */
function inkarBook(
  rows: CellValue[][],
  head: CellValue[] = ['Kennziffer', 'Raumeinheit', 'Aggregat', 'Quote', 'Quote'],
): Workbook {
  return { sheets: [{ name: 'Daten', rows: [head, [null, null, null, '2020', 2021], ...rows] }] };
}

describe('INKAR layout variants', () => {
  it('normalises Kennziffern by Aggregat', () => {
    const p = parse(
      inkarBook([
        [5358000, 'Düren', 'Landkreis', 1, 2],
        ['5334', 'Städteregion Aachen', 'Landkreis', 1, 2],
        [5358008, 'Düren, Stadt', 'Gemeinde', 1, 2],
        ['05', 'Nordrhein-Westfalen', 'Bundesland', 1, 2],
        ['0501', 'Aachen', 'Raumordnungsregion', 1, 2],
      ]),
      'x.xls',
    );
    expect([...new Set(p.records.map((r) => r.regionKey))]).toEqual([
      '05358',
      '05334',
      '05358008',
      '05',
    ]);
    expect(p.issues.map((i) => [i.severity, i.line, i.message])).toEqual([
      [
        'info',
        7,
        '1 row of Aggregat "Raumordnungsregion" skipped (first: Sheet "Daten", A7): INKAR\'s keys for these units are no AGS region keys',
      ],
    ]);
  });

  it('reads keys by length when there is no Aggregat column', () => {
    const p = parse(
      {
        sheets: [
          {
            name: 'Daten',
            rows: [
              ['Kennziffer', 'Raumeinheit', 'Quote'],
              [null, null, '2020'],
              ['5358', 'Düren', 1],
              ['05358008', 'Düren, Stadt', 2],
            ],
          },
        ],
      },
      'x.xls',
    );
    expect(p.records.map((r) => [r.regionKey, r.column, r.cell.value])).toEqual([
      ['05358', 3, 1],
      ['05358008', 3, 2],
    ]);
  });

  it('reads special signs as flags, skips empty cells and names unreadable cells', () => {
    const p = parse(
      inkarBook([
        ['05358', 'Düren', 'Landkreis', '.', '12,5'],
        ['05334', 'Aachen', 'Landkreis', null, '-'],
        ['05362', 'Rhein-Erft', 'Landkreis', { error: '#DIV/0!' }, 'k.A.'],
        ['x', 'Fußnote', 'Landkreis', 1, null],
      ]),
      'x.xls',
    );
    expect(p.records.map((r) => [r.regionKey, r.period, r.cell])).toEqual([
      ['05358', '2020', { value: null, flag: '.' }],
      ['05358', '2021', { value: 12.5, flag: null }],
      ['05334', '2021', { value: null, flag: '-' }],
    ]);
    expect(p.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      '5:4 Sheet "Daten", D5: the Excel error #DIV/0! is no value',
      '5:5 Sheet "Daten", E5: "k.A." is neither a number nor a special sign',
      '6:1 Sheet "Daten", A6: Kennziffer "x" is not a number',
    ]);
  });

  it('needs a year in row 2 of each value column', () => {
    const p = parse(
      {
        sheets: [
          {
            name: 'Daten',
            rows: [
              ['Kennziffer', 'Raumeinheit', 'Aggregat', 'Quote'],
              [null, null, null, 'Jahr'],
              ['05358', 'Düren', 'Landkreis', 1],
            ],
          },
        ],
      },
      'x.xls',
    );
    expect(p.records).toEqual([]);
    expect(p.issues[0]?.message).toBe(
      'Sheet "Daten", D2: "Jahr" is not the year of indicator "Quote"',
    );
  });

  it('is not detected in other workbooks', () => {
    expect(detect({ sheets: [] })).toBe(false);
    expect(detect({ sheets: [{ name: 'Tabelle1', rows: [['Schlüssel', 'Name', 'Wert']] }] })).toBe(
      false,
    );
    expect(parse({ sheets: [] }, 'x.xls').issues[0]?.code).toBe('BIMO_E_PARSE');
  });

  it('never throws on random workbooks and places every issue', () => {
    const cell = fc.oneof(
      fc.constant(null),
      fc.double(),
      fc.string({ maxLength: 8 }),
      fc.constantFrom('05358', '5358000', '-', '.', '2020', 'Landkreis', 'Gemeinde', 'Kennziffer'),
      fc.boolean(),
      fc.record({ error: fc.constantFrom('#N/A', '#REF!') }),
    );
    const row = fc.array(cell, { maxLength: 6 });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
        const p = parse(inkarBook(rows), 'x.xls');
        for (const i of p.issues) {
          expect(i.line).toBeGreaterThan(0);
          expect(i.column).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
