/**
 * Germany-scale benchmark (`npm run bench:germany`): on the same generated data (every Gemeinde
 * and Kreis of Germany, 60 variables, 25 years; bench/germany/generate.ts, cached in the temp
 * dir per scale, seed and years), in one run and for each backend:
 *   (a) bimo's import of the flat files vs DuckDB's read_csv of the same files into one table;
 *   (b) bimo's aggregation + indicator computation (as `bimo compute`) vs the same work for the
 *       same indicators as ONE DuckDB SQL query (bench/germany/reference.ts), with a check that
 *       both give the same values;
 *   (c) bimo's API (values of every Gemeinde / Kreis for one year) vs the same bytes served
 *       statically by the same server (as bench/api.ts).
 * Each side runs in its own child process; peak memory is that process's maxRSS, and the PSS of
 * this process and all its children sampled every 500 ms (a PostgreSQL server is not a child).
 * Not a test: nothing asserts a time.
 *
 *   npm run bench:germany                                    # full scale, DuckDB and PostgreSQL
 *   BENCH_SCALE=0.05 BENCH_BACKENDS=duckdb npm run bench:germany
 *   DATABASE_URL=postgres://… npm run bench:germany          # an existing (empty) database
 */
import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { FromServer, StaticFile, ToServer } from '../api-server.ts';
import { startPgCluster, type PgCluster } from '../../test/helpers/pg-cluster.ts';
import { generate, type Manifest } from './generate.ts';
import { germanyRegionData } from './regions.ts';
import { treeMemoryMb } from '../memory.ts';
import type { Agreement } from './reference.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = resolve(process.env.BIMO_SAMPLE_DATA ?? join(ROOT, '../shared/data'));
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const YEARS = Number(process.env.BENCH_YEARS ?? 25);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'duckdb,postgres').split(',');
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const fmt = (n: number | null, d = 0): string =>
  (n ?? NaN).toLocaleString('de-DE', { maximumFractionDigits: d, minimumFractionDigits: d });
const log = (m: string): void => void process.stderr.write(`${m}\n`);

/** Peak of the sampled PSS (this process and its children) between start() and stop(). */
function sampler(): { start(): void; stop(): number } {
  let peak = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      peak = treeMemoryMb();
      timer = setInterval(() => (peak = Math.max(peak, treeMemoryMb())), 500);
    },
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeMemoryMb());
    },
  };
}

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  return new Promise((res, rej) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bench/germany/child.ts'), ...args],
      { cwd: ROOT, env, maxBuffer: 1 << 26 },
      (err, stdout) => {
        if (err) rej(err);
        else res(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>);
      },
    );
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  });
}

