/**
 * Addresses of the static export: the canonical form of a portal URL (the crawl's key), the file
 * each response is written to, and the root-relative link that points at that file under the
 * base path. A static server ignores query strings, so a query becomes part of the file name,
 * readable where it can be (`/indikatoren/D6?jahr=2023` → `/indikatoren/D6/_jahr-2023/`) and a
 * short hash where it cannot (commas, long region lists).
 */
import { createHash } from 'node:crypto';

/** The origin the crawl resolves links against; never contacted (requests go to app.request). */
export const ORIGIN = 'http://bimo.publish';

/** Content types written under a file name without extension get one, so static hosts type them. */
const EXTENSIONS: Record<string, string> = {
  'application/json': '.json',
  'text/csv': '.csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'image/svg+xml': '.svg',
  'image/png': '.png',
  'text/css': '.css',
  'text/plain': '.txt',
  'application/pdf': '.pdf',
};

/** Query keys and values that can appear in a file name as they are. */
const PLAIN = /^[A-Za-z0-9.]{1,40}$/;

/**
 * The crawl's key of a same-origin link, or null for links the export does not follow (other
 * origins, mailto:, data:, javascript:). Parameters are sorted by key (their order never changes
 * an answer of the portal), the fragment is dropped.
 */
export function canonicalUrl(link: string, base: string): string | null {
  const trimmed = link.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  let url: URL;
  try {
    url = new URL(trimmed, new URL(base, ORIGIN));
  } catch {
    return null;
  }
  if (url.origin !== ORIGIN) return null;
  const params = [...url.searchParams.entries()];
  // Stable sort: repeated keys keep their order.
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return query === '' ? url.pathname : `${url.pathname}?${query}`;
}

/** The fragment of a link (without `#`), or '' when it has none. */
export function fragmentOf(link: string): string {
  const i = link.indexOf('#');
  if (i < 0) return '';
  try {
    return decodeURIComponent(link.slice(i + 1));
  } catch {
    return link.slice(i + 1);
  }
}

/** `jahr-2023_lang-en`, or `q-<hash>` when a key or value holds other characters. */
function querySlug(query: string): string {
  const params = [...new URLSearchParams(query).entries()];
  const readable = params.every(([k, v]) => PLAIN.test(k) && (v === '' || PLAIN.test(v)));
  if (readable && params.length <= 4) return params.map(([k, v]) => `${k}-${v}`).join('_');
  return `q-${createHash('sha256').update(query).digest('hex').slice(0, 12)}`;
}

/**
 * The file (relative to the export root, with `/`) of a canonical URL answered with
 * `contentType`. HTML becomes `<path>/index.html`; other answers keep the extension of the path
 * or get one from their type; a query goes into the last path segment before the extension.
 */
export function filePathOf(canonical: string, contentType: string): string {
  const q = canonical.indexOf('?');
  const path = decodeURIComponent(q < 0 ? canonical : canonical.slice(0, q));
  const slug = q < 0 ? '' : querySlug(canonical.slice(q + 1));
  const segments = path.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html') {
    if (slug !== '') segments.push(`_${slug}`);
    return [...segments, 'index.html'].join('/');
  }
  const last = segments.pop() ?? 'index';
  const dot = last.lastIndexOf('.');
  const hasExt = dot > 0 && /^\.[a-z0-9]{1,5}$/i.test(last.slice(dot));
  const stem = hasExt ? last.slice(0, dot) : last;
  const ext = hasExt ? last.slice(dot) : (EXTENSIONS[type] ?? '.bin');
  return [...segments, `${stem}${slug === '' ? '' : `_${slug}`}${ext}`].join('/');
}

/** The link to a written file under `basePath` (`/` or `/bildung/`): directories end in `/`. */
export function linkOf(file: string, basePath: string): string {
  const target = file === 'index.html' ? '' : file.replace(/(^|\/)index\.html$/, '$1');
  return `${basePath}${target.split('/').map(encodeURIComponent).join('/')}`;
}

/** `/bildung` or `bildung/` → `/bildung/`; '' → `/`. Throws nothing: the CLI checks the input. */
export function normaliseBasePath(raw: string | undefined): string {
  const parts = (raw ?? '/').split('/').filter((s) => s !== '');
  return parts.length === 0 ? '/' : `/${parts.join('/')}/`;
}

/**
 * The `--exclude` pattern that keeps a canonical URL out, if any: a pattern matches from the start
 * of the URL, `*` stands for any characters, and the end is open (`/indikatoren/A10` also matches
 * `/indikatoren/A10a?lang=en`; `*lang=en` every English page). A pattern starting with `!` takes
 * matching URLs back in; as in .gitignore, the last matching pattern decides.
 */
export function excludedBy(canonical: string, patterns: readonly string[]): string | undefined {
  let decided: string | undefined;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const p = negated ? raw.slice(1) : raw;
    const re = new RegExp(
      `^${p
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}`,
    );
    if (re.test(canonical)) decided = negated ? undefined : raw;
  }
  return decided;
}
