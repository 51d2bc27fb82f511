/**
 * Test support only: region trees and values for the disclosure tests, and two attackers that
 * check disclosure control from outside. `recoverable` settles one relation at a time; `attack`
 * solves all relations jointly (dense Gauss–Jordan over exact fractions, right-hand sides
 * included, no components, no shortcuts). Both are written independently of the audit (audit.ts,
 * never imported here), so that the audit and the attackers check each other.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Region, RegionLevel } from '../../domain/index.ts';
import type { IndicatorValue } from '../../store/types.ts';
import type { RegionTree } from '../compute.ts';
import { disclose } from './disclose.ts';
import { relationsOf } from './relations.ts';
import { DEFAULT_DISCLOSURE, type DisclosedValue, type DisclosureRule } from './rules.ts';

export const reg = (
  code: string,
  level: RegionLevel,
  parentCode: string | null,
  additive = true,
): Region => ({
  code,
  level,
  name: code,
  parentCode,
  validFrom: null,
  validTo: null,
  additive,
  sameAs: null,
});

/** A RegionTree over plain regions; groups map an id to member codes. */
export function tree(regions: Region[], groups: Record<string, string[]> = {}): RegionTree {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const membersOf = (id: string): Region[] =>
    (groups[id] ?? []).flatMap((c) => byCode.get(c) ?? []);
  return {
    atLevel: (level) => regions.filter((r) => r.level === level),
    children: (code) =>
      regions.filter((r) => r.parentCode === code).sort((a, b) => (a.code < b.code ? -1 : 1)),
    get: (code) => byCode.get(code),
    groups: () => Object.keys(groups).map((id) => ({ id, name: id, kind: 'revier' as const })),
    members: (id, level) => membersOf(id).filter((r) => level === undefined || r.level === level),
    groupLevel: (id) => membersOf(id)[0]?.level ?? 'kreis',
    isValidIn: () => true,
  };
}

/** A value of indicator `abg` (period 2023, release 1) unless told otherwise. */
export const val = (
  regionCode: string,
  numerator: number | null,
  denominator: number | null,
  dimsKey = '',
  indicatorId = 'abg',
): IndicatorValue => ({
  indicatorId,
  regionCode,
  period: '2023',
  dimsKey,
  value: numerator !== null && denominator ? (numerator / denominator) * 100 : null,
  numerator,
  denominator,
  flag: null,
  errorBound: 0.1,
  method: 'published',
  releaseId: 1,
});

/**
 * A table without breakdowns and what disclosure control should make of it, one value a line:
 * region code, numerator, denominator (`.`: unknown) and, for a value to be suppressed,
 * `primary` or `secondary`. Gives the values and the `status` they should come out with.
 */
export function table(text: TemplateStringsArray): {
  values: IndicatorValue[];
  expected: Record<string, string>;
} {
  const rows = text.join('').trim().split('\n');
  const count = (c: string | undefined): number | null => (c === '.' ? null : Number(c));
  const values: IndicatorValue[] = [];
  const expected: Record<string, string> = {};
  for (const [code = '', n, d, kind = ''] of rows.map((r) => r.trim().split(/\s+/))) {
    values.push(val(code, count(n), count(d)));
    expected[`${code}|`] = kind;
  }
  return { values, expected };
}

export const W = 'geschlecht=weiblich';
export const M = 'geschlecht=maennlich';

/** Disclosure control with `abg` protected, by default as the public sees it. */
export const run = (
  values: IndicatorValue[],
  regions: RegionTree,
  rule: DisclosureRule = DEFAULT_DISCLOSURE.public,
): DisclosedValue[] => disclose({ values, regions, rule, protectedIndicators: new Set(['abg']) });

/** What a random world builds: values and the regions they are for. */
export interface Built {
  values: IndicatorValue[];
  regions: RegionTree;
}

/** A random world together with something drawn for its values (an order, cells to hide). */
export const withValues = <T, X>(
  worlds: fc.Arbitrary<T>,
  build: (world: T) => Built,
  draw: (values: IndicatorValue[]) => fc.Arbitrary<X>,
): fc.Arbitrary<[T, X]> =>
  worlds.chain((world) => fc.tuple(fc.constant(world), draw(build(world).values)));

/** Checks disclose on random tables: `check` gets the values, the output and the relations. */
export function forAllDisclosed<T>(
  worlds: fc.Arbitrary<T>,
  build: (world: T) => Built,
  numRuns: number,
  check: (values: IndicatorValue[], out: DisclosedValue[], rel: Rel[]) => void,
): void {
  fc.assert(
    fc.property(worlds, (world) => {
      const { values, regions } = build(world);
      const out = run(values, regions);
      check(values, out, relationsOf(values, regions));
    }),
    { numRuns },
  );
}

/** Checks that what `seen` reads of disclose's output does not depend on the input's order. */
export function orderIndependent<T>(
  worlds: fc.Arbitrary<T>,
  build: (world: T) => Built,
  numRuns: number,
  seen: (out: DisclosedValue[]) => unknown,
): void {
  const orders = withValues(worlds, build, (values) =>
    fc.shuffledSubarray(values, { minLength: values.length, maxLength: values.length }),
  );
  fc.assert(
    fc.property(orders, ([world, shuffled]) => {
      const { values, regions } = build(world);
      expect(seen(run(shuffled, regions))).toEqual(seen(run(values, regions)));
    }),
    { numRuns },
  );
}

export const key = (v: { regionCode: string; dimsKey: string }): string =>
  `${v.regionCode}|${v.dimsKey}`;

