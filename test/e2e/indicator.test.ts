/**
 * The indicator page in Chromium: every view option once (year, Gemeinde map, classes,
 * breakdown, series regions, English), the form without scripts, the map's focus showing the
 * region's value, screenshots, zero serious/critical axe violations and no console/CSP errors.
 */
import { describe, expect, it } from 'vitest';
import { newPage, seriousViolations, shot, usePortal } from '../helpers/portal-server.ts';

const portal = usePortal();

const VIEWS: [string, string][] = [
  ['indicator-D6-default', '/indikatoren/D6'],
  ['indicator-D6-2023-jenks', '/indikatoren/D6?jahr=2023&klassen=jenks'],
  ['indicator-D6-gemeinden-gleich', '/indikatoren/D6?ebene=gemeinde&klassen=gleich'],
  [
    'indicator-D6-weiblich-regionen',
    '/indikatoren/D6?geschlecht=weiblich&regionen=05358,05,rheinisches-revier',
  ],
  ['indicator-D6-maennlich-en', '/indikatoren/D6?geschlecht=maennlich&lang=en'],
];

describe('indicator page in Chromium', () => {
  it.each(VIEWS)(
    '%s: renders, no serious axe violations, no console errors',
    async (name, path) => {
      const { page, errors } = await newPage({ bypassCSP: false });
      await page.goto(`${portal().base}${path}`);
      expect(await page.locator('figure.map svg path[data-region]').count()).toBeGreaterThan(50);
      expect(await page.locator('section.series svg').count()).toBe(1);
      await shot(page, name);
      await page.locator('form.view-form').screenshot({ path: `test-artifacts/${name}-form.png` });
      await page
        .locator('section.series')
        .screenshot({ path: `test-artifacts/${name}-series.png` });
      await page
        .locator('section.breakdown')
        .first()
        .screenshot({ path: `test-artifacts/${name}-breakdown.png` });
      expect(errors).toEqual([]);
      await page.close();
      const checked = await newPage({ bypassCSP: true });
      await checked.page.goto(`${portal().base}${path}`);
      expect(await seriousViolations(checked.page)).toEqual([]);
      await checked.page.close();
    },
    60_000,
  );

  it('changes the view with the GET form, without scripts', async () => {
    const browser = (await newPage()).page.context().browser();
    const context = await browser!.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal().base}/indikatoren/D6`);
    await page.selectOption('select[name="jahr"]', '2023');
    await page.selectOption('select[name="klassen"]', 'jenks');
    await page.selectOption('select[name="geschlecht"]', 'weiblich');
    await page.fill('input[name="regionen"]', '05358,05');
    await page.click('form.view-form button[type="submit"]');
    await page.waitForURL(/klassen=jenks/);
    const url = new URL(page.url());
    expect(url.searchParams.get('jahr')).toBe('2023');
    expect(url.searchParams.get('geschlecht')).toBe('weiblich');
    expect(url.searchParams.get('regionen')).toBe('05358,05');
    expect(
      await page.locator('select[name="klassen"] option[selected]').getAttribute('value'),
    ).toBe('jenks');
    await context.close();
  }, 60_000);

  it('shows the focused region with a dark border and its value in the title; links to the profile', async () => {
    const { page } = await newPage();
    await page.goto(`${portal().base}/indikatoren/D6?jahr=2023`);
    const link = page.locator('figure.map a[href="/regionen/05358"]');
    await link.focus();
    expect(await link.getAttribute('aria-label')).toBe('Düren, Kreis: 5,9 %');
    expect(await link.locator('title').textContent()).toBe('Düren, Kreis: 5,9 %');
    const stroke = await link.locator('path').evaluate((p) => getComputedStyle(p).stroke);
    expect(stroke).toBe('rgb(197, 27, 125)');
    // The value is visible on focus (not only as a hover tooltip).
    expect(await link.locator('.map-tip').isVisible()).toBe(true);
    expect(await page.locator('figure.map a[href="/regionen/05162"] .map-tip').isVisible()).toBe(
      false,
    );
    await page
      .locator('figure.map')
      .screenshot({ path: 'test-artifacts/indicator-D6-map-focus.png' });
    await page.close();
  }, 60_000);
});
