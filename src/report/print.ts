/**
 * Reports as print-grade PDFs with a table of contents that carries real page numbers.
 *
 * Chromium cannot tell in advance on which printed page an element lands, so the report is
 * printed twice (or more): pass 1 with a fixed-width dummy in every TOC placeholder, then the
 * page of each TOC target is read from that PDF, the numbers are filled in on the same loaded
 * page and it is printed again; when the numbers read from the new PDF equal the ones printed
 * in it, the PDF is final.
 *
 * HTML contract (the report HTML is generated elsewhere):
 * - every heading the TOC lists has an `id`;
 * - the TOC entry is a link `<a href="#ID">` holding a placeholder
 *   `<span class="toc-page" data-target="ID"></span>`.
 *
 * How the page of a heading is found: Chromium writes a PDF named destination for every element
 * that an internal link points to (the catalog's /Dests: name = the id, value = [page /XYZ x y]).
 * The TOC links are already there for the reader, so the destination of `#ID` is exactly "the
 * page where the element with that id starts", keyed by the id itself. That beats the
 * alternatives: the PDF outline (`outline: true`) lists headings by their text, which is
 * ambiguous (two chapters may both have "Hinweise") and only covers h1–h6; measuring in the
 * browser under print emulation cannot see Chromium's fragmentation into pages; pdftotext would
 * need an external binary at report time and text matching again. The destinations are read
 * with pdf-lib (pure JS), which resolves the page references to page indices.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRef,
  PDFString,
  PDFHexString,
  type PDFObject,
} from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { printPage, withBaseUrl, withPage } from './pdf.ts';

export interface PrintReportOptions {
  /** Browser to render with; defaults to the shared one from getBrowser(). */
  browser?: Browser;
  /** Base URL for relative links and resources in the HTML (inserted as <base href>). */
  baseUrl?: string;
}

export interface PrintedReport {
  pdf: Buffer;
  /** Physical page number (as in the footer "Seite N von M", cover = 1) of every TOC target. */
  pages: Record<string, number>;
  pageCount: number;
  /** How many times the report was printed (2 unless filling in the numbers moved a heading). */
  passes: number;
}

/** Pass 1 placeholder: three digits, as wide as any page number up to 999. */
export const TOC_DUMMY = '000';

/**
 * One pass to measure plus up to three to settle: numbers narrower than the dummy could, in
 * theory, re-wrap a TOC line and move what follows; if the numbers still move after that, the
 * layout oscillates and we stop rather than print a wrong TOC.
 */
export const MAX_PASSES = 4;

/**
 * Keeps the placeholder as wide as the dummy whatever number it holds, so filling it in cannot
 * re-wrap the TOC (print.css has the same rule; this holds for reports without it too).
 */
const PLACEHOLDER_STYLE =
  '.toc-page{display:inline-block;min-width:3ch;text-align:right;font-variant-numeric:tabular-nums}';

export async function printReport(
  html: string,
  opts: PrintReportOptions = {},
): Promise<PrintedReport> {
  return withPage(opts.browser, undefined, async (page) => {
    await page.setContent(withBaseUrl(html, opts.baseUrl), { waitUntil: 'load' });
    await page.addStyleTag({ content: PLACEHOLDER_STYLE });
    const targets = await tocTargets(page);
    let printed: Record<string, number> = {};
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      await fillPlaceholders(page, pass === 1 ? undefined : printed);
      const pdf = await printPage(page);
      const { pages, pageCount } = await destinationPages(pdf, targets);
      // Without placeholders there is nothing to settle: one print is final.
      if (targets.length === 0 || (pass > 1 && targets.every((t) => pages[t] === printed[t]))) {
        return { pdf, pages, pageCount, passes: pass };
      }
      printed = pages;
    }
    throw new Error(
      `The table of contents did not settle after ${MAX_PASSES} prints: filling in the page ` +
        'numbers keeps moving headings to other pages. Give `.toc-page` a fixed width ' +
        '(print.css does) and keep TOC entries on one line.',
    );
  });
}

