/**
 * The Store implemented once over SqlDriver: both backends share these statements, so the
 * contract suite proves the same behaviour on DuckDB and PostgreSQL.
 */
import {
  BimoError,
  type Flag,
  type Region,
  type RegionGroup,
  type RegionGroupMember,
  type RegionLevel,
  type Release,
  type ReleaseStatus,
  type Source,
  type Variable,
} from '../domain/index.ts';
import { MIGRATIONS } from './migrations.ts';
import {
  insertMany,
  placeholders,
  type SqlDriver,
  type SqlExecutor,
  type SqlRow,
  type SqlValue,
} from './sql.ts';
import type {
  GeometryRecord,
  IndicatorCoverage,
  Suppression,
  ImportBatch,
  IndicatorValue,
  LocalArea,
  IndicatorValueQuery,
  ObservationQuery,
  ObservationRow,
  RegionSet,
  Store,
  ApiToken,
  AuditEvent,
  AuditOutcome,
  AuditQuery,
  NewAuditEvent,
  NewUser,
  SessionRecord,
  User,
  UserPatch,
  UserRole,
} from './types.ts';

const OBSERVATION_COLUMNS = [
  'variable_id',
  'region_code',
  'period',
  'dims_key',
  'value',
  'flag',
  'rounding_base',
  'source_id',
  'release_id',
  'origin',
] as const;

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toRelease(r: SqlRow): Release {
  return {
    id: Number(r.id),
    status: str(r.status) as ReleaseStatus,
    createdBy: str(r.created_by),
    createdAt: str(r.created_at),
    publishedAt: strOrNull(r.published_at),
    note: str(r.note),
  };
}

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

function toUser(r: SqlRow): User {
  const regions = str(r.regions);
  return {
    id: str(r.id),
    email: str(r.email),
    name: str(r.name),
    role: str(r.role) as UserRole,
    regions: regions === '' ? [] : regions.split(','),
    disabled: Boolean(r.disabled),
    failedLogins: Number(r.failed_logins),
    lockedUntil: strOrNull(r.locked_until),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

function toApiToken(r: SqlRow): ApiToken {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    name: str(r.name),
    createdAt: str(r.created_at),
    lastUsedAt: strOrNull(r.last_used_at),
    revokedAt: strOrNull(r.revoked_at),
  };
}

function toSession(r: SqlRow): SessionRecord {
  return {
    idHash: str(r.id_hash),
    userId: str(r.user_id),
    createdAt: str(r.created_at),
    expiresAt: str(r.expires_at),
    csrfTokenHash: str(r.csrf_token_hash),
    lastSeenAt: str(r.last_seen_at),
  };
}

function toAuditEvent(r: SqlRow): AuditEvent {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(str(r.details)) as Record<string, unknown>;
  } catch {
    details = { unreadable: str(r.details) };
  }
  return {
    id: Number(r.id),
    at: str(r.at),
    actor: str(r.actor),
    action: str(r.action),
    target: str(r.target),
    outcome: str(r.outcome) as AuditOutcome,
    ip: strOrNull(r.ip),
    details,
  };
}

/** Column of each patchable user field: SET clauses are built from this list only. */
const USER_PATCH_COLUMNS: { [K in keyof Required<UserPatch>]: string } = {
  name: 'name',
  role: 'role',
  regions: 'regions',
  disabled: 'disabled',
  passwordHash: 'password_hash',
  failedLogins: 'failed_logins',
  lockedUntil: 'locked_until',
};

/** Thrown by commitImport with `rollback`: every check passed, nothing was written. */
export class ImportRolledBack extends Error {
  constructor() {
    super('import checked and rolled back (dry run)');
    this.name = 'ImportRolledBack';
  }
}

export class SqlStore implements Store {
  constructor(private readonly db: SqlDriver) {}

  get kind(): 'duckdb' | 'postgres' {
    return this.db.kind;
  }

