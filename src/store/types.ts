/**
 * The Store contract: everything the rest of bimo asks of a database. Two backends implement
 * it (DuckDB embedded, PostgreSQL server); one contract suite runs against both.
 */
import type {
  DimensionItem,
  Flag,
  Observation,
  Region,
  RegionGroup,
  RegionGroupMember,
  Release,
  ReleaseStatus,
  Source,
  Variable,
} from '../domain/index.ts';

export interface RegionSet {
  regions: Region[];
  groups: RegionGroup[];
  members: RegionGroupMember[];
}

/**
 * A Sozialraum or other unit below the Gemeinde, defined by a Kommune in a Sozialraumliste
 * (docs/templates/README.md). Stored apart from the official registry, which a rebuild replaces;
 * `loadRegions` returns each as a region of level `sozialraum` under its Gemeinde.
 */
export interface LocalArea {
  code: string;
  name: string;
  parentCode: string;
  validFrom: string | null;
  validTo: string | null;
  /** The list (file) that last defined it. */
  listName: string;
}

export interface GeometryRecord {
  id: string;
  vintage: string;
  topojson: string;
}

/** Observations as an import delivers them: the store assigns the new release. */
export type NewObservation = Omit<Observation, 'releaseId'>;

/**
 * A part of one import: the variables and items first used in it, and its observations. A small
 * file is one chunk; a streamed file is many, so that memory stays bounded.
 */
export interface ImportChunk {
  variables: Variable[];
  dimensionItems: DimensionItem[];
  observations: NewObservation[];
}

/** One file's worth of facts, written in one transaction or not at all. */
export interface ImportBatch {
  source: Source;
  release: { status: ReleaseStatus; createdBy: string; note: string };
  /** Consumed inside the transaction; an error thrown by the iterator rolls everything back. */
  chunks: Iterable<ImportChunk> | AsyncIterable<ImportChunk>;
  /**
   * Streamed files are not checked for duplicate cells in memory: with this flag the store loads
   * them into a staging table first and refuses the import with a DuplicateCellsError naming the
   * cells and their places in the file.
   */
  checkDuplicates?: boolean;
  /**
   * Check everything (duplicates included), then roll back: the store throws ImportRolledBack
   * instead of returning a release. Dry runs of streamed files use it.
   */
  rollback?: boolean;
}

export interface ObservationQuery {
  variableIds?: string[];
  regionCodes?: string[];
  periods?: string[];
  tableCode?: string;
  /** Read the data as of this release; default: the latest published one. */
  releaseId?: number;
}

export interface ObservationRow extends Observation {
  tableCode: string;
  variableLabel: string;
  unit: string;
}

export interface IndicatorValue {
  indicatorId: string;
  regionCode: string;
  period: string;
  dimsKey: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  flag: Flag | null;
  /** Largest possible absolute error of the value caused by rounded inputs (0 = exact). */
  errorBound: number;
  /**
   * `published` (official total used), `aggregated` (summed from parts), `harmonised` (today's
   * unit from its former units before a territorial change), `group` (group sum).
   */
  method: 'published' | 'aggregated' | 'harmonised' | 'group';
  releaseId: number;
  /** Disclosure control per audience (absent: shown); readers blank suppressed values. */
  suppressed?: Partial<Record<Audience, Suppression>>;
}

/** Who reads: the public, or the members of the Lenkungskreis (who may see more). */
export type Audience = 'public' | 'member';
/** Primary: a small count itself; secondary: a cell that would let one recompute a primary one. */
export type Suppression = 'primary' | 'secondary';

/** Which periods and breakdown items an indicator has values for in a release. */
export interface IndicatorCoverage {
  periods: string[];
  dimsKeys: string[];
}

export interface IndicatorValueQuery {
  indicatorId: string;
  regionCodes?: string[];
  periods?: string[];
  dimsKey?: string;
  releaseId?: number;
}

export interface Store {
  readonly kind: 'duckdb' | 'postgres';
  /** Applies pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Replaces the official registry (regions and groups); local areas are kept. */
  replaceRegions(set: RegionSet): Promise<void>;
  /** The registry with the local areas whose Gemeinde it contains, as level `sozialraum`. */
  loadRegions(): Promise<RegionSet>;
  /** Replaces the region groups of one kind (e.g. the computed `peer` groups), others kept. */
  replaceGroupsOfKind(
    kind: RegionGroup['kind'],
    groups: RegionGroup[],
    members: RegionGroupMember[],
  ): Promise<void>;
  /** Adds or updates local areas in one transaction (others stay as they are). */
  saveLocalAreas(areas: LocalArea[], by: string): Promise<void>;
  listLocalAreas(): Promise<LocalArea[]>;
  replaceGeometries(records: GeometryRecord[]): Promise<void>;
  getGeometry(id: string): Promise<GeometryRecord | null>;

  /** A source already imported from a file with these bytes, if any (idempotent imports). */
  findSourceBySha(sha256: string): Promise<Source | null>;
  /** Writes a whole file in one transaction and returns the new release. */
  commitImport(batch: ImportBatch): Promise<Release>;
  listSources(): Promise<Source[]>;
  listVariables(): Promise<Variable[]>;
  listReleases(): Promise<Release[]>;
  getRelease(id: number): Promise<Release | null>;
  /** Moves a release along draft → approved → published (checked by the caller's rules). */
  setReleaseStatus(id: number, status: ReleaseStatus, by: string): Promise<Release>;
  latestPublishedRelease(): Promise<Release | null>;
  queryObservations(q: ObservationQuery): Promise<ObservationRow[]>;

  /** Replaces all values of the given indicators for one release. */
  replaceIndicatorValues(
    releaseId: number,
    indicatorIds: string[],
    values: IndicatorValue[],
  ): Promise<void>;
  queryIndicatorValues(q: IndicatorValueQuery): Promise<IndicatorValue[]>;
  /** Periods and dims keys with values (release default: latest published). */
  indicatorCoverage(indicatorId: string, releaseId?: number): Promise<IndicatorCoverage>;
}
