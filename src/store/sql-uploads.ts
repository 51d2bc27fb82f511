/**
 * The upload part of the SqlStore (migration 6): files uploaded over HTTP, kept with their
 * dry-run report until they are committed or discarded, one set of statements for both
 * backends. Who may see or decide an upload is the policy's business (src/api/policy.ts).
 */
import { insertAudit } from './sql-accounts.ts';
import { numOrNull, str } from './sql-rows.ts';
import { nextId, placeholders, type SqlDriver, type SqlRow } from './sql.ts';
import type {
  NewAuditEvent,
  NewUpload,
  Upload,
  UploadChange,
  UploadStatus,
  UploadStore,
  UploadWithReport,
} from './types.ts';

/** Every column but the bytes: those are read on their own, only when an upload is committed. */
const COLUMNS =
  'id, file_name, sha256, size, uploaded_by, uploaded_at, status, updated_at, release_id';

function toUpload(r: SqlRow): Upload {
  return {
    id: Number(r.id),
    fileName: str(r.file_name),
    sha256: str(r.sha256),
    size: Number(r.size),
    uploadedBy: str(r.uploaded_by),
    uploadedAt: str(r.uploaded_at),
    status: str(r.status) as UploadStatus,
    updatedAt: str(r.updated_at),
    releaseId: numOrNull(r.release_id),
  };
}

function withReport(r: SqlRow): UploadWithReport {
  let report: unknown;
  try {
    report = JSON.parse(str(r.report)) as unknown;
  } catch {
    report = null;
  }
  return { ...toUpload(r), report };
}

/** Decided uploads keep their row but not their bytes. */
const DECIDED: readonly UploadStatus[] = ['committed', 'discarded'];

export class SqlUploadStore implements UploadStore {
  constructor(private readonly db: SqlDriver) {}

  async createUpload(
    u: NewUpload,
    audit?: (id: number) => NewAuditEvent,
  ): Promise<UploadWithReport> {
    const id = await this.db.transaction(async (tx) => {
      const id = await nextId(tx, this.db.kind, 'import_upload');
      await tx.exec(
        `INSERT INTO import_upload (${COLUMNS}, report, bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          id,
          u.fileName,
          u.sha256,
          u.size,
          u.uploadedBy,
          u.uploadedAt,
          u.status,
          u.uploadedAt,
          null,
          JSON.stringify(u.report),
          u.bytes,
        ],
      );
      if (audit) await insertAudit(tx, this.db.kind, audit(id));
      return id;
    });
    const created = await this.getUpload(id);
    if (!created) throw new Error(`upload ${id} vanished`);
    return created;
  }

  async getUpload(id: number): Promise<UploadWithReport | null> {
    const [r] = await this.db.query(`SELECT ${COLUMNS}, report FROM import_upload WHERE id = $1`, [
      id,
    ]);
    return r ? withReport(r) : null;
  }

  async getUploadBytes(id: number): Promise<Uint8Array | null> {
    const [r] = await this.db.query('SELECT bytes FROM import_upload WHERE id = $1', [id]);
    const bytes = r?.bytes;
    return bytes instanceof Uint8Array ? bytes : null;
  }

  async listUploads(uploadedBy?: string): Promise<Upload[]> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM import_upload ${uploadedBy === undefined ? '' : 'WHERE uploaded_by = $1'}
       ORDER BY id DESC`,
      uploadedBy === undefined ? [] : [uploadedBy],
    );
    return rows.map(toUpload);
  }

  async settleUpload(
    id: number,
    from: readonly UploadStatus[],
    change: UploadChange,
    audit?: NewAuditEvent,
  ): Promise<UploadWithReport | null> {
    if (from.length === 0) return null;
    const settled = await this.db.transaction(async (tx) => {
      const sets = ['status = $1', 'updated_at = $2'];
      const params: (string | number | null)[] = [change.status, change.at];
      if (change.report !== undefined) {
        params.push(JSON.stringify(change.report));
        sets.push(`report = $${params.length}`);
      }
      if (change.releaseId !== undefined) {
        params.push(change.releaseId);
        sets.push(`release_id = $${params.length}`);
      }
      if (DECIDED.includes(change.status)) sets.push('bytes = NULL');
      params.push(id);
      const idParam = params.length;
      // The status is checked in the statement itself: of two concurrent decisions, one wins.
      const hit = await tx.query(
        `UPDATE import_upload SET ${sets.join(', ')}
         WHERE id = $${idParam} AND status IN (${placeholders(from.length, idParam + 1)})
         RETURNING id`,
        [...params, ...from],
      );
      if (hit.length === 0) return false;
      if (audit) await insertAudit(tx, this.db.kind, audit);
      return true;
    });
    return settled ? this.getUpload(id) : null;
  }
}
