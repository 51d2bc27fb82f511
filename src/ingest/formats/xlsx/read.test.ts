/**
 * The .xlsx reader on workbooks built here with fflate (every cell type, shared and inline
 * strings, cached formula results, missing `r` attributes, prefixed namespaces), on a workbook
 * written by a real tool (openpyxl 3.0.9, test/fixtures/xlsx) and on hostile packages.
 */
import { readFileSync } from 'node:fs';
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BimoError } from '../../../domain/index.ts';
import { isXlsx, readXlsx } from './index.ts';
import { BUILT, NS, SST, pack, relsXml, sheetXml, workbookXml } from './testkit.ts';

const BUILT_ROWS = [
  ['Kennziffer', null, 'inline'],
  ['Düren ', 12.5, 44561, 1.2345678901234568e-5],
  ['a\rb & <c> €', 25, 'xy', true, { error: '#DIV/0!' }],
  [],
  [null, null, '', false, null, -0],
];

function refusal(fn: () => unknown): BimoError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BimoError);
    expect((err as BimoError).code).toBe('BIMO_E_PARSE');
    return err as BimoError;
  }
  throw new Error('expected a BimoError');
}

/** BUILT with one part replaced. */
const withPart = (name: string, xml: string, level: 0 | 6 = 6) =>
  pack(
    {
      'xl/workbook.xml': workbookXml(['S']),
      'xl/_rels/workbook.xml.rels': relsXml(['worksheets/sheet1.xml']),
      'xl/sharedStrings.xml': SST,
      'xl/worksheets/sheet1.xml': sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>'),
      [name]: xml,
    },
    level,
  );

