/**
 * Joint audit of disclosure control. Secondary suppression (disclosure.ts) looks at one relation
 * at a time; an attacker can write down every relation of a table at once (total − Σ parts = 0,
 * for numerators and for denominators), substitute the published cells and solve. A suppressed
 * cell is exactly recoverable iff its unit vector lies in the row space of the coefficient matrix
 * over the unknown cells. This module decides that exactly (integer elimination with BigInt, no
 * tolerance) and lets disclosure.ts add suppressions until nothing is recoverable.
 */
import type { IndicatorValue } from '../store/types.ts';

/** What the audit reads of a cell: its two counts (null: unknown even when published). */
export type Counts = Pick<IndicatorValue, 'numerator' | 'denominator'>;

/** One additive relation of a table, as indexes into its cells: total = Σ parts. */
export interface Relation {
  total: number;
  parts: readonly number[];
}

/** A sparse row with integer coefficients, columns ascending. */
interface Row {
  cols: number[];
  vals: bigint[];
}

/**
 * The suppressed cells of one table whose numerator or whose denominator follows exactly from
 * the published cells through all relations jointly; ascending indexes.
 */
export function recoverableCells(
  values: readonly Counts[],
  relations: readonly Relation[],
  suppressed: readonly boolean[],
): number[] {
  const n = values.length;
  const unknownNum = new Uint8Array(n);
  const unknownDen = new Uint8Array(n);
  let same = true;
  for (let i = 0; i < n; i++) {
    unknownNum[i] = suppressed[i] || values[i]!.numerator === null ? 1 : 0;
    unknownDen[i] = suppressed[i] || values[i]!.denominator === null ? 1 : 0;
    if (unknownNum[i] !== unknownDen[i]) same = false;
  }
  // Without unknown counts among the published cells both systems have the same matrix.
  const byNum = determinedCells(relations, unknownNum);
  const byDen = same ? byNum : determinedCells(relations, unknownDen);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (suppressed[i] && (byNum[i] || byDen[i])) out.push(i);
  return out;
}

/**
 * Unknown cells (unknown[i] = 1) that every solution of the relations gives the same value: 1 in
 * the result. Relations with a single open unknown settle it directly (peeling, as a one-relation
 * attacker would); what remains splits into connected components, mostly tiny, each eliminated
 * on its own.
 */
export function determinedCells(
  relations: readonly Relation[],
  unknown: Uint8Array,
): Uint8Array {
  const n = unknown.length;
  const det = new Uint8Array(n);
  const rows: Row[] = [];
  for (const r of relations) {
    const row = equation(r, (c) => (unknown[c] ? c : undefined));
    if (row.cols.length > 0) rows.push(row);
  }
  // Rows of each unknown, and how many of a row's unknowns are still open.
  const rowsOf = new Map<number, number[]>();
  const open = rows.map((row, k) => {
    for (const c of row.cols) {
      const list = rowsOf.get(c);
      if (list) list.push(k);
      else rowsOf.set(c, [k]);
    }
    return row.cols.length;
  });
  const queue = open.flatMap((count, k) => (count === 1 ? [k] : []));
  while (queue.length > 0) {
    const row = rows[queue.pop()!]!;
    const c = row.cols.find((col) => !det[col]);
    if (c === undefined) continue;
    det[c] = 1;
    for (const k of rowsOf.get(c)!) if (--open[k]! === 1) queue.push(k);
  }

  // Components over the open unknowns of rows that still hold two or more of them.
  const parent = new Int32Array(n).map((_, i) => i);
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
    const list = components.get(root);
    // Determined unknowns are constants now: dropping their columns keeps the answer.
    const kept = dropColumns(row, det);
    if (list) list.push(kept);
    else components.set(root, [kept]);
  }
  for (const component of components.values()) {
    for (const [c, row] of eliminate(component)) if (row.cols.length === 1) det[c] = 1;
  }
  return det;
}

/** total − Σ parts over the cells with a column (colOf), duplicates merged. */
function equation(r: Relation, colOf: (cell: number) => number | undefined): Row {
  const terms: [number, bigint][] = [];
  const add = (cell: number, v: bigint): void => {
    const c = colOf(cell);
    if (c !== undefined) terms.push([c, v]);
  };
  add(r.total, 1n);
  for (const p of r.parts) add(p, -1n);
  terms.sort((a, b) => a[0] - b[0]);
  const row: Row = { cols: [], vals: [] };
  for (const [c, v] of terms) {
    const last = row.cols.length - 1;
    if (row.cols[last] === c) row.vals[last]! += v;
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
    if (v !== 0n && !drop[c]) {
      out.cols.push(c);
      out.vals.push(v);
    }
  });
  return out;
}

const abs = (v: bigint): bigint => (v < 0n ? -v : v);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

const coefficient = (row: Row, col: number): bigint => {
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
  return 0n;
};

/**
 * a·row − b·pivot with a, b chosen to cancel column `col`, divided by the gcd of its entries:
 * fraction-free and exact, and the gcd keeps the integers as small as the rationals would be.
 */
function cancel(row: Row, pivot: Row, col: number): Row {
  const a = coefficient(pivot, col);
  const b = coefficient(row, col);
  const out: Row = { cols: [], vals: [] };
  let i = 0;
  let j = 0;
  let g = 0n;
  while (i < row.cols.length || j < pivot.cols.length) {
    const ci = row.cols[i] ?? Infinity;
    const cj = pivot.cols[j] ?? Infinity;
    const c = Math.min(ci, cj);
    const v = (ci === c ? a * row.vals[i++]! : 0n) - (cj === c ? b * pivot.vals[j++]! : 0n);
    if (v !== 0n) {
      out.cols.push(c);
      out.vals.push(v);
      g = gcd(g, v);
    }
  }
  if (g > 1n) out.vals = out.vals.map((v) => v / g);
  return out;
}

/**
 * Incremental reduced row echelon form of one component. Every basis row keeps its pivot column
 * and no other basis row's pivot, so reducing a new row against the basis never brings a pivot
 * back. A column is determined iff it is a pivot whose row has no other entry (no free column).
 */
function eliminate(rows: readonly Row[]): Map<number, Row> {
  const basis = new Map<number, Row>();
  for (let row of rows) {
    for (const c of row.cols.filter((col) => basis.has(col))) {
      row = cancel(row, basis.get(c)!, c);
    }
    const pivot = row.cols[0];
    if (pivot === undefined) continue;
    for (const [c, other] of basis) {
      if (coefficient(other, pivot) !== 0n) basis.set(c, cancel(other, row, pivot));
    }
    basis.set(pivot, row);
  }
  return basis;
}
