/**
 * The crawl of the static export: asks the real app in-process as the anonymous public (no
 * cookie, no token), so every decision about what is public stays with the policy the server
 * uses. Starts from the seeds, follows every same-origin link of each HTML page (after its GET
 * forms became links, src/publish/forms.ts) and stylesheet, a few requests at once, and writes
 * each answer to its file under `root` as it arrives. Answers other than 200 (or a redirect to a
 * page that is) are collected with the page that linked to them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { staticForms } from './forms.ts';
import { cssUrls, linksOf } from './html.ts';
import { canonicalUrl, excludedBy, filePathOf } from './urls.ts';

export interface Written {
  /** Relative to the export root, with `/`. */
  file: string;
  contentType: string;
  bytes: number;
  /** The download name the server gave (Content-Disposition), lost on a static host. */
  downloadName?: string;
}

export interface CrawlFailure {
  url: string;
  status: number;
  /** The page whose link led here ('seed' for the start list). */
  from: string;
  message: string;
}

export interface CrawlResult {
  written: Map<string, Written>;
  /** Redirecting URL → where it led. */
  aliases: Map<string, string>;
  /** URL → the --exclude pattern that kept it out. */
  excluded: Map<string, string>;
  failures: CrawlFailure[];
  bytes: number;
}

export interface CrawlOptions {
  request: (path: string) => Promise<Response>;
  seeds: string[];
  root: string;
  exclude: readonly string[];
  concurrency: number;
  /** Progress line, at most every `progressMs`. */
  progress: (written: number, queued: number) => void;
  progressMs: number;
}

const TEXT = /^(text\/html|text\/css)/;

function downloadNameOf(res: Response): string | undefined {
  const cd = res.headers.get('content-disposition') ?? '';
  return /filename="([^"]+)"/.exec(cd)?.[1];
}

async function messageOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    return body.error?.message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

export async function crawl(opts: CrawlOptions): Promise<CrawlResult> {
  const result: CrawlResult = {
    written: new Map(),
    aliases: new Map(),
    excluded: new Map(),
    failures: [],
    bytes: 0,
  };
  const seen = new Set<string>();
  const files = new Map<string, string>();
  const queue: { url: string; from: string }[] = [];
  let next = 0;
  const enqueue = (link: string, from: string): void => {
    const url = canonicalUrl(link, from === 'seed' ? '/' : from);
    if (url === null || seen.has(url)) return;
    seen.add(url);
    const pattern = excludedBy(url, opts.exclude);
    if (pattern !== undefined) result.excluded.set(url, pattern);
    else queue.push({ url, from });
  };
  for (const seed of opts.seeds) enqueue(seed, 'seed');

  const fetchOne = async ({ url, from }: { url: string; from: string }): Promise<void> => {
    const res = await opts.request(url);
    if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
      const target = canonicalUrl(res.headers.get('location')!, url);
      if (target !== null) {
        result.aliases.set(url, target);
        enqueue(target, url);
        return;
      }
    }
    if (res.status !== 200) {
      result.failures.push({ url, status: res.status, from, message: await messageOf(res) });
      return;
    }
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    const file = filePathOf(url, contentType);
    const clash = files.get(file);
    if (clash !== undefined) {
      result.failures.push({
        url,
        status: 200,
        from,
        message: `writes the same file ${file} as ${clash}`,
      });
      return;
    }
    files.set(file, url);
    let body: Uint8Array | string;
    if (TEXT.test(contentType)) {
      let text = await res.text();
      if (contentType.startsWith('text/html')) {
        text = staticForms(text);
        for (const link of linksOf(text)) enqueue(link.url, url);
      } else {
        for (const link of cssUrls(text)) enqueue(link.url, url);
      }
      body = text;
    } else {
      body = new Uint8Array(await res.arrayBuffer());
    }
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    const path = join(opts.root, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
    result.bytes += bytes;
    const downloadName = downloadNameOf(res);
    result.written.set(url, {
      file,
      contentType,
      bytes,
      ...(downloadName ? { downloadName } : {}),
    });
  };

  let last = Date.now();
  await new Promise<void>((resolve, reject) => {
    let active = 0;
    let failed = false;
    const pump = (): void => {
      if (failed) return;
      while (active < opts.concurrency && next < queue.length) {
        const item = queue[next++]!;
        active += 1;
        fetchOne(item).then(
          () => {
            active -= 1;
            if (Date.now() - last >= opts.progressMs) {
              last = Date.now();
              opts.progress(result.written.size, queue.length - next);
            }
            pump();
          },
          (err: unknown) => {
            failed = true;
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      }
      if (active === 0 && next >= queue.length) resolve();
    };
    pump();
  });
  return result;
}
