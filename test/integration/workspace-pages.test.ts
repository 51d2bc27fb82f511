/**
 * The AG workspace (/intern/ag) in-process through its forms: members edit a Fragestellung,
 * create one, choose Handlungsfelder, remove and restore; every save is a revision with its
 * author and an audit event; a save against an outdated version is refused with both texts; bad
 * input comes back with its problems and writes nothing; the export loads as the catalog's
 * questions.yaml, and the public portal keeps showing the catalog until it is taken over.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import { questionsCommand } from '../../src/cli/commands/questions.ts';
import { CATALOG_DIR, loadCatalogFull } from '../../src/indicators/index.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';
import { formClient, type Browser, type FormClient } from '../helpers/portal-forms.ts';

const PW = 'Inde und Rur bei Düren';
const MEMBER = 'ag-mitglied@kreis-dueren.de';
const ADMIN = 'bildungsbuero@kreis-dueren.de';
const catalog = loadCatalogFull();
const fs01 = catalog.questions.find((q) => q.id === 'FS01');
const nextNumber = Math.max(...catalog.questions.map((q) => Number(q.id.slice(2)))) + 1;
const NEW_ID = `FS${String(nextNumber).padStart(2, '0')}`;

let deps: AppDeps;
let client: FormClient;
let member: Browser;
let admin: Browser;

beforeAll(async () => {
  const base = await buildDemoStore();
  const accounts = new Accounts(base.store);
  deps = { ...base, accounts, sessions: new Sessions(base.store) };
  const ctx = { actor: 'cli:test' };
  await accounts.createAccount(
    { email: MEMBER, password: PW, role: 'member', name: 'Anna Gruber' },
    ctx,
  );
  await accounts.createAccount({ email: ADMIN, password: PW, role: 'admin' }, ctx);
  client = formClient(createApp(deps, mountWeb), PW);
  member = await client.signIn(MEMBER);
  admin = await client.signIn(ADMIN);
}, 120_000);
afterAll(async () => {
  await deps.store.close();
});

const text = async (res: Response | Promise<Response>) => (await res).text();
/** What a page says: tags out, whitespace runs to one space. */
const words = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

/** The form fields of FS01 as the catalog has them, with changes. */
function fs01Form(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  if (!fs01) throw new Error('FS01 missing');
  return {
    title_de: fs01.title_de,
    title_en: fs01.title_en,
    handlungsfeld: fs01.handlungsfeld,
    indicators: fs01.indicators,
    origin_de: fs01.origin_de,
    ...(fs01.next_report ? { next_report: 'ja' } : {}),
    ...over,
  };
}

