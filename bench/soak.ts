/**
 * Soak run (`npm run bench:soak`): a real `bimo serve` process on 127.0.0.1 answers a realistic
 * mix of portal and API requests for a bounded time, while this process samples the server's
 * memory (RSS) every few seconds. It passes when no request failed and memory stays flat: RSS
 * swings by a few hundred MB between garbage collections, so the measure is its floor, the
 * lowest sample of each minute; the slope of the floors over the second half of the run (after
 * caches have filled) must stay below `BENCH_SOAK_MAX_SLOPE` MB per minute (default 5). A leak
 * raises the floor minute by minute. Loopback only; never aimed at another host.
 *
 *   npm run bench:soak                                   # 10 minutes, 8 clients
 *   BENCH_SOAK_MINUTES=2 BENCH_SOAK_CLIENTS=16 npm run bench:soak
 *   BENCH_DATA_DIR=/tmp/full npm run bench:soak          # reuse a full demo store built there
 *
 * Exit code 0: no error and flat memory; 1 otherwise (the table says which).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../test/helpers/pg-cluster.ts';
import { buildFullDemoStoreIn } from '../test/helpers/demo-store.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MINUTES = Math.min(60, Number(process.env.BENCH_SOAK_MINUTES ?? 10));
const CLIENTS = Math.min(64, Number(process.env.BENCH_SOAK_CLIENTS ?? 8));
const MAX_SLOPE = Number(process.env.BENCH_SOAK_MAX_SLOPE ?? 5);
const SAMPLE_MS = 5000;

const REVIER_KREISE = ['05358', '05366', '05370', '05116', '05362', '05162', '05334'];
const GEMEINDEN = ['05358008', '05334002', '05362028', '05370016', '05366044', '05162024'];

/**
 * The request mix: kind, weight (share of requests) and a path maker. Indicators are the ones the
 * portal's own list links to (what visitors can reach).
 */
