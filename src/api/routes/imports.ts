/**
 * Imports over HTTP: upload a file (checked at once by a dry run whose report is the answer),
 * then commit it as a draft release or discard it. The upload is kept in the store
 * (`import_upload`) with its bytes until it is decided. Editors upload data of their own regions
 * only and see and decide their own uploads; admins all (src/api/policy.ts). Every upload, commit
 * and discard is an audit event (the steps themselves: src/api/workflow.ts, shared with the
 * portal). docs/api-security.md describes the workflow.
 */
import { z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { newApi, type Api, type Services } from '../env.ts';
import { limitBody } from '../http.ts';
import { def } from '../openapi/route.ts';
import { errors, ok, PageMeta, pageQuery, paginate } from '../openapi/schemas.ts';
import { canSeeUpload } from '../policy.ts';
import { requestInfo, viewerOf } from '../viewer.ts';
import { actingOf, workflowOf } from '../workflow.ts';
import {
  multipartOnly,
  UploadForm,
  UploadId,
  UploadSchema,
  UploadWithReportSchema,
  uploadFix,
  uploadLimitBytes,
  uploadRow,
  uploadWithReportRow,
} from './import-schemas.ts';

const IdParam = z.object({ id: UploadId });
const One = z.object({ data: UploadWithReportSchema });

export function importRoutes(s: Services): Api {
  const api = newApi();
  const req = (c: Context) => requestInfo(c, s.trustProxy);
  const limit = uploadLimitBytes();
  const flow = workflowOf(s);
  // Who may upload is decided before the body is read: the public and members send nothing in.
  const mayUpload: MiddlewareHandler = async (c, next) => {
    await s.policy.requireUpload(viewerOf(c), req(c));
    await next();
  };

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
      const { file } = c.req.valid('form');
      const bytes = new Uint8Array(await file.arrayBuffer());
      const upload = await flow.upload(actingOf(c, s), bytes, file.name);
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
      const upload = await flow.find(actingOf(c, s), c.req.valid('param').id);
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
      const committed = await flow.commit(actingOf(c, s), c.req.valid('param').id);
      return c.json({ data: uploadWithReportRow(committed) }, 200);
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
      await flow.discard(actingOf(c, s), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return api;
}
