/**
 * Joint audit of disclosure control: hand-made tables where every relation on its own keeps two
 * unknowns but the relations solved together give a hidden cell away. The attacker (testkit.ts)
 * is written independently of the audit, so the two check each other.
 */
import { describe, expect, it } from 'vitest';
import type { IndicatorValue } from '../../store/types.ts';
import { recoverableCells } from './audit.ts';
import { relationsOf } from './relations.ts';
import {
  attack,
  frac,
  hiddenKeys,
  key,
  leaks,
  M,
  reg,
  run,
  tree,
  val,
  view,
  W,
  type Rel,
} from './testkit.ts';

/** Kreise × sex with the Land and a group of two Kreise as margins: [w, m] numerators. */
function crossTable(data: Record<string, [number, number]>, group: string[]) {
  const kreise = Object.keys(data);
  const regions = tree(
    [reg('05', 'land', null), ...kreise.map((c) => reg(c, 'kreis', '05'))],
    group.length > 0 ? { revier: group } : {},
  );
  const values: IndicatorValue[] = [];
  const row = (code: string, codes: string[]): void => {
    const w = codes.reduce((s, c) => s + data[c]![0], 0);
    const m = codes.reduce((s, c) => s + data[c]![1], 0);
    const n = codes.length * 50;
    values.push(val(code, w + m, 2 * n));
    values.push(val(code, w, n, 'geschlecht=weiblich'), val(code, m, n, 'geschlecht=maennlich'));
  };
  for (const c of kreise) row(c, [c]);
  row('05', kreise);
  if (group.length > 0) row('revier', group);
  return { values, regions, rel: relationsOf(values, regions) };
}

