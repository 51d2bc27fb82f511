/**
 * Import benchmark (`npm run bench:import`): rows per second for each import format on real
 * sample files, side by side with DuckDB's own `read_csv` of the same file as the reference, and
 * the peak memory of a streamed import of a generated flat file (default 1 GB; BENCH_FLAT_MB to
 * change). Every run uses a fresh DuckDB database; timings are the best of BENCH_REPEAT (3) runs.
 * Not a test: nothing here asserts a time.
 *
 *   npm run bench:import                      # all formats + 1 GB flat file
 *   BENCH_FLAT_MB=200 npm run bench:import    # smaller generated file
 */
import { execFileSync } from 'node:child_process';
import {
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import { decodeText, importFile, loadRecipes } from '../src/ingest/index.ts';
import { buildRegionData, RegionRegistry, type RegionData } from '../src/regions/index.ts';
import { openStore } from '../src/store/index.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE = resolve(process.env.BIMO_SAMPLE_DATA ?? join(ROOT, '../shared/data'));
const G = (p: string): string => join(SAMPLE, 'genesis-samples', p);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const FLAT_MB = Number(process.env.BENCH_FLAT_MB ?? 1024);
const work = mkdtempSync(join(tmpdir(), 'bimo-bench-import-'));

/** Real files per format; generated ones are derived from real ones (see below). */
const FILES: { format: string; path: () => string }[] = [
  { format: 'classic table CSV', path: () => G('regionalstatistik-classic/21111-01-03-4.csv') },
  { format: 'IT.NRW table CSV', path: () => G('landesdatenbank-nrw/2024/13111-54i.csv') },
  { format: 'ffcsv v5', path: () => G('ffcsv/AI-N-01-2-5_1773175147935_de_flat.csv') },
  { format: 'ffcsv v4 (from v5)', path: () => flatV4() },
  { format: 'cube', path: () => G('cube/cubefile-47414BJ002.csv') },
  { format: 'bimo template (from 12411)', path: () => template() },
];

const POP = G('ffcsv/12411-01-01-4_1773175772751_de_flat.csv');

function popRows(): string[][] {
  return readFileSync(POP, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(';'));
}

function flatV4(): string {
  const path = join(work, '12411-01-01-4_1773175772751_de_flat_v4.csv');
  const lines = [
    'Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;2_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl',
  ];
  for (const f of popRows()) {
    const [y, m, d] = (f[4] ?? '').split('-');
    lines.push([...f.slice(0, 4), `${d}.${m}.${y}`, ...f.slice(5, 13), f[13]].join(';'));
  }
  writeFileSync(path, Buffer.from(lines.join('\r\n') + '\r\n', 'latin1'));
  return path;
}

function template(): string {
  const path = join(work, 'bevoelkerung-vorlage.csv');
  const lines = ['# Tabelle: bench-bevoelkerung', 'Regionalschlüssel;Zeit;Merkmal;Geschlecht;Wert'];
  for (const f of popRows()) {
    lines.push([f[7], f[4], 'bevoelkerung', f[12], f[13]].join(';'));
  }
  writeFileSync(path, Buffer.from(lines.join('\n') + '\n', 'utf8'));
  return path;
}

async function timeBimo(
  path: string,
  regionData: RegionData,
): Promise<{ ms: number; rows: number; values: number; mode: string }> {
  let best = Infinity;
  let rows = 0;
  let values = 0;
  for (let i = 0; i < REPEAT; i++) {
    const dir = mkdtempSync(join(work, 'db-'));
    const store = await openStore({ dataDir: dir });
    await store.replaceRegions(regionData);
    const regions = new RegionRegistry(await store.loadRegions());
    const t0 = performance.now();
    const [r] = await importFile(path, { store, regions, recipes: loadRecipes() });
    const ms = performance.now() - t0;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    if (r?.status !== 'imported') throw new Error(`${path}: ${r?.status} ${r?.issues[0]?.message}`);
    best = Math.min(best, ms);
    rows = r.rows.total;
    values = r.observations;
  }
  return { ms: best, rows, values, mode: 'whole file' };
}

async function timeDuckDb(path: string): Promise<number> {
  let best = Infinity;
  const encoding = decodeText(readFileSync(path)).encoding === 'windows-1252' ? 'latin-1' : 'utf-8';
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    // The reference: DuckDB loads the same bytes into a table as text rows (no typing, no mapping).
    await conn.run(
      `CREATE OR REPLACE TABLE ref AS SELECT * FROM read_csv($1, delim = ';', header = false,
         all_varchar = true, null_padding = true, ignore_errors = true, strict_mode = false,
         parallel = false, encoding = $2)`,
      [path, encoding],
    );
    best = Math.min(best, performance.now() - t0);
  }
  conn.closeSync();
  instance.closeSync();
  return best;
}

