/**
 * Observations, variables, dimensions, sources and releases: the stored facts.
 * Every value keeps its flag, its source and its release.
 */
import type { Flag } from './flags.ts';
import type { PeriodKind } from './period.ts';

export interface Variable {
  id: string;
  label: string;
  unit: string;
  /** EVAS statistic number, e.g. `21111`. */
  statistic: string;
  periodKind: PeriodKind;
  /** Counts can be summed over regions; rates and averages cannot. */
  additive: boolean;
  /** The recipe says that `-` means "nothing" here, so it may count as 0 in formulas. */
  dashIsZero: boolean;
}

export interface DimensionItem {
  dimensionId: string;
  code: string;
  label: string;
  isTotal: boolean;
}

/** Dimension items of one observation, e.g. `{ geschlecht: 'insgesamt', abschluss: 'ohne_esa' }`. */
export type Dims = Record<string, string>;

/** Stable text form of a dims object: keys sorted, `key=value` joined by `;`. */
export function dimsKey(dims: Dims): string {
  return Object.keys(dims)
    .sort()
    .map((k) => `${k}=${dims[k]}`)
    .join(';');
}

export function parseDimsKey(key: string): Dims {
  const dims: Dims = {};
  if (key === '') return dims;
  for (const part of key.split(';')) {
    const i = part.indexOf('=');
    dims[part.slice(0, i)] = part.slice(i + 1);
  }
  return dims;
}

export interface Observation {
  variableId: string;
  regionCode: string;
  /** Period key (see Period). */
  period: string;
  dimsKey: string;
  value: number | null;
  flag: Flag | null;
  /** 1 = exact; 5 = NRW school statistics rounded to multiples of 5. */
  roundingBase: number;
  sourceId: string;
  releaseId: number;
  /** Where the value came from in its file: `line:column`. */
  origin: string;
}

export interface Source {
  id: string;
  tableCode: string;
  title: string;
  database: string;
  /** `Stand` date of the file, ISO. */
  stand: string | null;
  fileName: string;
  fileSha256: string;
  importedAt: string;
  licence: string;
  footnotes: string;
  /** The release the import of this file created; set when read from the store. */
  releaseId?: number;
}

export type ReleaseStatus = 'draft' | 'approved' | 'published';

export interface Release {
  /** Increasing number: a later release supersedes an earlier one for the same cell. */
  id: number;
  status: ReleaseStatus;
  createdBy: string;
  createdAt: string;
  publishedAt: string | null;
  /**
   * When the indicator values of the data as of this release were completed. A published
   * release is served (the default of every reader) only from then on; null while its
   * computation runs or after it was interrupted (`bimo compute` finishes it).
   */
  computedAt: string | null;
  note: string;
}
