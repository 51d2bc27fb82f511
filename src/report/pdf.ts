// HTML → print-grade PDF (and PNG screenshots for visual checks) through the shared Chromium.
// Reports are rendered as self-contained HTML with inline SVG, so the PDF keeps charts and maps
// as vectors and its text stays searchable.
import type { Browser, Page } from 'playwright-core';
import { getBrowser } from './browser.ts';

export interface PdfOptions {
  /** Base URL for relative links and resources in the HTML (inserted as <base href>). */
  baseUrl?: string;
  format?: 'A4';
  /** Browser to render with; defaults to the shared one from getBrowser(). */
  browser?: Browser;
}

export interface Viewport {
  width: number;
  height: number;
}

// Page numbers in the bottom margin. Chromium renders header/footer templates at a tiny default
// size and without the page's CSS, so the style is inline; an empty header suppresses the
// default title/date header.
const HEADER_TEMPLATE = '<span></span>';
const FOOTER_TEMPLATE =
  '<div style="width:100%;padding:0 15mm;font-size:8px;color:#555;' +
  "font-family:'DejaVu Sans',sans-serif;text-align:right\">" +
  'Seite <span class="pageNumber"></span> von <span class="totalPages"></span></div>';

const MARGIN = '15mm';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Inserts <base href> right after <head> (or at the start) unless the document has one. */
export function withBaseUrl(html: string, baseUrl: string | undefined): string {
  if (baseUrl === undefined || /<base\s/i.test(html)) return html;
  const tag = `<base href="${escapeAttribute(baseUrl)}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head === null) return tag + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + tag + html.slice(at);
}

/**
 * Prints the page as it is now (already loaded) with the report layout: A4 (or `format`), 15 mm
 * margins, backgrounds, and the "Seite N von M" footer. printReport (print.ts) calls it once per
 * pass on the same page, so every PDF of a report is printed with the same settings.
 */
export async function printPage(
  page: Page,
  opts: Pick<PdfOptions, 'format'> & { outline?: boolean; tagged?: boolean } = {},
): Promise<Buffer> {
  await page.emulateMedia({ media: 'print' });
  return page.pdf({
    format: opts.format ?? 'A4',
    printBackground: true,
    margin: { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN },
    displayHeaderFooter: true,
    headerTemplate: HEADER_TEMPLATE,
    footerTemplate: FOOTER_TEMPLATE,
    ...(opts.outline === undefined ? {} : { outline: opts.outline }),
    ...(opts.tagged === undefined ? {} : { tagged: opts.tagged }),
  });
}

/** Opens a page, runs `use`, and closes the page again (also on errors). */
export async function withPage<T>(
  browser: Browser | undefined,
  viewport: Viewport | undefined,
  use: (page: Page) => Promise<T>,
): Promise<T> {
  const b = browser ?? (await getBrowser());
  const page = await b.newPage(viewport === undefined ? {} : { viewport });
  try {
    return await use(page);
  } finally {
    await page.close();
  }
}

export async function htmlToPdf(html: string, opts: PdfOptions = {}): Promise<Buffer> {
  return withPage(opts.browser, undefined, async (page) => {
    await page.setContent(withBaseUrl(html, opts.baseUrl), { waitUntil: 'load' });
    return printPage(page, opts);
  });
}

/** Full-page PNG of the HTML at the given viewport (default 1280×800), written to path. */
export async function screenshotHtml(
  html: string,
  path: string,
  viewport: Viewport = { width: 1280, height: 800 },
  opts: Pick<PdfOptions, 'baseUrl' | 'browser'> = {},
): Promise<void> {
  await withPage(opts.browser, viewport, async (page) => {
    await page.setContent(withBaseUrl(html, opts.baseUrl), { waitUntil: 'load' });
    await page.screenshot({ path, fullPage: true });
  });
}
