/**
 * API benchmark (`npm run bench:api`): latency (p50, p99) and requests per second of the values
 * and map-data endpoints and an indicator page, each side by side with the same bytes served as a
 * static file by the same server. Not a test: nothing here asserts a time.
 *
 * The server (bench/api-server.ts) runs in a child process: the full demo store is built once in
 * a temp dir, the real app (`createApp` + `mountWeb`) listens on 127.0.0.1 on a free port, and the
 * bench adds one route to it, `/bench-static/:name`. This process fetches every benchmarked
 * response once, writes its exact bytes to the temp dir, and has the server load them (read once,
 * then served from memory with the same Content-Type and Cache-Control plus an ETag). The load
 * generator, autocannon, runs here, so it never competes with the server for its event loop.
 *
 *   npm run bench:api                                   # 10 connections, 10 s per run
 *   BENCH_DURATION=3 BENCH_CONNECTIONS=50 npm run bench:api
 *   BENCH_WARMUP=0 npm run bench:api                    # no warm-up run (default 2 s)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { FromServer, StaticFile, ToServer } from './api-server.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);

/** What bench/api.ts uses of autocannon's programmatic API (the package ships no types). */
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { average: number; total: number };
}
interface AutocannonRun extends PromiseLike<AutocannonResult> {
  on(
    event: 'response',
    fn: (client: unknown, status: number, bytes: number, ms: number) => void,
  ): void;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  warmup?: { connections: number; duration: number };
}) => AutocannonRun;
const load = createRequire(import.meta.url);
const autocannon = load('autocannon') as Autocannon;
const AUTOCANNON_VERSION = (load('autocannon/package.json') as { version: string }).version;

/**
 * The benchmarked requests: values (every Kreis for one year, 400 rows; and a larger query), map
 * data (the TopoJSON of the Kreise and of the NRW Gemeinden) and an indicator page.
 */
const ENDPOINTS: { path: string; name: string }[] = [
  { path: '/api/v1/indicators/D6/values?level=kreis&period=2023', name: 'values-d6-kreis.json' },
  // The largest values query in the demo data: A7 for every Gemeinde, both years (792 rows).
  { path: '/api/v1/indicators/A7/values?level=gemeinde', name: 'values-a7-gemeinde.json' },
  { path: '/api/v1/geometry/kreise', name: 'geometry-kreise.json' },
  { path: '/api/v1/geometry/gemeinden-nrw', name: 'geometry-gemeinden-nrw.json' },
  { path: '/indikatoren/D6', name: 'indikatoren-d6.html' },
];

interface Measured {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: Float64Array, p: number): number =>
  sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;

/**
 * One autocannon run. p50/p99 come from every 2xx response's own time (autocannon reports it in
 * fractional ms; its histogram would round to whole ms, too coarse for the static twins); req/s is
 * autocannon's mean of its per-second samples.
 */
async function measure(url: string): Promise<Measured> {
  const times: number[] = [];
  const run = autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    ...(WARMUP > 0 ? { warmup: { connections: CONNECTIONS, duration: WARMUP } } : {}),
  });
  run.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) times.push(ms);
  });
  const r = await run;
  if (r.errors || r.timeouts || r.non2xx) {
    console.warn(
      `  warning: ${url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx responses`,
    );
  }
  const sorted = Float64Array.from(times).sort();
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    rps: r.requests.average,
    requests: r.requests.total,
  };
}

async function get(url: string): Promise<{ body: Buffer; type: string; cache: string | null }> {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200)
    throw new Error(`${url}: HTTP ${res.status} ${body.toString().slice(0, 300)}`);
  return {
    body,
    type: res.headers.get('content-type') ?? '',
    cache: res.headers.get('cache-control'),
  };
}

function startServer(work: string): { child: ChildProcess; next: () => Promise<FromServer> } {
  const child = fork(join(ROOT, 'bench/api-server.ts'), [work], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (): Promise<FromServer> =>
    new Promise((res, rej) => {
      const onExit = (code: number | null): void =>
        rej(new Error(`bench/api-server.ts exited early (code ${code})`));
      child.once('exit', onExit);
      child.once('message', (m: FromServer) => {
        child.off('exit', onExit);
        res(m);
      });
    });
  return { child, next };
}

const fmt = (n: number, d = 0): string =>
  n.toLocaleString('de-DE', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bimo-bench-api-'));
  const { child, next } = startServer(work);
  try {
    const first = await next();
    if (first.type !== 'listening') throw new Error(`unexpected message ${first.type}`);
    const base = `http://127.0.0.1:${first.port}`;

    // The exact bytes of every dynamic response, written once, then loaded by the server.
    mkdirSync(join(work, 'static'));
    const files: (StaticFile & { bytes: number })[] = [];
    for (const e of ENDPOINTS) {
      const r = await get(base + e.path);
      const again = await get(base + e.path);
      if (!again.body.equals(r.body)) console.warn(`  note: ${e.path} differs between requests`);
      const path = join(work, 'static', e.name);
      writeFileSync(path, r.body);
      files.push({
        name: e.name,
        path,
        contentType: r.type,
        cacheControl: r.cache,
        bytes: r.body.length,
      });
    }
    child.send({ type: 'static', files } satisfies ToServer);
    if ((await next()).type !== 'static-ready') throw new Error('server did not load the files');
    for (const f of files) {
      const s = await get(`${base}/bench-static/${f.name}`);
      if (s.body.length !== f.bytes || s.type !== f.contentType)
        throw new Error(`static twin of ${f.name} differs from the dynamic response`);
    }

    const cpu = cpus();
    console.log(
      [
        `bench/api — ${new Date().toISOString()}`,
        `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores (${availableParallelism()} available), ${fmt(totalmem() / 1024 ** 3)} GB RAM, ${platform()} ${release()}`,
        `node ${process.version}, autocannon ${AUTOCANNON_VERSION} on 127.0.0.1 (server in a child process)`,
        `${CONNECTIONS} connections, ${DURATION} s per run after a ${WARMUP} s warm-up; static = same bytes from /bench-static/ on the same server, held in memory`,
        '',
      ].join('\n'),
    );

    const header = [
      'endpoint',
      'bytes',
      'p50 ms',
      'p99 ms',
      'req/s',
      'static p50',
      'static p99',
      'static req/s',
      'static ÷ dynamic',
    ];
    const table: string[][] = [];
    for (const [i, e] of ENDPOINTS.entries()) {
      const f = files[i];
      if (!f) continue;
      process.stderr.write(`  ${e.path} …`);
      const d = await measure(base + e.path);
      process.stderr.write(' static twin …');
      const s = await measure(`${base}/bench-static/${f.name}`);
      process.stderr.write(' done\n');
      table.push([
        `GET ${e.path}`,
        fmt(f.bytes),
        fmt(d.p50, 2),
        fmt(d.p99, 2),
        fmt(d.rps),
        fmt(s.p50, 2),
        fmt(s.p99, 2),
        fmt(s.rps),
        `${fmt(s.rps / d.rps, 1)}×`,
      ]);
    }
    const widths = header.map((h, i) =>
      Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)),
    );
    console.log('');
    for (const row of [header, ...table]) {
      console.log(
        row
          .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
          .join('  '),
      );
    }
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, 'exit');
      child.send({ type: 'stop' } satisfies ToServer);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
