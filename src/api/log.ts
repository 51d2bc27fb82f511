/**
 * Structured logs of the server: one JSON object per line on stderr (`BIMO_LOG_FORMAT=json`,
 * the default of `bimo serve`), or short readable lines (`text`, the default of `bimo demo` and
 * of a terminal). Every line has `time`, `level` and `msg`; requests add method, path, status,
 * duration and the request id. Never logged: cookies, tokens, passwords, request bodies and the
 * client's address (personal data; a reverse proxy keeps its own access log).
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  format: LogFormat;
  /** One finished line (default: stderr). */
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(opts: LoggerOptions): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = opts.now ?? (() => new Date());
  const emit = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    const defined = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (opts.format === 'json') {
      write(
        JSON.stringify({ time: now().toISOString(), level, msg, ...Object.fromEntries(defined) }),
      );
      return;
    }
    // Readable lines keep the message alone, except for requests and trouble.
    const shown = level === 'info' && msg !== 'request' ? [] : defined;
    const rest = shown.map(
      ([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`,
    );
    write(
      `${msg.startsWith('bimo ') ? '' : 'bimo: '}${level === 'info' ? '' : `${level}: `}${msg}${rest.length ? ` ${rest.join(' ')}` : ''}`,
    );
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/**
 * Path segments that name a person or a credential (an account's email in `/api/v1/users/…`, an
 * API token id) are replaced by their parameter name before a path is logged.
 */
const PERSONAL_SEGMENTS: [RegExp, string][] = [
  [/^(\/api\/v1\/users\/)[^/]+/, '$1:email'],
  [/^(\/api\/v1\/auth\/tokens\/)[^/]+/, '$1:id'],
  [/^(\/intern\/nutzer\/)[^/]+/, '$1:id'],
];

export function redactPath(path: string): string {
  for (const [pattern, replacement] of PERSONAL_SEGMENTS) {
    if (pattern.test(path)) return path.replace(pattern, replacement);
  }
  return path;
}

/** A request id from the client or proxy is kept if it is short and plain; otherwise a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Logs every request when it is answered (status, milliseconds, response size when known) and
 * sends its id back as `X-Request-Id`, so that a user's report can be matched to the line.
 * Health probes are not logged unless they fail: a load balancer asks every few seconds.
 */
export function requestLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : randomUUID();
    c.header('X-Request-Id', id);
    await next();
    const status = c.res.status;
    const path = redactPath(c.req.path);
    if ((path === '/healthz' || path === '/readyz') && status < 400) return;
    const fields: LogFields = {
      method: c.req.method,
      path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      bytes: Number(c.res.headers.get('content-length') ?? '') || undefined,
      requestId: id,
    };
    if (status >= 500) log.error('request', fields);
    else log.info('request', fields);
  };
}
