/**
 * What accounts and sessions share: the limits (with their defaults, docs/accounts.md), the
 * injected clock, and how an audit event is put together. Tests pass their own clock, so
 * lockouts and expiries are checked without waiting.
 */
import type { AuditOutcome, NewAuditEvent } from '../store/index.ts';

export interface AuthOptions {
  /** The clock; default: the system time. */
  now?: () => Date;
  /** Failed logins of one account before it is locked (default 5). */
  maxFailedLogins?: number;
  /** How long a locked account stays locked (default 15). */
  lockMinutes?: number;
  /** Failed logins from one IP address within the window before it is refused (default 10). */
  ipMaxFailures?: number;
  /** The sliding window of the IP limit (default 5). */
  ipWindowMinutes?: number;
  /** A session ends after this long without a request (default 8). */
  sessionHours?: number;
  /** …and after this long in any case, however active (default 7). */
  sessionMaxDays?: number;
}

export type AuthConfig = Required<AuthOptions>;

export const AUTH_DEFAULTS: Omit<AuthConfig, 'now'> = {
  maxFailedLogins: 5,
  lockMinutes: 15,
  ipMaxFailures: 10,
  ipWindowMinutes: 5,
  sessionHours: 8,
  sessionMaxDays: 7,
};

export function authConfig(o: AuthOptions = {}): AuthConfig {
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return { now: () => new Date(), ...AUTH_DEFAULTS, ...defined };
}

export const MINUTE_MS = 60_000;

/** Emails are compared in lower case: people do not remember how they capitalised them. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function plusMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

/**
 * Who acts and from where: the email of a logged-in user, `cli:<os user>` for the command line,
 * `system` for jobs. The IP is null outside HTTP.
 */
export interface AuditContext {
  actor: string;
  ip?: string | null;
}

/** Every action the audit log knows (docs/accounts.md lists each with its details). */
export const AUDIT_ACTIONS = [
  'login.ok',
  'login.failed',
  'login.locked',
  'login.rate_limited',
  'logout',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.password_reset',
  'token.create',
  'token.revoke',
  // Written by the policy module (src/api/policy.ts) when it refuses a signed-in user.
  'access.denied',
  // The data workflow over HTTP (src/api/routes/imports.ts, releases.ts).
  'import.upload',
  'import.commit',
  'import.discard',
  'release.approve',
  'release.publish',
  // The AG's workspace of Handlungsfelder and Fragestellungen (src/web/pages/internal/workspace.ts).
  'workspace.save',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Actor of events caused by someone whose account is unknown: what they typed is not kept. */
export const UNKNOWN_ACTOR = '(unknown)';

export function auditEvent(
  at: Date,
  ctx: AuditContext,
  action: AuditAction,
  target: string,
  outcome: AuditOutcome,
  details: Record<string, unknown> = {},
): NewAuditEvent {
  return {
    at: at.toISOString(),
    actor: ctx.actor,
    action,
    target,
    outcome,
    ip: ctx.ip ?? null,
    details,
  };
}
