// Real Debian Chromium renders HTML with inline SVG to a PDF whose text is searchable and whose
// chart stays vector (no embedded raster image).
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, getBrowser, launchBrowser } from './browser.ts';
import { htmlToPdf, screenshotHtml, withBaseUrl } from './pdf.ts';

const run = promisify(execFile);
const ARTIFACTS = 'test-artifacts';

const HTML = `<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><title>Browser-Test</title>
<style>body { font-family: 'DejaVu Sans', sans-serif; } h1 { font-size: 16pt; }</style></head>
<body>
<h1>Übergangsquote Gymnasium</h1>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" viewBox="0 0 400 120" role="img">
  <rect x="10" y="10" width="234" height="40" fill="#1f6f8b"/>
  <text x="10" y="90" font-size="20" font-family="DejaVu Sans">Anteil 5,85 %</text>
</svg>
</body>
</html>`;

afterAll(async () => {
  await closeBrowser();
});

describe('htmlToPdf', () => {
  it('renders inline SVG as searchable vector content', async () => {
    const pdf = await htmlToPdf(HTML);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await mkdir(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'browser-test.pdf');
    await writeFile(file, pdf);

    const { stdout: text } = await run('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('Anteil 5,85 %');
    expect(text).toContain('Übergangsquote Gymnasium');
    expect(text).toMatch(/Seite 1 von 1/);

    // `pdfimages -list` prints two header lines, then one row per embedded image.
    const { stdout: images } = await run('pdfimages', ['-list', file]);
    expect(images.trim().split('\n').slice(2)).toEqual([]);

    const { stdout: fonts } = await run('pdffonts', [file]);
    expect(fonts).toMatch(/DejaVu/);
  });

  it('reuses one browser per process', async () => {
    expect(await getBrowser()).toBe(await getBrowser());
  });

  it('writes screenshots', async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'browser-test.png');
    await screenshotHtml(HTML, file, { width: 600, height: 400 });
    const png = await readFile(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(1000);
  });
});

describe('launchBrowser', () => {
  it('explains how to install a missing Chromium', async () => {
    await expect(launchBrowser({ executablePath: '/nonexistent/chromium' })).rejects.toThrow(
      /apt-get install chromium/,
    );
  });
});

describe('withBaseUrl', () => {
  it('inserts <base> after <head> unless present', () => {
    expect(withBaseUrl('<html><head><title>x</title></head></html>', 'http://h/a/')).toBe(
      '<html><head><base href="http://h/a/"><title>x</title></head></html>',
    );
    expect(withBaseUrl('<head><base href="x"></head>', 'http://h/')).toBe(
      '<head><base href="x"></head>',
    );
    expect(withBaseUrl('<p>x</p>', undefined)).toBe('<p>x</p>');
  });
});
