/**
 * The internal area in Chromium: without login every internal page ends at the login form and
 * the internal indicator A2a is a 404; an admin signs in through the form (no script), sees the
 * internal pages and signs out again. Each page is photographed (test-artifacts/internal-*.png),
 * checked with axe-core (no serious or critical violation) and must log no console or CSP error.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, PASSWORD, seriousViolations, shot, usePortal } from '../helpers/portal-server.ts';

const portal = usePortal();

const PAGES = [
  ['/intern', 'Interner Bereich'],
  ['/intern/freigaben', 'Freigaben'],
  ['/intern/import', 'Import'],
  ['/intern/nutzer', 'Nutzerkonten'],
  ['/intern/protokoll', 'Protokoll'],
] as const;

async function signIn(page: Page, email: string, next = '/intern'): Promise<void> {
  await page.goto(`${portal().base}/anmelden?next=${encodeURIComponent(next)}`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`**${next}`), page.click('form.internal-form button')]);
}

describe('internal area in Chromium', () => {
  it('sends the public to the login form and hides internal indicators', async () => {
    const { page, errors } = await newPage();
    for (const [path] of PAGES) {
      await page.goto(`${portal().base}${path}`);
      expect(new URL(page.url()).pathname, path).toBe('/anmelden');
      expect(await page.locator('input[type=password]').count()).toBe(1);
    }
    const a2a = await page.goto(`${portal().base}/indikatoren/A2a`);
    expect(a2a?.status()).toBe(404);
    await page.goto(`${portal().base}/anmelden`);
    await shot(page, 'internal-login');
    // The 404 asked for above is the one error Chromium logs.
    expect(errors.filter((e) => !e.includes('/indikatoren/A2a'))).toEqual([]);
    await page.close();
  });

  it('signs an admin in through the form and shows every internal page', async () => {
    const { page, errors } = await newPage();
    await signIn(page, portal().users.admin.email, '/intern/freigaben');
    expect(await page.locator('header .signed-in').textContent()).toContain(
      'admin@kommune.example',
    );
    for (const [path, heading] of PAGES) {
      const res = await page.goto(`${portal().base}${path}`);
      expect(res?.status(), path).toBe(200);
      expect(await page.locator('h1').first().textContent()).toContain(heading);
      await shot(page, `internal-${path.split('/').pop()}`);
    }
    // A release with its changes (the demo's first release: every cell is new).
    await page.goto(`${portal().base}/intern/freigaben`);
    await Promise.all([page.waitForURL('**/intern/freigaben/*'), page.click('table a')]);
    expect(await page.locator('h2').first().textContent()).toContain('Geänderte Zellen');
    await shot(page, 'internal-release');
    const a2a = await page.goto(`${portal().base}/indikatoren/A2a`);
    expect(a2a?.status()).toBe(200);
    // Sign out with the header's button: internal pages need the login again.
    await page.goto(`${portal().base}/intern`);
    await Promise.all([
      page.waitForURL(`${portal().base}/`),
      page.click('header .signed-in button'),
    ]);
    await page.goto(`${portal().base}/intern`);
    expect(new URL(page.url()).pathname).toBe('/anmelden');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('has no serious or critical axe violations on the internal pages', async () => {
    // bypassCSP only lets the test inject axe-core; the other tests run under the real CSP.
    const { page } = await newPage({ bypassCSP: true });
    await page.goto(`${portal().base}/anmelden`);
    expect(await seriousViolations(page)).toEqual([]);
    await signIn(page, portal().users.admin.email);
    for (const [path] of PAGES) {
      await page.goto(`${portal().base}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.close();
  }, 120_000);
});
