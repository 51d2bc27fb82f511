/**
 * `bimo restore`: a dump (dump-format.ts) into an empty database on the same schema version, in
 * ONE transaction. The file is read as a stream, checked line by line (JSON, table, column
 * types) and written in batches through the engine's bulk path; the trailer's counts and SHA-256
 * are checked before the commit, so a truncated, damaged or edited file writes nothing. Ids
 * (releases, audit events, uploads, revisions) are kept as they were.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { BimoError } from '../domain/index.ts';
import {
  BadValue,
  count,
  decodeValue,
  DUMP_FORMAT,
  DUMP_VERSION,
  quoteIdent,
  type DumpColumn,
  type DumpTable,
} from './dump-format.ts';
import { LineSource, readLines, type Line } from './dump-lines.ts';
import { PROGRESS_EVERY, readCatalog, schemaVersionOf } from './dump.ts';
import { insertMany, type SqlDriver, type SqlExecutor, type SqlValue } from './sql.ts';
import type { DumpSummary, RestoreOptions } from './types.ts';

/** A batch is written when it holds this many rows or this many characters of JSON. */
const BATCH_ROWS = 10_000;
const BATCH_CHARS = 16 * 1024 * 1024;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameColumns(a: readonly DumpColumn[], b: readonly DumpColumn[]): boolean {
  const key = (cols: readonly DumpColumn[]): string =>
    cols
      .map((c) => `${c.name}:${c.type}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** Schema and emptiness: refused before a single row is read. */
async function checkTarget(
  tx: SqlExecutor,
  db: SqlDriver,
  schemaVersion: number,
  source: string,
): Promise<Map<string, DumpTable>> {
  const own = await schemaVersionOf(tx);
  if (own !== schemaVersion) {
    throw new BimoError(
      'BIMO_E_CONFLICT',
      `${source} has schema version ${schemaVersion}, this database ${own}; a dump restores only into the same schema.`,
      schemaVersion < own
        ? `Restore it with the bimo version that wrote it (schema ${schemaVersion}) into a fresh database, then open that with this version: it migrates on start.`
        : `This bimo is older than the dump: update bimo to a version with schema ${schemaVersion}, then restore.`,
      { dumpSchema: schemaVersion, databaseSchema: own },
    );
  }
  const tables = await readCatalog(tx);
  // No other writer may slip rows in between the emptiness check and the commit.
  if (db.kind === 'postgres') {
    await tx.exec(
      `LOCK TABLE ${tables.map((t) => quoteIdent(t.name)).join(', ')} IN EXCLUSIVE MODE`,
    );
  }
  const filled: string[] = [];
  for (const t of tables) {
    const rows = await tx.query(`SELECT 1 AS x FROM ${quoteIdent(t.name)} LIMIT 1`);
    if (rows.length > 0) filled.push(t.name);
  }
  if (filled.length > 0) {
    throw new BimoError(
      'BIMO_E_CONFLICT',
      `The target database is not empty (rows in ${filled.join(', ')}); restore never merges into existing data.`,
      'Restore into a fresh --data-dir or an empty PostgreSQL database (createdb), then point bimo at it.',
      { tables: filled },
    );
  }
  return new Map(tables.map((t) => [t.name, t]));
}

/**
 * The engine's bulk path (`append`: catalog names, unquoted). Tables with BIGINT or bytes columns
 * (only import_upload, small) go as bound INSERTs: the DuckDB appender's chunks carry neither.
 */
async function writeBatch(tx: SqlExecutor, table: DumpTable, rows: SqlValue[][]): Promise<void> {
  const plain = table.columns.some((c) => c.type === 'bigint' || c.type === 'bytes');
  if (tx.append && !plain) {
    await tx.append(
      table.name,
      table.columns.map((c) => c.name),
      rows,
    );
    return;
  }
  const inserts: SqlExecutor = { query: tx.query, exec: tx.exec };
  await insertMany(
    inserts,
    quoteIdent(table.name),
    table.columns.map((c) => quoteIdent(c.name)),
    rows,
  );
}

async function restoreTable(
  tx: SqlExecutor,
  lines: LineSource,
  head: Line,
  def: Record<string, unknown>,
  targets: Map<string, DumpTable>,
  hash: Hash[],
  opts: RestoreOptions,
): Promise<{ name: string; rows: number; first: number; last: number }> {
  const name = String(def.table);
  const target = targets.get(name);
  if (!target) throw lines.fail(head, `table "${name}" does not exist in this database`);
  const columns = def.columns as DumpColumn[];
  if (!Array.isArray(columns) || !sameColumns(columns, target.columns)) {
    throw lines.fail(
      head,
      `the columns of table ${name} differ from this database's (${target.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`,
    );
  }
  const expected = def.rows;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    throw lines.fail(head, `table ${name}: "rows" must be a row count`);
  }
  const table: DumpTable = { name, columns };
  let batch: SqlValue[][] = [];
  let chars = 0;
  let firstOfBatch = head.n + 1;
  const flush = async (upTo: number): Promise<void> => {
    if (batch.length === 0) return;
    try {
      await writeBatch(tx, table, batch);
    } catch (err) {
      if (err instanceof BimoError) throw err;
      throw new BimoError(
        'BIMO_E_DATABASE',
        `Writing rows of table ${name} (${lines.source}, lines ${firstOfBatch}–${upTo}) failed: ${(err as Error).message}. Nothing was restored.`,
        // The checksums cover the file, not the target's constraints: DuckDB's observation has
        // no primary key (migration 2), so a DuckDB source can hold a cell twice.
        'If the file is intact, the source holds rows this database refuses (e.g. a duplicate key): correct them in the source database and dump again.',
      );
    }
    batch = [];
    chars = 0;
    firstOfBatch = upTo + 1;
  };
  let last = head.n;
  for (let i = 1; i <= expected; i++) {
    const line = await lines.expect(`row ${i} of ${expected} of table ${name}`);
    for (const h of hash) h.update(`${line.text}\n`);
    const values = lines.json(line);
    if (!Array.isArray(values) || values.length !== columns.length) {
      throw lines.fail(
        line,
        `expected row ${i} of table ${name}: an array of ${columns.length} values`,
      );
    }
    const row = values.map((v: unknown, c) => {
      const col = columns[c]!;
      try {
        return decodeValue(v, col.type);
      } catch (err) {
        if (err instanceof BadValue) throw lines.fail(line, `${name}.${col.name}: ${err.message}`);
        throw err;
      }
    });
    batch.push(row);
    chars += line.text.length;
    last = line.n;
    if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush(line.n);
    if (i % PROGRESS_EVERY === 0)
      opts.onProgress?.({ table: name, rows: i, of: expected, done: false });
  }
  await flush(last);
  opts.onProgress?.({ table: name, rows: expected, of: expected, done: true });
  return { name, rows: expected, first: head.n + 1, last };
}

