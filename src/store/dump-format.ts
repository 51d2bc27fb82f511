/**
 * The `bimo dump` file format: one gzip file of JSON lines, the same on DuckDB and PostgreSQL.
 *
 *   line 1        {"format":"bimo-dump","version":1,"schemaVersion":8,"createdAt":…,"engine":…}
 *   per table     {"table":"release","columns":[{"name":"id","type":"integer"},…],"rows":30}
 *                 followed by exactly `rows` lines, each a JSON array of the row's values
 *   last line     {"end":true,"tables":17,"rows":161000,"sha256":…,"tableSha256":{…}}
 *
 * Everything between the header and the trailer is the content: it depends only on the data
 * (tables by name, rows ordered by every column bytewise), so a DuckDB and a PostgreSQL dump of
 * the same data are byte-identical there and carry the same SHA-256. The per-table hashes let a
 * restore name the lines that were edited. Column types are engine-neutral; values round-trip
 * exactly: doubles as JSON numbers (JS prints the shortest repr that reads back to the same
 * double; NaN and ±Infinity tagged), BIGINTs beyond 2^53 as decimal strings, bytes tagged base64.
 */
import { BimoError } from '../domain/index.ts';
import type { SqlValue } from './sql.ts';

export const DUMP_FORMAT = 'bimo-dump';
export const DUMP_VERSION = 1;

export type ColumnType = 'text' | 'integer' | 'bigint' | 'double' | 'boolean' | 'bytes';

export interface DumpColumn {
  name: string;
  type: ColumnType;
}

export interface DumpTable {
  name: string;
  columns: DumpColumn[];
}

export interface DumpHeader {
  format: typeof DUMP_FORMAT;
  version: number;
  schemaVersion: number;
  createdAt: string;
  engine: 'duckdb' | 'postgres';
}

export interface DumpTrailer {
  end: true;
  tables: number;
  rows: number;
  sha256: string;
  tableSha256: Record<string, string>;
}

/** The catalog's type names of both engines, mapped to the dump's neutral ones. */
const TYPES: Record<string, ColumnType> = {
  varchar: 'text',
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  double: 'double',
  'double precision': 'double',
  boolean: 'boolean',
  blob: 'bytes',
  bytea: 'bytes',
};

export function columnType(table: string, column: string, engineType: string): ColumnType {
  const t = TYPES[engineType.toLowerCase()];
  if (t) return t;
  // A migration introduced a type the dump does not know: a bug to fix here, not a user error.
  throw new BimoError(
    'BIMO_E_INTERNAL',
    `Column ${table}.${column} has the type ${engineType}, which bimo dump cannot write yet.`,
    'Teach src/store/dump-format.ts the type (encodeValue/decodeValue and the TYPES map).',
    { table, column },
  );
}

/** An identifier from the catalog, quoted (DuckDB reserves e.g. AT); odd names are refused. */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new BimoError(
      'BIMO_E_INTERNAL',
      `The table or column name "${name}" is not a plain lower-case identifier.`,
      'Rename it in a migration; bimo dump only handles plain identifiers.',
    );
  }
  return `"${name}"`;
}

/** A double as JSON: finite numbers as numbers, the three non-finite values tagged. */
function encodeDouble(v: number): unknown {
  if (Number.isFinite(v)) return v;
  return { $double: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' };
}

/** Turns a bigint read as text (exact on both engines) into a number where that is exact. */
function encodeBigint(v: unknown): unknown {
  const text = typeof v === 'bigint' ? v.toString() : String(v);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

function toBase64(v: unknown): string {
  if (v instanceof Uint8Array)
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  throw new TypeError(`expected bytes, got ${typeof v}`);
}

/** One value as it is written into a row line; `type` decides, so both engines write alike. */
export function encodeValue(v: unknown, type: ColumnType): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'text':
      return String(v);
    case 'integer':
      return Number(v);
    case 'bigint':
      return encodeBigint(v);
    case 'double':
      return encodeDouble(Number(v));
    case 'boolean':
      return Boolean(v);
    case 'bytes':
      return { $base64: toBase64(v) };
  }
}

/** Why a row value cannot be read; the caller adds the line and column. */
class BadValue extends Error {}

/** The string of a one-key object `{tag: "…"}`, else null. */
function tagged(v: unknown, tag: string): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const keys = Object.keys(v);
  const inner = (v as Record<string, unknown>)[tag];
  return keys.length === 1 && typeof inner === 'string' ? inner : null;
}

/** One value of a row line back to what the drivers bind; refuses anything of another type. */
export function decodeValue(v: unknown, type: ColumnType): SqlValue {
  if (v === null) return null;
  switch (type) {
    case 'text':
      if (typeof v === 'string') return v;
      break;
    case 'integer':
      if (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return v;
      break;
    case 'bigint':
      if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
      if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) return v;
      break;
    case 'double':
      if (typeof v === 'number') return v;
      {
        const special = tagged(v, '$double');
        if (special === 'NaN' || special === 'Infinity' || special === '-Infinity')
          return Number(special);
      }
      break;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      break;
    case 'bytes':
      {
        const base64 = tagged(v, '$base64');
        if (base64 !== null && /^[A-Za-z0-9+/]*={0,2}$/.test(base64))
          return Buffer.from(base64, 'base64');
      }
      break;
  }
  throw new BadValue(
    `${JSON.stringify(v)?.slice(0, 60) ?? String(v)} is not a valid ${type} value`,
  );
}

export { BadValue };

/** A broken dump: the message names the line, nothing is written. */
export function dumpError(source: string, line: number, what: string): BimoError {
  return new BimoError(
    'BIMO_E_PARSE',
    `${source}, line ${line}: ${what}. Nothing was restored.`,
    'Use an intact copy of the dump (compare its sha256 with the one `bimo dump` printed), or dump the source database again.',
    { line },
  );
}

/** Thousands separators for CLI summaries and progress lines. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
