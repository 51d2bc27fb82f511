/**
 * Disclosure control: primary suppression of small counts, secondary suppression along hierarchy,
 * group and breakdown relations, and a generic check that no suppressed count can be recomputed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Region, RegionLevel } from '../domain/index.ts';
import type { IndicatorValue } from '../store/types.ts';
import type { RegionTree } from './compute.ts';
import {
  DEFAULT_DISCLOSURE,
  disclose,
  relationsOf,
  type DisclosedValue,
  type DisclosureRule,
} from './disclosure.ts';

const reg = (
  code: string,
  level: RegionLevel,
  parentCode: string | null,
  additive = true,
): Region => ({
  code,
  level,
  name: code,
  parentCode,
  validFrom: null,
  validTo: null,
  additive,
  sameAs: null,
});

/** A RegionTree over plain regions; groups map an id to member codes. */
function tree(regions: Region[], groups: Record<string, string[]> = {}): RegionTree {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const membersOf = (id: string): Region[] =>
    (groups[id] ?? []).flatMap((c) => byCode.get(c) ?? []);
  return {
    atLevel: (level) => regions.filter((r) => r.level === level),
    children: (code) =>
      regions.filter((r) => r.parentCode === code).sort((a, b) => (a.code < b.code ? -1 : 1)),
    get: (code) => byCode.get(code),
    groups: () => Object.keys(groups).map((id) => ({ id, name: id, kind: 'revier' as const })),
    members: (id, level) => membersOf(id).filter((r) => level === undefined || r.level === level),
    groupLevel: (id) => membersOf(id)[0]?.level ?? 'kreis',
    isValidIn: () => true,
  };
}

const val = (
  regionCode: string,
  numerator: number | null,
  denominator: number | null,
  dimsKey = '',
  indicatorId = 'abg',
): IndicatorValue => ({
  indicatorId,
  regionCode,
  period: '2023',
  dimsKey,
  value: numerator !== null && denominator ? (numerator / denominator) * 100 : null,
  numerator,
  denominator,
  flag: null,
  errorBound: 0.1,
  method: 'published',
  releaseId: 1,
});

const PUBLIC = DEFAULT_DISCLOSURE.public;

function run(values: IndicatorValue[], regions: RegionTree, rule: DisclosureRule = PUBLIC) {
  return disclose({ values, regions, rule, protectedIndicators: new Set(['abg']) });
}

/** `code|dimsKey` → suppression kind ('' = published), for readable expectations. */
const status = (out: DisclosedValue[]): Record<string, string> =>
  Object.fromEntries(out.map((v) => [`${v.regionCode}|${v.dimsKey}`, v.suppressed ?? '']));

/**
 * Cells an attacker can work out from the published ones: whenever a relation has exactly one
 * unknown member, total − sum of parts (or total − sum of the other parts) gives it; repeated
 * until nothing new is learned. Returns the suppressed cells among them.
 */
function recoverable(
  out: DisclosedValue[],
  relations: { total: number; parts: number[] }[],
  field: 'numerator' | 'denominator',
): number[] {
  const known = out.map((v) => v[field] !== null);
  for (let changed = true; changed;) {
    changed = false;
    for (const r of relations) {
      const unknown = [r.total, ...r.parts].filter((i) => !known[i]);
      if (unknown.length === 1) {
        known[unknown[0]!] = true;
        changed = true;
      }
    }
  }
  return out.flatMap((v, i) => (v.suppressed && known[i] ? [i] : []));
}

const kreis = tree([
  reg('05', 'land', null),
  reg('05358', 'kreis', '05'),
  reg('05358004', 'gemeinde', '05358'),
  reg('05358008', 'gemeinde', '05358'),
  reg('05358012', 'gemeinde', '05358'),
]);
const hierarchy = [
  val('05358', 57, 210),
  val('05358004', 2, 50),
  val('05358008', 40, 100),
  val('05358012', 15, 60),
];

