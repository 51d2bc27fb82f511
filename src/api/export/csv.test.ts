/**
 * The CSV download as Excel with German settings and as international readers get it: exact
 * bytes for a few telling rows (a sign instead of a value, a suppressed value, a negative gap,
 * a name that needs quoting), file names and the query parameters of the values route.
 */
import { describe, expect, it } from 'vitest';
import { BimoError } from '../../domain/index.ts';
import { exportValues, parseExportFormat, parseNumberStyle, downloadHeaders } from './index.ts';
import { periodPhrase } from '../../web/text.ts';
import { exportFileName, periodLabel } from './table.ts';
import { AT, ROWS, SOURCE, indicator } from './testkit.ts';

const csv = (numbers?: 'de' | 'international', rows = ROWS, ind = indicator()) => {
  const file = exportValues({
    indicator: ind,
    rows,
    format: 'csv',
    numbers,
    source: SOURCE,
    generatedAt: AT,
  });
  return { file, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(file.body) };
};

describe('exportValues: CSV', () => {
  it('writes German CSV: BOM, semicolons, decimal comma, CRLF, signs instead of zeros', () => {
    const { file, text } = csv();
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect(file.fileName).toBe('bimo_D1-geschlecht_2023.csv');
    expect([...file.body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toBe(
      '\uFEFF' +
        [
          'Regionalschlüssel;Region;Ebene;Zeitraum;Berichtsjahr;Wert;Einheit;Zähler;Nenner;Zeichen;Fehlerschranke;Berechnung;Geheimhaltung',
          '05358;Düren, Kreis;Kreis;Schuljahr 2022/23;2023;5,9;Prozentpunkte;1234;20775;;0,1;amtlich;',
          '05334;Städteregion Aachen;Kreis;Schuljahr 2022/23;2023;-3,1;Prozentpunkte;;;p;0,0;amtlich;',
          '05362;Rhein-Erft-Kreis;Kreis;Schuljahr 2022/23;2023;;Prozentpunkte;;;.;;amtlich;',
          '05366;Euskirchen, Kreis;Kreis;Schuljahr 2022/23;2023;;Prozentpunkte;;;.;;amtlich;geheim (kleine Fallzahl)',
          'rheinisches-revier;"Revier; ""Rheinisches""";Gruppe;Schuljahr 2022/23;2023;12,0;Prozentpunkte;10000,5;80000;;0,0;Gruppensumme;',
        ]
          .map((l) => `${l}\r\n`)
          .join(''),
    );
  });

  it('never writes 0 for a value that is missing or secret', () => {
    const lines = csv().text.split('\r\n');
    for (const line of lines.slice(3, 5)) expect(line.split(';')[5]).toBe('');
  });

  it('writes international CSV: commas, decimal point, quoted names with commas', () => {
    const { file, text } = csv('international');
    expect(file.fileName).toBe('bimo_D1-geschlecht_2023.csv');
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'Regionalschlüssel,Region,Ebene,Zeitraum,Berichtsjahr,Wert,Einheit,Zähler,Nenner,Zeichen,Fehlerschranke,Berechnung,Geheimhaltung',
    );
    expect(lines[1]).toBe(
      '05358,"Düren, Kreis",Kreis,Schuljahr 2022/23,2023,5.9,Prozentpunkte,1234,20775,,0.1,amtlich,',
    );
    expect(lines[2]).toBe(
      '05334,Städteregion Aachen,Kreis,Schuljahr 2022/23,2023,-3.1,Prozentpunkte,,,p,0.0,amtlich,',
    );
    expect(lines[5]).toBe(
      'rheinisches-revier,"Revier; ""Rheinisches""",Gruppe,Schuljahr 2022/23,2023,12.0,Prozentpunkte,10000.5,80000,,0.0,Gruppensumme,',
    );
    expect(lines[6]).toBe('');
  });

  it('quotes line breaks and keeps Excel from running names as formulas', () => {
    const rows = [
      { ...ROWS[0]!, name: 'Zeile\r\neins' },
      { ...ROWS[0]!, name: '=HYPERLINK("http://x")' },
      { ...ROWS[0]!, name: '@SUM(A1)' },
    ];
    const lines = csv('de', rows).text.split('\r\n');
    expect(lines[1]?.split(';')[1]).toBe('"Zeile');
    expect(lines[2]?.startsWith('eins";')).toBe(true);
    expect(lines[3]?.split(';')[1]).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[4]?.split(';')[1]).toBe("'@SUM(A1)");
  });

  it('rounds to the indicator decimals and writes no sign on a rounded zero', () => {
    const ind = indicator({ decimals: 2 });
    const rows = [
      { ...ROWS[0]!, value: 1234567.891 },
      { ...ROWS[0]!, value: -0.001 },
    ];
    const lines = csv('de', rows, ind).text.split('\r\n');
    expect(lines[1]?.split(';')[5]).toBe('1234567,89');
    expect(lines[2]?.split(';')[5]).toBe('0,00');
  });

  it('states the period as the portal does, without the preposition', () => {
    expect(periodLabel(indicator(), '2023')).toBe('Schuljahr 2022/23');
    expect(periodLabel(indicator({ period_kind: 'stichtag' }), '2024')).toBe('31.12.2024');
    expect(periodLabel(indicator({ period_kind: 'stichtag', stichtag: '01.03.' }), '2024')).toBe(
      '01.03.2024',
    );
    expect(periodLabel(indicator({ period_kind: 'jahr' }), '2024')).toBe('Jahr 2024');
    for (const kind of ['schuljahr', 'stichtag', 'semester', 'jahr'] as const) {
      const ind = indicator({ period_kind: kind, stichtag: '01.03.' });
      expect(periodPhrase(ind, '2024')).toMatch(/^(im|am) /);
      expect(periodLabel(ind, '2024')).toBe(periodPhrase(ind, '2024').replace(/^(im|am) /, ''));
    }
  });

  it('names the file after indicator and period range, with safe characters only', () => {
    expect(exportFileName('D6', ['2019', '2023'], 'xlsx')).toBe('bimo_D6_2019-2023.xlsx');
    expect(exportFileName('D6', [], 'csv')).toBe('bimo_D6_ohne-Werte.csv');
    expect(exportFileName('D6 ä/..', ['2023'], 'csv')).toBe('bimo_D6___.._2023.csv');
    const rows = [
      { ...ROWS[0]!, period: '2021' },
      { ...ROWS[0]!, period: '2019' },
    ];
    expect(csv('de', rows).file.fileName).toBe('bimo_D1-geschlecht_2019-2021.csv');
  });

  it('gives download headers with an attachment name and a stable ETag', () => {
    const { file } = csv();
    const h = downloadHeaders(file);
    expect(h['Content-Disposition']).toBe('attachment; filename="bimo_D1-geschlecht_2023.csv"');
    expect(h['Content-Type']).toBe('text/csv; charset=utf-8');
    expect(h.ETag).toBe(downloadHeaders(csv().file).ETag);
    expect(h.ETag).not.toBe(downloadHeaders(csv('international').file).ETag);
  });
});

describe('query parameters', () => {
  it('reads format and numbers, refusing unknown ones', () => {
    expect(parseExportFormat(undefined)).toBe('json');
    expect(parseExportFormat('csv')).toBe('csv');
    expect(parseExportFormat('xlsx')).toBe('xlsx');
    expect(parseNumberStyle(undefined)).toBe('de');
    expect(parseNumberStyle('international')).toBe('international');
    expect(() => parseExportFormat('xls')).toThrow(BimoError);
    expect(() => parseNumberStyle('en')).toThrow(BimoError);
  });
});
