/**
 * Disclosure control: primary suppression of small counts, and secondary suppression along
 * hierarchy, group and breakdown relations, checked against an attacker that settles one relation
 * at a time.
 */
import { describe, expect, it } from 'vitest';
import type { IndicatorValue } from '../../store/types.ts';
import { relationsOf } from './relations.ts';
import { DEFAULT_DISCLOSURE } from './rules.ts';
import { recoverable, reg, run, status, table, tree, val } from './testkit.ts';

const kreis = tree([
  reg('05', 'land', null),
  reg('05358', 'kreis', '05'),
  ...['05358004', '05358008', '05358012'].map((c) => reg(c, 'gemeinde', '05358')),
]);
const hierarchy = [
  val('05358', 57, 210),
  val('05358004', 2, 50),
  val('05358008', 40, 100),
  val('05358012', 15, 60),
];

describe('primary suppression', () => {
  const loose = tree([]);
  const { values, expected } = table`
    A   1 50  primary
    B   2 50  primary
    C   0 50
    D   3 50
    E   2  2  primary
    F  10  2  primary
    G   .  .
  `;

  it('hides counts in [1, minCount − 1] of numerator or denominator', () => {
    const out = run(values, loose);
    expect(status(out)).toEqual(expected);
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
    const { values, expected } = table`
      revier  52 300
      05116    2 100  primary
      05162   30 100
      05334   20 100  secondary
    `;
    expect(status(run(values, regions))).toEqual(expected);
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
    const { values, expected } = table`
      05358008      30 200
      05358008-N01   1  60  primary
      05358008-N02  12  70  secondary
      05358008-N03  17  70
    `;
    expect(status(run(values, regions))).toEqual(expected);
  });

  it('leaves non-additive units (05334002 Aachen) out of the Kreis relation', () => {
    const regions = tree([
      reg('05334', 'kreis', null),
      reg('05334002', 'gemeinde', '05334', false),
      ...['05334004', '05334008', '05334012'].map((c) => reg(c, 'gemeinde', '05334')),
    ]);
    const { values, expected } = table`
      05334     57 300
      05334002  20 100
      05334004   2 100  primary
      05334008  30 100
      05334012  25 100  secondary
    `;
    expect(relationsOf(values, regions)).toEqual([{ total: 0, parts: [2, 3, 4] }]);
    expect(status(run(values, regions))).toEqual(expected);
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
