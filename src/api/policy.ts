/**
 * The one policy module (ARCHITECTURE §6): who may see and do what. The API, the portal, the
 * downloads and the reports ask these functions; none of them compares roles or visibilities
 * itself. docs/api-security.md has the whole matrix.
 *
 * Two layers:
 * - pure decisions (`canSeeIndicator`, `canImport`, …) here, that answer yes or no for a viewer;
 * - `Policy` (src/api/policy-enforce.ts), which turns a "no" into the error a client gets and
 *   records it: every refusal of a signed-in user is an `access.denied` audit event.
 *
 * Reads never refuse an active signed-in user (members, editors and admins see every indicator,
 * every release and the committee values), so the pure read decisions only ever deny the public.
 * A disabled account counts as the public in every decision; sessions and tokens of disabled
 * accounts never become viewers in the first place (src/auth/sessions.ts).
 */
import { BimoError, type Release } from '../domain/index.ts';
import type { Indicator } from '../indicators/index.ts';
import { canWriteRegion } from '../auth/index.ts';
import type { RegionRegistry } from '../regions/index.ts';
import type { ApiToken, Audience, Upload, User, UserRole } from '../store/index.ts';

/** Who asks: an anonymous visitor, or a signed-in account (by browser session or API token). */
export type Viewer = { kind: 'public' } | { kind: 'user'; user: User; via: 'session' | 'token' };

export const PUBLIC_VIEWER: Viewer = Object.freeze({ kind: 'public' });

export function userViewer(user: User, via: 'session' | 'token'): Viewer {
  return { kind: 'user', user, via };
}

/** The account behind the viewer when it may act at all (signed in and not disabled). */
export function activeUser(viewer: Viewer): User | null {
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

/**
 * The public sees published releases whose indicator values are complete; drafts, approved ones
 * and a publication still being computed only signed-in accounts.
 */
export function canSeeRelease(
  viewer: Viewer,
  release: Pick<Release, 'status' | 'computedAt'>,
): boolean {
  return (
    (release.status === 'published' && release.computedAt !== null) || activeUser(viewer) !== null
  );
}

/**
 * A source (an imported file) shows with the release its import created: the public sees the
 * sources of published releases only. Null: its release is not known, so only signed-in accounts.
 */
export function canSeeSource(
  viewer: Viewer,
  release: Pick<Release, 'status' | 'computedAt'> | null,
): boolean {
  return release ? canSeeRelease(viewer, release) : activeUser(viewer) !== null;
}

/** The sources `viewer` may see, each judged with the release its import created. */
export function visibleSources<T extends { releaseId?: number | undefined }>(
  viewer: Viewer,
  sources: readonly T[],
  releases: readonly Release[],
): T[] {
  const byId = new Map(releases.map((r) => [r.id, r]));
  return sources.filter((s) =>
    canSeeSource(viewer, s.releaseId === undefined ? null : (byId.get(s.releaseId) ?? null)),
  );
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
 * The AG Bildungsmonitoring's workspace (Handlungsfelder, Fragestellungen, the next report's
 * marks): every signed-in account reads and edits it; each save is a revision with its author.
 */
export function canEditWorkspace(viewer: Viewer): boolean {
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

// The enforcing half (the `Policy` class, refusals and their audit) is src/api/policy-enforce.ts.
