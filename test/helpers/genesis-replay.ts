/**
 * A replay of the GENESIS REST API ("2020" interface) on 127.0.0.1 for `bimo fetch` tests. It
 * answers with responses recorded from the real service (test/fixtures/genesis-api/, see the
 * README there) and checks each request the way the service expects it: POST, a form body,
 * credentials in the `username`/`password` headers, the tablefile parameters. Everything it
 * receives is recorded so tests can assert what bimo sent.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { zipSync } from 'fflate';

const FIXTURES = new URL('../fixtures/genesis-api/', import.meta.url);
/** The table and job of the recorded job answers (pystatis cassette 12531-0043.yaml). */
const RECORDED_TABLE = '12531-0043';
const RECORDED_JOB_NUMBER = '673843136';

interface Recording {
  status: number;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
  bodyFile?: string;
}

export function recording(name: string): Recording {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Recording;
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

export type TableScript =
  /** A ZIP built from a real flat file, as `data/tablefile` delivers it. */
  | { kind: 'zip'; file: string }
  /** The recorded ZIP answer of restatis (61111-0001, en). */
  | { kind: 'recorded-zip' }
  /** 98 → job=true gives 99 → `notReadyPolls` × 104 → 0 → `data/resultfile` ZIP of `file`. */
  | { kind: 'job'; file: string; notReadyPolls: number }
  | { kind: 'not-found' }
  /** An HTML maintenance page with status 200. */
  | { kind: 'garbage' }
  /** The first 60 % of a real ZIP, with a matching Content-Length. */
  | { kind: 'truncated'; file: string };

export interface Received {
  method: string;
  path: string;
  query: string;
  contentType: string;
  username: string | undefined;
  password: string | undefined;
  params: Record<string, string>;
}

export interface Replay {
  /** REST base like the real one: http://127.0.0.1:PORT/genesisws/rest/2020/ */
  base: string;
  received: Received[];
  close(): Promise<void>;
}

const BASE_PATH = '/genesisws/rest/2020/';
const TABLEFILE_FIXED = {
  area: 'all',
  format: 'ffcsv',
  compress: 'false',
  language: 'de',
  quality: 'on',
};

export async function startReplay(opts: {
  tables: Record<string, TableScript>;
  user: string;
  password: string;
}): Promise<Replay> {
  const received: Received[] = [];
  /** Job name → polls still answered with "not ready". */
  const jobs = new Map<string, { table: string; pending: number }>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const contentType = req.headers['content-type'] ?? '';
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const header = (n: string): string | undefined => {
      const v = req.headers[n];
      return Array.isArray(v) ? v[0] : v;
    };
    const r: Received = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.search,
      contentType,
      username: header('username'),
      password: header('password'),
      params,
    };
    received.push(r);

    if (!url.pathname.startsWith(BASE_PATH)) return text(res, 404, 'not found');
    if (r.method !== 'POST') return text(res, 405, 'POST only');
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      return text(res, 415, 'form body expected');
    }
    // Credentials belong in headers; in the query they would end up in server logs.
    if (url.searchParams.has('username') || url.searchParams.has('password')) {
      return text(res, 400, 'credentials in the URL');
    }
    if (r.username !== opts.user || r.password !== opts.password) {
      return text(res, 401, 'Unauthorized');
    }
    const method = url.pathname.slice(BASE_PATH.length);
    if (method === 'data/tablefile') return tablefile(res, params);
    if (method === 'catalogue/results') return results(res, params);
    if (method === 'data/resultfile') return resultfile(res, params);
    return text(res, 404, 'unknown service');
  };

  const tablefile = (res: ServerResponse, params: Record<string, string>): void => {
    for (const [k, v] of Object.entries(TABLEFILE_FIXED)) {
      if (params[k] !== v) return status(res, 'tablefile-90-not-found.json', params, -1);
    }
    const table = params.name ?? '';
    const script = opts.tables[table];
    if (!script || script.kind === 'not-found') {
      return status(res, 'tablefile-90-not-found.json', params);
    }
    switch (script.kind) {
      case 'zip':
        return zip(res, script.file, `${table}_1773175045085_de_flat.csv`);
      case 'recorded-zip': {
        const rec = recording('tablefile-zip.json');
        return send(res, rec.status, rec.headers, fixtureBytes(rec.bodyFile ?? ''));
      }
      case 'garbage':
        return send(
          res,
          200,
          { 'Content-Type': 'text/html; charset=utf-8' },
          Buffer.from(
            '<!DOCTYPE html><html><head><title>Wartungsarbeiten</title></head><body>Der Dienst ist voruebergehend nicht erreichbar.</body></html>',
          ),
        );
      case 'truncated': {
        const bytes = zipOf(script.file, `${table}_1773175045085_de_flat.csv`);
        return send(
          res,
          200,
          { 'Content-Type': 'application/zip' },
          bytes.subarray(0, Math.floor(bytes.length * 0.6)),
        );
      }
      case 'job': {
        if (params.job !== 'true') return status(res, 'tablefile-98-too-large.json', params);
        const jobName = `${table}_${RECORDED_JOB_NUMBER}`;
        jobs.set(jobName, { table, pending: script.notReadyPolls });
        return status(res, 'tablefile-99-job-created.json', params, undefined, table);
      }
    }
  };

  const results = (res: ServerResponse, params: Record<string, string>): void => {
    const job = jobs.get(params.selection ?? '');
    if (params.area !== 'user' || !job) return status(res, 'results-104-not-ready.json', params);
    if (job.pending > 0) {
      job.pending--;
      return status(res, 'results-104-not-ready.json', params, undefined, job.table);
    }
    return status(res, 'results-0-ready.json', params, undefined, job.table);
  };

  const resultfile = (res: ServerResponse, params: Record<string, string>): void => {
    const name = params.name ?? '';
    const job = jobs.get(name);
    const script = job ? opts.tables[job.table] : undefined;
    if (!job || job.pending > 0 || script?.kind !== 'job') {
      return status(res, 'tablefile-90-not-found.json', params);
    }
    // The real resultfile member is named after the job: 12531-0043_673843136_flat.csv.
    return zip(res, script.file, `${name}_flat.csv`);
  };

  /** A recorded status answer, its table code replaced and its Parameter echoing the request. */
  const status = (
    res: ServerResponse,
    name: string,
    params: Record<string, string>,
    code?: number,
    table?: string,
  ): void => {
    const rec = recording(name);
    let body = JSON.stringify({
      ...rec.body,
      Parameter: { ...params, username: '********************', password: '********************' },
    });
    if (table) body = body.replaceAll(RECORDED_TABLE, table);
    if (code !== undefined) {
      const parsed = JSON.parse(body) as { Status: { Code: number; Content: string } };
      parsed.Status = { ...parsed.Status, Code: code, Content: 'Ungültiger Parameterwert' };
      body = JSON.stringify(parsed);
    }
    send(res, rec.status, rec.headers, Buffer.from(body));
  };

  const zip = (res: ServerResponse, file: string, member: string): void => {
    send(
      res,
      200,
      {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename=${basename(member, '.csv')}.zip`,
      },
      zipOf(file, member),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => text(res, 500, String(err)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}${BASE_PATH}`,
    received,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A one-member ZIP of a real flat file, read at test time (never copied into the repo). */
function zipOf(file: string, member: string): Buffer {
  return Buffer.from(zipSync({ [member]: new Uint8Array(readFileSync(file)) }));
}

function send(
  res: ServerResponse,
  code: number,
  headers: Record<string, string>,
  body: Buffer,
): void {
  res.writeHead(code, { ...headers, 'Content-Length': String(body.length) });
  res.end(body);
}

function text(res: ServerResponse, code: number, body: string): void {
  send(res, code, { 'Content-Type': 'text/plain' }, Buffer.from(body));
}
