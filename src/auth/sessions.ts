/**
 * Sessions (browser logins) and API tokens (scripts). The client holds the secret; the store
 * keeps only its SHA-256, so a copy of the database opens no session. Sessions slide: each
 * request moves the end to 8 hours after it, up to 7 days after the login. A disabled account's
 * sessions and tokens stop working at once; its tokens work again if it is enabled.
 */
import { BimoError } from '../domain/index.ts';
import type { ApiToken, SessionRecord, Store, User } from '../store/index.ts';
import {
  auditEvent,
  authConfig,
  MINUTE_MS,
  plusMs,
  type AuditContext,
  type AuthConfig,
  type AuthOptions,
} from './context.ts';
import {
  formCsrfToken,
  hashSecret,
  isApiToken,
  isSessionId,
  newApiToken,
  newCsrfToken,
  newId,
  newSessionId,
  safeEqual,
} from './tokens.ts';

/** What the client gets at login: both secrets in clear text, once. */
export interface NewSession {
  /** For the session cookie (HttpOnly, Secure, SameSite=Lax). */
  sessionId: string;
  /** For forms and the X-CSRF-Token header of every write. */
  csrfToken: string;
  expiresAt: string;
}

export interface ActiveSession {
  user: User;
  session: SessionRecord;
}

/**
 * Writes for bookkeeping (last seen, last used) happen at most this often per session or
 * token: a busy page must not become a stream of database writes.
 */
const TOUCH_EVERY_MS = MINUTE_MS;

export class Sessions {
  readonly config: AuthConfig;

  constructor(
    private readonly store: Store,
    options: AuthOptions = {},
  ) {
    this.config = authConfig(options);
  }

  #end(created: Date, at: Date): Date {
    const idle = plusMs(at, this.config.sessionHours * 60 * MINUTE_MS);
    const max = plusMs(created, this.config.sessionMaxDays * 24 * 60 * MINUTE_MS);
    return idle < max ? idle : max;
  }

  /** Starts a session for a user who has just authenticated (that login is already audited). */
  async createSession(user: User): Promise<NewSession> {
    const at = this.config.now();
    // Logins are rare: a good moment to drop the sessions that ran out.
    await this.store.deleteExpiredSessions(at.toISOString());
    const sessionId = newSessionId();
    const csrfToken = newCsrfToken();
    const expiresAt = this.#end(at, at).toISOString();
    await this.store.createSession({
      idHash: hashSecret(sessionId),
      userId: user.id,
      createdAt: at.toISOString(),
      expiresAt,
      csrfTokenHash: hashSecret(csrfToken),
      lastSeenAt: at.toISOString(),
    });
    return { sessionId, csrfToken, expiresAt };
  }

  /** The user behind a session cookie, or null (unknown, expired, account disabled or gone). */
  async sessionUser(sessionId: string): Promise<ActiveSession | null> {
    if (!isSessionId(sessionId)) return null;
    const idHash = hashSecret(sessionId);
    const session = await this.store.getSession(idHash);
    if (!session) return null;
    const at = this.config.now();
    const user = await this.store.getUser(session.userId);
    if (at.getTime() >= Date.parse(session.expiresAt) || !user || user.disabled) {
      await this.store.deleteSession(idHash);
      return null;
    }
    if (at.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
      const expiresAt = this.#end(new Date(session.createdAt), at).toISOString();
      await this.store.touchSession(idHash, at.toISOString(), expiresAt);
      return { user, session: { ...session, lastSeenAt: at.toISOString(), expiresAt } };
    }
    return { user, session };
  }

  /** Whether a write carries the session's CSRF token (constant-time comparison). */
  checkCsrf(session: SessionRecord, csrfToken: string | undefined): boolean {
    return csrfToken !== undefined && safeEqual(hashSecret(csrfToken), session.csrfTokenHash);
  }

  /** The CSRF token of the portal's forms for this session (derived, never stored). */
  formToken(sessionId: string): string {
    return formCsrfToken(sessionId);
  }

  /** Whether a form post carries the session's form token (constant-time comparison). */
  checkFormCsrf(sessionId: string, token: string | undefined): boolean {
    return token !== undefined && safeEqual(token, formCsrfToken(sessionId));
  }

  /** Ends a session; recorded as `logout` when it existed. */
  async logout(sessionId: string, ip: string | null): Promise<void> {
    if (!isSessionId(sessionId)) return;
    const idHash = hashSecret(sessionId);
    const session = await this.store.getSession(idHash);
    if (!session || !(await this.store.deleteSession(idHash))) return;
    const user = await this.store.getUser(session.userId);
    const email = user?.email ?? session.userId;
    await this.store.appendAudit(
      auditEvent(this.config.now(), { actor: email, ip }, 'logout', email, 'ok'),
    );
  }

  /**
   * A new API token for `user`, named so its owner recognises it later ("Export Kita-Bericht").
   * The clear text is returned once and never stored; a lost token is revoked and replaced.
   */
  async issueApiToken(
    user: User,
    name: string,
    ctx: AuditContext,
  ): Promise<{ token: string; record: ApiToken }> {
    const label = name.trim();
    if (label === '' || label.length > 100) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        'an API token needs a name of 1 to 100 characters',
        'Name what the token is for, e.g. "Export Kita-Bericht".',
        { field: 'name' },
      );
    }
    if (user.disabled) {
      throw new BimoError(
        'BIMO_E_FORBIDDEN',
        `the account ${user.email} is disabled`,
        'Enable it first: bimo users enable --email …',
      );
    }
    const at = this.config.now();
    const token = newApiToken();
    const record: ApiToken = {
      id: newId(),
      userId: user.id,
      name: label,
      createdAt: at.toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.store.createApiToken(
      record,
      hashSecret(token),
      auditEvent(at, ctx, 'token.create', user.email, 'ok', { tokenId: record.id, name: label }),
    );
    return { token, record };
  }

  /** The user behind an API token, or null (malformed, unknown, revoked, account disabled). */
  async tokenUser(token: string): Promise<User | null> {
    if (!isApiToken(token)) return null;
    const record = await this.store.getApiTokenByHash(hashSecret(token));
    if (!record || record.revokedAt !== null) return null;
    const user = await this.store.getUser(record.userId);
    if (!user || user.disabled) return null;
    const at = this.config.now();
    const last = record.lastUsedAt === null ? 0 : Date.parse(record.lastUsedAt);
    if (at.getTime() - last >= TOUCH_EVERY_MS) {
      await this.store.touchApiToken(record.id, at.toISOString());
    }
    return user;
  }

  /** Revokes a token for good; false when it does not exist or was revoked before. */
  async revokeApiToken(id: string, ctx: AuditContext): Promise<boolean> {
    const at = this.config.now();
    return this.store.revokeApiToken(
      id,
      at.toISOString(),
      auditEvent(at, ctx, 'token.revoke', id, 'ok', { tokenId: id }),
    );
  }

  listApiTokens(userId?: string): Promise<ApiToken[]> {
    return this.store.listApiTokens(userId);
  }

  /** Drops expired sessions (a daily job or `serve` start may call it). */
  async purgeExpired(): Promise<number> {
    return this.store.deleteExpiredSessions(this.config.now().toISOString());
  }
}
