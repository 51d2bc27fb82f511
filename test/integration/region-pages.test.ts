/**
 * The region list, region profiles and the comparison page, in-process on the full demo store.
 * Values are checked by hand against the source files in ../shared/data:
 * - 21111-02-06-4.csv line 108: Kreis Düren 2023, 150 of 2560 leavers without Erster
 *   Schulabschluss → 5,9 %; the seven Revier Kreise 2023: 1435 of 24550 → 5,8 %.
 * - 21111-02-06-4-B.csv line 97: Kreis Düren 2024, 205 of 2580 → 7,9 %; line 98: Rhein-Erft-Kreis
 *   2024, 240 of 4745 → 5,1 %; lines 79–100, the seven Revier Kreise 2024: 1675 of 24660 → 6,8 %,
 *   so Düren − Revier = 7,946 − 6,792 = +1,2 (lower is better: "ungünstiger").
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
  const base = await buildFullDemoStore();
  const accounts = new Accounts(base.store);
  const sessions = new Sessions(base.store);
  deps = { ...base, accounts, sessions };
  const member = await accounts.createAccount(
    { email: 'member@kreis-dueren.de', password: 'Tagebau Hambach im Nebel', role: 'member' },
    { actor: 'cli:test' },
    base.regions,
  );
  memberCookie = `bimo_session=${(await sessions.createSession(member)).sessionId}`;
  app = createApp(deps, mountWeb);
});

afterAll(async () => {
  await deps.store.close();
});

async function page(path: string, cookie?: string): Promise<{ status: number; text: string }> {
  const res = await app.request(path, cookie ? { headers: { Cookie: cookie } } : undefined);
  return { status: res.status, text: await res.text() };
}

/** The table row of one indicator on a profile (from its row header to the row's end). */
function rowOf(text: string, id: string): string {
  const at = text.indexOf(`>${id} · `);
  expect(at, `row ${id}`).toBeGreaterThan(0);
  const start = text.lastIndexOf('<tr', at);
  return text.slice(start, text.indexOf('</tr>', at));
}

const plain = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('region list', () => {
  it('lists the Revier Kreise with their Gemeinden, all NRW Kreise and the groups', async () => {
    const { status, text } = await page('/regionen');
    expect(status).toBe(200);
    for (const code of ['05116', '05162', '05334', '05358', '05362', '05366', '05370']) {
      expect(text).toContain(`href="/regionen/${code}"`);
    }
    expect(text).toContain('<a href="/regionen/05358008">Düren, Stadt</a>');
    expect(text).toContain('<a href="/regionen/rheinisches-revier">');
    expect(text).toContain('<a href="/regionen/05">Nordrhein-Westfalen</a>');
    // 53 Kreise in NRW, each listed in the NRW section.
    const nrw = text.slice(text.indexOf('id="nrw"'), text.indexOf('id="more"'));
    expect(nrw.match(/href="\/regionen\/05\d{3}"/g)).toHaveLength(53);
    expect(text).toMatch(/aria-current="page"\s*>Regionen/);
  });

  it('filters by name and keeps the language', async () => {
    const { text } = await page('/regionen?q=D%C3%BCren&lang=en');
    expect(text).toContain('<html lang="en"');
    expect(text).toContain('href="/regionen/05358?lang=en"');
    expect(text).toContain('href="/regionen/05358008?lang=en"');
    expect(text).not.toContain('Wesel');
    expect(text).toContain('name="lang" value="en"');
    expect(plain(text)).toMatch(/\d+ regions match “Düren”/);
  });
});

