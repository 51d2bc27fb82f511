/**
 * The Store implemented once over SqlDriver: both backends share these statements, so the
 * contract suite proves the same behaviour on DuckDB and PostgreSQL. Here: sources, releases,
 * observations and indicator values. The rest is forwarded to one module per concept: the
 * import transaction (sql-import.ts), the regional frame (sql-regions.ts), the accounts
 * (sql-accounts.ts) and the uploaded files (sql-uploads.ts).
 */
import type { Flag, Release, ReleaseStatus, Source, Variable } from '../domain/index.ts';
import { dumpDatabase } from './dump.ts';
import { restoreDatabase } from './dump-restore.ts';
import { MIGRATIONS } from './migrations.ts';
import { insertAudit, SqlAccountStore } from './sql-accounts.ts';
import { writeImport } from './sql-import.ts';
import { SqlRegionStore } from './sql-regions.ts';
import { SqlUploadStore } from './sql-uploads.ts';
import { SqlWorkspaceStore } from './sql-workspace.ts';
import { numOrNull, str, strOrNull, toRelease } from './sql-rows.ts';
import {
  insertMany,
  placeholders,
  whereIn,
  type SqlDriver,
  type SqlExecutor,
  type SqlRow,
  type SqlValue,
} from './sql.ts';
import type {
  GeometryRecord,
  ImportBatch,
  IndicatorCoverage,
  IndicatorValue,
  IndicatorValueQuery,
  NewAuditEvent,
  ObservationQuery,
  ObservationRow,
  Store,
  Suppression,
} from './types.ts';

function toSource(r: SqlRow): Source {
  return {
    id: str(r.id),
    tableCode: str(r.table_code),
    title: str(r.title),
    database: str(r.database_name),
    stand: strOrNull(r.stand),
    fileName: str(r.file_name),
    fileSha256: str(r.file_sha256),
    importedAt: str(r.imported_at),
    licence: str(r.licence),
    footnotes: str(r.footnotes),
    releaseId: Number(r.release_id),
  };
}

function suppressionOf(r: SqlRow): Pick<IndicatorValue, 'suppressed'> {
  const pub = strOrNull(r.suppressed_public) as Suppression | null;
  const member = strOrNull(r.suppressed_member) as Suppression | null;
  if (pub === null && member === null) return {};
  return {
    suppressed: { ...(pub ? { public: pub } : {}), ...(member ? { member } : {}) },
  };
}

/** The advisory lock key under which PostgreSQL migrations run (any fixed 64-bit number). */
const MIGRATION_LOCK = 7_424_311_208;

export class SqlStore implements Store {
  /** Users, sessions, API tokens and the audit log. */
  readonly accounts: SqlAccountStore;
  /** The region registry, region groups and local areas. */
  readonly regions: SqlRegionStore;
  /** Files uploaded over HTTP, awaiting commit or discard. */
  readonly uploads: SqlUploadStore;
  /** The AG's revisions of Handlungsfelder and Fragestellungen. */
  readonly workspace: SqlWorkspaceStore;

  constructor(private readonly db: SqlDriver) {
    this.accounts = new SqlAccountStore(db, db.kind);
    this.regions = new SqlRegionStore(db);
    this.uploads = new SqlUploadStore(db);
    this.workspace = new SqlWorkspaceStore(db);
  }

  get kind(): 'duckdb' | 'postgres' {
    return this.db.kind;
  }

