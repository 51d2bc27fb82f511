/**
 * Part of the Store contract (store-contract.ts): the AG workspace's revisions (migration 7).
 * Revisions are appended with their audit event in one transaction; a change made against an
 * outdated version writes nothing; text and JSON round-trip exactly.
 */
import { describe, expect, it } from 'vitest';
import type { NewWorkspaceRevision, Store } from '../../src/store/index.ts';

const at = '2026-11-22T10:00:00.000Z';
const revision = (over: Partial<NewWorkspaceRevision> = {}): NewWorkspaceRevision => ({
  kind: 'question',
  itemId: 'FS01',
  body: {
    title_de: "Wie viele verlassen die Schule ohne Abschluss? – »Düren« o'Brien; DROP TABLE --",
    indicators: ['D6', 'E5a'],
    next_report: true,
  },
  deleted: false,
  author: 'ag@example.org',
  at,
  note: 'Sitzung der AG am 20.11.',
  ...over,
});

export function workspaceContract(get: () => Store): void {
  describe('workspace revisions', () => {
    it('appends revisions with their audit event and lists them oldest first', async () => {
      const store = get();
      const added = await store.addWorkspaceRevisions(
        [
          { revision: revision(), expectedLatest: 0 },
          {
            revision: revision({
              kind: 'handlungsfeld',
              itemId: 'hf-hochschule',
              body: { chosen: false },
            }),
            expectedLatest: 0,
          },
        ],
        (first) => ({
          at,
          actor: 'ag@example.org',
          action: 'workspace.save',
          target: `workspace ${first}`,
          outcome: 'ok',
          ip: null,
          details: { items: ['FS01', 'hf-hochschule'] },
        }),
      );
      expect(added?.map((r) => [r.id, r.itemId])).toEqual([
        [1, 'FS01'],
        [2, 'hf-hochschule'],
      ]);
      const all = await store.listWorkspaceRevisions();
      expect(all).toEqual(added);
      expect(all[0]).toEqual({ ...revision(), id: 1 });
      const audit = await store.listAudit({ action: 'workspace.save', limit: 10, offset: 0 });
      expect(audit.map((e) => e.target)).toEqual(['workspace 1']);
    });

    it('refuses a change against an outdated version and writes nothing of the batch', async () => {
      const store = get();
      // FS01's newest revision is 1: a second editor who also started from it wins first …
      const second = await store.addWorkspaceRevisions([
        { revision: revision({ note: 'zweite' }), expectedLatest: 1 },
      ]);
      expect(second?.[0]?.id).toBe(3);
      // … and the first, still on version 1, is refused, together with the rest of its batch.
      const stale = await store.addWorkspaceRevisions([
        { revision: revision({ itemId: 'FS02' }), expectedLatest: 0 },
        { revision: revision({ note: 'veraltet' }), expectedLatest: 1 },
      ]);
      expect(stale).toBeNull();
      // A new item that someone else created first is refused too.
      expect(
        await store.addWorkspaceRevisions([{ revision: revision(), expectedLatest: 0 }]),
      ).toBeNull();
      const fs01 = await store.listWorkspaceRevisions({ kind: 'question', itemId: 'FS01' });
      expect(fs01.map((r) => r.note)).toEqual(['Sitzung der AG am 20.11.', 'zweite']);
      expect(await store.listWorkspaceRevisions({ kind: 'question', itemId: 'FS02' })).toEqual([]);
    });

    it('keeps a removal with its last text', async () => {
      const store = get();
      const [removed] =
        (await store.addWorkspaceRevisions([
          { revision: revision({ deleted: true }), expectedLatest: 3 },
        ])) ?? [];
      expect(removed).toMatchObject({ id: 4, deleted: true, body: revision().body });
      const listed = await store.listWorkspaceRevisions({ kind: 'question', itemId: 'FS01' });
      expect(listed.at(-1)).toEqual(removed);
    });
  });
}