describe('the workspace', () => {
  it('is for signed-in accounts only and refuses forms without the form token', async () => {
    for (const path of [
      '/intern/ag',
      '/intern/ag/fragestellungen/FS01',
      '/intern/ag/questions.yaml',
    ]) {
      const res = await client.get(null, path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe(`/anmelden?next=${encodeURIComponent(path)}`);
    }
    const noToken = await client.form('/intern/ag/fragestellungen/FS01', fs01Form(), {
      Cookie: member.cookie,
    });
    expect(noToken.status).toBe(403);
    expect(await deps.store.listWorkspaceRevisions()).toEqual([]);
  });

  it('starts as the catalog: every Handlungsfeld and Fragestellung, nothing changed', async () => {
    const page = await text(client.get(member, '/intern/ag'));
    expect(page).toContain('Arbeitsbereich der AG Bildungsmonitoring');
    expect(words(page)).toContain('Keine Änderungen gegenüber dem Katalog');
    for (const h of catalog.handlungsfelder) expect(page).toContain(`value="${h.id}"`);
    for (const q of catalog.questions)
      expect(page).toContain(`/intern/ag/fragestellungen/${q.id}"`);
    expect(page).toContain('Noch keine Änderung: der Arbeitsstand ist der Katalog.');
  });

  it('saves an edit of FS01 as a revision with author, note and audit event', async () => {
    const res = await client.send(
      member,
      '/intern/ag/fragestellungen/FS01',
      fs01Form({
        title_de:
          'Wie viele Jugendliche verlassen die Schule ohne Abschluss – und wo am häufigsten?',
        indicators: ['D6', 'D7', 'E5a'],
        next_report: [],
        note: 'AG-Sitzung vom 20.11.2026',
        rev: '0',
      }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/intern/ag/fragestellungen/FS01?gespeichert=1');
    const [rev] = await deps.store.listWorkspaceRevisions();
    expect(rev).toMatchObject({
      id: 1,
      kind: 'question',
      itemId: 'FS01',
      author: MEMBER,
      note: 'AG-Sitzung vom 20.11.2026',
      deleted: false,
      body: { indicators: ['D6', 'D7', 'E5a'], next_report: false },
    });
    const page = await text(client.get(member, '/intern/ag/fragestellungen/FS01?gespeichert=1'));
    expect(page).toContain('Gespeichert.');
    expect(page).toContain(`Zuletzt geändert von ${MEMBER}`);
    expect(words(page)).toContain('Fassung 1 (aktuell)');
    expect(words(page)).toContain(
      'Indikatoren vorher: D6, D6-geschlecht, E5a nachher: D6, D7, E5a Für den nächsten Bericht vorher: ja nachher: nein',
    );
    expect(page).toContain('„AG-Sitzung vom 20.11.2026“');
    const audit = await deps.store.listAudit({ action: 'workspace.save', limit: 10 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: MEMBER, target: 'workspace 1', outcome: 'ok' });
    const overview = await text(client.get(admin, '/intern/ag'));
    expect(words(overview)).toContain('1 Änderung(en) gegenüber dem Katalog');
  });

  it('refuses a save against an outdated version and shows both texts', async () => {
    // The admin opened FS01 before the member's save (version 0) and now saves.
    const res = await client.send(
      admin,
      '/intern/ag/fragestellungen/FS01',
      fs01Form({ title_de: 'Ganz andere Frage?', rev: '0' }),
    );
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain('Inzwischen geändert');
    expect(page).toContain(`${MEMBER} hat diesen Eintrag`);
    expect(page).toContain('Ihre: Ganz andere Frage?');
    // The form now carries the current version: saving again replaces it deliberately.
    expect(page).toContain('name="rev" value="1"');
    expect(await deps.store.listWorkspaceRevisions()).toHaveLength(1);
  });

  it('brings bad input back with its problems, escaped, and writes nothing', async () => {
    const res = await client.send(member, '/intern/ag/fragestellungen/neu', {
      title_de: '<script>alert(1)</script>',
      title_en: '',
      handlungsfeld: 'hf-gibt-es-nicht',
      indicators: ['D6', 'ZZ9'],
    });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Bitte prüfen Sie 3 Angaben');
    expect(page).toContain('<a href="#title_en">Fragestellung (englisch): bitte ausfüllen.</a>');
    expect(page).toContain('Indikatoren: ZZ9 gibt es im Katalog nicht.');
    expect(page).toContain('aria-invalid="true" aria-describedby="handlungsfeld-problem"');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    expect(await deps.store.listWorkspaceRevisions()).toHaveLength(1);
  });

  it('creates a question under the next number and marks it for the next report', async () => {
    const res = await client.send(member, '/intern/ag/fragestellungen/neu', {
      title_de: 'Wie viele Kinder wechseln nach der Grundschule aufs Gymnasium?',
      title_en: 'How many children move on to a Gymnasium after primary school?',
      handlungsfeld: 'hf-schulerfolg',
      indicators: ['D2', 'D2c'],
      next_report: 'ja',
      note: 'Vorschlag Kreis Düren',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/intern/ag/fragestellungen/${NEW_ID}?gespeichert=1`);
    const page = await text(client.get(member, `/intern/ag/fragestellungen/${NEW_ID}`));
    expect(page).toContain(`Fragestellung ${NEW_ID}`);
    expect(page).toContain('Neu angelegt.');
    expect(page).toMatch(/id="next_report"\s+name="next_report"\s+value="ja"\s+checked/);
  });

  it('stores the choice of Handlungsfelder, only for the fields that changed', async () => {
    const chosen = catalog.handlungsfelder.map((h) => h.id).filter((id) => id !== 'hf-hochschule');
    const revs = Object.fromEntries(catalog.handlungsfelder.map((h) => [`rev-${h.id}`, '0']));
    const res = await client.send(admin, '/intern/ag/handlungsfelder', { ...revs, chosen });
    expect(res.status).toBe(303);
    const all = await deps.store.listWorkspaceRevisions();
    expect(all.at(-1)).toMatchObject({
      kind: 'handlungsfeld',
      itemId: 'hf-hochschule',
      author: ADMIN,
      body: { chosen: false },
    });
    expect(all.filter((r) => r.kind === 'handlungsfeld')).toHaveLength(1);
    expect(await text(client.get(admin, '/intern/ag'))).toMatch(
      /Hochschule und Studium\s*<span class="status status-draft">abgewählt/,
    );
  });

  it('removes a question and restores it from its history', async () => {
    const removed = await client.send(member, '/intern/ag/fragestellungen/FS02/entfernen', {
      rev: '0',
    });
    expect(removed.status).toBe(303);
    expect(await text(client.get(member, '/intern/ag'))).toContain('id="entfernt"');
    const last = (await deps.store.listWorkspaceRevisions()).at(-1);
    expect(last).toMatchObject({ itemId: 'FS02', deleted: true });
    const restored = await client.send(member, '/intern/ag/fragestellungen/FS02/wiederherstellen', {
      fassung: '0',
      rev: String(last?.id),
    });
    expect(restored.status).toBe(303);
    const page = await text(client.get(member, '/intern/ag/fragestellungen/FS02'));
    expect(page).not.toContain('(entfernt)');
    expect(page).toContain('Entfernt.');
    // A Handlungsfeld that still has questions cannot be removed.
    const field = await client.send(
      admin,
      '/intern/ag/handlungsfelder/hf-schulerfolg/entfernen',
      {},
    );
    expect(field.status).toBe(409);
    expect(await field.text()).toContain('hat noch');
  });

  it('exports a questions.yaml that the catalog loads, while the portal still shows the catalog', async () => {
    const res = await client.get(member, '/intern/ag/questions.yaml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="questions.yaml"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const yaml = await res.text();
    const dir = mkdtempSync(join(tmpdir(), 'bimo-catalog-'));
    cpSync(CATALOG_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'questions.yaml'), yaml);
    const taken = loadCatalogFull(dir);
    expect(taken.questions.find((q) => q.id === 'FS01')).toMatchObject({
      indicators: ['D6', 'D7', 'E5a'],
      next_report: false,
    });
    expect(taken.questions.find((q) => q.id === NEW_ID)?.indicators).toEqual(['D2', 'D2c']);
    expect(taken.questions.find((q) => q.id === 'FS02')?.title_de).toBe(
      catalog.questions.find((q) => q.id === 'FS02')?.title_de,
    );
    expect(taken.handlungsfelder.find((h) => h.id === 'hf-hochschule')?.chosen).toBe(false);
    expect((parse(yaml) as { questions: unknown[] }).questions).toHaveLength(
      catalog.questions.length + 1,
    );

    // The public portal shows the catalog until an admin takes the export over.
    const publicPage = await text(client.get(null, '/fragestellungen'));
    expect(publicPage).toContain(fs01?.title_de ?? '?');
    expect(publicPage).not.toContain(NEW_ID);

    // `bimo questions export` writes the same state.
    const io = captureIo();
    const out = join(dir, 'cli.yaml');
    expect(await questionsCommand(deps.store, io, ['export'], { out, json: false })).toBe(0);
    const cli = readFileSync(out, 'utf8');
    expect(cli.replace(/Stand: .*/, '')).toBe(yaml.replace(/Stand: .*/, ''));
    expect(io.stderr.join('\n')).toMatch(/wrote .*cli\.yaml \(3 change\(s\) against the catalog\)/);
  });
});
