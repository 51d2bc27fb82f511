/**
 * Fetching one table as a flat file (ffcsv): `data/tablefile`; when the API says the table is too
 * large (status 98) the same request again with `job=true`, then polling `catalogue/results` for
 * the job (area=user, as pystatis does since 0.5.4) with growing pauses until it is listed, and
 * `data/resultfile` for the finished file. Every wait has a limit and says what to do next.
 */
import { BimoError } from '../domain/index.ts';
import { post, type Endpoint, type HttpDeps } from './http.ts';
import type { SavedFile } from './save.ts';
import { isLoginProblem, jobIdOf, STATUS, type GenesisStatus } from './status.ts';
import { credentialHelp } from './credentials.ts';

export interface TableRequest {
  table: string;
  startYear?: string | undefined;
  endYear?: string | undefined;
  regionalVariable?: string | undefined;
  regionalKey?: string | undefined;
  /** Skip the table request and wait for (and download) this earlier job. */
  job?: string | undefined;
}

export interface FetchLimits {
  /** Per request: longest wait for the answer to start and between two pieces of it. */
  requestTimeoutMs: number;
  /** Largest file kept. */
  maxBytes: number;
  /** Longest total wait for a job. */
  jobTimeoutMs: number;
  /** First pause between two job polls; it grows by half each time up to maxPollMs. */
  pollMs: number;
  maxPollMs: number;
}

export const DEFAULT_LIMITS: FetchLimits = {
  requestTimeoutMs: 300_000,
  maxBytes: 2 * 1024 ** 3,
  jobTimeoutMs: 30 * 60_000,
  pollMs: 3_000,
  maxPollMs: 30_000,
};

export interface FetchDeps extends HttpDeps {
  sleep: (ms: number) => Promise<void>;
}

export type FetchResult =
  { kind: 'file'; file: SavedFile; job: string | null } | { kind: 'unchanged'; message: string };

export async function fetchTable(
  ep: Endpoint,
  req: TableRequest,
  target: { dir: string; baseName: string },
  limits: FetchLimits,
  deps: FetchDeps,
): Promise<FetchResult> {
  const save = { ...target, maxBytes: limits.maxBytes };
  let job = req.job ?? null;
  if (!job) {
    const params = tableParams(req);
    deps.log(`fetch: requesting ${req.table} from the ${ep.db.label} …`);
    const first = await post(ep, 'data/tablefile', params, deps, save);
    if (first.kind === 'file') return { kind: 'file', file: first.file, job: null };
    let s = first.status;
    if (s.code === STATUS.NO_NEW_DATA) return { kind: 'unchanged', message: s.content };
    if (s.code === STATUS.TOO_LARGE) {
      deps.log(
        'fetch: the table is too large for a direct download (status 98); asking for a background job …',
      );
      const second = await post(ep, 'data/tablefile', { ...params, job: 'true' }, deps, save);
      if (second.kind === 'file') return { kind: 'file', file: second.file, job: null };
      s = second.status;
    }
    job = jobOf(ep, req, s);
    // The job message also carries parameter adjustments, if any ("Mindestens ein Parameter …").
    deps.log(`fetch: ${s.content}`);
  }
  await waitForJob(ep, req, job, limits, deps);
  deps.log(`fetch: downloading the result of job ${job} …`);
  const result = await post(
    ep,
    'data/resultfile',
    { name: job, area: 'all', compress: 'false', format: 'ffcsv', language: 'de' },
    deps,
    save,
  );
  if (result.kind === 'file') return { kind: 'file', file: result.file, job };
  return failOn(ep, req, result.status, job);
}

/** The `data/tablefile` form (domain.md §3.4); optional filters only when given. */
export function tableParams(req: TableRequest): Record<string, string> {
  const params: Record<string, string> = {
    name: req.table,
    area: 'all',
    compress: 'false',
    format: 'ffcsv',
    language: 'de',
    quality: 'on',
  };
  if (req.startYear) params.startyear = req.startYear;
  if (req.endYear) params.endyear = req.endYear;
  if (req.regionalVariable) params.regionalvariable = req.regionalVariable;
  if (req.regionalKey) params.regionalkey = req.regionalKey;
  return params;
}

