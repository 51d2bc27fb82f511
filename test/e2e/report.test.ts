/**
 * The HTML of the reports is accessible: the Bildungsbericht and a Gemeinde profile, opened in
 * Chromium, have no serious or critical axe-core violation (WCAG 2.1 A/AA rules); a screenshot of
 * each goes to test-artifacts/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/api/app.ts';
import { REPORTS_DIR } from '../../src/cli/commands/report.ts';
import { renderReportFile } from '../../src/report/template/render.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';
import { newPage, seriousViolations } from '../helpers/portal-server.ts';

let deps: AppDeps;

beforeAll(async () => {
  deps = await buildFullDemoStore();
}, 180_000);
afterAll(async () => {
  await deps.store.close();
});

describe('report HTML in Chromium', () => {
  it.each([
    ['bildungsbericht.md', 'rheinisches-revier'],
    ['profil.md', '05358008'],
  ])(
    '%s for %s has no serious or critical axe violation',
    async (template, region) => {
      const report = await renderReportFile(deps, join(REPORTS_DIR, template), region);
      const { page } = await newPage({ bypassCSP: true });
      await page.setContent(report.html, { waitUntil: 'load' });
      expect(await page.locator('h1').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `test-artifacts/report-${region}.png` });
      await page.close();
    },
    120_000,
  );
});
