/**
 * The indicator catalog as shipped: it loads and validates; every area, Handlungsfeld and
 * question is used; every active indicator reads variables, dimensions and items that a recipe
 * actually produces (so it computes from ../shared/data), and every planned one names its
 * feeding table. A broken formula fails at load time with its file, indicator and column.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BimoError } from '../../src/domain/index.ts';
import { CATALOG_DIR, loadCatalogFull } from '../../src/indicators/index.ts';
import { loadRecipes } from '../../src/ingest/index.ts';

const catalog = loadCatalogFull();

/** variable id → dimension → item codes, over all recipes. */
function recipeVariables(): Map<string, Map<string, Set<string>>> {
  const out = new Map<string, Map<string, Set<string>>>();
  for (const r of new Set(loadRecipes().values())) {
    for (const v of r.variables) {
      const dims = out.get(v.id) ?? new Map<string, Set<string>>();
      for (const [dim, items] of Object.entries(r.dimensions)) {
        if (v.dimensions && !v.dimensions.includes(dim)) continue;
        const set = dims.get(dim) ?? new Set<string>();
        for (const i of items) set.add(i.code);
        dims.set(dim, set);
      }
      out.set(v.id, dims);
    }
  }
  return out;
}

describe('indicator catalog', () => {
  it('covers areas A–I with at least 40 indicators, each question answered', () => {
    expect(catalog.indicators.length).toBeGreaterThanOrEqual(40);
    for (const a of catalog.areas) {
      expect(
        catalog.indicators.some((i) => i.area === a.id),
        `area ${a.id}`,
      ).toBe(true);
    }
    expect(catalog.questions.length).toBeGreaterThanOrEqual(12);
    for (const h of catalog.handlungsfelder) {
      expect(
        catalog.questions.some((q) => q.handlungsfeld === h.id),
        h.id,
      ).toBe(true);
    }
    expect(catalog.indicators.some((i) => i.kind === 'gap')).toBe(true);
  });

  it('reads only variables, dimensions and items that the recipes produce', () => {
    const vars = recipeVariables();
    const problems: string[] = [];
    for (const ind of catalog.indicators) {
      if (ind.status !== 'active' || ind.kind !== 'formula') continue;
      for (const ref of ind.refs) {
        const dims = vars.get(ref.variable);
        if (!dims) {
          problems.push(`${ind.id}: no recipe produces ${ref.variable}`);
          continue;
        }
        for (const [dim, items] of Object.entries(ref.filters)) {
          for (const item of items) {
            if (!dims.get(dim)?.has(item))
              problems.push(`${ind.id}: ${ref.variable}[${dim}=${item}]`);
          }
        }
      }
      for (const dim of ind.breakdowns) {
        if (!ind.refs.some((r) => vars.get(r.variable)?.has(dim))) {
          problems.push(`${ind.id}: breakdown ${dim} on none of its variables`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses a broken formula at load time with file, indicator and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bimo-catalog-'));
    mkdirSync(join(dir, 'indicators'));
    for (const f of ['areas.yaml', 'questions.yaml']) {
      writeFileSync(join(dir, f), readFileSync(join(CATALOG_DIR, f)));
    }
    const d = readFileSync(join(CATALOG_DIR, 'indicators', 'D.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'indicators', 'D.yaml'),
      d.replace(
        /formula: (['"])100 \* schulabgaenge_ab\[abschluss=ohne_esa\] \/ schulabgaenge_ab\1/,
        "formula: '100 * schulabgaenge_ab[abschluss=] / schulabgaenge_ab'",
      ),
    );
    for (const f of ['A', 'B', 'C', 'E', 'F', 'G', 'H', 'I']) {
      writeFileSync(
        join(dir, 'indicators', `${f}.yaml`),
        readFileSync(join(CATALOG_DIR, 'indicators', `${f}.yaml`)),
      );
    }
    let error: unknown;
    try {
      loadCatalogFull(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BimoError);
    expect((error as BimoError).code).toBe('BIMO_E_CATALOG');
    expect((error as BimoError).message).toMatch(
      /D\.yaml: indicator D6, field formula, column 34: .*\n100 \* schulabgaenge_ab\[abschluss=\] \/ schulabgaenge_ab\n {33}\^/,
    );
  });
});
