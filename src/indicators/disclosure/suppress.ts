/**
 * Suppression within one table: primary suppression of small counts, and the relation pass that
 * closes each additive relation on its own (secondary suppression).
 */
import type { IndicatorValue } from '../../store/types.ts';
import type { Relations } from './relations.ts';

/** Suppression state of a cell. */
export const OPEN = 0;
export const PRIMARY = 1;
export const SECONDARY = 2;

/** Primary suppression: a count in [1, minCount − 1]. */
export const isSmall = (count: number | null, minCount: number): boolean =>
  count !== null && count > 0 && count < minCount;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical order of the cells of one table: smallest numerator first, then region, dims. */
export const rank = (a: IndicatorValue, b: IndicatorValue): number =>
  // Two unknown numerators give NaN, which falls through to the codes like a tie.
  (a.numerator ?? Infinity) - (b.numerator ?? Infinity) ||
  cmp(a.regionCode, b.regionCode) ||
  cmp(a.dimsKey, b.dimsKey);
const before = (a: IndicatorValue, b: IndicatorValue): boolean => rank(a, b) < 0;

/**
 * Secondary suppression in one table, to a fixpoint. A relation is exposed when exactly one
 * member is suppressed and every other member's numerator (or every other denominator) is known:
 * total − sum of the others gives it away. A count that is already null (a `.` in the source) is
 * an unknown too, so it protects a suppressed cell as well as a suppression would.
 *
 * Work goes in rounds: the exposed relations of a round are handled in the order of their totals'
 * keys, never of the input, so the result does not depend on how the values were ordered. Only
 * relations that touch a cell suppressed in the previous round are looked at again.
 *
 * Returns the pass for the table; `from` names the cells suppressed since the state was last at
 * its fixpoint (default: all), as only their relations can be exposed. The pass returns the
 * cells it suppressed.
 */
export function relationPass(
  cells: IndicatorValue[],
  rel: Relations,
): (state: Uint8Array, from?: readonly number[]) => number[] {
  let state: Uint8Array = new Uint8Array(0);
  const n = cells.length;
  const count = rel.tag.length;
  const { start } = rel;
  // Relations of each cell in compressed form: memberOf[first[i] .. first[i + 1]).
  const first = new Int32Array(n + 1);
  for (const c of rel.cells) first[c + 1]!++;
  for (let i = 0; i < n; i++) first[i + 1]! += first[i]!;
  const memberOf = new Int32Array(first[n]!);
  const fill = first.slice(0, n);
  for (let r = 0; r < count; r++) {
    for (let k = start[r]!; k < start[r + 1]!; k++) memberOf[fill[rel.cells[k]!]!++] = r;
  }

  const exposed = (r: number): boolean => {
    let suppressed = 0;
    let nullNum = 0;
    let nullDen = 0;
    for (let k = start[r]!; k < start[r + 1]!; k++) {
      const i = rel.cells[k]!;
      if (state[i] !== OPEN) suppressed++;
      else {
        if (cells[i]!.numerator === null) nullNum++;
        if (cells[i]!.denominator === null) nullDen++;
      }
    }
    return suppressed === 1 && (nullNum === 0 || nullDen === 0);
  };
  // The open part with the smallest numerator loses least information; region code and dims key
  // break ties. Only when every part is hidden must the total go.
  const choose = (r: number): number => {
    let best = -1;
    for (let k = start[r]! + 1; k < start[r + 1]!; k++) {
      const p = rel.cells[k]!;
      if (state[p] === OPEN && (best < 0 || before(cells[p]!, cells[best]!))) best = p;
    }
    return best < 0 ? rel.cells[start[r]!]! : best;
  };
  const order = (a: number, b: number): number => {
    const ta = cells[rel.cells[start[a]!]!]!;
    const tb = cells[rel.cells[start[b]!]!]!;
    return (
      cmp(ta.dimsKey, tb.dimsKey) ||
      cmp(ta.regionCode, tb.regionCode) ||
      cmp(rel.tag[a]!, rel.tag[b]!)
    );
  };

  const seen = new Int32Array(count);
  let round = 0;
  const touching = (cellIds: number[]): number[] => {
    round++;
    const out: number[] = [];
    for (const c of cellIds) {
      for (let k = first[c]!; k < first[c + 1]!; k++) {
        const r = memberOf[k]!;
        if (seen[r] !== round) out.push(r);
        seen[r] = round;
      }
    }
    return out;
  };
  return (target, from) => {
    state = target;
    let frontier = touching(from ? [...from] : [...state.keys()].filter((i) => state[i] !== OPEN));
    const all: number[] = [];
    while (frontier.length > 0) {
      const added: number[] = [];
      for (const r of frontier.filter(exposed).sort(order)) {
        // An earlier choice in this round may already have covered this relation.
        if (!exposed(r)) continue;
        const c = choose(r);
        state[c] = SECONDARY;
        added.push(c);
      }
      frontier = touching(added);
      all.push(...added);
    }
    return all;
  };
}