describe('readXlsx', () => {
  it('reads every cell type of a built workbook', () => {
    expect(isXlsx(BUILT)).toBe(true);
    const wb = readXlsx(BUILT, 'built.xlsx');
    expect(wb.sheets.map((s) => s.name)).toEqual(['Daten', 'Zweite']);
    expect(wb.sheets[0]?.rows).toEqual(BUILT_ROWS);
    expect(Object.is(wb.sheets[0]?.rows[4]?.[5], -0)).toBe(true);
    expect(wb.sheets[1]?.rows).toEqual([[], [null, 7]]);
  });

  it('reads a workbook written by openpyxl 3.0.9 (inline strings, a chart sheet, a date)', () => {
    const bytes = readFileSync(
      new URL('../../../../test/fixtures/xlsx/openpyxl-3.0.9.xlsx', import.meta.url),
    );
    expect(isXlsx(bytes)).toBe(true);
    const wb = readXlsx(bytes, 'openpyxl.xlsx');
    expect(wb.sheets.map((s) => s.name)).toEqual(['Daten', 'Zweite']);
    expect(wb.sheets[0]?.rows).toEqual([
      ['Kennziffer', 'Wert', 'Ümlaut ß €'],
      ['05358', 12.5, 0.3],
      // B3 is a formula openpyxl never calculated (empty <v>), C3 the boolean TRUE.
      ['05334', null, true],
      // 31.12.2021 stays the serial number Excel stores.
      [null, null, null, 44561],
      [null, null, null, null, -1.5e-300],
      [null, null, null, null, null, 'line1\nline2'],
    ]);
    expect(wb.sheets[1]?.rows).toEqual([[], [null, 7]]);
  });

  it('tells .xlsx from other files', () => {
    expect(isXlsx(pack({ 'data.csv': 'a;b' }))).toBe(false);
    expect(isXlsx(strToU8('Kennziffer;Raumeinheit'))).toBe(false);
    expect(isXlsx(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toBe(false);
  });
});

describe('readXlsx refuses hostile or damaged packages, with a reason', () => {
  it('refuses a DOCTYPE (entity expansion, external entities)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><sst xmlns="${NS}"><si><t>&lol2;</t></si></sst>`;
    expect(
      refusal(() => readXlsx(withPart('xl/sharedStrings.xml', laughs), 'x.xlsx')).message,
    ).toMatch(/DOCTYPE/);
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><sst xmlns="${NS}"><si><t>&e;</t></si></sst>`;
    expect(
      refusal(() => readXlsx(withPart('xl/sharedStrings.xml', xxe), 'x.xlsx')).message,
    ).toMatch(/DOCTYPE/);
  });

  it('knows no entities beyond the five of XML', () => {
    const xml = `<sst xmlns="${NS}"><si><t>&nbsp;</t></si></sst>`;
    expect(
      refusal(() => readXlsx(withPart('xl/sharedStrings.xml', xml), 'x.xlsx')).message,
    ).toMatch(/xl\/sharedStrings\.xml is not well-formed XML \(line 1, .*undefined entity/);
  });

  it('names the part and place of malformed XML', () => {
    const xml = sheetXml('<row r="1"><c r="A1"><v>1</v></row>');
    expect(
      refusal(() => readXlsx(withPart('xl/worksheets/sheet1.xml', xml), 'x.xlsx')).message,
    ).toMatch(/xl\/worksheets\/sheet1\.xml is not well-formed XML/);
  });

  it('names the cell of an unreadable value', () => {
    const xml = sheetXml('<row r="12"><c r="B12"><v>12,5</v></c></row>');
    expect(
      refusal(() => readXlsx(withPart('xl/worksheets/sheet1.xml', xml), 'x.xlsx')).message,
    ).toBe('x.xlsx: Sheet "S", B12: "12,5" is not a number');
    const sst = sheetXml('<row r="1"><c r="A1" t="s"><v>99</v></c></row>');
    expect(
      refusal(() => readXlsx(withPart('xl/worksheets/sheet1.xml', sst), 'x.xlsx')).message,
    ).toMatch(/Sheet "S", A1: shared string "99" does not exist/);
    const ref = sheetXml('<row r="1"><c r="XFE1"><v>1</v></c></row>');
    expect(
      refusal(() => readXlsx(withPart('xl/worksheets/sheet1.xml', ref), 'x.xlsx')).message,
    ).toMatch(/"XFE1" is not a cell reference/);
  });

  it('refuses more than 5 million cells', () => {
    const wide = (n: number) =>
      sheetXml(
        Array.from(
          { length: n },
          (_, i) => `<row r="${i + 1}"><c r="XFD${i + 1}"><v>1</v></c></row>`,
        ).join(''),
      );
    const few = wide(3);
    const many = wide(400);
    expect(
      readXlsx(withPart('xl/worksheets/sheet1.xml', few), 'x.xlsx').sheets[0]?.rows[2]?.[16383],
    ).toBe(1);
    expect(
      refusal(() => readXlsx(withPart('xl/worksheets/sheet1.xml', many), 'x.xlsx')).message,
    ).toMatch(/more than 5,000,000 cells/);
  });

  it('refuses a ZIP bomb before inflating it', () => {
    // A central directory claiming 2 GB for the sheet.
    const bytes = Buffer.from(BUILT);
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    for (
      let at = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      at >= 0;
      at = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)
    ) {
      if (bytes.subarray(at + 46, at + 46 + name.length).equals(name))
        bytes.writeUInt32LE(0x7fffffff, at + 24);
    }
    expect(refusal(() => readXlsx(bytes, 'x.xlsx')).message).toMatch(/ZIP bomb/);
    // A real 4 MB part of blanks, compressed far beyond the ratio limit.
    const padded = sheetXml(`<row r="1"><c r="A1"><v>1</v></c></row>${' '.repeat(4 * 1024 ** 2)}`);
    expect(
      refusal(() => readXlsx(withPart('xl/worksheets/sheet1.xml', padded), 'x.xlsx')).message,
    ).toMatch(/ZIP bomb/);
  });

  it('refuses what is no workbook package', () => {
    expect(refusal(() => readXlsx(pack({ 'a.txt': 'x' }), 'x.xlsx')).message).toMatch(
      /without xl\/workbook\.xml/,
    );
    expect(refusal(() => readXlsx(BUILT.subarray(0, BUILT.length - 30), 'x.xlsx')).message).toMatch(
      /not a readable \.xlsx/,
    );
    const noPart = withPart('xl/_rels/workbook.xml.rels', relsXml(['worksheets/missing.xml']));
    expect(refusal(() => readXlsx(noPart, 'x.xlsx')).message).toMatch(
      /sheet "S" has no worksheet part/,
    );
  });
});
