/** Runs the Store contract against a real PostgreSQL server (the throwaway test cluster). */
import { inject } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { freshDatabaseUrl } from '../helpers/pg-database.ts';
import { storeContract, tempDataDir } from './store-contract.ts';

storeContract('PostgreSQL', async () => {
  const url = await freshDatabaseUrl(inject('databaseUrl'), 'bimo_contract');
  return openStore({ dataDir: tempDataDir(), databaseUrl: url });
});
