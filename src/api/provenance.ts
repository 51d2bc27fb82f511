/**
 * Where stored values come from, in one shape for GET /api/v1/sources, GET /api/v1/observations
 * and `bimo observations`: each source (an imported file) with the release its import created,
 * and each raw observation with its source, its place in the file and its release.
 */
import { parseDimsKey, type Release, type Source, type Variable } from '../domain/index.ts';
import type { HarmonisedRow, RegionRegistry } from '../regions/index.ts';
import type { ObservationRow, Store } from '../store/index.ts';

/** One value as `bimo observations` and the observations API show it, with its provenance. */
export interface ObservationItem {
  variable: string;
  label: string;
  unit: string;
  region: string;
  period: string;
  dims: Record<string, string>;
  value: number | null;
  flag: string | null;
  rounding_base: number;
  source: {
    id: string | null;
    table: string | null;
    title: string | null;
    database: string | null;
    stand: string | null;
    file: string | null;
    sha256: string | null;
    licence: string | null;
    imported_at: string | null;
    imported_by: string | null;
    /** `line:column` in the file, or how a harmonised value was made. */
    origin: string;
  };
  release: { id: number | null; status: string | null };
}

/** The sources and releases of a store, each source with the release its import created. */
export interface Provenance {
  sources: Map<string, Source>;
  releases: Map<number, Release>;
  releaseOfSource: Map<string, Release>;
}

/** The release each source came with (every import writes one source and one release). */
export function releasesOfSources(
  sources: readonly Source[],
  releases: readonly Release[],
): Map<string, Release> {
  const byId = new Map(releases.map((r) => [r.id, r]));
  const out = new Map<string, Release>();
  for (const s of sources) {
    const release = s.releaseId === undefined ? undefined : byId.get(s.releaseId);
    if (release) out.set(s.id, release);
  }
  return out;
}

export async function loadProvenance(
  store: Pick<Store, 'listSources' | 'listReleases'>,
): Promise<Provenance> {
  const [sources, releases] = await Promise.all([store.listSources(), store.listReleases()]);
  return {
    sources: new Map(sources.map((s) => [s.id, s])),
    releases: new Map(releases.map((r) => [r.id, r])),
    releaseOfSource: releasesOfSources(sources, releases),
  };
}

/**
 * A stored observation with its provenance. `showAuthor` false blanks who imported it (an
 * email: for signed-in eyes only, `canSeeReleaseAuthor`).
 */
export function observationItem(
  r: ObservationRow,
  p: Provenance,
  showAuthor: boolean,
): ObservationItem {
  const s = p.sources.get(r.sourceId);
  const rel = p.releases.get(r.releaseId);
  return {
    variable: r.variableId,
    label: r.variableLabel,
    unit: r.unit,
    region: r.regionCode,
    period: r.period,
    dims: parseDimsKey(r.dimsKey),
    value: r.value,
    flag: r.flag,
    rounding_base: r.roundingBase,
    source: {
      id: r.sourceId,
      table: r.tableCode,
      title: s?.title ?? null,
      database: s?.database ?? null,
      stand: s?.stand ?? null,
      file: s?.fileName ?? null,
      sha256: s?.fileSha256 ?? null,
      licence: s?.licence ?? null,
      imported_at: s?.importedAt ?? null,
      imported_by: showAuthor ? (rel?.createdBy ?? null) : null,
      origin: r.origin,
    },
    release: { id: r.releaseId, status: rel?.status ?? null },
  };
}

/** A value a crosswalk made up for a former territory: no source, its method as the origin. */
export function harmonisedItem(h: HarmonisedRow, variable: Variable | undefined): ObservationItem {
  return {
    variable: h.variableId,
    label: variable?.label ?? h.variableId,
    unit: variable?.unit ?? '',
    region: h.regionCode,
    period: h.period,
    dims: parseDimsKey(h.dimsKey),
    value: h.value,
    flag: h.flag,
    rounding_base: 1,
    source: {
      id: null,
      table: null,
      title: null,
      database: null,
      stand: null,
      file: null,
      sha256: null,
      licence: null,
      imported_at: null,
      imported_by: null,
      origin: h.method,
    },
    release: { id: null, status: null },
  };
}

/**
 * The region codes whose observations a region code or group id stands for: a group's members
 * at the group's own level (so nothing is listed twice), a key as the registry resolves it (`DG`
 * and `DINSG` both the Bund). Empty when the code is unknown.
 */
export function observationRegionCodes(regions: RegionRegistry, code: string): string[] {
  if (regions.isGroup(code)) {
    return regions.members(code, regions.groupLevel(code)).map((r) => r.code);
  }
  const region = regions.resolveKey(code);
  return region ? [region.code] : [];
}
