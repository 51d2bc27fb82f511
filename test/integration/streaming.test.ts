/**
 * Large files stream: flat files and templates above the threshold go through the same row
 * readers in batches, straight into the store's transaction. These tests force streaming on the
 * real sample files (threshold 0) and prove it gives exactly what the whole-file path gives; that
 * a broken or duplicated row in the middle rolls everything back with file:line:column; and that
 * ZIP members, dry runs, repeats and progress work the same way. Duplicates are found in the
 * staging table on DuckDB and on PostgreSQL.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  importFile,
  loadRecipes,
  type ImportOptions,
  type ImportProgress,
  type ImportReport,
} from '../../src/ingest/index.ts';
import { buildRegionData, RegionRegistry } from '../../src/regions/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { freshDatabaseUrl } from '../helpers/pg-database.ts';
import { SAMPLE_DIR } from '../helpers/sample.ts';

const FF = (name: string): string => join(SAMPLE_DIR, 'genesis-samples/ffcsv', name);
const POP = FF('12411-01-01-4_1773175772751_de_flat.csv');
const STUDENTS = FF('21311-01-01-4-B_1773175045085_de_flat_NRW-only.csv');
const TEMPLATE = new URL('../../docs/templates/eigene-daten-beispiel.csv', import.meta.url)
  .pathname;
const tmp = mkdtempSync(join(tmpdir(), 'bimo-stream-'));
const recipes = loadRecipes();
let regions: RegionRegistry;

async function newStore(url?: string): Promise<Store> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bimo-stream-db-'));
  const store = await openStore(url ? { dataDir, databaseUrl: url } : { dataDir });
  await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
  regions ??= new RegionRegistry(await store.loadRegions());
  return store;
}

function opts(store: Store, extra: Partial<ImportOptions> = {}): ImportOptions {
  return { store, regions, recipes, now: () => new Date('2026-11-21T10:00:00Z'), ...extra };
}

async function one(path: string, o: ImportOptions): Promise<ImportReport> {
  const [r] = await importFile(path, o);
  if (!r) throw new Error('no report');
  return r;
}

async function snapshot(store: Store): Promise<{ count: number; releases: number[] }> {
  const rows = await store.queryObservations({});
  return { count: rows.length, releases: (await store.listReleases()).map((r) => r.id) };
}

/**
 * A real v5 flat file rewritten as the older v4 generation: German header, one value column
 * `BEVSTD__Bevoelkerungsstand__Anzahl`, German dates, Windows-1252 — as pre-2025 downloads were.
 */
