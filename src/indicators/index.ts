/** Indicators: the catalog and the computation engine. */
export {
  loadCatalog,
  parseCatalog,
  CATALOG_FILE,
  type Indicator,
  type Selector,
} from './catalog.ts';
export { computeIndicator, computeAll, TOTAL_ITEM, type RegionTree } from './compute.ts';
