/**
 * The additive relations of a table (indicator, period, release): a region is the sum of its
 * children, a group the sum of its members, a breakdown total the sum of its items.
 */
import { dimsKey as toDimsKey, parseDimsKey, type Region } from '../../domain/index.ts';
import type { IndicatorValue } from '../../store/types.ts';
import type { RegionTree } from '../compute.ts';

/**
 * The relations of one table in flat form (a few hundred thousand at Gemeinde level): relation r
 * has the cells cells[start[r] .. start[r + 1]), the total first, then the parts that add up to
 * it; `tag` tells relations with the same total apart (h: hierarchy, g: group, d:<dim>: items).
 */
export interface Relations {
  start: number[];
  cells: number[];
  tag: string[];
}

/**
 * Region codes as small ids, with the ids of the units that add up to each region: its additive
 * children, or a group's additive members at the group's level. Non-additive units (05334002
 * Aachen, Berlin Bezirke) lie inside a sibling and are never a part.
 */
export function regionIndex(tree: RegionTree) {
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
export type RegionIndex = ReturnType<typeof regionIndex>;

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
export function buildRelations(cells: IndicatorValue[], index: RegionIndex): Relations {
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
export function tablesOf(values: IndicatorValue[]): number[][] {
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

/** The relations one by one, as the audit reads them. */
export const listed = (rel: Relations): { total: number; parts: number[] }[] =>
  rel.tag.map((_, r) => {
    const [total = 0, ...parts] = rel.cells.slice(rel.start[r], rel.start[r + 1]);
    return { total, parts };
  });

/** The additive relations among the values (indexes into values); exported for tests. */
export function relationsOf(
  values: IndicatorValue[],
  regions: RegionTree,
): { total: number; parts: number[] }[] {
  const index = regionIndex(regions);
  return tablesOf(values).flatMap((members) =>
    listed(
      buildRelations(
        members.map((i) => values[i]!),
        index,
      ),
    ).map(({ total, parts }) => ({ total: members[total]!, parts: parts.map((p) => members[p]!) })),
  );
}