function v4From(v5Path: string): string {
  const lines = readFileSync(v5Path, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n');
  const out = [
    'Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;2_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl',
  ];
  for (const line of lines.slice(1)) {
    const f = line.split(';');
    const [y, m, d] = (f[4] ?? '').split('-');
    out.push([...f.slice(0, 4), `${d}.${m}.${y}`, ...f.slice(5, 13), f[13]].join(';'));
  }
  const path = join(tmp, '12411-01-01-4_1773175772751_de_flat_v4.csv');
  const text = out.join('\r\n') + '\r\n';
  // Windows-1252: every character of these files is in Latin-1, so one byte per char.
  writeFileSync(path, Buffer.from(text, 'latin1'));
  return path;
}

describe('streamed import equals whole-file import', () => {
  let whole: Store;
  let streamed: Store;
  beforeAll(async () => {
    whole = await newStore();
    streamed = await newStore();
  });
  afterAll(async () => {
    await whole.close();
    await streamed.close();
  });

  const cases: [string, () => string][] = [
    ['ffcsv v5, Stichtag (12411-01-01-4)', () => POP],
    ['ffcsv v5, semesters and many dims (21311-01-01-4-B)', () => STUDENTS],
    ['ffcsv v4, Windows-1252, German dates (12411 rewritten)', () => v4From(POP)],
    ['bimo template for own data', () => TEMPLATE],
  ];
  for (const [name, file] of cases) {
    it(name, async () => {
      const path = file();
      const a = await one(path, opts(whole));
      const progress: ImportProgress[] = [];
      const b = await one(
        path,
        opts(streamed, { streamThreshold: 0, onProgress: (p) => progress.push(p) }),
      );
      expect(a.status, JSON.stringify(a.issues.slice(0, 3))).toBe('imported');
      expect(b.status, JSON.stringify(b.issues.slice(0, 3))).toBe('imported');
      expect({ ...b, releaseId: 0 }).toEqual({ ...a, releaseId: 0 });
      const rowsA = await whole.queryObservations({ tableCode: a.tableCode ?? '' });
      const rowsB = await streamed.queryObservations({ tableCode: b.tableCode ?? '' });
      const strip = (rows: typeof rowsA) =>
        rows
          .map((r) => ({ ...r, releaseId: 0 }))
          .sort((x, y) =>
            `${x.variableId}|${x.regionCode}|${x.period}|${x.dimsKey}`.localeCompare(
              `${y.variableId}|${y.regionCode}|${y.period}|${y.dimsKey}`,
            ),
          );
      expect(rowsB.length).toBeGreaterThan(0);
      expect(strip(rowsB)).toEqual(strip(rowsA));
      // Progress: a hashing pass, then the import up to the whole file.
      expect(progress.some((p) => p.phase === 'checking')).toBe(true);
      const last = progress.at(-1);
      expect(last?.phase).toBe('importing');
      expect(last?.bytes).toBe(last?.totalBytes);
      expect(last?.rows).toBe(a.rows.total + 1);
    });
  }

  it('v4 keeps the Düren values of the v5 file (279 285 = 139 089 m + 140 196 w, 31.12.2024)', async () => {
    const rows = await streamed.queryObservations({ regionCodes: ['05358'] });
    const v4 = rows.filter((r) => r.origin && r.tableCode === '12411-01-01-4');
    const byDims = new Map(
      v4.filter((r) => r.period === '2024-12-31').map((r) => [`${r.variableId}|${r.dimsKey}`, r]),
    );
    const values = [...byDims.values()].map((r) => r.value).sort();
    expect(values).toEqual(expect.arrayContaining([139089, 140196, 279285]));
  });

  it('a repeated streamed file changes nothing and says so', async () => {
    const before = await snapshot(streamed);
    const r = await one(POP, opts(streamed, { streamThreshold: 0 }));
    expect(r.status).toBe('unchanged');
    expect(await snapshot(streamed)).toEqual(before);
  });
});

describe('streamed import refuses broken files whole', () => {
  let store: Store;
  beforeAll(async () => {
    store = await newStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('a bad value on line 1200 rolls back everything read before it, naming line and column', async () => {
    const lines = readFileSync(POP, 'utf8').split('\n');
    const line = lines[1199] ?? '';
    const fields = line.split(';');
    const valueIdx = 13;
    fields[valueIdx] = '12x4';
    lines[1199] = fields.join(';');
    const path = join(tmp, 'broken_1773175772751_de_flat.csv');
    writeFileSync(path, lines.join('\n'));
    const before = await snapshot(store);
    const r = await one(path, opts(store, { streamThreshold: 0 }));
    expect(r.status).toBe('rejected');
    const col = fields.slice(0, valueIdx).join(';').length + 2; // +1 for the `;`, 1-based
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        line: 1200,
        column: col,
        message: expect.stringContaining('12x4'),
      }),
    ]);
    expect(r.rows.rejected).toBe(1);
    expect(r.releaseId).toBeNull();
    expect(await snapshot(store)).toEqual(before);
  });

  it('an unclosed quote (cut file) is refused with its line', async () => {
    const text = readFileSync(POP, 'utf8').split('\n').slice(0, 700).join('\n');
    const path = join(tmp, 'cut_1773175772751_de_flat.csv');
    writeFileSync(path, `${text}\n12411;"Fortschreibung`);
    const before = await snapshot(store);
    const r = await one(path, opts(store, { streamThreshold: 0 }));
    expect(r.status).toBe('rejected');
    expect(r.issues[0]).toMatchObject({ severity: 'error', line: 701 });
    expect(await snapshot(store)).toEqual(before);
  });

  it('a dry run reads everything and writes nothing', async () => {
    const before = await snapshot(store);
    const r = await one(POP, opts(store, { streamThreshold: 0, dryRun: true }));
    const w = await one(POP, opts(store, { dryRun: true }));
    expect(r.status).toBe('dry-run');
    expect({ ...r, issues: [] }).toEqual({ ...w, issues: [] });
    expect(r.observations).toBe(1245); // 1467 rows less 222 of dissolved Kreise (Görlitz 14263, …)
    expect(await snapshot(store)).toEqual(before);
  });

  it('a large ZIP member is unpacked to a temporary file and streamed', async () => {
    const path = join(tmp, 'api.zip');
    writeFileSync(
      path,
      zipSync({ '12411-01-01-4_1773175772751_de_flat.csv': new Uint8Array(readFileSync(POP)) }),
    );
    const [r] = await importFile(path, opts(store, { streamThreshold: 1000 }));
    expect(r?.status).toBe('imported');
    expect(r?.file).toBe(`${path}!12411-01-01-4_1773175772751_de_flat.csv`);
    expect(r?.observations).toBe(1245);
  });
});

describe.each(['duckdb', 'postgres'])('duplicate cells in a streamed file (%s)', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await newStore(
      backend === 'postgres'
        ? await freshDatabaseUrl(inject('databaseUrl'), 'bimo_stream')
        : undefined,
    );
  });
  afterAll(async () => {
    await store.close();
  });

  it('are refused with both places, and nothing is written', async () => {
    const lines = readFileSync(POP, 'utf8').replace(/\n$/, '').split('\n');
    lines.push(lines[5] ?? '');
    const path = join(tmp, `dup_${backend}_1773175772751_de_flat.csv`);
    writeFileSync(path, lines.join('\n'));
    const before = await snapshot(store);
    // A dry run finds them too (it writes into the staging table and rolls back).
    for (const dryRun of [true, false]) {
      const r = await one(path, opts(store, { streamThreshold: 0, dryRun }));
      expect(r.status).toBe('rejected');
      const errors = r.issues.filter((i) => i.severity === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ line: lines.length, column: expect.any(Number) });
      expect(errors[0]?.message).toContain('the first is at 6:');
      expect(await snapshot(store)).toEqual(before);
    }
    // The staging table is gone with the rollback; a clean file then imports.
    expect((await one(POP, opts(store, { streamThreshold: 0 }))).status).toBe('imported');
  });
});
