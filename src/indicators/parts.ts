/**
 * The counts a formula reads, one variable at a time: its cells by region, year and dimension
 * items, summed over the items a reference names (other dimensions at their total), with flags
 * and the error that rounded inputs can cause. A breakdown item that the table leaves out but
 * implies (männlich = insgesamt − weiblich) is derived here, so gaps can be computed.
 */
import { dimsKey, parseDimsKey, strongestFlag, type Dims, type Variable } from '../domain/index.ts';
import type { ObservationRow } from '../store/index.ts';
import type { Quantity } from './formula/index.ts';

/** The item code every recipe uses for a dimension's total. */
export const TOTAL_ITEM = 'insgesamt';

/**
 * Two-item partitions of a dimension's total: where a table publishes the total and one item,
 * the other is their difference (21111 publishes insgesamt and weiblich only).
 */
export const COMPLEMENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  geschlecht: { weiblich: 'maennlich', maennlich: 'weiblich' },
  nationalitaet: { deutsch: 'auslaendisch', auslaendisch: 'deutsch' },
};

export type Part = Quantity;

/** Sum of parts: null if any part is null (its sign wins), errors add up. */
export function sumParts(parts: readonly Part[]): Part {
  // `-` counted as zero and `0` (less than half a unit) describe their own cell only: a sum of
  // several parts with a real total carries no such sign (ARCHITECTURE §5: signs are never a value).
  const flag = strongestFlag(
    parts.map((p) =>
      parts.length > 1 && p.value !== null && (p.flag === '-' || p.flag === '0') ? null : p.flag,
    ),
  );
  if (parts.some((p) => p.value === null)) {
    return {
      value: null,
      flag: strongestFlag(parts.filter((p) => p.value === null).map((p) => p.flag)),
      error: 0,
    };
  }
  return {
    value: parts.reduce((s, p) => s + (p.value ?? 0), 0),
    flag,
    error: parts.reduce((s, p) => s + p.error, 0),
  };
}

function difference(total: Part, part: Part): Part {
  const flag = strongestFlag([total.flag, part.flag]);
  if (total.value === null || part.value === null) {
    return { value: null, flag: flag ?? '.', error: 0 };
  }
  return { value: total.value - part.value, flag, error: total.error + part.error };
}

/** A selection item's dims key and, per complement-able item, the total's and sibling's keys. */
interface CellKeys {
  key: string;
  complements: [string, string][];
}

const yearOf = (period: string): number => Number(period.slice(0, 4));

/** One variable's cells, keyed `region|year|dimsKey`. */
export class PartIndex {
  private readonly cells = new Map<string, Part>();
  readonly dimensions: string[];
  /** Non-total items per dimension, as the data have them (plus derivable complements). */
  readonly items = new Map<string, Set<string>>();
  readonly years = new Set<number>();
  /** `region|year` pairs with any cell: most regions of a large registry have none (fast miss). */
  private readonly regionYears = new Set<string>();
  /** Dims keys of a selection's Dims and of their complements, built once per Dims object. */
  private readonly keyCache = new WeakMap<Dims, CellKeys>();

  constructor(
    rows: readonly ObservationRow[],
    readonly variable: Variable | undefined,
  ) {
    for (const r of rows) {
      const parsed = parseDimsKey(r.dimsKey);
      for (const [d, item] of Object.entries(parsed)) {
        const set = this.items.get(d) ?? new Set<string>();
        if (item !== TOTAL_ITEM) set.add(item);
        this.items.set(d, set);
      }
      // `-` may count as 0 only where the recipe says "nothing" is meant.
      const dashZero = r.value === null && r.flag === '-' && variable?.dashIsZero === true;
      const year = yearOf(r.period);
      this.years.add(year);
      this.regionYears.add(`${r.regionCode}|${year}`);
      this.cells.set(`${r.regionCode}|${year}|${r.dimsKey}`, {
        value: dashZero ? 0 : r.value,
        flag: r.flag,
        // Rounding to a multiple of b moves a count by at most b/2 (5er-Rundung: ±2).
        error: Math.floor(r.roundingBase / 2),
      });
    }
    for (const [d, set] of this.items) {
      for (const item of [...set]) {
        const other = COMPLEMENTS[d]?.[item];
        if (other) set.add(other);
      }
    }
    this.dimensions = [...this.items.keys()].sort();
  }

  get additive(): boolean {
    return this.variable?.additive ?? false;
  }

  /** The dims keys a selection needs: named items per dimension, the total for the others. */
  keys(selection: Readonly<Record<string, readonly string[]>>): Dims[] {
    let combos: Dims[] = [{}];
    for (const dim of this.dimensions) {
      const items = selection[dim] ?? [TOTAL_ITEM];
      combos = combos.flatMap((c) => items.map((i) => ({ ...c, [dim]: i })));
    }
    return combos;
  }

  /** A cell as published, or the complement derived from the total and its sibling. */
  private cell(region: string, year: number, dims: Dims): Part | undefined {
    let keys = this.keyCache.get(dims);
    if (!keys) {
      keys = { key: dimsKey(dims), complements: [] };
      for (const [dim, item] of Object.entries(dims)) {
        const sibling = COMPLEMENTS[dim]?.[item];
        if (!sibling) continue;
        keys.complements.push([
          dimsKey({ ...dims, [dim]: TOTAL_ITEM }),
          dimsKey({ ...dims, [dim]: sibling }),
        ]);
      }
      this.keyCache.set(dims, keys);
    }
    const at = `${region}|${year}|`;
    const direct = this.cells.get(at + keys.key);
    if (direct) return direct;
    for (const [totalKey, otherKey] of keys.complements) {
      const total = this.cells.get(at + totalKey);
      const other = this.cells.get(at + otherKey);
      if (total && other) return difference(total, other);
    }
    return undefined;
  }

  /** The sum over the selection for one region as published; undefined if a cell is missing. */
  published(region: string, year: number, selection: Dims[]): Part | undefined {
    // At Germany scale most lookups are for regions without any cell (every Gemeinde for a
    // Kreis table): answer those without building a key per selection item.
    if (selection.length > 0 && !this.regionYears.has(`${region}|${year}`)) return undefined;
    const parts: Part[] = [];
    for (const dims of selection) {
      const p = this.cell(region, year, dims);
      if (!p) return undefined;
      parts.push(p);
    }
    return sumParts(parts);
  }
}
