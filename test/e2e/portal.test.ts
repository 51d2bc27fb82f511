/**
 * Real-browser tests (Debian Chromium via playwright-core) against the running server: the
 * indicator page with its map and chart, keyboard access to the map's region links, axe-core
 * accessibility checks, and the report chapter as PDF with vector graphics.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { closeBrowser, getBrowser } from '../../src/report/browser.ts';
import { renderChapterHtml } from '../../src/report/chapter.ts';
import { htmlToPdf } from '../../src/report/pdf.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';

const ARTIFACTS = 'test-artifacts';
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

let deps: AppDeps;
let server: ServerType;
let base: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  deps = await buildDemoStore();
  const app = createApp(deps, mountWeb);
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeBrowser();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await deps.store.close();
});

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: unknown[] }[];
}

describe('portal in Chromium', () => {
  it('shows the D6 page with map, chart and table, without serious axe violations', async () => {
    const browser = await getBrowser();
    // bypassCSP only lets the test inject axe-core; the page itself runs under the real CSP.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
    });
    await page.goto(`${base}/indikatoren/D6`);
    expect(await page.locator('h2').first().textContent()).toContain('D6');
    expect(await page.locator('figure.map svg path[data-region]').count()).toBe(53);
    expect(await page.locator('section.indicator > figure.chart svg').count()).toBe(1);
    expect(await page.getByTestId('sentence').textContent()).toContain('5,8 %');
    await page.screenshot({ path: `${ARTIFACTS}/indicator-D6.png`, fullPage: true });

    await page.addScriptTag({ content: axeSource });
    const result = (await page.evaluate(
      'axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })',
    )) as AxeResult;
    const serious = result.violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    writeFileSync(`${ARTIFACTS}/axe-D6.json`, JSON.stringify(result.violations, null, 2));
    expect(serious.map((v) => v.id)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reaches the map regions by keyboard', async () => {
    const browser = await getBrowser();
    const page = await browser.newPage();
    await page.goto(`${base}/indikatoren/D6`);
    let reachedMap = false;
    for (let i = 0; i < 40 && !reachedMap; i++) {
      await page.keyboard.press('Tab');
      reachedMap = await page.evaluate(
        () => document.activeElement?.closest('figure.map') !== null,
      );
    }
    expect(reachedMap).toBe(true);
    await page.close();
  });
});

describe('report chapter PDF', () => {
  it('has the map and the chart as vectors and the German sentence with the Revier value', async () => {
    const html = await renderChapterHtml(deps, 'D6', '2023');
    const pdf = await htmlToPdf(html);
    const file = `${ARTIFACTS}/kapitel-D6.pdf`;
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    );
    expect(text).toMatch(/Im Rheinischen Revier lag der Anteil .* bei 5,8 %/);
    expect(text).toContain('Nordrhein-Westfalen (6,4 %)');
    // Vector graphics: no raster image in the PDF, but the chart's labels are text.
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(images.length).toBe(2);
    expect(text).toContain('Mönchengladbach, kreisfreie Stadt');
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '2',
      file,
      `${ARTIFACTS}/kapitel-D6`,
    ]);
  });
});
