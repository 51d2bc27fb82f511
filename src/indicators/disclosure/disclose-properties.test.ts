/**
 * Disclosure control on random trees: no suppressed count can be recomputed one relation at a
 * time, and the outcome does not depend on the order of the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Region } from '../../domain/index.ts';
import type { IndicatorValue } from '../../store/types.ts';
import {
  forAllDisclosed,
  orderIndependent,
  recoverable,
  reg,
  status,
  tree,
  val,
  type Built,
} from './testkit.ts';

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

function build(world: World): Built {
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
    forAllDisclosed(worldArb, build, 300, (values, out, rel) => {
      expect(recoverable(out, rel, 'numerator')).toEqual([]);
      expect(recoverable(out, rel, 'denominator')).toEqual([]);
      // Every small count is hidden.
      out.forEach((v, i) => {
        const n = values[i]!.numerator ?? 0;
        if (n > 0 && n < 3) expect(v.suppressed).toBe('primary');
      });
    });
  });

  it('does not depend on the order of the input', () => {
    orderIndependent(worldArb, build, 300, status);
  });
});
