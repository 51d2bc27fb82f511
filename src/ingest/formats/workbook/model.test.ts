/** Cell references and the cell budget of the workbook model. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BimoError } from '../../../domain/index.ts';
import {
  WorkbookBuilder,
  cellPlace,
  cellRef,
  cellText,
  columnLetters,
  parseCellRef,
} from './index.ts';

describe('cell references', () => {
  it('names columns and cells as Excel does', () => {
    expect([1, 2, 26, 27, 28, 52, 53, 702, 703, 16384].map(columnLetters)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
      'XFD',
    ]);
    expect(cellRef(12, 2)).toBe('B12');
    expect(cellPlace('Daten', 12, 2)).toBe('Sheet "Daten", B12');
  });

  it('parses references, also absolute ones, and refuses others', () => {
    expect(parseCellRef('B12')).toEqual({ row: 12, column: 2 });
    expect(parseCellRef('$xfd$1048576')).toEqual({ row: 1048576, column: 16384 });
    for (const bad of ['', 'A0', '12', 'B', 'ABCD1', 'A1:B2', 'A-1'])
      expect(parseCellRef(bad)).toBeNull();
  });

  it('round-trips every column and row', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16384 }),
        fc.integer({ min: 1, max: 1048576 }),
        (c, r) => {
          expect(parseCellRef(cellRef(r, c))).toEqual({ row: r, column: c });
        },
      ),
    );
  });

  it('shows cell values as text', () => {
    expect([null, undefined, 'a', 1.5, true, { error: '#N/A' }].map(cellText)).toEqual([
      '',
      '',
      'a',
      '1.5',
      'true',
      '#N/A',
    ]);
  });
});

describe('WorkbookBuilder', () => {
  it('fills gaps with null and trims trailing empty cells and rows', () => {
    const b = new WorkbookBuilder('x.xls');
    const s = b.addSheet('S');
    s.set(0, 2, 'c');
    s.set(2, 0, 1);
    s.set(2, 3, null);
    s.set(4, 1, 'later removed');
    s.set(4, 1, null);
    expect(b.finish()).toEqual({ sheets: [{ name: 'S', rows: [[null, null, 'c'], [], [1]] }] });
  });

  it('charges every covered cell against the budget, across sheets', () => {
    const b = new WorkbookBuilder('x.xlsx', 100);
    b.addSheet('A').set(0, 49, 1); // 1 row + 50 cells
    const s = b.addSheet('B');
    s.set(0, 10, 1); // 1 + 11 = 63
    expect(() => s.set(30, 10, 1)).toThrow(BimoError);
    expect(() => new WorkbookBuilder('y.xlsx', 100).addSheet('C').set(1_000_000, 0, 1)).toThrow(
      /y\.xlsx: the workbook has more than 100 cells \(limit reached in sheet "C"\)/,
    );
  });
});
