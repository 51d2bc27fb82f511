/**
 * The discovery pages in-process (home, indicator list, Fragestellungen, search) on the full demo
 * store: real values checked by hand (catalog/HANDCHECK-REVIER.md), both languages, and what the
 * public may not see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import type { ValueRow } from '../../src/api/values.ts';
import type { Indicator } from '../../src/indicators/index.ts';
import { valueCard } from '../../src/web/pages/portal-common.ts';
import { rankOf } from '../../src/web/pages/search.ts';
import { Signs } from '../../src/web/pages/signs.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';

let deps: AppDeps;
let app: ReturnType<typeof createApp>;
let memberCookie = '';

beforeAll(async () => {
  deps = await buildFullDemoStore();
  const accounts = new Accounts(deps.store);
  const sessions = new Sessions(deps.store);
  const member = await accounts.createAccount(
    { email: 'member@kommune.example', password: 'Tagebau Hambach im Nebel', role: 'member' },
    { actor: 'cli:test' },
    deps.regions,
  );
  memberCookie = `bimo_session=${(await sessions.createSession(member)).sessionId}`;
  app = createApp({ ...deps, accounts, sessions }, mountWeb);
}, 120_000);

afterAll(async () => {
  await deps.store.close();
});

async function get(
  path: string,
  cookie?: string,
): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await app.request(path, cookie ? { headers: { Cookie: cookie } } : {});
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** The region links of a search answer, in order. */
const regionHits = (text: string): string[] => {
  const section = text.slice(text.indexOf('id="hits-regions"'));
  return [...section.matchAll(/href="\/regionen\/([^"?]+)/g)].map((m) => m[1] ?? '');
};

