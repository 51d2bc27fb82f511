/** The additive relations of a table: hierarchy, groups and breakdowns. */
import { describe, expect, it } from 'vitest';
import { relationsOf } from './relations.ts';
import { reg, tree, val } from './testkit.ts';

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
