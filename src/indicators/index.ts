/** Indicators: the catalog, the formula language, the computation engine and disclosure control. */
export {
  AREA_IDS,
  loadCatalog,
  loadCatalogFull,
  parseIndicators,
  CATALOG_DIR,
  type Area,
  type Catalog,
  type FormulaIndicator,
  type GapIndicator,
  type Handlungsfeld,
  type Indicator,
  type LifePhase,
  type Question,
} from './catalog.ts';
export { computeIndicator, TOTAL_ITEM, type RegionTree } from './compute.ts';
export { applyDisclosure, computeAll, computeGap } from './compute-all.ts';
export { COMPLEMENTS } from './parts.ts';
export { loadRegistry, recomputeIndicators, type RecomputeResult } from './recompute.ts';
export { blankSuppressed } from './disclosure/index.ts';
export { compareRegion, type ComparedValue, type Comparison, type Reference } from './compare.ts';
