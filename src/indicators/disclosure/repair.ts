/**
 * Repair after the joint audit (audit.ts): suppresses more cells of a table until no hidden count
 * follows exactly from the published ones through all relations jointly.
 */
import {
  cancel,
  eliminate,
  equation,
  FIELDS,
  solve,
  unknownOf,
  type Counts,
  type Int,
  type Relation,
  type Row,
} from './audit.ts';

/**
 * The relations that can take part in settling cell j: those connected to j through unknown
 * cells. Any combination of relations that gives j stays inside them.
 */
function reach(
  relations: readonly Relation[],
  cellRels: readonly (readonly number[])[],
  unknown: Uint8Array,
  j: number,
): number[] {
  const seen = new Set<number>();
  const reached = new Set([j]);
  const stack = [j];
  while (stack.length > 0) {
    for (const r of cellRels[stack.pop()!]!) {
      if (seen.has(r)) continue;
      seen.add(r);
      for (const c of [relations[r]!.total, ...relations[r]!.parts]) {
        if (unknown[c] && !reached.has(c)) {
          reached.add(c);
          stack.push(c);
        }
      }
    }
  }
  return [...seen];
}

/**
 * How cell j is settled in one system, for testing further suppressions against it. Take the
 * relations that reach j and their reduced row echelon form over [unknowns | published cells],
 * the unknowns first so that they take the pivots. j's row then reads j = Σ own_u·u over
 * published cells u; rows pivoted on a published cell are the dependencies among the relations
 * (combinations in which every unknown cancels).
 */
interface Settlement {
  /** Published cells of those relations: where a further suppression can unsettle j. */
  cells: number[];
  own: Map<number, Int>;
  /** Per published cell, its coefficients in the dependencies: [dependency, coefficient]. */
  deps: Map<number, [number, Int][]>;
}

function settlement(
  relations: readonly Relation[],
  rels: readonly number[],
  unknown: Uint8Array,
  j: number,
  compare: (a: number, b: number) => number,
): Settlement {
  const col = new Map([[j, 0]]);
  const members = rels.flatMap((r) => [relations[r]!.total, ...relations[r]!.parts]);
  for (const c of members) if (unknown[c] && !col.has(c)) col.set(c, col.size);
  const width = col.size;
  // Published cells in canonical order: j's row then depends only on the table, not on how its
  // cells were ordered.
  const cells = [...new Set(members.filter((c) => !unknown[c]))].sort(compare);
  cells.forEach((c, k) => col.set(c, width + k));
  const basis = eliminate(rels.map((r) => equation(relations[r]!, (c) => col.get(c))));
  const own = new Map<number, Int>();
  const deps = new Map<number, [number, Int][]>();
  for (const [pivot, row] of basis) {
    if (pivot !== 0 && pivot < width) continue;
    row.cols.forEach((c, k) => {
      if (c < width) return;
      const cell = cells[c - width]!;
      if (pivot === 0) own.set(cell, row.vals[k]!);
      else {
        const list = deps.get(cell);
        if (list) list.push([pivot, row.vals[k]!]);
        else deps.set(cell, [[pivot, row.vals[k]!]]);
      }
    });
  }
  return { cells, own, deps };
}

/**
 * Whether hiding the published cells `hidden` (in these relations) unsettles j: some
 * combination still gives j unless j's row, restricted to the hidden cells, lies outside the
 * span of the dependencies restricted to them (no dependency can cancel what is now unknown).
 */
function unsettles(s: Settlement, hidden: readonly number[]): boolean {
  let target: Row = { cols: [], vals: [] };
  const rows = new Map<number, Row>();
  hidden.forEach((c, k) => {
    const v = s.own.get(c);
    if (v !== undefined) {
      target.cols.push(k);
      target.vals.push(v);
    }
    for (const [d, w] of s.deps.get(c) ?? []) {
      const row = rows.get(d) ?? { cols: [], vals: [] };
      row.cols.push(k);
      row.vals.push(w);
      rows.set(d, row);
    }
  });
  const basis = eliminate([...rows.values()]);
  for (const c of target.cols.filter((col) => basis.has(col))) {
    target = cancel(target, basis.get(c)!, c);
  }
  return target.cols.length > 0;
}

