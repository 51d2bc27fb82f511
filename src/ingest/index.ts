/** Ingest: detect → parse → validate → map → commit, with an ImportReport for every file. */
export { importFile, importBytes, type ImportOptions } from './import.ts';
export { loadRecipes, parseRecipe, RECIPE_DIR, type Recipe } from './recipe.ts';
export { formatReport, type ImportReport, type ImportIssue } from './report.ts';
export { decodeText } from './decode.ts';
export type { RegionLookup } from './mapping.ts';
export * as classicCsv from './formats/classic-csv/index.ts';
export { advanceRelease, diffReleases, type CellChange } from './releases.ts';
