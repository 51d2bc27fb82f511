/**
 * Builds a DuckDB store exactly as `bimo demo` does (regions, geometry, the two sample tables,
 * indicators) in a temp dir, for integration and browser tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDeps } from '../../src/api/app.ts';
import { computeAll, loadCatalog } from '../../src/indicators/index.ts';
import { importFile, loadRecipes } from '../../src/ingest/index.ts';
import { buildGeometries, buildRegionData, RegionRegistry } from '../../src/regions/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { LEAVERS_2023, POPULATION_2023, SAMPLE_DIR } from './sample.ts';

export async function buildDemoStore(store?: Store): Promise<AppDeps> {
  const s = store ?? (await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-demo-')) }));
  await s.replaceRegions(await buildRegionData(SAMPLE_DIR));
  await s.replaceGeometries(await buildGeometries(SAMPLE_DIR));
  const regions = new RegionRegistry(await s.loadRegions());
  const recipes = loadRecipes();
  for (const f of [LEAVERS_2023, POPULATION_2023]) {
    const [report] = await importFile(f, { store: s, regions, recipes });
    if (report?.status !== 'imported')
      throw new Error(`demo import failed: ${JSON.stringify(report?.issues.slice(0, 3))}`);
  }
  const catalog = loadCatalog();
  await computeAll(s, catalog, regions);
  return { store: s, regions, catalog };
}
