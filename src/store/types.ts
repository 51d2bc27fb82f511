/**
 * The Store contract: everything the rest of bimo asks of a database. Two backends implement
 * it (DuckDB embedded, PostgreSQL server); one contract suite runs against both.
 */
import type { Readable, Writable } from 'node:stream';
import type {
  DimensionItem,
  Flag,
  Observation,
  Region,
  RegionGroup,
  RegionGroupMember,
  Release,
  ReleaseStatus,
  Source,
  Variable,
} from '../domain/index.ts';

export interface RegionSet {
  regions: Region[];
  groups: RegionGroup[];
  members: RegionGroupMember[];
}

/**
 * A Sozialraum or other unit below the Gemeinde, defined by a Kommune in a Sozialraumliste
 * (docs/templates/README.md). Stored apart from the official registry, which a rebuild replaces;
 * `loadRegions` returns each as a region of level `sozialraum` under its Gemeinde.
 */
export interface LocalArea {
  code: string;
  name: string;
  parentCode: string;
  validFrom: string | null;
  validTo: string | null;
  /** The list (file) that last defined it. */
  listName: string;
}

export interface GeometryRecord {
  id: string;
  vintage: string;
  topojson: string;
}

/** Observations as an import delivers them: the store assigns the new release. */
export type NewObservation = Omit<Observation, 'releaseId'>;

/**
 * A part of one import: the variables and items first used in it, and its observations. A small
 * file is one chunk; a streamed file is many, so that memory stays bounded.
 */
export interface ImportChunk {
  variables: Variable[];
  dimensionItems: DimensionItem[];
  observations: NewObservation[];
}

/** One file's worth of facts, written in one transaction or not at all. */
export interface ImportBatch {
  source: Source;
  release: { status: ReleaseStatus; createdBy: string; note: string };
  /** Consumed inside the transaction; an error thrown by the iterator rolls everything back. */
  chunks: Iterable<ImportChunk> | AsyncIterable<ImportChunk>;
  /**
   * Streamed files are not checked for duplicate cells in memory: with this flag the store checks
   * the new release's rows in the database before the commit (DuckDB: in `observation` itself;
   * PostgreSQL: in a staging table, since its primary key would stop COPY at the first duplicate)
   * and refuses the import naming the cells and their places in the file.
   */
  checkDuplicates?: boolean;
  /**
   * Check everything (duplicates included), then roll back: the store throws ImportRolledBack
   * instead of returning a release. Dry runs of streamed files use it.
   */
  rollback?: boolean;
}

export interface ObservationQuery {
  variableIds?: string[];
  regionCodes?: string[];
  periods?: string[];
  tableCode?: string;
  /**
   * Read the data as of this release; default: the newest published one (also while its
   * indicator values are still being computed).
   */
  releaseId?: number;
}

export interface ObservationRow extends Observation {
  tableCode: string;
  variableLabel: string;
  unit: string;
}

export interface IndicatorValue {
  indicatorId: string;
  regionCode: string;
  period: string;
  dimsKey: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  flag: Flag | null;
  /** Largest possible absolute error of the value caused by rounded inputs (0 = exact). */
  errorBound: number;
  /**
   * `published` (official total used), `aggregated` (summed from parts), `harmonised` (today's
   * unit from its former units before a territorial change), `group` (group sum).
   */
  method: 'published' | 'aggregated' | 'harmonised' | 'group';
  releaseId: number;
  /** Disclosure control per audience (absent: shown); readers blank suppressed values. */
  suppressed?: Partial<Record<Audience, Suppression>>;
}

/** Who reads: the public, or the members of the Lenkungskreis (who may see more). */
export type Audience = 'public' | 'member';
/** Primary: a small count itself; secondary: a cell that would let one recompute a primary one. */
export type Suppression = 'primary' | 'secondary';

/** Which periods and breakdown items an indicator has values for in a release. */
export interface IndicatorCoverage {
  periods: string[];
  dimsKeys: string[];
}

export interface IndicatorValueQuery {
  indicatorId: string;
  regionCodes?: string[];
  periods?: string[];
  dimsKey?: string;
  releaseId?: number;
}

/**
 * Accounts and audit: see AccountStore below; uploaded files: UploadStore; the AG's workspace:
 * WorkspaceStore.
 */