/** The ids the TOC points to, in document order; throws when the contract is broken. */
async function tocTargets(page: Page): Promise<string[]> {
  const found = await page.evaluate(() => {
    const problems: string[] = [];
    const ids: string[] = [];
    for (const span of Array.from(document.querySelectorAll<HTMLElement>('.toc-page'))) {
      const id = span.dataset.target ?? '';
      if (id === '') {
        problems.push('a .toc-page placeholder has no data-target attribute');
        continue;
      }
      if (document.getElementById(id) === null) {
        problems.push(`.toc-page points to "${id}", but no element has id="${id}"`);
      }
      // Compare the resolved fragment, so href="#%C3%BCbersicht" links id="übersicht".
      const links = Array.from(document.querySelectorAll('a[href^="#"]')).filter((a) => {
        const fragment = a.getAttribute('href')?.slice(1) ?? '';
        try {
          return decodeURIComponent(fragment) === id;
        } catch {
          return fragment === id;
        }
      });
      if (links.length === 0) {
        problems.push(`no link <a href="#${id}"> (the TOC entry must link to its heading)`);
      }
      if (!ids.includes(id)) ids.push(id);
    }
    return { ids, problems };
  });
  if (found.problems.length > 0) {
    throw new Error(`Report HTML breaks the TOC contract: ${found.problems.join('; ')}.`);
  }
  return found.ids;
}

/** Writes the page numbers (or the dummy, for pass 1) into the placeholders of the loaded page. */
async function fillPlaceholders(page: Page, pages: Record<string, number> | undefined) {
  await page.evaluate(
    ({ pages, dummy }) => {
      for (const span of Array.from(document.querySelectorAll<HTMLElement>('.toc-page'))) {
        const n = pages?.[span.dataset.target ?? ''];
        span.textContent = n === undefined ? dummy : String(n);
      }
    },
    { pages, dummy: TOC_DUMMY },
  );
}

/**
 * The 1-based page of each target's named destination, and the page count. Reads both places a
 * PDF may keep named destinations: the catalog's /Dests dictionary (what Chromium writes) and the
 * /Names /Dests name tree (PDF 1.2+).
 */
export async function destinationPages(
  pdf: Uint8Array,
  targets: readonly string[],
): Promise<{ pages: Record<string, number>; pageCount: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const context = doc.context;
  const pageIndex = new Map<string, number>();
  doc.getPages().forEach((p, i) => pageIndex.set(p.ref.toString(), i));

  const dests = new Map<string, PDFObject>();
  const catalogDests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  for (const [key, value] of catalogDests?.entries() ?? []) {
    dests.set(destinationName(key.decodeText()), value);
  }
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (tree !== undefined) collectNameTree(tree, dests, 0);

  const pages: Record<string, number> = {};
  const missing: string[] = [];
  for (const target of targets) {
    let dest = dests.get(target);
    if (dest instanceof PDFRef) dest = context.lookup(dest);
    // A destination is an array [page /XYZ …] or a dictionary whose /D holds that array.
    if (dest instanceof PDFDict) dest = dest.lookup(PDFName.of('D'));
    const pageRef = dest instanceof PDFArray ? dest.get(0) : undefined;
    const index = pageRef instanceof PDFRef ? pageIndex.get(pageRef.toString()) : undefined;
    if (index === undefined) missing.push(target);
    else pages[target] = index + 1;
  }
  if (missing.length > 0) {
    throw new Error(
      `No page found in the PDF for ${missing.map((m) => `#${m}`).join(', ')}: Chromium writes ` +
        'a destination only for elements that are printed (not display:none) and linked to ' +
        'with <a href="#ID">.',
    );
  }
  return { pages, pageCount: doc.getPageCount() };
}

/** Chromium names a destination by the URL-escaped id ("übersicht" → "%C3%BCbersicht"). */
function destinationName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function collectNameTree(node: PDFDict, into: Map<string, PDFObject>, depth: number): void {
  if (depth > 32) return; // a malformed (cyclic) tree; the missing-target error reports it
  const leaf = node.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (leaf !== undefined) {
    for (let i = 0; i + 1 < leaf.size(); i += 2) {
      const key = leaf.lookup(i);
      if (key instanceof PDFString || key instanceof PDFHexString) {
        into.set(destinationName(key.decodeText()), leaf.get(i + 1));
      }
    }
  }
  const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
  for (let i = 0; i < (kids?.size() ?? 0); i++) {
    const kid = kids?.lookup(i);
    if (kid instanceof PDFDict) collectNameTree(kid, into, depth + 1);
  }
}

/**
 * The HTML with the page numbers written into its TOC placeholders, as printReport printed it
 * (for saving the final HTML, and for the benchmark's single-print reference).
 */
export function fillTocPages(html: string, pages: Record<string, number>): string {
  return html.replace(
    /(<span\b[^>]*>)([^<]*)(<\/span>)/gi,
    (whole, open: string, _text: string, close: string) => {
      if (!/\bclass\s*=\s*"[^"]*\btoc-page\b/i.test(open)) return whole;
      const target = /\bdata-target\s*=\s*"([^"]*)"/i.exec(open)?.[1];
      const n = target === undefined ? undefined : pages[decodeAttribute(target)];
      return n === undefined ? whole : `${open}${n}${close}`;
    },
  );
}

function decodeAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
