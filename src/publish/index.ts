/**
 * The static export (`bimo publish --out DIR`): the whole public portal — pages, data JSON,
 * downloads, maps — as files any web server or CDN can serve. The real app is crawled in-process
 * as the anonymous public (src/publish/crawl.ts), so what is public stays the policy's decision;
 * the result goes to a temp dir beside DIR, links are rewritten to the files, and only when the
 * link check and the leak check on the written files pass (src/publish/check.ts) does it replace
 * DIR. A failed export leaves the previous DIR as it was.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createApp, type AppDeps } from '../api/app.ts';
import { BimoError } from '../domain/index.ts';
import { closeBrowser } from '../report/browser.ts';
import { mountWeb } from '../web/routes.ts';
import { checkLeaks, checkLinks, type Problem } from './check.ts';
import { crawl, type CrawlFailure } from './crawl.ts';
import { headersFile, securityHeaders } from './headers.ts';
import { leakTerms } from './leaks.ts';
import { rewriteAll } from './rewrite.ts';

export { checkLeaks, checkLinks, listFiles, type Problem } from './check.ts';
export { leakTerms, type LeakTerm } from './leaks.ts';
export { excludedBy, filePathOf, normaliseBasePath } from './urls.ts';

export interface PublishOptions {
  deps: AppDeps;
  /** The export folder (absolute); replaced as a whole on success. */
  out: string;
  /** Where the site will be served, `/` or e.g. `/bildung/` (normalised). */
  basePath: string;
  /** URL patterns left out (`*` any characters, open end); links to them become plain text. */
  exclude?: readonly string[];
  /** Requests at once (default 4). */
  concurrency?: number;
  log: (line: string) => void;
  progressMs?: number;
}

export interface PublishSummary {
  files: number;
  pages: number;
  bytes: number;
  seconds: number;
  excluded: number;
}

/** The API entry documents: lists of everything public, and the seeds they name. */
const API_SEEDS = [
  '/api/v1/openapi.json',
  '/api/v1/indicators',
  '/api/v1/questions',
  '/api/v1/regions',
  '/api/v1/regions?level=gemeinde',
  '/api/v1/groups',
  '/api/v1/geometry',
  '/api/v1/sources',
];

type Request = (path: string) => Promise<Response>;

/** The `data` items of a list, following `page.next` (paths the public gets a 200 for). */
async function listOf(request: Request, path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let next: string | null = path;
  while (next !== null) {
    const res = await request(next);
    if (res.status !== 200) {
      throw new BimoError(
        'BIMO_E_PUBLISH',
        `the seed ${next} answered ${res.status}`,
        'Check that the database is initialised and computed (bimo init, import, compute).',
      );
    }
    const body = (await res.json()) as {
      data?: Record<string, unknown>[];
      page?: { next?: string | null };
    };
    out.push(...(body.data ?? []));
    next = typeof body.page?.next === 'string' ? body.page.next : null;
  }
  return out;
}

/** The start list: home, stylesheet, icons, the API documents, every indicator, region and map. */
export async function seedsOf(request: Request): Promise<string[]> {
  const seeds = ['/', '/static/bimo.css', '/favicon.svg', '/favicon.ico', ...API_SEEDS];
  const ids = (list: Record<string, unknown>[], key: string): string[] =>
    list.map((x) => x[key]).filter((v): v is string => typeof v === 'string');
  for (const id of ids(await listOf(request, '/api/v1/indicators'), 'id')) {
    seeds.push(`/indikatoren/${id}`, `/api/v1/indicators/${id}`);
  }
  const regions = [
    ...(await listOf(request, '/api/v1/regions')),
    ...(await listOf(request, '/api/v1/regions?level=gemeinde')),
  ];
  for (const code of ids(regions, 'code')) seeds.push(`/regionen/${code}`);
  for (const id of ids(await listOf(request, '/api/v1/groups'), 'id'))
    seeds.push(`/regionen/${id}`);
  for (const id of ids(await listOf(request, '/api/v1/geometry'), 'id')) {
    seeds.push(`/api/v1/geometry/${id}`);
  }
  return [...new Set(seeds)];
}

function failureMessage(failures: CrawlFailure[]): string {
  const shown = failures
    .slice(0, 10)
    .map((f) => `  ${f.url} answered ${f.status} (${f.message}), linked from ${f.from}`);
  const more = failures.length > 10 ? `\n  … and ${failures.length - 10} more` : '';
  return `${failures.length} page(s) of the public portal failed:\n${shown.join('\n')}${more}`;
}