/** `code|dimsKey` → suppression kind ('' = published), for readable expectations. */
export const status = (out: DisclosedValue[]): Record<string, string> =>
  Object.fromEntries(out.map((v) => [key(v), v.suppressed ?? '']));

/** The `code|dimsKey` of the suppressed values, sorted. */
export const hiddenKeys = (out: DisclosedValue[]): string[] =>
  out.flatMap((v) => (v.suppressed ? [key(v)] : [])).sort();

export type Field = 'numerator' | 'denominator';
/** What an attacker reads of a cell: its two counts (null: unknown). */
export type Counts = Pick<IndicatorValue, Field>;
export type Rel = { total: number; parts: number[] };

/**
 * Cells an attacker can work out from the published ones: whenever a relation has exactly one
 * unknown member, total − sum of parts (or total − sum of the other parts) gives it; repeated
 * until nothing new is learned. Returns the suppressed cells among them.
 */
export function recoverable(out: DisclosedValue[], relations: Rel[], field: Field): number[] {
  const known = out.map((v) => v[field] !== null);
  for (let changed = true; changed;) {
    changed = false;
    for (const r of relations) {
      const unknown = [r.total, ...r.parts].filter((i) => !known[i]);
      if (unknown.length === 1) {
        known[unknown[0]!] = true;
        changed = true;
      }
    }
  }
  return out.flatMap((v, i) => (v.suppressed && known[i] ? [i] : []));
}

/** Exact fractions on BigInt pairs, always reduced, denominator > 0. */
export interface Frac {
  n: bigint;
  d: bigint;
}
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
export function frac(n: bigint, d = 1n): Frac {
  const g = gcd(n, d) || 1n;
  return d < 0n ? { n: -n / g, d: -d / g } : { n: n / g, d: d / g };
}
const minus = (a: Frac, b: Frac): Frac => frac(a.n * b.d - b.n * a.d, a.d * b.d);
const times = (a: Frac, b: Frac): Frac => frac(a.n * b.n, a.d * b.d);
const over = (a: Frac, b: Frac): Frac => frac(a.n * b.d, a.d * b.n);
/** A published count exactly (a double is a fraction with a power of two below). */
function exact(x: number): Frac {
  if (!Number.isFinite(x)) throw new Error(`not a count: ${x}`);
  let d = 1n;
  for (; !Number.isInteger(x); d *= 2n) x *= 2;
  return frac(BigInt(x), d);
}

/**
 * The joint attacker: writes every relation as Σ coefficient·unknown = −Σ coefficient·published
 * count, eliminates column by column over exact fractions (Gauss–Jordan on the whole system), and
 * reads off each unknown (a null count) whose row has no free column. Returns unknown cell →
 * recovered count, in ascending cell order.
 */
export function attack(
  cells: readonly Counts[],
  relations: readonly Rel[],
  field: Field,
): Map<number, Frac> {
  const hidden = (i: number): boolean => cells[i]![field] === null;
  const rows: { at: Map<number, Frac>; rhs: Frac }[] = [];
  for (const r of relations) {
    const at = new Map<number, Frac>();
    let rhs = frac(0n);
    const terms: [number, bigint][] = [
      [r.total, 1n],
      ...r.parts.map((p): [number, bigint] => [p, -1n]),
    ];
    for (const [cell, coef] of terms) {
      if (hidden(cell)) at.set(cell, minus(at.get(cell) ?? frac(0n), frac(-coef)));
      else rhs = minus(rhs, times(frac(coef), exact(cells[cell]![field]!)));
    }
    for (const [c, v] of at) if (v.n === 0n) at.delete(c);
    if (at.size > 0) rows.push({ at, rhs });
  }
  const pivotRow = new Map<number, (typeof rows)[number]>();
  const free = [...rows];
  for (let col = 0; col < cells.length; col++) {
    const p = free.findIndex((row) => row.at.has(col));
    if (p < 0) continue;
    const [pivot] = free.splice(p, 1);
    const lead = pivot!.at.get(col)!;
    for (const [c, v] of pivot!.at) pivot!.at.set(c, over(v, lead));
    pivot!.rhs = over(pivot!.rhs, lead);
    for (const row of rows) {
      const f = row === pivot ? undefined : row.at.get(col);
      if (f === undefined) continue;
      for (const [c, v] of pivot!.at) {
        const next = minus(row.at.get(c) ?? frac(0n), times(f, v));
        if (next.n === 0n) row.at.delete(c);
        else row.at.set(c, next);
      }
      row.rhs = minus(row.rhs, times(f, pivot!.rhs));
    }
    pivotRow.set(col, pivot!);
  }
  const recovered = new Map<number, Frac>();
  for (const [col, row] of pivotRow) if (row.at.size === 1) recovered.set(col, row.rhs);
  return recovered;
}

/** Hidden cells (suppressed in `out`) whose numerator or denominator the attacker recovers. */
export const leaks = (out: DisclosedValue[], relations: Rel[]): number[] =>
  [
    ...new Set(
      (['numerator', 'denominator'] as const).flatMap((f) =>
        [...attack(out, relations, f).keys()].filter((i) => out[i]!.suppressed),
      ),
    ),
  ].sort((a, b) => a - b);

/** The public view of a table with the given cells hidden (counts blanked). */
export const view = (values: IndicatorValue[], hidden: boolean[]): DisclosedValue[] =>
  values.map((v, i): DisclosedValue => {
    const shown: DisclosedValue = { ...v, suppressed: undefined };
    return hidden[i]
      ? { ...shown, numerator: null, denominator: null, suppressed: 'secondary' }
      : shown;
  });
