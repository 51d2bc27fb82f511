/**
 * Server render time of an indicator page on the full demo store: the first request in a fresh
 * process, then `app.request` 20× (median and p90). The first request is measured three ways,
 * each path and way in its own child process, so that no run inherits another's warm caches or
 * compiled code:
 * `none` (the app as tests create it), `values` (after the value-cache warm-up only) and `serve`
 * (after the whole start-up warm-up of `bimo serve`, src/cli/commands/serve.ts).
 * Run: npx tsx bench/indicator-page.ts [path ...]
 * (BENCH_DATA_DIR=dir reuses a full demo store built there before instead of building one.)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../src/api/app.ts';
import { warmValueCache, withValueCache } from '../src/api/value-cache.ts';
import { warmUp } from '../src/cli/commands/serve.ts';
import { loadCatalog } from '../src/indicators/index.ts';
import { RegionRegistry } from '../src/regions/index.ts';
import { openStore } from '../src/store/index.ts';
import { mountWeb } from '../src/web/routes.ts';
import { buildFullDemoStoreIn } from '../test/helpers/demo-store.ts';

const MODES = ['none', 'values', 'serve'] as const;
type Mode = (typeof MODES)[number];

/** One child: open the store as `bimo serve` does, warm up as `mode` says, measure the paths. */
async function child(mode: Mode, dataDir: string, paths: string[]): Promise<void> {
  const store = await openStore({ dataDir });
  const catalog = loadCatalog();
  const regions = new RegionRegistry(await store.loadRegions());
  const cached = withValueCache(store);
  const app = createApp({ store: cached, regions, catalog }, mountWeb);
  const w0 = performance.now();
  if (mode === 'values')
    await warmValueCache(
      cached,
      catalog.map((i) => i.id),
      () => {},
    );
  if (mode === 'serve') await warmUp(app, cached, catalog, () => {});
  const warm = performance.now() - w0;
  for (const path of paths) {
    const c0 = performance.now();
    await (await app.request(path)).text();
    const first = performance.now() - c0;
    for (let i = 0; i < 2; i++) await (await app.request(path)).text();
    const times: number[] = [];
    let bytes = 0;
    let status = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const res = await app.request(path);
      bytes = (await res.text()).length;
      status = res.status;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = ((times[9] ?? 0) + (times[10] ?? 0)) / 2;
    console.log(
      `${mode.padEnd(6)} ${path}: status ${status}, warm-up ${(warm / 1000).toFixed(1)} s, first ${first.toFixed(1)} ms, median ${median.toFixed(1)} ms, p90 ${(times[17] ?? 0).toFixed(1)} ms, ${Math.round(bytes / 1024)} KB`,
    );
  }
  await store.close();
}

async function main(paths: string[]): Promise<void> {
  const given = process.env.BENCH_DATA_DIR;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'bimo-bench-page-'));
  try {
    if (given === undefined) await (await buildFullDemoStoreIn(dir)).store.close();
    console.log(`bench/indicator-page — ${new Date().toISOString()}`);
    console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`);
    for (const path of paths) {
      for (const mode of MODES) await run(mode, dir, path);
    }
  } finally {
    if (given === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function run(mode: Mode, dir: string, path: string): Promise<void> {
  return new Promise<void>((done, fail) => {
    const proc = fork(
      resolve(import.meta.dirname, 'indicator-page.ts'),
      ['--child', mode, dir, path],
      {
        execArgv: ['--import', 'tsx'],
        stdio: 'inherit',
      },
    );
    proc.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${mode} run exited with ${code}`)),
    );
  });
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1] as Mode, args[2] ?? '', args.slice(3));
} else {
  await main(args.length > 0 ? args : ['/indikatoren/D6', '/indikatoren/D6?ebene=gemeinde']);
}
