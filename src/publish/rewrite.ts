/**
 * Second pass of the static export: every link in the written HTML and CSS is pointed at the file
 * its target was written to (root-relative under the base path, fragments kept). A download link
 * gets the file name the server would have sent (`download="D6-karte-2024-kreis.svg"`); a link to
 * an excluded address (`--exclude`) loses its href and stays as plain text.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CrawlResult, Written } from './crawl.ts';
import { applyEdits, cssUrls, escapeAttr, tags, URL_ATTRS } from './html.ts';
import { canonicalUrl, linkOf } from './urls.ts';

interface Edit {
  start: number;
  end: number;
  text: string;
}

function resolveTarget(
  crawl: CrawlResult,
  link: string,
  page: string,
): Written | 'excluded' | undefined {
  let url = canonicalUrl(link, page);
  if (url === null) return undefined;
  for (let hops = 0; hops < 10 && crawl.aliases.has(url); hops++) url = crawl.aliases.get(url)!;
  if (crawl.excluded.has(url)) return 'excluded';
  return crawl.written.get(url);
}

function newLink(link: string, target: Written, basePath: string): string {
  const hash = link.indexOf('#');
  return linkOf(target.file, basePath) + (hash >= 0 ? link.slice(hash) : '');
}

export function rewriteHtml(
  html: string,
  page: string,
  crawl: CrawlResult,
  basePath: string,
): string {
  const edits: Edit[] = [];
  for (const tag of tags(html)) {
    const download = tag.attrs.find((a) => a.name === 'download');
    for (const a of tag.attrs) {
      if (a.start < 0) continue;
      if (a.name === 'srcset') {
        const value = a.value
          .split(',')
          .map((candidate) => {
            const [url = '', ...descriptor] = candidate.trim().split(/\s+/);
            const target = resolveTarget(crawl, url, page);
            const to = target && target !== 'excluded' ? newLink(url, target, basePath) : url;
            return [to, ...descriptor].join(' ');
          })
          .join(', ');
        edits.push({ start: a.start, end: a.end, text: escapeAttr(value) });
        continue;
      }
      if (!URL_ATTRS.has(a.name) || a.value.startsWith('#')) continue;
      const target = resolveTarget(crawl, a.value, page);
      if (target === undefined) continue;
      if (target === 'excluded') {
        edits.push({ start: a.nameStart, end: a.rawEnd, text: '' });
        if (download) edits.push({ start: download.nameStart, end: download.rawEnd, text: '' });
        continue;
      }
      edits.push({
        start: a.start,
        end: a.end,
        text: escapeAttr(newLink(a.value, target, basePath)),
      });
      if (download && a.name === 'href' && target.downloadName) {
        edits.push({
          start: download.nameStart,
          end: download.rawEnd,
          text: `download="${escapeAttr(target.downloadName)}"`,
        });
      }
    }
  }
  return applyEdits(html, edits);
}

export function rewriteCss(
  css: string,
  page: string,
  crawl: CrawlResult,
  basePath: string,
): string {
  const edits: Edit[] = [];
  for (const u of cssUrls(css)) {
    const target = resolveTarget(crawl, u.url, page);
    if (target && target !== 'excluded') {
      edits.push({ start: u.start, end: u.end, text: newLink(u.url, target, basePath) });
    }
  }
  return applyEdits(css, edits);
}

/** Rewrites every HTML and CSS file of the crawl in place under `root`. */
export async function rewriteAll(
  root: string,
  crawl: CrawlResult,
  basePath: string,
): Promise<void> {
  for (const [url, w] of crawl.written) {
    const html = w.contentType.startsWith('text/html');
    if (!html && !w.contentType.startsWith('text/css')) continue;
    const path = join(root, w.file);
    const text = await readFile(path, 'utf8');
    const out = html
      ? rewriteHtml(text, url, crawl, basePath)
      : rewriteCss(text, url, crawl, basePath);
    if (out !== text) await writeFile(path, out);
  }
}
