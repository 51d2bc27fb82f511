/**
 * Rounding allowed for by parts-vs-total and published-rate: how far each stored cell may lie from
 * the true count, from the rounding base the recipe recorded or the one the values show
 * (5er-Rundung, domain.md §3.5), so that only differences beyond rounding are reported.
 */
import { parseDimsKey, type Variable } from '../../domain/index.ts';
import type { ObservationRow } from '../../store/index.ts';
import { TOTAL_ITEM } from '../parts.ts';

/**
 * The rounding base a column's values show: 5 (or 3) when at least 10 non-zero values are all
 * multiples of it, 1 when not, null when there are too few values to tell. Ten exact counts are
 * all multiples of 5 by chance with probability 5^-10, so this finds rounding that a recipe did not
 * record (22811-05i: SGB XII and AsylbLG columns, 5er-Rundung of the Sozialhilfestatistik).
 */
export function inferBase(values: readonly number[]): number | null {
  const nonZero = values.filter((v) => v !== 0);
  if (nonZero.length < 10) return null;
  const multiple = (b: number): boolean => nonZero.every((v) => Number.isInteger(v) && v % b === 0);
  return multiple(5) ? 5 : multiple(3) ? 3 : 1;
}

/** Largest rounding error of each cell of one variable. */
export interface Rounding {
  errorOf(row: ObservationRow): number;
  /** The base the values show (rounding per Land may differ: NRW 5, SH 3). */
  baseOf(row: ObservationRow): number;
  /** Extra tolerance for figures whose levels are rounded separately (Tsd. EUR). */
  relative: number;
}

const landOf = (code: string): string => (/^\d/.test(code) ? code.slice(0, 2) : code);

export function roundingOf(rows: readonly ObservationRow[], variable: Variable): Rounding {
  let decimals = 0;
  const groups = new Map<string, number[]>();
  const keysOf = new Map<string, Set<string>>();
  const column = (r: ObservationRow): string => `${r.tableCode}|${landOf(r.regionCode)}`;
  for (const r of rows) {
    if (r.value === null) continue;
    decimals = Math.max(decimals, Math.min((String(r.value).split('.')[1] ?? '').length, 3));
    for (const k of [column(r), `${column(r)}|${r.dimsKey}`]) {
      const list = groups.get(k) ?? [];
      list.push(r.value);
      groups.set(k, list);
    }
    keysOf.set(column(r), (keysOf.get(column(r)) ?? new Set<string>()).add(r.dimsKey));
  }
  const inferred = new Map([...groups].map(([k, v]) => [k, inferBase(v)]));
  const base = (col: string, dims: string, recorded: number): number =>
    Math.max(recorded, inferred.get(`${col}|${dims}`) ?? inferred.get(col) ?? 1);
  // An unrounded total item (insgesamt) published as the sum of rounded items carries their
  // errors (22811-05i: insgesamt = SGB II, exact, + SGB XII and AsylbLG, 5er-gerundet).
  const cache = new Map<string, number>();
  const componentError = (col: string, dims: string): number => {
    const cached = cache.get(`${col}|${dims}`);
    if (cached !== undefined) return cached;
    const parsed = parseDimsKey(dims);
    let err = 0;
    for (const key of keysOf.get(col) ?? []) {
      const other = parseDimsKey(key);
      const differ = Object.keys(parsed).filter((d) => parsed[d] !== other[d]);
      const [d] = differ;
      if (differ.length === 1 && d !== undefined && parsed[d] === TOTAL_ITEM) {
        err += Math.floor(base(col, key, 1) / 2);
      }
    }
    cache.set(`${col}|${dims}`, err);
    return err;
  };
  // Values in Tsd. and annual averages are rounded to whole units (±0.5), decimals to their last.
  const whole = variable.unit.startsWith('Tsd') || /durchschnitt/i.test(variable.label);
  const halfStep = decimals > 0 ? 0.5 * 10 ** -decimals : whole ? 0.5 : 0;
  const baseOf = (r: ObservationRow): number => base(column(r), r.dimsKey, r.roundingBase);
  return {
    baseOf,
    errorOf: (r) => {
      const b = baseOf(r);
      return Math.max(b > 1 ? Math.floor(b / 2) : componentError(column(r), r.dimsKey), halfStep);
    },
    // National accounts and tax statistics compute each level on its own (the Bund even in Mio.).
    relative: variable.unit.startsWith('Tsd') ? 1e-6 : 0,
  };
}