describe('primary suppression', () => {
  const loose = tree([]);
  const values = [
    val('A', 1, 50),
    val('B', 2, 50),
    val('C', 0, 50),
    val('D', 3, 50),
    val('E', 2, 2),
    val('F', 10, 2),
    val('G', null, null),
  ];

  it('hides counts in [1, minCount − 1] of numerator or denominator', () => {
    const out = run(values, loose);
    expect(status(out)).toEqual({
      'A|': 'primary',
      'B|': 'primary',
      'C|': '',
      'D|': '',
      'E|': 'primary',
      'F|': 'primary',
      'G|': '',
    });
    expect(out[0]).toEqual({
      ...values[0],
      value: null,
      numerator: null,
      denominator: null,
      errorBound: 0,
      flag: '.',
      suppressed: 'primary',
    });
    // Published values are passed on untouched.
    expect(out[2]).toBe(values[2]);
  });

  it('leaves indicators without protection and the member audience alone', () => {
    const other = values.map((v) => ({ ...v, indicatorId: 'other' }));
    const out = run(other, loose);
    out.forEach((v, i) => expect(v).toBe(other[i]));
    expect(run(values, loose, DEFAULT_DISCLOSURE.member).every((v) => !v.suppressed)).toBe(true);
    expect(DEFAULT_DISCLOSURE).toEqual({
      public: { minCount: 3, secondary: true },
      member: { minCount: 0, secondary: false },
    });
  });
});

describe('secondary suppression', () => {
  it('hides the smallest remaining Gemeinde of a Kreis', () => {
    const out = run(hierarchy, kreis);
    expect(status(out)).toEqual({
      '05358|': '',
      '05358004|': 'primary',
      '05358008|': '',
      '05358012|': 'secondary',
    });
    const rel = relationsOf(hierarchy, kreis);
    expect(rel).toEqual([{ total: 0, parts: [1, 2, 3] }]);
    expect(recoverable(out, rel, 'numerator')).toEqual([]);
    expect(recoverable(out, rel, 'denominator')).toEqual([]);
    // The checker itself sees the leak when secondary suppression is off.
    const leaky = run(hierarchy, kreis, { minCount: 3, secondary: false });
    expect(recoverable(leaky, rel, 'numerator')).toEqual([1]);
  });

  it('treats a count that is already unknown as protection for that count', () => {
    const dotted = hierarchy.map((v, i) =>
      i === 2 ? { ...v, numerator: null, denominator: null } : v,
    );
    expect(status(run(dotted, kreis))['05358012|']).toBe('');
    // Only the numerator unknown: the denominator would still give the cell away.
    const half = hierarchy.map((v, i) => (i === 2 ? { ...v, numerator: null } : v));
    expect(status(run(half, kreis))['05358012|']).toBe('secondary');
  });

  it('protects within a region group', () => {
    const regions = tree(
      [reg('05', 'land', null), ...['05116', '05162', '05334'].map((c) => reg(c, 'kreis', '05'))],
      { revier: ['05116', '05162', '05334'] },
    );
    const values = [
      val('revier', 52, 300),
      val('05116', 2, 100),
      val('05162', 30, 100),
      val('05334', 20, 100),
    ];
    expect(status(run(values, regions))).toEqual({
      'revier|': '',
      '05116|': 'primary',
      '05162|': '',
      '05334|': 'secondary',
    });
  });

  it('protects within a breakdown, also when only one item is published', () => {
    const regions = tree([reg('05358008', 'gemeinde', null)]);
    const both = [
      val('05358008', 50, 100),
      val('05358008', 2, 50, 'geschlecht=weiblich'),
      val('05358008', 48, 50, 'geschlecht=maennlich'),
    ];
    expect(status(run(both, regions))).toEqual({
      '05358008|': '',
      '05358008|geschlecht=weiblich': 'primary',
      '05358008|geschlecht=maennlich': 'secondary',
    });
    expect(status(run(both.slice(0, 2), regions))).toEqual({
      '05358008|': 'secondary',
      '05358008|geschlecht=weiblich': 'primary',
    });
    const smallTotal = [val('05358008', 2, 100), val('05358008', 0, 50, 'geschlecht=weiblich')];
    expect(status(run(smallTotal, regions))['05358008|geschlecht=weiblich']).toBe('secondary');
  });

  it('protects Sozialräume under their Gemeinde', () => {
    const regions = tree([
      reg('05358008', 'gemeinde', null),
      ...['N01', 'N02', 'N03'].map((s) => reg(`05358008-${s}`, 'sozialraum', '05358008')),
    ]);
    const values = [
      val('05358008', 30, 200),
      val('05358008-N01', 1, 60),
      val('05358008-N02', 12, 70),
      val('05358008-N03', 17, 70),
    ];
    expect(status(run(values, regions))).toEqual({
      '05358008|': '',
      '05358008-N01|': 'primary',
      '05358008-N02|': 'secondary',
      '05358008-N03|': '',
    });
  });

  it('leaves non-additive units (05334002 Aachen) out of the Kreis relation', () => {
    const regions = tree([
      reg('05334', 'kreis', null),
      reg('05334002', 'gemeinde', '05334', false),
      reg('05334004', 'gemeinde', '05334'),
      reg('05334008', 'gemeinde', '05334'),
      reg('05334012', 'gemeinde', '05334'),
    ]);
    const values = [
      val('05334', 57, 300),
      val('05334002', 20, 100),
      val('05334004', 2, 100),
      val('05334008', 30, 100),
      val('05334012', 25, 100),
    ];
    expect(relationsOf(values, regions)).toEqual([{ total: 0, parts: [2, 3, 4] }]);
    expect(status(run(values, regions))).toEqual({
      '05334|': '',
      '05334002|': '',
      '05334004|': 'primary',
      '05334008|': '',
      '05334012|': 'secondary',
    });
  });

  it('cascades from a breakdown relation into the hierarchy', () => {
    const values = [
      ...hierarchy.map((v, i) =>
        i === 0 ? { ...v, numerator: 65 } : i === 1 ? { ...v, numerator: 10 } : v,
      ),
      val('05358004', 2, 25, 'geschlecht=weiblich'),
    ];
    expect(status(run(values, kreis))).toEqual({
      '05358|': '',
      '05358004|': 'secondary',
      '05358004|geschlecht=weiblich': 'primary',
      '05358008|': '',
      '05358012|': 'secondary',
    });
  });

  it('keeps tables apart (indicator, period, release)', () => {
    const other = hierarchy.map((v) => ({
      ...v,
      period: '2022',
      numerator: (v.numerator ?? 0) + 10,
    }));
    const out = run([...hierarchy, ...other], kreis);
    expect(out.slice(4).every((v) => !v.suppressed)).toBe(true);
  });
});

