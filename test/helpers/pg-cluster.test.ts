// The throwaway cluster from the global setup is reachable and is not the default server on 5432.
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';

describe('test PostgreSQL cluster', () => {
  const url = inject('databaseUrl');

  it('answers queries', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await client.query<{ version: string; db: string }>(
        'select version() as version, current_database() as db',
      );
      expect(result.rows[0]?.version).toMatch(/^PostgreSQL \d+/);
      if (process.env.BIMO_TEST_DATABASE_URL === undefined)
        expect(result.rows[0]?.db).toBe('bimo_test');
    } finally {
      await client.end();
    }
  });

  it('does not use the default port 5432', () => {
    if (process.env.BIMO_TEST_DATABASE_URL !== undefined) return;
    expect(new URL(url).port).not.toBe('5432');
  });
});
