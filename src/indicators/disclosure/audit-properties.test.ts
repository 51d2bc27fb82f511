/**
 * Joint audit of disclosure control on random trees with breakdowns and crossing groups: the audit
 * and the independent attacker (testkit.ts) agree, and after disclose the attacker finds nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Region } from '../../domain/index.ts';
import type { IndicatorValue } from '../../store/types.ts';
import { recoverableCells } from './audit.ts';
import { relationsOf } from './relations.ts';
import {
  forAllDisclosed,
  hiddenKeys,
  leaks,
  M,
  orderIndependent,
  reg,
  tree,
  val,
  view,
  W,
  withValues,
  type Built,
} from './testkit.ts';

/**
 * Random Land → Kreise → Gemeinden with sex items and groups of Kreise that cut across. Items go
 * down to a depth (none, Land, Land and Kreise, all), so that every relation is a true sum; a few
 * published numerators are dots (null), which the reader does not know either.
 */
const leafArb = fc.record({ w: fc.nat(6), m: fc.nat(6), dw: fc.nat(30), dm: fc.nat(30) });
const worldArb = fc.record({
  kreise: fc.array(fc.record({ leaf: leafArb, gemeinden: fc.array(leafArb, { maxLength: 3 }) }), {
    minLength: 2,
    maxLength: 4,
  }),
  groups: fc.array(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), { maxLength: 3 }),
  itemDepth: fc.nat(3),
  dots: fc.array(fc.nat(60), { maxLength: 3 }),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;
type Leaf = { w: number; m: number; dw: number; dm: number };

function build(world: World): Built {
  const regions: Region[] = [reg('05', 'land', null)];
  const values: IndicatorValue[] = [];
  const sum = (ls: Leaf[]): Leaf =>
    ls.reduce((s, l) => ({ w: s.w + l.w, m: s.m + l.m, dw: s.dw + l.dw, dm: s.dm + l.dm }), {
      w: 0,
      m: 0,
      dw: 0,
      dm: 0,
    });
  const emit = (code: string, c: Leaf, depth: number): void => {
    values.push(val(code, c.w + c.m, c.w + c.m + c.dw + c.dm));
    if (depth > world.itemDepth) return;
    values.push(val(code, c.w, c.w + c.dw, W), val(code, c.m, c.m + c.dm, M));
  };
  const kreise = world.kreise.map((k, ki) => {
    const kc = `0510${ki}`;
    regions.push(reg(kc, 'kreis', '05'));
    k.gemeinden.forEach((g, gi) => {
      regions.push(reg(`${kc}00${gi}`, 'gemeinde', kc));
      emit(`${kc}00${gi}`, g, 3);
    });
    const total = k.gemeinden.length > 0 ? sum(k.gemeinden) : k.leaf;
    emit(kc, total, 2);
    return { code: kc, total };
  });
  emit('05', sum(kreise.map((k) => k.total)), 1);
  const groups: Record<string, string[]> = {};
  world.groups.forEach((pick, gi) => {
    const members = kreise.filter((_, ki) => pick[ki]);
    if (members.length < 2) return;
    groups[`g${gi}`] = members.map((k) => k.code);
    emit(`g${gi}`, sum(members.map((k) => k.total)), 2);
  });
  for (const d of world.dots) if (d < values.length) values[d] = { ...values[d]!, numerator: null };
  return { values, regions: tree(regions, groups) };
}

describe('properties', () => {
  it('after disclose the attacker recovers no hidden count; small counts stay hidden', () => {
    forAllDisclosed(worldArb, build, 200, (values, out, rel) => {
      expect(leaks(out, rel)).toEqual([]);
      values.forEach((v, i) => {
        const small = (x: number | null) => x !== null && x > 0 && x < 3;
        if (small(v.numerator) || small(v.denominator)) expect(out[i]!.suppressed).toBe('primary');
      });
    });
  });

  it('the audit and the attacker agree on any pattern of hidden cells', () => {
    const arb = withValues(worldArb, build, (values) =>
      fc.array(fc.boolean(), { minLength: values.length, maxLength: values.length }),
    );
    fc.assert(
      fc.property(arb, ([world, hidden]) => {
        const { values, regions } = build(world);
        const rel = relationsOf(values, regions);
        expect(recoverableCells(values, rel, hidden)).toEqual(leaks(view(values, hidden), rel));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the input', () => {
    orderIndependent(worldArb, build, 200, hiddenKeys);
  });
});
