/**
 * The page-weight budget of the portal: no page transfers more than 300 KB before its map
 * geometry. Counted: the HTML, without the outline data (`d="…"`) of the map's region shapes
 * (elements with `data-region`), plus the one stylesheet every page links. Pages load no scripts
 * and no other assets. A page over the budget fails this test with its weight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import { CSS, mountWeb } from '../../src/web/routes.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';
import { formClient, type Browser, type FormClient } from '../helpers/portal-forms.ts';

export const BUDGET_BYTES = 300 * 1024;

/** Bytes a browser transfers for `html` before the map geometry (and the stylesheet). */
export function weightBeforeGeometry(html: string, css: string): number {
  const withoutGeometry = html.replace(
    /(<(?:path|polygon)\b[^>]*\bdata-region="[^"]*"[^>]*?)\s+d="[^"]*"/g,
    '$1',
  );
  return Buffer.byteLength(withoutGeometry) + Buffer.byteLength(css);
}

/** The pages the budget covers: one or more of every page kind (add new kinds here). */
const PAGES = [
  '/',
  '/?lang=en',
  '/indikatoren',
  '/indikatoren/D6',
  '/indikatoren/A7',
  '/indikatoren/C1',
  '/indikatoren/D6?ebene=gemeinde&klassen=jenks&regionen=05358,05,rheinisches-revier',
  '/indikatoren/D6?lang=en&geschlecht=weiblich',
  '/fragestellungen',
  '/fragestellungen/FS01',
  '/suche?q=d%C3%BCren',
  '/regionen',
  '/regionen/05358',
  '/regionen/05358008',
  '/regionen/rheinisches-revier',
  '/vergleich',
  '/anmelden',
  '/api/v1/docs',
];

/** Pages of the internal area, asked as a signed-in member. */
const INTERNAL_PAGES = [
  '/intern',
  '/intern/freigaben',
  '/intern/ag',
  '/intern/ag/fragestellungen/FS01',
  '/intern/ag/fragestellungen/neu',
  '/intern/ag/handlungsfelder/hf-schulerfolg',
];
const PW = 'Gewicht der Seiten prüfen';

let deps: AppDeps;
let app: ReturnType<typeof createApp>;
let client: FormClient;
let member: Browser;

beforeAll(async () => {
  const base = await buildFullDemoStore();
  const accounts = new Accounts(base.store);
  deps = { ...base, accounts, sessions: new Sessions(base.store) };
  await accounts.createAccount(
    { email: 'gewicht@kreis-dueren.de', password: PW, role: 'member' },
    { actor: 'cli:test' },
  );
  app = createApp(deps, mountWeb);
  client = formClient(app, PW);
  member = await client.signIn('gewicht@kreis-dueren.de');
}, 180_000);

afterAll(async () => {
  await deps.store.close();
});

describe('page weight', () => {
  it('counts the page without its map outlines, plus the stylesheet', () => {
    const page = `<html><svg><path data-region="05358" d="M${'1,2L'.repeat(1000)}Z"><title>Düren</title></path></svg></html>`;
    const weight = weightBeforeGeometry(page, 'body{}');
    expect(weight).toBe(
      Buffer.byteLength(
        '<html><svg><path data-region="05358"><title>Düren</title></path></svg></html>',
      ) + 6,
    );
    // A page over the budget is caught.
    const heavy = `<html><p>${'x'.repeat(BUDGET_BYTES)}</p></html>`;
    expect(weightBeforeGeometry(heavy, CSS)).toBeGreaterThan(BUDGET_BYTES);
  });

  it.each(PAGES)('%s stays under 300 KB before its map geometry', async (path) => {
    const res = await app.request(path);
    expect(res.status, path).toBe(200);
    const html = await res.text();
    expect(html, 'pages load no scripts').not.toMatch(/<script\b/i);
    const weight = weightBeforeGeometry(html, CSS);
    expect(weight, `${path}: ${Math.round(weight / 1024)} KB`).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it.each(INTERNAL_PAGES)('%s (signed in) stays under 300 KB', async (path) => {
    const res = await client.get(member, path);
    expect(res.status, path).toBe(200);
    const html = await res.text();
    expect(html, 'pages load no scripts').not.toMatch(/<script\b/i);
    const weight = weightBeforeGeometry(html, CSS);
    expect(weight, `${path}: ${Math.round(weight / 1024)} KB`).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
