/**
 * The import and release workflow, shared by the JSON API (src/api/routes/imports.ts,
 * releases.ts) and the portal's internal pages (src/web/pages/internal/): upload a file (a dry
 * run), commit or discard it, review a release's changes, approve and publish it. Each step asks
 * the policy first (src/api/policy-enforce.ts) and writes its audit event; the callers only turn
 * the results into JSON or HTML. One instance per app (`workflowOf`), so that both share the set
 * of commits under way.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { auditEvent, type AuditAction, type AuditContext } from '../auth/index.ts';
import { BimoError, type Release, type ReleaseStatus } from '../domain/index.ts';
import {
  loadCatalogFull,
  recomputeIndicators,
  type Catalog,
  type RecomputeResult,
} from '../indicators/index.ts';
import {
  advanceRelease,
  diffReleases,
  importUpload,
  loadRecipes,
  uploadName,
  type CellChange,
  type ImportOptions,
  type Recipe,
} from '../ingest/index.ts';
import { RegionRegistry } from '../regions/index.ts';
import type { UploadWithReport } from '../store/index.ts';
import type { Services } from './env.ts';
import type { RequestInfo } from './policy-enforce.ts';
import { activeUser, canSeeRelease, findRelease, type Viewer } from './policy.ts';
import { storedReport } from './routes/import-schemas.ts';
import { clientIp, requestInfo, viewerOf } from './viewer.ts';

/** Who acts: the viewer (for the policy), the request (for refusals), the actor (for the audit). */
export interface Acting {
  viewer: Viewer;
  req: RequestInfo;
  actor: AuditContext;
}

/** Who acts in this request (the public too: the policy refuses it before anything is written). */
export function actingOf(c: Context, s: Pick<Services, 'trustProxy'>): Acting {
  const viewer = viewerOf(c);
  return {
    viewer,
    req: requestInfo(c, s.trustProxy),
    actor: { actor: activeUser(viewer)?.email ?? '(public)', ip: clientIp(c, s.trustProxy) },
  };
}

function conflict(message: string, fix: string, details: Record<string, unknown> = {}) {
  return new BimoError('BIMO_E_CONFLICT', message, fix, { field: 'id', ...details });
}

const WORKFLOWS = new WeakMap<Services, Workflow>();

/** The workflow of the app whose services these are. */
export function workflowOf(s: Services): Workflow {
  let w = WORKFLOWS.get(s);
  if (!w) WORKFLOWS.set(s, (w = new Workflow(s)));
  return w;
}

export class Workflow {
  readonly #s: Services;
  #recipes: Map<string, Recipe> | undefined;
  #catalog: Pick<Catalog, 'indicators' | 'disclosure'> | undefined;
  /** Commits under way in this process: a second click waits for nothing, it is refused. */
  readonly #committing = new Set<number>();

  constructor(s: Services) {
    this.#s = s;
  }

