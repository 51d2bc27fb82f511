/**
 * The workspace part of the SqlStore (migration 7): the revisions of the AG's Handlungsfelder
 * and Fragestellungen, appended and never changed, one set of statements for both backends.
 * What a revision may contain is the workspace module's business (src/workspace/).
 */
import { insertAudit } from './sql-accounts.ts';
import { str } from './sql-rows.ts';
import { nextId, type SqlDriver, type SqlRow, type SqlValue } from './sql.ts';
import type {
  NewAuditEvent,
  WorkspaceChange,
  WorkspaceKind,
  WorkspaceRevision,
  WorkspaceStore,
} from './types.ts';

const COLUMNS = 'id, kind, item_id, body, deleted, author, "at", note';

function toRevision(r: SqlRow): WorkspaceRevision {
  return {
    id: Number(r.id),
    kind: str(r.kind) as WorkspaceKind,
    itemId: str(r.item_id),
    body: JSON.parse(str(r.body)) as unknown,
    deleted: Boolean(r.deleted),
    author: str(r.author),
    at: str(r.at),
    note: str(r.note),
  };
}

/** Thrown inside the transaction to roll it back when an item changed in the meantime. */
class Stale extends Error {}

export class SqlWorkspaceStore implements WorkspaceStore {
  constructor(private readonly db: SqlDriver) {}

  async addWorkspaceRevisions(
    changes: readonly WorkspaceChange[],
    audit?: (firstId: number) => NewAuditEvent,
  ): Promise<WorkspaceRevision[] | null> {
    if (changes.length === 0) return [];
    try {
      return await this.db.transaction(async (tx) => {
        // nextId locks the table on PostgreSQL, so the check below sees every earlier writer.
        const first = await nextId(tx, this.db.kind, 'ag_revision');
        const added: WorkspaceRevision[] = [];
        for (const [i, { revision: r, expectedLatest }] of changes.entries()) {
          const [latest] = await tx.query(
            'SELECT MAX(id) AS id FROM ag_revision WHERE kind = $1 AND item_id = $2',
            [r.kind, r.itemId],
          );
          const seen = added.findLast((a) => a.kind === r.kind && a.itemId === r.itemId);
          if ((seen?.id ?? Number(latest?.id ?? 0)) !== expectedLatest) throw new Stale();
          const row: WorkspaceRevision = { ...r, id: first + i };
          const params: SqlValue[] = [
            row.id,
            r.kind,
            r.itemId,
            JSON.stringify(r.body),
            r.deleted,
            r.author,
            r.at,
            r.note,
          ];
          await tx.exec(
            `INSERT INTO ag_revision (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            params,
          );
          added.push(row);
        }
        if (audit) await insertAudit(tx, this.db.kind, audit(first));
        return added;
      });
    } catch (err) {
      if (err instanceof Stale) return null;
      throw err;
    }
  }

  async listWorkspaceRevisions(item?: {
    kind: WorkspaceKind;
    itemId: string;
  }): Promise<WorkspaceRevision[]> {
    const rows = item
      ? await this.db.query(
          `SELECT ${COLUMNS} FROM ag_revision WHERE kind = $1 AND item_id = $2 ORDER BY id`,
          [item.kind, item.itemId],
        )
      : await this.db.query(`SELECT ${COLUMNS} FROM ag_revision ORDER BY id`);
    return rows.map(toRevision);
  }
}
