/**
 * Computes a parsed formula for one region and period. Published inputs are rounded, so each
 * is an interval [value − error, value + error]; interval arithmetic carries that uncertainty
 * to the result, and special signs (flags) travel with it, the strongest one winning.
 */
import type { Flag } from '../../domain/index.ts';
import { strongestFlag } from '../../domain/index.ts';
import { refsOf, splitRatio, type Expr, type RefNode } from './ast.ts';

export interface Quantity {
  value: number | null;
  flag: Flag | null;
  /** largest absolute error from rounded inputs, >= 0 */
  error: number;
}

/** The point value, computed from the point inputs, and the interval around it. */
interface Interval {
  v: number;
  lo: number;
  hi: number;
}

/** Marks a division by a value that is exactly zero somewhere in the tree. */
const ZERO_DIVISOR = Symbol('zero divisor');

const UNBOUNDED = { lo: -Infinity, hi: Infinity };

// Interval arithmetic treats 0 × ∞ as 0: a factor that is exactly zero keeps the product zero
// even when the other factor's bound is unbounded (IEEE would give NaN).
const times = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : a * b);

function hull(values: number[]): { lo: number; hi: number } {
  // NaN only arises from ∞ / ∞; nothing is known about that bound then.
  if (values.some(Number.isNaN)) return UNBOUNDED;
  return { lo: Math.min(...values), hi: Math.max(...values) };
}

function combine(
  op: '+' | '-' | '*' | '/',
  a: Interval,
  b: Interval,
): Interval | typeof ZERO_DIVISOR {
  switch (op) {
    case '+':
      return { v: a.v + b.v, lo: a.lo + b.lo, hi: a.hi + b.hi };
    case '-':
      return { v: a.v - b.v, lo: a.lo - b.hi, hi: a.hi - b.lo };
    case '*':
      return {
        v: a.v * b.v,
        ...hull([times(a.lo, b.lo), times(a.lo, b.hi), times(a.hi, b.lo), times(a.hi, b.hi)]),
      };
    case '/':
      if (b.v === 0) return ZERO_DIVISOR;
      // The divisor could be zero within its rounding error: the quotient has no bound.
      if (b.lo <= 0 && b.hi >= 0) return { v: a.v / b.v, ...UNBOUNDED };
      return { v: a.v / b.v, ...hull([a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi]) };
  }
}

function interval(e: Expr, inputs: Map<RefNode, Interval>): Interval | typeof ZERO_DIVISOR {
  switch (e.kind) {
    case 'num':
      return { v: e.value, lo: e.value, hi: e.value };
    case 'ref': {
      const q = inputs.get(e);
      if (q === undefined) throw new Error(`internal: reference at column ${e.pos} not resolved`);
      return q;
    }
    case 'neg': {
      const a = interval(e.arg, inputs);
      return a === ZERO_DIVISOR ? a : { v: -a.v, lo: -a.hi, hi: -a.lo };
    }
    case 'bin': {
      const a = interval(e.left, inputs);
      if (a === ZERO_DIVISOR) return a;
      const b = interval(e.right, inputs);
      if (b === ZERO_DIVISOR) return b;
      return combine(e.op, a, b);
    }
  }
}

/**
 * Share formulas are computed as (N / D) × k whatever order they are written in, so
 * `100 * a / b` gives bit for bit the value the numerator/denominator path stores.
 */
function ratioOrder(expr: Expr): Expr {
  const r = splitRatio(expr);
  if (r === null) return expr;
  const pos = expr.pos;
  const q: Expr = { kind: 'bin', op: '/', left: r.numerator, right: r.denominator, pos };
  if (r.scale === 1) return q;
  return { kind: 'bin', op: '*', left: q, right: { kind: 'num', value: r.scale, pos }, pos };
}

/**
 * Evaluates `expr` with `resolve` giving the (already summed) quantity of each reference for
 * the region and period computed; `resolve` sees the whole RefNode, shift included, so the
 * caller picks the period. Missing data anywhere make the result undefined. A null input
 * (a special sign) makes the value null with the strongest sign among the null inputs; a
 * zero divisor gives null with `x` (no meaningful statement). References are independent
 * intervals even when one variable appears twice, so the error bound is safe, not tight.
 */
export function evaluate(
  expr: Expr,
  resolve: (ref: RefNode) => Quantity | undefined,
): Quantity | undefined {
  const quantities: Quantity[] = [];
  const inputs = new Map<RefNode, Interval>();
  const nullFlags: (Flag | null)[] = [];
  for (const ref of refsOf(expr)) {
    const q = resolve(ref);
    if (q === undefined) return undefined;
    quantities.push(q);
    if (q.value === null) nullFlags.push(q.flag);
    else inputs.set(ref, { v: q.value, lo: q.value - q.error, hi: q.value + q.error });
  }
  // A value without a number and without a sign is unknown: `.` is the sign for that.
  if (nullFlags.length > 0) return { value: null, flag: strongestFlag(nullFlags) ?? '.', error: 0 };

  const r = interval(ratioOrder(expr), inputs);
  if (r === ZERO_DIVISOR) return { value: null, flag: 'x', error: 0 };
  const error = Math.max(0, r.hi - r.v, r.v - r.lo);
  return {
    value: r.v === 0 ? 0 : r.v, // no -0 in stored values
    flag: strongestFlag(quantities.map((q) => q.flag)),
    error: Number.isNaN(error) ? Infinity : error,
  };
}