describe('relationsOf', () => {
  it('reaches past a region without a value and pairs multi-dimension keys', () => {
    const regions = tree([
      reg('05', 'land', null),
      reg('053', 'rb', '05'),
      reg('05334', 'kreis', '053'),
      reg('05358', 'kreis', '053'),
    ]);
    // No value for the RB: the Land is still the sum of its Kreise.
    expect(relationsOf([val('05', 9, 9), val('05334', 4, 4), val('05358', 5, 5)], regions)).toEqual(
      [{ total: 0, parts: [1, 2] }],
    );
    const cells = [
      val('05334', 9, 9, 'geschlecht=weiblich'),
      val('05334', 4, 4, 'geschlecht=weiblich;nationalitaet=deutsch'),
      val('05334', 5, 5, 'geschlecht=weiblich;nationalitaet=auslaendisch'),
      val('05334', 6, 6, 'nationalitaet=deutsch'),
    ];
    const rel = relationsOf(cells, regions).sort((a, b) => a.total - b.total);
    expect(rel).toEqual([
      { total: 0, parts: [1, 2] },
      { total: 3, parts: [1] },
    ]);
  });
});

describe('output', () => {
  it("replaces a per-audience map from the store by this rule's outcome", () => {
    const stored = hierarchy.map(
      (v) => ({ ...v, suppressed: { member: 'primary' } }) as IndicatorValue,
    );
    const out = run(stored, kreis);
    expect(out.map((v) => v.suppressed)).toEqual([undefined, 'primary', undefined, 'secondary']);
    expect(out[0]).toEqual(hierarchy[0]);
  });
});

