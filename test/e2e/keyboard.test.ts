/**
 * Keyboard only, in Chromium: from the home page through an indicator's map to a region profile,
 * with Tab and Enter alone (no mouse, no scripts on the pages). Each step checks that the focus
 * is visible where the user is.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, shot, usePortal } from '../helpers/portal-server.ts';

const portal = usePortal();

/** Presses Tab until the focused element matches `test`; fails after `max` presses. */
async function tabTo(page: Page, test: string, max = 400): Promise<string> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate((selector) => {
      const el = document.activeElement;
      if (!el?.matches(selector)) return null;
      const box = el.getBoundingClientRect();
      return `${el.getAttribute('href') ?? el.getAttribute('xlink:href') ?? ''} ${box.width > 0 && box.height > 0}`;
    }, test);
    if (hit) return hit;
  }
  throw new Error(`no element matching ${test} after ${max} Tab presses`);
}

describe('keyboard only', () => {
  it('goes from the home page through the D6 map to the profile of Kreis Düren', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${portal().base}/`);
    const toIndicator = await tabTo(page, 'a[href="/indikatoren/D6"]');
    expect(toIndicator).toBe('/indikatoren/D6 true');
    await Promise.all([page.waitForURL(/\/indikatoren\/D6$/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1, h2').first().textContent()).toContain('D6');

    const region = await tabTo(page, 'figure.map a[href^="/regionen/05358"]');
    expect(region).toMatch(/^\/regionen\/05358 true$/);
    await shot(page, 'keyboard-map-focus');
    await Promise.all([page.waitForURL(/\/regionen\/05358$/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toContain('Düren');
    await shot(page, 'keyboard-profile');
    expect(errors).toEqual([]);
  });
});
