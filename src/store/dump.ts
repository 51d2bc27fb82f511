/**
 * `bimo dump`: every data table of the database into the portable dump format (dump-format.ts).
 * Streaming both ways: rows come a page at a time (DuckDB's streaming result, a PostgreSQL
 * cursor) and go out through gzip with back-pressure, so memory stays flat for tens of millions
 * of observations. One read transaction (REPEATABLE READ on PostgreSQL) makes the dump one
 * consistent snapshot even while a server keeps writing.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { BimoError } from '../domain/index.ts';
import {
  columnType,
  DUMP_FORMAT,
  DUMP_VERSION,
  encodeValue,
  quoteIdent,
  type DumpHeader,
  type DumpTable,
  type DumpTrailer,
} from './dump-format.ts';
import type { SqlDriver, SqlExecutor } from './sql.ts';
import type { DumpOptions, DumpSummary } from './types.ts';

/** Applied migrations are the schema version, not data: the target records its own. */
const NOT_DATA = new Set(['schema_migration']);

/** Rows per PostgreSQL cursor fetch (DuckDB streams its own 2048-row chunks). */
const PAGE_ROWS = 5000;

/** Progress is reported at the end of each table and every this many rows within one. */
export const PROGRESS_EVERY = 1_000_000;

/** The data tables and their columns, from the catalog (so a new migration needs no edit here). */
export async function readCatalog(db: SqlExecutor): Promise<DumpTable[]> {
  const rows = await db.query(
    `SELECT c.table_name, c.column_name, c.data_type, c.ordinal_position
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_catalog = c.table_catalog
       AND t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE t.table_type = 'BASE TABLE' AND t.table_schema = current_schema()
       AND t.table_catalog = current_database()`,
  );
  const tables = new Map<string, { pos: number; name: string; type: string }[]>();
  for (const r of rows) {
    const table = String(r.table_name);
    if (NOT_DATA.has(table)) continue;
    const cols = tables.get(table) ?? [];
    cols.push({
      pos: Number(r.ordinal_position),
      name: String(r.column_name),
      type: String(r.data_type),
    });
    tables.set(table, cols);
  }
  // Sorted here, not in SQL, so that the order cannot depend on an engine's collation.
  return [...tables.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({
      name,
      columns: tables
        .get(name)!
        .sort((a, b) => a.pos - b.pos)
        .map((c) => ({ name: c.name, type: columnType(name, c.name, c.type) })),
    }));
}

/** The highest applied migration: a dump restores only into the same schema. */
export async function schemaVersionOf(db: SqlExecutor): Promise<number> {
  const [r] = await db.query('SELECT MAX(version) AS v FROM schema_migration');
  return Number(r?.v ?? 0);
}

/**
 * Every row of a table ordered by every column, text compared bytewise (DuckDB's default;
 * COLLATE "C" on PostgreSQL), so both engines produce the same sequence. BIGINTs are read as
 * text: `pg` would turn them into lossy numbers.
 */
function orderedSelect(table: DumpTable, kind: SqlDriver['kind']): string {
  const select = table.columns.map((c, i) =>
    c.type === 'bigint'
      ? `CAST(${quoteIdent(c.name)} AS TEXT) AS d${i}`
      : `${quoteIdent(c.name)} AS d${i}`,
  );
  const order = table.columns.map(
    (c) =>
      `${quoteIdent(c.name)}${kind === 'postgres' && c.type === 'text' ? ' COLLATE "C"' : ''} NULLS FIRST`,
  );
  return `SELECT ${select.join(', ')} FROM ${quoteIdent(table.name)} ORDER BY ${order.join(', ')}`;
}

/** Pages of rows as value arrays: the driver's stream where it has one, else a SQL cursor. */
async function* pages(tx: SqlExecutor, sql: string, width: number): AsyncGenerator<unknown[][]> {
  if (tx.stream) {
    yield* tx.stream(sql);
    return;
  }
  // PostgreSQL: a cursor lives until the end of the transaction the dump runs in.
  await tx.exec(`DECLARE bimo_dump NO SCROLL CURSOR FOR ${sql}`);
  for (;;) {
    const rows = await tx.query(`FETCH ${PAGE_ROWS} FROM bimo_dump`);
    if (rows.length === 0) break;
    yield rows.map((r) => Array.from({ length: width }, (_, i) => r[`d${i}`]));
  }
  await tx.exec('CLOSE bimo_dump');
}

