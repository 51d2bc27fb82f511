/**
 * Attack test on the full demo store: for every protected indicator and period, an attacker takes
 * the public view (suppressed cells unknown, every other cell with its published counts), writes
 * down all additive relations of the table (relationsOf) and solves them jointly. It must not
 * recover any suppressed numerator or denominator exactly. The attacker (Gauss–Jordan over exact
 * fractions, src/indicators/disclosure/testkit.ts) is independent of the audit
 * (src/indicators/disclosure/audit.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/api/app.ts';
import { relationsOf } from '../../src/indicators/disclosure/index.ts';
import {
  attack,
  type Counts,
  type Field,
  type Rel,
} from '../../src/indicators/disclosure/testkit.ts';
import type { IndicatorValue } from '../../src/store/index.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';

/** Unknown cells whose count follows from the relations jointly, ascending. */
const recovered = (cells: Counts[], relations: Rel[], field: Field): number[] => [
  ...attack(cells, relations, field).keys(),
];

/** What the public sees of a table: suppressed cells have no counts. */
const publicView = (values: IndicatorValue[]): Counts[] =>
  values.map((v) =>
    v.suppressed?.public ? { numerator: null, denominator: null } : { ...v, suppressed: undefined },
  );

let deps: AppDeps;
/** Per protected indicator and period: the table with its stored (true) counts. */
const tables = new Map<string, IndicatorValue[]>();
beforeAll(async () => {
  deps = await buildFullDemoStore();
  for (const indicator of deps.catalog.filter((i) => i.protect)) {
    for (const v of await deps.store.queryIndicatorValues({ indicatorId: indicator.id })) {
      const key = `${v.indicatorId} ${v.period}`;
      const list = tables.get(key);
      if (list) list.push(v);
      else tables.set(key, [v]);
    }
  }
}, 120_000);
afterAll(async () => {
  await deps.store.close();
});

const hidden = (vs: IndicatorValue[], kind?: 'primary' | 'secondary'): IndicatorValue[] =>
  vs.filter((v) => (kind ? v.suppressed?.public === kind : v.suppressed?.public));

describe('linear attack on the public view', () => {
  it('has suppressed cells to attack', () => {
    const all = [...tables.values()].flat();
    expect(hidden(all).length).toBeGreaterThan(100);
    for (const id of ['D7c', 'D7d', 'E5', 'E5a', 'F1b', 'F1c', 'F1d']) {
      expect(hidden(all, 'primary').some((v) => v.indicatorId === id)).toBe(true);
    }
    // 1 of 828 pupils in Kreis 03455 (D2a, 2024).
    const d2a = tables.get('D2a 2024')!.find((v) => v.regionCode === '03455' && v.dimsKey === '');
    expect([d2a?.numerator, d2a?.denominator, d2a?.suppressed?.public]).toEqual([
      1,
      828,
      'primary',
    ]);
  });

  it('recovers no suppressed numerator or denominator in any protected table', () => {
    const found: string[] = [];
    for (const [key, values] of tables) {
      const relations = relationsOf(values, deps.regions);
      const view = publicView(values);
      for (const field of ['numerator', 'denominator'] as const) {
        for (const i of recovered(view, relations, field)) {
          const v = values[i]!;
          if (v.suppressed?.public) found.push(`${key} ${v.regionCode}|${v.dimsKey} ${field}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('is not blind: one secondary cell published again gives the primary one away', () => {
    const values = tables.get('D2a 2024')!;
    const relations = relationsOf(values, deps.regions);
    const primary = values.findIndex((v) => v.regionCode === '03455' && v.dimsKey === '');
    const partner = relations
      .filter((r) => [r.total, ...r.parts].includes(primary))
      .flatMap((r) => [r.total, ...r.parts])
      .find((i) => values[i]!.suppressed?.public === 'secondary')!;
    expect(partner).toBeDefined();
    const view = publicView(values);
    view[partner] = values[partner]!;
    const got = [
      ...recovered(view, relations, 'numerator'),
      ...recovered(view, relations, 'denominator'),
    ];
    expect(got).toContain(primary);
  });

  it('still shows most of every table', () => {
    // At most a fifth of any table is hidden (F1b, with twelve breakdown items, comes nearest).
    for (const [key, values] of tables) {
      expect(hidden(values).length, key).toBeLessThan(values.length * 0.2);
    }
    const d6 = tables.get('D6 2023')!;
    const nrwKreise = d6.filter(
      (v) => v.regionCode.startsWith('05') && deps.regions.get(v.regionCode)?.level === 'kreis',
    );
    expect(nrwKreise.length).toBeGreaterThan(50);
    expect(hidden(nrwKreise)).toEqual([]);
  });
});
