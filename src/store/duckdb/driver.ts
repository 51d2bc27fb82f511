/**
 * DuckDB backend driver: one database file in the data dir, opened by one process at a time.
 * Each transaction gets its own connection so that concurrent reads keep seeing committed data.
 */
import {
  blobValue,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import { BimoError } from '../../domain/index.ts';
import type { SqlDriver, SqlExecutor, SqlRow, SqlValue } from '../sql.ts';

function normalise(row: Record<string, unknown>): SqlRow {
  const out: SqlRow = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
  return out;
}

/** Rows per data chunk (DuckDB's standard vector size). */
const CHUNK_ROWS = 2048;

/** Columns of a table in their order, with types: the appender fills every column in order. */
const tableColumns = new Map<string, { name: string; type: string }[]>();

async function columnsOf(
  conn: DuckDBConnection,
  table: string,
): Promise<{ name: string; type: string }[]> {
  let cols = tableColumns.get(table);
  if (!cols) {
    const reader = await conn.runAndReadAll(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
      [table],
    );
    cols = reader
      .getRowObjectsJS()
      .map((r) => ({ name: String(r.column_name), type: String(r.data_type) }));
    tableColumns.set(table, cols);
  }
  return cols;
}

/** A value as DuckDB binds it: bytes must be declared a BLOB (a bare array has no type). */
function value(v: SqlValue): DuckDBValue {
  return v instanceof Uint8Array ? blobValue(v) : v;
}

function bind(params: readonly SqlValue[]): never {
  return params.map(value) as never;
}

function executor(conn: DuckDBConnection): SqlExecutor {
  return {
    // The appender fills column-wise data chunks of 2048 rows (far fewer native calls than
    // appending value by value), inside the connection's transaction (a rollback drops them).
    async append(table, columns, rows) {
      const cols = await columnsOf(conn, table);
      const position = cols.map((c) => columns.indexOf(c.name));
      const types = cols.map((c) =>
        c.type === 'INTEGER'
          ? INTEGER
          : c.type === 'DOUBLE'
            ? DOUBLE
            : c.type === 'BOOLEAN'
              ? BOOLEAN
              : VARCHAR,
      );
      const appender = await conn.createAppender(table);
      try {
        for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
          const part = rows.slice(start, start + CHUNK_ROWS);
          const chunk = DuckDBDataChunk.create(types, part.length);
          chunk.setColumns(
            position.map((p) => part.map((row) => (p < 0 ? null : value(row[p] ?? null)))),
          );
          appender.appendDataChunk(chunk);
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    },
    async query(sql, params = []) {
      const reader = await conn.runAndReadAll(sql, bind(params));
      return reader.getRowObjectsJS().map((r) => normalise(r as Record<string, unknown>));
    },
    async exec(sql, params = []) {
      await conn.run(sql, bind(params));
    },
    // One data chunk (2048 rows) at a time: memory stays flat however large the result.
    async *stream(sql, params = []) {
      const result = await conn.stream(sql, bind(params));
      for await (const rows of result.yieldRowsJs()) yield rows;
    },
  };
}

/** DuckDB's own errors that a user can act on, as BimoErrors with the fix. */
function duckDbError(err: unknown): unknown {
  const text = String(err);
  if (/out of memory|memory_limit/i.test(text)) {
    return new BimoError(
      'BIMO_E_DATABASE',
      `DuckDB ran out of memory${process.env.BIMO_DUCKDB_MEMORY_LIMIT ? ` (BIMO_DUCKDB_MEMORY_LIMIT=${process.env.BIMO_DUCKDB_MEMORY_LIMIT})` : ''} during the write; nothing was written. ${text.split('\n')[0]}`,
      'Allow more, e.g. BIMO_DUCKDB_MEMORY_LIMIT=4GB, or split the file (e.g. by year).',
    );
  }
  return err;
}

/**
 * Engine settings: DuckDB's memory limit (DuckDB's default: 80 % of RAM; env
 * BIMO_DUCKDB_MEMORY_LIMIT, e.g. `2GB`) bounds what the database holds during large imports;
 * beyond it DuckDB spills to its temp directory where it can (not the primary-key index).
 */
function duckDbConfig(): Record<string, string> {
  const limit = process.env.BIMO_DUCKDB_MEMORY_LIMIT;
  return limit ? { memory_limit: limit } : {};
}

export async function openDuckDb(path: string): Promise<SqlDriver> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, duckDbConfig());
  } catch (err) {
    const text = String(err);
    if (/lock/i.test(text)) {
      throw new BimoError(
        'BIMO_E_DATA_DIR_LOCKED',
        `The database ${path} is in use by another bimo process (probably \`bimo serve\`).`,
        'Stop the other process first (Ctrl+C in its terminal), or use a different --data-dir for a separate database.',
        { path },
      );
    }
    throw new BimoError(
      'BIMO_E_DATABASE',
      `Cannot open the DuckDB database ${path}: ${text}`,
      'Check that the data directory exists and is writable, or choose another one with --data-dir.',
      { path },
    );
  }
  const main = await instance.connect();
  const shared = executor(main);
  // DuckDB connections are not safe for interleaved transactions: serialise writers.
  let writeQueue: Promise<unknown> = Promise.resolve();
  // Statements under way on the shared connection. Closing the database under a running
  // statement ends the process (native code), and a read may still run when the store is
  // closed: a background refresh of the value cache, a request finishing during shutdown.
  const running = new Set<Promise<unknown>>();
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    const done = () => running.delete(work);
    work.then(done, done);
    return work;
  };
  let closed = false;
  const ensureOpen = () => {
    if (closed) {
      throw new BimoError(
        'BIMO_E_DATABASE',
        'the database was closed (the process is shutting down)',
        'Try again once the server has restarted.',
      );
    }
  };
  return {
    kind: 'duckdb',
    query: async (sql, params) => {
      ensureOpen();
      return tracked(shared.query(sql, params));
    },
    exec: async (sql, params) => {
      ensureOpen();
      return tracked(shared.exec(sql, params));
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      ensureOpen();
      const run = async (): Promise<T> => {
        const conn = await instance.connect();
        const tx = executor(conn);
        await tx.exec('BEGIN TRANSACTION');
        try {
          const result = await fn(tx);
          await tx.exec('COMMIT');
          return result;
        } catch (err) {
          // DuckDB aborts the transaction itself on some errors (out of memory): the ROLLBACK
          // then fails, and the original error is the one to report.
          await tx.exec('ROLLBACK').catch(() => undefined);
          throw duckDbError(err);
        } finally {
          conn.closeSync();
        }
      };
      const next = writeQueue.then(run, run);
      writeQueue = next.catch(() => undefined);
      return next;
    },
    async close() {
      closed = true;
      // Let what runs finish (reads and the queued transactions), then close.
      await Promise.allSettled([...running, writeQueue]);
      main.closeSync();
      instance.closeSync();
    },
  };
}
