/**
 * The classic table CSV parser on real Regionaldatenbank downloads (values checked by hand
 * against the files) and on random input (no crash, no hang, errors with positions).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASSIC } from '../../../../test/helpers/sample.ts';
import { decodeText } from '../../decode.ts';
import { parseClassic } from './parse.ts';

const load = (name: string) => parseClassic(decodeText(readFileSync(CLASSIC(name))).text);

describe('parseClassic on 21111-02-06-4 (Schulabgänge 2023)', () => {
  const { table, issues } = load('21111-02-06-4.csv');

  it('reads the structure', () => {
    expect(issues).toEqual([]);
    expect(table?.tableCode).toBe('21111-02-06-4');
    expect(table?.headerRows).toHaveLength(3);
    expect(table?.valueColumns).toHaveLength(14);
    expect(table?.rows).toHaveLength(538);
    expect(table?.stand).toBe('2025-03-13');
    expect(table?.footnotes).toContain('Berichtsjahres');
    expect(table?.copyright).toContain('Datenlizenz Deutschland');
  });

  it('reads Düren, Kreis exactly as in line 108', () => {
    const row = table?.rows.find((r) => r.key === '05358');
    expect(row?.line).toBe(108);
    expect(row?.name).toBe('Düren, Kreis');
    expect(row?.indent).toBe(6);
    expect(row?.cells.map((c) => c?.value)).toEqual([
      2560,
      1275,
      150,
      55,
      470,
      190,
      930,
      475,
      120,
      60,
      null,
      null,
      1010,
      555,
    ]);
    expect(row?.cells[10]?.flag).toBe('-');
    expect(table?.valueColumns[2]?.path.map((p) => p.label)).toEqual([
      'Absolvierende/Abgehende allgemeinbildender Schulen nach dem Abschluss',
      'ohne Hauptschulabschluss',
      'Insgesamt',
    ]);
  });
});

describe('parseClassic on other real tables', () => {
  it('finds the row dimension of 12411-02-03-4 and reads Stichtag rows', () => {
    const { table, issues } = load('12411-02-03-4_nrw-auswahl_2023.csv');
    expect(issues).toEqual([]);
    expect(table?.rowDimColumns).toEqual([3]);
    const row = table?.rows.find((r) => r.key === '05358' && r.rowDims[0]?.label === 'Insgesamt');
    expect(row?.period).toBe('31.12.2023');
    expect(row?.cells.map((c) => c?.value)).toEqual([278462, 138720, 139742]);
  });

  it('does not read footnote lines like `01.01.1979;` as data (13211-02-05-4)', () => {
    const { table, issues } = load('13211-02-05-4.csv');
    expect(issues).toEqual([]);
    expect(table?.rows).toHaveLength(538);
    expect(table?.rows.every((r) => /^\d{4}$/.test(r.period))).toBe(true);
  });

  it('reads the UTF-8 2024 edition with the new KMK labels', () => {
    const { table } = load('21111-02-06-4-B.csv');
    expect(table?.tableCode).toBe('21111-02-06-4-B');
    expect(table?.valueColumns[2]?.path[1]?.label).toBe('ohne Ersten Schulabschluss');
  });
});

describe('parseClassic on broken input', () => {
  it('names line and column of a bad cell', () => {
    const text = 'Tabelle: 1\n;;;A;B\n2023;05;  NRW;12;1x\n';
    const { issues } = parseClassic(text);
    expect(issues).toMatchObject([
      { severity: 'error', line: 3, column: 18, code: 'BIMO_E_PARSE' },
    ]);
  });

  it('refuses a file that is not a table export', () => {
    expect(parseClassic('Name;Wert\nx;1\n').issues[0]).toMatchObject({
      code: 'BIMO_E_FORMAT_UNKNOWN',
      line: 1,
    });
  });

  it('never throws on random text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.array(fc.string({ maxLength: 60 }), { maxLength: 20 }),
        (head, lines) => {
          const text = `Tabelle: X\n${head}\n${lines.join('\n')}`;
          const result = parseClassic(text);
          for (const i of result.issues) {
            expect(i.line).toBeGreaterThan(0);
            expect(i.column).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on rows built from table-like pieces', () => {
    const cell = fc.constantFrom('1', '-', '.', 'x', '12,5', '', 'abc', '...', '1.000', ';');
    const row = fc.tuple(
      fc.constantFrom('2023', '31.12.2023', 'x'),
      fc.constantFrom('05', '05358', 'DG', '9'),
      fc.array(cell, { maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 15 }), (rows) => {
        const body = rows.map(([p, k, cells]) => `${p};${k};  Name;${cells.join(';')}`).join('\n');
        parseClassic(
          `GENESIS-Tabelle: T\nTitel\n;;;A;B;C\n${body}\n__________\n"Fußnote"\nStand: 01.01.2025 / 10:00:00`,
        );
      }),
      { numRuns: 300 },
    );
  });
});
