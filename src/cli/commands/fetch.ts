/**
 * `fetch` downloads a table from a GENESIS database (Regionaldatenbank, GENESIS-Online,
 * Landesdatenbank NRW, Kommunale Bildungsdatenbank) as a flat file into the download folder and
 * imports it like `bimo import` would. The store is opened only after the download, so a
 * running `bimo serve` does not block fetching with --no-import.
 */
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BimoError } from '../../domain/index.ts';
import {
  credentialsOf,
  databaseOf,
  DEFAULT_LIMITS,
  fetchTable,
  restBaseOf,
  type FetchDeps,
  type FetchLimits,
} from '../../fetch/index.ts';
import { dataDirOf, openContext, type GlobalOptions, type Io } from '../context.ts';
import { importCommand } from './data.ts';

export interface FetchArgs {
  table: string | undefined;
  db: string | undefined;
  out?: string | undefined;
  startYear?: string | undefined;
  endYear?: string | undefined;
  regionalVariable?: string | undefined;
  regionalKey?: string | undefined;
  job?: string | undefined;
  jobTimeout?: string | undefined;
  baseUrl?: string | undefined;
  noImport: boolean;
  dryRun: boolean;
  draft: boolean;
  json: boolean;
}

export async function fetchCommand(
  opts: GlobalOptions,
  io: Io,
  args: FetchArgs,
  deps: Partial<FetchDeps> = {},
): Promise<number> {
  const table = check(
    'table',
    args.table,
    /^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/,
    'e.g. 21311-01-01-4-B',
  );
  const db = databaseOf(args.db);
  check('start-year', args.startYear, /^\d{4}$/, 'a year such as 2015');
  check('end-year', args.endYear, /^\d{4}$/, 'a year such as 2023');
  check(
    'regional-variable',
    args.regionalVariable,
    /^[A-Za-z0-9-]{1,20}$/,
    'e.g. KREISE or GEMEIN',
  );
  check(
    'regional-key',
    args.regionalKey,
    /^[0-9*]{1,12}(,[0-9*]{1,12})*$/,
    'AGS keys separated by commas, e.g. 05358,05366 (`*` as wildcard)',
  );
  check(
    'job',
    args.job,
    /^[A-Za-z0-9][A-Za-z0-9-]*_\d+$/,
    'the job name, e.g. 12411-01-01-4_673843136',
  );
  const limits = limitsOf(io, args.jobTimeout);
  const credentials = credentialsOf(db, io.env);
  const base = restBaseOf(db, args.baseUrl ?? io.env.BIMO_GENESIS_BASE_URL);
  const dir = resolve(io.cwd, args.out ?? join(dataDirOf(opts, io), 'downloads'));
  const now = deps.now ?? (() => Date.now());

  const result = await fetchTable(
    { db, base, credentials, timeoutMs: limits.requestTimeoutMs },
    {
      table,
      startYear: args.startYear,
      endYear: args.endYear,
      regionalVariable: args.regionalVariable,
      regionalKey: args.regionalKey,
      job: args.job,
    },
    // Named as the API names its archives (`61111-0001_1780239718101_en_flat.zip`): table code,
    // time in milliseconds, language — which also tells the importer the table code.
    { dir, baseName: `${table}_${now()}_de_flat` },
    limits,
    {
      fetch: deps.fetch ?? globalThis.fetch,
      sleep: deps.sleep ?? ((ms) => sleep(ms)),
      now,
      log: deps.log ?? ((t) => io.log(t)),
    },
  );
  if (result.kind === 'unchanged') {
    io.log(`fetch: ${table}: no newer data at the ${db.label} (${result.message})`);
    return 0;
  }
  const { file } = result;
  const size = `${(file.bytes / 1024).toFixed(0)} KB`;
  const where = `fetched ${table} from the ${db.label}: ${file.path} (${size}${
    file.members.length ? `, ${file.members.join(', ')}` : ''
  })`;
  if (args.json && args.noImport) {
    const { path, bytes, format, members } = file;
    io.out(
      JSON.stringify(
        { table, database: db.id, job: result.job, path, bytes, format, members },
        null,
        2,
      ),
    );
    return 0;
  }
  // With --format json stdout carries only the import reports.
  if (args.json) io.log(where);
  else io.out(where);
  if (args.noImport) return 0;

  let store;
  try {
    ({ store } = await openContext(opts, io));
  } catch (err) {
    if (err instanceof BimoError) {
      throw new BimoError(
        err.code,
        err.message,
        `${err.fix} The download is kept: bimo import ${file.path}`,
        {
          ...err.details,
          file: file.path,
        },
      );
    }
    throw err;
  }
  try {
    return await importCommand(store, io, [file.path], {
      dryRun: args.dryRun,
      draft: args.draft,
      json: args.json,
    });
  } finally {
    await store.close();
  }
}

function check(field: string, value: string | undefined, re: RegExp, hint: string): string {
  if (value === undefined && field !== 'table') return '';
  if (value === undefined || !re.test(value)) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      value === undefined ? `the table code is missing` : `--${field} "${value}" is not valid`,
      field === 'table'
        ? 'Name the table: bimo fetch TABLE --db regionalstatistik (the code as shown in the database, e.g. 21311-01-01-4-B).'
        : `Give ${hint}.`,
      { field },
    );
  }
  return value;
}

/** Limits from the defaults, --job-timeout and the BIMO_GENESIS_* tuning variables (seconds). */
function limitsOf(io: Io, jobTimeout: string | undefined): FetchLimits {
  const seconds = (name: string, raw: string | undefined, fallbackMs: number): number => {
    if (raw === undefined || raw === '') return fallbackMs;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        `${name} "${raw}" is not a number of seconds`,
        `Give a positive number, e.g. ${name}=600.`,
        { field: name },
      );
    }
    return Math.round(n * 1000);
  };
  return {
    ...DEFAULT_LIMITS,
    requestTimeoutMs: seconds(
      'BIMO_GENESIS_TIMEOUT',
      io.env.BIMO_GENESIS_TIMEOUT,
      DEFAULT_LIMITS.requestTimeoutMs,
    ),
    jobTimeoutMs: seconds(
      '--job-timeout',
      jobTimeout ?? io.env.BIMO_GENESIS_JOB_TIMEOUT,
      DEFAULT_LIMITS.jobTimeoutMs,
    ),
    pollMs: seconds(
      'BIMO_GENESIS_POLL_SECONDS',
      io.env.BIMO_GENESIS_POLL_SECONDS,
      DEFAULT_LIMITS.pollMs,
    ),
  };
}
