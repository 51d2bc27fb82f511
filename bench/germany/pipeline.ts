/**
 * bimo's own work on the generated Germany-scale files, as `bimo init`, `bimo import` and
 * `bimo compute` do it: regions into the store, every file imported (published), then peer
 * groups and every active indicator with disclosure control (recomputeIndicators). Shared by the
 * bench (bench/germany/child.ts) and the test (test/integration/germany-scale.test.ts).
 */
import { importFile, loadRecipes } from '../../src/ingest/index.ts';
import { loadCatalogFull, recomputeIndicators } from '../../src/indicators/index.ts';
import { RegionRegistry, type RegionData } from '../../src/regions/index.ts';
import type { Store } from '../../src/store/index.ts';
import type { Manifest } from './generate.ts';

export interface ImportResult {
  ms: number;
  rows: number;
  observations: number;
  files: { table: string; ms: number; rows: number; observations: number; left: number }[];
}

export async function importAll(
  store: Store,
  regionData: RegionData,
  manifest: Manifest,
  onProgress?: (message: string) => void,
): Promise<ImportResult> {
  await store.replaceRegions(regionData);
  const regions = new RegionRegistry(await store.loadRegions());
  const recipes = loadRecipes();
  const t0 = performance.now();
  const result: ImportResult = { ms: 0, rows: 0, observations: 0, files: [] };
  for (const f of manifest.files) {
    const t = performance.now();
    let last = 0;
    const [r] = await importFile(f.path, {
      store,
      regions,
      recipes,
      onProgress: (p) => {
        if (performance.now() - last < 5000) return;
        last = performance.now();
        onProgress?.(`    … ${f.table} ${p.phase} ${Math.floor((p.bytes / p.totalBytes) * 100)} %`);
      },
    });
    if (r?.status !== 'imported') {
      throw new Error(
        `${f.path}: ${r?.status ?? 'no report'}: ${JSON.stringify(r?.issues.slice(0, 3))}`,
      );
    }
    const ms = performance.now() - t;
    result.files.push({
      table: f.table,
      ms,
      rows: r.rows.total,
      observations: r.observations,
      left: r.rows.total - r.rows.accepted,
    });
    result.rows += r.rows.total;
    result.observations += r.observations;
    onProgress?.(
      `  imported ${f.table.padEnd(16)} ${r.rows.total.toLocaleString('de-DE').padStart(10)} rows in ${(ms / 1000).toFixed(1)} s`,
    );
  }
  result.ms = performance.now() - t0;
  return result;
}

export interface ComputeResult {
  ms: number;
  values: number;
  counts: Record<string, number>;
}

/** `bimo compute`: peer groups, then every active indicator (or only `ids`) of the catalog. */
export async function computeIndicators(
  store: Store,
  ids?: readonly string[],
  onProgress?: (message: string) => void,
): Promise<ComputeResult> {
  const full = loadCatalogFull();
  const indicators = ids ? full.indicators.filter((i) => ids.includes(i.id)) : full.indicators;
  const t0 = performance.now();
  const r = await recomputeIndicators(store, { indicators, disclosure: full.disclosure }, (m) =>
    onProgress?.(`    ${m}`),
  );
  const values = Object.values(r.counts).reduce((a, b) => a + b, 0);
  return { ms: performance.now() - t0, values, counts: r.counts };
}
