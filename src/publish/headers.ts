/**
 * The HTTP headers a static host must add, since the server's own are lost with it: the security
 * headers exactly as the app sends them (read from its answer to `/`, so they never drift from
 * src/api/app.ts), caching for the stylesheet, and the download names of CSV/XLSX/SVG/PNG files.
 * Written as `_headers` (Netlify and Cloudflare Pages syntax); docs/operations.md shows nginx.
 */
import type { Written } from './crawl.ts';
import { linkOf } from './urls.ts';

/** The security headers taken over from the app's answer (lower-case names). */
const SECURITY = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'permissions-policy',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

/** Header name as commonly written (`x-frame-options` → `X-Frame-Options`). */
function display(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

export function securityHeaders(res: Response): [string, string][] {
  return SECURITY.flatMap((name) => {
    const value = res.headers.get(name);
    return value === null ? [] : [[display(name), value] as [string, string]];
  });
}

export function headersFile(
  security: [string, string][],
  written: Iterable<Written>,
  basePath: string,
): string {
  const lines = [`${basePath}*`, ...security.map(([k, v]) => `  ${k}: ${v}`), ''];
  lines.push(`${basePath}static/*`, '  Cache-Control: public, max-age=3600', '');
  for (const w of written) {
    if (!w.downloadName) continue;
    lines.push(
      linkOf(w.file, basePath),
      `  Content-Disposition: attachment; filename="${w.downloadName}"`,
      '',
    );
  }
  return lines.join('\n');
}