  #now(): Date {
    return this.#s.accounts.config.now();
  }

  #options(over: Partial<ImportOptions>): ImportOptions {
    return {
      store: this.#s.store,
      regions: this.#s.regions,
      recipes: (this.#recipes ??= loadRecipes()),
      status: 'draft',
      ...over,
    };
  }

  #event(a: Acting, action: AuditAction, id: number, details: Record<string, unknown>) {
    return auditEvent(this.#now(), a.actor, action, `import ${id}`, 'ok', details);
  }

  /**
   * Checks `bytes` by a dry run and keeps them with the report. Editors may upload data of their
   * own regions only (refused, and nothing kept, otherwise); a file with errors is kept as
   * `rejected` so that its uploader can read why.
   */
  async upload(a: Acting, bytes: Uint8Array, rawName: string): Promise<UploadWithReport> {
    const s = this.#s;
    await s.policy.requireUpload(a.viewer, a.req);
    const name = uploadName(rawName);
    // A ZIP bomb or an unreadable archive throws here: refused, nothing is kept.
    const report = await importUpload(
      bytes,
      name,
      this.#options({ dryRun: true, user: a.actor.actor }),
    );
    // A file refused before any value was placed writes nothing; it is kept so its uploader can
    // read why. Otherwise the regions it writes decide whether this account may import it.
    if (report.regions.length > 0) {
      await s.policy.requireImport(a.viewer, report.regions, s.regions, a.req);
    }
    return s.store.createUpload(
      {
        fileName: name,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        uploadedBy: a.actor.actor,
        uploadedAt: this.#now().toISOString(),
        status: report.status === 'rejected' ? 'rejected' : 'checked',
        report,
        bytes,
      },
      (id) =>
        this.#event(a, 'import.upload', id, {
          file: name,
          size: bytes.length,
          status: report.status,
          observations: report.observations,
          regions: report.regions.length,
        }),
    );
  }

  /** An upload this viewer may see (someone else's looks unknown). */
  async find(a: Acting, id: number): Promise<UploadWithReport> {
    const upload = await this.#s.store.getUpload(id);
    return this.#s.policy.requireUploadAccess(a.viewer, upload, id, a.req);
  }

  /** Imports a checked upload as a draft release created by its uploader. */
  async commit(a: Acting, id: number): Promise<UploadWithReport> {
    const s = this.#s;
    const upload = await this.find(a, id);
    const checked = storedReport(upload);
    if (upload.status !== 'checked') {
      throw conflict(
        `upload ${id} is ${upload.status} and cannot be committed`,
        upload.status === 'rejected'
          ? 'Correct the file as the report says and upload it again.'
          : 'GET /api/v1/imports lists your uploads and their status.',
        { status: upload.status },
      );
    }
    if (checked.status !== 'dry-run') {
      throw conflict(
        `upload ${id} has nothing to import: the same file was imported before`,
        'Discard the upload (DELETE /api/v1/imports/{id}).',
        { status: checked.status },
      );
    }
    // The account's regions may have changed since the upload: ask again.
    await s.policy.requireImport(a.viewer, checked.regions, s.regions, a.req);
    if (this.#committing.has(id)) {
      throw conflict(`upload ${id} is being committed`, 'Wait for the first commit to finish.');
    }
    this.#committing.add(id);
    try {
      const bytes = await s.store.getUploadBytes(id);
      if (!bytes) throw conflict(`upload ${id} was decided meanwhile`, 'Reload the upload.');
      const report = await importUpload(
        bytes,
        upload.fileName,
        this.#options({ user: upload.uploadedBy }),
      );
      const at = this.#now().toISOString();
      if (report.status !== 'imported') {
        // The data changed since the check (the same file imported, a region now unknown).
        const status = report.status === 'rejected' ? 'rejected' : 'checked';
        await s.store.settleUpload(id, ['checked'], { status, at, report });
        throw conflict(
          `upload ${id} was not imported: ${report.status === 'unchanged' ? 'the same file was imported meanwhile' : 'the check now finds errors'}`,
          'GET /api/v1/imports/{id} shows the new report.',
          { status: report.status },
        );
      }
      const committed = await s.store.settleUpload(
        id,
        ['checked'],
        { status: 'committed', at, report, releaseId: report.releaseId },
        this.#event(a, 'import.commit', id, {
          file: upload.fileName,
          uploadedBy: upload.uploadedBy,
          releaseId: report.releaseId,
          observations: report.observations,
        }),
      );
      if (!committed) throw new Error(`upload ${id} changed during its commit`);
      // A Sozialraumliste adds regions: later requests must know them.
      if (report.areas) s.setRegions(new RegionRegistry(await s.store.loadRegions()));
      return committed;
    } finally {
      this.#committing.delete(id);
    }
  }

  /** Discards a checked or rejected upload: its bytes are deleted, the record stays. */
  async discard(a: Acting, id: number): Promise<void> {
    const upload = await this.find(a, id);
    const discarded = await this.#s.store.settleUpload(
      id,
      ['checked', 'rejected'],
      { status: 'discarded', at: this.#now().toISOString() },
      this.#event(a, 'import.discard', id, { file: upload.fileName, was: upload.status }),
    );
    if (!discarded) {
      throw conflict(
        `upload ${id} is ${upload.status}`,
        'Only checked or rejected uploads can be discarded; a committed one is a release now.',
        { status: upload.status },
      );
    }
  }

  /**
   * The cells in which release `id` differs from `against` (default: the previous release the
   * viewer may see; none: every cell is added). Signed-in viewers only.
   */
  async diff(
    a: Acting,
    id: number,
    against?: number,
  ): Promise<{ base: number | null; changes: CellChange[] }> {
    const s = this.#s;
    await s.policy.requireReadObservations(a.viewer, a.req);
    findRelease(await s.store.getRelease(id), a.viewer);
    const base =
      against === undefined
        ? ((await s.store.listReleases())
            .filter((r) => r.id < id && canSeeRelease(a.viewer, r))
            .at(-1)?.id ?? null)
        : findRelease(await s.store.getRelease(against), a.viewer).id;
    return { base, changes: await diffReleases(s.store, base, id) };
  }

  /**
   * Moves release `id` on to `to`, with its audit event in the same transaction; `changed` is
   * false when it already was there (then nothing is recorded).
   */
  async #advance(a: Acting, id: number, to: ReleaseStatus, action: AuditAction) {
    const before = findRelease(await this.#s.store.getRelease(id), a.viewer);
    const event = auditEvent(this.#now(), a.actor, action, `release ${id}`, 'ok', {
      from: before.status,
    });
    const after = await advanceRelease(this.#s.store, id, to, a.actor.actor, event);
    return { after, changed: before.status !== after.status };
  }

  /** draft → approved (admins). */
  async approve(a: Acting, id: number): Promise<Release> {
    await this.#s.policy.requireApprove(a.viewer, id, a.req);
    return (await this.#advance(a, id, 'approved', 'release.approve')).after;
  }

  /**
   * approved → published (admins), then the peer groups and every indicator are computed again;
   * only then is the release served (migration 8). `computed` is null when the release was
   * published and served before; publishing a release whose computation was interrupted
   * computes it again.
   */
  async publish(
    a: Acting,
    id: number,
  ): Promise<{ release: Release; computed: RecomputeResult | null }> {
    const s = this.#s;
    await s.policy.requirePublish(a.viewer, id, a.req);
    const { after, changed } = await this.#advance(a, id, 'published', 'release.publish');
    if (!changed && after.computedAt !== null) return { release: after, computed: null };
    // If this fails, the previous release stays served; publishing again (or `bimo compute`)
    // finishes this one.
    const result = await recomputeIndicators(
      s.store,
      (this.#catalog ??= { indicators: s.catalog, disclosure: loadCatalogFull().disclosure }),
    );
    // The peer groups may have changed: later requests use the registry that has them.
    s.setRegions(result.regions);
    const served = await s.store.getRelease(id);
    return { release: served ?? after, computed: result };
  }
}
