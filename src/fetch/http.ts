/**
 * One request to the GENESIS REST API, exactly as the service expects it: POST with a form body,
 * credentials in the `username`/`password` headers (never in the URL), no redirects followed
 * (custom credential headers would travel to wherever a redirect points). The answer is either a
 * status message or a table file, told apart by content, not by the Content-Type header alone.
 */
import { BimoError } from '../domain/index.ts';
import type { Credentials } from './credentials.ts';
import { credentialHelp } from './credentials.ts';
import type { GenesisDatabase } from './databases.ts';
import { InterruptedError, saveBody, type SaveOptions, type SavedFile } from './save.ts';
import { parseStatus, type GenesisStatus } from './status.ts';

export interface HttpDeps {
  fetch: typeof globalThis.fetch;
  /** Progress on stderr. */
  log: (text: string) => void;
  /** Milliseconds, for progress intervals. */
  now: () => number;
}

export interface Endpoint {
  db: GenesisDatabase;
  /** REST base ending in `/`. */
  base: string;
  credentials: Credentials;
  /** Longest wait for the answer to start, and for each further piece of it. */
  timeoutMs: number;
}

export type Answer = { kind: 'status'; status: GenesisStatus } | { kind: 'file'; file: SavedFile };

/** Status answers are small; anything longer is not one. */
const MAX_STATUS_BYTES = 16 * 1024 ** 2;

export async function post(
  ep: Endpoint,
  path: string,
  params: Record<string, string>,
  deps: HttpDeps,
  save: SaveOptions | null,
): Promise<Answer> {
  const url = new URL(path, ep.base);
  const ctrl = new AbortController();
  let timer = setTimeout(() => ctrl.abort(), ep.timeoutMs);
  const rearm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => ctrl.abort(), ep.timeoutMs);
  };
  try {
    let res: Response;
    try {
      res = await deps.fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/zip, text/csv, application/json, */*',
          'User-Agent': 'bimo (Bildungsmonitoring)',
          username: ep.credentials.username,
          password: ep.credentials.password,
        },
        body: new URLSearchParams(params).toString(),
        redirect: 'manual',
        signal: ctrl.signal,
      });
    } catch (err) {
      throw networkError(ep, url, err, ctrl.signal.aborted);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new BimoError(
        'BIMO_E_REMOTE',
        `${url.host} redirected the request (HTTP ${res.status}) to ${res.headers.get('location') ?? 'an unnamed address'}`,
        'bimo does not follow redirects with credentials; set BIMO_GENESIS_BASE_URL to the new REST base if the service moved.',
        { database: ep.db.id, status: res.status },
      );
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new BimoError(
        'BIMO_E_REMOTE_AUTH',
        `the ${ep.db.label} refused the login (HTTP ${res.status}; credentials from ${ep.credentials.source})`,
        `Check user name and password. ${credentialHelp(ep.db)}`,
        { database: ep.db.id, status: res.status },
      );
    }
    if (!res.ok) {
      const text = (await readSmall(res, 64 * 1024)).toString('utf8');
      const status = parseStatus(text);
      throw new BimoError(
        'BIMO_E_REMOTE',
        `the ${ep.db.label} answered HTTP ${res.status} to ${path}` +
          (status ? ` (status ${status.code}: ${status.content})` : ''),
        res.status === 404
          ? `Check the REST base ${ep.base} (BIMO_GENESIS_BASE_URL overrides it).`
          : 'The service may be down or overloaded; try again later.',
        { database: ep.db.id, status: res.status },
      );
    }
    const answer = await saveBody(res, {
      save,
      maxStatusBytes: MAX_STATUS_BYTES,
      rearm,
      log: deps.log,
      now: deps.now,
      describe: `the ${ep.db.label}`,
      web: ep.db.web,
    }).catch((err: unknown) => {
      if (err instanceof BimoError) throw err;
      if (err instanceof InterruptedError && !ctrl.signal.aborted) {
        const why = (err.cause as Error | undefined)?.message ?? 'connection closed';
        throw new BimoError(
          'BIMO_E_REMOTE',
          `the download from ${url.host} broke off after ${(err.bytes / 1024 ** 2).toFixed(1)} MB (${why}); nothing was kept or imported`,
          'Run the command again; a stable connection is needed for large tables (or narrow the request with --regional-key).',
          { database: ep.db.id, host: url.host },
        );
      }
      throw networkError(ep, url, err, ctrl.signal.aborted);
    });
    if (answer.kind === 'status') {
      const status = parseStatus(answer.text);
      if (!status) {
        throw new BimoError(
          'BIMO_E_REMOTE',
          `the ${ep.db.label} answered with JSON that is not a GENESIS status: ${preview(answer.text)}`,
          'Check the REST base URL; if it is right, the service may have changed — report it.',
          { database: ep.db.id },
        );
      }
      return { kind: 'status', status };
    }
    return { kind: 'file', file: answer.file };
  } finally {
    clearTimeout(timer);
  }
}

async function readSmall(res: Response, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const reader = res.body?.getReader();
  let n = 0;
  try {
    while (reader && n < max) {
      const r = await reader.read();
      if (r.done) break;
      chunks.push(Buffer.from(r.value));
      n += r.value.length;
    }
    await reader?.cancel();
  } catch {
    // An unreadable error body changes nothing about the error itself.
  }
  return Buffer.concat(chunks).subarray(0, max);
}

export function preview(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return `"${t.length > 80 ? `${t.slice(0, 80)}…` : t}"`;
}

function networkError(ep: Endpoint, url: URL, err: unknown, timedOut: boolean): BimoError {
  const seconds = Math.round(ep.timeoutMs / 1000);
  if (timedOut) {
    return new BimoError(
      'BIMO_E_REMOTE',
      `no answer from ${url.host} within ${seconds} s`,
      'The service may be overloaded: try again later, narrow the request (--regional-key, --start-year) or raise BIMO_GENESIS_TIMEOUT (seconds).',
      { database: ep.db.id, host: url.host },
    );
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const what =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'the host name does not resolve'
      : code === 'ECONNREFUSED'
        ? 'the connection was refused'
        : code.startsWith('CERT') || code.includes('TLS') || code.includes('SELF_SIGNED')
          ? `the TLS certificate was not accepted (${code})`
          : (cause?.message ?? (err as Error).message ?? String(err)) + (code ? ` (${code})` : '');
  return new BimoError(
    'BIMO_E_REMOTE',
    `cannot reach ${url.host}: ${what}`,
    `Check the internet connection and that ${url.origin} is reachable from this machine (DNS, firewall, proxy); if the service is down, try again later.`,
    { database: ep.db.id, host: url.host },
  );
}
