/**
 * `serve` runs the portal and API on a Node HTTP server; `demo` builds a fresh database from
 * the sample files (init, import, compute) and then serves it, printing progress on the way.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/app.ts';
import { BimoError } from '../../domain/index.ts';
import type { Store } from '../../store/index.ts';
import { mountWeb } from '../../web/routes.ts';
import {
  catalog,
  loadRegistry,
  openContext,
  sampleDirOf,
  type GlobalOptions,
  type Io,
} from '../context.ts';
import { importCommand, initCommand } from './data.ts';

/** The sample files the demo imports (those with recipes). */
export const DEMO_FILES = [
  'genesis-samples/regionalstatistik-classic/21111-02-06-4.csv',
  'genesis-samples/regionalstatistik-classic/12411-02-03-4_nrw-auswahl_2023.csv',
];

async function startServer(store: Store, io: Io, port: number, host: string): Promise<number> {
  const regions = await loadRegistry(store);
  const deps = { store, regions, catalog: catalog() };
  const app = createApp(deps, (a) => mountWeb(a, deps));
  const server = serve({ fetch: app.fetch, port, hostname: host });
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
  io.log(
    `bimo serves http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/  (indicator page: /indikatoren/D6, API: /api/v1/indicators) — Ctrl+C stops`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      io.log('bimo: stopping');
      server.close(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await store.close();
  return 0;
}

export async function serveCommand(
  opts: GlobalOptions,
  io: Io,
  port: number,
  host: string,
): Promise<number> {
  const { store } = await openContext(opts, io);
  return startServer(store, io, port, host);
}

export async function demoCommand(
  opts: GlobalOptions & { 'sample-data'?: string | undefined },
  io: Io,
  port: number,
): Promise<number> {
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
  return startServer(store, io, port, '127.0.0.1');
}
