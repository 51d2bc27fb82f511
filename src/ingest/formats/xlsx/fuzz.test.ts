/**
 * The .xlsx reader on hostile input: mutated XML parts, mutated and cut ZIP bytes and random
 * text as a sheet give a workbook or a BimoError, quickly — never another exception or a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BimoError } from '../../../domain/index.ts';
import { readXlsx } from './index.ts';
import { BUILT, SHEET1, SST, pack, relsXml, sheetXml, workbookXml } from './testkit.ts';

function survives(bytes: Uint8Array): void {
  const started = performance.now();
  try {
    readXlsx(bytes, 'fuzz.xlsx');
  } catch (err) {
    if (!(err instanceof BimoError)) throw err;
    expect(err.message).toMatch(/^fuzz\.xlsx/);
  }
  expect(performance.now() - started).toBeLessThan(2000);
}

const mutate = (text: string) =>
  fc
    .tuple(
      fc.nat({ max: text.length }),
      fc.nat({ max: 40 }),
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom(
          '<',
          '>',
          '"',
          '&',
          '&amp;',
          '&#0;',
          '&#xD800;',
          '<!DOCTYPE a>',
          '<c r="A0">',
          '</row>',
          ' t="s"',
          ' r="ZZZZ9999999"',
          '<v>',
          '</v>',
          '_x00',
        ),
      ),
    )
    .map(([at, del, ins]) => text.slice(0, at) + ins + text.slice(at + del));

const parts = (sheet: string, sst: string, workbook = workbookXml(['Daten'])) =>
  pack(
    {
      'xl/workbook.xml': workbook,
      'xl/_rels/workbook.xml.rels': relsXml(['worksheets/sheet1.xml']),
      'xl/sharedStrings.xml': sst,
      'xl/worksheets/sheet1.xml': sheet,
    },
    0,
  );

describe('readXlsx survives hostile input', () => {
  it('mutated sheet, shared strings and workbook XML', () => {
    fc.assert(
      fc.property(mutate(SHEET1), mutate(SST), mutate(workbookXml(['Daten'])), (sheet, sst, wb) => {
        survives(parts(sheet, SST, wb));
        survives(parts(SHEET1, sst));
        survives(parts(sheet, sst));
      }),
      { numRuns: 300 },
    );
  });

  it('random text as a sheet', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => {
        survives(parts(sheetXml(s), SST));
        survives(parts(s, SST));
      }),
      { numRuns: 200 },
    );
  });

  it('mutated and cut ZIP bytes (compressed and stored)', () => {
    const stored = parts(SHEET1, SST);
    for (const base of [BUILT, stored]) {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.nat({ max: 255 })), {
            minLength: 1,
            maxLength: 8,
          }),
          fc.option(fc.nat({ max: base.length }), { freq: 3 }),
          (changes, cut) => {
            const bytes = Uint8Array.from(base);
            for (const [at, v] of changes) bytes[at] = v;
            survives(cut === null ? bytes : bytes.subarray(0, cut));
          },
        ),
        { numRuns: 300 },
      );
    }
  });
});
