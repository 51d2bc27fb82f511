/**
 * The server side of the Germany-scale API bench (the protocol of bench/api-server.ts): opens
 * the store the bimo child built (DuckDB data dir WORKDIR, or DATABASE_URL), serves the real app
 * on 127.0.0.1 on a free port, plus `GET /bench-static/:name`, the exact bytes of the dynamic
 * responses read once and served from memory with the same headers and a strong ETag.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/api/app.ts';
import { loadCatalogFull } from '../../src/indicators/index.ts';
import { RegionRegistry } from '../../src/regions/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { FromServer, ToServer } from '../api-server.ts';

const [dataDir] = process.argv.slice(2);
if (!dataDir || !process.send) throw new Error('usage: fork server.ts DATADIR (with IPC)');
const send = (m: FromServer): void => void process.send?.(m);

const store = await openStore({ dataDir, databaseUrl: process.env.DATABASE_URL });
const regions = new RegionRegistry(await store.loadRegions());
const statics = new Map<
  string,
  { body: Uint8Array<ArrayBuffer>; etag: string; type: string; cache: string | null }
>();
const app = createApp({ store, regions, catalog: loadCatalogFull().indicators }, (a) => {
  a.get('/bench-static/:name', (c) => {
    const f = statics.get(c.req.param('name'));
    if (!f) return c.notFound();
    c.header('Content-Type', f.type);
    if (f.cache) c.header('Cache-Control', f.cache);
    c.header('ETag', f.etag);
    if (c.req.header('If-None-Match') === f.etag) return c.body(null, 304);
    return c.body(f.body);
  });
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
      const body = new Uint8Array(readFileSync(f.path));
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      statics.set(f.name, { body, etag, type: f.contentType, cache: f.cacheControl });
    }
    send({ type: 'static-ready' });
  } else if (m.type === 'stop') {
    server.close(() => void store.close().then(() => process.exit(0)));
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  }
});
send({ type: 'listening', port: address.port });
