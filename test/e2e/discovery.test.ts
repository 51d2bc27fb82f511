/**
 * The discovery pages in Chromium under the real CSP (axe-core injected with bypassCSP only):
 * home, indicator list, a Fragestellung and search results, in German and English; each
 * screenshotted into test-artifacts/, with no serious or critical axe violations and no console
 * or CSP errors.
 */
import { describe, expect, it } from 'vitest';
import { newPage, seriousViolations, shot, usePortal } from '../helpers/portal-server.ts';

const portal = usePortal({ full: true });

const PAGES = [
  { name: 'home', path: '/', h1: 'Bildungsmonitoring Rheinisches Revier' },
  { name: 'home-en', path: '/?lang=en', h1: 'Education monitoring Rhenish mining area' },
  { name: 'indicators', path: '/indikatoren', h1: 'Indikatoren' },
  { name: 'indicators-en', path: '/indikatoren?bereich=D&lang=en', h1: 'Indicators' },
  { name: 'question-FS01', path: '/fragestellungen/FS01', h1: 'Wie viele Jugendliche' },
  { name: 'question-FS01-en', path: '/fragestellungen/FS01?lang=en', h1: 'How many young' },
  { name: 'questions', path: '/fragestellungen', h1: 'Fragestellungen' },
  { name: 'search-dueren', path: '/suche?q=D%C3%BCren', h1: 'Suche' },
  { name: 'search-en', path: '/suche?q=Abschluss&lang=en', h1: 'Search' },
  { name: 'search-none', path: '/suche?q=qqqzzz', h1: 'Suche' },
];

describe('discovery pages in Chromium', () => {
  it.each(PAGES)('$name: renders, is accessible, runs clean', async ({ name, path, h1 }) => {
    // First under the real CSP (errors would show in the console), then axe with bypassCSP.
    const { page, errors } = await newPage();
    await page.goto(`${portal().base}${path}`);
    expect(await page.locator('h1').textContent()).toContain(h1);
    await shot(page, `discovery-${name}`);
    expect(errors).toEqual([]);
    await page.close();
    const axe = await newPage({ bypassCSP: true });
    await axe.page.goto(`${portal().base}${path}`);
    expect(await seriousViolations(axe.page)).toEqual([]);
    await axe.page.close();
  });

  it('chooses a region on the home page with the plain form, and searches from there', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${portal().base}/`);
    await page.getByLabel('Region', { exact: true }).selectOption('05358');
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await page.waitForURL(/region=05358/);
    expect(await page.locator('.cards.figures dt').first().textContent()).toContain('Düren');
    await shot(page, 'discovery-home-dueren');
    await page.getByLabel('Suchbegriff').fill('Gymnasium');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/\/suche\?q=Gymnasium/);
    expect(await page.locator('#hits-indicators').textContent()).toContain('Indikatoren');
    expect(errors).toEqual([]);
    await page.close();
  });
});
