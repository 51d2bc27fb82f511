/**
 * Probes for orchestrators and load balancers. `/healthz` (liveness): the process answers HTTP;
 * it says nothing about the database, so a database restart never gets the app killed.
 * `/readyz` (readiness): this process should get traffic: it is not shutting down, the database
 * answers within two seconds and has the schema this code expects. A load balancer stops sending
 * requests on 503 and resumes on 200; nothing in the answers is confidential.
 */
import type { Hono } from 'hono';
import { MIGRATIONS } from '../store/migrations.ts';
import type { Store } from '../store/index.ts';
import type { AppEnv } from './env.ts';
import type { Logger } from './log.ts';

/** Process state shared with `bimo serve`: set `draining` on SIGTERM before closing. */
export interface Lifecycle {
  draining: boolean;
}

const SCHEMA = Math.max(...MIGRATIONS.map((m) => m.version));
const CHECK_MS = 2000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function mountHealth(
  app: Hono<AppEnv>,
  store: Store,
  lifecycle: Lifecycle,
  log?: Logger,
): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    if (lifecycle.draining) return c.json({ status: 'draining' }, 503);
    try {
      const [schema, served, newest] = await within(
        Promise.all([
          store.schemaVersion(),
          store.latestPublishedRelease(),
          store.latestPublishedRelease({ includePending: true }),
        ]),
        CHECK_MS,
      );
      if (schema < SCHEMA) {
        return c.json({ status: 'migrating', schema, expected: SCHEMA }, 503);
      }
      return c.json(
        {
          status: 'ready',
          database: store.kind,
          schema,
          release: served?.id ?? null,
          // A published release whose values are not complete yet (`bimo compute` finishes it).
          pendingRelease: newest && newest.id !== served?.id ? newest.id : null,
        },
        200,
      );
    } catch (err) {
      // The detail (host names, addresses) goes to the log, not to whoever asks.
      log?.warn('not ready: the database did not answer', {
        reason: err instanceof Error ? err.message.split('\n')[0] : String(err),
      });
      c.header('Retry-After', '2');
      return c.json(
        { status: 'unavailable', database: store.kind, reason: 'the database does not answer' },
        503,
      );
    }
  });
}
