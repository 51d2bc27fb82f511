/**
 * Data quality checks on indicator values and running them, on small hand-made inputs: each check
 * reports what it should (with the numbers and the explanation) and stays silent where rounding or
 * the rules explain the data.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Flag } from '../../domain/index.ts';
import { openStore } from '../../store/index.ts';
import {
  checkCoverage,
  checkFlagCounts,
  checkJumps,
  checkRevierFlags,
  checkShareRange,
  checkSmallCounts,
  isShare,
  runAll,
  runChecks,
} from './index.ts';
import { catalogOf, dataOf, ind, REGIONS, row, value } from './test-helpers.ts';

describe('indicator checks', () => {
  const catalog = catalogOf([
    ind('D1', '100 * n[a=x] / n'),
    ind('D2', 'n', { unit: 'Anzahl', decimals: 0 }),
    ind('D3', '100 * (n - n@-1) / n@-1', { period_alignment_de: 'Vorjahr' }),
    ind('D4', 'n', { unit: 'Anzahl', decimals: 0 }),
    ind('D5', 'n', { status: 'planned', feed_de: 'später' }),
  ]);
  const rows = [
    row('n', '05358', 1, { tableCode: 'T-1' }),
    row('n', '05358', 1, { period: '2024', tableCode: 'T-1-B' }),
  ];

  it('finds jumps above 5 percentage points (shares) or 20 % (counts) at Kreis level and above', () => {
    const values = new Map([
      [
        'D1',
        [
          value('05358', '2023', 10),
          value('05358', '2024', 16),
          value('05362', '2023', 10),
          value('05362', '2024', 14),
          value('05358004', '2023', 10),
          value('05358004', '2024', 40),
        ],
      ],
      [
        'D2',
        [
          value('05358', '2023', 100),
          value('05358', '2024', 130),
          value('05362', '2023', 100, { errorBound: 20 }),
          value('05362', '2024', 130, { errorBound: 20 }),
        ],
      ],
    ]);
    const found = checkJumps(dataOf({ catalog, rows, values }));
    expect(found.map((f) => `${f.data.indicator} ${f.data.region}`)).toEqual([
      'D1 05358',
      'D2 05358',
    ]);
    expect(found[0]?.message_de).toContain('10,0 → 16,0 % (+6,0 Prozentpunkte');
    expect(found[0]?.explanation_de).toContain('2023: T-1; 2024: T-1-B');
    expect(found[1]?.message_de).toContain('+30 Anzahl, +30 %');
  });

  it('flags shares outside 0–100 %: within rounding as warning, beyond as error', () => {
    expect(isShare(catalog.indicators[0] as never)).toBe(true);
    expect(isShare(catalog.indicators[2] as never)).toBe(false);
    const values = new Map([
      [
        'D1',
        [
          value('05358', '2023', 100.4, { errorBound: 0.5, numerator: 251, denominator: 250 }),
          value('05362', '2023', 104, { numerator: 104, denominator: 100 }),
          value('05', '2023', 99),
        ],
      ],
      ['D3', [value('05358', '2023', -3)]],
    ]);
    const found = checkShareRange(dataOf({ catalog, values }));
    expect(found.map((f) => [f.data.region, f.severity])).toEqual([
      ['05358', 'warning'],
      ['05362', 'error'],
    ]);
    expect(found[1]?.message_de).toContain('(Zähler 104 > Nenner 100)');
  });

  it('counts special signs per table and warns about a Revier Kreis without a value', () => {
    const signed = [
      row('n', '05358', null, { flag: '.' as Flag }),
      row('n', '05362', null, { flag: '-' as Flag }),
      row('n', '05', 5),
    ];
    const [counts] = checkFlagCounts(dataOf({ rows: signed }));
    expect(counts?.message_de).toBe('2 von 3 Zellen tragen ein Sonderzeichen: „.“ 1×, „-“ 1×.');
    const values = new Map([
      [
        'D2',
        [
          value('05358', '2023', null, { flag: 'x' }),
          value('05358', '2024', null, { flag: '.' }),
          value('05362', '2024', null, { flag: '-' }),
          value('06411', '2024', null, { flag: '.' }),
        ],
      ],
    ]);
    const found = checkRevierFlags(dataOf({ catalog, values }));
    expect(found.map((f) => f.subject)).toEqual(['D2 Titel D2 · 05358 Name 05358 · 2024']);
  });

  it('reports active indicators without values and stale ones', () => {
    const values = new Map([
      ['D1', [value('05358', '2024', 10)]],
      ['D2', [value('05358', '2019', 10)]],
      ['D3', [value('05358', '2021', 10)]],
      ['D4', []],
    ]);
    const found = checkCoverage(dataOf({ catalog, rows, values }));
    expect(found.map((f) => f.data.indicator)).toEqual(['D2', 'D4']);
    expect(found[0]?.message_de).toBe(
      'Neuester Wert aus 2019, 5 Jahre älter als die neuesten Daten (2024).',
    );
    expect(found[1]?.message_de).toContain('Gelesen wird n: Jahre 2023, 2024');
  });

  it('counts what disclosure control hides from the public', () => {
    const values = new Map([
      [
        'D1',
        [
          value('05358', '2024', 10, { suppressed: { public: 'primary' } }),
          value('05362', '2024', 10, { suppressed: { public: 'secondary' } }),
          value('05', '2023', 10, { suppressed: { public: 'primary' } }),
          value('06411', '2024', 10),
        ],
      ],
      ['D2', [value('05358', '2024', 10)]],
    ]);
    const [f, ...rest] = checkSmallCounts(dataOf({ catalog, values }));
    expect(rest).toEqual([]);
    expect(f?.data).toMatchObject({
      primary: 2,
      secondary: 1,
      latest_suppressed: 2,
      revier_suppressed: 2,
    });
  });

  it('says so instead of checking indicators when none are computed for the release', () => {
    const found = runAll(dataOf({ catalog, values: new Map([['D1', []]]) }));
    expect(found.map((f) => f.message_de)).toEqual([
      'Für Release 1 sind keine Indikatorwerte berechnet.',
    ]);
  });
});

it('refuses to check a store without a published release, and says what to do', async () => {
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-check-')) });
  try {
    await expect(
      runChecks({ store, regions: REGIONS, catalog: catalogOf([]) }),
    ).rejects.toMatchObject({
      code: 'BIMO_E_NOT_FOUND',
      fix: expect.stringContaining('bimo import'),
    });
  } finally {
    await store.close();
  }
});
