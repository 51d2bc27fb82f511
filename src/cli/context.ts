/**
 * What every command needs: the data dir, the store, the region registry, the recipes and the
 * catalog, resolved from flags and environment. Output goes through `out`/`log` so tests can
 * capture it.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadCatalog,
  loadCatalogFull,
  loadRegistry,
  type Catalog,
  type Indicator,
} from '../indicators/index.ts';
import { openStore, type Store, type StoreOptions } from '../store/index.ts';

export interface Io {
  /** Results (stdout). */
  out(text: string): void;
  /** Progress and diagnostics (stderr). */
  log(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  log: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
  cwd: process.cwd(),
};

export interface GlobalOptions {
  'data-dir'?: string | undefined;
}

export function dataDirOf(opts: GlobalOptions, io: Io): string {
  return resolve(io.cwd, opts['data-dir'] ?? io.env.BIMO_DATA_DIR ?? 'data');
}

/** Default sample data: ../shared/data beside the checkout, or BIMO_SAMPLE_DATA. */
export function sampleDirOf(io: Io, flag?: string): string {
  const fallback = fileURLToPath(new URL('../../../shared/data', import.meta.url));
  return resolve(io.cwd, flag ?? io.env.BIMO_SAMPLE_DATA ?? fallback);
}

export async function openContext(
  opts: GlobalOptions,
  io: Io,
  extra: Pick<StoreOptions, 'waitMs' | 'log'> = {},
): Promise<{ store: Store; dataDir: string }> {
  const dataDir = dataDirOf(opts, io);
  const store = await openStore({ dataDir, databaseUrl: io.env.DATABASE_URL, ...extra });
  return { store, dataDir };
}

export { loadRegistry };

export function catalog(): Indicator[] {
  return loadCatalog();
}

export function catalogFull(): Catalog {
  return loadCatalogFull();
}
