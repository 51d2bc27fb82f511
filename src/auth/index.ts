/**
 * Public surface of accounts and access: passwords, tokens, roles and region scope, logins with
 * lockout and IP limit, sessions, API tokens and the audit events they write (docs/accounts.md).
 * HTTP routes and the policy module build on this; they never hash or compare secrets themselves.
 */
export { Accounts, type AccountChange, type NewAccount } from './accounts.ts';
export { loginError, type LoginFailure, type LoginRefusal, type LoginResult } from './login.ts';
export {
  AUDIT_ACTIONS,
  AUTH_DEFAULTS,
  UNKNOWN_ACTOR,
  auditEvent,
  authConfig,
  normaliseEmail,
  type AuditAction,
  type AuditContext,
  type AuthConfig,
  type AuthOptions,
} from './context.ts';
export {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyPassword,
  type PasswordProblem,
  type PolicyResult,
} from './passwords.ts';
export { SlidingWindowLimiter, type SlidingWindowOptions } from './rate-limit.ts';
export {
  ROLES,
  canWriteRegion,
  checkScope,
  isRole,
  parseRegions,
  type Role,
  type RoleOrPublic,
} from './roles.ts';
export { Sessions, type ActiveSession, type NewSession } from './sessions.ts';
export {
  API_TOKEN_PREFIX,
  formCsrfToken,
  hashSecret,
  isApiToken,
  isSessionId,
  newApiToken,
  newCsrfToken,
  newSessionId,
  safeEqual,
} from './tokens.ts';
