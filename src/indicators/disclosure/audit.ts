/**
 * Joint audit of disclosure control. Secondary suppression (suppress.ts) stops recovery one
 * relation at a time; an attacker can write down every relation of a table at once (total − Σ
 * parts = 0, for numerators and for denominators), substitute the published cells and solve. A
 * hidden count is exactly recoverable iff its unit vector lies in the row space of the
 * coefficients over the unknown counts. This module decides that exactly (fraction-free integer
 * elimination, no tolerance); repair.ts suppresses more cells of a table until nothing is
 * recoverable.
 *
 * The model takes every relation as an exact equation, also one that is not quite (rounded
 * counts, a breakdown whose items do not cover the total): that errs on the side of hiding. Bounds
 * (counts are ≥ 0, a total bounds its parts) are not part of it: it stops exact recovery, not
 * narrowing a hidden count down to a range.
 */
import type { IndicatorValue } from '../../store/types.ts';

/** What the audit reads of a cell: its two counts (null: unknown even when published). */
export type Counts = Pick<IndicatorValue, 'numerator' | 'denominator'>;

/** One additive relation of a table, as indexes into its cells: total = Σ parts. */
export interface Relation {
  total: number;
  parts: readonly number[];
}

/**
 * An exact integer: a plain number while it is a safe integer (nearly always: coefficients start
 * at ±1 and rows are kept divided by their gcd), a BigInt beyond. Zero is always the number 0.
 */
export type Int = number | bigint;

/** A sparse row with integer coefficients, columns ascending, no zeros. */
export interface Row {
  cols: number[];
  vals: Int[];
}

type Field = 'numerator' | 'denominator';
export const FIELDS: readonly Field[] = ['numerator', 'denominator'];

/** 1 where the reader does not know the count: the cell is hidden, or null at the source. */
export const unknownOf = (values: readonly Counts[], hidden: ArrayLike<unknown>, field: Field) =>
  Uint8Array.from(values, (v, i) => (hidden[i] || v[field] === null ? 1 : 0));

/**
 * The suppressed cells of one table whose numerator or whose denominator follows exactly from
 * the published counts through all relations jointly; ascending indexes. Published cells with a
 * null count are unknowns too, never targets.
 */
export function recoverableCells(
  values: readonly Counts[],
  relations: readonly Relation[],
  suppressed: readonly boolean[],
): number[] {
  const solved = FIELDS.map((f) => solve(relations, unknownOf(values, suppressed, f)));
  return values.flatMap((_, i) => (suppressed[i] && solved.some((d) => d[i]) ? [i] : []));
}

/**
 * Unknown cells (unknown[i] = 1) that every solution of the relations gives the same value: 1 in
 * the result. A relation with a single open unknown settles it directly (as the one-relation
 * attacker would); what remains splits into connected components, mostly tiny, each eliminated
 * on its own.
 */
export function solve(relations: readonly Relation[], unknown: Uint8Array): Uint8Array {
  const det = new Uint8Array(unknown.length);
  const rows = relations.map((r) => equation(r, (c) => (unknown[c] ? c : undefined)));
  // Relations of each unknown, and how many of a relation's unknowns are still open.
  const rowsOf = new Map<number, number[]>();
  const open = rows.map((row, k) => {
    for (const c of row.cols) {
      const list = rowsOf.get(c);
      if (list) list.push(k);
      else rowsOf.set(c, [k]);
    }
    return row.cols.length;
  });
  const single = open.flatMap((count, k) => (count === 1 ? [k] : []));
  for (let k = single.pop(); k !== undefined; k = single.pop()) {
    const c = rows[k]!.cols.find((col) => !det[col]);
    if (c === undefined) continue;
    det[c] = 1;
    for (const r of rowsOf.get(c)!) if (--open[r]! === 1) single.push(r);
  }

  // Components over the open unknowns of relations that still hold two or more of them.
  const parent = new Int32Array(unknown.length).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const live = rows.filter((_, k) => open[k]! >= 2);
  for (const row of live) {
    const first = find(row.cols.find((c) => !det[c])!);
    for (const c of row.cols) if (!det[c]) parent[find(c)] = first;
  }
  const components = new Map<number, Row[]>();
  for (const row of live) {
    const root = find(row.cols.find((c) => !det[c])!);
    // Determined unknowns are constants now: dropping their columns keeps the answer.
    const list = components.get(root);
    if (list) list.push(dropColumns(row, det));
    else components.set(root, [dropColumns(row, det)]);
  }
  for (const component of components.values()) {
    for (const [c, row] of eliminate(component)) if (row.cols.length === 1) det[c] = 1;
  }
  return det;
}

