/**
 * In-memory lookups over RegionData: keys, hierarchy walks, validity in a year and group
 * membership. Every layer that meets a region key (importers, aggregation, API, maps) asks this
 * one registry, so rules such as "05313 ended in 2009" or "05111 ≡ 05111000" live in one place.
 */
import { BUND_CODE, REGION_LEVELS } from '../domain/index.ts';
import type { Region, RegionGroup, RegionGroupMember, RegionLevel } from '../domain/index.ts';
import type { RegionData } from './build.ts';

/** GENESIS writes Germany as `DG` in most tables and `DINSG` ("Deutschland insgesamt") in some. */
const BUND_ALIASES = new Set([BUND_CODE, 'DINSG']);

const levelRank = (level: RegionLevel): number => REGION_LEVELS.indexOf(level);

/**
 * Whether a region exists on 31 December of `year`. Annual Regionaldatenbank data are published on
 * the Gebietsstand of the year's end, so in 2009 the Städteregion Aachen (from 2009-10-21) is valid
 * and the dissolved Kreis 05354 (until 2009-10-20) is not — never both, which would double count.
 */
function validOnYearEnd(region: Region, year: number): boolean {
  const day = `${String(year).padStart(4, '0')}-12-31`;
  if (region.validFrom !== null && region.validFrom > day) return false;
  if (region.validTo !== null && region.validTo < day) return false;
  return true;
}

export class RegionRegistry {
  readonly #byCode = new Map<string, Region>();
  readonly #children = new Map<string, Region[]>();
  readonly #byLevel = new Map<RegionLevel, Region[]>();
  readonly #groups = new Map<string, RegionGroup>();
  readonly #members = new Map<string, RegionGroupMember[]>();

