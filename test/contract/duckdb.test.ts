/** Runs the Store contract against the embedded DuckDB backend (a fresh file per run). */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDuckDb } from '../../src/store/duckdb/driver.ts';
import { DUCKDB_FILE, openStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { storeContract, tempDataDir } from './store-contract.ts';

storeContract('DuckDB', () => openStore({ dataDir: tempDataDir() }));

it('upgrades a version-1 DuckDB file: observations kept, no in-memory index left on them', async () => {
  const dataDir = tempDataDir();
  const v1 = await openDuckDb(join(dataDir, DUCKDB_FILE));
  await v1.exec(
    'CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  for (const s of MIGRATIONS[0]?.statements ?? []) await v1.exec(s);
  await v1.exec("INSERT INTO schema_migration VALUES (1, 'core tables', '2026-01-01')");
  await v1.exec(
    "INSERT INTO observation VALUES ('abgaenger', '05358', '2023', '', 150, NULL, 1, 's1', 1, 'file.csv:108:31')",
  );
  await v1.close();

  await (await openStore({ dataDir })).close();
  const db = await openDuckDb(join(dataDir, DUCKDB_FILE));
  const obs = await db.query('SELECT region_code, value FROM observation');
  const indexes = await db.query(
    "SELECT count(*) AS n FROM duckdb_constraints() WHERE table_name = 'observation' AND constraint_type = 'PRIMARY KEY'",
  );
  const versions = await db.query('SELECT version FROM schema_migration ORDER BY version');
  await db.close();
  expect(obs).toEqual([{ region_code: '05358', value: 150 }]);
  expect(indexes).toEqual([{ n: 0 }]);
  expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
});

it('closes only after the statements under way have finished, then refuses new ones', async () => {
  const db = await openDuckDb(join(tempDataDir(), DUCKDB_FILE));
  // A statement that takes a moment, still running when close() is called (as a background
  // refresh of the value cache may be when the server stops): the process must survive it.
  const slow = db.query('SELECT COUNT(*) AS n FROM range(30000000) t(i) WHERE i % 7 = 0');
  await db.close();
  expect(await slow).toEqual([{ n: 4285715 }]);
  await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'BIMO_E_DATABASE' });
});