export interface Store extends AccountStore, UploadStore, WorkspaceStore {
  readonly kind: 'duckdb' | 'postgres';
  /**
   * Applies pending migrations; safe to call on every start, also by several processes at once
   * (PostgreSQL: under an advisory lock).
   */
  migrate(): Promise<void>;
  /** The newest migration applied (one round trip: `/readyz` uses it as its database check). */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;

  /** Replaces the official registry (regions and groups); local areas are kept. */
  replaceRegions(set: RegionSet): Promise<void>;
  /** The registry with the local areas whose Gemeinde it contains, as level `sozialraum`. */
  loadRegions(): Promise<RegionSet>;
  /** Replaces the region groups of one kind (e.g. the computed `peer` groups), others kept. */
  replaceGroupsOfKind(
    kind: RegionGroup['kind'],
    groups: RegionGroup[],
    members: RegionGroupMember[],
  ): Promise<void>;
  /** Adds or updates local areas in one transaction (others stay as they are). */
  saveLocalAreas(areas: LocalArea[], by: string): Promise<void>;
  listLocalAreas(): Promise<LocalArea[]>;
  replaceGeometries(records: GeometryRecord[]): Promise<void>;
  getGeometry(id: string): Promise<GeometryRecord | null>;

  /** A source already imported from a file with these bytes, if any (idempotent imports). */
  findSourceBySha(sha256: string): Promise<Source | null>;
  /** Writes a whole file in one transaction and returns the new release. */
  commitImport(batch: ImportBatch): Promise<Release>;
  listSources(): Promise<Source[]>;
  listVariables(): Promise<Variable[]>;
  listReleases(): Promise<Release[]>;
  getRelease(id: number): Promise<Release | null>;
  /**
   * Moves a release along draft → approved → published (checked by the caller's rules); `audit`
   * is written in the same transaction.
   */
  setReleaseStatus(
    id: number,
    status: ReleaseStatus,
    by: string,
    audit?: NewAuditEvent,
  ): Promise<Release>;
  /**
   * The release every reader sees by default: the newest published one whose indicator values
   * are complete (`computedAt` set). `includePending` also returns a newer published release
   * still being computed (what the computation itself works on).
   */
  latestPublishedRelease(opts?: { includePending?: boolean }): Promise<Release | null>;
  /**
   * Marks every published release up to `upTo` whose values were not complete as computed at
   * `at`, in one transaction: from then on they are served. Returns their ids.
   */
  markReleasesComputed(upTo: number, at: string): Promise<number[]>;
  queryObservations(q: ObservationQuery): Promise<ObservationRow[]>;
  /** The variables with observations in any of these releases, sorted (for release diffs). */
  releaseVariables(releaseIds: number[]): Promise<string[]>;

  /** Replaces all values of the given indicators for one release. */
  replaceIndicatorValues(
    releaseId: number,
    indicatorIds: string[],
    values: IndicatorValue[],
  ): Promise<void>;
  queryIndicatorValues(q: IndicatorValueQuery): Promise<IndicatorValue[]>;
  /** Periods and dims keys with values (release default: latest published). */
  indicatorCoverage(indicatorId: string, releaseId?: number): Promise<IndicatorCoverage>;

  /**
   * Writes every table into `out` as a portable gzip dump (src/store/dump-format.ts) from one
   * consistent snapshot, streaming; `out` is ended when done.
   */
  dump(out: Writable, opts?: DumpOptions): Promise<DumpSummary>;
  /**
   * Restores a dump into this database, which must be empty and on the dump's schema version,
   * in one transaction: a damaged or edited file writes nothing.
   */
  restore(input: Readable, opts?: RestoreOptions): Promise<DumpSummary>;
}

// ── Backup: `bimo dump` / `bimo restore` (src/store/dump.ts, dump-restore.ts) ──────────────────

export interface DumpProgress {
  table: string;
  rows: number;
  /** The table's row count from the dump's table line (restore) or COUNT(*) (dump). */
  of: number;
  /** The table is complete (else a progress line every million rows). */
  done: boolean;
}

export interface DumpOptions {
  onProgress?: (p: DumpProgress) => void;
}

export interface RestoreOptions extends DumpOptions {
  /** The file name that error messages name (default "the dump"). */
  source?: string;
}

