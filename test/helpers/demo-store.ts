/**
 * Builds a DuckDB store exactly as `bimo demo` does (regions, geometry, the two sample tables,
 * indicators) in a temp dir, for integration and browser tests.
 */
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { AppDeps } from '../../src/api/app.ts';
import { computeAll, loadCatalog, loadCatalogFull } from '../../src/indicators/index.ts';
import { updatePeerGroups } from '../../src/indicators/peer-update.ts';
import { importFile, loadRecipes } from '../../src/ingest/index.ts';
import { buildGeometries, buildRegionData, RegionRegistry } from '../../src/regions/index.ts';
import { DUCKDB_FILE, openStore, type Store } from '../../src/store/index.ts';
import { DEMO_FILES } from '../../src/cli/commands/serve.ts';
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

/** Builds the full demo store (every `DEMO_FILES` sample, peer groups, all indicators) in `dataDir`. */
export async function buildFullDemoStoreIn(dataDir: string): Promise<AppDeps> {
  const s = await openStore({ dataDir });
  await s.replaceRegions(await buildRegionData(SAMPLE_DIR));
  await s.replaceGeometries(await buildGeometries(SAMPLE_DIR));
  const regions = new RegionRegistry(await s.loadRegions());
  const recipes = loadRecipes();
  for (const f of DEMO_FILES) {
    const [report] = await importFile(join(SAMPLE_DIR, f), { store: s, regions, recipes });
    if (report?.status !== 'imported')
      throw new Error(`demo import of ${f} failed: ${JSON.stringify(report?.issues.slice(0, 3))}`);
  }
  // As `bimo compute` does: peer groups first, then every indicator with disclosure control.
  await updatePeerGroups(s, regions);
  const withPeers = new RegionRegistry(await s.loadRegions());
  const full = loadCatalogFull();
  await computeAll(s, full.indicators, withPeers, undefined, full.disclosure);
  return { store: s, regions: withPeers, catalog: full.indicators };
}

/** The data dir of the full demo store the test run built once (global setup), if any. */
function sharedFullDemo(): string | undefined {
  try {
    const dir = inject('fullDemoDir');
    return dir && existsSync(join(dir, DUCKDB_FILE)) ? dir : undefined;
  } catch {
    return undefined; // outside vitest (bench scripts)
  }
}

/**
 * A DuckDB store with every sample file the demo imports (`DEMO_FILES`: one per recipe) and all
 * indicators computed, for tests of the whole catalog against hand-checked values. In a test run
 * it is a private copy of the store the global setup built once (so writes stay in the test).
 */
export async function buildFullDemoStore(): Promise<AppDeps> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bimo-full-'));
  const shared = sharedFullDemo();
  if (!shared) return buildFullDemoStoreIn(dataDir);
  cpSync(shared, dataDir, { recursive: true });
  const store = await openStore({ dataDir });
  const regions = new RegionRegistry(await store.loadRegions());
  return { store, regions, catalog: loadCatalogFull().indicators };
}

/** A copy of the full demo data directory, for a process that opens it itself (the CLI). */
export async function fullDemoDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bimo-full-'));
  const shared = sharedFullDemo();
  if (shared) {
    cpSync(shared, dataDir, { recursive: true });
    return dataDir;
  }
  const deps = await buildFullDemoStoreIn(dataDir);
  await deps.store.close();
  return dataDir;
}
