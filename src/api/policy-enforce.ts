/**
 * The enforcing half of the policy module (src/api/policy.ts holds the decisions): `Policy` turns
 * a "no" into the error a client gets and records it; every refusal of a signed-in user is an
 * `access.denied` audit event (anonymous readers are not recorded).
 */
import { BimoError } from '../domain/index.ts';
import type { AuditAction } from '../auth/index.ts';
import type { RegionRegistry } from '../regions/index.ts';
import type { AccountStore, ApiToken, NewAuditEvent, Upload } from '../store/index.ts';
import {
  activeUser,
  canAdminUsers,
  canApprove,
  canCreateToken,
  canImport,
  canPublish,
  canReadAudit,
  canReadObservations,
  canRevokeToken,
  canSeeUpload,
  canUpload,
  roleOf,
  type Viewer,
} from './policy.ts';

/** The decisions that can refuse a signed-in user, by the name recorded in the audit log. */
export type Decision =
  | 'signedIn'
  | 'upload'
  | 'ownUpload'
  | 'import'
  | 'approve'
  | 'publish'
  | 'adminUsers'
  | 'readAudit'
  | 'createToken'
  | 'revokeToken'
  | 'csrf';

/** Where a request came from, for the audit record of a refusal. */
export interface RequestInfo {
  method: string;
  path: string;
  ip: string | null;
}

/** The audit action of every refusal; `details.decision` says which rule refused. */
export const DENIED_ACTION: AuditAction = 'access.denied';

/**
 * Enforces decisions for a request: a refusal becomes BIMO_E_UNAUTHENTICATED (401: nobody is
 * signed in, so signing in may help) or BIMO_E_FORBIDDEN (403: the account lacks the right), and
 * every refusal of a signed-in user is written to the audit log before the error is thrown.
 */
export class Policy {
  readonly #audit: Pick<AccountStore, 'appendAudit'>;
  readonly #now: () => Date;

  constructor(audit: Pick<AccountStore, 'appendAudit'>, now: () => Date = () => new Date()) {
    this.#audit = audit;
    this.#now = now;
  }

  /** Records a refusal of a signed-in user (anonymous ones are not recorded). */
  async recordDenial(
    viewer: Viewer,
    decision: Decision,
    target: string,
    req: RequestInfo,
  ): Promise<void> {
    if (viewer.kind !== 'user') return;
    const event: NewAuditEvent = {
      at: this.#now().toISOString(),
      actor: viewer.user.email,
      action: DENIED_ACTION,
      target,
      outcome: 'denied',
      ip: req.ip,
      details: {
        decision,
        role: viewer.user.role,
        via: viewer.via,
        method: req.method,
        path: req.path,
      },
    };
    await this.#audit.appendAudit(event);
  }

  /** Throws (after recording) unless `allowed`. */
  async enforce(
    viewer: Viewer,
    allowed: boolean,
    decision: Decision,
    target: string,
    req: RequestInfo,
  ): Promise<void> {
    if (allowed) return;
    await this.recordDenial(viewer, decision, target, req);
    throw refusal(viewer, decision);
  }

  requireSignedIn(viewer: Viewer, req: RequestInfo): Promise<void> {
    return this.enforce(viewer, activeUser(viewer) !== null, 'signedIn', req.path, req);
  }

  /** Raw observations (release diffs): the public gets 401. */
  requireReadObservations(viewer: Viewer, req: RequestInfo): Promise<void> {
    return this.enforce(viewer, canReadObservations(viewer), 'signedIn', req.path, req);
  }

  requireUpload(viewer: Viewer, req: RequestInfo): Promise<void> {
    return this.enforce(viewer, canUpload(viewer), 'upload', 'imports', req);
  }

