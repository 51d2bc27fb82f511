/**
 * `bimo` command line: parses flags, dispatches to the commands, and turns errors into one
 * clear message (cause and fix) and a stable exit code.
 */
import { parseArgs } from 'node:util';
import { BimoError, errorEnvelope } from '../domain/index.ts';
import {
  computeCommand,
  importCommand,
  initCommand,
  observationsCommand,
} from './commands/data.ts';
import { fetchCommand } from './commands/fetch.ts';
import { demoCommand, serveCommand } from './commands/serve.ts';
import { releasesCommand } from './commands/releases.ts';
import { reportCommand } from './commands/report.ts';
import { indicatorsCommand } from './commands/catalog.ts';
import { checkCommand } from './commands/check.ts';
import { usersCommand } from './commands/users.ts';
import { auditCommand } from './commands/audit.ts';
import { questionsCommand } from './commands/questions.ts';
import { publishCommand } from './commands/publish.ts';
import { dumpCommand, restoreCommand } from './commands/dump.ts';
import { openContext, processIo, type Io } from './context.ts';

export const HELP = `bimo — Bildungsmonitoring: regional education database, indicators, portal, reports

Usage: bimo <command> [options]

Commands:
  demo [--port N]                 init, import the sample files, compute and serve (one step)
  init [--sample-data DIR]        create the database with regions, groups and map geometry
  import FILE... [--dry-run] [--draft] [--format json]
                                  import official files (GENESIS/IT.NRW table CSV, flat file
                                  CSV v4/v5, ZIP); tables without a recipe import generically
  fetch TABLE --db regionalstatistik|genesis|landesdatenbank-nrw|bildungsmonitoring
        [--start-year YYYY] [--end-year YYYY] [--regional-key 05358,05366]
        [--regional-variable KREISE] [--out DIR] [--no-import] [--dry-run] [--draft]
        [--format json] [--job NAME] [--job-timeout SECONDS]
                                  download a table from the GENESIS REST API (flat file; large
                                  tables via a background job) into DATA_DIR/downloads and
                                  import it; credentials from BIMO_GENESIS_USER and
                                  BIMO_GENESIS_PASSWORD (or BIMO_<DB>_USER/_PASSWORD)
  compute                         compute peer groups and all indicators (with disclosure
                                  control) for the newest published release, then serve it;
                                  finishes a release whose import or publication was interrupted
  check [--release N] [--format json]
                                  data quality checks (sums vs parts, published rates, jumps,
                                  shares, special signs, coverage, suppression); exit 1 on errors
  indicators [--area A-I] [--status active|planned] [--format json]
                                  list the indicator catalog (one line per indicator, grouped by
                                  area; JSON with every YAML field, variables and questions)
  observations --region CODE [--table CODE] [--harmonise] [--format json]
                                  list imported values of a region with flags and sources;
                                  --harmonise adds values on today's Gebietsstand for periods
                                  before territorial changes (e.g. 05334 = 05313 + 05354 before 2009)
  releases [list | diff A B | approve N | publish N] [--format json]
                                  the release workflow; publishing recomputes the indicators
  publish --out DIR [--base-path /p/] [--exclude PATTERN]... [--format json]
                                  export the public portal (pages, data JSON, downloads, maps)
                                  of the latest published release as static files for any web
                                  server; checks links and scans for non-public data first
                                  (not \`releases publish N\`, which makes a release public)
  serve [--port N] [--host H]     serve the portal and the JSON API (default port 8080)
  report bildungsbericht [--group rheinisches-revier] [--template FILE] [--release N]
         [--out DIR]              the regional Bildungsbericht (reports/bildungsbericht.md) as
                                  HTML and PDF: cover, contents with page numbers, numbered
                                  figures and tables, footnotes, glossary
  report profile (--group G | --region CODE) [--template FILE] [--release N] [--out DIR]
                                  the profile (reports/profil.md) of a region, or of every
                                  Kreis and Gemeinde of a group, as HTML and PDF, with progress
  report diff A B [--group G | --region CODE] [--template FILE] [--format json]
                                  what changed in the report between releases A and B
  report [--indicator D6] [--period 2023] [--out DIR]
                                  one indicator chapter as HTML and PDF
  questions [list | export] [--out FILE] [--format json]
                                  the AG workspace's Handlungsfelder and Fragestellungen (as
                                  edited in /intern/ag); export writes them as questions.yaml
  users [list | add | update | disable | enable | reset-password] [--email E]
        [--role admin|editor|member] [--name N] [--regions 05358,rheinisches-revier]
        [--format json]
                                  accounts; a fresh install has none: create the first admin
                                  with bimo users add --email E --role admin. Passwords are
                                  asked for without echo or read from BIMO_PASSWORD, never
                                  taken as an argument; enable also unlocks a locked account
  audit [--since 2026-01-01] [--actor E] [--action login.failed] [--limit N] [--format json]
                                  the audit log (logins, lockouts, account and token changes),
                                  newest first
  dump [--out FILE] [--format json]
                                  back up the whole database (either engine) into one portable
                                  gzip file (default ./bimo-dump-YYYY-MM-DD.jsonl.gz); prints
                                  tables, rows, size and the SHA-256 of the content
  restore FILE [--format json]    restore a dump into an empty database (a fresh --data-dir or
                                  an empty DATABASE_URL) in one transaction; a damaged or
                                  edited file writes nothing (docs/operations.md)

Options for every command:
  --data-dir DIR                  where the DuckDB database lives (env BIMO_DATA_DIR, default ./data)
  DATABASE_URL=postgres://…       use a PostgreSQL server instead of the embedded DuckDB
  BIMO_SAMPLE_DATA=DIR            sample data folder (default ../shared/data)
  BIMO_PASSWORD=…                 password for \`users add\`/\`reset-password\` in scripts
  BIMO_GENESIS_BASE_URL=URL       REST base for \`fetch\` instead of the database's own
                                  (or --base-url URL), e.g. a proxy or a test server
  -h, --help                      show this help
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  'sample-data': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  format: { type: 'string' },
  region: { type: 'string' },
  table: { type: 'string' },
  indicator: { type: 'string' },
  period: { type: 'string' },
  out: { type: 'string' },
  'dry-run': { type: 'boolean' },
  harmonise: { type: 'boolean' },
  draft: { type: 'boolean' },
  db: { type: 'string' },
  'start-year': { type: 'string' },
  'end-year': { type: 'string' },
  'regional-key': { type: 'string' },
  'regional-variable': { type: 'string' },
  'no-import': { type: 'boolean' },
  job: { type: 'string' },
  'job-timeout': { type: 'string' },
  'base-url': { type: 'string' },
  area: { type: 'string' },
  status: { type: 'string' },
  release: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  regions: { type: 'string' },
  // Defined only so that `users` can refuse it and say why (docs/accounts.md).
  password: { type: 'string' },
  since: { type: 'string' },
  actor: { type: 'string' },
  action: { type: 'string' },
  limit: { type: 'string' },
  group: { type: 'string' },
  template: { type: 'string' },
  'base-path': { type: 'string' },
  exclude: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The --port flag (the environment's PORT is checked with the rest in src/cli/config.ts). */
function portOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `--port "${raw}" is not a port number`,
      'Use a number between 1 and 65535, e.g. --port 8080.',
      { field: 'port' },
    );
  }
  return port;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        (err as Error).message,
        'Run `bimo --help` for the options.',
      );
    }
    const { values: v, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (v.help || !command || command === 'help') {
      io.out(HELP);
      return command || v.help ? 0 : 64;
    }
    const json = v.format === 'json';
    switch (command) {
      case 'indicators':
        return await indicatorsCommand(io, {
          format: json ? 'json' : 'text',
          area: v.area,
          status: v.status,
        });
      case 'demo':
        return await demoCommand(v, io, portOf(v.port));
      case 'serve':
        return await serveCommand(v, io, portOf(v.port), v.host);
      case 'fetch':
        if (rest.length > 1) {
          throw new BimoError(
            'BIMO_E_BAD_REQUEST',
            `fetch takes one table, got ${rest.length}`,
            'Run bimo fetch once per table.',
          );
        }
        return await fetchCommand(v, io, {
          table: rest[0],
          db: v.db,
          out: v.out,
          startYear: v['start-year'],
          endYear: v['end-year'],
          regionalKey: v['regional-key'],
          regionalVariable: v['regional-variable'],
          job: v.job,
          jobTimeout: v['job-timeout'],
          baseUrl: v['base-url'],
          noImport: v['no-import'] ?? false,
          dryRun: v['dry-run'] ?? false,
          draft: v.draft ?? false,
          json,
        });
      case 'report':
        return await reportCommand(v, io, {
          sub: rest[0],
          rest: rest.slice(1),
          json,
          indicator: v.indicator ?? 'D6',
          region: v.region,
          group: v.group,
          template: v.template,
          release: v.release,
          period: v.period,
          out: v.out ?? 'out',
        });
    }
    const { store, dataDir } = await openContext(v, io);
    try {
      switch (command) {
        case 'init':
          await initCommand(store, io, v['sample-data']);
          return 0;
        case 'import':
          return await importCommand(store, io, rest, {
            dryRun: v['dry-run'] ?? false,
            draft: v.draft ?? false,
            json,
          });
        case 'compute':
          await computeCommand(store, io);
          return 0;
        case 'check': {
          const n = v.release === undefined ? undefined : Number(v.release);
          if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
            throw new BimoError(
              'BIMO_E_BAD_REQUEST',
              `--release "${v.release}" is not a release number`,
              'Use a release id from `bimo releases`, e.g. --release 3.',
              { field: 'release' },
            );
          }
          return await checkCommand(store, io, { format: json ? 'json' : 'text', release: n });
        }
        case 'releases':
          return await releasesCommand(store, io, rest, json);
        case 'users':
          return await usersCommand(store, io, rest, {
            email: v.email,
            role: v.role,
            name: v.name,
            regions: v.regions,
            password: v.password,
            json,
          });
        case 'audit':
          return await auditCommand(store, io, {
            since: v.since,
            actor: v.actor,
            action: v.action,
            limit: v.limit,
            json,
          });
        case 'questions':
          return await questionsCommand(store, io, rest, { out: v.out, json });
        case 'publish':
          return await publishCommand(store, io, {
            out: v.out,
            basePath: v['base-path'],
            exclude: v.exclude ?? [],
            json,
          });
        case 'dump':
          return await dumpCommand(store, io, { out: v.out, json });
        case 'restore':
          return await restoreCommand(store, io, rest, {
            target: store.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : dataDir,
            json,
          });
        case 'observations':
          await observationsCommand(store, io, {
            region: v.region,
            table: v.table,
            format: v.format ?? 'text',
            harmonise: v.harmonise ?? false,
          });
          return 0;
        default:
          throw new BimoError(
            'BIMO_E_BAD_REQUEST',
            `unknown command "${command}"`,
            'Run `bimo --help` for the list of commands.',
          );
      }
    } finally {
      await store.close();
    }
  } catch (err) {
    if (err instanceof BimoError) {
      if (argv.includes('json')) io.out(JSON.stringify(errorEnvelope(err), null, 2));
      io.log(`bimo: ${err.code}: ${err.message}\n  fix: ${err.fix}`);
      return err.exitCode;
    }
    io.log(`bimo: internal error: ${(err as Error).stack ?? String(err)}`);
    return 70;
  }
}