export interface DumpSummary {
  schemaVersion: number;
  tables: number;
  rows: number;
  /** Compressed size of the dump written or read. */
  bytes: number;
  /** SHA-256 of the content lines: equal for equal data, whichever engine wrote it. */
  sha256: string;
}

// ── Accounts, sessions, API tokens and the audit log (migration 5; logic in src/auth/) ──────────

/** Who may do what is decided in src/auth (roles.ts) and the policy module; the store only keeps it. */
export type UserRole = 'admin' | 'editor' | 'member';

/**
 * An account as every reader sees it. The password hash is deliberately not part of it (see
 * `Store.getPasswordHash`), so printing or serialising a user can never leak it.
 */
export interface User {
  id: string;
  /** Lower case; unique. */
  email: string;
  name: string;
  role: UserRole;
  /** Region codes and group ids an editor may write; empty for the other roles. */
  regions: string[];
  disabled: boolean;
  /** Failed logins since the last successful one (reset by a login or an unlock). */
  failedLogins: number;
  /** ISO time until which logins are refused after too many failures; null = not locked. */
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  regions: string[];
  passwordHash: string;
  createdAt: string;
}

/** Fields an update may change; absent fields stay as they are. */
export interface UserPatch {
  name?: string;
  role?: UserRole;
  regions?: string[];
  disabled?: boolean;
  passwordHash?: string;
  failedLogins?: number;
  lockedUntil?: string | null;
}

/** A login session; only the SHA-256 of its id and of its CSRF token are stored. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  csrfTokenHash: string;
  lastSeenAt: string;
}

/** An API token as listed; its hash stays in the store (lookups go by hash). */
export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface NewAuditEvent {
  at: string;
  /** Email of the acting user, `cli:<os user>` for the command line, `(unknown)` for strangers. */
  actor: string;
  /** Dotted name, e.g. `login.failed`, `user.disable`, `token.create` (docs/accounts.md). */
  action: string;
  target: string;
  outcome: AuditOutcome;
  ip: string | null;
  /** Never a password, hash or token. */
  details: Record<string, unknown>;
}

export interface AuditEvent extends NewAuditEvent {
  id: number;
}

export interface AuditQuery {
  /** ISO date or time: events at or after it. */
  since?: string;
  actor?: string;
  action?: string;
  limit: number;
  offset?: number;
}