async function mix(base: string): Promise<{ kind: string; weight: number; path: () => string }[]> {
  const list = await (await fetch(`${base}/indikatoren`)).text();
  const indicators = [
    ...new Set([...list.matchAll(/href="\/indikatoren\/([A-Za-z0-9-]+)"/g)].map((m) => m[1] ?? '')),
  ];
  if (indicators.length < 10)
    throw new Error('the indicator list links to fewer than 10 indicators');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
  const level = () => pick(['kreis', 'gemeinde']);
  return [
    { kind: 'home', weight: 8, path: () => '/' },
    { kind: 'indicator page', weight: 20, path: () => `/indikatoren/${pick(indicators)}` },
    {
      kind: 'region profile',
      weight: 14,
      path: () => `/regionen/${pick([...REVIER_KREISE, ...GEMEINDEN])}`,
    },
    { kind: 'indicator list', weight: 5, path: () => '/indikatoren' },
    {
      kind: 'search',
      weight: 5,
      path: () =>
        `/suche?q=${encodeURIComponent(pick(['Düren', 'Schule', 'Kita', 'Aachen', 'Arbeit']))}`,
    },
    {
      kind: 'compare',
      weight: 4,
      path: () => `/vergleich?regionen=${pick(REVIER_KREISE)},${pick(REVIER_KREISE)}`,
    },
    {
      kind: 'API values',
      weight: 24,
      path: () => `/api/v1/indicators/${pick(indicators)}/values?level=${level()}`,
    },
    {
      kind: 'API catalog',
      weight: 6,
      path: () => pick(['/api/v1/indicators', '/api/v1/regions?level=kreis']),
    },
    {
      kind: 'map data',
      weight: 6,
      path: () => pick(['/api/v1/geometry/kreise', '/api/v1/geometry/gemeinden-nrw']),
    },
    {
      kind: 'CSV download',
      weight: 4,
      path: () => `/api/v1/indicators/${pick(indicators)}/values?format=csv&level=${level()}`,
    },
    { kind: 'static', weight: 4, path: () => pick(['/static/bimo.css', '/favicon.svg']) },
  ];
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const de = (n: number, digits = 0) =>
  n.toLocaleString('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<number> {
  const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'bimo-soak-'));
  if (!existsSync(join(dataDir, 'bimo.duckdb'))) {
    console.error(`building the full demo store in ${dataDir} …`);
    await (await buildFullDemoStoreIn(dataDir)).store.close();
  }
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      // e.g. BENCH_SOAK_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
      ...(process.env.BENCH_SOAK_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
      join(ROOT, 'bin/bimo.js'),
      'serve',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
    ],
    {
      env: { ...process.env, BIMO_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let serverErrors = 0;
  server.stderr.setEncoding('utf8').on('data', (t: string) => {
    for (const line of t.split('\n')) if (line.includes('"level":"error"')) serverErrors++;
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const res = await fetch(`${base}/readyz`).catch(() => null);
    if (res?.status === 200) break;
    if (i > 300) throw new Error('bimo serve did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
  const kinds = await mix(base);
  const total = kinds.reduce((a, k) => a + k.weight, 0);
  const choose = () => {
    let r = Math.random() * total;
    for (const k of kinds) if ((r -= k.weight) < 0) return k;
    return kinds[0] as (typeof kinds)[number];
  };
  const stats = new Map<string, { n: number; failed: number; ms: number[] }>();
  const started = Date.now();
  const end = started + MINUTES * 60_000;
  const samples: { x: number; y: number }[] = [];
  const sampler = setInterval(() => {
    const minute = (Date.now() - started) / 60_000;
    const mb = rssMb(server.pid ?? 0);
    samples.push({ x: minute, y: mb });
    const done = [...stats.values()].reduce((a, s) => a + s.n, 0);
    console.error(`  ${de(minute, 1)} min: ${de(done)} requests, server RSS ${de(mb)} MB`);
  }, SAMPLE_MS);
  const failures: string[] = [];
  const client = async () => {
    while (Date.now() < end) {
      const k = choose();
      const path = k.path();
      const t0 = performance.now();
      let ok = false;
      try {
        const res = await fetch(base + path);
        await res.arrayBuffer();
        ok = res.status < 400;
        if (!ok && failures.length < 10) failures.push(`${res.status} ${path}`);
      } catch (err) {
        if (failures.length < 10) failures.push(`${(err as Error).message} ${path}`);
      }
      const s = stats.get(k.kind) ?? { n: 0, failed: 0, ms: [] };
      s.n++;
      if (!ok) s.failed++;
      s.ms.push(performance.now() - t0);
      stats.set(k.kind, s);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  clearInterval(sampler);
  server.kill('SIGTERM');
  const [code] = await new Promise<[number | null]>((r) => server.once('exit', (c) => r([c])));

  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  };
  const seconds = (Date.now() - started) / 1000;
  console.log(`bench/soak — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB RAM; node ${process.version}`,
  );
  console.log(
    `${MINUTES} min, ${CLIENTS} clients on 127.0.0.1, bimo serve (DuckDB, full demo data) in its own process\n`,
  );
  console.log(
    `${'request kind'.padEnd(16)} ${'share'.padStart(6)} ${'requests'.padStart(9)} ${'failed'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`,
  );
  let all = 0;
  let failed = 0;
  for (const k of kinds) {
    const s = stats.get(k.kind) ?? { n: 0, failed: 0, ms: [] };
    all += s.n;
    failed += s.failed;
    console.log(
      `${k.kind.padEnd(16)} ${`${de((k.weight / total) * 100)} %`.padStart(6)} ${de(s.n).padStart(9)} ${de(s.failed).padStart(7)} ${de(q(s.ms, 0.5), 1).padStart(8)} ${de(q(s.ms, 0.99), 1).padStart(8)}`,
    );
  }
  const rss = samples.map((p) => p.y);
  // The floor of each whole minute (its lowest sample), at the minute's middle.
  const floors = new Map<number, number>();
  for (const p of samples) {
    const m = Math.floor(p.x);
    floors.set(m, Math.min(floors.get(m) ?? Infinity, p.y));
  }
  // Only whole minutes count (at least half a minute of samples): the last, cut-off minute
  // holds a sample or two and no floor.
  const perMinute = new Map<number, number>();
  for (const p of samples)
    perMinute.set(Math.floor(p.x), (perMinute.get(Math.floor(p.x)) ?? 0) + 1);
  const floorPoints = [...floors]
    .filter(([m]) => (perMinute.get(m) ?? 0) >= 30_000 / SAMPLE_MS)
    .map(([m, y]) => ({ x: m + 0.5, y }));
  const trend = slope(floorPoints.filter((p) => p.x >= MINUTES / 2));
  console.log(
    `\n${de(all)} requests in ${de(seconds)} s (${de(all / seconds)} req/s), ${de(failed)} failed, ${serverErrors} error lines in the server log; server exit on SIGTERM: ${code}`,
  );
  console.log(
    `server RSS: start ${de(rss[0] ?? 0)} MB, peak ${de(Math.max(...rss))} MB, end ${de(rss[rss.length - 1] ?? 0)} MB`,
  );
  console.log(
    `RSS floor per minute (MB): ${floorPoints.map((p) => de(p.y)).join(' · ')}; slope of the floors over the second half ${de(trend, 2)} MB/min (limit ${MAX_SLOPE})`,
  );
  for (const f of failures) console.log(`  failed: ${f}`);
  const pass = failed === 0 && serverErrors === 0 && code === 0 && trend < MAX_SLOPE;
  console.log(pass ? 'PASS: no errors, memory flat' : 'FAIL');
  return pass ? 0 : 1;
}

process.exitCode = await main();