function problemMessage(problems: Problem[]): string {
  const shown = problems.slice(0, 20).map((p) => `  ${p.check}: ${p.file}: ${p.detail}`);
  const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : '';
  return `${problems.length} problem(s) in the written files:\n${shown.join('\n')}${more}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Written into every export: only a folder holding it may be replaced by the next export. */
export const EXPORT_MARKER = '.bimo-export';

/**
 * DIR is replaced as a whole: refuse a folder that holds anything but an earlier export (a
 * mistyped --out must never delete someone's files).
 */
async function checkTarget(out: string): Promise<void> {
  if (!(await exists(out))) return;
  const entries = await readdir(out).catch(() => null);
  if (entries === null) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `--out ${out} is not a folder`,
      'Name a folder for the export, e.g. --out site.',
      { field: 'out' },
    );
  }
  if (entries.length > 0 && !entries.includes(EXPORT_MARKER)) {
    throw new BimoError(
      'BIMO_E_CONFLICT',
      `${out} holds other files, not an earlier export (it has no ${EXPORT_MARKER})`,
      'The export replaces its folder as a whole: name a new or empty folder, or move the files away first.',
      { field: 'out' },
    );
  }
}

export async function publishSite(opts: PublishOptions): Promise<PublishSummary> {
  await checkTarget(opts.out);
  const started = performance.now();
  const app = createApp(opts.deps, mountWeb);
  // No cookie, no token: every answer is the anonymous public's.
  const request: Request = async (path) => app.request(path);
  const stamp = `${process.pid}-${Date.now()}`;
  const temp = join(dirname(opts.out), `.${basename(opts.out)}.publish-${stamp}`);
  await mkdir(temp, { recursive: true });
  try {
    const seeds = await seedsOf(request);
    opts.log(`publish: crawling the public portal from ${seeds.length} start addresses`);
    const result = await crawl({
      request,
      seeds,
      root: temp,
      exclude: opts.exclude ?? [],
      concurrency: opts.concurrency ?? 4,
      progressMs: opts.progressMs ?? 2000,
      progress: (written, queued) => {
        const s = ((performance.now() - started) / 1000).toFixed(0);
        opts.log(`publish: ${written} files written, ${queued} queued (${s} s)`);
      },
    });
    if (result.failures.length > 0) {
      throw new BimoError(
        'BIMO_E_PUBLISH',
        failureMessage(result.failures),
        'Fix the page (or its link), or leave it out with --exclude PATH; the previous export is unchanged.',
        { failures: result.failures.length },
      );
    }
    await rewriteAll(temp, result, opts.basePath);
    await writeFile(
      join(temp, EXPORT_MARKER),
      'written by bimo publish; this folder is replaced by the next export\n',
    );
    const security = securityHeaders(await request('/'));
    await writeFile(
      join(temp, '_headers'),
      headersFile(security, result.written.values(), opts.basePath),
    );
    opts.log('publish: checking links and scanning for non-public data');
    const problems = [
      ...(await checkLinks(temp, opts.basePath)),
      ...(await checkLeaks(temp, await leakTerms(opts.deps.store, opts.deps.catalog))),
    ];
    if (problems.length > 0) {
      throw new BimoError(
        'BIMO_E_PUBLISH',
        problemMessage(problems),
        'Fix what is named (a page that links wrongly, data that should not be public); the previous export is unchanged.',
        { problems: problems.length },
      );
    }
    // Swap: the old export is moved aside first, so DIR is never half-written.
    const old = join(dirname(opts.out), `.${basename(opts.out)}.old-${stamp}`);
    const hadOld = await exists(opts.out);
    if (hadOld) await rename(opts.out, old);
    await rename(temp, opts.out);
    if (hadOld) await rm(old, { recursive: true, force: true });
    const written = [...result.written.values()];
    return {
      files: written.length + 1,
      pages: written.filter((w) => w.contentType.startsWith('text/html')).length,
      bytes: result.bytes,
      seconds: (performance.now() - started) / 1000,
      excluded: result.excluded.size,
    };
  } finally {
    await rm(temp, { recursive: true, force: true });
    // The PNG maps start the shared Chromium; a CLI run must not keep it alive.
    await closeBrowser();
  }
}