  async migrate(): Promise<void> {
    await this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const done = new Set(
      (await this.db.query('SELECT version FROM schema_migration')).map((r) => Number(r.version)),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await this.db.transaction(async (tx) => {
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

  async replaceRegions(set: RegionSet): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.exec('DELETE FROM region_group_member');
      await tx.exec('DELETE FROM region_group');
      await tx.exec('DELETE FROM region');
      await insertMany(
        tx,
        'region',
        ['code', 'level', 'name', 'parent_code', 'valid_from', 'valid_to', 'additive', 'same_as'],
        set.regions.map((r) => [
          r.code,
          r.level,
          r.name,
          r.parentCode,
          r.validFrom,
          r.validTo,
          r.additive,
          r.sameAs,
        ]),
      );
      await insertMany(
        tx,
        'region_group',
        ['id', 'name', 'kind'],
        set.groups.map((g) => [g.id, g.name, g.kind]),
      );
      await insertMany(
        tx,
        'region_group_member',
        ['group_id', 'region_code', 'weight'],
        set.members.map((m) => [m.groupId, m.regionCode, m.weight]),
      );
    });
  }

  async loadRegions(): Promise<RegionSet> {
    const regions = (await this.db.query('SELECT * FROM region ORDER BY code')).map(
      (r): Region => ({
        code: str(r.code),
        level: str(r.level) as RegionLevel,
        name: str(r.name),
        parentCode: strOrNull(r.parent_code),
        validFrom: strOrNull(r.valid_from),
        validTo: strOrNull(r.valid_to),
        additive: Boolean(r.additive),
        sameAs: strOrNull(r.same_as),
      }),
    );
    const groups = (await this.db.query('SELECT * FROM region_group ORDER BY id')).map((r) => ({
      id: str(r.id),
      name: str(r.name),
      kind: str(r.kind) as RegionSet['groups'][number]['kind'],
    }));
    const members = (
      await this.db.query('SELECT * FROM region_group_member ORDER BY group_id, region_code')
    ).map((r) => ({
      groupId: str(r.group_id),
      regionCode: str(r.region_code),
      weight: Number(r.weight),
    }));
    const known = new Set(regions.map((r) => r.code));
    for (const a of await this.listLocalAreas()) {
      if (!known.has(a.parentCode)) continue;
      regions.push({
        code: a.code,
        level: 'sozialraum',
        name: a.name,
        parentCode: a.parentCode,
        validFrom: a.validFrom,
        validTo: a.validTo,
        additive: true,
        sameAs: null,
      });
    }
    return { regions, groups, members };
  }

  async replaceGroupsOfKind(
    kind: RegionGroup['kind'],
    groups: RegionGroup[],
    members: RegionGroupMember[],
  ): Promise<void> {
    if (groups.some((g) => g.kind !== kind)) throw new Error(`all groups must be of kind ${kind}`);
    await this.db.transaction(async (tx) => {
      await tx.exec(
        'DELETE FROM region_group_member WHERE group_id IN (SELECT id FROM region_group WHERE kind = $1)',
        [kind],
      );
      await tx.exec('DELETE FROM region_group WHERE kind = $1', [kind]);
      await insertMany(
        tx,
        'region_group',
        ['id', 'name', 'kind'],
        groups.map((g) => [g.id, g.name, g.kind]),
      );
      await insertMany(
        tx,
        'region_group_member',
        ['group_id', 'region_code', 'weight'],
        members.map((m) => [m.groupId, m.regionCode, m.weight]),
      );
    });
  }

  async saveLocalAreas(areas: LocalArea[], by: string): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction(async (tx) => {
      for (const a of areas) {
        await tx.exec('DELETE FROM local_area WHERE code = $1', [a.code]);
        await tx.exec(
          `INSERT INTO local_area (code, name, parent_code, valid_from, valid_to, list_name, updated_at, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [a.code, a.name, a.parentCode, a.validFrom, a.validTo, a.listName, now, by],
        );
      }
    });
  }

  async listLocalAreas(): Promise<LocalArea[]> {
    return (await this.db.query('SELECT * FROM local_area ORDER BY code')).map((r) => ({
      code: str(r.code),
      name: str(r.name),
      parentCode: str(r.parent_code),
      validFrom: strOrNull(r.valid_from),
      validTo: strOrNull(r.valid_to),
      listName: str(r.list_name),
    }));
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

  async commitImport(batch: ImportBatch): Promise<Release> {
    return this.db.transaction(async (tx) => {
      // Several app processes may import at once on PostgreSQL: one release id each.
      if (this.kind === 'postgres') await tx.exec('LOCK TABLE release IN SHARE ROW EXCLUSIVE MODE');
      const [max] = await tx.query('SELECT MAX(id) AS id FROM release');
      const id = (numOrNull(max?.id) ?? 0) + 1;
      const now = new Date().toISOString();
      const publishedAt = batch.release.status === 'published' ? now : null;
      await tx.exec(
        'INSERT INTO release (id, status, created_by, created_at, published_at, note) VALUES ($1, $2, $3, $4, $5, $6)',
        [id, batch.release.status, batch.release.createdBy, now, publishedAt, batch.release.note],
      );
      const s = batch.source;
      await tx.exec(
        `INSERT INTO source (id, table_code, title, database_name, stand, file_name, file_sha256,
          imported_at, licence, footnotes, release_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
        [
          s.id,
          s.tableCode,
          s.title,
          s.database,
          s.stand,
          s.fileName,
          s.fileSha256,
          s.importedAt,
          s.licence,
          s.footnotes,
          id,
        ],
      );
      // Streamed files load into a staging table first, so duplicate cells can be found (with
      // their places in the file) before anything reaches the observation table.
      const staging = batch.checkDuplicates ? `observation_staging_${id}` : null;
      if (staging) {
        await tx.exec(
          `CREATE TABLE ${staging} (variable_id TEXT NOT NULL, region_code TEXT NOT NULL,
            period TEXT NOT NULL, dims_key TEXT NOT NULL, value DOUBLE PRECISION, flag TEXT,
            rounding_base INTEGER NOT NULL, source_id TEXT NOT NULL, release_id INTEGER NOT NULL,
            origin TEXT NOT NULL)`,
        );
      }
      for await (const chunk of batch.chunks) {
        for (const v of chunk.variables) await this.upsertVariable(tx, v);
        for (const d of chunk.dimensionItems) {
          await tx.exec('DELETE FROM dimension_item WHERE dimension_id = $1 AND code = $2', [
            d.dimensionId,
            d.code,
          ]);
          await tx.exec(
            'INSERT INTO dimension_item (dimension_id, code, label, is_total) VALUES ($1, $2, $3, $4)',
            [d.dimensionId, d.code, d.label, d.isTotal],
          );
        }
        await insertMany(
          tx,
          staging ?? 'observation',
          OBSERVATION_COLUMNS,
          chunk.observations.map((o) => [
            o.variableId,
            o.regionCode,
            o.period,
            o.dimsKey,
            o.value,
            o.flag,
            o.roundingBase,
            o.sourceId,
            id,
            o.origin,
          ]),
        );
      }
      if (staging) {
        const dups = await tx.query(
          `SELECT variable_id, region_code, period, dims_key,
             STRING_AGG(origin, ' ') AS origins, COUNT(*) AS n
           FROM ${staging} GROUP BY variable_id, region_code, period, dims_key
           HAVING COUNT(*) > 1 ORDER BY MIN(origin) LIMIT 20`,
        );
        if (dups.length > 0) {
          throw new BimoError(
            'BIMO_E_PARSE',
            `the file holds ${dups.length === 20 ? 'at least 20' : dups.length} cell(s) twice`,
            'Remove the duplicate rows; if the file is unchanged from the download, the recipe maps two columns onto the same item.',
            {
              duplicates: dups.map((d) => ({
                variableId: str(d.variable_id),
                regionCode: str(d.region_code),
                period: str(d.period),
                dimsKey: str(d.dims_key),
                // `line:column` places in file order (the first is the one that stays).
                origins: str(d.origins)
                  .split(' ')
                  .sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b)),
                count: Number(d.n),
              })),
            },
          );
        }
        const cols = OBSERVATION_COLUMNS.join(', ');
        await tx.exec(`INSERT INTO observation (${cols}) SELECT ${cols} FROM ${staging}`);
        await tx.exec(`DROP TABLE ${staging}`);
      }
      if (batch.rollback) throw new ImportRolledBack();
      const [row] = await tx.query('SELECT * FROM release WHERE id = $1', [id]);
      if (!row) throw new Error('release row vanished inside its own transaction');
      return toRelease(row);
    });
  }