  async migrate(): Promise<void> {
    if (this.kind === 'postgres') {
      // Several app processes may start at once on one database: one of them migrates, under a
      // transaction-scoped advisory lock, while the others wait and then find nothing to do.
      // PostgreSQL's DDL is transactional, so a failed migration leaves no half-changed schema.
      await this.db.transaction(async (tx) => {
        await tx.exec('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await this.applyMigrations(tx, (fn) => fn(tx));
      });
      return;
    }
    await this.applyMigrations(this.db, (fn) => this.db.transaction(fn));
  }

  /** The schema version of this database: the newest migration applied (0 when none). */
  async schemaVersion(): Promise<number> {
    const [row] = await this.db.query('SELECT MAX(version) AS v FROM schema_migration');
    return Number(row?.v ?? 0);
  }

  /**
   * Applies the pending migrations, each inside `step` (PostgreSQL: all in the one locked
   * transaction; DuckDB: one transaction each).
   */
  private async applyMigrations(
    db: SqlExecutor,
    step: (fn: (tx: SqlExecutor) => Promise<void>) => Promise<void>,
  ): Promise<void> {
    await db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const done = new Set(
      (await db.query('SELECT version FROM schema_migration')).map((r) => Number(r.version)),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await step(async (tx) => {
        if (!m.only || m.only === this.kind) for (const s of m.statements) await tx.exec(s);
        await tx.exec(
          'INSERT INTO schema_migration (version, name, applied_at) VALUES ($1, $2, $3)',
          [m.version, m.name, new Date().toISOString()],
        );
      });
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async replaceGeometries(records: GeometryRecord[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const g of records) {
        await tx.exec('DELETE FROM geometry WHERE id = $1', [g.id]);
        await tx.exec('INSERT INTO geometry (id, vintage, topojson) VALUES ($1, $2, $3)', [
          g.id,
          g.vintage,
          g.topojson,
        ]);
      }
    });
  }

  async getGeometry(id: string): Promise<GeometryRecord | null> {
    const [r] = await this.db.query('SELECT * FROM geometry WHERE id = $1', [id]);
    return r ? { id: str(r.id), vintage: str(r.vintage), topojson: str(r.topojson) } : null;
  }

  async findSourceBySha(sha256: string): Promise<Source | null> {
    const [r] = await this.db.query('SELECT * FROM source WHERE file_sha256 = $1', [sha256]);
    return r ? toSource(r) : null;
  }

  commitImport(batch: ImportBatch): Promise<Release> {
    return writeImport(this.db, batch);
  }

  async listSources(): Promise<Source[]> {
    return (await this.db.query('SELECT * FROM source ORDER BY imported_at, id')).map(toSource);
  }

  async listVariables(): Promise<Variable[]> {
    return (await this.db.query('SELECT * FROM variable ORDER BY id')).map((r) => ({
      id: str(r.id),
      label: str(r.label),
      unit: str(r.unit),
      statistic: str(r.statistic),
      periodKind: str(r.period_kind) as Variable['periodKind'],
      additive: Boolean(r.additive),
      dashIsZero: Boolean(r.dash_is_zero),
    }));
  }

  async listReleases(): Promise<Release[]> {
    return (await this.db.query('SELECT * FROM release ORDER BY id')).map(toRelease);
  }

  async getRelease(id: number): Promise<Release | null> {
    const [r] = await this.db.query('SELECT * FROM release WHERE id = $1', [id]);
    return r ? toRelease(r) : null;
  }

  async setReleaseStatus(
    id: number,
    status: ReleaseStatus,
    by: string,
    audit?: NewAuditEvent,
  ): Promise<Release> {
    const now = new Date().toISOString();
    await this.db.transaction(async (tx) => {
      if (status === 'approved') {
        await tx.exec('UPDATE release SET status = $1, approved_by = $2 WHERE id = $3', [
          status,
          by,
          id,
        ]);
      } else {
        await tx.exec('UPDATE release SET status = $1, published_at = $2 WHERE id = $3', [
          status,
          status === 'published' ? now : null,
          id,
        ]);
      }
      if (audit) await insertAudit(tx, this.db.kind, audit);
    });
    const r = await this.getRelease(id);
    if (!r) throw new Error(`release ${id} vanished`);
    return r;
  }

  async latestPublishedRelease(opts: { includePending?: boolean } = {}): Promise<Release | null> {
    const [r] = await this.db.query(
      `SELECT * FROM release WHERE status = 'published'${opts.includePending ? '' : ' AND computed_at IS NOT NULL'} ORDER BY id DESC LIMIT 1`,
    );
    return r ? toRelease(r) : null;
  }

  async markReleasesComputed(upTo: number, at: string): Promise<number[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        "SELECT id FROM release WHERE status = 'published' AND computed_at IS NULL AND id <= $1 ORDER BY id",
        [upTo],
      );
      await tx.exec(
        "UPDATE release SET computed_at = $1 WHERE status = 'published' AND computed_at IS NULL AND id <= $2",
        [at, upTo],
      );
      return rows.map((r) => Number(r.id));
    });
  }

  /**
   * The release a read takes when none is given. Indicator values: the served release (values
   * complete). Observations: the newest published one, also while its values are computed: its
   * cells were written in one transaction, and the computation itself reads them.
   */
  private async resolveRelease(
    releaseId: number | undefined,
    includePending = false,
  ): Promise<number | null> {
    if (releaseId !== undefined) return releaseId;
    return (await this.latestPublishedRelease({ includePending }))?.id ?? null;
  }

  async queryObservations(q: ObservationQuery): Promise<ObservationRow[]> {
    const release = await this.resolveRelease(q.releaseId, true);
    if (release === null) return [];
    const params: SqlValue[] = [release];
    const where: string[] = ["(r.status = 'published' OR r.id = $1)", 'o.release_id <= $1'];
    whereIn(where, params, 'o.variable_id', q.variableIds);
    whereIn(where, params, 'o.region_code', q.regionCodes);
    whereIn(where, params, 'o.period', q.periods);
    if (q.tableCode !== undefined) {
      params.push(q.tableCode);
      where.push(`s.table_code = $${params.length}`);
    }
    // The latest release that holds a cell wins: a correction supersedes the earlier value.
    const rows = await this.db.query(
      `SELECT * FROM (
         SELECT o.*, s.table_code, v.label AS variable_label, v.unit,
           ROW_NUMBER() OVER (PARTITION BY o.variable_id, o.region_code, o.period, o.dims_key
                              ORDER BY o.release_id DESC) AS rn
         FROM observation o
         JOIN release r ON r.id = o.release_id
         JOIN source s ON s.id = o.source_id
         JOIN variable v ON v.id = o.variable_id
         WHERE ${where.join(' AND ')}
       ) t WHERE rn = 1
       ORDER BY variable_id, region_code, period, dims_key`,
      params,
    );
    return rows.map((r) => ({
      variableId: str(r.variable_id),
      regionCode: str(r.region_code),
      period: str(r.period),
      dimsKey: str(r.dims_key),
      value: numOrNull(r.value),
      flag: strOrNull(r.flag) as Flag | null,
      roundingBase: Number(r.rounding_base),
      sourceId: str(r.source_id),
      releaseId: Number(r.release_id),
      origin: str(r.origin),
      tableCode: str(r.table_code),
      variableLabel: str(r.variable_label),
      unit: str(r.unit),
    }));
  }

  async releaseVariables(releaseIds: number[]): Promise<string[]> {
    if (releaseIds.length === 0) return [];
    const rows = await this.db.query(
      `SELECT DISTINCT variable_id FROM observation WHERE release_id IN (${placeholders(releaseIds.length, 1)}) ORDER BY variable_id`,
      releaseIds,
    );
    return rows.map((r) => str(r.variable_id));
  }

  async replaceIndicatorValues(
    releaseId: number,
    indicatorIds: string[],
    values: IndicatorValue[],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (indicatorIds.length > 0) {
        await tx.exec(
          `DELETE FROM indicator_value WHERE release_id = $1 AND indicator_id IN (${placeholders(indicatorIds.length, 2)})`,
          [releaseId, ...indicatorIds],
        );
      }
      await insertMany(
        tx,
        'indicator_value',
        [
          'indicator_id',
          'region_code',
          'period',
          'dims_key',
          'value',
          'numerator',
          'denominator',
          'flag',
          'error_bound',
          'method',
          'release_id',
          'suppressed_public',
          'suppressed_member',
        ],
        values.map((v) => [
          v.indicatorId,
          v.regionCode,
          v.period,
          v.dimsKey,
          v.value,
          v.numerator,
          v.denominator,
          v.flag,
          v.errorBound,
          v.method,
          releaseId,
          v.suppressed?.public ?? null,
          v.suppressed?.member ?? null,
        ]),
      );
    });
  }

  async queryIndicatorValues(q: IndicatorValueQuery): Promise<IndicatorValue[]> {
    const release = await this.resolveRelease(q.releaseId);
    if (release === null) return [];
    const params: SqlValue[] = [q.indicatorId, release];
    const where = ['indicator_id = $1', 'release_id = $2'];
    whereIn(where, params, 'region_code', q.regionCodes);
    whereIn(where, params, 'period', q.periods);
    if (q.dimsKey !== undefined) {
      params.push(q.dimsKey);
      where.push(`dims_key = $${params.length}`);
    }
    const rows = await this.db.query(
      `SELECT * FROM indicator_value WHERE ${where.join(' AND ')} ORDER BY region_code, period, dims_key`,
      params,
    );
    return rows.map((r) => ({
      indicatorId: str(r.indicator_id),
      regionCode: str(r.region_code),
      period: str(r.period),
      dimsKey: str(r.dims_key),
      value: numOrNull(r.value),
      numerator: numOrNull(r.numerator),
      denominator: numOrNull(r.denominator),
      flag: strOrNull(r.flag) as Flag | null,
      errorBound: Number(r.error_bound),
      method: str(r.method) as IndicatorValue['method'],
      releaseId: Number(r.release_id),
      ...suppressionOf(r),
    }));
  }

  async indicatorCoverage(indicatorId: string, releaseId?: number): Promise<IndicatorCoverage> {
    const release = await this.resolveRelease(releaseId);
    if (release === null) return { periods: [], dimsKeys: [] };
    const distinct = async (column: 'period' | 'dims_key'): Promise<string[]> =>
      (
        await this.db.query(
          `SELECT DISTINCT ${column} AS v FROM indicator_value WHERE indicator_id = $1 AND release_id = $2 ORDER BY v`,
          [indicatorId, release],
        )
      ).map((r) => str(r.v));
    return { periods: await distinct('period'), dimsKeys: await distinct('dims_key') };
  }

  // ── The regional frame (sql-regions.ts) ─────────────────────────────────────────────────────

  readonly replaceRegions: Store['replaceRegions'] = (...args) =>
    this.regions.replaceRegions(...args);
  readonly loadRegions: Store['loadRegions'] = (...args) => this.regions.loadRegions(...args);
  readonly replaceGroupsOfKind: Store['replaceGroupsOfKind'] = (...args) =>
    this.regions.replaceGroupsOfKind(...args);
  readonly saveLocalAreas: Store['saveLocalAreas'] = (...args) =>
    this.regions.saveLocalAreas(...args);
  readonly listLocalAreas: Store['listLocalAreas'] = (...args) =>
    this.regions.listLocalAreas(...args);

  // ── Accounts, sessions, API tokens, audit log (sql-accounts.ts) ──────────────────────────────

  readonly createUser: Store['createUser'] = (...args) => this.accounts.createUser(...args);
  readonly getUser: Store['getUser'] = (...args) => this.accounts.getUser(...args);
  readonly getUserByEmail: Store['getUserByEmail'] = (...args) =>
    this.accounts.getUserByEmail(...args);
  readonly getPasswordHash: Store['getPasswordHash'] = (...args) =>
    this.accounts.getPasswordHash(...args);
  readonly listUsers: Store['listUsers'] = (...args) => this.accounts.listUsers(...args);
  readonly updateUser: Store['updateUser'] = (...args) => this.accounts.updateUser(...args);
  readonly recordLoginFailure: Store['recordLoginFailure'] = (...args) =>
    this.accounts.recordLoginFailure(...args);
  readonly createSession: Store['createSession'] = (...args) =>
    this.accounts.createSession(...args);
  readonly getSession: Store['getSession'] = (...args) => this.accounts.getSession(...args);
  readonly touchSession: Store['touchSession'] = (...args) => this.accounts.touchSession(...args);
  readonly deleteSession: Store['deleteSession'] = (...args) =>
    this.accounts.deleteSession(...args);
  readonly deleteUserSessions: Store['deleteUserSessions'] = (...args) =>
    this.accounts.deleteUserSessions(...args);
  readonly deleteExpiredSessions: Store['deleteExpiredSessions'] = (...args) =>
    this.accounts.deleteExpiredSessions(...args);
  readonly createApiToken: Store['createApiToken'] = (...args) =>
    this.accounts.createApiToken(...args);
  readonly getApiTokenByHash: Store['getApiTokenByHash'] = (...args) =>
    this.accounts.getApiTokenByHash(...args);
  readonly touchApiToken: Store['touchApiToken'] = (...args) =>
    this.accounts.touchApiToken(...args);
  readonly revokeApiToken: Store['revokeApiToken'] = (...args) =>
    this.accounts.revokeApiToken(...args);
  readonly listApiTokens: Store['listApiTokens'] = (...args) =>
    this.accounts.listApiTokens(...args);
  readonly appendAudit: Store['appendAudit'] = (...args) => this.accounts.appendAudit(...args);
  readonly listAudit: Store['listAudit'] = (...args) => this.accounts.listAudit(...args);

  // ── Backup: dump and restore (dump.ts, dump-restore.ts) ─────────────────────────────────────

  readonly dump: Store['dump'] = (out, opts) => dumpDatabase(this.db, out, opts);
  readonly restore: Store['restore'] = (input, opts) => restoreDatabase(this.db, input, opts);

  // ── Uploaded files (sql-uploads.ts) ─────────────────────────────────────────────────────────

  readonly createUpload: Store['createUpload'] = (...args) => this.uploads.createUpload(...args);
  readonly getUpload: Store['getUpload'] = (...args) => this.uploads.getUpload(...args);
  readonly getUploadBytes: Store['getUploadBytes'] = (...args) =>
    this.uploads.getUploadBytes(...args);
  readonly listUploads: Store['listUploads'] = (...args) => this.uploads.listUploads(...args);
  readonly settleUpload: Store['settleUpload'] = (...args) => this.uploads.settleUpload(...args);

  // ── The AG's workspace (sql-workspace.ts) ───────────────────────────────────────────────────

  readonly addWorkspaceRevisions: Store['addWorkspaceRevisions'] = (...args) =>
    this.workspace.addWorkspaceRevisions(...args);
  readonly listWorkspaceRevisions: Store['listWorkspaceRevisions'] = (...args) =>
    this.workspace.listWorkspaceRevisions(...args);
}
