/**
 * Uploads made in the store directly, as POST /api/v1/imports would keep them, for tests that need
 * one to exist (the authorization matrix) without sending a multipart form.
 */
import { createHash } from 'node:crypto';
import type { AppDeps } from '../../src/api/app.ts';
import { importUpload, loadRecipes } from '../../src/ingest/index.ts';
import type { RegionRegistry } from '../../src/regions/index.ts';
import type { Store, User } from '../../src/store/index.ts';

/**
 * Keeps `bytes` (default: a file bimo cannot read, so the upload is `rejected` and committing it
 * changes nothing) as uploaded by `uploadedBy`, with its real dry-run report; returns its id.
 */
export async function storedUpload(
  store: Store,
  regions: RegionRegistry,
  uploadedBy: string,
  bytes: Uint8Array = new TextEncoder().encode('kein;bekanntes;Format\n1;2;3\n'),
): Promise<number> {
  const report = await importUpload(bytes, 'probe.csv', {
    store,
    regions,
    recipes: loadRecipes(),
    dryRun: true,
  });
  const upload = await store.createUpload({
    fileName: 'probe.csv',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    uploadedBy,
    uploadedAt: new Date().toISOString(),
    status: report.status === 'rejected' ? 'rejected' : 'checked',
    report,
    bytes,
  });
  return upload.id;
}

/** The API path of a new rejected upload of `user` (plus `suffix`, e.g. `/commit`). */
export async function uploadPath(deps: AppDeps, user: User, suffix = ''): Promise<string> {
  return `/api/v1/imports/${await storedUpload(deps.store, deps.regions, user.email)}${suffix}`;
}
