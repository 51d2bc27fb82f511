/**
 * Schema migrations, one SQL list for both backends. Written in the SQL subset that DuckDB and
 * PostgreSQL 15 both accept (TEXT, INTEGER, BIGINT, DOUBLE PRECISION, BOOLEAN, and BYTEA, which
 * DuckDB reads as its BLOB), so the contract suite
 * exercises the same tables everywhere. A migration that only one engine needs says so in
 * `only`; the other engine records it as applied without running it. Append only: never edit a
 * released migration.
 */

export interface Migration {
  version: number;
  name: string;
  only?: 'duckdb' | 'postgres';
  statements: string[];
}

const OBSERVATION_COLUMNS = `variable_id TEXT NOT NULL, region_code TEXT NOT NULL, period TEXT NOT NULL,
        dims_key TEXT NOT NULL, value DOUBLE PRECISION, flag TEXT,
        rounding_base INTEGER NOT NULL, source_id TEXT NOT NULL, release_id INTEGER NOT NULL,
        origin TEXT NOT NULL`;

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'core tables',
    statements: [
      `CREATE TABLE region (
        code TEXT PRIMARY KEY, level TEXT NOT NULL, name TEXT NOT NULL, parent_code TEXT,
        valid_from TEXT, valid_to TEXT, additive BOOLEAN NOT NULL, same_as TEXT)`,
      `CREATE TABLE region_group (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL)`,
      `CREATE TABLE region_group_member (
        group_id TEXT NOT NULL, region_code TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL,
        valid_from TEXT, valid_to TEXT, PRIMARY KEY (group_id, region_code))`,
      `CREATE TABLE geometry (id TEXT PRIMARY KEY, vintage TEXT NOT NULL, topojson TEXT NOT NULL)`,
      `CREATE TABLE variable (
        id TEXT PRIMARY KEY, label TEXT NOT NULL, unit TEXT NOT NULL, statistic TEXT NOT NULL,
        period_kind TEXT NOT NULL, additive BOOLEAN NOT NULL, dash_is_zero BOOLEAN NOT NULL)`,
      `CREATE TABLE dimension_item (
        dimension_id TEXT NOT NULL, code TEXT NOT NULL, label TEXT NOT NULL,
        is_total BOOLEAN NOT NULL, PRIMARY KEY (dimension_id, code))`,
      `CREATE TABLE release (
        id INTEGER PRIMARY KEY, status TEXT NOT NULL, created_by TEXT NOT NULL,
        created_at TEXT NOT NULL, approved_by TEXT, published_at TEXT, note TEXT NOT NULL)`,
      `CREATE TABLE source (
        id TEXT PRIMARY KEY, table_code TEXT NOT NULL, title TEXT NOT NULL,
        database_name TEXT NOT NULL, stand TEXT, file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL UNIQUE, imported_at TEXT NOT NULL, licence TEXT NOT NULL,
        footnotes TEXT NOT NULL, release_id INTEGER NOT NULL)`,
      `CREATE TABLE observation (${OBSERVATION_COLUMNS},
        PRIMARY KEY (variable_id, region_code, period, dims_key, release_id))`,
      `CREATE INDEX observation_region ON observation (region_code)`,
      `CREATE TABLE indicator_value (
        indicator_id TEXT NOT NULL, region_code TEXT NOT NULL, period TEXT NOT NULL,
        dims_key TEXT NOT NULL, value DOUBLE PRECISION, numerator DOUBLE PRECISION,
        denominator DOUBLE PRECISION, flag TEXT, error_bound DOUBLE PRECISION NOT NULL,
        method TEXT NOT NULL, release_id INTEGER NOT NULL,
        PRIMARY KEY (indicator_id, region_code, period, dims_key, release_id))`,
    ],
  },
  {
    // DuckDB keeps ART indexes in memory (~400 bytes per observation) and cannot spill them, so a
    // 5-million-row flat file failed under a 1 GB memory limit. Uniqueness of a cell within a
    // release is guaranteed by the import (in memory for small files, by the staging table for
    // streamed ones); PostgreSQL keeps its primary key as a second guard. DuckDB cannot drop a
    // constraint, so the table is rebuilt without it; its scans need no index.
    version: 2,
    name: 'observation without in-memory indexes on DuckDB',
    only: 'duckdb',
    statements: [
      `CREATE TABLE observation_v2 (${OBSERVATION_COLUMNS})`,
      'INSERT INTO observation_v2 SELECT * FROM observation',
      'DROP INDEX observation_region',
      'DROP TABLE observation',
      'ALTER TABLE observation_v2 RENAME TO observation',
    ],
  },
  {
    // Sozialräume and other sub-municipal units defined by a Kommune (docs/templates): each
    // belongs to one Gemeinde of the official registry, which `replaceRegions` never touches.
    version: 3,
    name: 'local areas below the Gemeinde',
    statements: [
      `CREATE TABLE local_area (
        code TEXT PRIMARY KEY, name TEXT NOT NULL, parent_code TEXT NOT NULL,
        valid_from TEXT, valid_to TEXT, list_name TEXT NOT NULL, updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL)`,
    ],
  },
  {
    // Disclosure control (src/indicators/disclosure/) runs on whole tables at compute time; a
    // value's suppression per audience is kept beside it, so every reader blanks the same cells.
    version: 4,
    name: 'suppression of indicator values per audience',
    statements: [
      'ALTER TABLE indicator_value ADD COLUMN suppressed_public TEXT',
      'ALTER TABLE indicator_value ADD COLUMN suppressed_member TEXT',
    ],
  },
  {
    // Accounts, sessions, API tokens and the audit log (src/auth/, docs/accounts.md). Secrets are
    // stored only as hashes: scrypt for passwords, SHA-256 for session ids, CSRF and API tokens
    // (random 256-bit values need no slow hash). No foreign keys: DuckDB rewrites rows on update
    // and would refuse to touch a referenced user; users are disabled, never deleted. `app_user`
    // because `user` is reserved in PostgreSQL; `"at"` quoted because DuckDB reserves AT.
    version: 5,
    name: 'accounts, sessions, api tokens, audit log',
    statements: [
      `CREATE TABLE app_user (
        id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'member')),
        regions TEXT NOT NULL, password_hash TEXT NOT NULL, disabled BOOLEAN NOT NULL,
        failed_logins INTEGER NOT NULL, locked_until TEXT, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)`,
      `CREATE TABLE user_session (
        id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL, csrf_token_hash TEXT NOT NULL, last_seen_at TEXT NOT NULL)`,
      `CREATE TABLE api_token (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, last_used_at TEXT,
        revoked_at TEXT)`,
      `CREATE TABLE audit_event (
        id INTEGER PRIMARY KEY, "at" TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        target TEXT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
        ip TEXT, details TEXT NOT NULL)`,
    ],
  },
  {
    // Files uploaded over HTTP (POST /api/v1/imports) wait here with their dry-run report until
    // they are committed (imported as a draft release) or discarded (src/api/routes/imports.ts).
    // BYTEA is PostgreSQL's binary type and an alias of BLOB in DuckDB. The bytes are dropped once
    // the upload is decided; the row stays as the record of who uploaded what.
    version: 6,
    name: 'uploaded files awaiting commit',
    statements: [
      `CREATE TABLE import_upload (
        id INTEGER PRIMARY KEY, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
        size BIGINT NOT NULL, uploaded_by TEXT NOT NULL, uploaded_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('checked', 'committed', 'discarded', 'rejected')),
        updated_at TEXT NOT NULL, report TEXT NOT NULL, release_id INTEGER, bytes BYTEA)`,
    ],
  },
  {
    // The AG Bildungsmonitoring's workspace (src/workspace/): every saved version of a
    // Handlungsfeld or a Fragestellung, never updated or deleted, so the history is the table.
    // The current state is catalog/questions.yaml overlaid with each item's newest revision;
    // `body` is the item as JSON, `deleted` marks a removal (the body keeps the last text).
    version: 7,
    name: 'workspace revisions of Handlungsfelder and Fragestellungen',
    statements: [
      `CREATE TABLE ag_revision (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('handlungsfeld', 'question')),
        item_id TEXT NOT NULL, body TEXT NOT NULL, deleted BOOLEAN NOT NULL,
        author TEXT NOT NULL, "at" TEXT NOT NULL, note TEXT NOT NULL)`,
      'CREATE INDEX ag_revision_item ON ag_revision (kind, item_id, id)',
    ],
  },
  {
    // A published release is served only once the indicator values of its data are complete:
    // `computed_at` is set by the computation (src/indicators/compute-all.ts) for every published
    // release up to the one it computed. An import or publication that stopped before (a crash, a
    // kill) leaves its release published but not computed: readers keep the previous release,
    // and `bimo compute` finishes it. Releases published before this migration were computed.
    version: 8,
    name: 'release computed_at: served once its indicator values are complete',
    statements: [
      'ALTER TABLE release ADD COLUMN computed_at TEXT',
      "UPDATE release SET computed_at = COALESCE(published_at, created_at) WHERE status = 'published'",
    ],
  },
];
