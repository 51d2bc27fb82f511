/** Runs the Store contract against the embedded DuckDB backend (a fresh file per run). */
import { openStore } from '../../src/store/index.ts';
import { storeContract, tempDataDir } from './store-contract.ts';

storeContract('DuckDB', () => openStore({ dataDir: tempDataDir() }));