/** The job name of a "job created" answer; any other answer is an error. */
function jobOf(ep: Endpoint, req: TableRequest, s: GenesisStatus): string {
  const id = jobIdOf(s.content);
  if (s.code === STATUS.JOB_CREATED && id) return id;
  if (s.code === STATUS.JOB_CREATED) {
    throw new BimoError(
      'BIMO_E_REMOTE',
      `the ${ep.db.label} created a job for ${req.table} but its name cannot be read from "${s.content}"`,
      `Look the job up under "Meine Ergebnisse" at ${ep.db.web}, then run \`bimo fetch ${req.table} --db ${ep.db.id} --job NAME\`.`,
      { database: ep.db.id, table: req.table },
    );
  }
  if (s.code === STATUS.TOO_LARGE && ep.credentials.kind === 'token') {
    throw new BimoError(
      'BIMO_E_REMOTE_AUTH',
      `${req.table} is too large for a direct download and the ${ep.db.label} creates no jobs for an API token`,
      `Use user name and password for large tables, or narrow the request (--regional-key, --start-year). ${credentialHelp(ep.db)}`,
      { database: ep.db.id, table: req.table },
    );
  }
  return failOn(ep, req, s);
}

/** Polls `catalogue/results` until the job is listed (= finished), with growing pauses. */
async function waitForJob(
  ep: Endpoint,
  req: TableRequest,
  job: string,
  limits: FetchLimits,
  deps: FetchDeps,
): Promise<void> {
  const started = deps.now();
  const minutes = Math.round(limits.jobTimeoutMs / 60_000);
  deps.log(`fetch: waiting for job ${job} to be ready (at most ${minutes} min) …`);
  let pause = limits.pollMs;
  for (let poll = 1; ; poll++) {
    const answer = await post(
      ep,
      'catalogue/results',
      { selection: job, area: 'user', pagelength: '1' },
      deps,
      null,
    );
    // Without a save target a file answer is refused inside post(); this only narrows the type.
    if (answer.kind !== 'status') throw new Error('catalogue/results answered with a file');
    const s = answer.status;
    if (s.code === STATUS.ADJUSTED)
      deps.log(`fetch: warning from the API (status 22): ${s.content}`);
    if (s.code === STATUS.OK || s.code === STATUS.ADJUSTED) {
      // Listed under the user's results = finished (what pystatis checks, too).
      if (s.list.some((e) => e.code === job || e.code === '')) return;
    } else if (s.code !== STATUS.NO_OBJECT) {
      failOn(ep, req, s, job);
    }
    const waited = deps.now() - started;
    if (waited + pause > limits.jobTimeoutMs) {
      throw new BimoError(
        'BIMO_E_REMOTE',
        `job ${job} for ${req.table} was not ready after ${Math.round(waited / 1000)} s (limit ${minutes} min)`,
        `The job keeps running at the ${ep.db.label}: fetch its result later with \`bimo fetch ${req.table} --db ${ep.db.id} --job ${job}\` (raise the wait with --job-timeout SECONDS).`,
        { database: ep.db.id, table: req.table, job },
      );
    }
    deps.log(
      `fetch: job ${job} not ready yet (check ${poll}, ${secs(waited)}); next check in ${secs(pause)}`,
    );
    await deps.sleep(pause);
    pause = Math.min(Math.round(pause * 1.5), limits.maxPollMs);
  }
}

/** Turns an unwanted status into the error that tells the user what to do. */
function failOn(ep: Endpoint, req: TableRequest, s: GenesisStatus, job?: string): never {
  const details = { database: ep.db.id, table: req.table, status: s.code, ...(job ? { job } : {}) };
  if (s.code === STATUS.TABLE_NOT_FOUND || s.code === STATUS.NO_OBJECT) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      job
        ? `the result of job ${job} was not found in the ${ep.db.label} (status ${s.code}: ${s.content})`
        : `table ${req.table} was not found in the ${ep.db.label} (status ${s.code}: ${s.content})`,
      `Check the table code at ${ep.db.web} (search for it there) and whether it belongs to another database (--db ${dbList()}); Regionaldatenbank codes end in -4, -5 or -B, IT.NRW codes in i.`,
      details,
    );
  }
  if (isLoginProblem(s)) {
    throw new BimoError(
      'BIMO_E_REMOTE_AUTH',
      `the ${ep.db.label} refused the login (status ${s.code}: ${s.content}; credentials from ${ep.credentials.source})`,
      `Check user name and password. ${credentialHelp(ep.db)}`,
      details,
    );
  }
  const success = s.code === STATUS.OK || s.code === STATUS.ADJUSTED;
  throw new BimoError(
    'BIMO_E_REMOTE',
    success
      ? `the ${ep.db.label} answered status ${s.code} (${s.content}) but sent no table for ${req.table}`
      : `the ${ep.db.label} refused the request for ${req.table} (status ${s.code}, ${s.type || 'no type'}: ${s.content})`,
    'Check the options (--start-year, --regional-key …) against the table at ' +
      `${ep.db.web}; if the message says the service is busy, try again later.`,
    details,
  );
}

function secs(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function dbList(): string {
  return 'regionalstatistik|genesis|landesdatenbank-nrw|bildungsmonitoring';
}