  private async upsertVariable(tx: SqlExecutor, v: Variable): Promise<void> {
    await tx.exec('DELETE FROM variable WHERE id = $1', [v.id]);
    await tx.exec(
      `INSERT INTO variable (id, label, unit, statistic, period_kind, additive, dash_is_zero)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [v.id, v.label, v.unit, v.statistic, v.periodKind, v.additive, v.dashIsZero],
    );
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

  async setReleaseStatus(id: number, status: ReleaseStatus, by: string): Promise<Release> {
    const now = new Date().toISOString();
    if (status === 'approved') {
      await this.db.exec('UPDATE release SET status = $1, approved_by = $2 WHERE id = $3', [
        status,
        by,
        id,
      ]);
    } else {
      await this.db.exec('UPDATE release SET status = $1, published_at = $2 WHERE id = $3', [
        status,
        status === 'published' ? now : null,
        id,
      ]);
    }
    const r = await this.getRelease(id);
    if (!r) throw new Error(`release ${id} vanished`);
    return r;
  }

  async latestPublishedRelease(): Promise<Release | null> {
    const [r] = await this.db.query(
      "SELECT * FROM release WHERE status = 'published' ORDER BY id DESC LIMIT 1",
    );
    return r ? toRelease(r) : null;
  }

  private async resolveRelease(releaseId: number | undefined): Promise<number | null> {
    if (releaseId !== undefined) return releaseId;
    return (await this.latestPublishedRelease())?.id ?? null;
  }

  async queryObservations(q: ObservationQuery): Promise<ObservationRow[]> {
    const release = await this.resolveRelease(q.releaseId);
    if (release === null) return [];
    const params: SqlValue[] = [release];
    const where: string[] = ["(r.status = 'published' OR r.id = $1)", 'o.release_id <= $1'];
    const addIn = (column: string, values: string[] | undefined): void => {
      if (!values) return;
      if (values.length === 0) {
        where.push('FALSE');
        return;
      }
      where.push(`${column} IN (${placeholders(values.length, params.length + 1)})`);
      params.push(...values);
    };
    addIn('o.variable_id', q.variableIds);
    addIn('o.region_code', q.regionCodes);
    addIn('o.period', q.periods);
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
    const addIn = (column: string, values: string[] | undefined): void => {
      if (!values) return;
      if (values.length === 0) {
        where.push('FALSE');
        return;
      }
      where.push(`${column} IN (${placeholders(values.length, params.length + 1)})`);
      params.push(...values);
    };
    addIn('region_code', q.regionCodes);
    addIn('period', q.periods);
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

  // ── Accounts, sessions, API tokens, audit log (migration 5) ─────────────────────────────────

  /** One audit row inside `tx`; ids are MAX+1 under a table lock, as releases in commitImport. */
  private async insertAudit(tx: SqlExecutor, e: NewAuditEvent): Promise<AuditEvent> {
    if (this.kind === 'postgres') {
      await tx.exec('LOCK TABLE audit_event IN SHARE ROW EXCLUSIVE MODE');
    }
    const [max] = await tx.query('SELECT MAX(id) AS id FROM audit_event');
    const id = (numOrNull(max?.id) ?? 0) + 1;
    await tx.exec(
      `INSERT INTO audit_event (id, "at", actor, action, target, outcome, ip, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, e.at, e.actor, e.action, e.target, e.outcome, e.ip, JSON.stringify(e.details)],
    );
    return { ...e, id };
  }

