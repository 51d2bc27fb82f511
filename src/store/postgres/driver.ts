/**
 * PostgreSQL backend driver over a `pg` pool (DATABASE_URL). Transactions take one client.
 */
import pg from 'pg';
import { BimoError } from '../../domain/index.ts';
import type { SqlDriver, SqlExecutor, SqlRow } from '../sql.ts';

// DOUBLE PRECISION and INTEGER come back as JS numbers; counts (bigint) are parsed too.
pg.types.setTypeParser(20, (v) => Number(v));

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async query(sql, params = []) {
      const res = await client.query(sql, params);
      return res.rows as SqlRow[];
    },
    async exec(sql, params = []) {
      await client.query(sql, params);
    },
  };
}

export async function openPostgres(url: string): Promise<SqlDriver> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    throw new BimoError(
      'BIMO_E_DATABASE',
      `Cannot connect to PostgreSQL (${url.replace(/:[^:@/]*@/, ':***@')}): ${String(err)}`,
      'Check DATABASE_URL (postgres://user:password@host:port/database) and that the server runs.',
    );
  }
  const shared = executor(pool);
  return {
    kind: 'postgres',
    query: shared.query,
    exec: shared.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
