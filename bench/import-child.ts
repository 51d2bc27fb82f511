/**
 * One measured import in its own process (used by bench/import.ts): `bimo` streams the file into
 * a fresh DuckDB database, `duckdb` loads it into a table with read_csv. Prints one JSON line with the
 * time, the rows and the process's peak memory (maxRSS).
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { importFile, loadRecipes } from '../src/ingest/index.ts';
import { buildRegionData, RegionRegistry } from '../src/regions/index.ts';
import { openStore } from '../src/store/index.ts';

const [mode, path, work] = process.argv.slice(2);
if (!path || !work) throw new Error('usage: import-child.ts bimo|duckdb FILE WORKDIR');
const sample = process.env.BIMO_SAMPLE_DATA ?? join(import.meta.dirname, '../../shared/data');

let rows = 0;
let ms = 0;
if (mode === 'bimo') {
  const store = await openStore({ dataDir: mkdtempSync(join(work, 'db-')) });
  await store.replaceRegions(await buildRegionData(sample));
  const regions = new RegionRegistry(await store.loadRegions());
  let lastLog = 0;
  const t0 = performance.now();
  const [r] = await importFile(path, {
    store,
    regions,
    recipes: loadRecipes(),
    onProgress: (p) => {
      if (performance.now() - lastLog < 10_000) return;
      lastLog = performance.now();
      console.error(`  … ${p.phase} ${Math.floor((p.bytes / p.totalBytes) * 100)} %`);
    },
  });
  ms = performance.now() - t0;
  await store.close();
  if (r?.status !== 'imported') throw new Error(`${r?.status}: ${r?.issues[0]?.message}`);
  rows = r.rows.total;
} else {
  const instance = await DuckDBInstance.create(
    join(mkdtempSync(join(work, 'duck-')), 'ref.duckdb'),
  );
  const conn = await instance.connect();
  const t0 = performance.now();
  await conn.run(
    `CREATE TABLE ref AS SELECT * FROM read_csv($1, delim = ';', header = true, all_varchar = true)`,
    [path],
  );
  ms = performance.now() - t0;
  const reader = await conn.runAndReadAll('SELECT count(*) AS n FROM ref');
  rows = Number(reader.getRowObjectsJS()[0]?.n ?? 0);
  conn.closeSync();
  instance.closeSync();
}
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ ms, rows, maxRssMb }));
