/**
 * Part of the Store contract (store-contract.ts), run on every backend after the real tables are
 * imported: uploaded files (migration 6: bytes round-trip exactly, one decision wins, decided
 * uploads drop their bytes) and the release workflow's store side (the variables of a release,
 * a status change with its audit event in one transaction, the diff of a revised cell).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diffReleases } from '../../src/ingest/index.ts';
import type { NewAuditEvent, NewUpload, Store } from '../../src/store/index.ts';

const t0 = '2026-05-04T09:00:00.000Z';
const event = (action: string, target: string): NewAuditEvent => ({
  at: t0,
  actor: 'uploader@example.org',
  action,
  target,
  outcome: 'ok',
  ip: '192.0.2.9',
  details: { file: 'Schulabgänger "Düren".csv' },
});

export function uploadContract(get: () => Store): void {
  describe('uploads', () => {
    // Every byte value, NULs and 0xff included, then 1 MB of noise.
    const bytes = new Uint8Array([
      ...Array.from({ length: 256 }, (_, i) => i),
      ...randomBytes(1 << 20),
    ]);
    const upload = (over: Partial<NewUpload> = {}): NewUpload => ({
      fileName: "o'brien; DROP TABLE import_upload; --.csv",
      sha256: 'a'.repeat(64),
      size: bytes.length,
      uploadedBy: 'uploader@example.org',
      uploadedAt: t0,
      status: 'checked',
      report: { status: 'dry-run', regions: ['05358'], note: 'Düren ü' },
      bytes,
      ...over,
    });

    it('keeps an upload with its report, its bytes exactly, and its audit event', async () => {
      const store = get();
      const first = await store.createUpload(upload(), (id) =>
        event('import.upload', `import ${id}`),
      );
      expect(first).toEqual({
        id: 1,
        fileName: "o'brien; DROP TABLE import_upload; --.csv",
        sha256: 'a'.repeat(64),
        size: bytes.length,
        uploadedBy: 'uploader@example.org',
        uploadedAt: t0,
        status: 'checked',
        updatedAt: t0,
        releaseId: null,
        report: { status: 'dry-run', regions: ['05358'], note: 'Düren ü' },
      });
      expect(await store.getUpload(1)).toEqual(first);
      const stored = await store.getUploadBytes(1);
      expect(stored?.length).toBe(bytes.length);
      expect(Buffer.compare(Buffer.from(stored ?? []), Buffer.from(bytes))).toBe(0);
      const [audit] = await store.listAudit({ action: 'import.upload', limit: 10 });
      expect(audit).toMatchObject({ target: 'import 1', details: event('', '').details });

      const other = await store.createUpload(
        upload({ uploadedBy: 'other@example.org', status: 'rejected', bytes: new Uint8Array() }),
      );
      expect(other.id).toBe(2);
      expect((await store.listUploads()).map((u) => u.id)).toEqual([2, 1]);
      expect((await store.listUploads('uploader@example.org')).map((u) => u.id)).toEqual([1]);
      expect(await store.listUploads("' OR '1'='1")).toEqual([]);
      expect(await store.getUpload(99)).toBeNull();
      expect(await store.getUploadBytes(99)).toBeNull();
    });

    it('settles an upload once: status, report and release with the event; bytes dropped', async () => {
      const store = get();
      const t1 = '2026-05-04T10:00:00.000Z';
      const committed = await store.settleUpload(
        1,
        ['checked'],
        { status: 'committed', at: t1, report: { status: 'imported' }, releaseId: 7 },
        event('import.commit', 'import 1'),
      );
      expect(committed).toMatchObject({
        status: 'committed',
        updatedAt: t1,
        releaseId: 7,
        report: { status: 'imported' },
        uploadedAt: t0,
      });
      expect(await store.getUploadBytes(1)).toBeNull();
      const again = await store.settleUpload(
        1,
        ['checked'],
        { status: 'committed', at: t1 },
        event('import.commit', 'import 1'),
      );
      expect(again).toBeNull();
      expect(await store.listAudit({ action: 'import.commit', limit: 10 })).toHaveLength(1);
      expect(await store.settleUpload(99, ['checked'], { status: 'discarded', at: t1 })).toBeNull();

      // Two discards at once (two browser tabs): one wins, the other finds it decided.
      const both = await Promise.all(
        [1, 2].map(() =>
          store.settleUpload(
            2,
            ['checked', 'rejected'],
            { status: 'discarded', at: t1 },
            event('import.discard', 'import 2'),
          ),
        ),
      );
      expect(both.filter((u) => u !== null)).toHaveLength(1);
      expect(await store.listAudit({ action: 'import.discard', limit: 10 })).toHaveLength(1);
      expect((await store.getUpload(2))?.status).toBe('discarded');
    });
  });

  describe('release workflow', () => {
    it('lists the variables of a release, diffs a revised cell and approves with its event', async () => {
      const store = get();
      const published = await store.latestPublishedRelease();
      const draft = await store.commitImport({
        source: {
          id: 'revision@1',
          tableCode: '21111-02-06-4',
          title: 'Korrektur',
          database: 'test',
          stand: null,
          fileName: 'korrektur.csv',
          fileSha256: 'b'.repeat(64),
          importedAt: t0,
          licence: 'dl-de/by-2-0',
          footnotes: '',
        },
        release: { status: 'draft', createdBy: 'uploader@example.org', note: 'Korrektur' },
        chunks: [
          {
            variables: [],
            dimensionItems: [],
            observations: [
              {
                variableId: 'schulabgaenge_ab',
                regionCode: '05358',
                period: '2023',
                dimsKey: 'abschluss=ohne_esa;geschlecht=insgesamt',
                value: 155,
                flag: null,
                roundingBase: 5,
                sourceId: 'revision@1',
                origin: '108:31',
              },
            ],
          },
        ],
      });
      expect(await store.releaseVariables([draft.id])).toEqual(['schulabgaenge_ab']);
      expect(await store.releaseVariables([])).toEqual([]);
      expect((await store.releaseVariables([1, 2, draft.id])).length).toBeGreaterThan(1);
      const changes = await diffReleases(store, published?.id ?? 0, draft.id);
      expect(changes).toEqual([
        {
          variable: 'schulabgaenge_ab',
          region: '05358',
          period: '2023',
          dims: 'abschluss=ohne_esa;geschlecht=insgesamt',
          change: 'changed',
          before: { value: 150, flag: null },
          after: { value: 155, flag: null },
        },
      ]);

      const approved = await store.setReleaseStatus(
        draft.id,
        'approved',
        'admin@example.org',
        event('release.approve', `release ${draft.id}`),
      );
      expect(approved.status).toBe('approved');
      expect(await store.listAudit({ action: 'release.approve', limit: 10 })).toEqual([
        expect.objectContaining({ target: `release ${draft.id}` }),
      ]);
    });
  });
}