async function data(): Promise<Manifest> {
  const dir = join(tmpdir(), `bimo-germany-s${SCALE}-seed${SEED}-y${YEARS}`);
  const path = join(dir, 'manifest.json');
  if (existsSync(path)) {
    log(`generated data: cached in ${dir}`);
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  }
  log(`generating scale ${SCALE}, seed ${SEED}, ${YEARS} years into ${dir} …`);
  const t0 = performance.now();
  const m = await generate({
    out: dir,
    scale: SCALE,
    seed: SEED,
    years: YEARS,
    regionData: await germanyRegionData(SAMPLE),
    onProgress: log,
  });
  log(`  generated in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  return m;
}

interface AutocannonResult {
  errors: number;
  non2xx: number;
  requests: { average: number };
}
interface AutocannonRun extends PromiseLike<AutocannonResult> {
  on(event: 'response', fn: (c: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  warmup?: { connections: number; duration: number };
}) => AutocannonRun;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function measure(url: string): Promise<{ p50: number; rps: number }> {
  const times: number[] = [];
  const run = autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    warmup: { connections: CONNECTIONS, duration: 2 },
  });
  run.on('response', (_c, status, _b, ms) => {
    if (status >= 200 && status < 300) times.push(ms);
  });
  const r = await run;
  if (r.errors || r.non2xx) log(`  warning: ${url}: ${r.errors} errors, ${r.non2xx} non-2xx`);
  const sorted = Float64Array.from(times).sort();
  return { p50: sorted[Math.floor(sorted.length / 2)] ?? NaN, rps: r.requests.average };
}

async function api(
  backend: string,
  dataDir: string,
  env: NodeJS.ProcessEnv,
  work: string,
  year: number,
): Promise<string[][]> {
  const child = fork(join(ROOT, 'bench/germany/server.ts'), [dataDir], {
    cwd: ROOT,
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (): Promise<FromServer> =>
    new Promise((res, rej) => {
      const onExit = (code: number | null): void => rej(new Error(`server exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m: FromServer) => {
        child.off('exit', onExit);
        res(m);
      });
    });
  const rows: string[][] = [];
  try {
    const first = await next();
    if (first.type !== 'listening') throw new Error('server did not start');
    const base = `http://127.0.0.1:${first.port}`;
    const endpoints = [
      `/api/v1/indicators/A1/values?level=gemeinde&period=${year}`,
      `/api/v1/indicators/A9a/values?level=gemeinde&period=${year}`,
      `/api/v1/indicators/F1b/values?level=kreis&period=${year}`,
    ];
    const files: (StaticFile & { bytes: number })[] = [];
    for (const [i, path] of endpoints.entries()) {
      const res = await fetch(base + path);
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200)
        throw new Error(`${path}: HTTP ${res.status} ${body.toString().slice(0, 200)}`);
      const file = join(work, `${backend}-${i}.json`);
      writeFileSync(file, body);
      files.push({
        name: `${backend}-${i}.json`,
        path: file,
        contentType: res.headers.get('content-type') ?? '',
        cacheControl: res.headers.get('cache-control'),
        bytes: body.length,
      });
    }
    child.send({ type: 'static', files } satisfies ToServer);
    if ((await next()).type !== 'static-ready') throw new Error('static files not loaded');
    for (const [i, path] of endpoints.entries()) {
      const f = files[i];
      if (!f) continue;
      log(`  ${backend} GET ${path} (${fmt(f.bytes)} bytes) …`);
      const d = await measure(base + path);
      const s = await measure(`${base}/bench-static/${f.name}`);
      rows.push([
        `API GET ${path.replace('/api/v1/indicators/', '…/')} (${fmt(f.bytes / 1024)} KB)`,
        backend,
        `${fmt(d.p50, 1)} ms p50, ${fmt(d.rps)} req/s`,
        `${fmt(s.p50, 1)} ms p50, ${fmt(s.rps)} req/s (static)`,
        `${fmt(s.rps / d.rps, 1)}×`,
        '',
      ]);
    }
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, 'exit');
      child.send({ type: 'stop' } satisfies ToServer);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const manifest = await data();
  const totalRows = manifest.files.reduce((n, f) => n + f.rows, 0);
  const totalBytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
  const work = join(tmpdir(), `bimo-germany-run-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const manifestPath = join(work, 'manifest.json');
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const table: string[][] = [];
  const lastYear = manifest.years.at(-1) ?? 2024;
  let cluster: PgCluster | undefined;
  const checks: string[] = [];
  try {
    const mem = sampler();
    for (const backend of BACKENDS) {
      const env = { ...process.env };
      delete env.DATABASE_URL;
      if (backend === 'postgres') {
        if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
        else {
          cluster = await startPgCluster({ database: 'bimo_germany', log });
          env.DATABASE_URL = cluster.url;
        }
      }
      const dataDir = join(work, `db-${backend}`);
      log(`\n${backend}: importing ${manifest.files.length} files, then computing …`);
      mem.start();
      const t0 = performance.now();
      const b = await runChild(
        ['bimo', manifestPath, dataDir, join(work, `ours-${backend}.tsv`)],
        env,
      );
      const wall = performance.now() - t0;
      const pss = mem.stop();
      const imported = b.imported as { ms: number; rows: number; observations: number };
      const all = b.all as { ms: number; values: number };
      const four = b.four as { ms: number; values: number };
      const rss = `${fmt(Number(b.maxRssMb))} MB RSS, ${fmt(pss)} MB PSS`;
      table.push([
        `import: ${manifest.files.length} files, ${fmt(imported.rows)} rows → ${fmt(imported.observations)} values`,
        backend,
        `${fmt(imported.ms / 1000, 1)} s`,
        'REF_READ',
        'RATIO_READ',
        `${fmt(Number(b.importRssMb))} MB RSS`,
      ]);
      table.push([
        `aggregation + indicators A1, A9a, F1b, A2a: ${fmt(four.values)} values`,
        backend,
        `${fmt(four.ms / 1000, 1)} s`,
        'REF_QUERY',
        'RATIO_QUERY',
        rss,
      ]);
      table.push([
        `bimo compute, every indicator: ${fmt(all.values)} values`,
        backend,
        `${fmt(all.ms / 1000, 1)} s`,
        '–',
        '',
        '',
      ]);
      log(`  ${backend} done in ${fmt(wall / 1000, 1)} s`);
      table.push(...(await api(backend, dataDir, env, work, lastYear)));
      if (cluster) {
        await cluster.stop();
        cluster = undefined;
      }
    }
    log('\nreference: DuckDB read_csv of the same files, then one SQL query …');
    const first = BACKENDS[0] ?? 'duckdb';
    mem.start();
    const r = await runChild(
      ['reference', manifestPath, join(work, 'ref.duckdb'), join(work, `ours-${first}.tsv`)],
      process.env,
    );
    const refPss = mem.stop();
    const readMs = Number(r.readMs);
    const queryMs = Number(r.queryMs);
    for (const row of table) {
      const bimoS = Number((row[2] ?? '').replace(' s', '').replace('.', '').replace(',', '.'));
      if (row[3] === 'REF_READ') {
        row[3] = `${fmt(readMs / 1000, 1)} s read_csv`;
        row[4] = `${fmt((bimoS * 1000) / readMs, 1)}×`;
        row[5] += ` / ${fmt(Number(r.readRssMb))} MB`;
      } else if (row[3] === 'REF_QUERY') {
        row[3] = `${fmt(queryMs / 1000, 1)} s one query`;
        row[4] = `${fmt((bimoS * 1000) / queryMs, 1)}×`;
        row[5] += ` / ${fmt(Number(r.maxRssMb))} MB RSS, ${fmt(refPss)} MB PSS`;
      }
    }
    const c = r.check as Agreement;
    checks.push(
      `check (${first} vs reference, A1/A9a/F1b/A2a, hierarchy regions): ${fmt(c.reference)} reference values, ${fmt(c.matched)} also computed by bimo, ${fmt(c.equal)} equal (max relative difference ${c.maxRelDiff.toExponential(1)})`,
      ...c.samples.map(
        (s) =>
          `  ${s.indicator} ${s.region} ${s.period}: bimo ${fmt(s.ours, 4)}, reference ${fmt(s.ref, 4)}`,
      ),
    );
    if (BACKENDS.length > 1) checks.push(compareBackends(work, BACKENDS));
  } finally {
    await cluster?.stop();
  }
  const cpu = cpus();
  const header = [
    'phase',
    'backend',
    'bimo',
    'reference',
    'bimo ÷ ref',
    'peak memory (bimo / ref)',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
  console.log(
    [
      `bench/germany — ${new Date().toISOString()}`,
      `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${fmt(totalmem() / 1024 ** 3)} GB RAM, ${platform()} ${release()}, node ${process.version}`,
      `data: scale ${SCALE}, seed ${SEED}, ${manifest.years.length} years (${manifest.years[0]}–${lastYear}), ${fmt(manifest.kreise)} Kreise, ${fmt(manifest.gemeinden)} Gemeinden, ${manifest.files.length} ffcsv files, ${fmt(totalRows)} rows, ${fmt(totalBytes / 1024 ** 2)} MB`,
      `API: ${CONNECTIONS} connections, ${DURATION} s per run after 2 s warm-up; static = same bytes from memory on the same server`,
      '',
      ...[header, ...table].map((row) =>
        row
          .map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
          .join('  '),
      ),
      '',
      ...checks,
    ].join('\n'),
  );
  rmSync(work, { recursive: true, force: true });
}

/** Whether every backend computed the same values (the TSVs the bimo children wrote). */
function compareBackends(work: string, backends: string[]): string {
  const read = (b: string): Map<string, string> => {
    const m = new Map<string, string>();
    for (const line of readFileSync(join(work, `ours-${b}.tsv`), 'utf8')
      .split('\n')
      .slice(1)) {
      const cut = line.lastIndexOf('\t');
      if (cut > 0) m.set(line.slice(0, cut), line.slice(cut + 1));
    }
    return m;
  };
  const [a, ...rest] = backends.map(read);
  const out: string[] = [];
  rest.forEach((b, i) => {
    let same = 0;
    let differ = 0;
    for (const [k, v] of a ?? []) {
      const w = b.get(k);
      if (w === undefined) continue;
      if (w === v || Math.abs(Number(w) - Number(v)) <= 1e-9 * Math.max(1, Math.abs(Number(v))))
        same++;
      else differ++;
    }
    out.push(
      `backends: ${backends[0]} ${fmt(a?.size ?? 0)} values, ${backends[i + 1]} ${fmt(b.size)}; ${fmt(same)} equal, ${fmt(differ)} differ`,
    );
  });
  return out.join('\n');
}

await main();
