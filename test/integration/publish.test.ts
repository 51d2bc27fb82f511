/**
 * bimo publish output served by a plain static server passes a link check and a leak check (no
 * internal indicator, draft or user data in any file). On a copy of the full demo store with two
 * accounts and a draft release (Düren's 2023 leavers total 2560 → 48611), the export runs through
 * the CLI, is served by sirv, crawled from "/" by a crawler of the test's own (every link 200,
 * every #fragment an id) and every file is scanned for what must not be public.
 *
 * The full export (both languages, PNG maps, every region, every compare link) takes minutes on
 * this machine, so the test leaves out English pages, PNGs, Gemeinde maps, class variants,
 * compare pages and every region page but Kreis Düren's with --exclude; the default is complete.
 * A second export after an account named like public text ("Rheinisches Revier") was added
 * is refused by the leak check and leaves the first export as it was.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../../src/auth/index.ts';
import { main } from '../../src/cli/main.ts';
import { loadCatalogFull } from '../../src/indicators/index.ts';
import { importFile, loadRecipes } from '../../src/ingest/index.ts';
import { RegionRegistry } from '../../src/regions/index.ts';
import { openStore } from '../../src/store/index.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { fullDemoDataDir } from '../helpers/demo-store.ts';
import { LEAVERS_2023 } from '../helpers/sample.ts';

const USERS = [
  { email: 'rosalind.tagebau@kreis-dueren.de', name: 'Rosalind Tagebauwächterin' },
  { email: 'quirin.abraum@kreis-dueren.de', name: 'Quirin Abraumhalde' },
];
const DRAFT_VALUE = '48611';
const RESTRICT = [
  '*lang=en',
  '*karte.png',
  '*klassen=',
  '*ebene=gemeinde',
  '/vergleich?',
  '/regionen/',
  '!/regionen/05358',
];

let dataDir = '';
let site = '';
let server: Server;
let origin = '';
let refused = { code: 0, stderr: '', before: [] as string[], after: [] as string[] };
let run = { code: 0, stdout: '', stderr: '', seconds: 0 };
let foreignRun = { code: 0, stderr: '', left: [] as string[] };

const args = (...more: string[]) =>
  more.concat(
    RESTRICT.flatMap((p) => ['--exclude', p]),
    ['--data-dir', dataDir],
  );

beforeAll(async () => {
  dataDir = await fullDemoDataDir();
  const store = await openStore({ dataDir });
  const regions = new RegionRegistry(await store.loadRegions());
  const accounts = new Accounts(store);
  for (const u of USERS) {
    await accounts.createAccount(
      { ...u, password: 'Tagebau Hambach im Nebel', role: 'member' },
      { actor: 'cli:test' },
      regions,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'bimo-publish-draft-'));
  const revised = join(dir, '21111-02-06-4-entwurf.csv');
  writeFileSync(
    revised,
    readFileSync(LEAVERS_2023, 'latin1').replace(
      '2023;05358;      Düren, Kreis;2560;1275;150;',
      `2023;05358;      Düren, Kreis;${DRAFT_VALUE};1275;150;`,
    ),
    'latin1',
  );
  const [report] = await importFile(revised, {
    store,
    regions,
    recipes: loadRecipes(),
    status: 'draft',
    user: USERS[0]!.email,
  });
  if (report?.status !== 'imported') throw new Error('draft import failed');
  await store.close();

  site = join(mkdtempSync(join(tmpdir(), 'bimo-publish-')), 'site');
  mkdirSync(site);
  // An earlier export (it carries the marker): the next one replaces it as a whole.
  writeFileSync(join(site, '.bimo-export'), '');
  writeFileSync(join(site, 'previous.txt'), 'the export before');
  // A folder of someone's files is never replaced.
  const foreign = mkdtempSync(join(tmpdir(), 'bimo-publish-foreign-'));
  writeFileSync(join(foreign, 'notes.txt'), 'keep me');
  const refusedFolder = captureIo();
  foreignRun = {
    code: await main(['publish', ...args('--out', foreign)], refusedFolder),
    stderr: refusedFolder.stderr.join('\n'),
    left: readdirSync(foreign),
  };
  const io = captureIo();
  const started = performance.now();
  const code = await main(['publish', ...args('--out', site)], io);
  run = {
    code,
    stdout: io.stdout.join('\n'),
    stderr: io.stderr.join('\n'),
    seconds: (performance.now() - started) / 1000,
  };
  // An account whose full name is public text: every page would now "leak" it, so the export
  // is refused as a whole and the first one stays in place.
  const again = await openStore({ dataDir });
  await new Accounts(again).createAccount(
    {
      email: 'revier@example.org',
      name: 'Rheinisches Revier',
      password: 'Tagebau Hambach im Nebel',
      role: 'member',
    },
    { actor: 'cli:test' },
    new RegionRegistry(await again.loadRegions()),
  );
  await again.close();
  const before = filesUnder(site).sort();
  const second = captureIo();
  refused = {
    code: await main(['publish', ...args('--out', site)], second),
    stderr: second.stderr.join('\n'),
    before,
    after: filesUnder(site).sort(),
  };
  server = createServer(sirv(site, { dev: false, etag: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/** Every file under `dir`, relative with `/`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

describe('bimo publish', () => {
  it('never replaces a folder that holds other files', () => {
    expect(foreignRun.code).toBe(73);
    expect(foreignRun.stderr).toContain('not an earlier export');
    expect(foreignRun.left).toEqual(['notes.txt']);
  });

  it('refuses an export that would show non-public data and keeps the previous one', () => {
    expect(refused.code).toBe(65);
    expect(refused.stderr).toContain('BIMO_E_PUBLISH');
    expect(refused.stderr).toContain('Rheinisches Revier');
    expect(refused.after).toEqual(refused.before);
  });

  it('writes the export, with progress and a summary', () => {
    expect(run.stderr).toContain('publish: crawling the public portal');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^published \d+ files \(\d+ pages, [\d.]+ MB\)/);
    expect(filesUnder(site)).not.toContain('previous.txt');
    expect(run.seconds).toBeLessThan(240);
  });

  it('is served by a plain static server: every link is 200, every fragment an id', async () => {
    const seen = new Set<string>(['/']);
    const queue = ['/'];
    const broken: string[] = [];
    const pages = new Map<string, string>();
    const fragments: [string, string, string][] = [];
    while (queue.length > 0) {
      const path = queue.shift()!;
      const res = await fetch(origin + path);
      if (res.status !== 200) {
        broken.push(`${path} ${res.status}`);
        continue;
      }
      if (!(res.headers.get('content-type') ?? '').includes('text/html')) {
        await res.arrayBuffer();
        continue;
      }
      const html = await res.text();
      pages.set(path, html);
      for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        const link = m[1]!.replace(/&amp;/g, '&');
        const url = new URL(link, origin + path);
        if (url.origin !== origin) continue;
        expect(url.search, `${path} → ${link}`).toBe('');
        if (url.hash) fragments.push([path, url.pathname, decodeURIComponent(url.hash.slice(1))]);
        if (!seen.has(url.pathname)) {
          seen.add(url.pathname);
          queue.push(url.pathname);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(pages.size).toBeGreaterThan(200);
    const missing = fragments.filter(([, target, id]) => {
      const html = pages.get(target);
      return !html?.includes(`id="${id}"`);
    });
    expect(missing).toEqual([]);
  });

  it('holds no internal indicator, draft value, account or internal link in any file', () => {
    const internal = loadCatalogFull().indicators.filter((i) => i.visibility !== 'public');
    expect(internal.map((i) => i.id)).toContain('A2a');
    const leaks: string[] = [];
    for (const file of filesUnder(site)) {
      if (file.endsWith('.png')) continue;
      const bytes = readFileSync(join(site, file));
      const text = file.endsWith('.xlsx')
        ? Object.values(unzipSync(bytes))
            .map((d) => strFromU8(d))
            .join('\n')
        : bytes.toString('utf8');
      const hit = (what: string) => leaks.push(`${file}: ${what}`);
      for (const i of internal) {
        if (file.split(/[/_.-]/).includes(i.id)) hit(`file name ${i.id}`);
        for (const m of text.matchAll(/(?:href|src)="([^"]*)"/g)) {
          if (m[1]!.split(/[/?&=,_.-]/).includes(i.id)) hit(`link ${m[1]}`);
        }
        if (text.includes(i.title_de)) hit(i.title_de);
        if (i.title_en && text.includes(i.title_en)) hit(i.title_en);
      }
      for (const u of USERS) {
        if (text.includes(u.email)) hit(u.email);
        if (text.includes(u.name)) hit(u.name);
      }
      if (text.includes('@kreis-dueren.de')) hit('an account email');
      if (new RegExp(`(^|[^0-9.,])(${DRAFT_VALUE}|48\\.611)([^0-9]|$)`).test(text)) hit('draft');
      if (text.includes('21111-02-06-4-entwurf')) hit('the draft file');
      if (/\/intern\b|\/anmelden\b/.test(text)) hit('/intern');
    }
    expect(leaks).toEqual([]);
  });

  it('has the D6 page, Kreis Düren with its value, and the CSV download with Düren’s row', () => {
    const d6 = readFileSync(join(site, 'indikatoren/D6/index.html'), 'utf8');
    expect(d6).toContain('<a href="/indikatoren/D6/_jahr-2023/">2022/23</a>');
    expect(d6).toContain(
      'href="/api/v1/indicators/D6/values_format-csv_level-kreis_period-2024_within-05.csv" download="bimo_D6_2024.csv"',
    );
    const dueren = readFileSync(join(site, 'regionen/05358/index.html'), 'utf8');
    expect(dueren).toContain('Düren, Kreis');
    expect(dueren.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ')).toContain('2024 7,9 %');
    const csv = readFileSync(
      join(site, 'api/v1/indicators/D6/values_format-csv_level-kreis_period-2024_within-05.csv'),
      'utf8',
    );
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFRegionalschlüssel;Region;Ebene;Zeitraum;Berichtsjahr;Wert;Einheit;Zähler;Nenner;Zeichen;Fehlerschranke;Berechnung;Geheimhaltung',
    );
    expect(csv).toContain(
      '05358;Düren, Kreis;Kreis;Schuljahr 2023/24;2024;7,9;%;205;2580;;0,1;amtlich;',
    );
    const headers = readFileSync(join(site, '_headers'), 'utf8');
    expect(headers).toContain("Content-Security-Policy: default-src 'self'");
    expect(JSON.parse(readFileSync(join(site, 'api/v1/indicators.json'), 'utf8'))).toMatchObject({
      data: expect.arrayContaining([expect.objectContaining({ id: 'D6' })]),
    });
  });
});
