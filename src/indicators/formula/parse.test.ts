/**
 * The formula parser: the catalog's example formulas become the expected trees (columns counted
 * by hand), every kind of mistake is reported with a teaching message at the right column, and
 * random text never produces anything but a tree or a FormulaError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr, RefNode } from './ast.ts';
import {
  FormulaError,
  formatFormula,
  formulaErrorExcerpt,
  MAX_FORMULA_LENGTH,
  MAX_NESTING,
  parseFormula,
} from './index.ts';
import { stripPos } from './test-helpers.ts';

const num = (value: number, pos: number): Expr => ({ kind: 'num', value, pos });
const ref = (
  variable: string,
  pos: number,
  filters: Record<string, string[]> = {},
  shift: RefNode['shift'] = null,
): RefNode => ({ kind: 'ref', variable, filters, shift, pos });
const bin = (op: '+' | '-' | '*' | '/', left: Expr, right: Expr): Expr => ({
  kind: 'bin',
  op,
  left,
  right,
  pos: left.pos,
});

describe('parseFormula: valid formulas', () => {
  it('a share with a filtered numerator', () => {
    expect(parseFormula('100 * schulabgaenge_ab[abschluss=ohne_esa] / schulabgaenge_ab')).toEqual(
      bin(
        '/',
        bin('*', num(100, 1), ref('schulabgaenge_ab', 7, { abschluss: ['ohne_esa'] })),
        ref('schulabgaenge_ab', 46),
      ),
    );
  });

  it('several items of one dimension, summed', () => {
    const text =
      '1000 * arbeitslose[altersgruppe=a15_25] / bevoelkerung[altersgruppe=a15_18|a18_20|a20_25]';
    expect(parseFormula(text)).toEqual(
      bin(
        '/',
        bin('*', num(1000, 1), ref('arbeitslose', 8, { altersgruppe: ['a15_25'] })),
        ref('bevoelkerung', 43, { altersgruppe: ['a15_18', 'a18_20', 'a20_25'] }),
      ),
    );
  });

  it('a relative shift: population of the previous year', () => {
    const text = '100 * kita_kinder[alter=u3] / bevoelkerung[altersgruppe=a00_03]@-1';
    expect(parseFormula(text)).toEqual(
      bin(
        '/',
        bin('*', num(100, 1), ref('kita_kinder', 7, { alter: ['u3'] })),
        ref('bevoelkerung', 31, { altersgruppe: ['a00_03'] }, { kind: 'relative', years: -1 }),
      ),
    );
  });

  it('an absolute shift: change since a base period', () => {
    const base = { kind: 'absolute', year: 2011 } as const;
    expect(parseFormula('100 * (bevoelkerung - bevoelkerung@2011) / bevoelkerung@2011')).toEqual(
      bin(
        '/',
        bin('*', num(100, 1), bin('-', ref('bevoelkerung', 8), ref('bevoelkerung', 23, {}, base))),
        ref('bevoelkerung', 44, {}, base),
      ),
    );
  });

  it('a plain variable, a sign, a difference', () => {
    expect(parseFormula('verfuegbares_einkommen_je_ew')).toEqual(
      ref('verfuegbares_einkommen_je_ew', 1),
    );
    expect(parseFormula('-x + 2')).toEqual(
      bin('+', { kind: 'neg', arg: ref('x', 2), pos: 1 }, num(2, 6)),
    );
    expect(parseFormula('a - b')).toEqual(bin('-', ref('a', 1), ref('b', 5)));
  });

  it('precedence, left associativity, decimals and whitespace between tokens', () => {
    expect(stripPos(parseFormula('a - b - c * d / e'))).toEqual(
      stripPos(
        bin(
          '-',
          bin('-', ref('a', 0), ref('b', 0)),
          bin('/', bin('*', ref('c', 0), ref('d', 0)), ref('e', 0)),
        ),
      ),
    );
    expect(parseFormula(' 0.5\t*\n a [ g = 15_25 | 0 , h=x ] @ - 2 ')).toEqual(
      bin(
        '*',
        num(0.5, 2),
        ref('a', 9, { g: ['15_25', '0'], h: ['x'] }, { kind: 'relative', years: -2 }),
      ),
    );
    // `constructor` is an ordinary dimension id, not an inherited property.
    expect(parseFormula('a[constructor=x]')).toEqual(ref('a', 1, { constructor: ['x'] }));
  });
});

/** Parses `text` expecting a FormulaError and returns it. */
function failure(text: string): FormulaError {
  try {
    parseFormula(text);
  } catch (err) {
    if (err instanceof FormulaError) return err;
    throw err;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

describe('parseFormula: mistakes', () => {
  // [text, column, message part]; columns counted by hand.
  const cases: [string, number, string][] = [
    ['', 1, 'the formula is empty; write an expression such as 100 * a / b'],
    ['   ', 1, 'the formula is empty'],
    [
      '100 *',
      6,
      'expected a number, a variable or "(" but found the end of the formula at column 6',
    ],
    ['a[b]', 4, 'expected "=" after the dimension "b" but found "]" at column 4'],
    ['a[b=]', 5, 'expected a dimension item after "=" but found "]" at column 5'],
    ['a[g=x|]', 7, 'expected a dimension item after "|" but found "]" at column 7'],
    [
      'a[=c]',
      3,
      'expected a dimension id (lowercase, starting with a letter) but found "=" at column 3',
    ],
    [
      'a@',
      3,
      'expected a number of years like @-1 or a four-digit year like @2011 after "@" but found the end of the formula at column 3',
    ],
    ['a@-x', 4, 'expected a number of years after "@-" (as in @-1) but found "x" at column 4'],
    ['a@99', 3, 'four-digit year like @2011 after "@" but found "99" at column 3'],
    ['a@-0', 4, 'drop "@-0" for the same year'],
    [
      '(a',
      3,
      'expected ")" to close the "(" at column 1 but found the end of the formula at column 3',
    ],
    ['((a)', 5, 'expected ")" to close the "(" at column 1'],
    ['a)', 2, 'found ")" at column 2 without a matching "("'],
    ['(a))', 4, 'found ")" at column 4 without a matching "("'],
    ['a $', 3, 'found "$" at column 3, which is not part of the formula language'],
    [
      'a b',
      3,
      'expected an operator (+ - * /) or the end of the formula but found "b" at column 3; two operands need an operator between them',
    ],
    [
      'a[g=x, g=y]',
      8,
      'dimension "g" appears twice in the filter at column 8; list all its items in one condition, separated by "|": g=x|y',
    ],
    ['a[g=x|x]', 7, 'item "x" of dimension "g" appears twice at column 7'],
    [
      'a[g=x y]',
      7,
      'expected "|" for another item, "," for another dimension or "]" but found "y" at column 7',
    ],
    ['1,5', 2, 'numbers use a decimal point: write 1.5 instead of 1,5'],
    ['100 * a / 2,75', 12, 'write 2.75 instead of 2,75'],
    ['1.', 2, 'expected digits after the decimal point'],
    [`a * 1${'0'.repeat(400)}`, 5, 'the number at column 5 is too large'],
    ['.5', 1, 'write 0.5, not .5'],
    ['1abc', 1, 'variable ids start with a lowercase letter'],
    ['Bevoelkerung', 1, 'ids are lowercase, write "b"'],
    ['a / bevölkerung', 8, 'write "oe"'],
  ];
  it.each(cases)('%j is rejected at column %i', (text, column, message) => {
    const err = failure(text);
    expect(err.message).toContain(message);
    expect(err.position).toBe(column);
    expect(err.formula).toBe(text);
    expect(err.name).toBe('FormulaError');
  });

  it('limits nesting and length, so no input can exhaust the stack', () => {
    const deep = `${'('.repeat(MAX_NESTING + 1)}a${')'.repeat(MAX_NESTING + 1)}`;
    expect(failure(deep).position).toBe(MAX_NESTING + 1);
    expect(failure('-'.repeat(MAX_NESTING + 1) + 'a').position).toBe(MAX_NESTING + 1);
    expect(() =>
      parseFormula(`${'('.repeat(MAX_NESTING)}a${')'.repeat(MAX_NESTING)}`),
    ).not.toThrow();
    const long = 'a'.repeat(MAX_FORMULA_LENGTH + 1);
    expect(failure(long).position).toBe(MAX_FORMULA_LENGTH + 1);
  });

  it('formulaErrorExcerpt puts a caret under the column', () => {
    expect(formulaErrorExcerpt(failure('a[b=]'))).toBe('a[b=]\n    ^');
    // A tab or line break is shown as one space so the caret stays aligned.
    expect(formulaErrorExcerpt(failure('a\n\t$'))).toBe('a  $\n   ^');
  });
});

describe('parseFormula on random text', () => {
  const check = (text: string): void => {
    let tree: Expr;
    try {
      tree = parseFormula(text);
    } catch (err) {
      if (!(err instanceof FormulaError)) throw err;
      expect(err.position).toBeGreaterThanOrEqual(1);
      expect(err.position).toBeLessThanOrEqual(text.length + 1);
      if (text.trim() !== '') expect(err.message).toContain(`column ${err.position}`);
      return;
    }
    // Whatever parses prints back to text that parses to the same tree.
    expect(stripPos(parseFormula(formatFormula(tree)))).toEqual(stripPos(tree));
  };

  it('characters of the grammar alphabet (and a few strangers)', () => {
    const chars = [...'abgxz0129_ +-*/()[]=|,@.', '$', 'A', 'ä', '\t', '😀'];
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...chars), maxLength: 40 }), check), {
      numRuns: 2000,
    });
  });

  it('fragments of real formulas, which parse more often', () => {
    const parts = ['a', 'b_1', '[', ']', 'g', '=', 'x', '15_25', '|', ',', '@', '-1', '@2011'];
    parts.push('100', '1.5', '1,5', '(', ')', '*', '/', '+', '-', ' ', '@-');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...parts), { maxLength: 20 }).map((p) => p.join('')),
        check,
      ),
      { numRuns: 2000 },
    );
  });
});
