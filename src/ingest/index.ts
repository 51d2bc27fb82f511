/** Ingest: detect → parse → validate → map → commit, with an ImportReport for every file. */
export {
  importFile,
  importBytes,
  STREAM_THRESHOLD,
  type ImportOptions,
  type ImportProgress,
} from './import.ts';
export { importUpload, uploadName } from './upload.ts';
export { loadRecipes, parseRecipe, RECIPE_DIR, type Recipe } from './recipe.ts';
export { formatReport, type ImportReport, type ImportIssue } from './report.ts';
export { decodeText } from './decode.ts';
export type { RegionLookup } from './mapping.ts';
export * as classicCsv from './formats/classic-csv/index.ts';
export { advanceRelease, diffReleases, type CellChange } from './releases.ts';
