/**
 * Crash safety: `bimo import` killed with SIGKILL at random moments (while it reads the file,
 * while it writes, while it computes the indicators, or after it finished) never leaves a
 * partial release. After every kill the database opens, each release holds all of its file's
 * observations or does not exist, no staging table is left, and the release the portal serves
 * has the values of every indicator; `bimo compute` then serves the newest one. On DuckDB and on
 * PostgreSQL. The moments are random (seeded per run, printed), so repeated runs cover the phases.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { loadCatalogFull } from '../../src/indicators/index.ts';
import { DUCKDB_FILE, openStore, type Store } from '../../src/store/index.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';
import { freshDatabaseUrl } from '../helpers/pg-database.ts';
import { SAMPLE_DIR } from '../helpers/sample.ts';

const BIN = fileURLToPath(new URL('../../bin/bimo.js', import.meta.url));
const POP = join(SAMPLE_DIR, 'genesis-samples/ffcsv/12411-01-01-4_1773175772751_de_flat.csv');
/** Tables a streamed import stages its rows in; none may outlive its transaction. */
const STAGING_SQL =
  "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'observation_staging_%'";
const KILLS = Number(process.env.BIMO_CRASH_KILLS ?? 4);
/** 40 Stichtage × 1 467 rows of the real population flat file: about 59 000 rows. */
const DAYS = 40;

/** A population flat file shaped like the real one, `DAYS` Stichtage, values shifted by `shift`. */
function populationFile(dir: string, shift: number): { path: string; rows: number } {
  const [header, ...rows] = readFileSync(POP, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n');
  const out: string[] = [`\uFEFF${header}`];
  const day = new Date(Date.UTC(1950, 0, 1));
  for (let d = 0; d < DAYS; d++) {
    const date = day.toISOString().slice(0, 10);
    for (const r of rows) {
      const f = r.split(';');
      f[4] = date;
      if (/^\d+$/.test(f[13] ?? '')) f[13] = String(Number(f[13]) + shift);
      out.push(f.join(';'));
    }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  const path = join(dir, `12411-01-01-4_crash${shift}_de_flat.csv`);
  writeFileSync(path, `${out.join('\n')}\n`);
  return { path, rows: out.length - 1 };
}

/** Runs `bimo ARGS…`, killing it with SIGKILL after `killAfterMs` (never when undefined). */
async function runBimo(
  env: Record<string, string>,
  args: string[],
  killAfterMs?: number,
  killWhen?: RegExp,
): Promise<{ code: number | null; signal: string | null; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
    if (killWhen?.test(stderr)) child.kill('SIGKILL');
  });
  const timer =
    killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  clearTimeout(timer);
  if (signal === null && code !== 0)
    throw new Error(`bimo ${args[0]} failed (${code}):\n${stderr}`);
  return { code, signal, ms: performance.now() - started };
}

/** Values per indicator in a release (the active indicators with values). */
async function valueCounts(store: Store, releaseId: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const i of loadCatalogFull().indicators) {
    const n = (await store.queryIndicatorValues({ indicatorId: i.id, releaseId })).length;
    if (n > 0) counts[i.id] = n;
  }
  return counts;
}

interface Expectation {
  /** Observations of each import file (all files have the same shape). */
  rows: number;
  /** Indicator values of a complete release. */
  counts: Record<string, number>;
}

/** The invariants after a kill; true when a committed release still waits for its values. */
async function checkConsistent(store: Store, want: Expectation) {
  const releases = await store.listReleases();
  const sources = await store.listSources();
  for (const r of releases) {
    const own = sources.filter((s) => s.releaseId === r.id);
    expect(own, `release ${r.id} has its source`).toHaveLength(1);
    const obs = await store.queryObservations({ releaseId: r.id, tableCode: own[0]?.tableCode });
    const fromThis = obs.filter((o) => o.releaseId === r.id);
    if (own[0]?.fileName.includes('_crash')) {
      expect(fromThis.length, `release ${r.id}: every observation or none`).toBe(want.rows);
    } else {
      expect(fromThis.length).toBeGreaterThan(0);
    }
  }
  const served = await store.latestPublishedRelease();
  expect(served, 'a release is served').not.toBeNull();
  if (served) {
    expect(await valueCounts(store, served.id), `release ${served.id} is served complete`).toEqual(
      want.counts,
    );
  }
  const newest = await store.latestPublishedRelease({ includePending: true });
  return newest !== null && newest.id !== served?.id;
}

