/**
 * parts-vs-total on small hand-made inputs: it reports what it should (with the numbers and the
 * explanation) and stays silent where rounding or the rules explain the data.
 */
import { describe, expect, it } from 'vitest';
import type { Flag, Variable } from '../../domain/index.ts';
import { checkPartsVsTotal, inferBase, refines } from './index.ts';
import { dataOf, row, variable } from './test-helpers.ts';

describe('parts-vs-total', () => {
  const vars = (v: Variable) => new Map([[v.id, v]]);
  // Kreis 05358 = 70 published; its Gemeinden, 5er-rounded: 45 + 30 = 75.
  const kreis = (total: number, rb = 5) => [
    row('n', '05358', total, { roundingBase: rb }),
    row('n', '05358004', 45, { roundingBase: rb }),
    row('n', '05358008', 30, { roundingBase: rb }),
  ];

  it('stays silent when the difference is within the rounding tolerance (3 cells × ±2)', () => {
    expect(checkPartsVsTotal(dataOf({ variables: vars(variable('n')), rows: kreis(70) }))).toEqual(
      [],
    );
  });

  it('reports a difference beyond the tolerance, with the numbers and the rounding', () => {
    const [f, ...rest] = checkPartsVsTotal(
      dataOf({ variables: vars(variable('n')), rows: kreis(60) }),
    );
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('warning');
    expect(f?.subject).toBe('n · 05358 Name 05358 · 2023');
    expect(f?.message_de).toContain('Summe der 2 Gemeinden 75 ≠ veröffentlichter Wert 60');
    expect(f?.explanation_de).toContain('Vielfache von 5');
    expect(f?.data).toMatchObject({ total: 60, sum_of_parts: 75, difference: 15, tolerance: 6 });
  });

  it('compares unrounded counts exactly', () => {
    const found = checkPartsVsTotal(dataOf({ variables: vars(variable('n')), rows: kreis(74, 1) }));
    expect(found.map((f) => f.data.difference)).toEqual([1]);
  });

  it('skips a total whose parts are not all published, and `-` counts as 0 only if the recipe says so', () => {
    const rows = [row('n', '05358', 80), row('n', '05358004', 80)];
    expect(checkPartsVsTotal(dataOf({ variables: vars(variable('n')), rows }))).toEqual([]);
    const dash = [...rows, row('n', '05358008', null, { flag: '-' as Flag })];
    expect(checkPartsVsTotal(dataOf({ variables: vars(variable('n')), rows: dash }))).toEqual([]);
    const zero = vars(variable('n', { dashIsZero: true }));
    expect(checkPartsVsTotal(dataOf({ variables: zero, rows: dash }))).toEqual([]);
    const off = [row('n', '05358', 90), ...dash.slice(1)];
    expect(checkPartsVsTotal(dataOf({ variables: zero, rows: off }))[0]?.data.difference).toBe(-10);
  });

  it('compares a Land with its Kreise (not its Regierungsbezirke) and the Bund with its Länder', () => {
    const rows = [
      row('n', '05', 100),
      row('n', '053', 100),
      row('n', '05358', 60),
      row('n', '05362', 30),
    ];
    const [f] = checkPartsVsTotal(dataOf({ variables: vars(variable('n')), rows }));
    expect(f?.subject).toBe('n · 05 Name 05 · 2023');
    expect(f?.message_de).toContain('Summe der 2 Kreise 90');
  });

  it('marks CKM-perturbed statistics as info and says why', () => {
    const v = variable('bev', { statistic: '12411' });
    const rows = [row('bev', '05358', 100), row('bev', '05358004', 60), row('bev', '05358008', 41)];
    const [f] = checkPartsVsTotal(dataOf({ variables: vars(v), rows }));
    expect(f?.severity).toBe('info');
    expect(f?.explanation_de).toContain('Cell-Key-Methode');
  });

  it('explains the difference by a secret item of a part when the hidden count matches', () => {
    // Like 22811-05i Kreis Kleve: Gemeinde 05358008 keeps SGB II secret and its insgesamt lacks it.
    const d = (item: string) => ({ dimsKey: `art=${item}` });
    const rows = [
      row('m', '05358', 300, d('insgesamt')),
      row('m', '05358', 200, d('sgb2')),
      row('m', '05358004', 220, d('insgesamt')),
      row('m', '05358004', 150, d('sgb2')),
      row('m', '05358008', 30, d('insgesamt')),
      row('m', '05358008', null, { ...d('sgb2'), flag: '.' as Flag }),
    ];
    const [f] = checkPartsVsTotal(dataOf({ variables: vars(variable('m')), rows }));
    expect(f?.data.difference).toBe(-50);
    expect(f?.explanation_de).toContain('„.“ bei art=sgb2: 05358008 Name 05358008');
    expect(f?.explanation_de).toContain(
      'minus die veröffentlichten Teile = 50) erklären die Differenz',
    );
  });

  it('infers a rounding base the recipe did not record, from ten or more values', () => {
    expect(inferBase([5, 10, 15, 20, 25, 30, 35, 40, 45, 0, 50])).toBe(5);
    expect(inferBase([3, 6, 9, 12, 15, 18, 21, 24, 27, 33])).toBe(3);
    expect(inferBase([5, 10, 15, 20, 25, 30, 35, 40, 45, 51])).toBe(1);
    expect(inferBase([5, 10, 15])).toBeNull();
  });

  it('knows which cell is an item of which', () => {
    expect(refines('a=sgb2;b=insgesamt', 'a=insgesamt;b=insgesamt')).toBe(true);
    expect(refines('a=fhr;b=weiblich', 'a=ahr;b=insgesamt')).toBe(false);
    expect(refines('a=insgesamt', 'a=insgesamt')).toBe(false);
  });
});
