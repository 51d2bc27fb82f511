/**
 * Interval evaluation: the share example of the indicator engine gives the same value and
 * error bound, flags and special signs propagate, zero divisors and missing data are handled,
 * and on random trees the true result for any inputs within their errors stays in the bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Flag } from '../../domain/index.ts';
import type { RefNode } from './ast.ts';
import { evaluate, MAX_FORMULA_LENGTH, parseFormula, refsOf, type Quantity } from './index.ts';
import { exprArb } from './test-helpers.ts';

const q = (value: number | null, flag: Flag | null = null, error = 0): Quantity => ({
  value,
  flag,
  error,
});

/** Evaluates `text` with quantities looked up by variable id. */
function run(text: string, data: Record<string, Quantity>): Quantity | undefined {
  return evaluate(parseFormula(text), (ref) => data[ref.variable]);
}

describe('evaluate: values and error bounds', () => {
  it('a share of rounded counts matches the numerator/denominator computation', () => {
    const r = run('100 * n / d', { n: q(150, null, 2), d: q(2560, null, 2) });
    const v = 5.859375;
    expect(r?.value).toBe(v);
    expect(r?.error).toBe(Math.max((152 / 2558) * 100 - v, v - (148 / 2562) * 100));
    expect(r?.flag).toBeNull();
  });

  it('every share shape gives bit for bit (n / d) * k', () => {
    const shapes = ['k * n / d', 'n * k / d', 'n / d * k', 'k * (n / d)'];
    fc.assert(
      fc.property(
        fc.nat({ max: 10 ** 7 }),
        fc.integer({ min: 1, max: 10 ** 7 }),
        fc.constantFrom(1, 100, 1000, 100_000),
        fc.constantFrom(...shapes),
        (n, d, k, shape) => {
          const r = run(shape.replace('k', String(k)), { n: q(n), d: q(d) });
          expect(r?.value).toBe((n / d) * k);
          expect(r?.error).toBe(0);
        },
      ),
    );
  });

  it('numbers are exact; errors add for sums and differences, multiply out for products', () => {
    expect(run('2 * 3 - 0.5', {})).toEqual(q(5.5));
    const data = { a: q(10, null, 1), b: q(20, null, 2) };
    expect(run('a + b', data)).toEqual(q(30, null, 3));
    expect(run('a - b', data)).toEqual(q(-10, null, 3));
    expect(run('-a', data)).toEqual(q(-10, null, 1));
    // [9, 11] × [18, 22] = [162, 242] around 200.
    expect(run('a * b', data)).toEqual(q(200, null, 42));
    expect(run('-0', {})).toEqual(q(0));
    expect(Object.is(run('-0', {})?.value, 0)).toBe(true);
  });

  it('a divisor that may be zero within its error gives an unbounded error', () => {
    const r = run('a / b', { a: q(5, null, 0.5), b: q(1, null, 2) });
    expect(r).toEqual(q(5, null, Infinity));
  });

  it('is safe on the longest allowed formula', () => {
    const n = Math.floor((MAX_FORMULA_LENGTH - 1) / 2);
    const text = `a${'+a'.repeat(n)}`;
    expect(run(text, { a: q(1, null, 0.5) })).toEqual(q(n + 1, null, (n + 1) / 2));
  });
});

describe('evaluate: flags, special signs, missing data', () => {
  it('carries the strongest flag of all inputs', () => {
    expect(run('a / b', { a: q(1, 'p'), b: q(4) })).toEqual(q(0.25, 'p'));
    expect(run('a / b', { a: q(1, 'p'), b: q(4, 'r') })).toEqual(q(0.25, 'p'));
  });

  it('a null input makes the value null with the strongest sign among null inputs', () => {
    expect(run('a + b', { a: q(1, 'p'), b: q(null, '.') })).toEqual(q(null, '.'));
    expect(run('a + b', { a: q(null, '-'), b: q(5, 'p') })).toEqual(q(null, '-'));
    expect(run('a + b + c', { a: q(null, '-'), b: q(null, '.'), c: q(1) })).toEqual(q(null, '.'));
    // A null without any sign is simply unknown.
    expect(run('a', { a: q(null) })).toEqual(q(null, '.'));
  });

  it('division by a zero value gives x (no meaningful statement)', () => {
    expect(run('100 * a / b', { a: q(3), b: q(0) })).toEqual(q(null, 'x'));
    expect(run('a + b / c', { a: q(3, 'p'), b: q(1), c: q(0, null, 2) })).toEqual(q(null, 'x'));
    expect(run('0 / b', { b: q(4) })).toEqual(q(0));
  });

  it('missing data anywhere gives no result', () => {
    expect(run('a / b', { a: q(1) })).toBeUndefined();
    expect(run('a / b', { b: q(1) })).toBeUndefined();
  });

  it('passes each reference with its shift to resolve, so the caller picks the period', () => {
    const expr = parseFormula('100 * (b - b@2011) / b@2011 + k / b@-1');
    const byPeriod: Record<string, number> = { now: 120, '2011': 100, '-1': 110 };
    const seen: RefNode[] = [];
    const r = evaluate(expr, (ref) => {
      seen.push(ref);
      if (ref.variable === 'k') return q(55);
      const key =
        ref.shift === null
          ? 'now'
          : ref.shift.kind === 'absolute'
            ? String(ref.shift.year)
            : String(ref.shift.years);
      return q(byPeriod[key] ?? null);
    });
    expect(seen).toEqual(refsOf(expr));
    expect(seen.map((s) => s.shift)).toEqual([
      null,
      { kind: 'absolute', year: 2011 },
      { kind: 'absolute', year: 2011 },
      null,
      { kind: 'relative', years: -1 },
    ]);
    expect(r?.value).toBeCloseTo(20 + 0.5, 12);
  });
});

describe('evaluate on random trees', () => {
  it('the exact result for any inputs within their errors lies within value ± error', () => {
    const input = fc.record({
      value: fc.integer({ min: -1000, max: 1000 }),
      error: fc.constantFrom(0, 0.5, 2, 50),
      at: fc.double({ min: -1, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(exprArb, fc.array(input, { minLength: 1, maxLength: 8 }), (expr, inputs) => {
        const nth = (ref: RefNode) => inputs[refsOf(expr).indexOf(ref) % inputs.length];
        const r = evaluate(expr, (ref) => {
          const i = nth(ref);
          return i && q(i.value, null, i.error);
        });
        const p = evaluate(expr, (ref) => {
          const i = nth(ref);
          return i && q(i.value + i.at * i.error);
        });
        if (r?.value === null || r?.value === undefined) return;
        if (p?.value === null || p?.value === undefined) return;
        if (!Number.isFinite(r.value) || !Number.isFinite(p.value)) return;
        const tolerance = 1e-9 * (1 + Math.abs(r.value) + Math.abs(p.value) + r.error);
        expect(Math.abs(p.value - r.value)).toBeLessThanOrEqual(r.error + tolerance);
      }),
      { numRuns: 1000 },
    );
  });
});
