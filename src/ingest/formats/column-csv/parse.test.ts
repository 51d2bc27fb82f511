/**
 * Column-named CSVs: detection by the recipe's exact header line only, and the parser on cut and
 * mutated real files (never throws, every issue has a line and column).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../../../test/helpers/sample.ts';
import { loadRecipes } from '../../recipe.ts';
import { detect, parse } from './index.ts';

const recipes = loadRecipes();
const TEXT = readFileSync(
  `${SAMPLE_DIR}/statistics/destatis-bildungsfinanzen/ausgaben_21711-01.csv`,
  'utf8',
);

describe('column-named CSV', () => {
  it('is recognised by the exact header line, with or without BOM and CRLF', () => {
    expect(detect(TEXT, recipes)?.tables).toEqual(['21711-01']);
    expect(detect(`\uFEFF${TEXT.replace(/\n/g, '\r\n')}`, recipes)?.tables).toEqual(['21711-01']);
    expect(detect(TEXT.replace('Anmerkung', 'Anmerkungen'), recipes)).toBeNull();
    expect(detect('Tabelle: 21711-01\n', recipes)).toBeNull();
  });

  it('reads values, signs and dimensions; an unknown sign is an issue with its place', () => {
    const recipe = detect(TEXT, recipes);
    if (!recipe) throw new Error('no recipe');
    const ok = parse(TEXT, recipe);
    expect(ok.issues).toEqual([]);
    expect(ok.records).toHaveLength(136);
    const bad = parse(TEXT.replace(/;10300;p$/m, ';10300;q'), recipe);
    expect(bad.issues).toEqual([
      expect.objectContaining({ code: 'BIMO_E_PARSE', message: expect.stringContaining('"q"') }),
    ]);
    expect(bad.issues[0]?.column).toBeGreaterThan(1);
  });

  it('survives cut and mutated files', () => {
    const recipe = detect(TEXT, recipes);
    if (!recipe) throw new Error('no recipe');
    const head = TEXT.slice(0, TEXT.indexOf('\n') + 1);
    fc.assert(
      fc.property(
        fc.tuple(fc.nat({ max: 3000 }), fc.nat({ max: 100 }), fc.string({ maxLength: 20 })),
        ([at, del, ins]) => {
          const body = TEXT.slice(head.length, head.length + 3000);
          const text = head + body.slice(0, at) + ins + body.slice(at + del);
          for (const i of parse(text, recipe).issues) {
            expect(i.line).toBeGreaterThan(0);
            expect(i.column).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
