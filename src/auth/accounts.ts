/**
 * Accounts: creating and changing them, and logging in (login.ts) with lockout and an IP limit.
 * Every login, failed login, lockout and change is an audit event; changes write theirs in the
 * same transaction, so no change exists without its record. Messages never contain a password.
 */
import { BimoError } from '../domain/index.ts';
import type { RegionRegistry } from '../regions/index.ts';
import type { Store, User, UserPatch } from '../store/index.ts';
import {
  auditEvent,
  authConfig,
  normaliseEmail,
  type AuditContext,
  type AuthConfig,
  type AuthOptions,
} from './context.ts';
import {
  authenticate,
  loginError,
  loginState,
  type LoginRefusal,
  type LoginResult,
  type LoginState,
} from './login.ts';
import { checkPasswordPolicy, hashPassword } from './passwords.ts';
import { checkScope, type Role } from './roles.ts';
import { newId } from './tokens.ts';

export interface NewAccount {
  email: string;
  password: string;
  role: Role;
  name?: string;
  regions?: string[];
}

export interface AccountChange {
  name?: string;
  role?: Role;
  regions?: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class Accounts {
  readonly config: AuthConfig;
  /** The IP limit lives here: one `Accounts` per process (the server keeps it for its lifetime). */
  readonly #login: LoginState;

  constructor(
    private readonly store: Store,
    options: AuthOptions = {},
  ) {
    this.config = authConfig(options);
    this.#login = loginState(store, this.config);
  }

  async findByEmail(email: string): Promise<User | null> {
    return this.store.getUserByEmail(normaliseEmail(email));
  }

  /** The account with this email, or BIMO_E_NOT_FOUND naming how to list or create one. */
  async mustFind(email: string): Promise<User> {
    const user = await this.findByEmail(email);
    if (!user) {
      throw new BimoError(
        'BIMO_E_NOT_FOUND',
        `no account with the email ${normaliseEmail(email)}`,
        '`bimo users list` shows the accounts; `bimo users add` creates one.',
        { field: 'email' },
      );
    }
    return user;
  }

  #checkPassword(password: string, email: string): void {
    const policy = checkPasswordPolicy(password, email);
    if (!policy.ok) {
      throw new BimoError('BIMO_E_PASSWORD_POLICY', policy.message, 'Choose another password.', {
        field: 'password',
        problem: policy.problem,
      });
    }
  }

  /** An editor's regions are checked against `registry` (required for editors). */
  async createAccount(a: NewAccount, ctx: AuditContext, registry?: RegionRegistry): Promise<User> {
    const email = normaliseEmail(a.email);
    if (!EMAIL.test(email) || email.length > 254) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        `"${email}" is not an email address`,
        'Give the address the person uses, e.g. --email name@kreis-dueren.de.',
        { field: 'email' },
      );
    }
    const regions = a.regions ?? [];
    checkScope(a.role, regions, registry);
    this.#checkPassword(a.password, email);
    const at = this.config.now();
    const name = (a.name ?? '').trim();
    return this.store.createUser(
      {
        id: newId(),
        email,
        name,
        role: a.role,
        regions,
        passwordHash: await hashPassword(a.password),
        createdAt: at.toISOString(),
      },
      auditEvent(at, ctx, 'user.create', email, 'ok', { role: a.role, regions }),
    );
  }

  /**
   * Refuses a change that would leave no enabled admin: the web interface could then no longer
   * manage accounts (the CLI could still create one).
   */
  async #keepAnAdmin(user: User, stillAdmin: boolean): Promise<void> {
    if (user.role !== 'admin' || user.disabled || stillAdmin) return;
    const others = (await this.store.listUsers()).filter(
      (u) => u.role === 'admin' && !u.disabled && u.id !== user.id,
    );
    if (others.length === 0) {
      throw new BimoError(
        'BIMO_E_CONFLICT',
        `${user.email} is the last enabled admin`,
        'Create another admin first: bimo users add --email … --role admin',
        { field: 'email' },
      );
    }
  }

  async updateAccount(
    email: string,
    change: AccountChange,
    ctx: AuditContext,
    registry?: RegionRegistry,
  ): Promise<User> {
    const user = await this.mustFind(email);
    const role = change.role ?? user.role;
    // A role change away from editor drops the regions unless new ones are given.
    const regions = change.regions ?? (role === 'editor' ? user.regions : []);
    checkScope(role, regions, registry);
    await this.#keepAnAdmin(user, role === 'admin');
    const patch: UserPatch = { role, regions };
    if (change.name !== undefined) patch.name = change.name.trim();
    const at = this.config.now();
    const details = {
      role: { from: user.role, to: role },
      regions: { from: user.regions, to: regions },
      ...(patch.name !== undefined ? { name: { from: user.name, to: patch.name } } : {}),
    };
    const updated = await this.store.updateUser(
      user.id,
      patch,
      at.toISOString(),
      auditEvent(at, ctx, 'user.update', user.email, 'ok', details),
    );
    if (!updated) throw new Error(`account ${user.email} vanished during the update`);
    return updated;
  }

  /**
   * Disables (logging the account out everywhere) or enables an account. Enabling also lifts a
   * lockout, so `enable` is the admin's unlock.
   */
  async setDisabled(email: string, disabled: boolean, ctx: AuditContext): Promise<User> {
    const user = await this.mustFind(email);
    if (disabled) await this.#keepAnAdmin(user, false);
    const at = this.config.now();
    const ended = disabled ? await this.store.deleteUserSessions(user.id) : 0;
    const patch: UserPatch = disabled
      ? { disabled }
      : { disabled, failedLogins: 0, lockedUntil: null };
    const details = disabled
      ? { sessionsEnded: ended }
      : {
          wasDisabled: user.disabled,
          unlocked: user.lockedUntil !== null || user.failedLogins > 0,
        };
    const updated = await this.store.updateUser(
      user.id,
      patch,
      at.toISOString(),
      auditEvent(at, ctx, disabled ? 'user.disable' : 'user.enable', user.email, 'ok', details),
    );
    if (!updated) throw new Error(`account ${user.email} vanished during the update`);
    return updated;
  }

  /** Sets a new password, lifts a lockout and ends every session of the account. */
  async resetPassword(email: string, password: string, ctx: AuditContext): Promise<User> {
    const user = await this.mustFind(email);
    this.#checkPassword(password, user.email);
    const passwordHash = await hashPassword(password);
    const ended = await this.store.deleteUserSessions(user.id);
    const at = this.config.now();
    const updated = await this.store.updateUser(
      user.id,
      { passwordHash, failedLogins: 0, lockedUntil: null },
      at.toISOString(),
      auditEvent(at, ctx, 'user.password_reset', user.email, 'ok', { sessionsEnded: ended }),
    );
    if (!updated) throw new Error(`account ${user.email} vanished during the update`);
    return updated;
  }

  /** The client's answer to a refused login, with this instance's limits in the fix. */
  refusalError(refusal: LoginRefusal): BimoError {
    return loginError(refusal, this.config);
  }

  /** Checks a login (login.ts): lockout per account, limit per IP, every outcome audited. */
  authenticate(email: string, password: string, ip: string | null): Promise<LoginResult> {
    return authenticate(this.#login, email, password, ip);
  }
}