/** The card of one indicator (from its title link to the end of its list item). */
function card(page: string, id: string): string {
  const start = page.indexOf(`href="/indikatoren/${id}`);
  expect(start, `card ${id}`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</li>', start));
}

const strip = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('home', () => {
  it('shows key figures of the Revier against NRW by life phase, and the questions', async () => {
    const { status, text } = await get('/');
    expect(status).toBe(200);
    expect(text).toContain('<html lang="de">');
    for (const phase of ['Frühe Kindheit', 'Schulalter', 'Ausbildung und Studium', 'Übergreifend'])
      expect(text).toContain(`>${phase}</h2>`);
    // D6 2024 (Schuljahr 2023/24): Revier 6.792376 → 6,8 %, NRW 7.309862 → 7,3 % (hand check).
    const d6 = strip(card(text, 'D6'));
    expect(d6).toContain('Schuljahr 2023/24');
    expect(d6).toMatch(/Rheinisches Revier 6,8 %/);
    expect(d6).toMatch(/NRW 7,3 %/);
    expect(text).toContain('href="/fragestellungen/FS01"');
    expect(text).toContain('action="/suche"');
    expect(text).toMatch(/<option value="rheinisches-revier"\s+selected/);
  });

  it('shows a chosen Kreis, in English with English digits', async () => {
    const de = await get('/?region=05358');
    // D6 2024 Düren: 7.945736 → 7,9 % (hand check).
    expect(strip(card(de.text, 'D6'))).toMatch(/Düren, Kreis 7,9 % NRW 7,3 %/);
    const en = await get('/?region=05358&lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('>School age</h2>');
    expect(strip(card(en.text, 'D6'))).toMatch(/school year 2023\/24 Düren, Kreis 7.9 % NRW 7.3 %/);
    expect(en.text).toContain('href="/fragestellungen/FS01?lang=en"');
  });

  it('falls back to the Revier for an unknown region and escapes nothing unsafe', async () => {
    const { status, text } = await get('/?region=%3Cscript%3E');
    expect(status).toBe(200);
    expect(text).not.toContain('<script>');
    expect(text).toMatch(/<option value="rheinisches-revier"\s+selected/);
  });
});

describe('indicator list', () => {
  it('groups every visible indicator by area with life phase and status', async () => {
    const { text } = await get('/indikatoren');
    for (const area of 'ABCDEFGHI') expect(text).toContain(`id="area-${area}"`);
    expect(text).toContain('Lebensphase: Schulalter');
    expect(text).toContain('href="/indikatoren/D6"');
    expect(text).not.toContain('/indikatoren/A2a"');
    const planned = deps.catalog.find((i) => i.status === 'planned' && i.visibility === 'public');
    if (planned) expect(strip(card(text, planned.id))).toContain('noch keine Daten');
  });

  it('filters by area, and shows internal indicators to members', async () => {
    const d = await get('/indikatoren?bereich=D&lang=en');
    expect(d.text).toContain('id="area-D"');
    expect(d.text).not.toContain('id="area-A"');
    expect(d.text).toContain('href="/indikatoren/D6?lang=en"');
    const member = await get('/indikatoren?bereich=A', memberCookie);
    expect(member.text).toContain('href="/indikatoren/A2a"');
  });
});

describe('Fragestellungen', () => {
  it('lists the questions by Handlungsfeld', async () => {
    const { text } = await get('/fragestellungen');
    expect(text).toContain('>Schulerfolg und Abschlüsse</h2>');
    expect(text).toContain('href="/fragestellungen/FS01"');
  });

  it('shows a question with origin, report mark and its indicators with values', async () => {
    const { status, text } = await get('/fragestellungen/FS01');
    expect(status).toBe(200);
    expect(text).toContain('Themenbericht 1');
    expect(strip(text)).toContain('Nächster Bericht ja, vorgemerkt');
    expect(strip(card(text, 'D6'))).toMatch(/Rheinisches Revier 6,8 % NRW 7,3 %/);
    expect(text).toContain('href="/indikatoren/E5a"');
    const en = await get('/fragestellungen/FS01?lang=en');
    expect(en.text).toContain('How many young people leave general education school');
    expect(strip(en.text)).toContain('Next report yes, marked');
  });

  it('answers 404 for an unknown question', async () => {
    expect((await get('/fragestellungen/FS99')).status).toBe(404);
  });
});

describe('search', () => {
  it('finds regions by name and key, indicators and questions, with counts', async () => {
    const { text } = await get('/suche?q=D%C3%BCren');
    expect(text).toContain('href="/regionen/05358"');
    expect(text).toMatch(/Regionen <span class="count">\(\d+\)<\/span>/);
    const key = await get('/suche?q=05358');
    expect(key.text).toContain('href="/regionen/05358"');
    expect(key.text).toContain('href="/regionen/05358008"');
    const ind = await get('/suche?q=ohne%20Abschluss&lang=en');
    expect(ind.text).toContain('href="/fragestellungen/FS01?lang=en"');
    const id = await get('/suche?q=D6');
    expect(id.text).toContain('href="/indikatoren/D6"');
  });

  it('has empty, short and no-result states, and hides internal indicators', async () => {
    expect((await get('/suche')).text).not.toContain('role="status"');
    expect((await get('/suche?q=x')).text).toContain('mindestens 2 Zeichen');
    expect((await get('/suche?q=qqqzzz')).text).toContain('Keine Treffer für „qqqzzz“');
    expect((await get('/suche?q=%28%29')).text).toContain('Keine Treffer für „()“');
    expect((await get('/suche?q=A2a')).text).not.toContain('/indikatoren/A2a');
    expect((await get('/suche?q=A2a', memberCookie)).text).toContain('/indikatoren/A2a');
  });
});

describe('signed-in header on the public pages', () => {
  const PAGES = [
    '/',
    '/indikatoren',
    '/indikatoren/D6',
    '/fragestellungen',
    '/fragestellungen/FS01',
    '/regionen',
    '/regionen/05358',
    '/regionen/rheinisches-revier',
    '/vergleich',
    '/suche?q=D%C3%BCren',
  ];

  it('names the signed-in member, links the internal area and offers to sign out', async () => {
    for (const path of PAGES) {
      const { status, text, headers } = await get(path, memberCookie);
      expect(status, path).toBe(200);
      expect(strip(text), path).toContain('Angemeldet als member@kommune.example');
      expect(text, path).toContain('href="/intern"');
      expect(text, path).toMatch(/<form class="signed-in" method="post" action="\/abmelden">/);
      expect(text, path).toMatch(/name="csrf" value="[^"]+"/);
      // Differs per viewer: keyed by the cookie, and never kept by a shared cache.
      expect(headers.get('Vary'), path).toMatch(/Cookie/);
      expect(headers.get('Cache-Control'), path).toMatch(/private|no-store/);
    }
    const en = await get('/regionen/05358?lang=en', memberCookie);
    expect(strip(en.text)).toContain('Signed in as member@kommune.example');
    expect(en.text).toContain('action="/abmelden?lang=en"');
  });

  it('shows the public neither a name nor the sign-out form, and stays cacheable', async () => {
    for (const path of PAGES) {
      const { text, headers } = await get(path);
      expect(text, path).not.toContain('Angemeldet als');
      expect(text, path).not.toContain('class="signed-in"');
      expect(text, path).not.toContain('href="/intern"');
      expect(headers.get('Vary'), path).toMatch(/Cookie/);
      expect(headers.get('Cache-Control') ?? '', path).not.toContain('private');
    }
  });
});

describe('search ranking and region groups', () => {
  it('finds region groups and the Regierungsbezirk with words in any order', async () => {
    const revier = await get('/suche?q=Revier');
    expect(regionHits(revier.text)).toContain('rheinisches-revier');
    expect(strip(revier.text)).toContain('Rheinisches Revier Regionsgruppe · rheinisches-revier');
    const rb = await get('/suche?q=Regierungsbezirk%20K%C3%B6ln');
    expect(regionHits(rb.text)[0]).toBe('053');
    const en = await get('/suche?q=Revier&lang=en');
    expect(strip(en.text)).toContain('Rheinisches Revier Group of regions · rheinisches-revier');
  });

  it('puts exact keys first, then titles starting with the term, then word starts', async () => {
    expect(regionHits((await get('/suche?q=05358')).text).slice(0, 2)).toEqual([
      '05358',
      '05358004',
    ]);
    expect(regionHits((await get('/suche?q=rheinisches-revier')).text)[0]).toBe(
      'rheinisches-revier',
    );
    // "Köln, …" (title start) before a name with "Köln" inside.
    const koeln = regionHits((await get('/suche?q=K%C3%B6ln')).text);
    expect(koeln.slice(0, 3).sort()).toEqual(['053', '05315', '05315000']);
    const d6 = await get('/suche?q=D6');
    const first = d6.text.indexOf('href="/indikatoren/');
    expect(d6.text.slice(first)).toMatch(/^href="\/indikatoren\/D6"/);
  });

  it('ranks by exact key, title start, word start, then inside the title or text', () => {
    const item = { keys: ['05358'], titles: ['Düren, Kreis'], texts: ['Kreis im Rheinland'] };
    expect(rankOf('05358', item)).toBe(0);
    expect(rankOf('düren, kreis', item)).toBe(0);
    expect(rankOf('Dür', item)).toBe(1);
    expect(rankOf('0535', item)).toBe(1);
    expect(rankOf('Kreis Düren', item)).toBe(2);
    expect(rankOf('kre', item)).toBe(2);
    expect(rankOf('ren', item)).toBe(3);
    expect(rankOf('Rheinland', item)).toBe(3);
    expect(rankOf('Wesel', item)).toBeNull();
    expect(rankOf('()', item)).toBeNull();
  });
});

describe('signs on the key figures', () => {
  it('marks a provisional value with its sign and explains it below', async () => {
    const { text } = await get('/?region=05');
    expect(card(text, 'B4')).toContain('<abbr class="sign" title="vorläufig">p</abbr>');
    expect(strip(text)).toMatch(/Zeichenerklärung p vorläufig/);
    const en = await get('/?region=05&lang=en');
    expect(card(en.text, 'B4')).toContain('<abbr class="sign" title="provisional">p</abbr>');
    expect(strip(en.text)).toMatch(/Signs p provisional/);
  });

  it('explains a missing or secret reference value instead of a bare dot', () => {
    const ind = deps.catalog.find((i) => i.id === 'D6') as Indicator;
    const row = (value: number | null, flag: '.' | null): ValueRow => ({
      region: '05',
      name: 'Nordrhein-Westfalen',
      level: 'land',
      period: '2024',
      value,
      numerator: null,
      denominator: null,
      flag,
      error_bound: 0,
      method: 'published',
    });
    const focus = { ...row(7.9, null), region: '05358' };
    for (const lang of ['de', 'en'] as const) {
      const signs = new Signs(lang);
      const secret = valueCard(
        ind,
        { period: '2024', focus, nrw: row(null, '.') },
        'Düren',
        signs,
        true,
      );
      const none = valueCard(
        ind,
        { period: '2024', focus, nrw: row(null, null) },
        'Düren',
        signs,
        true,
      );
      const legend = strip(signs.legend().value);
      if (lang === 'de') {
        expect(secret.value).toContain(
          '<abbr class="sign" title="Zahlenwert unbekannt oder geheim zu halten">.</abbr>',
        );
        expect(none.value).toContain('<abbr class="sign" title="keine Angabe">k. A.</abbr>');
        expect(legend).toContain('. Zahlenwert unbekannt oder geheim zu halten');
        expect(legend).toContain('k. A. keine Angabe');
      } else {
        expect(secret.value).toContain('title="value unknown or to be kept secret">.</abbr>');
        expect(none.value).toContain('<abbr class="sign" title="not available">n/a</abbr>');
        expect(legend).toContain('n/a not available');
      }
    }
  });
});
