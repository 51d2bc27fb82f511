/**
 * Bulk loads on PostgreSQL: rows stream into a table with `COPY … FROM STDIN` (text format) on
 * the transaction's connection, so a rollback drops them like any insert. At Germany scale
 * (millions of observations per import) multi-row VALUES statements cost parameter binding and
 * planning per batch; COPY is PostgreSQL's own bulk path, several times faster.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SqlValue } from '../sql.ts';

/** One value in COPY's text format: `\N` is NULL; backslash, tab, newline and CR escaped. */
function field(v: SqlValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number')
    return Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN';
  if (v instanceof Uint8Array) return `\\\\x${Buffer.from(v).toString('hex')}`;
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** Rows per chunk written to the COPY stream (a few MB of text at most). */
const CHUNK_ROWS = 5000;

function* lines(rows: readonly SqlValue[][]): Generator<string> {
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    let text = '';
    const end = Math.min(rows.length, start + CHUNK_ROWS);
    for (let i = start; i < end; i++) text += `${(rows[i] ?? []).map(field).join('\t')}\n`;
    yield text;
  }
}

/** COPY `rows` into `table` (`columns` in the rows' order) on `client`. */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  if (rows.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(lines(rows)), stream);
}
