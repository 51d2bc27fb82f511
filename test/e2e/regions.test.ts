/**
 * The region pages in Chromium on the full demo: the list, a Kreis, a Gemeinde and the Revier
 * profile and the comparison, in German and English, under the real CSP (no console or CSP
 * errors), with screenshots in test-artifacts/ and no serious or critical axe violations.
 */
import { describe, expect, it } from 'vitest';
import { newPage, seriousViolations, shot, usePortal } from '../helpers/portal-server.ts';

const portal = usePortal({ full: true });

async function visit(
  path: string,
  name: string,
): Promise<{ page: Awaited<ReturnType<typeof newPage>>['page']; check: () => Promise<void> }> {
  // Two pages: one under the real CSP for errors, one with CSP bypassed only to inject axe-core.
  const strict = await newPage();
  const res = await strict.page.goto(`${portal().base}${path}`);
  expect(res?.status(), path).toBe(200);
  await shot(strict.page, name);
  const axe = await newPage({ bypassCSP: true });
  await axe.page.goto(`${portal().base}${path}`);
  return {
    page: strict.page,
    check: async () => {
      expect(await seriousViolations(axe.page), path).toEqual([]);
      expect(strict.errors, path).toEqual([]);
      await axe.page.close();
      await strict.page.close();
    },
  };
}

describe('region pages in Chromium', () => {
  it('lists the regions and filters them without scripts', async () => {
    const { page, check } = await visit('/regionen', 'regions-list');
    expect(await page.locator('.revier-tree > li').count()).toBe(7);
    await page.getByLabel('Name oder Schlüssel').fill('Düren');
    await page.getByRole('button', { name: 'Filtern' }).click();
    await page.waitForURL(/q=D/);
    expect(await page.getByRole('status').textContent()).toMatch(/Regionen passen zu „Düren“/);
    await page.getByRole('link', { name: 'Düren, Kreis' }).first().click();
    await page.waitForURL(/\/regionen\/05358$/);
    expect(await page.locator('h1').textContent()).toBe('Düren, Kreis');
    await check();
  });

  it('shows a Kreis profile with references, sparklines and the peer sentence', async () => {
    const { page, check } = await visit('/regionen/05358', 'region-kreis-05358');
    expect(await page.getByTestId('peer-sentence').textContent()).toContain('Vergleichsgruppe');
    const spark = page.locator('svg.sparkline[aria-label^="Verlauf D6, Düren, Kreis"]');
    expect(await spark.getAttribute('aria-label')).toContain('2023: 5,9 %');
    expect(await page.locator('table.profile caption').count()).toBeGreaterThan(3);
    await check();
  });

  it('shows a Gemeinde profile with its Kreis as reference', async () => {
    const { page, check } = await visit('/regionen/05358008', 'region-gemeinde-05358008');
    expect(await page.locator('h1').textContent()).toBe('Düren, Stadt');
    expect(
      await page.locator('table.profile th[scope=col]', { hasText: 'Düren, Kreis' }).count(),
    ).toBeGreaterThan(0);
    await check();
  });

  it('shows the Revier profile in English', async () => {
    const { page, check } = await visit('/regionen/rheinisches-revier?lang=en', 'region-revier-en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(
      await page.locator('svg.sparkline[aria-label^="Trend D6, "]').getAttribute('aria-label'),
    ).toContain('2023: 5.8 %');
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await page.waitForURL(/\/regionen\/rheinisches-revier$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await check();
  });

  it('compares regions chosen in the form, and restores the view from the address', async () => {
    const { page, check } = await visit('/vergleich', 'compare-default');
    await page.getByLabel(/^Regionen/).selectOption(['05358', '05362', '05']);
    await page.getByLabel(/^Indikatoren/).selectOption(['D6', 'A6']);
    await page.getByRole('button', { name: 'Vergleich anzeigen' }).click();
    await page.waitForURL(/regionen=05358/);
    const heads = await page.locator('table.compare thead th').allTextContents();
    expect(heads.map((h) => h.trim())).toEqual([
      'Indikator',
      'Stand',
      'Düren, Kreis',
      'Rhein-Erft-Kreis',
      'Nordrhein-Westfalen',
    ]);
    const d6 = await page.locator('table.compare tbody tr', { hasText: 'D6 ·' }).textContent();
    expect(d6?.replace(/\s+/g, ' ')).toContain('2024 7,9 % 5,1 %');
    await shot(page, 'compare-chosen');
    const again = await newPage();
    await again.page.goto(page.url());
    expect(await again.page.locator('table.compare thead th').count()).toBe(5);
    await again.page.close();
    await check();
  });

  it('compares in English', async () => {
    const { page, check } = await visit(
      '/vergleich?regionen=05358,05362,05&indikatoren=D6,A6&lang=en',
      'compare-en',
    );
    const d6 = await page.locator('table.compare tbody tr', { hasText: 'D6 ·' }).textContent();
    expect(d6?.replace(/\s+/g, ' ')).toContain('2024 7.9 % 5.1 %');
    await check();
  });
});
