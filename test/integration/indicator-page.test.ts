/**
 * The indicator page in-process: every view parameter restores its view, wrong values are a 400
 * that names the fix, the SVG and PNG downloads, the English page, and the page weight without
 * the map. Values checked by hand: Kreis Düren D6 2023 = 5,9 % (150 of 2560), from
 * ../shared/data/genesis-samples/regionalstatistik-classic/21111-02-06-4.csv line 108.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { closeBrowser } from '../../src/report/browser.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';

let deps: AppDeps;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  deps = await buildDemoStore();
  app = createApp(deps, mountWeb);
});

afterAll(async () => {
  await closeBrowser();
  await deps.store.close();
});

const page = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, text: await res.text(), res };
};
const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('indicator page parameters', () => {
  it('shows Kreis Düren D6 2023 as checked by hand, with the region profile link', async () => {
    const { status, text } = await page('/indikatoren/D6?jahr=2023');
    expect(status).toBe(200);
    expect(squash(text)).toMatch(
      /<th scope="row">Düren, Kreis<\/th> <td>05358<\/td> <td class="num">5,9<\/td> <td class="num">150<\/td> <td class="num">2.560<\/td>/,
    );
    expect(text).toContain('href="/regionen/05358"');
    expect(text).not.toContain('/api/v1/regions/05358');
    expect(text).toContain('<option value="2023" selected>');
  });

  it('restores map level, classes, breakdown and series regions from the address', async () => {
    const { status, text } = await page(
      '/indikatoren/D6?jahr=2023&ebene=gemeinde&klassen=jenks&geschlecht=weiblich&regionen=05358,05',
    );
    expect(status).toBe(200);
    expect(text).toContain('<option value="gemeinde" selected>');
    expect(text).toContain('<option value="jenks" selected>');
    expect(text).toContain('<option value="weiblich" selected>');
    expect(text).toContain('value="05358,05"');
    expect(text).toContain('natürliche Brüche (Jenks)');
    // Gemeinde map: 396 Gemeinden of NRW.
    expect(text.match(/<path data-region="05\d{6}"/g)?.length).toBeGreaterThan(350);
    // Series table has Düren and NRW columns.
    expect(squash(text)).toContain(
      '<th scope="col" class="num">Düren, Kreis</th><th scope="col" class="num">Nordrhein-Westfalen</th>',
    );
    // Downloads keep the filters.
    expect(text).toContain('format=csv');
    expect(text).toMatch(
      /values\?level=gemeinde&amp;within=05&amp;period=2023&amp;geschlecht=weiblich&amp;format=xlsx/,
    );
    expect(text).toMatch(
      /karte\.svg\?jahr=2023&amp;ebene=gemeinde&amp;klassen=jenks&amp;geschlecht=weiblich&amp;regionen=05358%2C05/,
    );
  });

  it('shows the breakdown by sex with the gap indicator D6-geschlecht', async () => {
    const { text } = await page('/indikatoren/D6?jahr=2023');
    const table = squash(
      /<table class="data" data-testid="breakdown-geschlecht">[\s\S]*?<\/table>/.exec(text)?.[0] ??
        '',
    );
    expect(table).toContain(
      '<th scope="col" class="num">weiblich</th><th scope="col" class="num">männlich</th>',
    );
    expect(table).toContain('Unterschied (Prozentpunkte)');
    expect(table).toMatch(
      /Rheinisches Revier<\/th> <td class="num"> 4,9 <\/td><td class="num"> 6,7 <\/td> <td class="num"> -1,8 <\/td>/,
    );
    expect(text).toContain('href="/indikatoren/D6-geschlecht"');
  });

  it('answers wrong parameters with 400 and the fix', async () => {
    for (const q of ['ebene=land', 'klassen=kmeans', 'jahr=20x3', 'nationalitaet=deutsch']) {
      const { status, text } = await page(`/indikatoren/D6?${q}`);
      expect(status, q).toBe(400);
      expect(text).toContain('BIMO_E_BAD_REQUEST');
    }
  });

  it('speaks English with ?lang=en and keeps the language in links', async () => {
    const { text } = await page('/indikatoren/D6?jahr=2023&lang=en');
    expect(text).toContain('<html lang="en">');
    expect(text).toContain('School leavers without a first');
    expect(text).toContain('href="/regionen/05358?lang=en"');
    expect(text).toContain('name="lang" value="en"');
    expect(text).toContain('Explanation of signs');
  });

  it('keeps the page under 300 KB without the map', async () => {
    for (const q of ['', '?ebene=gemeinde']) {
      const { text } = await page(`/indikatoren/D6${q}`);
      const withoutMap = text.replace(/<figure class="map">[\s\S]*?<\/figure>/, '');
      expect(Buffer.byteLength(withoutMap), q).toBeLessThan(300_000);
    }
  });
});

describe('indicator downloads', () => {
  it('serves the map and the ranking as SVG attachments, equal to the page', async () => {
    const map = await page('/indikatoren/D6/karte.svg?jahr=2023');
    expect(map.status).toBe(200);
    expect(map.res.headers.get('content-type')).toContain('image/svg+xml');
    expect(map.res.headers.get('content-disposition')).toBe(
      'attachment; filename="D6-karte-2023-kreis.svg"',
    );
    expect(map.text).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(map.text.match(/<path data-region=/g)?.length).toBe(53);
    const rank = await page('/indikatoren/D6/rangfolge.svg?jahr=2023&lang=en');
    expect(rank.res.headers.get('content-disposition')).toContain('D6-rangfolge-2023-kreis.svg');
    expect(rank.text).toContain('ranking of the districts');
  });

  it('serves the map as PNG rendered by Chromium', async () => {
    const res = await app.request('/indikatoren/D6/karte.png?jahr=2023');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(10_000);
  }, 60_000);

  it('hides the internal indicator A2a from the public on every route', async () => {
    for (const p of ['', '/karte.svg', '/rangfolge.svg', '/karte.png']) {
      expect((await app.request(`/indikatoren/A2a${p}`)).status, p).toBe(404);
    }
  });
});