  async createUser(u: NewUser, audit?: NewAuditEvent): Promise<User> {
    const taken = (): BimoError =>
      new BimoError(
        'BIMO_E_CONFLICT',
        `an account with the email ${u.email} exists already`,
        'Use another email, or change the existing account (`bimo users list` shows it).',
        { field: 'email' },
      );
    try {
      return await this.db.transaction(async (tx) => {
        const [dup] = await tx.query('SELECT id FROM app_user WHERE email = $1', [u.email]);
        if (dup) throw taken();
        await tx.exec(
          `INSERT INTO app_user (id, email, name, role, regions, password_hash, disabled,
             failed_logins, locked_until, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, FALSE, 0, NULL, $7, $7)`,
          [u.id, u.email, u.name, u.role, u.regions.join(','), u.passwordHash, u.createdAt],
        );
        if (audit) await this.insertAudit(tx, audit);
        const [row] = await tx.query('SELECT * FROM app_user WHERE id = $1', [u.id]);
        if (!row) throw new Error('user row vanished inside its own transaction');
        return toUser(row);
      });
    } catch (err) {
      // Another process may have taken the email between the check and the insert.
      if (!(err instanceof BimoError) && /unique|duplicate/i.test(String(err))) throw taken();
      throw err;
    }
  }

  async getUser(id: string): Promise<User | null> {
    const [r] = await this.db.query('SELECT * FROM app_user WHERE id = $1', [id]);
    return r ? toUser(r) : null;
  }