/** Lines into gzip, in pieces of at least 64 KB, waiting whenever gzip (or the output behind it) is full. */
class LineWriter {
  private buffer = '';
  constructor(
    private readonly gzip: Writable,
    private readonly finished: Promise<void>,
  ) {}

  /** Whole lines, each ending in a line feed. */
  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= 65536) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    if (!this.gzip.write(text)) {
      await Promise.race([
        once(this.gzip, 'drain'),
        this.finished.then(() => {
          throw new Error('the output was closed before the dump was complete');
        }),
      ]);
    }
  }
}

/** Writes the whole database into `out` (gzip, ended when done); returns what was written. */
export async function dumpDatabase(
  db: SqlDriver,
  out: Writable,
  opts: DumpOptions = {},
): Promise<DumpSummary> {
  let bytes = 0;
  const gzip = createGzip();
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const finished = pipeline(gzip, counter, out);
  finished.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  const writer = new LineWriter(gzip, finished);
  try {
    const summary = await db.transaction(async (tx) => {
      if (db.kind === 'postgres') {
        await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      }
      const schemaVersion = await schemaVersionOf(tx);
      const tables = await readCatalog(tx);
      const header: DumpHeader = {
        format: DUMP_FORMAT,
        version: DUMP_VERSION,
        schemaVersion,
        createdAt: new Date().toISOString(),
        engine: db.kind,
      };
      await writer.write(`${JSON.stringify(header)}\n`);
      const total = createHash('sha256');
      const tableSha256: Record<string, string> = {};
      let rows = 0;
      for (const table of tables) {
        const hash = createHash('sha256');
        const n = await dumpTable(tx, db.kind, table, writer, [total, hash], opts);
        tableSha256[table.name] = hash.digest('hex');
        rows += n;
      }
      const trailer: DumpTrailer = {
        end: true,
        tables: tables.length,
        rows,
        sha256: total.digest('hex'),
        tableSha256,
      };
      await writer.write(`${JSON.stringify(trailer)}\n`);
      await writer.flush();
      return { schemaVersion, tables: tables.length, rows, sha256: trailer.sha256 };
    });
    gzip.end();
    await finished;
    return { ...summary, bytes };
  } catch (err) {
    gzip.destroy();
    throw err;
  }
}

async function dumpTable(
  tx: SqlExecutor,
  kind: SqlDriver['kind'],
  table: DumpTable,
  writer: LineWriter,
  hashes: Hash[],
  opts: DumpOptions,
): Promise<number> {
  const [c] = await tx.query(`SELECT COUNT(*) AS n FROM ${quoteIdent(table.name)}`);
  const expected = Number(c?.n ?? 0);
  const emit = async (text: string): Promise<void> => {
    for (const h of hashes) h.update(text);
    await writer.write(text);
  };
  await emit(`${JSON.stringify({ table: table.name, columns: table.columns, rows: expected })}\n`);
  const types = table.columns.map((col) => col.type);
  let n = 0;
  // A page is encoded and hashed as one piece: one await per page, not per row.
  for await (const page of pages(tx, orderedSelect(table, kind), types.length)) {
    let text = '';
    for (const row of page) {
      text += `${JSON.stringify(types.map((t, i) => encodeValue(row[i], t)))}\n`;
      n++;
      if (n % PROGRESS_EVERY === 0) {
        opts.onProgress?.({ table: table.name, rows: n, of: expected, done: false });
      }
    }
    await emit(text);
  }
  if (n !== expected) {
    // Cannot happen inside one snapshot; if it does, the file would not restore.
    throw new BimoError(
      'BIMO_E_INTERNAL',
      `Table ${table.name} gave ${n} rows, but counted ${expected} in the same transaction.`,
      'Run the dump again; report this if it repeats.',
    );
  }
  opts.onProgress?.({ table: table.name, rows: n, of: expected, done: true });
  return n;
}
