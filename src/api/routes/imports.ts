/**
 * Imports over HTTP: upload a file (checked at once by a dry run whose report is the answer),
 * then commit it as a draft release or discard it. The upload is kept in the store
 * (`import_upload`) with its bytes until it is decided. Editors upload data of their own regions
 * only and see and decide their own uploads; admins all (src/api/policy.ts). Every upload, commit
 * and discard is an audit event. docs/api-security.md describes the workflow.
 */
import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { auditEvent, type AuditAction } from '../../auth/index.ts';
import { BimoError } from '../../domain/index.ts';
import {
  importUpload,
  loadRecipes,
  uploadName,
  type ImportOptions,
  type Recipe,
} from '../../ingest/index.ts';
import { RegionRegistry } from '../../regions/index.ts';
import type { UploadWithReport } from '../../store/index.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { limitBody } from '../http.ts';
import { def } from '../openapi/route.ts';
import { errors, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';
import { canSeeUpload } from '../policy.ts';
import { requestInfo, viewerOf } from '../viewer.ts';
import { actorOf } from './auth.ts';
import {
  multipartOnly,
  storedReport,
  UploadForm,
  UploadId,
  UploadSchema,
  UploadWithReportSchema,
  uploadFix,
  uploadLimitBytes,
  uploadRow,
  uploadWithReportRow,
} from './import-schemas.ts';

function conflict(message: string, fix: string, details: Record<string, unknown> = {}) {
  return new BimoError('BIMO_E_CONFLICT', message, fix, { field: 'id', ...details });
}

const IdParam = z.object({ id: UploadId });
const One = z.object({ data: UploadWithReportSchema });

export function importRoutes(s: Services): Api {
  const api = newApi();
  const req = (c: Context) => requestInfo(c, s.trustProxy);
  const limit = uploadLimitBytes();
  let recipes: Map<string, Recipe> | undefined;
  /** Commits under way in this process: a second click waits for nothing, it is refused. */
  const committing = new Set<number>();
  const now = () => s.accounts.config.now();
  const event = (c: Context, action: AuditAction, id: number, details: Record<string, unknown>) =>
    auditEvent(now(), actorOf(c, s), action, `import ${id}`, 'ok', details);
  const options = (over: Partial<ImportOptions>): ImportOptions => ({
    store: s.store,
    regions: s.regions,
    recipes: (recipes ??= loadRecipes()),
    status: 'draft',
    ...over,
  });
  // Who may upload is decided before the body is read: the public and members send nothing in.
  const mayUpload: MiddlewareHandler = async (c, next) => {
    await s.policy.requireUpload(viewerOf(c), req(c));
    await next();
  };
  const find = async (c: Context, id: number): Promise<UploadWithReport> =>
    s.policy.requireUploadAccess(viewerOf(c), await s.store.getUpload(id), id, req(c));

  def(
    api,
    {
      method: 'post',
      path: '/imports',
      tags: ['Imports'],
      summary: 'Upload a file and check it (editors, admins)',
      description: `Reads the file as \`bimo import --dry-run\` would and answers with the report; nothing is imported yet. The upload is kept until it is committed (POST /imports/{id}/commit) or discarded. Editors may upload data of their own regions only (403 otherwise, and nothing is kept). Up to ${limit / 1024 / 1024} MB (BIMO_UPLOAD_LIMIT_MB); ZIP archives that would unpack too far are refused (422).`,
      middleware: [mayUpload, limitBody(limit, uploadFix(limit)), multipartOnly],
      request: {
        body: { required: true, content: { 'multipart/form-data': { schema: UploadForm } } },
      },
      responses: {
        ...ok(One, 'The stored upload and its dry-run report (status `dry-run` or `rejected`).'),
        ...errors(400, 401, 403, 413, 422),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const { file } = c.req.valid('form');
      const bytes = new Uint8Array(await file.arrayBuffer());
      const name = uploadName(file.name);
      const actor = actorOf(c, s);
      // A ZIP bomb or an unreadable archive throws here: refused, nothing is kept.
      const report = await importUpload(bytes, name, options({ dryRun: true, user: actor.actor }));
      // The regions the file writes decide whether this account may import it. A file refused
      // before any value was placed writes nothing; it is kept so its uploader can read why.
      if (report.regions.length > 0) {
        await s.policy.requireImport(viewer, report.regions, s.regions, req(c));
      }
      const upload = await s.store.createUpload(
        {
          fileName: name,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          size: bytes.length,
          uploadedBy: actor.actor,
          uploadedAt: now().toISOString(),
          status: report.status === 'rejected' ? 'rejected' : 'checked',
          report,
          bytes,
        },
        (id) =>
          event(c, 'import.upload', id, {
            file: name,
            size: bytes.length,
            status: report.status,
            observations: report.observations,
            regions: report.regions.length,
          }),
      );
      return c.json({ data: uploadWithReportRow(upload) }, 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/imports',
      tags: ['Imports'],
      summary: 'Uploads (own; admins all)',
      description: 'Newest first, without their reports (GET /imports/{id} has the report).',
      request: { query: z.object(pageQuery(100, 1000)) },
      responses: {
        ...ok(z.object({ data: z.array(UploadSchema), page: PageMeta }), 'The uploads.'),
        ...errors(400, 401, 403),
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      await s.policy.requireUpload(viewer, req(c));
      const uploads = (await s.store.listUploads()).filter((u) => canSeeUpload(viewer, u));
      return c.json(paginate(c, uploads.map(uploadRow), c.req.valid('query')), 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/imports/{id}',
      tags: ['Imports'],
      summary: 'One upload with its report',
      description: 'Other accounts’ uploads answer 404 to editors, like unknown ones.',
      request: { params: IdParam },
      responses: { ...ok(One, 'The upload.'), ...errors(401, 403, 404) },
    },
    async (c) => {
      const upload = await find(c, c.req.valid('param').id);
      return c.json({ data: uploadWithReportRow(upload) }, 200);
    },
  );

  def(
    api,
    {
      method: 'post',
      path: '/imports/{id}/commit',
      tags: ['Imports'],
      summary: 'Import a checked upload as a draft release',
      description:
        'Imports the stored file as a draft release created by its uploader (a Sozialraumliste takes effect at once and makes no release). The release is then approved and published by an admin (POST /releases/{id}/approve, /publish). A rejected, committed or discarded upload, or one whose file was imported meanwhile, answers 409.',
      request: { params: IdParam },
      responses: {
        ...ok(One, 'The committed upload; `release_id` and the report name the new release.'),
        ...errors(401, 403, 404, 409),
      },
    },
    async (c) => {
      const { id } = c.req.valid('param');
      const upload = await find(c, id);
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
      await s.policy.requireImport(viewerOf(c), checked.regions, s.regions, req(c));
      if (committing.has(id)) {
        throw conflict(`upload ${id} is being committed`, 'Wait for the first commit to finish.');
      }
      committing.add(id);
      try {
        const bytes = await s.store.getUploadBytes(id);
        if (!bytes) throw conflict(`upload ${id} was decided meanwhile`, 'Reload the upload.');
        const report = await importUpload(
          bytes,
          upload.fileName,
          options({ user: upload.uploadedBy }),
        );
        if (report.status !== 'imported') {
          // The data changed since the check (the same file imported, a region now unknown).
          const status = report.status === 'rejected' ? 'rejected' : 'checked';
          await s.store.settleUpload(id, ['checked'], { status, at: now().toISOString(), report });
          throw conflict(
            `upload ${id} was not imported: ${report.status === 'unchanged' ? 'the same file was imported meanwhile' : 'the check now finds errors'}`,
            'GET /api/v1/imports/{id} shows the new report.',
            { status: report.status },
          );
        }
        const committed = await s.store.settleUpload(
          id,
          ['checked'],
          { status: 'committed', at: now().toISOString(), report, releaseId: report.releaseId },
          event(c, 'import.commit', id, {
            file: upload.fileName,
            uploadedBy: upload.uploadedBy,
            releaseId: report.releaseId,
            observations: report.observations,
          }),
        );
        if (!committed) throw new Error(`upload ${id} changed during its commit`);
        // A Sozialraumliste adds regions: later requests must know them.
        if (report.areas) s.setRegions(new RegionRegistry(await s.store.loadRegions()));
        return c.json({ data: uploadWithReportRow(committed) }, 200);
      } finally {
        committing.delete(id);
      }
    },
  );

  def(
    api,
    {
      method: 'delete',
      path: '/imports/{id}',
      tags: ['Imports'],
      summary: 'Discard an upload',
      description: 'Its bytes are deleted; the record stays. A committed upload answers 409.',
      request: { params: IdParam },
      responses: { 204: { description: 'Discarded.' }, ...errors(401, 403, 404, 409) },
    },
    async (c) => {
      const { id } = c.req.valid('param');
      const upload = await find(c, id);
      const discarded = await s.store.settleUpload(
        id,
        ['checked', 'rejected'],
        { status: 'discarded', at: now().toISOString() },
        event(c, 'import.discard', id, { file: upload.fileName, was: upload.status }),
      );
      if (!discarded) {
        throw conflict(
          `upload ${id} is ${upload.status}`,
          'Only checked or rejected uploads can be discarded; a committed one is a release now.',
          { status: upload.status },
        );
      }
      return c.body(null, 204);
    },
  );

  return api;
}
