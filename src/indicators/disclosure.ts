/**
 * Disclosure control (Geheimhaltung, domain.md §3.6) applied to indicator values before they leave
 * bimo for an audience. Primary suppression hides cells with too few cases; secondary suppression
 * hides further cells until no hidden cell can be recomputed from the published cells of the same
 * table (indicator, period, release) through an additive relation: a region is the sum of its
 * children, a group the sum of its members, a breakdown total the sum of its items.
 */
import { dimsKey as toDimsKey, parseDimsKey, type Region } from '../domain/index.ts';
import type { Audience, IndicatorValue } from '../store/types.ts';
import type { RegionTree } from './compute.ts';
import { repairLeaks } from './disclosure-audit.ts';

export interface DisclosureRule {
  /** Counts in [1, minCount − 1] are suppressed; 0 and 1 switch primary suppression off. */
  minCount: number;
  /** Protect suppressed cells against recalculation from totals. */
  secondary: boolean;
}

/** The public sees official practice (3 cases, secondary suppression); the committee sees all. */
export const DEFAULT_DISCLOSURE: Record<Audience, DisclosureRule> = {
  public: { minCount: 3, secondary: true },
  member: { minCount: 0, secondary: false },
};

/**
 * A value after one rule: `suppressed` says why it is blanked. The store keeps one such entry per
 * audience (IndicatorValue.suppressed); an incoming map of that kind is dropped here.
 */
export type DisclosedValue = Omit<IndicatorValue, 'suppressed'> & {
  suppressed?: 'primary' | 'secondary';
};

export interface DisclosureInput {
  /** May mix indicators, periods, releases and dims keys. */
  values: IndicatorValue[];
  regions: RegionTree;
  rule: DisclosureRule;
  /** Indicator ids to which control applies (protect: true); other indicators pass unchanged. */
  protectedIndicators: ReadonlySet<string>;
}

/**
 * The relations of one table in flat form (a few hundred thousand at Gemeinde level): relation r
 * has the cells cells[start[r] .. start[r + 1]), the total first, then the parts that add up to
 * it; `tag` tells relations with the same total apart (h: hierarchy, g: group, d:<dim>: items).
 */
interface Relations {
  start: number[];
  cells: number[];
  tag: string[];
}

const OPEN = 0;
const PRIMARY = 1;
const SECONDARY = 2;

/**
 * Region codes as small ids, with the ids of the units that add up to each region: its additive
 * children, or a group's additive members at the group's level. Non-additive units (05334002
 * Aachen, Berlin Bezirke) lie inside a sibling and are never a part.
 */
function regionIndex(tree: RegionTree) {
  const groups = new Set(tree.groups().map((g) => g.id));
  const ids = new Map<string, number>();
  const codes: string[] = [];
  const parts: (number[] | undefined)[] = [];
  const id = (code: string): number => {
    let i = ids.get(code);
    if (i === undefined) ids.set(code, (i = codes.push(code) - 1));
    return i;
  };
  const unitsOf = (code: string): Region[] => {
    if (groups.has(code)) return tree.members(code, tree.groupLevel(code));
    return tree.get(code) === undefined ? [] : tree.children(code);
  };
  const partsOf = (i: number): number[] =>
    (parts[i] ??= unitsOf(codes[i] ?? '')
      .filter((r) => r.additive)
      .map((r) => id(r.code)));
  return {
    id,
    partsOf,
    size: () => codes.length,
    isGroup: (i: number) => groups.has(codes[i] ?? ''),
  };
}
type RegionIndex = ReturnType<typeof regionIndex>;

/** The cells of one dims key in a table, by region id (-1: absent). */
interface Slice {
  at: Int32Array;
  cells: number[];
}

/**
 * Present parts of a region; a part without a value (an RB where only Kreise were computed) is
 * replaced by its own present parts, which still add up to it.
 */
function collectParts(index: RegionIndex, at: Int32Array, id: number, out: number[]): void {
  for (const p of index.partsOf(id)) {
    const k = at[p] ?? -1;
    if (k >= 0) out.push(k);
    else collectParts(index, at, p, out);
  }
}

/** Breakdown parents of a dims key: the key without one dimension, per dimension. */
function dimParents(key: string): { dim: string; parent: string }[] {
  // Fast path for the usual single-dimension key (`geschlecht=weiblich`).
  if (!key.includes(';')) return [{ dim: key.slice(0, key.indexOf('=')), parent: '' }];
  const dims = parseDimsKey(key);
  return Object.keys(dims).map((dim) => ({
    dim,
    parent: toDimsKey(Object.fromEntries(Object.entries(dims).filter(([d]) => d !== dim))),
  }));
}

