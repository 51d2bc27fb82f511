/**
 * Vergleichstypen: Ward's method checked by hand and against a brute-force reference, its
 * independence of input order, and the peer groups of the real 400 Kreise from the sample files.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBytes, importFile, loadRecipes } from '../ingest/index.ts';
import { buildGeometries, buildRegionData, RegionRegistry } from '../regions/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { SAMPLE_DIR } from '../../test/helpers/sample.ts';
import { buildPeerGroups, wardClusters, type PeerGroupResult } from './peers.ts';

/** Code → cluster index as sorted entries, so that Map insertion order does not matter. */
const sorted = (m: Map<string, number>): [string, number][] =>
  [...m].sort(([a], [b]) => (a < b ? -1 : 1));

/** Partition as sorted lists of codes (cluster numbering ignored). */
function partition(m: Map<string, number>): string[][] {
  const groups = new Map<number, string[]>();
  for (const [code, c] of sorted(m)) groups.set(c, [...(groups.get(c) ?? []), code]);
  return [...groups.values()].sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

describe('wardClusters', () => {
  // Three obvious pairs: squared distances 1 (a–b), 4 (c–d) and 9 (e–f); everything else ≥ 58.
  const pairs = new Map<string, number[]>([
    ['a', [0, 0]],
    ['b', [0, 1]],
    ['c', [10, 0]],
    ['d', [10, 2]],
    ['e', [0, 10]],
    ['f', [3, 10]],
  ]);

  it('merges the three pairs first: k = 3 gives the pairs, numbered by smallest code', () => {
    expect(sorted(wardClusters(pairs, 3))).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 1],
      ['d', 1],
      ['e', 2],
      ['f', 2],
    ]);
  });

  it('then joins the two pairs whose merge adds the least within-cluster sum of squares', () => {
    // Centroids ab (0, 0.5), cd (10, 1), ef (1.5, 10); for two pairs the increase is
    // 2·2/4 · |Δcentroid|²: ab+ef 92.5, ab+cd 100.25, cd+ef 153.25 → {a, b, e, f} and {c, d}.
    expect(partition(wardClusters(pairs, 2))).toEqual([
      ['a', 'b', 'e', 'f'],
      ['c', 'd'],
    ]);
    expect(partition(wardClusters(pairs, 1))).toEqual([['a', 'b', 'c', 'd', 'e', 'f']]);
    expect(sorted(wardClusters(pairs, 6)).map(([, c]) => c)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('breaks ties by the lowest codes, not by position or input order', () => {
    // On a line at 0, 1, 2, 3 every neighbour pair is 1 apart; the lowest codes '1' and '2' sit
    // in the middle, so the first merge is {1, 2}, not the first pair in the input.
    const line = new Map([
      ['3', [0]],
      ['1', [1]],
      ['2', [2]],
      ['4', [3]],
    ]);
    expect(partition(wardClusters(line, 3))).toEqual([['1', '2'], ['3'], ['4']]);
  });

  it('gives the same clusters for every input order, even with ties and duplicate points', () => {
    const points = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
      {
        minLength: 1,
        maxLength: 30,
      },
    );
    const input = points.chain((pts) =>
      fc.tuple(
        fc.constant(pts.map((p, i): [string, number[]] => [`k${String(i).padStart(2, '0')}`, p])),
        fc.integer({ min: 1, max: pts.length }),
        fc.shuffledSubarray([...pts.keys()], { minLength: pts.length, maxLength: pts.length }),
      ),
    );
    fc.assert(
      fc.property(input, ([entries, k, order]) => {
        const base = wardClusters(new Map(entries), k);
        const shuffled = wardClusters(new Map(order.map((i) => entries[i]!)), k);
        expect(sorted(shuffled)).toEqual(sorted(base));
        // Exactly k clusters, numbered by their smallest member code.
        const firsts = partition(base).map((g) => base.get(g[0]!));
        expect(firsts).toEqual([...Array(k).keys()]);
      }),
    );
  });

  it('agrees with a brute-force Ward (least increase of the sum of squares) for every k', () => {
    let seed = 7;
    const random = (): number => {
      // mulberry32: a fixed pseudo-random sequence, so the test is reproducible.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (let round = 0; round < 8; round++) {
      const rows = new Map<string, number[]>();
      for (let i = 0; i < 14; i++) rows.set(`p${i + 10}`, [random(), random(), random() * 3]);
      for (let k = 1; k <= rows.size; k++) {
        expect(partition(wardClusters(rows, k))).toEqual(bruteForceWard(rows, k));
      }
    }
  });

  it('refuses a k outside 1..n and rows of unequal length or with non-numbers', () => {
    expect(() => wardClusters(pairs, 0)).toThrow(/k must be an integer from 1 to 6/);
    expect(() => wardClusters(pairs, 7)).toThrow(RangeError);
    expect(() =>
      wardClusters(
        new Map([
          ['a', [1, 2]],
          ['b', [1]],
        ]),
        1,
      ),
    ).toThrow(/b needs 2/);
    expect(() =>
      wardClusters(
        new Map([
          ['a', [NaN]],
          ['b', [1]],
        ]),
        1,
      ),
    ).toThrow(/finite/);
  });
});