/** Restores `input` (a gzip dump) into the empty database `db`. */
export async function restoreDatabase(
  db: SqlDriver,
  input: Readable,
  opts: RestoreOptions = {},
): Promise<DumpSummary> {
  const source = opts.source ?? 'the dump';
  let bytes = 0;
  const counted = input.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    }),
  );
  input.on('error', (err) => counted.destroy(err));
  const lines = new LineSource(readLines(counted, source), source);
  try {
    const summary = await db.transaction(async (tx) => {
      const first = await lines.expect('the header line');
      const header = lines.json(first);
      if (!isRecord(header) || header.format !== DUMP_FORMAT) {
        throw new BimoError(
          'BIMO_E_FORMAT_UNKNOWN',
          `${source} is not a bimo dump (its first line has no "format":"${DUMP_FORMAT}").`,
          'Pass a file written by `bimo dump`, unchanged.',
        );
      }
      if (header.version !== DUMP_VERSION) {
        throw lines.fail(
          first,
          `dump format version ${String(header.version)} is not ${DUMP_VERSION}, the one this bimo reads`,
        );
      }
      const schemaVersion = Number(header.schemaVersion);
      if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
        throw lines.fail(first, `the header has no schema version ("schemaVersion" is missing)`);
      }
      const targets = await checkTarget(tx, db, schemaVersion, source);
      const total = createHash('sha256');
      const done: { name: string; rows: number; first: number; last: number; sha256: string }[] =
        [];
      for (;;) {
        const line = await lines.expect('a table line or the trailer');
        const obj = lines.json(line);
        if (isRecord(obj) && obj.end === true) {
          const missing = [...targets.keys()].filter((name) => !done.some((t) => t.name === name));
          if (missing.length > 0) {
            throw lines.fail(
              line,
              `the dump has no table line for ${missing.join(', ')}: the file was edited`,
            );
          }
          checkTrailer(lines, line, obj, done, total.digest('hex'));
          const extra = await lines.next();
          if (extra)
            throw lines.fail(extra, 'there is more after the trailer line: the file was edited');
          return {
            schemaVersion,
            tables: done.length,
            rows: done.reduce((s, t) => s + t.rows, 0),
            sha256: String(obj.sha256),
          };
        }
        if (!isRecord(obj) || typeof obj.table !== 'string') {
          throw lines.fail(
            line,
            'expected a table line ({"table":…}) or the trailer ({"end":true,…})',
          );
        }
        if (done.some((t) => t.name === obj.table))
          throw lines.fail(line, `table ${obj.table} appears twice`);
        const hash = createHash('sha256');
        hash.update(`${line.text}\n`);
        total.update(`${line.text}\n`);
        const t = await restoreTable(tx, lines, line, obj, targets, [total, hash], opts);
        done.push({ ...t, sha256: hash.digest('hex') });
      }
    });
    return { ...summary, bytes };
  } finally {
    await lines.close();
    counted.destroy();
    input.destroy();
  }
}

function checkTrailer(
  lines: LineSource,
  line: Line,
  trailer: Record<string, unknown>,
  done: { name: string; rows: number; first: number; last: number; sha256: string }[],
  sha256: string,
): void {
  const perTable = isRecord(trailer.tableSha256) ? trailer.tableSha256 : {};
  for (const t of done) {
    if (perTable[t.name] !== t.sha256) {
      throw lines.fail(
        line,
        `table ${t.name} (lines ${t.first - 1}–${t.last}) does not match its SHA-256 in this trailer line: the file was edited or damaged there`,
      );
    }
  }
  const rows = done.reduce((s, t) => s + t.rows, 0);
  if (trailer.tables !== done.length || trailer.rows !== rows || trailer.sha256 !== sha256) {
    throw lines.fail(
      line,
      `the trailer says ${String(trailer.tables)} tables, ${String(trailer.rows)} rows, but the file holds ${done.length} tables, ${count(rows)} rows (or its SHA-256 differs): the file was edited`,
    );
  }
}
