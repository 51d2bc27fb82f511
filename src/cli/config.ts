/**
 * The server's configuration from the environment (and the flags that override it), checked
 * once at start: a wrong value stops the start with the variable's name and the fix, instead of a
 * server that runs with a surprise. docs/operations.md lists every variable.
 */
import { z } from 'zod';
import { BimoError } from '../domain/index.ts';
import type { LogFormat } from '../api/log.ts';

export interface ServerConfig {
  port: number;
  host: string;
  logFormat: LogFormat;
  /** Seconds to let running requests finish after SIGTERM/SIGINT before closing them. */
  shutdownTimeoutS: number;
  /** Seconds to keep serving (with /readyz 503) after the signal before closing the listener. */
  shutdownDelayS: number;
  /** Seconds to wait at start for a PostgreSQL server that does not answer yet. */
  dbWaitS: number;
  /** Fill the value cache and render one page in the background after listening. */
  warmUp: boolean;
}

const seconds = (max: number) => z.coerce.number().int().min(0).max(max);

const SCHEMA = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  BIMO_HOST: z.string().min(1).optional(),
  BIMO_LOG_FORMAT: z.enum(['json', 'text']).optional(),
  BIMO_SHUTDOWN_TIMEOUT: seconds(3600).optional(),
  BIMO_SHUTDOWN_DELAY: seconds(600).optional(),
  BIMO_DB_WAIT: seconds(3600).optional(),
  BIMO_WARMUP: z.enum(['0', '1']).optional(),
  BIMO_TRUST_PROXY: z.enum(['0', '1']).optional(),
  BIMO_VALUE_CACHE_ROWS: z.coerce.number().int().min(0).optional(),
  BIMO_VALUE_CACHE_TTL: seconds(86400).optional(),
  BIMO_PG_POOL: z.coerce.number().int().min(1).max(1000).optional(),
});

const FIX: Record<string, string> = {
  PORT: 'Use a number between 1 and 65535, e.g. PORT=8080 (0 picks a free port).',
  BIMO_LOG_FORMAT: 'Use BIMO_LOG_FORMAT=json (one JSON object per line) or text.',
  BIMO_WARMUP: 'Use BIMO_WARMUP=1 (default) or 0.',
  BIMO_TRUST_PROXY:
    'Use BIMO_TRUST_PROXY=1 behind a reverse proxy that sets X-Forwarded-For, else 0.',
};

/**
 * The configuration of `bimo serve` (`defaults.logFormat` json) or `bimo demo` (text): flags
 * first, then the environment, then the defaults.
 */
export function serverConfig(
  env: Record<string, string | undefined>,
  flags: { port?: number | undefined; host?: string | undefined },
  defaults: { logFormat: LogFormat; host: string },
): ServerConfig {
  // Empty variables count as unset (a `FOO=` line in an env file).
  const given = Object.fromEntries(
    Object.keys(SCHEMA.shape)
      .map((k) => [k, env[k]] as const)
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = SCHEMA.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? '');
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `environment variable ${name}="${given[name] ?? ''}" is not valid: ${issue?.message ?? ''}`,
      FIX[name] ?? 'See docs/operations.md for the allowed values.',
      { field: name },
    );
  }
  const e = parsed.data;
  return {
    port: flags.port ?? e.PORT ?? 8080,
    host: flags.host ?? e.BIMO_HOST ?? defaults.host,
    logFormat: e.BIMO_LOG_FORMAT ?? defaults.logFormat,
    shutdownTimeoutS: e.BIMO_SHUTDOWN_TIMEOUT ?? 10,
    shutdownDelayS: e.BIMO_SHUTDOWN_DELAY ?? 0,
    dbWaitS: e.BIMO_DB_WAIT ?? 30,
    warmUp: (e.BIMO_WARMUP ?? '1') === '1',
  };
}