  /** Throws when the data are inconsistent (duplicate keys, dangling parents, sameAs or members). */
  constructor(data: RegionData) {
    for (const r of data.regions) {
      if (this.#byCode.has(r.code)) throw new Error(`Region key ${r.code} occurs twice.`);
      this.#byCode.set(r.code, r);
    }
    for (const r of data.regions) {
      if (r.parentCode !== null) {
        if (!this.#byCode.has(r.parentCode)) {
          throw new Error(`Region ${r.code} names parent ${r.parentCode}, which does not exist.`);
        }
        pushTo(this.#children, r.parentCode, r);
      }
      if (r.sameAs !== null && this.#byCode.get(r.sameAs)?.sameAs !== r.code) {
        throw new Error(`Region ${r.code} is sameAs ${r.sameAs}, but not the other way round.`);
      }
      pushTo(this.#byLevel, r.level, r);
    }
    for (const list of [...this.#children.values(), ...this.#byLevel.values()]) {
      list.sort(byCode);
    }
    for (const g of data.groups) {
      if (this.#byCode.has(g.id)) throw new Error(`Group id ${g.id} collides with a region key.`);
      this.#groups.set(g.id, g);
      this.#members.set(g.id, []);
    }
    for (const m of data.members) {
      const list = this.#members.get(m.groupId);
      if (!list) throw new Error(`Group member ${m.regionCode} names unknown group ${m.groupId}.`);
      if (!this.#byCode.has(m.regionCode)) {
        throw new Error(`Group ${m.groupId} lists unknown region key ${m.regionCode}.`);
      }
      list.push(m);
    }
  }

  /** Every region, in the order of the input. */
  all(): Region[] {
    return [...this.#byCode.values()];
  }

  get(code: string): Region | undefined {
    return this.#byCode.get(code);
  }

  has(code: string): boolean {
    return this.#byCode.has(code);
  }

  group(id: string): RegionGroup | undefined {
    return this.#groups.get(id);
  }

  groups(): RegionGroup[] {
    return [...this.#groups.values()];
  }

  /** True for a group id such as 'rheinisches-revier' (group ids stand where region codes can). */
  isGroup(id: string): boolean {
    return this.#groups.has(id);
  }

  /**
   * The region a key from an official table names: the exact code (surrounding blanks ignored),
   * with `DG` and `DINSG` both meaning the Bund. With `periodYear`, a region that did not exist at
   * the end of that year resolves to undefined, so a dissolved Kreis cannot receive new values.
   * Keys are never moved across levels here; use equivalent() for 05111 ↔ 05111000.
   */
  resolveKey(key: string, periodYear?: number): Region | undefined {
    const trimmed = key.trim();
    const code = BUND_ALIASES.has(trimmed.toUpperCase()) ? BUND_CODE : trimmed;
    const region = this.#byCode.get(code);
    if (!region) return undefined;
    if (periodYear !== undefined && !validOnYearEnd(region, periodYear)) return undefined;
    return region;
  }

  /**
   * The region an official table names without a key (some IT.NRW exports): matched on the
   * normalised name (`krfr. Stadt` = `kreisfreie Stadt`, notes in brackets ignored), then on the
   * Kreis name without its `, Kreis` suffix. Ambiguous names resolve to nothing rather than guess.
   */
  findByName(name: string): Region | undefined {
    if (this.#byName === undefined) this.#byName = buildNameIndex([...this.#byCode.values()]);
    const key = normaliseName(name);
    const hit = this.#byName.exact.get(key) ?? this.#byName.alias.get(key);
    return hit === null ? undefined : hit;
  }

  #byName: NameIndex | undefined;

  /** The same territory under another key: kreisfreie Stadt 05111 ↔ Gemeinde 05111000, 02 ↔ 02000. */
  equivalent(code: string): Region | undefined {
    const sameAs = this.#byCode.get(code)?.sameAs;
    return sameAs === null || sameAs === undefined ? undefined : this.#byCode.get(sameAs);
  }

  /** Direct children, sorted by code; with `year` only those valid at that year's end. */
  children(code: string, year?: number): Region[] {
    this.#require(code);
    const list = this.#children.get(code) ?? [];
    return year === undefined ? [...list] : list.filter((r) => validOnYearEnd(r, year));
  }

  /** Parent, grandparent, … up to the Bund (nearest first). */
  ancestors(code: string): Region[] {
    const out: Region[] = [];
    let parent = this.#require(code).parentCode;
    while (parent !== null) {
      const r = this.#require(parent);
      out.push(r);
      parent = r.parentCode;
    }
    return out;
  }

  /**
   * Regions of `level`, sorted by code. `withinCode` narrows to regions whose ancestor chain
   * (itself included) contains that region — or, for a group id, any member of the group.
   * `year` drops units that did not exist at that year's end (e.g. 05354 after 2009); without it,
   * historic units are included.
   */
  atLevel(level: RegionLevel, withinCode?: string, year?: number): Region[] {
    let candidates = this.#byLevel.get(level) ?? [];
    if (year !== undefined) candidates = candidates.filter((r) => validOnYearEnd(r, year));
    if (withinCode === undefined) return [...candidates];
    const anchors = this.#anchors(withinCode);
    return candidates.filter(
      (r) => anchors.has(r.code) || this.ancestors(r.code).some((a) => anchors.has(a.code)),
    );
  }

  /** Member regions of a group, sorted by code; with `level` only those of that level. */
  members(groupId: string, level?: RegionLevel): Region[] {
    const rows = this.memberRows(groupId);
    const regions = rows.map((m) => this.#require(m.regionCode));
    return (level === undefined ? regions : regions.filter((r) => r.level === level)).sort(byCode);
  }

  /** Membership rows with their weights, as stored. */
  memberRows(groupId: string): RegionGroupMember[] {
    const rows = this.#members.get(groupId);
    if (!rows) throw new Error(`Unknown region group '${groupId}'. Known: ${this.#groupIds()}.`);
    return [...rows];
  }

  /**
   * The coarsest level at which the group is complete: every finer member lies inside a member of
   * that level, and every coarser member has all its (current) units of that level as members.
   * 'kreis' for rheinisches-revier (7 Kreise + their 65 Gemeinden), 'gemeinde' for anrainer.
   * Aggregation over a group should use this level, so no member is counted twice.
   */
  groupLevel(groupId: string): RegionLevel {
    const regions = this.members(groupId);
    const present = REGION_LEVELS.filter((l) => regions.some((r) => r.level === l));
    const finest = present[present.length - 1];
    if (finest === undefined) throw new Error(`Region group '${groupId}' has no members.`);
    const codes = new Set(regions.map((r) => r.code));
    const complete = (level: RegionLevel): boolean =>
      regions.every((r) => {
        const diff = levelRank(r.level) - levelRank(level);
        if (diff === 0) return true;
        if (diff > 0) {
          return this.ancestors(r.code).some((a) => a.level === level && codes.has(a.code));
        }
        const parts = this.atLevel(level, r.code).filter((p) => p.validTo === null);
        return parts.length > 0 && parts.every((p) => codes.has(p.code));
      });
    return present.find(complete) ?? finest;
  }

  /** Whether `code` existed at the end of `year`; false for unknown codes. */
  isValidIn(code: string, year: number): boolean {
    const region = this.#byCode.get(code);
    return region !== undefined && validOnYearEnd(region, year);
  }

  #require(code: string): Region {
    const region = this.#byCode.get(code);
    if (!region) {
      throw new Error(
        `Unknown region key '${code}'. Use an AGS prefix (2, 3, 5 or 8 digits) or '${BUND_CODE}'.`,
      );
    }
    return region;
  }

  #anchors(withinCode: string): Set<string> {
    if (this.#groups.has(withinCode)) {
      return new Set(this.memberRows(withinCode).map((m) => m.regionCode));
    }
    return new Set([this.#require(withinCode).code]);
  }

  #groupIds(): string {
    return [...this.#groups.keys()].join(', ');
  }
}

function byCode(a: Region, b: Region): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

interface NameIndex {
  /** null marks an ambiguous name. */
  exact: Map<string, Region | null>;
  alias: Map<string, Region | null>;
}

export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .replace(/\bkrfr\./g, 'kreisfreie')
    .replace(/\s+/g, ' ')
    .replace(/\s*,\s*/g, ', ')
    .trim()
    .replace(/,$/, '');
}

function buildNameIndex(regions: Region[]): NameIndex {
  const exact = new Map<string, Region | null>();
  const alias = new Map<string, Region | null>();
  const put = (map: Map<string, Region | null>, key: string, r: Region): void => {
    const prev = map.get(key);
    map.set(key, prev === undefined || prev?.code === r.code ? r : null);
  };
  for (const r of regions) {
    // Official tables never name a Kommune's own Sozialräume; their names must not shadow a Gemeinde.
    if (r.level === 'sozialraum') continue;
    put(exact, normaliseName(r.name), r);
    if (r.level === 'kreis') put(alias, normaliseName(r.name).replace(/, (land)?kreis$/, ''), r);
  }
  return { exact, alias };
}
