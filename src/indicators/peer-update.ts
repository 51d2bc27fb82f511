/**
 * Keeps the stored peer groups (region groups of kind `peer`) in step with the data: rebuilt on
 * every `compute` from the latest published release, or removed with the reason when the
 * features they need are not in the database (e.g. only school tables imported).
 */
import { BimoError } from '../domain/index.ts';
import type { RegionRegistry } from '../regions/registry.ts';
import type { Store } from '../store/index.ts';
import { buildPeerGroups, type PeerGroupResult } from './peers.ts';

export async function updatePeerGroups(
  store: Store,
  regions: RegionRegistry,
): Promise<{ result: PeerGroupResult | null; message: string }> {
  let result: PeerGroupResult;
  try {
    result = await buildPeerGroups(store, regions);
  } catch (err) {
    if (!(err instanceof BimoError) && !(err instanceof Error)) throw err;
    await store.replaceGroupsOfKind('peer', [], []);
    return { result: null, message: `peer groups not built: ${err.message}` };
  }
  await store.replaceGroupsOfKind(
    'peer',
    result.groups.map((g) => ({ id: g.id, name: g.name, kind: 'peer' })),
    result.groups.flatMap((g) =>
      g.members.map((m) => ({ groupId: g.id, regionCode: m, weight: 1 })),
    ),
  );
  return {
    result,
    message: `${result.groups.length} peer groups (Vergleichstypen) of ${result.groups.reduce((n, g) => n + g.members.length, 0)} Kreise, reference year ${result.year}`,
  };
}