export interface LeakRepair {
  values: readonly Counts[];
  relations: readonly Relation[];
  /** Per cell: 0 published, otherwise why suppressed; repairs write `mark`. */
  state: Uint8Array;
  mark: number;
  /**
   * The one-relation pass: suppresses to its fixpoint, given the cells suppressed since the last
   * one, and returns the cells it added.
   */
  protect: (state: Uint8Array, from: readonly number[]) => number[];
  /** Canonical order of cells, cheapest to hide first (smallest numerator, then codes). */
  compare: (a: number, b: number) => number;
}

/**
 * Suppresses more cells until the joint audit finds nothing recoverable; returns how many it
 * added. Each round takes the first recoverable cell j (canonical order) and tries every published
 * cell u of the relations that settle j, together with what the relation pass then hides too.
 * The linear test (unsettles) screens the tries; the cheapest (fewest cells, then canonical
 * order) that a re-solve confirms wins. When no single cell will do, the cheapest cell that j's
 * formula uses goes, and the next round looks again. Every round hides at least one cell, so the
 * loop ends; the result depends only on the table, not on the order of its cells. A cell that the
 * relations fix without any published count is passed over: there is nothing left to withhold.
 */
export function repairLeaks(t: LeakRepair): number {
  const { values, relations, state, compare } = t;
  const cellRels: number[][] = values.map(() => []);
  relations.forEach((r, k) => {
    for (const c of [r.total, ...r.parts]) cellRels[c]!.push(k);
  });
  const before = state.slice();
  // Cells the relations fix without any published count (a forced 0, or an artefact of a
  // breakdown with a single item): no suppression can change that, so they are passed over.
  const beyond = new Set<number>();
  // Without null counts among the published cells both systems are one and the same.
  const check = () => {
    const unknown = FIELDS.map((f) => unknownOf(values, state, f));
    const same = unknown[0]!.every((u, i) => u === unknown[1]![i]);
    const solved = (same ? unknown.slice(0, 1) : unknown).map((u) => solve(relations, u));
    return { unknown, solved };
  };
  let { unknown, solved } = check();
  for (;;) {
    const leaks = [...state.keys()].filter(
      (i) => state[i] !== 0 && !beyond.has(i) && solved.some((d) => d[i]),
    );
    const j = leaks.sort(compare)[0];
    if (j === undefined) break;
    const fields = solved.flatMap((d, k) => (d[j] ? [k] : []));
    const settled = fields.map((k) => {
      const rels = reach(relations, cellRels, unknown[k]!, j);
      return { k, ...settlement(relations, rels, unknown[k]!, j, compare) };
    });
    if (settled.some((x) => x.own.size === 0)) {
      beyond.add(j);
      continue;
    }
    const stillSettled = (trial: Uint8Array): boolean =>
      settled.some(({ k }) => {
        const u = unknownOf(values, trial, FIELDS[k]!);
        const rels = reach(relations, cellRels, u, j).map((r) => relations[r]!);
        return solve(rels, u)[j] === 1;
      });
    const tries: { u: number; trial: Uint8Array; size: number; helps: boolean }[] = [];
    for (const u of new Set(settled.flatMap((x) => x.cells))) {
      const trial = state.slice();
      trial[u] = t.mark;
      const hidden = [u, ...t.protect(trial, [u])];
      const helps = settled.every((x) => unsettles(x, hidden));
      tries.push({ u, trial, size: hidden.length, helps });
    }
    tries.sort((a, b) => a.size - b.size || compare(a.u, b.u));
    // Some published cell is in j's formula (own is not empty), so a choice always exists.
    const choice =
      tries.find((x) => x.helps && !stillSettled(x.trial)) ??
      tries.find((x) => settled.some((s) => s.own.has(x.u)))!;
    state.set(choice.trial);
    ({ unknown, solved } = check());
  }
  return state.reduce((n, x, i) => n + (x !== before[i] ? 1 : 0), 0);
}