describe('region profile', () => {
  it('shows Kreis Düren: level, parent chain, groups, peer sentence and D6 with references', async () => {
    const { status, text } = await page('/regionen/05358');
    expect(status).toBe(200);
    expect(plain(text)).toContain('Ebene Kreis / kreisfreie Stadt');
    for (const code of ['05', '053', 'rheinisches-revier']) {
      expect(text).toContain(`href="/regionen/${code}"`);
    }
    expect(text).toMatch(/href="\/regionen\/vergleichstyp-\d"/);
    const at = text.indexOf('data-testid="peer-sentence"');
    const sentence = plain(text.slice(at, text.indexOf('</p>', at)));
    expect(sentence).toMatch(
      /Düren, Kreis gehört zur Vergleichsgruppe „Vergleichstyp \d[^“]*“\. Mit ihr vergleichen lassen sich \d+ Indikatoren\. Von den \d+ Indikatoren mit Wertungsrichtung steht Düren, Kreis bei \d+ günstiger und bei \d+ ungünstiger da als die Vergleichsgruppe\./,
    );
    expect(sentence).toMatch(
      /Bei den \d+ Indikatoren ohne Wertungsrichtung liegt der Wert bei \d+ höher/,
    );
    expect(sentence).toMatch(
      /Für \d+ weitere Indikatoren gibt es keinen Wert der Vergleichsgruppe/,
    );
    expect(sentence).not.toMatch(/bei 0 |neutral|weicht/);
    const d6 = rowOf(text, 'D6');
    expect(d6).toContain('href="/indikatoren/D6"');
    expect(plain(d6)).toContain('2024 7,9 %');
    // Revier 2024 6,8 %, difference +1,2, beyond rounding and unfavourable.
    expect(plain(d6)).toContain('6,8 +1,2 (ungünstiger)');
    expect(d6).toMatch(/\d+ von 53/);
    // The sparkline names itself and lists the series, 2023 and 2024 by hand.
    expect(d6).toMatch(
      /<svg [^>]*role="img"[^>]*aria-label="Verlauf D6, Düren, Kreis\. [^"]*2023: 5,9 %; 2024: 7,9 %"/,
    );
    expect(text).not.toContain('style=');
  });

  it('shows a Gemeinde with its Kreis as a reference, and the Revier as a group', async () => {
    const gem = await page('/regionen/05358008');
    expect(gem.status).toBe(200);
    expect(plain(gem.text)).toContain('Ebene Gemeinde');
    expect(gem.text).toContain('<a href="/regionen/05358">Düren, Kreis</a>');
    expect(gem.text).toContain('<th scope="col">Düren, Kreis</th>');
    expect(plain(gem.text)).toContain('gehört keiner Vergleichsgruppe an');

    const revier = await page('/regionen/rheinisches-revier');
    expect(plain(revier.text)).toContain('Ebene Regionsgruppe');
    expect(plain(rowOf(revier.text, 'D6'))).toContain('2024 6,8 %');
    expect(rowOf(revier.text, 'D6')).toContain('2023: 5,8 %');
    expect(revier.text).toContain('<a href="/regionen/05358">Düren, Kreis</a>');
  });

  it('speaks English with ?lang=en', async () => {
    const { text } = await page('/regionen/05358?lang=en');
    expect(text).toContain('<html lang="en"');
    expect(plain(rowOf(text, 'D6'))).toContain('2024 7.9 %');
    expect(plain(rowOf(text, 'D6'))).toContain('+1.2 (worse)');
    expect(text).toContain('href="/indikatoren/D6?lang=en"');
    expect(plain(text)).toMatch(
      /Düren, Kreis belongs to the peer group “Vergleichstyp \d[^”]*”\. \d+ indicators can be compared with it\. Of the \d+ indicators where higher or lower is better, Düren, Kreis fares better on \d+ and worse on \d+ than the peer group\./,
    );
    expect(plain(rowOf(text, 'A6'))).toContain('n/a');
  });

  it('tells a reference that cannot be formed from an official sign, and explains both', async () => {
    const { text } = await page('/regionen/05358');
    // A6 is a published rate: the peer group (Kreise all over Germany) gets no value, since
    // rates are never averaged. Its cell says "k. A.", not the official "." (unknown or secret).
    const a6 = rowOf(text, 'A6');
    expect(a6).toContain('<abbr class="sign" title="keine Angabe">k. A.</abbr>');
    expect(plain(a6)).not.toMatch(/ \. /);
    // A2 comes from an NRW-only table: no value for the nationwide peer group either.
    expect(rowOf(text, 'A2')).toContain('k. A.</abbr>');
    // D7d: a member's cell is blocked ('x'), so the peer group sum carries the sign.
    expect(rowOf(text, 'D7d')).toContain(
      '<abbr class="sign" title="Tabellenfach gesperrt, weil Aussage nicht sinnvoll">x</abbr>',
    );
    const legend = plain(text.slice(text.indexOf('<section class="signs"')));
    expect(legend).toContain('Zeichenerklärung');
    expect(legend).toContain('x Tabellenfach gesperrt, weil Aussage nicht sinnvoll');
    expect(legend).toContain('k. A. keine Angabe: Für diese Referenz gibt es keinen Wert.');
    expect(legend).toContain('Tabellen nur für NRW');
    // The Revier profile's Deutschland column the same way.
    const revier = await page('/regionen/rheinisches-revier?lang=en');
    expect(rowOf(revier.text, 'A2')).toContain(
      '<abbr class="sign" title="not available">n/a</abbr>',
    );
    expect(plain(revier.text)).toContain('published rates and averages are never averaged');
  });

  it('answers an unknown code with a 404 page in the manner of the error envelope', async () => {
    const { status, text } = await page('/regionen/99999');
    expect(status).toBe(404);
    expect(text).toContain('BIMO_E_REGION_UNKNOWN');
    expect(text).toContain('<h1>Region nicht gefunden</h1>');
    const evil = await page('/regionen/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(evil.status).toBe(404);
    expect(evil.text).not.toContain('<script>');
  });

  it('shows internal indicators to members only', async () => {
    const pub = await page('/regionen/05358');
    const member = await page('/regionen/05358', memberCookie);
    expect(pub.text).not.toContain('A2a');
    expect(member.text).toContain('>A2a · ');
  });

  it('renders a warm Kreis profile in well under 300 ms', async () => {
    await page('/regionen/05358');
    const times: number[] = [];
    for (const path of [
      '/regionen/05358',
      '/regionen/05362',
      '/regionen/05358008',
      '/regionen/05',
    ]) {
      const t = performance.now();
      await page(path);
      times.push(performance.now() - t);
    }
    console.log('profile timings (ms):', times.map((t) => Math.round(t)).join(', '));
    expect(Math.max(...times)).toBeLessThan(300);
  });
});

