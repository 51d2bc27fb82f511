/**
 * The same files imported and computed on DuckDB and on PostgreSQL give exactly the same
 * indicator values, cell by cell (not only the hand-checked ones).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AppDeps } from '../../src/api/app.ts';
import { openStore } from '../../src/store/index.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';
import { freshDatabaseUrl } from '../helpers/pg-database.ts';
import { tempDataDir } from './store-contract.ts';

let duck: AppDeps;
let post: AppDeps;

beforeAll(async () => {
  const url = await freshDatabaseUrl(inject('databaseUrl'), 'bimo_equiv');
  duck = await buildDemoStore(await openStore({ dataDir: tempDataDir() }));
  post = await buildDemoStore(await openStore({ dataDir: tempDataDir(), databaseUrl: url }));
});

afterAll(async () => {
  await duck.store.close();
  await post.store.close();
});

describe('DuckDB and PostgreSQL agree', () => {
  it.each(['D6', 'D7', 'A3'])(
    '%s: every value, numerator, denominator, flag and bound',
    async (id) => {
      const strip = (rows: Awaited<ReturnType<AppDeps['store']['queryIndicatorValues']>>) =>
        rows.map(({ releaseId: _r, ...rest }) => rest);
      const a = strip(await duck.store.queryIndicatorValues({ indicatorId: id }));
      const b = strip(await post.store.queryIndicatorValues({ indicatorId: id }));
      expect(a.length).toBeGreaterThan(200);
      expect(b).toEqual(a);
    },
  );

  it('stores the same observations', async () => {
    const a = await duck.store.queryObservations({});
    const b = await post.store.queryObservations({});
    expect(b.length).toBe(a.length);
    expect(b).toEqual(a);
  });
});