/** The relations among the cells of one table. */
function buildRelations(cells: IndicatorValue[], index: RegionIndex): Relations {
  const regionOf = cells.map((c) => index.id(c.regionCode));
  const size = index.size();
  const slices = new Map<string, Slice>();
  cells.forEach((c, k) => {
    let s = slices.get(c.dimsKey);
    if (s === undefined)
      slices.set(c.dimsKey, (s = { at: new Int32Array(size).fill(-1), cells: [] }));
    // A duplicate cell (same key twice) takes part under its first occurrence only.
    const r = regionOf[k] ?? 0;
    if (s.at[r] === -1) s.cells.push((s.at[r] = k));
  });
  const rel: Relations = { start: [0], cells: [], tag: [] };
  const parts: number[] = [];
  const add = (total: number, tag: string): void => {
    if (parts.length === 0) return;
    rel.cells.push(total);
    for (const p of parts) rel.cells.push(p);
    rel.start.push(rel.cells.length);
    rel.tag.push(tag);
    parts.length = 0;
  };
  for (const s of slices.values()) {
    for (const k of s.cells) {
      const r = regionOf[k] ?? 0;
      collectParts(index, s.at, r, parts);
      add(k, index.isGroup(r) ? 'g' : 'h');
    }
  }
  // Items of one dimension lie in several slices. With one item beside the total the pair
  // reveals the rest (total − item); as a relation {total, item} the general rule hides both or
  // neither, which protects either side.
  const families = new Map<string, { total: Slice; items: Slice[]; tag: string }>();
  for (const [dims, s] of slices) {
    for (const { dim, parent } of dims === '' ? [] : dimParents(dims)) {
      const total = slices.get(parent);
      const f = families.get(`${parent}#${dim}`);
      if (f) f.items.push(s);
      else if (total) families.set(`${parent}#${dim}`, { total, items: [s], tag: `d:${dim}` });
    }
  }
  for (const f of families.values()) {
    for (const k of f.total.cells) {
      const r = regionOf[k] ?? 0;
      for (const item of f.items) if ((item.at[r] ?? -1) >= 0) parts.push(item.at[r]!);
      add(k, f.tag);
    }
  }
  return rel;
}

/** Indexes of the values per table (indicator, period, release); relations never cross tables. */
function tablesOf(values: IndicatorValue[]): number[][] {
  const tables = new Map<string, number[]>();
  let prev: IndicatorValue | undefined;
  let list: number[] = [];
  values.forEach((v, i) => {
    // Values mostly come table by table: reuse the list without building its key.
    if (
      prev?.indicatorId !== v.indicatorId ||
      prev.period !== v.period ||
      prev.releaseId !== v.releaseId
    ) {
      const key = `${v.indicatorId}|${v.period}|${v.releaseId}`;
      tables.set(key, (list = tables.get(key) ?? []));
    }
    list.push(i);
    prev = v;
  });
  return [...tables.values()];
}

/** The additive relations among the values (indexes into values); exported for tests. */
export function relationsOf(
  values: IndicatorValue[],
  regions: RegionTree,
): { total: number; parts: number[] }[] {
  const index = regionIndex(regions);
  return tablesOf(values).flatMap((members) => {
    const rel = buildRelations(
      members.map((i) => values[i]!),
      index,
    );
    return rel.tag.map((_, r) => {
      const [total = 0, ...parts] = rel.cells.slice(rel.start[r], rel.start[r + 1]);
      return { total: members[total]!, parts: parts.map((p) => members[p]!) };
    });
  });
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical order of the cells of one table: smallest numerator first, then region, dims. */
const rank = (a: IndicatorValue, b: IndicatorValue): number =>
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
 */
function protect(cells: IndicatorValue[], rel: Relations, state: Uint8Array): void {
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
  let frontier = touching([...state.keys()].filter((i) => state[i] !== OPEN));
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
  }
}

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

const isSmall = (count: number | null, minCount: number): boolean =>
  count !== null && count > 0 && count < minCount;

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
      protect(tableCells, rel, local);
      repairLeaks({
        values: tableCells,
        relations: rel.tag.map((_, r) => {
          const [total = 0, ...parts] = rel.cells.slice(rel.start[r], rel.start[r + 1]);
          return { total, parts };
        }),
        state: local,
        mark: SECONDARY,
        protect: (s) => protect(tableCells, rel, s),
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
