/**
 * What the PostgreSQL driver does when the server goes away for a moment (a restart, a
 * failover, a dropped network link): recognise the error, retry a read on a fresh connection,
 * and otherwise answer with BIMO_E_DATABASE_UNAVAILABLE (HTTP 503 with Retry-After) instead of
 * an internal error. The pool reconnects by itself; nothing here holds state.
 */
import { BimoError } from '../../domain/index.ts';

/**
 * SQLSTATE classes and codes that mean "the connection or the server is gone", not "this
 * statement is wrong": 08 connection exceptions, 57P01–57P03 admin/crash shutdown and cannot
 * connect now.
 */
const CONNECTION_SQLSTATES = /^(08|57P0[123])/;
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
// "timeout exceeded when trying to connect": every pooled connection stayed busy for 5 s (a long
// compute or dump beside many requests): also a "try again shortly", not an internal error.
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery)|Client was closed/i;

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  return (
    CONNECTION_SQLSTATES.test(code) ||
    CONNECTION_ERRNOS.has(code) ||
    CONNECTION_MESSAGES.test(e.message)
  );
}

/** The error a caller sees when the server is unreachable: retry later. */
export function unavailable(err: unknown): BimoError {
  return new BimoError(
    'BIMO_E_DATABASE_UNAVAILABLE',
    `the PostgreSQL server is not reachable right now: ${err instanceof Error ? err.message : String(err)}`,
    'Try again in a few seconds; bimo reconnects by itself once the server answers (see /readyz).',
    { retryAfterSeconds: 2 },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a read; on a connection error retries it after `delays` (each on a fresh connection, since
 * the pool drops a broken one), then gives up with BIMO_E_DATABASE_UNAVAILABLE. Any other error
 * is passed on unchanged. Only for statements that are safe to run twice (reads outside a
 * transaction): a write may have been done before the connection broke.
 */
export async function retryRead<T>(run: () => Promise<T>, delays = [100, 500, 1500]): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      const delay = delays[attempt];
      if (delay === undefined) throw unavailable(err);
      await sleep(delay);
    }
  }
}

/**
 * Connects once, waiting up to `waitMs` for a server that is starting (a container that starts
 * with its database, a restart): tries every second and reports each wait through `log`.
 */
export async function waitForServer(
  connect: () => Promise<void>,
  waitMs: number,
  log: (line: string) => void,
): Promise<void> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      await connect();
      return;
    } catch (err) {
      if (!isConnectionError(err) || Date.now() >= until) throw err;
      log(
        `database: PostgreSQL not reachable yet (${err instanceof Error ? err.message : String(err)}); retrying for ${Math.ceil((until - Date.now()) / 1000)} s`,
      );
      await sleep(1000);
    }
  }
}