async function crashRuns(
  name: string,
  open: () => Promise<Store>,
  env: Record<string, string>,
  stagingTables: () => Promise<string[]>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `bimo-crash-${name}-`));
  const seed = Number(process.env.BIMO_CRASH_SEED ?? Date.now() % 100_000);
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  // One run to the end: how long an import takes, and what a complete release holds.
  const first = populationFile(dir, 0);
  const reference = await runBimo(env, ['import', first.path]);
  let store = await open();
  const served = await store.latestPublishedRelease();
  // Rows of regions outside the registry (e.g. dissolved Kreise) are skipped: count what is stored.
  const source = (await store.listSources()).find((x) => x.releaseId === served?.id);
  const stored = await store.queryObservations({
    releaseId: served?.id ?? 0,
    tableCode: source?.tableCode ?? '-',
  });
  const rows = stored.filter((o) => o.releaseId === served?.id).length;
  expect(rows).toBeGreaterThan(first.rows * 0.8);
  const want: Expectation = { rows, counts: await valueCounts(store, served?.id ?? 0) };
  expect(want.counts.A1).toBeGreaterThan(0);
  await store.close();
  const log: string[] = [
    `${name}: seed ${seed}, a full import takes ${Math.round(reference.ms)} ms`,
  ];
  for (let k = 1; k <= KILLS; k++) {
    const file = populationFile(dir, k);
    // Stratified: kill k lands at a random moment of the k-th slice of a full run's time, so
    // the kills spread over reading, writing and computing.
    const slice = reference.ms / KILLS;
    const at = Math.round(150 + (k - 1 + random()) * slice);
    const before = await open().then(async (st) => {
      const n = (await st.listReleases()).length;
      await st.close();
      return n;
    });
    const run = await runBimo(env, ['import', file.path], at);
    store = await open();
    const computing = await checkConsistent(store, want);
    const after = (await store.listReleases()).length;
    const phase =
      after === before
        ? 'nothing committed'
        : computing
          ? 'committed, values not complete'
          : 'complete';
    log.push(`kill ${k} after ${at} ms (${run.signal ?? `exit ${run.code}`}): ${phase}`);
    await store.close();
  }
  // One kill certainly while computing: right after the first indicator's values were stored.
  // The release is committed, the one served before stays served.
  const servedBefore = await open().then(async (st) => {
    const r = await st.latestPublishedRelease();
    await st.close();
    return r?.id;
  });
  const computing = await runBimo(
    env,
    ['import', populationFile(dir, KILLS + 1).path],
    undefined,
    /compute: \S+: \d+ values/,
  );
  expect(computing.signal).toBe('SIGKILL');
  store = await open();
  expect(await checkConsistent(store, want), 'a release waits for its values').toBe(true);
  expect((await store.latestPublishedRelease())?.id).toBe(servedBefore);
  await store.close();
  log.push('kill while computing: committed, values not complete; the previous release served');
  expect(await stagingTables(), 'no staging table is left').toEqual([]);
  // `bimo compute` finishes whatever a kill interrupted: the newest release is served, complete.
  await runBimo(env, ['compute']);
  store = await open();
  const newest = await store.latestPublishedRelease({ includePending: true });
  expect((await store.latestPublishedRelease())?.id).toBe(newest?.id);
  expect(await valueCounts(store, newest?.id ?? 0)).toEqual(want.counts);
  await checkConsistent(store, want);
  await store.close();
  console.log(log.join('\n'));
}

describe('SIGKILL during an import leaves a consistent database', () => {
  it('DuckDB', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bimo-crash-duck-'));
    const base = await buildDemoStore(await openStore({ dataDir }));
    await base.store.close();
    await crashRuns(
      'duckdb',
      () => openStore({ dataDir }),
      { BIMO_DATA_DIR: dataDir },
      async () => {
        const db = await DuckDBInstance.create(join(dataDir, DUCKDB_FILE));
        const conn = await db.connect();
        const rows = (await conn.runAndReadAll(STAGING_SQL)).getRowObjectsJS();
        conn.closeSync();
        db.closeSync();
        return rows.map((r) => String(r.table_name));
      },
    );
  }, 240_000);

  it('PostgreSQL', async () => {
    const url = await freshDatabaseUrl(inject('databaseUrl'), 'bimo_crash');
    const base = await buildDemoStore(
      await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-crash-pg-')), databaseUrl: url }),
    );
    await base.store.close();
    const dataDir = mkdtempSync(join(tmpdir(), 'bimo-crash-pgdir-'));
    await crashRuns(
      'postgres',
      () => openStore({ dataDir, databaseUrl: url }),
      { DATABASE_URL: url },
      async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const { rows } = await client.query<{ table_name: string }>(STAGING_SQL);
        await client.end();
        return rows.map((r) => r.table_name);
      },
    );
  }, 240_000);
});