  async getUserByEmail(email: string): Promise<User | null> {
    const [r] = await this.db.query('SELECT * FROM app_user WHERE email = $1', [email]);
    return r ? toUser(r) : null;
  }

  async getPasswordHash(userId: string): Promise<string | null> {
    const [r] = await this.db.query('SELECT password_hash FROM app_user WHERE id = $1', [userId]);
    return r ? str(r.password_hash) : null;
  }

  async listUsers(): Promise<User[]> {
    return (await this.db.query('SELECT * FROM app_user ORDER BY email')).map(toUser);
  }

  async updateUser(
    id: string,
    patch: UserPatch,
    at: string,
    audit?: NewAuditEvent,
  ): Promise<User | null> {
    const params: SqlValue[] = [id, at];
    const sets = ['updated_at = $2'];
    for (const [key, column] of Object.entries(USER_PATCH_COLUMNS)) {
      const value = patch[key as keyof UserPatch];
      if (value === undefined) continue;
      params.push(Array.isArray(value) ? value.join(',') : value);
      sets.push(`${column} = $${params.length}`);
    }
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query('SELECT id FROM app_user WHERE id = $1', [id]);
      if (!before) return null;
      await tx.exec(`UPDATE app_user SET ${sets.join(', ')} WHERE id = $1`, params);
      if (audit) await this.insertAudit(tx, audit);
      const [row] = await tx.query('SELECT * FROM app_user WHERE id = $1', [id]);
      return row ? toUser(row) : null;
    });
  }

  async recordLoginFailure(
    id: string,
    at: string,
    lockAfter: number,
    lockUntil: string,
  ): Promise<User> {
    return this.db.transaction(async (tx) => {
      // One statement, so that concurrent failures (several server processes) all count.
      await tx.exec(
        `UPDATE app_user SET failed_logins = failed_logins + 1, updated_at = $2,
           locked_until = CASE WHEN failed_logins + 1 >= $3 THEN $4 ELSE locked_until END
         WHERE id = $1`,
        [id, at, lockAfter, lockUntil],
      );
      const [row] = await tx.query('SELECT * FROM app_user WHERE id = $1', [id]);
      if (!row) throw new Error(`user ${id} vanished while counting a failed login`);
      return toUser(row);
    });
  }

  async createSession(x: SessionRecord): Promise<void> {
    await this.db.exec(
      `INSERT INTO user_session (id_hash, user_id, created_at, expires_at, csrf_token_hash,
         last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [x.idHash, x.userId, x.createdAt, x.expiresAt, x.csrfTokenHash, x.lastSeenAt],
    );
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const [r] = await this.db.query('SELECT * FROM user_session WHERE id_hash = $1', [idHash]);
    return r ? toSession(r) : null;
  }

  async touchSession(idHash: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    await this.db.exec(
      'UPDATE user_session SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1',
      [idHash, lastSeenAt, expiresAt],
    );
  }

  /** DELETE … and how many rows it removed (counted first: DuckDB's exec reports none). */
  private async deleteCounted(table: string, where: string, params: SqlValue[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [n] = await tx.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params);
      await tx.exec(`DELETE FROM ${table} WHERE ${where}`, params);
      return Number(n?.n ?? 0);
    });
  }

  async deleteSession(idHash: string): Promise<boolean> {
    return (await this.deleteCounted('user_session', 'id_hash = $1', [idHash])) > 0;
  }

  deleteUserSessions(userId: string): Promise<number> {
    return this.deleteCounted('user_session', 'user_id = $1', [userId]);
  }

  deleteExpiredSessions(now: string): Promise<number> {
    return this.deleteCounted('user_session', 'expires_at <= $1', [now]);
  }

  async createApiToken(t: ApiToken, tokenHash: string, audit?: NewAuditEvent): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.exec(
        `INSERT INTO api_token (id, user_id, name, token_hash, created_at, last_used_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [t.id, t.userId, t.name, tokenHash, t.createdAt, t.lastUsedAt, t.revokedAt],
      );
      if (audit) await this.insertAudit(tx, audit);
    });
  }

  async getApiTokenByHash(tokenHash: string): Promise<ApiToken | null> {
    const [r] = await this.db.query('SELECT * FROM api_token WHERE token_hash = $1', [tokenHash]);
    return r ? toApiToken(r) : null;
  }

  async touchApiToken(id: string, at: string): Promise<void> {
    await this.db.exec('UPDATE api_token SET last_used_at = $2 WHERE id = $1', [id, at]);
  }

  async revokeApiToken(id: string, at: string, audit?: NewAuditEvent): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [r] = await tx.query('SELECT id FROM api_token WHERE id = $1 AND revoked_at IS NULL', [
        id,
      ]);
      if (!r) return false;
      await tx.exec('UPDATE api_token SET revoked_at = $2 WHERE id = $1', [id, at]);
      if (audit) await this.insertAudit(tx, audit);
      return true;
    });
  }

  async listApiTokens(userId?: string): Promise<ApiToken[]> {
    const rows =
      userId === undefined
        ? await this.db.query('SELECT * FROM api_token ORDER BY created_at DESC, id')
        : await this.db.query(
            'SELECT * FROM api_token WHERE user_id = $1 ORDER BY created_at DESC, id',
            [userId],
          );
    return rows.map(toApiToken);
  }

  appendAudit(event: NewAuditEvent): Promise<AuditEvent> {
    return this.db.transaction((tx) => this.insertAudit(tx, event));
  }

  async listAudit(q: AuditQuery): Promise<AuditEvent[]> {
    const params: SqlValue[] = [];
    const where: string[] = [];
    const add = (sql: string, value: string | undefined): void => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${sql} $${params.length}`);
    };
    add('"at" >=', q.since);
    add('actor =', q.actor);
    add('action =', q.action);
    // Bounded, so a typo cannot dump millions of rows into a terminal or a response.
    const limit = Math.min(Math.max(Math.trunc(q.limit), 1), 10_000);
    const offset = Math.max(Math.trunc(q.offset ?? 0), 0);
    params.push(limit, offset);
    const rows = await this.db.query(
      `SELECT * FROM audit_event ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map(toAuditEvent);
  }
}
