/**
 * Recomputing the indicators after the published data changed (a new published release): peer
 * groups first (they are region groups whose values the indicators include), then every active
 * indicator with disclosure control. `bimo compute`, `bimo releases publish`, a published CLI
 * import and `POST /api/v1/releases/{id}/publish` all run this one function.
 */
import { BimoError } from '../domain/index.ts';
import { RegionRegistry } from '../regions/registry.ts';
import type { Store } from '../store/index.ts';
import type { Catalog } from './catalog.ts';
import { computeAll } from './compute-all.ts';
import { updatePeerGroups } from './peer-update.ts';

export interface RecomputeResult {
  /** The latest published release, whose values were computed. */
  releaseId: number;
  /** Values per indicator id. */
  counts: Record<string, number>;
  /** What happened to the peer groups (built, or why not). */
  peers: string;
  /**
   * The region registry as it is now (peer groups included): a long-running process (the
   * server) replaces its registry with this one, so groups and their values agree.
   */
  regions: RegionRegistry;
}

/** The stored region registry; refuses an empty database with the fix. */
export async function loadRegistry(store: Store): Promise<RegionRegistry> {
  const set = await store.loadRegions();
  if (set.regions.length === 0) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      'the database has no regions yet',
      'Run `bimo init` first (or `bimo demo`, which does everything).',
    );
  }
  return new RegionRegistry(set);
}

/**
 * Rebuilds the peer groups and computes every indicator of `catalog` for the latest published
 * release. `onProgress` receives one line per step (the peer groups, each indicator).
 */
export async function recomputeIndicators(
  store: Store,
  catalog: Pick<Catalog, 'indicators' | 'disclosure'>,
  onProgress?: (message: string) => void,
): Promise<RecomputeResult> {
  const peers = await updatePeerGroups(store, await loadRegistry(store));
  onProgress?.(peers.message);
  const regions = await loadRegistry(store);
  const result = await computeAll(
    store,
    catalog.indicators,
    regions,
    onProgress,
    catalog.disclosure,
  );
  if (!result) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      'no published data to compute from',
      'Import files first: bimo import FILE... (or publish a release).',
    );
  }
  return { ...result, peers: peers.message, regions };
}