describe('compare', () => {
  it('puts the chosen regions side by side at the latest common period', async () => {
    const { status, text } = await page('/vergleich?regionen=05358,05362,05&indikatoren=D6,A6');
    expect(status).toBe(200);
    const head = text.slice(text.indexOf('<thead>'), text.indexOf('</thead>'));
    expect(plain(head)).toContain('Düren, Kreis Rhein-Erft-Kreis Nordrhein-Westfalen');
    const d6 = plain(rowOf(text, 'D6'));
    // Düren 205/2580, Rhein-Erft 240/4745 (2024); NRW as computed from its Kreise.
    expect(d6).toMatch(/2024 7,9 % 5,1 % \d+,\d %/);
    expect(text).toContain('href="/indikatoren/A6"');
    // The form restores the choice.
    expect(text).toMatch(/<option value="05358"\s+selected/);
    expect(text).toMatch(/<option value="D6"\s+selected/);
    expect(text).toMatch(/aria-current="page"\s*>Vergleich/);
  });

  it('has sensible defaults, takes repeated parameters and speaks English', async () => {
    const def = await page('/vergleich');
    const head = plain(def.text.slice(def.text.indexOf('<thead>'), def.text.indexOf('</thead>')));
    expect(head).toContain('Mönchengladbach');
    expect(head).toContain('Rheinisches Revier');
    expect(plain(rowOf(def.text, 'D6'))).toMatch(/D6 · Abgehende ohne Ersten Schulabschluss 2024 /);
    const en = await page('/vergleich?regionen=05358&regionen=05362&indikatoren=D6&lang=en');
    expect(plain(rowOf(en.text, 'D6'))).toContain('2024 7.9 % 5.1 %');
    expect(en.text).toContain('name="lang" value="en"');
  });

  it('never shows an internal indicator to the public, but to members', async () => {
    const path = '/vergleich?regionen=05358,05&indikatoren=A2a,D6';
    const pub = await page(path);
    expect(pub.text).not.toContain('A2a');
    expect(plain(pub.text)).toContain('1 unbekannte oder nicht verfügbare Angaben');
    const member = await page(path, memberCookie);
    expect(member.text).toContain('>A2a · ');
  });
});