/** Ward by definition: merge the two clusters whose union raises the sum of squares least. */
function bruteForceWard(rows: Map<string, number[]>, k: number): string[][] {
  const ss = (codes: string[]): number => {
    const pts = codes.map((c) => rows.get(c)!);
    const centre = pts[0]!.map((_, f) => pts.reduce((s, p) => s + p[f]!, 0) / pts.length);
    return pts.reduce((s, p) => s + p.reduce((t, v, f) => t + (v - centre[f]!) ** 2, 0), 0);
  };
  let clusters = [...rows.keys()].sort().map((c) => [c]);
  while (clusters.length > k) {
    let best = { cost: Infinity, i: 0, j: 0 };
    clusters.forEach((a, i) =>
      clusters.slice(i + 1).forEach((b, o) => {
        const cost = ss([...a, ...b]) - ss(a) - ss(b);
        if (cost < best.cost) best = { cost, i, j: i + 1 + o };
      }),
    );
    const merged = [...clusters[best.i]!, ...clusters[best.j]!].sort();
    clusters = clusters.filter((_, x) => x !== best.i && x !== best.j).concat([merged]);
  }
  return clusters.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

const REVIER = ['05116', '05162', '05334', '05358', '05362', '05366', '05370'];
const DUEREN = '05358';
const FILES = [
  'ffcsv/12411-01-01-4_1773175772751_de_flat.csv',
  'regionalstatistik-classic/82411-01-03-4.csv',
  'regionalstatistik-classic/13211-02-05-4.csv',
  'regionalstatistik-classic/21111-01-03-4.csv',
].map((f) => join(SAMPLE_DIR, 'genesis-samples', f));

describe('buildPeerGroups on the real sample data (400 Kreise)', () => {
  let dataDir: string;
  let store: Store;
  let regions: RegionRegistry;
  let result: PeerGroupResult;
  const groupOf = (code: string) => result.groups.find((g) => g.members.includes(code));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bimo-peers-'));
    store = await openStore({ dataDir });
    await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
    await store.replaceGeometries(await buildGeometries(SAMPLE_DIR));
    regions = new RegionRegistry(await store.loadRegions());
    const recipes = loadRecipes();
    for (const file of FILES) {
      const [report] = await importFile(file, { store, regions, recipes });
      expect(report?.status).toBe('imported');
    }
    result = await buildPeerGroups(store, regions);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses the newest period of each feature and clusters all 400 Kreise', () => {
    expect(result.year).toBe(2025);
    expect(result.features.map((f) => `${f.id}@${f.period}`)).toEqual([
      'bevoelkerungsdichte@2024-12-31',
      'verfuegbares_einkommen_je_ew@2021',
      'arbeitslosenquote@2025',
      'anteil_auslaendische_schueler@2024',
    ]);
    // Hamburg and Berlin have only Land rows in three of the tables: taken from 02 and 11.
    expect(result.excluded).toEqual([]);
    const all = result.groups.flatMap((g) => g.members);
    expect(all).toHaveLength(400);
    expect(new Set(all).size).toBe(400);
    expect(result.groups.map((g) => g.id)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `vergleichstyp-${i}`),
    );
    expect(result.groups.map((g) => g.members.length)).toEqual([83, 91, 68, 45, 7, 27, 56, 23]);
  });

  it('numbers the groups from thin to dense settlement (geometric mean density)', () => {
    const density = result.groups.map((g) => g.profile['bevoelkerungsdichte']!);
    expect(density).toEqual([...density].sort((a, b) => a - b));
  });

  it('gives every Revier Kreis a group; Düren with Kleve, Euskirchen, Heinsberg and Hildesheim', () => {
    expect(REVIER.map((c) => groupOf(c)?.id)).toEqual(
      [8, 6, 7, 1, 6, 1, 1].map((i) => `vergleichstyp-${i}`),
    );
    const dueren = groupOf(DUEREN)!;
    expect(dueren.name).toBe(
      'Vergleichstyp 1: dünn besiedelt, niedriger Ausländeranteil an Schulen, niedriges Einkommen',
    );
    expect(dueren.members).toHaveLength(83);
    expect(dueren.members.filter((c) => c.startsWith('05'))).toEqual([
      '05154',
      '05358',
      '05366',
      '05370',
    ]);
    // Landkreise Hildesheim, Göttingen and Gießen: Düren's nearest neighbours in feature space.
    expect(dueren.members).toEqual(expect.arrayContaining(['03254', '03159', '06531']));
    expect(dueren.profile).toEqual({
      bevoelkerungsdichte: 112.5,
      verfuegbares_einkommen_je_ew: 22377.5,
      arbeitslosenquote: 6.7,
      anteil_auslaendische_schueler: 9.5,
    });
  });

  it('measures density on the stored Kreis geometry: Düren 279 285 EW on 941.5 km²', async () => {
    const alone = await buildPeerGroups(store, regions, { k: 400 });
    const own = alone.groups.find((g) => g.members[0] === DUEREN)!;
    expect(own.profile['bevoelkerungsdichte']! / (279285 / 941.49)).toBeCloseTo(1, 2);
    expect(own.profile['anteil_auslaendische_schueler']).toBe(15.5);
  });

  it('is reproducible: a second run gives identical output', async () => {
    expect(await buildPeerGroups(store, regions)).toEqual(result);
  });

  it('refuses a year for which a feature has no data instead of mixing in later values', async () => {
    await expect(buildPeerGroups(store, regions, { year: 2023 })).rejects.toThrow(
      /no period up to 2023 with bevoelkerung for at least half of the Kreise/,
    );
  });

  it('leaves a Kreis with a missing value out and says why', async () => {
    // Düren's income replaced by '.' (secret) in a new release of the same table.
    const file = FILES[1]!;
    const text = new TextDecoder('windows-1252').decode(readFileSync(file));
    const secret = text.replace(
      '05358;      Düren, Kreis;6078838;22857',
      '05358;      Düren, Kreis;6078838;.',
    );
    expect(secret).not.toBe(text);
    const recipes = loadRecipes();
    const report = await importBytes(
      new Uint8Array(Buffer.from(secret, 'latin1')),
      '82411-01-03-4.csv',
      {
        store,
        regions,
        recipes,
      },
    );
    expect(report.status).toBe('imported');
    const without = await buildPeerGroups(store, regions);
    expect(without.excluded).toEqual([
      {
        code: DUEREN,
        reason:
          'keine Werte: Verfügbares Einkommen der privaten Haushalte je Einwohner (EUR) (2021)',
      },
    ]);
    expect(without.groups.flatMap((g) => g.members)).toHaveLength(399);
  });
});
