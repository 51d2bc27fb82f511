/**
 * Opening a store: DuckDB in the data dir by default, PostgreSQL when DATABASE_URL is given.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDuckDb } from './duckdb/driver.ts';
import { openPostgres } from './postgres/driver.ts';
import { SqlStore } from './sql-store.ts';
import type { Store } from './types.ts';

export type * from './types.ts';
export { ImportRolledBack } from './sql-import.ts';
export { SqlStore } from './sql-store.ts';

export interface StoreOptions {
  dataDir: string;
  /** postgres://… selects the PostgreSQL backend. */
  databaseUrl?: string | undefined;
  /** PostgreSQL: wait this long for a server that does not answer yet (server start). */
  waitMs?: number;
  /** PostgreSQL: where connection trouble is reported (default: stderr). */
  log?: (line: string) => void;
}

export const DUCKDB_FILE = 'bimo.duckdb';

export async function openStore(opts: StoreOptions): Promise<Store> {
  const driver = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl, {
        ...(opts.waitMs !== undefined ? { waitMs: opts.waitMs } : {}),
        ...(opts.log ? { log: opts.log } : {}),
      })
    : await (async () => {
        mkdirSync(opts.dataDir, { recursive: true });
        return openDuckDb(join(opts.dataDir, DUCKDB_FILE));
      })();
  const store = new SqlStore(driver);
  await store.migrate();
  return store;
}