  /**
   * An uploaded file this viewer may see and decide. Someone else's upload looks like an unknown
   * one (404), so that upload ids cannot be probed; the attempt is still recorded.
   */
  async requireUploadAccess<T extends Pick<Upload, 'uploadedBy'>>(
    viewer: Viewer,
    upload: T | null,
    id: number,
    req: RequestInfo,
  ): Promise<T> {
    await this.requireUpload(viewer, req);
    if (upload && canSeeUpload(viewer, upload)) return upload;
    if (upload) await this.recordDenial(viewer, 'ownUpload', `import ${id}`, req);
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      'no upload with this id among yours',
      'GET /api/v1/imports lists your uploads and their ids.',
      { field: 'id' },
    );
  }

  requireImport(
    viewer: Viewer,
    regionCodes: readonly string[],
    registry: RegionRegistry,
    req: RequestInfo,
  ): Promise<void> {
    const allowed = canImport(viewer, regionCodes, registry);
    return this.enforce(viewer, allowed, 'import', regionCodes.join(','), req);
  }

  requireApprove(viewer: Viewer, releaseId: number, req: RequestInfo): Promise<void> {
    return this.enforce(viewer, canApprove(viewer), 'approve', `release ${releaseId}`, req);
  }

  requirePublish(viewer: Viewer, releaseId: number, req: RequestInfo): Promise<void> {
    return this.enforce(viewer, canPublish(viewer), 'publish', `release ${releaseId}`, req);
  }

  requireAdminUsers(viewer: Viewer, target: string, req: RequestInfo): Promise<void> {
    return this.enforce(viewer, canAdminUsers(viewer), 'adminUsers', target, req);
  }

  requireAuditRead(viewer: Viewer, req: RequestInfo): Promise<void> {
    return this.enforce(viewer, canReadAudit(viewer), 'readAudit', 'audit', req);
  }

  requireCreateToken(viewer: Viewer, req: RequestInfo): Promise<void> {
    return this.enforce(viewer, canCreateToken(viewer), 'createToken', 'token', req);
  }

  /**
   * Revoking a token: someone else's looks like an unknown one (404), so that token ids of
   * other accounts cannot be probed; the attempt is still recorded.
   */
  async requireRevokeToken(
    viewer: Viewer,
    token: ApiToken | undefined,
    id: string,
    req: RequestInfo,
  ): Promise<ApiToken> {
    await this.requireSignedIn(viewer, req);
    if (token && canRevokeToken(viewer, token)) return token;
    if (token) await this.recordDenial(viewer, 'revokeToken', id, req);
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      'no active API token with this id among yours',
      'GET /api/v1/auth/tokens lists your tokens and their ids.',
      { field: 'id' },
    );
  }
}

/** What a signed-in user is told for each refusal: the cause and the fix. */
const FORBIDDEN: Record<Decision, { message: string; fix: string }> = {
  signedIn: { message: 'this account may not do this', fix: 'Ask an admin.' },
  upload: {
    message: 'only editors and admins import data',
    fix: 'Ask an admin for the editor role and your regions (docs/api-security.md).',
  },
  ownUpload: {
    message: 'editors see and decide their own uploads only',
    fix: 'GET /api/v1/imports lists your uploads.',
  },
  import: {
    message: 'your account may not write data of these regions',
    fix: 'Editors import data of their own regions only; ask an admin to add the region (docs/api-security.md).',
  },
  approve: { message: 'only an admin approves releases', fix: 'Ask an admin.' },
  publish: { message: 'only an admin publishes releases', fix: 'Ask an admin.' },
  adminUsers: {
    message: 'only an admin manages accounts',
    fix: 'Ask an admin (roles and rights: docs/api-security.md).',
  },
  readAudit: {
    message: 'only an admin reads the audit log',
    fix: 'Ask an admin (roles and rights: docs/api-security.md).',
  },
  createToken: {
    message: 'an API token cannot create API tokens',
    fix: 'Sign in with email and password (POST /api/v1/auth/login) and create the token in that session.',
  },
  revokeToken: {
    message: 'you can revoke your own tokens only',
    fix: 'GET /api/v1/auth/tokens lists your tokens.',
  },
  csrf: {
    message: 'the X-CSRF-Token header is missing or wrong',
    fix: 'Send the csrf_token from the login answer in the X-CSRF-Token header of every write (portal forms send their hidden field `csrf`); sign in again if it is lost.',
  },
};

/** The error of a refusal: 401 when nobody is signed in (signing in may help), else 403. */
export function refusal(viewer: Viewer, decision: Decision): BimoError {
  if (activeUser(viewer) === null) {
    return new BimoError(
      'BIMO_E_UNAUTHENTICATED',
      'this needs a signed-in account',
      'Sign in with POST /api/v1/auth/login, or send an API token as `Authorization: Bearer bimo_…`.',
    );
  }
  const { message, fix } = FORBIDDEN[decision];
  return new BimoError('BIMO_E_FORBIDDEN', message, fix, { decision, role: roleOf(viewer) });
}