/** A flat file of about `mb` MB: the 12411 rows repeated with a new Stichtag per copy. */
async function generateFlatFile(mb: number): Promise<string> {
  const path = join(work, `12411-01-01-4_1773175772751_de_flat_${mb}MB.csv`);
  const text = readFileSync(POP, 'utf8').replace(/^\uFEFF/, '');
  const [header, ...rows] = text.trim().split('\n');
  const out = createWriteStream(path);
  out.write(`\uFEFF${header}\n`);
  let written = 0;
  const day = new Date('1900-01-01T00:00:00Z');
  while (written < mb * 1024 ** 2) {
    const date = day.toISOString().slice(0, 10);
    const block = rows.map((r) => r.replace(';2024-12-31;', `;${date};`)).join('\n') + '\n';
    written += Buffer.byteLength(block);
    if (!out.write(block)) await once(out, 'drain');
    day.setUTCDate(day.getUTCDate() + 1);
  }
  out.end();
  await once(out, 'finish');
  return path;
}

/** Runs bench/child.ts in its own process, so its peak memory (maxRSS) is its own. */
function child(
  mode: 'bimo' | 'duckdb',
  path: string,
): { ms: number; maxRssMb: number; rows: number } {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/import-child.ts'), mode, path, work],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    ms: number;
    maxRssMb: number;
    rows: number;
  };
}

const fmt = (n: number, d = 0): string =>
  n.toLocaleString('de-DE', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  console.log(`bench/import — best of ${REPEAT}, fresh DuckDB database per run, ${SAMPLE}\n`);
  const regionData = await buildRegionData(SAMPLE);
  const header = [
    'format',
    'file',
    'rows',
    'values',
    'bimo rows/s',
    'read_csv rows/s',
    'bimo ÷ read_csv',
  ];
  const table: string[][] = [];
  for (const f of FILES) {
    const path = f.path();
    const b = await timeBimo(path, regionData);
    const d = await timeDuckDb(path);
    table.push([
      f.format,
      path.split('/').at(-1) ?? path,
      fmt(b.rows),
      fmt(b.values),
      fmt((b.rows / b.ms) * 1000),
      fmt((b.rows / d) * 1000),
      `${fmt(b.ms / d, 1)}×`,
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...table]) {
    console.log(
      row.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '),
    );
  }

  console.log(`\nGenerated flat file of ${FLAT_MB} MB (streamed import, separate processes):`);
  const flat = await generateFlatFile(FLAT_MB);
  const size = statSync(flat).size;
  const b = child('bimo', flat);
  const d = child('duckdb', flat);
  console.log(
    [
      `  file: ${fmt(size / 1024 ** 2)} MB, ${fmt(b.rows)} rows`,
      `  bimo import:      ${fmt(b.ms / 1000, 1)} s, ${fmt((b.rows / b.ms) * 1000)} rows/s, peak memory ${fmt(b.maxRssMb)} MB`,
      `  DuckDB read_csv:  ${fmt(d.ms / 1000, 1)} s, ${fmt((d.rows / d.ms) * 1000)} rows/s, peak memory ${fmt(d.maxRssMb)} MB`,
      `  ratio bimo ÷ read_csv: ${fmt(b.ms / d.ms, 1)}× the time`,
    ].join('\n'),
  );
  rmSync(work, { recursive: true, force: true });
}

await main();
