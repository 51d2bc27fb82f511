/** Runs the Store contract against a real PostgreSQL server (the throwaway test cluster). */
import pg from 'pg';
import { inject } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { storeContract, tempDataDir } from './store-contract.ts';

storeContract('PostgreSQL', async () => {
  const base = inject('databaseUrl');
  // A database of its own, so this suite never sees another test's tables.
  const name = `bimo_contract_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return openStore({ dataDir: tempDataDir(), databaseUrl: url.toString() });
});
