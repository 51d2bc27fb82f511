/**
 * The server side of bench/api.ts, in its own process so that the load generator (autocannon, in
 * the parent) does not share this event loop and CPU time with the server it measures.
 *
 * Builds the full demo store (every DEMO_FILES sample, peer groups, all indicators with disclosure
 * control, as `bimo demo` / `buildFullDemoStore()` do) in WORKDIR, then serves the real app,
 * `createApp(deps, mountWeb)`, on 127.0.0.1 on a free port, plus one route the bench adds itself:
 * `GET /bench-static/:name`, which serves files the parent wrote (the exact bytes of the dynamic
 * responses), read from disk once and then answered from memory with the same Content-Type and
 * Cache-Control as the dynamic response and a strong ETag, as a static file server would.
 *
 * Protocol (IPC, fork): → {type:'listening', port}; ← {type:'static', files}; → {type:'static-ready'};
 * ← {type:'stop'} closes the server and the store and exits.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp, type AppDeps, type AppEnv } from '../src/api/app.ts';
import { DEMO_FILES } from '../src/cli/commands/serve.ts';
import { computeAll, loadCatalogFull } from '../src/indicators/index.ts';
import { updatePeerGroups } from '../src/indicators/peer-update.ts';
import { importFile, loadRecipes } from '../src/ingest/index.ts';
import { buildGeometries, buildRegionData, RegionRegistry } from '../src/regions/index.ts';
import { openStore } from '../src/store/index.ts';
import { mountWeb } from '../src/web/routes.ts';

export interface StaticFile {
  /** URL name under /bench-static/. */
  name: string;
  /** File with the exact bytes of the dynamic response. */
  path: string;
  contentType: string;
  cacheControl: string | null;
}

export type ToServer = { type: 'static'; files: StaticFile[] } | { type: 'stop' };
export type FromServer = { type: 'listening'; port: number } | { type: 'static-ready' };

const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE = resolve(process.env.BIMO_SAMPLE_DATA ?? join(ROOT, '../shared/data'));
const [work] = process.argv.slice(2);
if (!work || !process.send)
  throw new Error('usage: fork api-server.ts WORKDIR (with an IPC channel)');
const send = (m: FromServer): void => void process.send?.(m);

/** The full demo store, as test/helpers/demo-store.ts buildFullDemoStore(), in WORKDIR. */
async function buildStore(): Promise<AppDeps> {
  const store = await openStore({ dataDir: join(work as string, 'db') });
  await store.replaceRegions(await buildRegionData(SAMPLE));
  await store.replaceGeometries(await buildGeometries(SAMPLE));
  const regions = new RegionRegistry(await store.loadRegions());
  const recipes = loadRecipes();
  for (const f of DEMO_FILES) {
    const [report] = await importFile(join(SAMPLE, f), { store, regions, recipes });
    if (report?.status !== 'imported')
      throw new Error(`demo import of ${f} failed: ${JSON.stringify(report?.issues.slice(0, 3))}`);
  }
  await updatePeerGroups(store, regions);
  const withPeers = new RegionRegistry(await store.loadRegions());
  const full = loadCatalogFull();
  await computeAll(store, full.indicators, withPeers, undefined, full.disclosure);
  return { store, regions: withPeers, catalog: full.indicators };
}

/** Filled when the parent has written the files; until then the route answers 404. */
const statics = new Map<
  string,
  { body: Uint8Array<ArrayBuffer>; etag: string; type: string; cache: string | null }
>();

function mountStatic(app: Hono<AppEnv>): void {
  app.get('/bench-static/:name', (c) => {
    const f = statics.get(c.req.param('name'));
    if (!f) return c.notFound();
    c.header('Content-Type', f.type);
    if (f.cache) c.header('Cache-Control', f.cache);
    c.header('ETag', f.etag);
    if (c.req.header('If-None-Match') === f.etag) return c.body(null, 304);
    return c.body(f.body);
  });
}

const t0 = performance.now();
const deps = await buildStore();
console.error(`api-server: demo store built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const app = createApp(deps, (a, cached) => {
  mountWeb(a, cached);
  mountStatic(a);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise<void>((res, rej) => {
  server.once('listening', () => res());
  server.once('error', rej);
});
const address = server.address();
if (typeof address !== 'object' || !address) throw new Error('no server address');

process.on('message', (m: ToServer) => {
  if (m.type === 'static') {
    for (const f of m.files) {
      const body = new Uint8Array(readFileSync(f.path)); // own ArrayBuffer, as Hono's body wants
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      statics.set(f.name, { body, etag, type: f.contentType, cache: f.cacheControl });
    }
    send({ type: 'static-ready' });
  } else if (m.type === 'stop') {
    server.close(() => {
      void deps.store.close().then(() => process.exit(0));
    });
    // Keep-alive sockets of the load generator would hold close() open.
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  }
});
send({ type: 'listening', port: address.port });
