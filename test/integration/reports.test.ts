/**
 * Report chapters over HTTP on the full demo store: the list follows the policy (the internal A2a
 * only for signed-in viewers), a chapter shows the viewer's audience (the public gets the blank
 * of the disclosure control for F1b Kreis Unna 2023, in HTML and in the PDF), the HTML obeys the
 * CSP (the portal stylesheet, no inline styles), the same data give the same ETag, and PDFs come
 * as downloads from the one shared Chromium, also when asked for at the same time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import { closeBrowser, getBrowser } from '../../src/report/browser.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';

let deps: AppDeps;
let app: ReturnType<typeof createApp>;
let member: Record<string, string>;

beforeAll(async () => {
  const base = await buildFullDemoStore();
  const accounts = new Accounts(base.store);
  const sessions = new Sessions(base.store);
  deps = { ...base, accounts, sessions };
  const user = await accounts.createAccount(
    { email: 'lenkungskreis@example.org', password: 'Braunkohle adé im Revier', role: 'member' },
    { actor: 'cli:test' },
  );
  const { token } = await sessions.issueApiToken(user, 'reports', { actor: user.email });
  member = { Authorization: `Bearer ${token}` };
  app = createApp(deps, (a) => mountWeb(a, deps));
}, 180_000);

afterAll(async () => {
  await closeBrowser();
  await deps.store.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  app.request(`/api/v1${path}`, { headers });

interface ReportList {
  data: { id: string; indicator: string; periods: string[]; links: { pdf: string } }[];
  page: { total: number; next: string | null };
}

/** What the map of a chapter says for Kreis Unna (its title; no links in a chapter). */
const unna = (page: string) => /Unna, Kreis: ([^"<]*)/.exec(page)?.[1];

describe('GET /api/v1/reports', () => {
  it('lists a chapter per active indicator with values the viewer may see', async () => {
    const pub = (await (await get('/reports')).json()) as ReportList;
    const mem = (await (await get('/reports', member)).json()) as ReportList;
    const ids = (l: ReportList) => l.data.map((r) => r.id);
    expect(ids(pub)).toContain('kapitel-D6');
    expect(ids(pub)).not.toContain('kapitel-A2a');
    expect(ids(mem)).toContain('kapitel-A2a');
    expect(mem.page.total).toBeGreaterThan(pub.page.total);
    const d6 = pub.data.find((r) => r.id === 'kapitel-D6');
    expect(d6).toMatchObject({
      indicator: 'D6',
      links: { pdf: '/api/v1/reports/kapitel-D6?format=pdf' },
    });
    expect(d6?.periods).toContain('2023');
    const first = await get('/reports?limit=2');
    expect(first.headers.get('link')).toBe('</api/v1/reports?limit=2&offset=2>; rel="next"');
  });
});

describe('GET /api/v1/reports/{id} as HTML', () => {
  it('gives the public the blank the disclosure control leaves, and the member the value', async () => {
    const pub = await get('/reports/kapitel-F1b?period=2023');
    const mem = await get('/reports/kapitel-F1b?period=2023', member);
    expect(pub.status).toBe(200);
    expect(pub.headers.get('content-type')).toMatch(/^text\/html/);
    expect(unna(await pub.text())).toBe('keine Angabe (.)');
    expect(unna(await mem.text())).toMatch(/^\d/);
    expect(pub.headers.get('etag')).not.toBe(mem.headers.get('etag'));
  });

  it('answers hidden, unknown and empty chapters alike, and names the periods it has', async () => {
    const hidden = await get('/reports/kapitel-A2a');
    const unknown = await get('/reports/kapitel-Z9');
    expect(hidden.status).toBe(404);
    expect(await hidden.text()).toBe(await unknown.text());
    expect((await get('/reports/kapitel-A2a', member)).status).toBe(200);
    const year = await get('/reports/kapitel-D6?period=1990');
    expect(year.status).toBe(404);
    expect(((await year.json()) as { error: { fix: string } }).error.fix).toContain('2023');
    expect((await get('/reports/D6')).status).toBe(400);
  });

  it('links the portal stylesheet (the CSP allows no inline styles) and keeps its ETag', async () => {
    const a = await get('/reports/kapitel-D6');
    const page = await a.text();
    expect(page).toContain('<link rel="stylesheet" href="/static/bimo.css">');
    expect(page).not.toMatch(/<style|\sstyle="/);
    expect(page).toContain('Datenstand');
    const etag = a.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await get('/reports/kapitel-D6', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
  });
});

describe('GET /api/v1/reports/{id}?format=pdf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bimo-report-pdf-'));
  const text = (bytes: ArrayBuffer, name: string) => {
    const file = join(dir, name);
    writeFileSync(file, new Uint8Array(bytes));
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  };

  it('is a download printed by Chromium, with the public blank', async () => {
    const res = await get('/reports/kapitel-F1b?format=pdf&period=2023');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kapitel-F1b.pdf"');
    const bytes = await res.arrayBuffer();
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const pub = text(bytes, 'public.pdf');
    const mem = text(
      await (await get('/reports/kapitel-F1b?format=pdf&period=2023', member)).arrayBuffer(),
      'member.pdf',
    );
    // The value in the table row of Kreis Unna (05978).
    const row = (t: string) => /Unna, Kreis\s+05978\s+(\S+)/.exec(t)?.[1];
    expect(row(pub)).toBe('.');
    expect(row(mem)).toMatch(/^\d/);
    // The ETag comes from the page printed, so asking again needs no Chromium.
    const etag = res.headers.get('etag') ?? '';
    const again = await get('/reports/kapitel-F1b?format=pdf&period=2023', {
      'If-None-Match': etag,
    });
    expect(again.status).toBe(304);
  });

  it('serves simultaneous requests from the one shared browser, each chapter printed once', async () => {
    const browser = await getBrowser();
    const paths = ['kapitel-D6', 'kapitel-D6', 'kapitel-F1b', 'kapitel-D7'].map(
      (id) => `/reports/${id}?format=pdf`,
    );
    const answers = await Promise.all(paths.map((p) => get(p)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const bytes = await Promise.all(
      answers.map(async (r) => new Uint8Array(await r.arrayBuffer())),
    );
    // Chromium stamps every PDF with the time: equal bytes mean one print for both requests.
    expect(Buffer.from(bytes[0]!).equals(Buffer.from(bytes[1]!))).toBe(true);
    expect(await getBrowser()).toBe(browser);
    expect(browser.contexts()).toEqual([]);
  });
});