/** total − Σ parts over the cells with a column (colOf), duplicates merged. */
export function equation(r: Relation, colOf: (cell: number) => number | undefined): Row {
  const terms: [number, number][] = [];
  const add = (cell: number, v: number): void => {
    const c = colOf(cell);
    if (c !== undefined) terms.push([c, v]);
  };
  add(r.total, 1);
  for (const p of r.parts) add(p, -1);
  terms.sort((a, b) => a[0] - b[0]);
  const row: Row = { cols: [], vals: [] };
  for (const [c, v] of terms) {
    const last = row.cols.length - 1;
    if (row.cols[last] === c) row.vals[last] = (row.vals[last] as number) + v;
    else {
      row.cols.push(c);
      row.vals.push(v);
    }
  }
  return dropColumns(row, NONE);
}
const NONE = new Uint8Array(0);

/** The row without the columns marked in `drop` and without zero coefficients. */
function dropColumns(row: Row, drop: Uint8Array): Row {
  const out: Row = { cols: [], vals: [] };
  row.cols.forEach((c, k) => {
    const v = row.vals[k]!;
    if (v !== 0 && !drop[c]) {
      out.cols.push(c);
      out.vals.push(v);
    }
  });
  return out;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const fit = (v: bigint): Int => (v <= SAFE && v >= -SAFE ? Number(v) : v);
const wide = (v: Int): bigint => (typeof v === 'bigint' ? v : BigInt(v));

/** a·x − b·y exactly: in doubles while every step is a safe integer, else in BigInt. */
function mulSub(a: Int, x: Int, b: Int, y: Int): Int {
  if (typeof a === 'number' && typeof x === 'number' && typeof b === 'number') {
    if (typeof y === 'number') {
      const p = a * x;
      const q = b * y;
      const r = p - q;
      if (Number.isSafeInteger(p) && Number.isSafeInteger(q) && Number.isSafeInteger(r)) return r;
    }
  }
  return fit(wide(a) * wide(x) - wide(b) * wide(y));
}

function gcd(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    a = Math.abs(a);
    b = Math.abs(b);
    while (b !== 0) [a, b] = [b, a % b];
    return a;
  }
  let x = wide(a) < 0n ? -wide(a) : wide(a);
  let y = wide(b) < 0n ? -wide(b) : wide(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return fit(x);
}

const coefficient = (row: Row, col: number): Int => {
  // Binary search: rows stay sorted by column.
  let lo = 0;
  let hi = row.cols.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = row.cols[mid]!;
    if (c === col) return row.vals[mid]!;
    if (c < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
};

/**
 * a·row − b·pivot with a, b chosen to cancel column `col`, divided by the gcd of its entries:
 * fraction-free and exact, and the gcd keeps the integers as small as the rationals would be.
 */
export function cancel(row: Row, pivot: Row, col: number): Row {
  const a = coefficient(pivot, col);
  const b = coefficient(row, col);
  const out: Row = { cols: [], vals: [] };
  let i = 0;
  let j = 0;
  let g: Int = 0;
  while (i < row.cols.length || j < pivot.cols.length) {
    const ci = row.cols[i] ?? Infinity;
    const cj = pivot.cols[j] ?? Infinity;
    const c = Math.min(ci, cj);
    const v = mulSub(a, ci === c ? row.vals[i++]! : 0, b, cj === c ? pivot.vals[j++]! : 0);
    if (v !== 0) {
      out.cols.push(c);
      out.vals.push(v);
      g = gcd(g, v);
    }
  }
  if (g !== 1) {
    out.vals = out.vals.map((v) =>
      typeof v === 'number' && typeof g === 'number' ? v / g : fit(wide(v) / wide(g)),
    );
  }
  return out;
}

/**
 * Incremental reduced row echelon form of one component. Every basis row keeps its pivot column
 * and no other basis row's pivot, so reducing a new row against the basis never brings a pivot
 * back. A column is determined iff it is a pivot whose row has no other entry (no free column).
 */
export function eliminate(rows: readonly Row[]): Map<number, Row> {
  const basis = new Map<number, Row>();
  for (let row of rows) {
    for (const c of row.cols.filter((col) => basis.has(col))) {
      row = cancel(row, basis.get(c)!, c);
    }
    const pivot = row.cols[0];
    if (pivot === undefined) continue;
    for (const [c, other] of basis) {
      if (coefficient(other, pivot) !== 0) basis.set(c, cancel(other, row, pivot));
    }
    basis.set(pivot, row);
  }
  return basis;
}
