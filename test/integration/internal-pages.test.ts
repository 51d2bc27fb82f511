/**
 * The portal's internal area in-process, through its forms only (no JSON API): the public is sent
 * to the login form, forms without the session's `csrf` field or from another site are refused,
 * the policy gates each page by role, and a revised table goes upload → report → commit →
 * approve → publish (Düren's leavers without a first qualification 150 → 155, line 108 of
 * 21111-02-06-4.csv), with its audit events.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';
import { formClient, type Browser, type FormClient } from '../helpers/portal-forms.ts';

const LEAVERS = '../shared/data/genesis-samples/regionalstatistik-classic/21111-02-06-4.csv';
const PW = 'Rur und Inde bei Jülich';
const ADMIN = 'monitoring@kreis-dueren.de';
const EDITOR = 'statistik@kreis-dueren.de';
const MEMBER = 'lenkungskreis@kreis-dueren.de';
const DUEREN_ROW = '2023;05358;      Düren, Kreis;2560;1275;150;';

let deps: AppDeps;
let app: ReturnType<typeof createApp>;
let client: FormClient;
const form: FormClient['form'] = (...a) => client.form(...a);
const signIn: FormClient['signIn'] = (...a) => client.signIn(...a);
const get: FormClient['get'] = (...a) => client.get(...a);
const send: FormClient['send'] = (...a) => client.send(...a);

/** The leavers table with the data rows of one Kreis only (header and footnotes kept). */
function kreisOnly(code: string): string {
  return readFileSync(LEAVERS, 'latin1')
    .split(/(?<=\n)/)
    .filter((line) => !/^\d{4};/.test(line) || line.startsWith(`2023;${code};`))
    .join('');
}
const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

beforeAll(async () => {
  const base = await buildDemoStore();
  const accounts = new Accounts(base.store);
  deps = { ...base, accounts, sessions: new Sessions(base.store) };
  const ctx = { actor: 'cli:test' };
  await accounts.createAccount({ email: ADMIN, password: PW, role: 'admin' }, ctx);
  await accounts.createAccount(
    { email: EDITOR, password: PW, role: 'editor', regions: ['05358'] },
    ctx,
    base.regions,
  );
  await accounts.createAccount({ email: MEMBER, password: PW, role: 'member' }, ctx);
  app = createApp(deps, mountWeb);
  client = formClient(app, PW);
}, 120_000);
afterAll(async () => {
  await deps.store.close();
});

function upload(b: Browser, bytes: Uint8Array, name: string, csrf = b.csrf) {
  const body = new FormData();
  body.set('csrf', csrf);
  body.set('file', new File([Buffer.from(bytes)], name));
  return app.request('/intern/import', { method: 'POST', headers: { Cookie: b.cookie }, body });
}

