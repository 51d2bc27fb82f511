/**
 * Logging in: the password check with a lockout per account (5 failures → 15 minutes) and a
 * limit per IP address (10 failures in 5 minutes), each outcome an audit event. Split from
 * accounts.ts, whose `Accounts.authenticate` is the entry point.
 */
import { BimoError } from '../domain/index.ts';
import type { Store, User, UserPatch } from '../store/index.ts';
import {
  AUTH_DEFAULTS,
  auditEvent,
  MINUTE_MS,
  normaliseEmail,
  plusMs,
  UNKNOWN_ACTOR,
  type AuthConfig,
} from './context.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { SlidingWindowLimiter } from './rate-limit.ts';

export type LoginFailure =
  'unknown_account' | 'wrong_password' | 'disabled' | 'locked' | 'rate_limited';

export interface LoginRefusal {
  ok: false;
  reason: LoginFailure;
  /** Only for rate_limited and locked. */
  retryAfterSeconds?: number;
}

export type LoginResult = { ok: true; user: User } | LoginRefusal;

/**
 * The one answer a client gets for a refused login. Wrong password, unknown account, locked and
 * disabled look the same, so that nobody can find out which emails have accounts; the audit log
 * keeps the real reason for the admins.
 */
export function loginError(
  result: LoginRefusal,
  limits: Pick<AuthConfig, 'maxFailedLogins' | 'lockMinutes'> = AUTH_DEFAULTS,
): BimoError {
  if (result.reason === 'rate_limited') {
    const seconds = result.retryAfterSeconds ?? 60;
    return new BimoError(
      'BIMO_E_RATE_LIMITED',
      'Zu viele fehlgeschlagene Anmeldungen von dieser Adresse. / Too many failed logins from this address.',
      `Try again in ${Math.ceil(seconds / 60)} minute(s).`,
      { retryAfterSeconds: seconds },
    );
  }
  return new BimoError(
    'BIMO_E_UNAUTHENTICATED',
    'E-Mail oder Passwort falsch, oder das Konto ist gesperrt. / Wrong email or password, or the account is locked or disabled.',
    `Check both; after ${limits.maxFailedLogins} failed logins an account is locked for ${limits.lockMinutes} minutes. An admin can unlock it (\`bimo users enable --email …\`) or set a new password (\`bimo users reset-password\`).`,
  );
}

/** What logins remember between calls (per process). */
export interface LoginState {
  store: Store;
  config: AuthConfig;
  ipLimit: SlidingWindowLimiter;
  /** When a blocked address was last recorded: one audit row per window, not one per attempt. */
  blockedNoted: Map<string, number>;
}

export function loginState(store: Store, config: AuthConfig): LoginState {
  const ipLimit = new SlidingWindowLimiter({
    limit: config.ipMaxFailures,
    windowMs: config.ipWindowMinutes * MINUTE_MS,
    now: config.now,
  });
  return { store, config, ipLimit, blockedNoted: new Map() };
}

/** A hash to verify against when the account does not exist, so that answer takes as long. */
let dummyHash: Promise<string> | undefined;

async function refuseAddress(
  s: LoginState,
  at: Date,
  ipKey: string,
  ip: string | null,
  waitMs: number,
): Promise<LoginRefusal> {
  const retryAfterSeconds = Math.ceil(waitMs / 1000);
  const noted = s.blockedNoted.get(ipKey);
  if (noted === undefined || at.getTime() - noted >= s.config.ipWindowMinutes * MINUTE_MS) {
    s.blockedNoted.set(ipKey, at.getTime());
    await s.store.appendAudit(
      auditEvent(at, { actor: UNKNOWN_ACTOR, ip }, 'login.rate_limited', ipKey, 'denied', {
        retryAfterSeconds,
      }),
    );
  }
  return { ok: false, reason: 'rate_limited', retryAfterSeconds };
}

/**
 * Refused while the address is over its limit (without looking at the account). Otherwise the
 * password is always verified, also for unknown, disabled and locked accounts, so that the
 * answer takes as long whatever the reason.
 */
export async function authenticate(
  s: LoginState,
  email: string,
  password: string,
  ip: string | null,
): Promise<LoginResult> {
  const { store, config } = s;
  const at = config.now();
  const ipKey = ip ?? 'unknown';
  const wait = s.ipLimit.retryAfterMs(ipKey);
  if (wait > 0) return refuseAddress(s, at, ipKey, ip, wait);

  const user = await store.getUserByEmail(normaliseEmail(email));
  const hash = user ? await store.getPasswordHash(user.id) : null;
  dummyHash ??= hashPassword('bimo timing equaliser, never a real password');
  const matches = await verifyPassword(password, hash ?? (await dummyHash));
  const fail = async (
    reason: LoginFailure,
    outcome: 'failed' | 'denied',
    details: Record<string, unknown> = {},
  ): Promise<LoginRefusal> => {
    s.ipLimit.hit(ipKey);
    // A stranger's typed email is not recorded: people type passwords into the email field.
    const who = user?.email ?? UNKNOWN_ACTOR;
    await store.appendAudit(
      auditEvent(at, { actor: who, ip }, 'login.failed', who, outcome, { reason, ...details }),
    );
    return { ok: false, reason };
  };

  if (!user || hash === null) return fail('unknown_account', 'failed');
  if (user.disabled) return fail('disabled', 'denied');
  const lockedMs = user.lockedUntil === null ? 0 : Date.parse(user.lockedUntil) - at.getTime();
  if (lockedMs > 0) {
    const refusal = await fail('locked', 'denied', { lockedUntil: user.lockedUntil });
    return { ...refusal, retryAfterSeconds: Math.ceil(lockedMs / 1000) };
  }
  if (user.lockedUntil !== null) {
    // The lock has run out: the count starts afresh rather than locking at the next slip.
    await store.updateUser(user.id, { failedLogins: 0, lockedUntil: null }, at.toISOString());
  }
  if (!matches) {
    const lockUntil = plusMs(at, config.lockMinutes * MINUTE_MS).toISOString();
    const counted = await store.recordLoginFailure(
      user.id,
      at.toISOString(),
      config.maxFailedLogins,
      lockUntil,
    );
    const refusal = await fail('wrong_password', 'failed', { failedLogins: counted.failedLogins });
    if (counted.failedLogins === config.maxFailedLogins) {
      await store.appendAudit(
        auditEvent(at, { actor: user.email, ip }, 'login.locked', user.email, 'denied', {
          failedLogins: counted.failedLogins,
          lockedUntil: counted.lockedUntil,
        }),
      );
    }
    return refusal;
  }

  const patch: UserPatch = {};
  if (user.failedLogins > 0 || user.lockedUntil !== null) {
    patch.failedLogins = 0;
    patch.lockedUntil = null;
  }
  // Hashes made with older, weaker parameters are upgraded while the password is at hand.
  if (needsRehash(hash)) patch.passwordHash = await hashPassword(password);
  const ok = auditEvent(at, { actor: user.email, ip }, 'login.ok', user.email, 'ok');
  if (Object.keys(patch).length === 0) {
    await store.appendAudit(ok);
    return { ok: true, user };
  }
  return { ok: true, user: (await store.updateUser(user.id, patch, at.toISOString(), ok)) ?? user };
}
