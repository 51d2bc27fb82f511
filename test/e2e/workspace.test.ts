/**
 * The AG workspace in Chromium, as a member uses it: sign in, revise FS01 (title, a linked
 * indicator, the next-report mark) with a note, see the version in the history, get a form's
 * problems back, and download the export. Every page is photographed
 * (test-artifacts/workspace-*.png), checked with axe-core (no serious or critical violation) and
 * must log no console or CSP error. The public is sent to the login form.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { newPage, PASSWORD, seriousViolations, shot, usePortal } from '../helpers/portal-server.ts';

const portal = usePortal();

const NEW_TITLE =
  'Wie viele Jugendliche verlassen die Schule ohne Abschluss – und wo am häufigsten?';

async function signIn(page: Page, next: string): Promise<void> {
  await page.goto(`${portal().base}/anmelden?next=${encodeURIComponent(next)}`);
  await page.fill('#email', portal().users.member.email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`**${next}`), page.click('form.internal-form button')]);
}

describe('AG workspace in Chromium', () => {
  it('is behind the login', async () => {
    const { page, errors } = await newPage();
    for (const path of ['/intern/ag', '/intern/ag/fragestellungen/FS01']) {
      await page.goto(`${portal().base}${path}`);
      expect(new URL(page.url()).pathname, path).toBe('/anmelden');
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lets a member revise a Fragestellung, with history and export', async () => {
    const { page, errors } = await newPage();
    await signIn(page, '/intern/ag');
    expect(await page.locator('h1').textContent()).toContain('Arbeitsbereich der AG');
    await shot(page, 'workspace-overview');

    await Promise.all([
      page.waitForURL('**/intern/ag/fragestellungen/FS01'),
      page.click('a[href="/intern/ag/fragestellungen/FS01"]'),
    ]);
    await page.fill('#title_de', NEW_TITLE);
    await page.check('#ind-D7');
    await page.uncheck('#next_report');
    await page.fill('#note', 'AG-Sitzung vom 20.11.2026');
    await Promise.all([
      page.waitForURL('**/intern/ag/fragestellungen/FS01?gespeichert=1'),
      page.click('form.ws-form button[type=submit]'),
    ]);
    expect(await page.locator('[role=status]').textContent()).toContain('Gespeichert.');
    expect(await page.inputValue('#title_de')).toBe(NEW_TITLE);
    const history = await page.locator('.ws-history').textContent();
    expect(history).toContain('Fassung 1');
    expect(history).toContain('AG-Sitzung vom 20.11.2026');
    expect(history).toContain('D6, D6-geschlecht, D7, E5a');
    await shot(page, 'workspace-question');

    // A new question without text comes back with its problems, linked to the fields.
    await page.goto(`${portal().base}/intern/ag/fragestellungen/neu`);
    await page.click('form.ws-form button[type=submit]');
    await page.waitForLoadState();
    const alert = page.locator('[role=alert]');
    expect(await alert.textContent()).toContain('Bitte prüfen Sie 4 Angaben');
    await alert.locator('a[href="#title_de"]').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('title_de');
    await shot(page, 'workspace-problems');

    // The export is a questions.yaml with the revision.
    await page.goto(`${portal().base}/intern/ag`);
    expect(await page.locator('.ws-status').textContent()).toContain('1 Änderung(en)');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href="/intern/ag/questions.yaml"]'),
    ]);
    expect(download.suggestedFilename()).toBe('questions.yaml');
    const yaml = parse(await readFile(await download.path(), 'utf8')) as {
      questions: { id: string; title_de: string; next_report: boolean }[];
    };
    expect(yaml.questions.find((q) => q.id === 'FS01')).toMatchObject({
      title_de: NEW_TITLE,
      next_report: false,
    });
    // The form with problems is answered 400, the one error Chromium logs.
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    await page.close();
  }, 120_000);

  it('has no serious or critical axe violations on the workspace pages', async () => {
    const { page } = await newPage({ bypassCSP: true });
    await signIn(page, '/intern/ag');
    for (const path of [
      '/intern/ag',
      '/intern/ag/fragestellungen/FS01',
      '/intern/ag/fragestellungen/neu',
      '/intern/ag/handlungsfelder/hf-schulerfolg',
      '/intern/ag/handlungsfelder/neu',
    ]) {
      await page.goto(`${portal().base}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.click('form.ws-form button[type=submit]');
    await page.waitForLoadState();
    await shot(page, 'workspace-field-problems');
    expect(await seriousViolations(page), 'form with problems').toEqual([]);
    await page.close();
  }, 120_000);
});