describe('without login', () => {
  it('sends every internal page to the login form and hides internal indicators', async () => {
    for (const path of [
      '/intern',
      '/intern/freigaben',
      '/intern/freigaben/1',
      '/intern/import',
      '/intern/import/1',
      '/intern/nutzer',
      '/intern/protokoll',
    ]) {
      const res = await get(null, path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe(`/anmelden?next=${encodeURIComponent(path)}`);
    }
    const login = await get(null, '/anmelden?next=/intern/freigaben');
    expect(login.status).toBe(200);
    const text = await login.text();
    expect(text).toContain('name="password"');
    expect(text).toContain('value="/intern/freigaben"');
    expect((await get(null, '/indikatoren/A2a')).status).toBe(404);
    expect((await form('/intern/freigaben/1/freigeben', {})).status).toBe(303);
  });

  it('refuses wrong passwords, foreign next= targets and cross-site login posts', async () => {
    const wrong = await form('/anmelden', { email: ADMIN, password: 'falsch falsch falsch' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('stimmen nicht');
    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example']) {
      const res = await form('/anmelden', { email: MEMBER, password: PW, next });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/intern');
    }
    const cross: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ];
    for (const headers of cross) {
      const res = await form('/anmelden', { email: ADMIN, password: PW }, headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const same = await form(
      '/anmelden',
      { email: MEMBER, password: PW },
      { Origin: 'http://localhost' },
    );
    expect(same.status).toBe(303);
  });
});

describe('signed in', () => {
  it('shows who is signed in, and logs out through the form', async () => {
    const b = await signIn(MEMBER);
    const page = await (await get(b, '/intern')).text();
    expect(page).toContain(MEMBER);
    expect(page).toContain('action="/abmelden"');
    expect((await get(b, '/indikatoren/A2a')).status).toBe(200);
    const out = await send(b, '/abmelden');
    expect(out.status).toBe(303);
    expect((await get(b, '/intern')).status).toBe(303);
  });

  it('refuses forms without the csrf field, with a wrong one, or from another site', async () => {
    const b = await signIn(ADMIN);
    const release = (await deps.store.listReleases())[0]?.id ?? 1;
    const path = `/intern/freigaben/${release}/freigeben`;
    const none = await form(path, {}, { Cookie: b.cookie });
    expect(none.status).toBe(403);
    const wrong = await form(path, { csrf: 'x'.repeat(43) }, { Cookie: b.cookie });
    expect(wrong.status).toBe(403);
    const foreign = await form(
      path,
      { csrf: b.csrf },
      { Cookie: b.cookie, Origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    const other = await signIn(EDITOR);
    const stolen = await form(path, { csrf: other.csrf }, { Cookie: b.cookie });
    expect(stolen.status).toBe(403);
    const denied = await deps.store.listAudit({ actor: ADMIN, action: 'access.denied', limit: 10 });
    expect(denied.filter((e) => e.details.decision === 'csrf').length).toBeGreaterThanOrEqual(4);
    const upload403 = await upload(b, latin1('a;b\n'), 'x.csv', 'falsch');
    expect(upload403.status).toBe(403);
  });

  it('gates pages by role: members read, editors import their regions, admins the rest', async () => {
    const member = await signIn(MEMBER);
    const dash = await (await get(member, '/intern')).text();
    expect(dash).toContain('/intern/freigaben');
    expect(dash).not.toContain('/intern/nutzer');
    expect(dash).not.toContain('/intern/import');
    for (const path of ['/intern/nutzer', '/intern/protokoll', '/intern/import']) {
      const res = await get(member, path);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain('Keine Berechtigung');
    }
    expect((await get(member, '/intern/freigaben')).status).toBe(200);
    const release = (await deps.store.listReleases())[0]?.id ?? 1;
    const detail = await (await get(member, `/intern/freigaben/${release}`)).text();
    expect(detail).not.toContain('/freigeben"');
    expect((await send(member, `/intern/freigaben/${release}/freigeben`)).status).toBe(403);

    const editor = await signIn(EDITOR);
    expect((await get(editor, '/intern/import')).status).toBe(200);
    expect((await get(editor, '/intern/nutzer')).status).toBe(403);
    // Aachen is not the editor's region: refused, nothing kept.
    const aachen = await upload(editor, latin1(kreisOnly('05334')), 'aachen.csv');
    expect(aachen.status).toBe(403);
    expect(await aachen.text()).toContain('Keine Berechtigung');
  });

  it('uploads, reports, commits, approves and publishes a revised table', async () => {
    const editor = await signIn(EDITOR);
    const revised = kreisOnly('05358').replace(
      DUEREN_ROW,
      '2023;05358;      Düren, Kreis;2560;1275;155;',
    );
    const up = await upload(editor, latin1(revised), 'dueren-revidiert.csv');
    expect(up.status).toBe(303);
    const reportPath = up.headers.get('location') ?? '';
    expect(reportPath).toMatch(/^\/intern\/import\/\d+$/);
    const report = await (await get(editor, reportPath)).text();
    expect(report).toContain('geprüft – bereit zur Übernahme');
    expect(report).toContain('21111-02-06-4');
    expect(report).toContain('05358');
    expect(report).toContain('Übernehmen');

    const commit = await send(editor, `${reportPath}/uebernehmen`);
    expect(commit.status).toBe(303);
    const releasePath = commit.headers.get('location') ?? '';
    expect(releasePath).toMatch(/^\/intern\/freigaben\/\d+$/);
    const id = Number(releasePath.split('/').pop());
    const diff = await (await get(editor, releasePath)).text();
    expect(diff).toContain('Entwurf');
    expect(diff).toMatch(/<td class="num">150<\/td>\s*<td class="num">155<\/td>/);
    expect(diff).not.toContain('/freigeben"'); // editors do not approve
    expect((await send(editor, `${releasePath}/freigeben`)).status).toBe(403);

    const admin = await signIn(ADMIN);
    const before = await (await get(admin, releasePath)).text();
    expect(before).toContain(`action="/intern/freigaben/${id}/freigeben"`);
    expect((await send(admin, `${releasePath}/freigeben`)).status).toBe(303);
    const approved = await (await get(admin, releasePath)).text();
    expect(approved).toContain('veroeffentlichen');
    expect((await send(admin, `${releasePath}/veroeffentlichen`)).status).toBe(303);
    expect((await deps.store.getRelease(id))?.status).toBe('published');
    const d6 = await app.request('/api/v1/indicators/D6/values?region=05358&period=2023');
    const row = ((await d6.json()) as { data: { numerator: number }[] }).data[0];
    expect(row?.numerator).toBe(155);

    const actions = (await deps.store.listAudit({ limit: 500 })).map((e) => e.action);
    for (const a of [
      'login.ok',
      'import.upload',
      'import.commit',
      'release.approve',
      'release.publish',
    ]) {
      expect(actions, a).toContain(a);
    }
  });

  it('lets an admin create and disable accounts and read the audit log', async () => {
    const admin = await signIn(ADMIN);
    const email = 'neu@kreis-dueren.de';
    const created = await send(admin, '/intern/nutzer', {
      email,
      name: 'Neue Person',
      password: 'Indemann über Inden 2026',
      role: 'editor',
      regions: '05358',
    });
    expect(created.status).toBe(303);
    expect(await (await get(admin, '/intern/nutzer')).text()).toContain(email);
    const off = await send(admin, `/intern/nutzer/${encodeURIComponent(email)}/sperren`);
    expect(off.status).toBe(303);
    expect((await deps.accounts?.mustFind(email))?.disabled).toBe(true);
    const weak = await send(admin, '/intern/nutzer', {
      email: 'x@y.de',
      password: 'kurz',
      role: 'member',
    });
    expect(weak.status).toBeGreaterThanOrEqual(400);
    const log = await (await get(admin, '/intern/protokoll?action=user.disable')).text();
    expect(log).toContain('user.disable');
    expect(log).toContain(email);
    expect(log).not.toContain('release.publish');
  });
});
