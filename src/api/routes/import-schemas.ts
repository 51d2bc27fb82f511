/**
 * How uploads look over HTTP (src/api/routes/imports.ts): the size limit and the multipart form
 * going in, and coming out the zod schemas that document uploads and their import reports in
 * /api/v1/openapi.json, mapped from the stored records. Field names are snake_case, as
 * everywhere in the API.
 */
import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { BimoError } from '../../domain/index.ts';
import type { ImportReport } from '../../ingest/index.ts';
import type { Upload, UploadWithReport } from '../../store/index.ts';

/** Default upload limit; `BIMO_UPLOAD_LIMIT_MB` changes it. */
export const DEFAULT_UPLOAD_LIMIT_MB = 100;

/** The upload limit in bytes from `BIMO_UPLOAD_LIMIT_MB` (default 100 MB). */
export function uploadLimitBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.BIMO_UPLOAD_LIMIT_MB;
  if (raw === undefined || raw.trim() === '') return DEFAULT_UPLOAD_LIMIT_MB * 1024 * 1024;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `BIMO_UPLOAD_LIMIT_MB="${raw}" is not a positive number of megabytes`,
      `Set e.g. BIMO_UPLOAD_LIMIT_MB=200, or leave it unset for ${DEFAULT_UPLOAD_LIMIT_MB} MB.`,
      { field: 'BIMO_UPLOAD_LIMIT_MB' },
    );
  }
  return Math.round(mb * 1024 * 1024);
}

/** The media types @hono/zod-openapi accepts as a form (others it refuses before the handler). */
const MULTIPART = /^multipart\/form-data(;\s?boundary=[a-zA-Z0-9'"()+_,\-./:=?]+)?$/i;

/** The upload must be a multipart form that can be read; anything else is a clear 400. */
export const multipartOnly: MiddlewareHandler = async (c, next) => {
  const example =
    'e.g. curl -F file=@tabelle.csv -H "Authorization: Bearer bimo_…" https://…/api/v1/imports';
  if (!MULTIPART.test(c.req.header('Content-Type') ?? '')) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'the upload must be sent as multipart/form-data with the file in the field `file`',
      `Send the file as a form upload, ${example}.`,
      { field: 'content-type' },
    );
  }
  try {
    await c.req.formData();
  } catch {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'the multipart form cannot be read',
      `Send the file as a form upload, ${example}.`,
      { field: 'file' },
    );
  }
  await next();
};

/** What to do about a 413 from the upload route. */
export function uploadFix(limit: number): string {
  return `Uploads take up to ${limit / 1024 / 1024} MB (BIMO_UPLOAD_LIMIT_MB on the server). Split the download (e.g. by year), send it as a ZIP, or import it with \`bimo import\` on the server.`;
}

export const UploadId = z.coerce
  .number()
  .int()
  .min(1)
  .max(999_999_999)
  .meta({ description: 'An upload number from GET /api/v1/imports.', example: 1 });

export const UploadForm = z.object({
  file: z.file().openapi({ type: 'string', format: 'binary' }).meta({
    description:
      'The file as a browser form or `curl -F file=@tabelle.csv` sends it: a GENESIS/IT.NRW table (CSV, flat file CSV, cube, XLSX), the bimo template, a Sozialraumliste, or a ZIP holding one of them.',
  }),
});

const Issue = z
  .object({
    severity: z.enum(['error', 'warning', 'info']),
    line: z.number().int().meta({ description: '1-based line (a workbook: row) of the finding.' }),
    column: z.number().int(),
    cell: z.string().optional().meta({ description: 'A workbook cell as Excel names it.' }),
    code: z.string().meta({ example: 'BIMO_E_PARSE' }),
    message: z.string(),
    fix: z.string(),
  })
  .openapi('ImportIssue');

export const Report = z
  .object({
    file: z.string(),
    format: z.string().meta({ example: 'classic-csv' }),
    table_code: z.string().nullable().meta({ example: '21111-02-06-4' }),
    encoding: z.string().nullable(),
    sha256: z.string().meta({ description: 'Of the table (for a ZIP: of the file inside).' }),
    status: z.enum(['imported', 'unchanged', 'dry-run', 'rejected']).meta({
      description:
        '`dry-run`: checked, nothing written yet; `rejected`: errors (see issues), nothing written; `unchanged`: the same file was imported before; `imported`: written (as a draft release).',
    }),
    release_id: z.number().int().nullable(),
    mapping: z.string().nullable(),
    rows: z.object({
      total: z.number().int(),
      accepted: z.number().int(),
      skipped: z.number().int(),
      rejected: z.number().int(),
    }),
    observations: z.number().int().meta({ description: 'Values the file holds.' }),
    regions: z.array(z.string()).meta({
      description:
        'The region codes the file writes (for a Sozialraumliste: the Gemeinden of its units); an editor may import only files whose regions are all theirs.',
      example: ['05358'],
    }),
    flags: z.record(z.string(), z.number().int()).meta({
      description: 'Special signs kept as flags, with their counts.',
    }),
    areas: z
      .object({ added: z.number().int(), changed: z.number().int(), unchanged: z.number().int() })
      .optional()
      .meta({ description: 'For a Sozialraumliste: units added, changed, unchanged.' }),
    issues: z.array(Issue),
  })
  .openapi('ImportReport');

export const UploadSchema = z
  .object({
    id: z.number().int(),
    file_name: z.string(),
    size: z.number().int().meta({ description: 'Bytes as uploaded.' }),
    sha256: z.string().meta({ description: 'Of the bytes as uploaded.' }),
    status: z.enum(['checked', 'committed', 'discarded', 'rejected']).meta({
      description:
        '`checked`: may be committed; `rejected`: the check found errors, it can only be discarded; `committed`: imported as a draft release; `discarded`.',
    }),
    uploaded_by: z.string(),
    uploaded_at: z.string(),
    updated_at: z.string().meta({ description: 'When the status last changed.' }),
    release_id: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The draft release the commit created.' }),
  })
  .openapi('Upload');

export const UploadWithReportSchema = UploadSchema.extend({ report: Report }).openapi(
  'UploadWithReport',
);

export function reportRow(r: ImportReport): z.infer<typeof Report> {
  return {
    file: r.file,
    format: r.format,
    table_code: r.tableCode,
    encoding: r.encoding,
    sha256: r.sha256,
    status: r.status,
    release_id: r.releaseId,
    mapping: r.mapping,
    rows: r.rows,
    observations: r.observations,
    regions: r.regions,
    flags: r.flags,
    ...(r.areas ? { areas: r.areas } : {}),
    issues: r.issues,
  };
}

export function uploadRow(u: Upload): z.infer<typeof UploadSchema> {
  return {
    id: u.id,
    file_name: u.fileName,
    size: u.size,
    sha256: u.sha256,
    status: u.status,
    uploaded_by: u.uploadedBy,
    uploaded_at: u.uploadedAt,
    updated_at: u.updatedAt,
    release_id: u.releaseId,
  };
}

/** The report an upload was stored with (written by this app as an ImportReport). */
export function storedReport(u: UploadWithReport): ImportReport {
  return u.report as ImportReport;
}

export function uploadWithReportRow(u: UploadWithReport): z.infer<typeof UploadWithReportSchema> {
  return { ...uploadRow(u), report: reportRow(storedReport(u)) };
}