/** A random Land → Kreise → Gemeinden → Sozialräume tree with a group and sex breakdowns. */
const leafArb = fc.record({ nw: fc.nat(6), dw: fc.nat(20), nm: fc.nat(6), dm: fc.nat(20) });
const modeArb = fc.constantFrom<0 | 1 | 2>(0, 1, 2);
const gemeindeArb = fc.record({
  leaf: leafArb,
  sozial: fc.array(fc.record({ leaf: leafArb, mode: modeArb }), { maxLength: 3 }),
  mode: modeArb,
  present: fc.boolean(),
});
const worldArb = fc.record({
  kreise: fc.array(
    fc.record({ gemeinden: fc.array(gemeindeArb, { minLength: 1, maxLength: 4 }), mode: modeArb }),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
  inGroup: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  landMode: modeArb,
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;
type Leaf = { nw: number; dw: number; nm: number; dm: number };

function build(world: World): { values: IndicatorValue[]; regions: RegionTree } {
  const regions: Region[] = [reg('05', 'land', null)];
  const values: IndicatorValue[] = [];
  const add = (l: Leaf, a: Leaf): Leaf => ({
    nw: l.nw + a.nw,
    dw: l.dw + a.dw,
    nm: l.nm + a.nm,
    dm: l.dm + a.dm,
  });
  const zero: Leaf = { nw: 0, dw: 0, nm: 0, dm: 0 };
  const emit = (code: string, c: Leaf, mode: 0 | 1 | 2): void => {
    values.push(val(code, c.nw + c.nm, c.dw + c.dm));
    if (mode >= 1) values.push(val(code, c.nw, c.dw, 'geschlecht=weiblich'));
    if (mode >= 2) values.push(val(code, c.nm, c.dm, 'geschlecht=maennlich'));
  };
  let land = zero;
  const members: string[] = [];
  world.kreise.forEach((k, ki) => {
    const kc = `0510${ki}`;
    regions.push(reg(kc, 'kreis', '05'));
    if (world.inGroup[ki]) members.push(kc);
    let sum = zero;
    k.gemeinden.forEach((g, gi) => {
      const gc = `${kc}00${gi}`;
      regions.push(reg(gc, 'gemeinde', kc));
      let gsum = g.sozial.length === 0 ? g.leaf : zero;
      g.sozial.forEach((s, si) => {
        const sc = `${gc}-N${si}`;
        regions.push(reg(sc, 'sozialraum', gc));
        emit(sc, s.leaf, s.mode);
        gsum = add(gsum, s.leaf);
      });
      if (g.present) emit(gc, gsum, g.mode);
      sum = add(sum, gsum);
    });
    emit(kc, sum, k.mode);
    land = add(land, sum);
  });
  emit('05', land, world.landMode);
  const groups: Record<string, string[]> = members.length > 0 ? { grp: members } : {};
  if (members.length > 0) {
    const total = values.filter((v) => members.includes(v.regionCode) && v.dimsKey === '');
    values.push(val('grp', sumOf(total, 'numerator'), sumOf(total, 'denominator')));
  }
  return { values, regions: tree(regions, groups) };
}
const sumOf = (vs: IndicatorValue[], f: 'numerator' | 'denominator'): number =>
  vs.reduce((s, v) => s + (v[f] ?? 0), 0);

describe('properties', () => {
  it('no suppressed count can be recomputed from published cells', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { values, regions } = build(world);
        const out = run(values, regions);
        const rel = relationsOf(values, regions);
        expect(recoverable(out, rel, 'numerator')).toEqual([]);
        expect(recoverable(out, rel, 'denominator')).toEqual([]);
        // Every small count is hidden.
        out.forEach((v, i) => {
          const n = values[i]!.numerator ?? 0;
          if (n > 0 && n < 3) expect(v.suppressed).toBe('primary');
        });
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the input', () => {
    fc.assert(
      fc.property(
        worldArb.chain((world) => {
          const { values } = build(world);
          return fc.tuple(
            fc.constant(world),
            fc.shuffledSubarray(values, { minLength: values.length, maxLength: values.length }),
          );
        }),
        ([world, shuffled]) => {
          const { values, regions } = build(world);
          expect(status(run(shuffled, regions))).toEqual(status(run(values, regions)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
