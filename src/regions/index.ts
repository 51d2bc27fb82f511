/** Public surface of the region registry: hierarchy, groups, names and map geometry. */
export {
  buildRegionData,
  AACHEN_REFORM_DATE,
  AACHEN_STADT,
  STAEDTEREGION_AACHEN,
} from './build.ts';
export type { RegionData } from './build.ts';
export { buildGeometries, geometryAttribution } from './geometry.ts';
export type { GeometryProperties, GeometrySet, GeometrySetId } from './geometry.ts';
export { normaliseName, RegionRegistry } from './registry.ts';
export { GROUP_DEFINITIONS } from './groups.ts';
export type { GroupDefinition } from './groups.ts';
export { BUND_NAME, LAND_NAMES, RB_NAMES, gemeindeLabel, kreisLabel, rbLabel } from './names.ts';
export { GEMEINDE_NRW_BOUNDARY_FILE, KREIS_BOUNDARY_FILE } from './boundaries.ts';
export { harmonise, loadCrosswalks, partsOf, periodEnd } from './crosswalk.ts';
export type { Crosswalk, CrosswalkRow, HarmonisedRow } from './crosswalk.ts';
