/**
 * Shared by the formula tests: comparing trees without columns, and a fast-check arbitrary
 * that builds every shape of tree the parser can produce.
 */
import fc from 'fast-check';
import type { Expr, RefNode, Shift } from './ast.ts';

/** The tree without `pos`, for comparing trees parsed from differently spaced text. */
export function stripPos(e: Expr): unknown {
  switch (e.kind) {
    case 'num':
      return { kind: 'num', value: e.value };
    case 'ref':
      return { kind: 'ref', variable: e.variable, filters: e.filters, shift: e.shift };
    case 'neg':
      return { kind: 'neg', arg: stripPos(e.arg) };
    case 'bin':
      return { kind: 'bin', op: e.op, left: stripPos(e.left), right: stripPos(e.right) };
  }
}

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/);
const item = fc.stringMatching(/^[a-z0-9_]{1,5}$/);

const shift: fc.Arbitrary<Shift | null> = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 1, max: 30 }).map((n): Shift => ({ kind: 'relative', years: -n })),
  fc.integer({ min: 1000, max: 9999 }).map((year): Shift => ({ kind: 'absolute', year })),
);

export const refArb: fc.Arbitrary<RefNode> = fc.record({
  kind: fc.constant('ref' as const),
  variable: ident,
  filters: fc
    .uniqueArray(fc.tuple(ident, fc.uniqueArray(item, { minLength: 1, maxLength: 3 })), {
      selector: ([dim]) => dim,
      maxLength: 3,
    })
    .map((conds) => Object.fromEntries(conds)),
  shift,
  pos: fc.constant(0),
});

/** Non-negative literals as the parser makes them, including ones String() writes as 1e21. */
const literal = fc.oneof(
  fc.nat({ max: 100_000 }),
  fc.double({ min: 0, max: 1e30, noNaN: true, noDefaultInfinity: true }).map((v) => Math.abs(v)),
);

export const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal.map((value): Expr => ({ kind: 'num', value, pos: 0 })),
    refArb,
    tie('expr').map((arg): Expr => ({ kind: 'neg', arg, pos: 0 })),
    fc
      .tuple(fc.constantFrom('+', '-', '*', '/' as const), tie('expr'), tie('expr'))
      .map(([op, left, right]): Expr => ({ kind: 'bin', op, left, right, pos: 0 })),
  ),
})).expr;