/** The account part of the Store (implemented by SqlStore, covered by the contract suite). */
export interface AccountStore {
  /** Throws BIMO_E_CONFLICT when the email is taken. `audit` is written in the same transaction. */
  createUser(user: NewUser, audit?: NewAuditEvent): Promise<User>;
  getUser(id: string): Promise<User | null>;
  getUserByEmail(email: string): Promise<User | null>;
  /** The stored scrypt string, only for verifying a login. */
  getPasswordHash(userId: string): Promise<string | null>;
  listUsers(): Promise<User[]>;
  /** Null when no such user. `audit` is written in the same transaction. */
  updateUser(id: string, patch: UserPatch, at: string, audit?: NewAuditEvent): Promise<User | null>;
  /**
   * Counts one failed login atomically (several processes may count at once) and sets
   * `locked_until` when the count reaches `lockAfter`.
   */
  recordLoginFailure(id: string, at: string, lockAfter: number, lockUntil: string): Promise<User>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  /** Sliding expiry: moves `last_seen_at` and `expires_at`. */
  touchSession(idHash: string, lastSeenAt: string, expiresAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<boolean>;
  /** Logs a user out everywhere (password reset, disable). Returns how many sessions ended. */
  deleteUserSessions(userId: string): Promise<number>;
  deleteExpiredSessions(now: string): Promise<number>;

  createApiToken(token: ApiToken, tokenHash: string, audit?: NewAuditEvent): Promise<void>;
  getApiTokenByHash(tokenHash: string): Promise<ApiToken | null>;
  touchApiToken(id: string, at: string): Promise<void>;
  /** False when no such token or it was revoked before. */
  revokeApiToken(id: string, at: string, audit?: NewAuditEvent): Promise<boolean>;
  /** All tokens, or one user's, newest first. */
  listApiTokens(userId?: string): Promise<ApiToken[]>;

  appendAudit(event: NewAuditEvent): Promise<AuditEvent>;
  /** Newest first. */
  listAudit(q: AuditQuery): Promise<AuditEvent[]>;
}

// ── Uploaded files awaiting a decision (migration 6; the HTTP route src/api/routes/imports.ts) ──

/**
 * `checked`: the dry run found nothing that stops an import; `rejected`: it did (the report
 * says why), so it can only be discarded; `committed`: imported; `discarded`: thrown away.
 */
export type UploadStatus = 'checked' | 'committed' | 'discarded' | 'rejected';

/** An uploaded file as listed (without its report and bytes). */
export interface Upload {
  id: number;
  /** As the browser sent it (last path segment only). */
  fileName: string;
  sha256: string;
  /** Bytes as uploaded (a ZIP archive: packed). */
  size: number;
  /** Email of the account that uploaded it. */
  uploadedBy: string;
  uploadedAt: string;
  status: UploadStatus;
  /** When the status last changed. */
  updatedAt: string;
  /** The release the commit created (null before, and for a Sozialraumliste). */
  releaseId: number | null;
}

/** An upload with its import report (the ImportReport of src/ingest, stored as JSON). */
export interface UploadWithReport extends Upload {
  report: unknown;
}

export interface NewUpload {
  fileName: string;
  sha256: string;
  size: number;
  uploadedBy: string;
  uploadedAt: string;
  status: 'checked' | 'rejected';
  report: unknown;
  bytes: Uint8Array;
}

/** How an upload is decided: the new status, report and release. */
export interface UploadChange {
  status: UploadStatus;
  at: string;
  report?: unknown;
  releaseId?: number | null;
}

/** The upload part of the Store (implemented by SqlStore, covered by the contract suite). */
export interface UploadStore {
  /**
   * Keeps an upload under a new id; `audit`, given the id, is written in the same transaction.
   */
  createUpload(upload: NewUpload, audit?: (id: number) => NewAuditEvent): Promise<UploadWithReport>;
  getUpload(id: number): Promise<UploadWithReport | null>;
  /** The bytes of an upload that is neither committed nor discarded; null otherwise. */
  getUploadBytes(id: number): Promise<Uint8Array | null>;
  /** Newest first; only those of `uploadedBy` when given. */
  listUploads(uploadedBy?: string): Promise<Upload[]>;
  /**
   * Moves an upload whose status is one of `from` to `change.status`, with `audit` in the same
   * transaction; a committed or discarded upload drops its bytes. Null when there is no such
   * upload or its status is not one of `from` (someone decided it first).
   */
  settleUpload(
    id: number,
    from: readonly UploadStatus[],
    change: UploadChange,
    audit?: NewAuditEvent,
  ): Promise<UploadWithReport | null>;
}

/** What a workspace revision versions: a Handlungsfeld or a Fragestellung (src/workspace/). */
export type WorkspaceKind = 'handlungsfeld' | 'question';

/** One saved version of a workspace item. */
export interface NewWorkspaceRevision {
  kind: WorkspaceKind;
  itemId: string;
  /** The whole item after the change (JSON-serialisable); on a removal, its last text. */
  body: unknown;
  deleted: boolean;
  /** Email of the account that saved it. */
  author: string;
  at: string;
  /** The editor's note on the change ('' when none). */
  note: string;
}

export interface WorkspaceRevision extends NewWorkspaceRevision {
  id: number;
}

/**
 * A revision to append if the item's newest revision is still `expectedLatest` (0: the item has
 * no revision yet), so that nobody overwrites a change they have not seen.
 */
export interface WorkspaceChange {
  revision: NewWorkspaceRevision;
  expectedLatest: number;
}

/** The workspace part of the Store (implemented by SqlStore, covered by the contract suite). */
export interface WorkspaceStore {
  /**
   * Appends the revisions in one transaction with `audit` (given the first new id); null, with
   * nothing written, when any item has changed since its `expectedLatest`.
   */
  addWorkspaceRevisions(
    changes: readonly WorkspaceChange[],
    audit?: (firstId: number) => NewAuditEvent,
  ): Promise<WorkspaceRevision[] | null>;
  /** Oldest first; only those of one item when given. */
  listWorkspaceRevisions(item?: {
    kind: WorkspaceKind;
    itemId: string;
  }): Promise<WorkspaceRevision[]>;
}
