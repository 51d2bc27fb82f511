/**
 * Disclosure control (Geheimhaltung, domain.md §3.6) applied to indicator values before they leave
 * bimo for an audience. Primary suppression hides cells with too few cases; secondary suppression
 * hides further cells until no hidden cell can be recomputed from the published cells of the same
 * table (indicator, period, release) through its additive relations: a region is the sum of its
 * children, a group the sum of its members, a breakdown total the sum of its items. A fast pass
 * closes each relation on its own (suppress.ts); the joint audit (audit.ts, repair.ts) then closes
 * what several relations solved together would still give away.
 */
import type { IndicatorValue } from '../../store/types.ts';
import { buildRelations, listed, regionIndex, tablesOf } from './relations.ts';
import { repairLeaks } from './repair.ts';
import type { DisclosedValue, DisclosureInput } from './rules.ts';
import { isSmall, OPEN, PRIMARY, rank, relationPass, SECONDARY } from './suppress.ts';

/** The value without a `suppressed` entry of its own (the store's per-audience map). */
function plain(v: IndicatorValue): DisclosedValue {
  if (!('suppressed' in v)) return v as DisclosedValue;
  const copy: Record<string, unknown> = { ...v };
  delete copy.suppressed;
  return copy as DisclosedValue;
}

/** A suppressed value as every reader sees it: no value, no counts, sign `.`. */
const BLANK: Partial<DisclosedValue> = {
  value: null,
  numerator: null,
  denominator: null,
  errorBound: 0,
  flag: '.',
};

/**
 * Applies the rule to the protected indicators' values; the result keeps the input order.
 * Suppressed values lose value and counts and carry `.` (geheim zu halten).
 */
export function disclose(input: DisclosureInput): DisclosedValue[] {
  const { values, regions, rule, protectedIndicators } = input;
  const positions: number[] = [];
  const cells: IndicatorValue[] = [];
  const primary: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!protectedIndicators.has(v.indicatorId)) continue;
    if (isSmall(v.numerator, rule.minCount) || isSmall(v.denominator, rule.minCount)) {
      primary.push(cells.length);
    }
    positions.push(i);
    cells.push(v);
  }
  const state = new Uint8Array(cells.length);
  for (const i of primary) state[i] = PRIMARY;
  if (rule.secondary && primary.length > 0) {
    const index = regionIndex(regions);
    for (const members of tablesOf(cells)) {
      if (!members.some((i) => state[i] !== OPEN)) continue;
      const local = Uint8Array.from(members, (i) => state[i]!);
      const tableCells = members.map((i) => cells[i]!);
      const rel = buildRelations(tableCells, index);
      const protect = relationPass(tableCells, rel);
      protect(local);
      // The relation pass stops recovery one relation at a time; the joint audit then adds
      // cells until no combination of relations gives a hidden count away either.
      repairLeaks({
        values: tableCells,
        relations: listed(rel),
        state: local,
        mark: SECONDARY,
        protect,
        compare: (a, b) => rank(tableCells[a]!, tableCells[b]!),
      });
      members.forEach((i, k) => (state[i] = local[k]!));
    }
  }

  // Unsuppressed values are passed on as they are, less a stored per-audience map.
  const out = values.map(plain);
  positions.forEach((p, i) => {
    const s = state[i];
    if (s === OPEN) return;
    const suppressed = s === PRIMARY ? 'primary' : 'secondary';
    // Copying first keeps further fields; assigning is faster than spreading with overrides.
    out[p] = Object.assign({ ...out[p]! }, BLANK, { suppressed });
  });
  return out;
}
