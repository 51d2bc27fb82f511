/**
 * The XLSX download read back with bimo's own .xlsx reader (src/ingest/formats/xlsx): sheet
 * names, header, numeric cells equal to the rounded values, empty cells with their sign, the
 * provenance sheet; plus ZIP integrity, escaping and byte-for-byte determinism.
 */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../ingest/formats/xlsx/index.ts';
import { DL_DE_BY_2_0, exportValues, type ExportInput } from './index.ts';
import { HEADERS } from './table.ts';
import { AT, ROWS, SOURCE, indicator } from './testkit.ts';

const input = (over: Partial<ExportInput> = {}): ExportInput => ({
  indicator: indicator(),
  rows: ROWS,
  format: 'xlsx',
  source: SOURCE,
  generatedAt: AT,
  ...over,
});

const sheets = (bytes: Uint8Array) => {
  const wb = readXlsx(bytes, 'download.xlsx');
  const byName = (n: string) => wb.sheets.find((s) => s.name === n)?.rows ?? [];
  return { names: wb.sheets.map((s) => s.name), werte: byName('Werte'), quelle: byName('Quelle') };
};

describe('exportValues: XLSX', () => {
  it('is a ZIP with every part Excel needs, each intact', () => {
    const file = exportValues(input());
    expect(file.contentType).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(file.fileName).toBe('bimo_D1-geschlecht_2023.xlsx');
    // unzipSync checks every member's CRC, as `unzip -t` does.
    const parts = unzipSync(file.body);
    expect(Object.keys(parts)).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/core.xml',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
    ]);
    const core = strFromU8(parts['docProps/core.xml']!);
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2024-05-01T12:30:00Z<');
    expect(core).toContain('<dc:title>D1-geschlecht – Schülerinnen');
    const styles = strFromU8(parts['xl/styles.xml']!);
    expect(styles).toContain('<numFmt numFmtId="164" formatCode="0.0"/>');
    const sheet1 = strFromU8(parts['xl/worksheets/sheet1.xml']!);
    expect(sheet1).toContain('state="frozen"');
    expect(sheet1).toContain('<autoFilter ref="A1:M6"/>');
    expect(sheet1).toContain('<c r="F2" s="2" t="n"><v>5.9</v></c>');
    expect(strFromU8(parts['xl/workbook.xml']!)).toContain('Werte!$A$1:$M$6</definedName>');
  });

  it('reads back with the same texts and numbers as the CSV', () => {
    const { names, werte } = sheets(exportValues(input()).body);
    expect(names).toEqual(['Werte', 'Quelle']);
    expect(werte[0]).toEqual([...HEADERS]);
    expect(werte[1]).toEqual([
      '05358',
      'Düren, Kreis',
      'Kreis',
      'Schuljahr 2022/23',
      2023,
      5.9,
      'Prozentpunkte',
      1234,
      20775,
      null,
      0.1,
      'amtlich',
    ]);
    expect(werte[2]?.[5]).toBe(-3.1);
    expect(werte[2]?.[9]).toBe('p');
    // The flagged value: an empty cell (never 0) and the sign next to it.
    expect(werte[3]?.[5]).toBeNull();
    expect(werte[3]?.[9]).toBe('.');
    expect(werte[4]?.slice(5, 13)).toEqual([
      null,
      'Prozentpunkte',
      null,
      null,
      '.',
      null,
      'amtlich',
      'geheim (kleine Fallzahl)',
    ]);
    expect(werte[5]?.slice(0, 9)).toEqual([
      'rheinisches-revier',
      'Revier; "Rheinisches"',
      'Gruppe',
      'Schuljahr 2022/23',
      2023,
      12,
      'Prozentpunkte',
      10000.5,
      80000,
    ]);
  });

  it('states source, licence and the legend of the signs that occur', () => {
    const { quelle } = sheets(exportValues(input()).body);
    const text = quelle.map((r) => r.filter((c) => c !== null).join(' | '));
    expect(text).toContain('Kennung | D1-geschlecht');
    expect(text).toContain('Zeitraum | Schuljahr 2022/23');
    expect(text).toContain('Tabellen | GENESIS-Online, Tabelle 21111-02-06-4');
    expect(text).toContain('Stand | 15.03.2024');
    expect(text).toContain(`Lizenz | ${DL_DE_BY_2_0}`);
    expect(text).toContain('Namensnennung | © Statistische Ämter des Bundes und der Länder');
    expect(text).toContain('Hinweise | Werte für Jungen als Insgesamt minus weiblich.');
    expect(text).toContain('. | Zahlenwert unbekannt oder geheim zu halten');
    expect(text).toContain('p | vorläufig');
    expect(text.some((l) => l.startsWith('x |'))).toBe(false);
    expect(text.some((l) => l.startsWith('geheim (kleine Fallzahl) | '))).toBe(true);
    expect(text.some((l) => l.startsWith('geheim (Rückrechnung) | '))).toBe(true);
    expect(text.some((l) => l.startsWith('Gruppensumme | '))).toBe(true);
    expect(text.some((l) => l.startsWith('umgerechnet | '))).toBe(false);
    // 12:30 UTC is 14:30 in Germany in May.
    expect(text).toContain('Erstellt | erstellt am 01.05.2024, 14:30 Uhr mit bimo');
  });

  it('writes the same bytes for the same input, different bytes for other data', () => {
    const a = exportValues(input()).body;
    const b = exportValues(input()).body;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = exportValues(input({ rows: ROWS.slice(1) })).body;
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('escapes markup and characters XML cannot carry in names and titles', () => {
    const name = 'A <b>&</b> "x" _x0041_ \u0001 Zeile\r\nzwei ';
    const file = exportValues(
      input({
        indicator: indicator({ title_de: 'Titel <&> "Test"' }),
        rows: [{ ...ROWS[0]!, name }],
      }),
    );
    const parts = unzipSync(file.body);
    const sheet1 = strFromU8(parts['xl/worksheets/sheet1.xml']!);
    expect(sheet1).toContain('A &lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot; _x005F_x0041_ _x0001_');
    expect(strFromU8(parts['docProps/core.xml']!)).toContain(
      'Titel &lt;&amp;&gt; &quot;Test&quot;',
    );
    const { werte, quelle } = sheets(file.body);
    expect(werte[1]?.[1]).toBe(name);
    expect(quelle.some((r) => r[1] === 'Titel <&> "Test"')).toBe(true);
  });

  it('writes integers with the built-in format when the indicator has no decimals', () => {
    const file = exportValues(input({ indicator: indicator({ decimals: 0 }) }));
    const parts = unzipSync(file.body);
    expect(strFromU8(parts['xl/styles.xml']!)).not.toContain('<numFmts');
    const { werte } = sheets(file.body);
    expect(werte[1]?.[5]).toBe(6);
    expect(werte[2]?.[5]).toBe(-3);
  });

  it('writes a valid workbook without rows', () => {
    const file = exportValues(input({ rows: [] }));
    expect(file.fileName).toBe('bimo_D1-geschlecht_ohne-Werte.xlsx');
    const { werte, quelle } = sheets(file.body);
    expect(werte).toEqual([[...HEADERS]]);
    expect(quelle.some((r) => r[0] === 'Zeitraum' && r[1] === 'keine Werte')).toBe(true);
  });
});
