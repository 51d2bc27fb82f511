/**
 * PostgreSQL backend driver over a `pg` pool (DATABASE_URL). Transactions take one client.
 */
import pg from 'pg';
import { BimoError } from '../../domain/index.ts';
import type { SqlDriver, SqlExecutor, SqlRow } from '../sql.ts';
import { copyRows } from './copy.ts';
import { isConnectionError, retryRead, unavailable, waitForServer } from './resilience.ts';

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

export interface PostgresOptions {
  /** Where connection trouble is reported (default: stderr). */
  log?: (line: string) => void;
  /** How long to wait for a server that is not reachable yet at open (default 0: fail at once). */
  waitMs?: number;
  /** Connections in the pool (default 8; env BIMO_PG_POOL). */
  poolSize?: number;
}

export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<SqlDriver> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? Number(process.env.BIMO_PG_POOL ?? 8),
    connectionTimeoutMillis: 5000,
    // Notices a half-open connection (a server gone without a goodbye) instead of waiting forever.
    keepAlive: true,
  });
  // An idle connection that the server closes (restart, failover) emits 'error' on the pool;
  // unhandled, it would end the process. The pool drops that client and opens a new one later.
  pool.on('error', (err) => log(`database: idle PostgreSQL connection lost: ${err.message}`));
  try {
    await waitForServer(
      async () => {
        const client = await pool.connect();
        client.release();
      },
      opts.waitMs ?? 0,
      log,
    );
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
    // Reads are retried on a fresh connection (a restart drops every pooled one at once).
    query: (sql, params) => retryRead(() => shared.query(sql, params)),
    async exec(sql, params) {
      try {
        await shared.exec(sql, params);
      } catch (err) {
        throw isConnectionError(err) ? unavailable(err) : err;
      }
    },
    async transaction(fn) {
      const client = await pool.connect().catch((err: unknown) => {
        throw isConnectionError(err) ? unavailable(err) : err;
      });
      // A checked-out client has no pool listener: the server closing its connection (restart)
      // would emit an unhandled 'error' and end the process. The statement under way fails on
      // its own and is handled below.
      const onError = (e: Error) =>
        log(`database: PostgreSQL connection lost during a transaction: ${e.message}`);
      client.on('error', onError);
      const release = (err?: Error | boolean) => {
        client.removeListener('error', onError);
        client.release(err);
      };
      try {
        await client.query('BEGIN');
        // Bulk loads inside a transaction use COPY on its connection (src/store/postgres/copy.ts).
        const tx: SqlExecutor = {
          ...executor(client),
          append: (table, columns, rows) => copyRows(client, table, columns, rows),
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        release();
        return result;
      } catch (err) {
        if (isConnectionError(err)) {
          // The server closed this connection: drop it from the pool; the transaction is void.
          release(err instanceof Error ? err : true);
          throw unavailable(err);
        }
        await client.query('ROLLBACK').catch(() => undefined);
        release();
        throw err;
      }
    },
    async close() {
      await pool.end();
    },
  };
}
