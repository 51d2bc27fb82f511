/**
 * Release workflow and comparison. A release moves draft → approved → published; a published
 * release never changes again (a correction is a new release). `diffReleases` lists, cell by
 * cell, what a later release changed against an earlier one.
 */
import { BimoError, type Flag, type Release, type ReleaseStatus } from '../domain/index.ts';
import type { NewAuditEvent, ObservationRow, Store } from '../store/index.ts';

const NEXT: Record<ReleaseStatus, ReleaseStatus | null> = {
  draft: 'approved',
  approved: 'published',
  published: null,
};

/**
 * Moves release `id` on to `to`; `audit` is written with the change (not when the release already
 * is `to`, which changes nothing).
 */
export async function advanceRelease(
  store: Store,
  id: number,
  to: ReleaseStatus,
  by: string,
  audit?: NewAuditEvent,
): Promise<Release> {
  const release = await store.getRelease(id);
  if (!release) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      `release ${id} does not exist`,
      '`bimo releases` lists the releases.',
      { field: 'release' },
    );
  }
  if (release.status === to) return release;
  // The request is well-formed; the release's state does not allow it: a conflict (409).
  if (release.status === 'published') {
    throw new BimoError(
      'BIMO_E_CONFLICT',
      `release ${id} is published and can no longer change`,
      'Import the corrected file; it becomes a new release.',
      { field: 'release' },
    );
  }
  if (NEXT[release.status] !== to) {
    throw new BimoError(
      'BIMO_E_CONFLICT',
      `release ${id} is ${release.status}; it can only become ${NEXT[release.status] ?? '—'} next`,
      release.status === 'draft'
        ? `Approve it first: bimo releases approve ${id}`
        : 'Check the release status with `bimo releases`.',
      { field: 'release' },
    );
  }
  return store.setReleaseStatus(id, to, by, audit);
}

export interface CellChange {
  variable: string;
  region: string;
  period: string;
  dims: string;
  change: 'added' | 'removed' | 'changed';
  before: { value: number | null; flag: Flag | null } | null;
  after: { value: number | null; flag: Flag | null } | null;
}

const cellKey = (o: ObservationRow): string =>
  `${o.variableId}|${o.regionCode}|${o.period}|${o.dimsKey}`;

/** The releases whose observations make up the data as of release `id` (see queryObservations). */
function viewOf(releases: readonly Release[], id: number | null): Set<number> {
  if (id === null) return new Set();
  return new Set(
    releases
      .filter((r) => r.id === id || (r.status === 'published' && r.id <= id))
      .map((r) => r.id),
  );
}

/**
 * What the data as of release `b` differ from the data as of release `a` (`a` null: from no
 * data, so every cell is added). Sorted by variable, region, period and breakdown.
 */
export async function diffReleases(
  store: Store,
  a: number | null,
  b: number,
): Promise<CellChange[]> {
  for (const id of a === null ? [b] : [a, b]) {
    if (!(await store.getRelease(id))) {
      throw new BimoError(
        'BIMO_E_NOT_FOUND',
        `release ${id} does not exist`,
        '`bimo releases` lists the releases.',
        { field: 'release' },
      );
    }
  }
  // Only cells of a release that is part of one view and not of the other can differ; reading
  // just their variables keeps a diff of one revised table fast in a database of many.
  const releases = await store.listReleases();
  const [viewA, viewB] = [viewOf(releases, a), viewOf(releases, b)];
  const differing = [...new Set([...viewA, ...viewB])].filter(
    (id) => viewA.has(id) !== viewB.has(id),
  );
  if (differing.length === 0) return [];
  const variableIds = await store.releaseVariables(differing);
  const view = async (id: number | null) =>
    id === null ? [] : store.queryObservations({ releaseId: id, variableIds });
  const before = new Map((await view(a)).map((o) => [cellKey(o), o]));
  const after = new Map((await view(b)).map((o) => [cellKey(o), o]));
  const changes: CellChange[] = [];
  const base = (o: ObservationRow) => ({
    variable: o.variableId,
    region: o.regionCode,
    period: o.period,
    dims: o.dimsKey,
  });
  for (const [k, o] of after) {
    const p = before.get(k);
    if (!p)
      changes.push({
        ...base(o),
        change: 'added',
        before: null,
        after: { value: o.value, flag: o.flag },
      });
    else if (p.value !== o.value || p.flag !== o.flag) {
      changes.push({
        ...base(o),
        change: 'changed',
        before: { value: p.value, flag: p.flag },
        after: { value: o.value, flag: o.flag },
      });
    }
  }
  for (const [k, p] of before) {
    if (!after.has(k))
      changes.push({
        ...base(p),
        change: 'removed',
        before: { value: p.value, flag: p.flag },
        after: null,
      });
  }
  return changes.sort((x, y) =>
    `${x.variable}|${x.region}|${x.period}|${x.dims}`.localeCompare(
      `${y.variable}|${y.region}|${y.period}|${y.dims}`,
    ),
  );
}
