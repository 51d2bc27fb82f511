/**
 * `serve` runs the portal and API on a Node HTTP server; `demo` builds a fresh database from
 * the sample files (init, import, compute) and then serves it, printing progress on the way.
 * Once listening, both fill the value cache in the background (src/api/value-cache.ts); apps
 * that tests create never do.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp, type AppEnv } from '../../api/app.ts';
import { warmValueCache, withValueCache } from '../../api/value-cache.ts';
import { BimoError } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import type { Store } from '../../store/index.ts';
import type { Lifecycle } from '../../api/health.ts';
import { createLogger } from '../../api/log.ts';
import { mountWeb } from '../../web/routes.ts';
import { serverConfig, type ServerConfig } from '../config.ts';
import {
  catalog,
  loadRegistry,
  openContext,
  sampleDirOf,
  type GlobalOptions,
  type Io,
} from '../context.ts';
import { importCommand, initCommand } from './data.ts';

/**
 * The sample files the demo imports: one per recipe (both years where a table comes in two),
 * so that every indicator the sample data can feed has values in the portal.
 */
export const DEMO_FILES = [
  'genesis-samples/regionalstatistik-classic/21111-02-06-4.csv',
  'genesis-samples/regionalstatistik-classic/21111-02-06-4-B.csv',
  'genesis-samples/regionalstatistik-classic/12411-02-03-4_nrw-auswahl_2023.csv',
  'genesis-samples/regionalstatistik-classic/21111-01-03-4.csv',
  'genesis-samples/regionalstatistik-classic/21121-02-02-4.csv',
  'genesis-samples/regionalstatistik-classic/13211-02-05-4.csv',
  'genesis-samples/regionalstatistik-classic/82411-01-03-4.csv',
  'genesis-samples/regionalstatistik-classic/22542-01-02-4.csv',
  'genesis-samples/ffcsv/12411-01-01-4_1773175772751_de_flat.csv',
  'genesis-samples/ffcsv/11111-02-01-4_1773174974558_de_flat.csv',
  'genesis-samples/ffcsv/1000A-2022_1773175355216_de_flat.csv',
  'genesis-samples/ffcsv/12211-0001_1773174920289_de_flat.csv',
  'genesis-samples/ffcsv/12211-Z-11_1773175349407_de_flat.csv',
  'genesis-samples/ffcsv/13111-01-03-4_1773175029986_de_flat.csv',
  'genesis-samples/ffcsv/21311-01-01-4-B_1773175045085_de_flat_NRW-only.csv',
  'genesis-samples/ffcsv/73111-01-01-4_1773175092845_de_flat.csv',
  'genesis-samples/ffcsv/AI-N-01-2-5_1773175147935_de_flat.csv',
  'genesis-samples/landesdatenbank-nrw/2024/12411-09i.csv',
  'genesis-samples/landesdatenbank-nrw/2024/13111-54i.csv',
  'genesis-samples/landesdatenbank-nrw/2024/22161-08i.csv',
  'genesis-samples/landesdatenbank-nrw/2023/22517-02i.csv',
  'genesis-samples/landesdatenbank-nrw/2024/22517-02i.csv',
  'genesis-samples/landesdatenbank-nrw/2024/22542-06i.csv',
  'genesis-samples/landesdatenbank-nrw/2023/22811-01i.csv',
  'genesis-samples/landesdatenbank-nrw/2024/22811-01i.csv',
  'genesis-samples/landesdatenbank-nrw/2024/22811-05i.csv',
  'statistics/destatis-bildungsfinanzen/ausgaben_21711-01.csv',
  'statistics/destatis-bildungsfinanzen/ausgaben_21711-02.csv',
  'statistics/destatis-bildungsfinanzen/ausgaben_21711-b01.csv',
  'statistics/destatis-bildungsfinanzen/ausgaben_21711-03.csv',
];

/** The page the server renders once at start: the one its start line points to. */
export const WARM_PAGES = ['/indikatoren/D6'];

/**
 * What `bimo serve` does right after it listens, in the background: every indicator's values into
 * the value cache (src/api/value-cache.ts), then one render of `WARM_PAGES` through the app, so
 * that the first visitor pays neither for reading every indicator (a region profile) nor for the
 * first ECharts render and map projection in the process. Never rejects; failures are logged.
 */
