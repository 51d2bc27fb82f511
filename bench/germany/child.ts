/**
 * One measured side of the Germany-scale bench in its own process, so that its peak memory
 * (maxRSS) is its own. Prints progress on stderr and one JSON line on stdout.
 *
 *   bimo BACKEND MANIFEST DATADIR OURS_TSV   import + compute (DATABASE_URL selects PostgreSQL)
 *   reference MANIFEST DUCKFILE OURS_TSV     read_csv + one SQL query, and the agreement check
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openStore } from '../../src/store/index.ts';
import type { Manifest } from './generate.ts';
import { computeIndicators, importAll } from './pipeline.ts';
import {
  agreement,
  loadRaw,
  loadRegions,
  REFERENCE_INDICATORS,
  runReference,
} from './reference.ts';
import { germanyRegionData } from './regions.ts';

const SAMPLE = resolve(
  process.env.BIMO_SAMPLE_DATA ?? join(import.meta.dirname, '../../../shared/data'),
);
const log = (m: string): void => void process.stderr.write(`${m}\n`);
const [mode, manifestPath, target, tsv] = process.argv.slice(2);
if (!manifestPath || !target || !tsv)
  throw new Error('usage: child.ts bimo|reference MANIFEST TARGET TSV');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
const regionData = await germanyRegionData(SAMPLE);
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

if (mode === 'bimo') {
  const store = await openStore({ dataDir: target, databaseUrl: process.env.DATABASE_URL });
  const imported = await importAll(store, regionData, manifest, log);
  const importRss = maxRssMb();
  log(`  import: ${(imported.ms / 1000).toFixed(1)} s; computing every indicator (bimo compute) …`);
  const all = await computeIndicators(store, undefined, log);
  log(`  compute (all): ${(all.ms / 1000).toFixed(1)} s; the reference's four indicators again …`);
  const four = await computeIndicators(store, REFERENCE_INDICATORS, log);
  // Not push(...rows): A1 alone has ~860 000 values, more arguments than the stack holds.
  const values = [];
  for (const id of REFERENCE_INDICATORS) {
    for (const v of await store.queryIndicatorValues({ indicatorId: id })) values.push(v);
  }
  const lines = ['indicator_id\tregion_code\tperiod\tdims_key\tvalue'];
  for (const v of values) {
    lines.push(`${v.indicatorId}\t${v.regionCode}\t${v.period}\t${v.dimsKey}\t${v.value ?? ''}`);
  }
  writeFileSync(tsv, `${lines.join('\n')}\n`);
  await store.close();
  console.log(
    JSON.stringify({ imported, all, four, importRssMb: importRss, maxRssMb: maxRssMb() }),
  );
} else {
  const instance = await DuckDBInstance.create(target);
  const conn = await instance.connect();
  await loadRegions(conn, regionData);
  let t = performance.now();
  const rows = await loadRaw(
    conn,
    manifest.files.map((f) => f.path),
  );
  const readMs = performance.now() - t;
  log(`  reference read_csv: ${rows} rows in ${(readMs / 1000).toFixed(1)} s`);
  const readRss = maxRssMb();
  t = performance.now();
  const values = await runReference(conn);
  const queryMs = performance.now() - t;
  log(`  reference query: ${values} values in ${(queryMs / 1000).toFixed(1)} s`);
  const check = await agreement(conn, tsv);
  conn.closeSync();
  instance.closeSync();
  console.log(
    JSON.stringify({
      rows,
      readMs,
      queryMs,
      values,
      check,
      readRssMb: readRss,
      maxRssMb: maxRssMb(),
    }),
  );
}
