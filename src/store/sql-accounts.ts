/**
 * The account part of the SqlStore (migration 5): users, sessions, API tokens and the audit log,
 * one set of statements for both backends. The rules live in src/auth; this only keeps the rows.
 */
import { BimoError } from '../domain/index.ts';
import { nextId, type SqlDriver, type SqlExecutor, type SqlRow, type SqlValue } from './sql.ts';
import { str, strOrNull } from './sql-rows.ts';
import type {
  AccountStore,
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

/**
 * One audit row inside `tx` (shared by every part of the store that writes an event with its
 * change); ids are MAX+1 under a table lock, as releases in commitImport.
 */
export async function insertAudit(
  tx: SqlExecutor,
  kind: SqlDriver['kind'],
  e: NewAuditEvent,
): Promise<AuditEvent> {
  const id = await nextId(tx, kind, 'audit_event');
  await tx.exec(
    `INSERT INTO audit_event (id, "at", actor, action, target, outcome, ip, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, e.at, e.actor, e.action, e.target, e.outcome, e.ip, JSON.stringify(e.details)],
  );
  return { ...e, id };
}

export class SqlAccountStore implements AccountStore {
  constructor(
    private readonly db: SqlDriver,
    private readonly kind: SqlDriver['kind'],
  ) {}

  private insertAudit(tx: SqlExecutor, e: NewAuditEvent): Promise<AuditEvent> {
    return insertAudit(tx, this.kind, e);
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