export async function warmUp(
  app: Hono<AppEnv>,
  cached: Store,
  indicators: readonly Indicator[],
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const ids = indicators.map((i) => i.id);
  const values = await warmValueCache(cached, ids, log, signal ? { signal } : {});
  if (values.stopped) return;
  for (const path of WARM_PAGES) {
    if (signal?.aborted) return;
    const started = performance.now();
    try {
      const res = await app.request(path);
      await res.text();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log(`bimo: page warm-up: ${path} answered ${res.status} in ${seconds} s`);
    } catch (err) {
      log(
        `bimo: page warm-up: ${path} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

/**
 * Serves until SIGTERM or SIGINT, then shuts down gracefully: `/readyz` answers 503 at once, the
 * server stops accepting connections, running requests get `shutdownTimeoutS` to finish (then
 * their connections are closed), the warm-up stops, and the store closes last.
 */
async function startServer(store: Store, io: Io, config: ServerConfig): Promise<number> {
  const log = createLogger({ format: config.logFormat, write: (line) => io.log(line) });
  const { port, host } = config;
  const regions = await loadRegistry(store);
  // The cache createApp reads through (it keeps a store that has one), held here to warm it.
  const cached = withValueCache(store);
  const lifecycle: Lifecycle = { draining: false };
  const deps = { store: cached, regions, catalog: catalog(), logger: log, lifecycle };
  const app = createApp(deps, mountWeb);
  // An HTTP/1.1 server (no `createServer` option given), whose connections can be closed.
  const server = serve({ fetch: app.fetch, port, hostname: host }) as HttpServer;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new BimoError(
              'BIMO_E_BAD_REQUEST',
              `port ${port} is already in use`,
              'Choose another port with --port N.',
              { field: 'port' },
            )
          : err,
      ),
    );
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/`;
  const [served, newest] = [
    await store.latestPublishedRelease(),
    await store.latestPublishedRelease({ includePending: true }),
  ];
  log.info(
    `bimo serves ${url}  (indicator page: /indikatoren/D6, API: /api/v1/indicators) — Ctrl+C stops`,
    { url, port: actual, database: store.kind, pid: process.pid, release: served?.id ?? null },
  );
  if (newest && newest.id !== served?.id) {
    log.warn(
      `release ${newest.id} is published, but its indicator values are not complete (an import or publication was interrupted); the portal serves release ${served?.id ?? '—'} until \`bimo compute\` has run`,
      { pendingRelease: newest.id },
    );
  }
  // Not awaited: requests are served meanwhile (a miss reads from the store, as without it).
  const warming = new AbortController();
  const warmed = config.warmUp
    ? warmUp(
        app,
        cached,
        deps.catalog,
        (line) => log.info(line.replace(/^bimo: /, '')),
        warming.signal,
      )
    : Promise.resolve();
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      if (lifecycle.draining) {
        // A second Ctrl+C: the operator does not want to wait.
        log.warn('second signal: exiting without waiting', { signal });
        process.exit(130);
      }
      lifecycle.draining = true;
      log.info('stopping: no new connections; running requests may finish', {
        signal,
        delayS: config.shutdownDelayS,
        timeoutS: config.shutdownTimeoutS,
      });
      warming.abort();
      // With a load balancer: keep serving for `shutdownDelayS` while /readyz says 503, so it
      // stops sending requests before the listener closes.
      setTimeout(() => {
        const force = setTimeout(() => {
          log.warn('shutdown timeout: closing the connections still open');
          server.closeAllConnections();
        }, config.shutdownTimeoutS * 1000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Keep-alive connections without a request would hold close() until they time out.
        server.closeIdleConnections();
      }, config.shutdownDelayS * 1000);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  // The read in progress ends before the store closes under it (but never holds the exit).
  await Promise.race([
    warmed,
    new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutS * 1000).unref()),
  ]);
  await store.close();
  log.info('stopped');
  return 0;
}

/** Opens the store for serving: PostgreSQL may still be starting (BIMO_DB_WAIT seconds). */
async function openForServe(
  opts: GlobalOptions,
  io: Io,
  config: ServerConfig,
): Promise<{ store: Store; dataDir: string }> {
  const log = createLogger({ format: config.logFormat, write: (line) => io.log(line) });
  return openContext(opts, io, {
    waitMs: config.dbWaitS * 1000,
    log: (line) => log.warn(line),
  });
}

export async function serveCommand(
  opts: GlobalOptions,
  io: Io,
  port: number | undefined,
  host: string | undefined,
): Promise<number> {
  const config = serverConfig(io.env, { port, host }, { logFormat: 'json', host: '127.0.0.1' });
  const { store } = await openForServe(opts, io, config);
  return startServer(store, io, config);
}

export async function demoCommand(
  opts: GlobalOptions & { 'sample-data'?: string | undefined },
  io: Io,
  port: number | undefined,
): Promise<number> {
  const config = serverConfig(
    io.env,
    { port, host: '127.0.0.1' },
    {
      logFormat: 'text',
      host: '127.0.0.1',
    },
  );
  const sampleDir = sampleDirOf(io, opts['sample-data']);
  try {
    readdirSync(sampleDir);
  } catch {
    throw new BimoError(
      'BIMO_E_FILE_NOT_FOUND',
      `sample data folder ${sampleDir} not found`,
      'Set BIMO_SAMPLE_DATA to the folder with boundaries/ and genesis-samples/ (default ../shared/data).',
    );
  }
  const { store, dataDir } = await openContext(opts, io);
  io.log(
    `demo [1/3] database in ${store.kind === 'duckdb' ? dataDir : 'PostgreSQL (DATABASE_URL)'}`,
  );
  try {
    await initCommand(store, io, sampleDir);
    io.log('demo [2/3] importing sample files and computing the indicators');
    const code = await importCommand(
      store,
      io,
      DEMO_FILES.map((f) => join(sampleDir, f)),
      { dryRun: false, draft: false, json: false },
    );
    if (code !== 0)
      throw new BimoError(
        'BIMO_E_PARSE',
        'a sample file was rejected',
        'See the import report above.',
      );
  } catch (err) {
    await store.close();
    throw err;
  }
  io.log('demo [3/3] starting the server');
  return startServer(store, io, config);
}
