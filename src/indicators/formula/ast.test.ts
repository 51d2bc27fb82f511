/**
 * Tree operations: references in reading order, canonical printing that round-trips through
 * the parser, and recognition of share formulas for storing numerator and denominator.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber } from './ast.ts';
import { formatFormula, parseFormula, refsOf, splitRatio } from './index.ts';
import { exprArb, stripPos } from './test-helpers.ts';

describe('refsOf', () => {
  it('lists references left to right, repeats included', () => {
    const refs = refsOf(parseFormula('100 * (b - c@2011) / -(d[g=x] + b)'));
    expect(refs.map((r) => [r.variable, r.pos])).toEqual([
      ['b', 8],
      ['c', 12],
      ['d', 24],
      ['b', 33],
    ]);
    expect(refs[1]?.shift).toEqual({ kind: 'absolute', year: 2011 });
    expect(refsOf(parseFormula('2 * 3'))).toEqual([]);
  });
});

describe('formatFormula', () => {
  it.each([
    ['100*(a-b)/b', '100 * (a - b) / b'],
    ['a-(b-c)', 'a - (b - c)'],
    ['(a-b)-c', 'a - b - c'],
    ['a/(b*c)', 'a / (b * c)'],
    ['(a*b)/c', 'a * b / c'],
    ['-(a+b)', '-(a + b)'],
    ['--a', '--a'],
    ['a - -b', 'a - -b'],
    ['-(-a)', '--a'],
    ['(-a)*b', '-a * b'],
    ['a [ g = x | y ,h=z ] @ - 1', 'a[g=x|y, h=z]@-1'],
    ['b @2011', 'b@2011'],
    ['0.50 + 007', '0.5 + 7'],
  ])('%j prints as %j', (text, canonical) => {
    expect(formatFormula(parseFormula(text))).toBe(canonical);
  });

  it('spells numbers without exponents, since the grammar has none', () => {
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(1.5e22)).toBe('15000000000000000000000');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(1.25e-7)).toBe('0.000000125');
    expect(formatNumber(123.5)).toBe('123.5');
    expect(formatNumber(-2e-7)).toBe('-0.0000002');
    expect(() => formatNumber(Infinity)).toThrow(/finite/);
  });

  it('round-trips every tree through the parser', () => {
    fc.assert(
      fc.property(exprArb, (tree) => {
        expect(stripPos(parseFormula(formatFormula(tree)))).toEqual(stripPos(tree));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('splitRatio', () => {
  const split = (text: string) => {
    const r = splitRatio(parseFormula(text));
    return r && [formatFormula(r.numerator), formatFormula(r.denominator), r.scale];
  };

  it.each([
    ['a / b', ['a', 'b', 1]],
    ['100 * a[g=x] / a', ['a[g=x]', 'a', 100]],
    ['a * 1000 / b@-1', ['a', 'b@-1', 1000]],
    ['a / b * 100', ['a', 'b', 100]],
    ['100 * (a / b)', ['a', 'b', 100]],
    ['100 * (a - b) / b', ['a - b', 'b', 100]],
    ['(a + b) / (c + d)', ['a + b', 'c + d', 1]],
    ['1000 * (10 * a / b)', ['a', 'b', 10000]],
  ])('%j is a ratio', (text, parts) => {
    expect(split(text)).toEqual(parts);
  });

  it.each(['a - b', 'a', '100 * a', '-(a / b)', 'a / b + 1', 'a / 1000', '100 * a / 2', 'a * b'])(
    '%j is not a ratio',
    (text) => {
      expect(splitRatio(parseFormula(text))).toBeNull();
    },
  );

  it('keeps the original subtrees, so their columns still point into the text', () => {
    const r = splitRatio(parseFormula('100 * kita[alter=u3] / bev@-1'));
    expect(r?.numerator.pos).toBe(7);
    expect(r?.denominator.pos).toBe(24);
  });
});
