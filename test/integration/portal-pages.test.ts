/**
 * The discovery pages in-process (home, indicator list, Fragestellungen, search) on the full demo
 * store: real values checked by hand (catalog/HANDCHECK-REVIER.md), both languages, and what the
 * public may not see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
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

async function get(path: string, cookie?: string): Promise<{ status: number; text: string }> {
  const res = await app.request(path, cookie ? { headers: { Cookie: cookie } } : {});
  return { status: res.status, text: await res.text() };
}

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
