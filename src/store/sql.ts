/**
 * The small SQL surface both backends provide. Statements use numbered parameters ($1, $2, …),
 * which DuckDB and PostgreSQL both understand; values are always bound, never spliced in.
 */

/** Bound values; a Uint8Array is a BYTEA (PostgreSQL) or BLOB (DuckDB). */
export type SqlValue = string | number | boolean | null | Uint8Array;
export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  query(sql: string, params?: SqlValue[]): Promise<SqlRow[]>;
  exec(sql: string, params?: SqlValue[]): Promise<void>;
  /** Bulk load path of the engine (DuckDB appender), inside the current transaction. */
  append?(table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void>;
  /**
   * Streams a query's rows as value arrays, a page at a time, without holding the whole result
   * (DuckDB's streaming result; `bimo dump` of tens of millions of rows). PostgreSQL has no
   * such method: its callers use a SQL cursor inside their transaction instead.
   */
  stream?(sql: string, params?: SqlValue[]): AsyncIterable<unknown[][]>;
}

export interface SqlDriver extends SqlExecutor {
  readonly kind: 'duckdb' | 'postgres';
  /** Runs fn inside one transaction: everything or nothing is written. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `$start, $start+1, …` placeholders for an IN list. */
export function placeholders(count: number, start: number): string {
  return Array.from({ length: count }, (_, i) => `$${start + i}`).join(', ');
}

/**
 * Adds `column IN (…)` to `where` and binds the values in `params`: no list, no condition; an
 * empty list, a condition nothing meets.
 */
export function whereIn(
  where: string[],
  params: SqlValue[],
  column: string,
  values: readonly string[] | undefined,
): void {
  if (!values) return;
  if (values.length === 0) {
    where.push('FALSE');
    return;
  }
  where.push(`${column} IN (${placeholders(values.length, params.length + 1)})`);
  params.push(...values);
}

/**
 * The next id of `table` (MAX + 1), inside `tx`. Several app processes may write at once on
 * PostgreSQL, so the table is locked there until the transaction ends: one id each.
 */
export async function nextId(
  tx: SqlExecutor,
  kind: SqlDriver['kind'],
  table: 'release' | 'audit_event' | 'import_upload' | 'ag_revision',
): Promise<number> {
  if (kind === 'postgres') await tx.exec(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
  const [max] = await tx.query(`SELECT MAX(id) AS id FROM ${table}`);
  return Number(max?.id ?? 0) + 1;
}

const MAX_PARAMS = 30000;

/** Inserts rows in batches of multi-row VALUES statements (parameter count stays below limits). */
export async function insertMany(
  db: SqlExecutor,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  if (rows.length === 0) return;
  if (db.append) {
    await db.append(table, columns, rows);
    return;
  }
  const perBatch = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let start = 0; start < rows.length; start += perBatch) {
    const batch = rows.slice(start, start + perBatch);
    const params: SqlValue[] = [];
    const tuples = batch.map((row) => {
      const base = params.length + 1;
      params.push(...row);
      return `(${placeholders(columns.length, base)})`;
    });
    await db.exec(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
      params,
    );
  }
}