describe('joint recovery', () => {
  it('finds nothing in the classic 2×2 pattern: four inner cells hidden, margins published', () => {
    const { values, rel } = crossTable({ '05111': [2, 15], '05112': [19, 31] }, []);
    const hidden = values.map((v) => v.regionCode !== '05' && v.dimsKey !== '');
    // Each row and column keeps two unknowns, and jointly they can still shift by (+1, −1, −1, +1).
    expect(recoverableCells(values, rel, hidden)).toEqual([]);
    expect(leaks(view(values, hidden), rel)).toEqual([]);
  });

  it('sees a leak through a group margin that one relation at a time misses, and closes it', () => {
    const data: Record<string, [number, number]> = {
      '05111': [2, 15],
      '05112': [19, 31],
      '05113': [13, 25],
    };
    const { values, regions, rel } = crossTable(data, ['05111', '05112']);
    // What the relation pass alone hides (05111 weiblich has 2 cases): the six inner cells.
    const inner = values.map((v) => v.dimsKey !== '' && v.regionCode.startsWith('0511'));
    for (const r of rel) {
      const count = [r.total, ...r.parts].filter((c) => inner[c]).length;
      expect(count === 0 || count >= 2).toBe(true);
    }
    // Yet Land − revier, item by item, is exactly 05113: 13 women, 25 men, 50 of each.
    const c = (code: string, dims: string): number =>
      values.findIndex((v) => v.regionCode === code && v.dimsKey === dims);
    expect(recoverableCells(values, rel, inner)).toEqual([c('05113', W), c('05113', M)]);
    const got = attack(view(values, inner), rel, 'numerator');
    expect(got.get(c('05113', W))).toEqual(frac(13n));
    expect(got.get(c('05113', M))).toEqual(frac(25n));
    expect(attack(view(values, inner), rel, 'denominator').get(c('05113', W))).toEqual(frac(50n));

    const out = run(values, regions);
    expect(leaks(out, rel)).toEqual([]);
    expect(
      recoverableCells(
        values,
        rel,
        out.map((v) => v.suppressed !== undefined),
      ),
    ).toEqual([]);
    // The group's items go too; every total stays published.
    expect(hiddenKeys(out)).toEqual(
      [...values.filter((_, i) => inner[i]).map(key), `revier|${W}`, `revier|${M}`].sort(),
    );
    expect(out.filter((v) => v.dimsKey === '').every((v) => !v.suppressed)).toBe(true);
  });

  it('closes Land − group in one dimension, also when only denominators are published', () => {
    const regions = tree(
      [reg('05', 'land', null), ...['05111', '05112', '05113'].map((c) => reg(c, 'kreis', '05'))],
      { revier: ['05111', '05112'] },
    );
    const values = [
      val('05', 62, 300),
      val('05111', 2, 100),
      val('05112', 40, 100),
      val('05113', 20, 100),
      val('revier', 42, 200),
    ];
    const rel = relationsOf(values, regions);
    // The relation pass hides 05113 (smallest part of the Land) and 05112 (for the group).
    expect(recoverableCells(values, rel, [false, true, true, true, false])).toEqual([3]);
    expect(hiddenKeys(run(values, regions))).toEqual(['05111|', '05112|', '05113|', 'revier|']);
    // A published total without a numerator protects numerators only: denominators still leak.
    const dotted = values.map((v, i) => (i === 0 ? { ...v, numerator: null } : v));
    expect(recoverableCells(dotted, rel, [false, true, true, true, false])).toEqual([3]);
    const out = run(dotted, regions);
    expect(leaks(out, rel)).toEqual([]);
    expect(out[4]!.suppressed).toBe('secondary');
  });

  it('solves exactly when only halves add up (an odd cycle of groups)', () => {
    const regions = tree(
      ['A', 'B', 'C', 'D'].map((c) => reg(c, 'kreis', null)),
      { g1: ['A', 'B'], g2: ['B', 'C'], g3: ['A', 'C'], g4: ['C', 'D'], g5: ['D', 'A'] },
    );
    const n = { A: 5, B: 7, C: 11, D: 13 };
    const group = (id: string, a: keyof typeof n, b: keyof typeof n) => val(id, n[a] + n[b], 99);
    const cells = [
      ...(['A', 'B', 'C', 'D'] as const).map((c) => val(c, n[c], 99)),
      group('g1', 'A', 'B'),
      group('g2', 'B', 'C'),
      group('g3', 'A', 'C'),
      group('g4', 'C', 'D'),
      group('g5', 'D', 'A'),
    ];
    const rel = relationsOf(cells, regions);
    // Triangle A–B–C: A = (g1 − g2 + g3) / 2; D then follows from g4.
    const triangle = [true, true, true, true, false, false, false, false, false];
    expect(recoverableCells(cells, rel, triangle)).toEqual([0, 1, 2, 3]);
    expect(attack(view(cells, triangle), rel, 'numerator').get(0)).toEqual(frac(5n));
    // With g3 hidden too the rest is an even ring A–B–C–D–A: A, C can rise by t, B, D fall by t.
    const ring = [true, true, true, true, false, false, true, false, false];
    expect(recoverableCells(cells, rel, ring)).toEqual([]);
    expect(leaks(view(cells, ring), rel)).toEqual([]);
  });

  it('stays exact beyond 2^53: a ring of ×3 and ÷3 relations (3^35 ≈ 5·10^16)', () => {
    // x[i+1] = 3·x[i] up the ring, x[i] = 3·x[i+1] down it; a repeated part gives the factor 3.
    // Balanced, the gain round the ring is exactly 1 and nothing is fixed; one more ×3 makes it
    // 9 and fixes every x. Rounding 3^35 would blur the two.
    const ring = (up: number, down: number): Rel[] => {
      const n = up + down;
      return Array.from({ length: n }, (_, i) => {
        const next = (i + 1) % n;
        const rel =
          i < up ? { total: next, parts: [i, i, i] } : { total: i, parts: [next, next, next] };
        // The published anchor (cell n) sits in the last relation.
        return i === n - 1 ? { ...rel, parts: [...rel.parts, n] } : rel;
      });
    };
    const cells = (n: number) => [
      ...Array.from({ length: n }, () => val('x', null, null)),
      val('p', 5, 5),
    ];
    const hidden = (n: number) => [...Array.from({ length: n }, () => true), false];
    const all = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(recoverableCells(cells(70), ring(35, 35), hidden(70))).toEqual([]);
    expect(leaks(view(cells(70), hidden(70)), ring(35, 35))).toEqual([]);
    expect(recoverableCells(cells(70), ring(36, 34), hidden(70))).toEqual(all(70));
    expect(leaks(view(cells(70), hidden(70)), ring(36, 34))).toEqual(all(70));
  });

  it('passes over a value that the relations fix without any data, and stops', () => {
    // The Kreis's items cover only one of its Gemeinden, so 05101|w = 05101001|w is no true sum;
    // taken at its word it forces 05101000 = 0 whatever is published. Hiding cannot change that.
    const regions = tree([
      reg('05101', 'kreis', null),
      reg('05101000', 'gemeinde', '05101'),
      reg('05101001', 'gemeinde', '05101'),
    ]);
    const values = [
      val('05101000', 1, 1),
      val('05101001', 0, 0),
      val('05101001', 0, 0, W),
      val('05101001', 0, 0, M),
      val('05101', 1, 1),
      val('05101', 1, 1, W),
      val('05101', 0, 0, M),
    ];
    const rel = relationsOf(values, regions);
    const out = run(values, regions);
    expect(out.every((v) => v.suppressed)).toBe(true);
    expect(leaks(out, rel)).toEqual([0]);
    expect(attack(out, rel, 'numerator').get(0)).toEqual(frac(0n));
  });
});
