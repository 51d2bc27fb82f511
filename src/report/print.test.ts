// printReport against real Chromium: the TOC numbers it fills in are checked independently with
// poppler (pdftotext per page), the text stays searchable and an SVG-only page has no raster image.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticReport, type TocEntry } from '../../test/helpers/synthetic-report.ts';
import { closeBrowser } from './browser.ts';
import { htmlToPdf } from './pdf.ts';
import { PRINT_CSS } from './print-css.ts';
import { destinationPages, fillTocPages, printReport, type PrintedReport } from './print.ts';

const run = promisify(execFile);
const ARTIFACTS = 'test-artifacts';

async function pageText(file: string, page: number): Promise<string> {
  const { stdout } = await run('pdftotext', ['-f', String(page), '-l', String(page), file, '-']);
  return stdout;
}

/** Titles are unique strings; pdftotext may break a long heading, so compare without whitespace. */
const squash = (s: string) => s.replace(/\s+/g, '');

afterAll(async () => {
  await closeBrowser();
});

describe('printReport', () => {
  const { html, toc } = syntheticReport({ chapters: 3, sections: 2, paragraphs: 5 });
  let report: PrintedReport;
  let file: string;

  beforeAll(async () => {
    report = await printReport(html);
    await mkdir(ARTIFACTS, { recursive: true });
    file = join(ARTIFACTS, 'report-print-test.pdf');
    await writeFile(file, report.pdf);
  });

  it('prints twice and finds a page for every TOC target', () => {
    expect(report.passes).toBe(2);
    expect(Object.keys(report.pages)).toEqual(toc.map((e) => e.id));
    // Cover = page 1, TOC = page 2, chapters start on a new page (break-before: page).
    expect(report.pages['kapitel-1']).toBe(3);
  });

  it('puts each heading on the page the TOC names (checked with pdftotext)', async () => {
    const { stdout: info } = await run('pdfinfo', [file]);
    expect(info).toMatch(new RegExp(`Pages:\\s+${report.pageCount}\\b`));
    for (const entry of toc) {
      const n = report.pages[entry.id] ?? 0;
      // The heading starts on page n: its text is there, and not on the page before
      // (except the TOC page, which lists every title).
      expect(squash(await pageText(file, n)), entry.id).toContain(squash(entry.title));
      if (n - 1 > 2) {
        expect(squash(await pageText(file, n - 1)), entry.id).not.toContain(squash(entry.title));
      }
      // The footer agrees: physical page n is "Seite n von M".
      expect(await pageText(file, n)).toContain(`Seite ${n} von ${report.pageCount}`);
    }
    // Sections land mid-chapter, not only on forced page breaks.
    const chapterPages = new Set(toc.filter((e) => e.level === 1).map((e) => report.pages[e.id]));
    expect(toc.some((e) => e.level === 2 && !chapterPages.has(report.pages[e.id]))).toBe(true);
  });

  it('prints the numbers in the TOC', async () => {
    const { stdout } = await run('pdftotext', ['-layout', '-f', '2', '-l', '2', file, '-']);
    const printed = (entry: TocEntry) => {
      const line = stdout.split('\n').find((l) => l.trim().startsWith(entry.title));
      return Number(/(\d+)\s*$/.exec(line ?? '')?.[1]);
    };
    for (const entry of toc) expect(printed(entry), entry.id).toBe(report.pages[entry.id]);
  });

  it('keeps text searchable and the SVG-only chapter vector', async () => {
    const { stdout: text } = await run('pdftotext', [file, '-']);
    expect(text).toContain('Abbildung 1: Indikator 1.1');
    expect(text).toContain('Lizenz: Datenlizenz Deutschland');
    const karte = report.pages.karte ?? 0;
    expect(await pageText(file, karte)).toContain('2023'); // an SVG <text> label
    // `pdfimages -list` prints two header lines, then one row per embedded raster image.
    const { stdout: images } = await run('pdfimages', [
      '-list',
      '-f',
      `${karte}`,
      '-l',
      `${karte}`,
      file,
    ]);
    expect(images.trim().split('\n').slice(2)).toEqual([]);
    const { stdout: all } = await run('pdfimages', ['-list', file]);
    expect(all.trim().split('\n').slice(2)).toEqual([]);
  });

  it('fillTocPages gives the final HTML, which prints the same page numbers', async () => {
    const final = fillTocPages(html, report.pages);
    expect(final).toContain(`data-target="kapitel-1">3</span>`);
    const again = await htmlToPdf(final);
    const { pages } = await destinationPages(again, Object.keys(report.pages));
    expect(pages).toEqual(report.pages);
  });
});

describe('printReport contract errors', () => {
  const doc = (body: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><style>${PRINT_CSS}</style></head>` +
    `<body>${body}</body></html>`;

  it('names a placeholder whose target does not exist', async () => {
    const html = doc(
      '<nav class="toc"><ol><li><a href="#x">X<span class="toc-page" data-target="x"></span></a></li></ol></nav>',
    );
    await expect(printReport(html)).rejects.toThrow(/no element has id="x"/);
  });

  it('asks for the TOC link that makes Chromium write a destination', async () => {
    const html = doc(
      '<nav class="toc"><ol><li>X<span class="toc-page" data-target="x"></span></li></ol></nav>' +
        '<h1 id="x">X</h1>',
    );
    await expect(printReport(html)).rejects.toThrow(/<a href="#x">/);
  });

  it('reports a target that is not printed', async () => {
    const html = doc(
      '<nav class="toc"><ol><li><a href="#x">X<span class="toc-page" data-target="x"></span></a></li></ol></nav>' +
        '<h1 id="x" style="display:none">X</h1>',
    );
    await expect(printReport(html)).rejects.toThrow(/No page found in the PDF for #x/);
  });

  it('finds ids with umlauts, linked raw or percent-encoded', async () => {
    const ids = ['übergänge', 'a.b:c'];
    const html = doc(
      '<nav class="toc"><ol>' +
        `<li><a href="#übergänge">Ü<span class="toc-page" data-target="übergänge"></span></a></li>` +
        `<li><a href="#${encodeURIComponent('a.b:c')}">A<span class="toc-page" data-target="a.b:c"></span></a></li>` +
        '</ol></nav>' +
        ids.map((id) => `<section class="chapter"><h1 id="${id}">${id}</h1></section>`).join(''),
    );
    const report = await printReport(html);
    expect(report.pages).toEqual({ übergänge: 2, 'a.b:c': 3 });
  });

  it('prints a report without a TOC once', async () => {
    const report = await printReport(doc('<p>Kein Inhaltsverzeichnis</p>'));
    expect(report).toMatchObject({ pages: {}, pageCount: 1, passes: 1 });
  });
});
