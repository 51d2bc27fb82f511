/**
 * The one policy module (ARCHITECTURE §6): who may see and do what. The API, the portal, the
 * downloads and the reports ask these functions; none of them compares roles or visibilities
 * itself. docs/api-security.md has the whole matrix.
 *
 * Two layers:
 * - pure decisions (`canSeeIndicator`, `canImport`, …) that answer yes or no for a viewer, and
 * - `Policy`, which turns a "no" into the error a client gets and records it: every refusal of a
 *   signed-in user is an `access.denied` audit event (anonymous readers are not recorded).
 *
 * Reads never refuse an active signed-in user (members, editors and admins see every indicator,
 * every release and the committee values), so the pure read decisions only ever deny the public.
 * A disabled account counts as the public in every decision; sessions and tokens of disabled
 * accounts never become viewers in the first place (src/auth/sessions.ts).
 */
import { BimoError, type Release } from '../domain/index.ts';
import type { Indicator } from '../indicators/index.ts';
import { canWriteRegion, type AuditAction } from '../auth/index.ts';
import type { RegionRegistry } from '../regions/index.ts';
import type {
  AccountStore,
  ApiToken,
  Audience,
  NewAuditEvent,
  Upload,
  User,
  UserRole,
} from '../store/index.ts';

/** Who asks: an anonymous visitor, or a signed-in account (by browser session or API token). */
export type Viewer = { kind: 'public' } | { kind: 'user'; user: User; via: 'session' | 'token' };

export const PUBLIC_VIEWER: Viewer = Object.freeze({ kind: 'public' });

export function userViewer(user: User, via: 'session' | 'token'): Viewer {
  return { kind: 'user', user, via };
}

/** The account behind the viewer when it may act at all (signed in and not disabled). */
function activeUser(viewer: Viewer): User | null {
  return viewer.kind === 'user' && !viewer.user.disabled ? viewer.user : null;
}

/** `public`, or the role of an active account. */
export function roleOf(viewer: Viewer): UserRole | 'public' {
  return activeUser(viewer)?.role ?? 'public';
}

/** Which disclosure control applies: the Lenkungskreis (`member`) for every signed-in role. */
export function audienceOf(viewer: Viewer): Audience {
  return activeUser(viewer) ? 'member' : 'public';
}

/** Internal indicators only for signed-in accounts. */
export function canSeeIndicator(viewer: Viewer, indicator: Pick<Indicator, 'visibility'>): boolean {
  return indicator.visibility === 'public' || activeUser(viewer) !== null;
}

/** The catalog as this viewer may see it (order kept). */
export function visibleIndicators<T extends Pick<Indicator, 'visibility'>>(
  viewer: Viewer,
  catalog: readonly T[],
): T[] {
  return catalog.filter((i) => canSeeIndicator(viewer, i));
}

/** The public sees published releases; drafts and approved ones only signed-in accounts. */
export function canSeeRelease(viewer: Viewer, release: Pick<Release, 'status'>): boolean {
  return release.status === 'published' || activeUser(viewer) !== null;
}

/**
 * A source (an imported file) shows with the release its import created: the public sees the
 * sources of published releases only. Null: its release is not known, so only signed-in accounts.
 */
export function canSeeSource(viewer: Viewer, release: Pick<Release, 'status'> | null): boolean {
  return release ? canSeeRelease(viewer, release) : activeUser(viewer) !== null;
}

/** Who imported a release (an email) is shown to signed-in accounts only. */
export function canSeeReleaseAuthor(viewer: Viewer): boolean {
  return activeUser(viewer) !== null;
}

/**
 * Raw observations and release diffs: signed-in accounts only. An observation cell can be one of
 * the small counts that disclosure control suppresses in the public indicator values.
 */
export function canReadObservations(viewer: Viewer): boolean {
  return activeUser(viewer) !== null;
}

/**
 * Upload files for import at all: editors and admins. Which regions a file may write is the
 * question of `canImport`, asked once the file has been read.
 */
export function canUpload(viewer: Viewer): boolean {
  const role = activeUser(viewer)?.role;
  return role === 'admin' || role === 'editor';
}

/** An uploaded file: the editor who uploaded it sees, commits and discards it; admins every one. */
export function canSeeUpload(viewer: Viewer, upload: Pick<Upload, 'uploadedBy'>): boolean {
  const user = activeUser(viewer);
  if (!user || !canUpload(viewer)) return false;
  return user.role === 'admin' || upload.uploadedBy === user.email;
}

/**
 * Import or edit data of these regions: admins always, editors when every code is within their
 * regions (src/auth/roles.ts `canWriteRegion`), nobody else. An empty list is refused for
 * editors, because nothing would show that the data are theirs.
 */
export function canImport(
  viewer: Viewer,
  regionCodes: readonly string[],
  registry: RegionRegistry,
): boolean {
  const user = activeUser(viewer);
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role !== 'editor' || regionCodes.length === 0) return false;
  return regionCodes.every((code) => canWriteRegion(user, code, registry));
}

const isAdmin = (viewer: Viewer): boolean => activeUser(viewer)?.role === 'admin';

/** Releases move draft → approved → published only by an admin. */
export function canApprove(viewer: Viewer): boolean {
  return isAdmin(viewer);
}

export function canPublish(viewer: Viewer): boolean {
  return isAdmin(viewer);
}

/** Create, change, disable accounts and list them. */
export function canAdminUsers(viewer: Viewer): boolean {
  return isAdmin(viewer);
}

export function canReadAudit(viewer: Viewer): boolean {
  return isAdmin(viewer);
}

/**
 * A new API token for oneself: only from a browser session, so that a leaked token cannot mint
 * further tokens that would outlive its revocation.
 */
export function canCreateToken(viewer: Viewer): boolean {
  return activeUser(viewer) !== null && viewer.kind === 'user' && viewer.via === 'session';
}

/** Revoke a token: one's own, or any as admin. */
export function canRevokeToken(viewer: Viewer, token: Pick<ApiToken, 'userId'>): boolean {
  const user = activeUser(viewer);
  return user !== null && (user.role === 'admin' || token.userId === user.id);
}

/**
 * The indicator `id` if this viewer may see it. Unknown and hidden ids get the same answer, and
 * it does not repeat the id: nothing tells the public that an internal indicator exists.
 */
export function findIndicator(
  catalog: readonly Indicator[],
  id: string,
  viewer: Viewer = PUBLIC_VIEWER,
): Indicator {
  const ind = catalog.find((i) => i.id === id);
  if (!ind || !canSeeIndicator(viewer, ind)) {
    throw new BimoError(
      'BIMO_E_INDICATOR_UNKNOWN',
      'no indicator with this id is available',
      'GET /api/v1/indicators lists the indicator ids (for example D6).',
      { field: 'id' },
    );
  }
  return ind;
}

/** The release `id` if this viewer may see it; unknown and hidden ones look alike. */
export function findRelease(release: Release | null, viewer: Viewer): Release {
  if (!release || !canSeeRelease(viewer, release)) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      'no release with this id is available',
      'GET /api/v1/releases lists the releases.',
      { field: 'id' },
    );
  }
  return release;
}

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
    fix: 'Send the csrf_token from the login answer in the X-CSRF-Token header of every write; sign in again if it is lost.',
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
