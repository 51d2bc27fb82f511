/**
 * The authorization matrix: every route the app has (read from Hono's route table, so a new
 * route without an entry here fails the suite) × every role (public, member, editor, admin),
 * signed in by session cookie and by API token, × a public and a non-public object where the
 * route takes one (D6 vs the internal A2a, a published vs a draft release, one's own vs another
 * account's token) → the expected status.
 *
 * Then the leak check: no answer to the public (JSON, CSV, XLSX, HTML, error messages) names the
 * internal indicator or an account's email, and no value the disclosure control suppresses for the public reaches it
 * (D2a Kreis 03455 2024: 1 of 828 pupils; F1b Kreis Unna 2023 on the indicator page). Runs on the
 * full demo store, where both exist.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { inspectRoutes } from 'hono/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import { importFile, loadRecipes } from '../../src/ingest/index.ts';
import type { User } from '../../src/store/index.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';
import { LEAVERS_2023 } from '../helpers/sample.ts';

type Role = 'public' | 'member' | 'editor' | 'admin';
type Via = 'session' | 'token';
const ROLES: Role[] = ['public', 'member', 'editor', 'admin'];
const PW = 'Tagebau Hambach im Nebel';
const INTERNAL = {
  id: 'A2a',
  title_de: 'Familien mit Kindern',
  title_en: 'Families with children',
};

let deps: AppDeps;
let sessions: Sessions;
let app: ReturnType<typeof createApp>;
const users = {} as Record<Exclude<Role, 'public'> | 'target', User>;
/** Long-lived credentials per role and way of signing in. */
const creds = {} as Record<
  Exclude<Role, 'public'>,
  { cookie: string; csrf: string; token: string }
>;
let draftId = 0;
let publishedId = 0;
/** Every answer the public got, for the leak check. */
const publicAnswers: { label: string; type: string; bytes: Uint8Array }[] = [];

beforeAll(async () => {
  const base = await buildFullDemoStore();
  const accounts = new Accounts(base.store);
  sessions = new Sessions(base.store);
  deps = { ...base, accounts, sessions };
  const ctx = { actor: 'cli:test' };
  const make = (email: string, role: User['role'], regions?: string[]) =>
    accounts.createAccount({ email, password: PW, role, regions }, ctx, base.regions);
  users.admin = await make('admin@kreis-dueren.de', 'admin');
  users.editor = await make('editor@kreis-dueren.de', 'editor', ['05358']);
  users.member = await make('member@kreis-dueren.de', 'member');
  users.target = await make('ziel@kreis-dueren.de', 'member');
  for (const role of ['member', 'editor', 'admin'] as const) {
    const s = await sessions.createSession(users[role]);
    const t = await sessions.issueApiToken(users[role], 'matrix', { actor: users[role].email });
    creds[role] = { cookie: `bimo_session=${s.sessionId}`, csrf: s.csrfToken, token: t.token };
  }
  // A draft release: the revised leavers table, imported by the editor for review.
  const dir = mkdtempSync(join(tmpdir(), 'bimo-matrix-'));
  const revised = join(dir, '21111-02-06-4-revidiert.csv');
  writeFileSync(
    revised,
    readFileSync(LEAVERS_2023, 'latin1').replace(
      '2023;05358;      Düren, Kreis;2560;1275;150;',
      '2023;05358;      Düren, Kreis;2560;1275;155;',
    ),
    'latin1',
  );
  const regions = base.regions;
  const [report] = await importFile(revised, {
    store: base.store,
    regions,
    recipes: loadRecipes(),
    status: 'draft',
    user: users.editor.email,
  });
  if (report?.status !== 'imported') throw new Error('draft import failed');
  const releases = await base.store.listReleases();
  draftId = releases.find((r) => r.status === 'draft')?.id ?? 0;
  publishedId = releases.find((r) => r.status === 'published')?.id ?? 0;
  app = createApp(deps, mountWeb);
}, 180_000);

afterAll(async () => {
  await deps.store.close();
});

interface Probe {
  /** Which object the request touches (for the test name). */
  object: string;
  method?: string;
  /** The path, or a function preparing the request for a role (fresh tokens, unique emails). */
  path: string | ((role: Role) => Promise<string> | string);
  body?: (role: Role) => unknown;
  /** Expected status per role; `token` overrides for requests signed with an API token. */
  expect: Record<Role, number>;
  token?: Partial<Record<Role, number>>;
  /** A fresh session per request (logout and login end the one they are sent with). */
  freshSession?: boolean;
}

const all = (status: number): Record<Role, number> => ({
  public: status,
  member: status,
  editor: status,
  admin: status,
});
const signedIn = (status: number, publicStatus = 401): Record<Role, number> => ({
  public: publicStatus,
  member: status,
  editor: status,
  admin: status,
});
const adminOnly = (status: number): Record<Role, number> => ({
  public: 401,
  member: 403,
  editor: 403,
  admin: status,
});

let counter = 0;
/** A fresh token of `owner`, to be revoked by the request. */
async function freshToken(owner: User): Promise<string> {
  const { record } = await sessions.issueApiToken(owner, `probe ${++counter}`, {
    actor: owner.email,
  });
  return record.id;
}

/** Route (as Hono lists it) → probes. Every route of the app must be here. */
const MATRIX: Record<string, Probe[]> = {
  'GET /healthz': [{ object: '-', path: '/healthz', expect: all(200) }],
  'GET /readyz': [{ object: '-', path: '/readyz', expect: all(200) }],
  'GET /api/v1/indicators': [{ object: 'catalog', path: '/api/v1/indicators', expect: all(200) }],
  'GET /api/v1/indicators/:id': [
    { object: 'public D6', path: '/api/v1/indicators/D6', expect: all(200) },
    { object: 'internal A2a', path: '/api/v1/indicators/A2a', expect: signedIn(200, 404) },
  ],
  'GET /api/v1/indicators/:id/values': [
    {
      object: 'public D6',
      path: '/api/v1/indicators/D6/values?region=05358&period=2023',
      expect: all(200),
    },
    {
      object: 'internal A2a',
      path: '/api/v1/indicators/A2a/values?level=kreis&within=05',
      expect: signedIn(200, 404),
    },
    {
      object: 'internal A2a as CSV',
      path: '/api/v1/indicators/A2a/values?level=kreis&within=05&format=csv',
      expect: signedIn(200, 404),
    },
    {
      object: 'internal A2a as XLSX',
      path: '/api/v1/indicators/A2a/values?region=05358&format=xlsx',
      expect: signedIn(200, 404),
    },
  ],
  'GET /api/v1/indicators/:id/series': [
    {
      object: 'public D6',
      path: '/api/v1/indicators/D6/series?region=05358,rheinisches-revier',
      expect: all(200),
    },
    {
      object: 'internal A2a',
      path: '/api/v1/indicators/A2a/series?region=05358',
      expect: signedIn(200, 404),
    },
  ],
  'GET /api/v1/indicators/:id/compare': [
    {
      object: 'public D6',
      path: '/api/v1/indicators/D6/compare?region=05358&period=2023',
      expect: all(200),
    },
    {
      object: 'internal A2a',
      path: '/api/v1/indicators/A2a/compare?region=05358',
      expect: signedIn(200, 404),
    },
  ],
  'GET /api/v1/releases': [{ object: 'list', path: '/api/v1/releases', expect: all(200) }],
  'GET /api/v1/releases/:id': [
    { object: 'published', path: () => `/api/v1/releases/${publishedId}`, expect: all(200) },
    { object: 'draft', path: () => `/api/v1/releases/${draftId}`, expect: signedIn(200, 404) },
  ],
  // Raw cells can hold counts disclosure control hides: diffs for signed-in viewers only.
  'GET /api/v1/releases/:id/diff': [
    {
      object: 'published',
      path: () => `/api/v1/releases/${publishedId}/diff?limit=5`,
      expect: signedIn(200),
    },
    { object: 'draft', path: () => `/api/v1/releases/${draftId}/diff`, expect: signedIn(200) },
  ],
  // Probes that would change the shared store are avoided: the published release cannot be
  // approved again (409 for the admin, whom the policy let through); publishing it is a no-op.
  'POST /api/v1/releases/:id/approve': [
    {
      object: 'published',
      method: 'POST',
      path: () => `/api/v1/releases/${publishedId}/approve`,
      expect: adminOnly(409),
    },
  ],
  'POST /api/v1/releases/:id/publish': [
    {
      object: 'published (no-op)',
      method: 'POST',
      path: () => `/api/v1/releases/${publishedId}/publish`,
      expect: adminOnly(200),
    },
    {
      object: 'draft (approve first)',
      method: 'POST',
      path: () => `/api/v1/releases/${draftId}/publish`,
      expect: adminOnly(409),
    },
  ],
  'GET /api/v1/imports': [
    {
      object: 'own uploads (admins all)',
      path: '/api/v1/imports',
      expect: { public: 401, member: 403, editor: 200, admin: 200 },
    },
  ],
  // A JSON body instead of a multipart form: refused (400) once the policy let the role through.
  'POST /api/v1/imports': [
    {
      object: 'not a form',
      method: 'POST',
      path: '/api/v1/imports',
      body: () => ({ file: 'tabelle.csv' }),
      expect: { public: 401, member: 403, editor: 400, admin: 400 },
    },
  ],
  // Uploads are made in the store per request (test/helpers/uploads.ts): a file bimo cannot
  // read (`rejected`), so a commit is refused (409) and changes nothing. The editor's own vs
  // the admin's upload.
  'GET /api/v1/imports/:id': [
    {
      object: 'editor’s upload',
      path: async () => (await import('../helpers/uploads.ts')).uploadPath(deps, users.editor),
      expect: { public: 401, member: 403, editor: 200, admin: 200 },
    },
    {
      object: 'admin’s upload',
      path: async () => (await import('../helpers/uploads.ts')).uploadPath(deps, users.admin),
      expect: { public: 401, member: 403, editor: 404, admin: 200 },
    },
  ],
  'POST /api/v1/imports/:id/commit': [
    {
      object: 'editor’s rejected upload',
      method: 'POST',
      path: async () =>
        (await import('../helpers/uploads.ts')).uploadPath(deps, users.editor, '/commit'),
      expect: { public: 401, member: 403, editor: 409, admin: 409 },
    },
    {
      object: 'admin’s rejected upload',
      method: 'POST',
      path: async () =>
        (await import('../helpers/uploads.ts')).uploadPath(deps, users.admin, '/commit'),
      expect: { public: 401, member: 403, editor: 404, admin: 409 },
    },
  ],
  'DELETE /api/v1/imports/:id': [
    {
      object: 'editor’s upload',
      method: 'DELETE',
      path: async () => (await import('../helpers/uploads.ts')).uploadPath(deps, users.editor),
      expect: { public: 401, member: 403, editor: 204, admin: 204 },
    },
    {
      object: 'admin’s upload',
      method: 'DELETE',
      path: async () => (await import('../helpers/uploads.ts')).uploadPath(deps, users.admin),
      expect: { public: 401, member: 403, editor: 404, admin: 204 },
    },
  ],
  'GET /api/v1/regions': [
    { object: 'registry', path: '/api/v1/regions', expect: all(200) },
    { object: 'search', path: '/api/v1/regions?q=d%C3%BCren', expect: all(200) },
  ],
  'GET /api/v1/questions': [
    { object: 'Fragestellungen', path: '/api/v1/questions', expect: all(200) },
  ],
  'GET /api/v1/regions/:code': [
    { object: '05358', path: '/api/v1/regions/05358', expect: all(200) },
    {
      object: 'rheinisches-revier',
      path: '/api/v1/regions/rheinisches-revier',
      expect: all(200),
    },
  ],
  'GET /api/v1/geometry/:id': [
    { object: 'kreise', path: '/api/v1/geometry/kreise', expect: all(200) },
  ],
  'GET /api/v1/geometry': [{ object: 'list', path: '/api/v1/geometry', expect: all(200) }],
  'GET /api/v1/regions/:code/children': [
    {
      object: 'Gemeinden of the Revier',
      path: '/api/v1/regions/rheinisches-revier/children?level=gemeinde',
      expect: all(200),
    },
  ],
  'GET /api/v1/groups': [{ object: 'list', path: '/api/v1/groups', expect: all(200) }],
  'GET /api/v1/groups/:id': [
    { object: 'revier', path: '/api/v1/groups/rheinisches-revier', expect: all(200) },
    { object: 'peer group', path: '/api/v1/groups/vergleichstyp-1', expect: all(200) },
  ],
  'GET /api/v1/sources': [
    { object: 'list (drafts for signed-in only)', path: '/api/v1/sources', expect: all(200) },
  ],
  'GET /api/v1/sources/:id': [
    {
      object: 'published source',
      path: '/api/v1/sources/21111-02-06-4@168d48f263d3',
      expect: all(200),
    },
    {
      object: 'source of the draft release',
      path: async () => {
        const draft = (await deps.store.listSources()).find(
          (s) => s.fileName === '21111-02-06-4-revidiert.csv',
        );
        return `/api/v1/sources/${draft?.id ?? 'missing'}`;
      },
      expect: signedIn(200, 404),
    },
  ],
  'GET /api/v1/indicators/:id/sources': [
    { object: 'public D6', path: '/api/v1/indicators/D6/sources', expect: all(200) },
    {
      object: 'internal A2a',
      path: '/api/v1/indicators/A2a/sources',
      expect: signedIn(200, 404),
    },
  ],
  'GET /api/v1/observations': [
    {
      object: 'raw cells of 05358',
      path: '/api/v1/observations?region=05358&table=21111-02-06-4',
      expect: signedIn(200),
    },
  ],
  'GET /api/v1/openapi.json': [
    { object: 'document', path: '/api/v1/openapi.json', expect: all(200) },
  ],
  'GET /api/v1/docs': [{ object: 'page', path: '/api/v1/docs', expect: all(200) }],
  'GET /api/v1/reports': [{ object: 'list', path: '/api/v1/reports', expect: all(200) }],
  // HTML only: the PDF (a second of Chromium each) is tested once in reports.test.ts.
  'GET /api/v1/reports/:id': [
    { object: 'public D6', path: '/api/v1/reports/kapitel-D6', expect: all(200) },
    {
      object: 'internal A2a',
      path: '/api/v1/reports/kapitel-A2a',
      expect: signedIn(200, 404),
    },
  ],
  'POST /api/v1/auth/login': [
    {
      object: 'own credentials (public: unknown)',
      method: 'POST',
      path: '/api/v1/auth/login',
      body: (role) => ({
        email: role === 'public' ? 'fremd@example.org' : users[role].email,
        password: PW,
      }),
      // Login replaces the browser's session, so it must not end the shared one.
      freshSession: true,
      expect: signedIn(200),
    },
  ],
  'POST /api/v1/auth/logout': [
    {
      object: 'own session',
      method: 'POST',
      path: '/api/v1/auth/logout',
      freshSession: true,
      expect: all(204),
    },
  ],
  'GET /api/v1/auth/me': [{ object: 'self', path: '/api/v1/auth/me', expect: signedIn(200) }],
  'GET /api/v1/auth/tokens': [
    { object: 'own tokens', path: '/api/v1/auth/tokens', expect: signedIn(200) },
  ],
  'POST /api/v1/auth/tokens': [
    {
      object: 'new own token',
      method: 'POST',
      path: '/api/v1/auth/tokens',
      body: () => ({ name: 'Export Kita-Bericht' }),
      expect: signedIn(201),
      // A token never mints tokens.
      token: { member: 403, editor: 403, admin: 403 },
    },
  ],
  'DELETE /api/v1/auth/tokens/:id': [
    {
      object: 'own token',
      method: 'DELETE',
      path: async (role) =>
        `/api/v1/auth/tokens/${await freshToken(users[role === 'public' ? 'member' : role])}`,
      expect: signedIn(204),
    },
    {
      object: 'another account’s token',
      method: 'DELETE',
      path: async (role) =>
        `/api/v1/auth/tokens/${await freshToken(role === 'admin' ? users.member : users.admin)}`,
      expect: { public: 401, member: 404, editor: 404, admin: 204 },
    },
  ],
  'GET /api/v1/users': [{ object: 'accounts', path: '/api/v1/users', expect: adminOnly(200) }],
  'POST /api/v1/users': [
    {
      object: 'new account',
      method: 'POST',
      path: '/api/v1/users',
      body: () => ({
        email: `neu-${++counter}@kreis-dueren.de`,
        password: PW,
        role: 'editor',
        regions: ['05358'],
      }),
      expect: adminOnly(201),
    },
  ],
  'PATCH /api/v1/users/:email': [
    {
      object: 'another account',
      method: 'PATCH',
      path: '/api/v1/users/ziel@kreis-dueren.de',
      body: () => ({ name: `Ziel ${++counter}` }),
      expect: adminOnly(200),
    },
  ],
  'GET /api/v1/audit': [{ object: 'log', path: '/api/v1/audit?limit=5', expect: adminOnly(200) }],
  'GET /regionen': [
    { object: 'list', path: '/regionen', expect: all(200) },
    { object: 'filtered', path: '/regionen?q=D%C3%BCren&lang=en', expect: all(200) },
  ],
  'GET /regionen/:code': [
    { object: 'Kreis 05358', path: '/regionen/05358', expect: all(200) },
    { object: 'Gemeinde 05358008', path: '/regionen/05358008', expect: all(200) },
    { object: 'group', path: '/regionen/rheinisches-revier?lang=en', expect: all(200) },
    { object: 'unknown code', path: '/regionen/99999', expect: all(404) },
  ],
  'GET /vergleich': [
    { object: 'defaults', path: '/vergleich', expect: all(200) },
    {
      object: 'with internal A2a asked',
      path: '/vergleich?regionen=05358,05&indikatoren=A2a,D6',
      expect: all(200),
    },
  ],
  'GET /static/bimo.css': [{ object: '-', path: '/static/bimo.css', expect: all(200) }],
  'GET /favicon.svg': [{ object: '-', path: '/favicon.svg', expect: all(200) }],
  // The internal area (src/web/pages/internal/): the public is sent to the login form (303).
  'GET /anmelden': [{ object: 'login form', path: '/anmelden', expect: all(200) }],
  'POST /anmelden': [
    { object: 'no credentials', method: 'POST', path: '/anmelden', expect: all(400) },
  ],
  'POST /abmelden': [
    {
      object: 'own session',
      method: 'POST',
      path: '/abmelden',
      expect: all(303),
      freshSession: true,
    },
  ],
  'GET /intern': [{ object: 'start page', path: '/intern', expect: signedIn(200, 303) }],
  'GET /intern/freigaben': [
    { object: 'list', path: '/intern/freigaben', expect: signedIn(200, 303) },
  ],
  'GET /intern/freigaben/:id': [
    {
      object: 'draft with diff',
      path: () => `/intern/freigaben/${draftId}`,
      expect: signedIn(200, 303),
    },
  ],
  'POST /intern/freigaben/:id/freigeben': [
    {
      object: 'published (cannot)',
      method: 'POST',
      path: () => `/intern/freigaben/${publishedId}/freigeben`,
      expect: { public: 303, member: 403, editor: 403, admin: 409 },
    },
  ],
  'POST /intern/freigaben/:id/veroeffentlichen': [
    {
      object: 'published (no-op)',
      method: 'POST',
      path: () => `/intern/freigaben/${publishedId}/veroeffentlichen`,
      expect: { public: 303, member: 403, editor: 403, admin: 303 },
    },
  ],
  'GET /intern/import': [
    {
      object: 'form and own uploads',
      path: '/intern/import',
      expect: { public: 303, member: 403, editor: 200, admin: 200 },
    },
  ],
  'POST /intern/import': [
    {
      object: 'no file',
      method: 'POST',
      path: '/intern/import',
      expect: { public: 303, member: 403, editor: 400, admin: 400 },
    },
  ],
  'GET /intern/import/:id': [
    {
      object: 'the editor’s upload',
      path: async () =>
        (await (await import('../helpers/uploads.ts')).uploadPath(deps, users.editor)).replace(
          '/api/v1/imports',
          '/intern/import',
        ),
      expect: { public: 303, member: 403, editor: 200, admin: 200 },
    },
    {
      object: 'the admin’s upload',
      path: async () =>
        (await (await import('../helpers/uploads.ts')).uploadPath(deps, users.admin)).replace(
          '/api/v1/imports',
          '/intern/import',
        ),
      expect: { public: 303, member: 403, editor: 404, admin: 200 },
    },
  ],
  'POST /intern/import/:id/uebernehmen': [
    {
      object: 'editor’s, rejected',
      method: 'POST',
      path: async () =>
        (
          await (
            await import('../helpers/uploads.ts')
          ).uploadPath(deps, users.editor, '/uebernehmen')
        ).replace('/api/v1/imports', '/intern/import'),
      expect: { public: 303, member: 403, editor: 409, admin: 409 },
    },
  ],
  'POST /intern/import/:id/verwerfen': [
    {
      object: 'the editor’s upload',
      method: 'POST',
      path: async () =>
        (
          await (await import('../helpers/uploads.ts')).uploadPath(deps, users.editor, '/verwerfen')
        ).replace('/api/v1/imports', '/intern/import'),
      expect: { public: 303, member: 403, editor: 303, admin: 303 },
    },
  ],
  'GET /intern/nutzer': [
    {
      object: 'accounts',
      path: '/intern/nutzer',
      expect: { public: 303, member: 403, editor: 403, admin: 200 },
    },
  ],
  'POST /intern/nutzer': [
    {
      object: 'no fields',
      method: 'POST',
      path: '/intern/nutzer',
      expect: { public: 303, member: 403, editor: 403, admin: 400 },
    },
  ],
  'POST /intern/nutzer/:email/sperren': [
    {
      object: 'unknown account',
      method: 'POST',
      path: '/intern/nutzer/niemand%40kreis-dueren.de/sperren',
      expect: { public: 303, member: 403, editor: 403, admin: 404 },
    },
  ],
  'POST /intern/nutzer/:email/entsperren': [
    {
      object: 'unknown account',
      method: 'POST',
      path: '/intern/nutzer/niemand%40kreis-dueren.de/entsperren',
      expect: { public: 303, member: 403, editor: 403, admin: 404 },
    },
  ],
  'GET /intern/protokoll': [
    {
      object: 'audit log',
      path: '/intern/protokoll',
      expect: { public: 303, member: 403, editor: 403, admin: 200 },
    },
  ],
  // The AG workspace (src/web/pages/internal/workspace.ts): every signed-in account; posts
  // without fields are refused by the form checks (400), unknown items are 404.
  'GET /intern/ag': [{ object: 'overview', path: '/intern/ag', expect: signedIn(200, 303) }],
  'GET /intern/ag/questions.yaml': [
    { object: 'export', path: '/intern/ag/questions.yaml', expect: signedIn(200, 303) },
  ],
  'POST /intern/ag/handlungsfelder': [
    {
      object: 'none chosen',
      method: 'POST',
      path: '/intern/ag/handlungsfelder',
      expect: signedIn(400, 303),
    },
  ],
  'GET /intern/ag/fragestellungen/neu': [
    { object: 'form', path: '/intern/ag/fragestellungen/neu', expect: signedIn(200, 303) },
  ],
  'POST /intern/ag/fragestellungen/neu': [
    {
      object: 'no fields',
      method: 'POST',
      path: '/intern/ag/fragestellungen/neu',
      expect: signedIn(400, 303),
    },
  ],
  'GET /intern/ag/fragestellungen/:id': [
    { object: 'FS01', path: '/intern/ag/fragestellungen/FS01', expect: signedIn(200, 303) },
    { object: 'unknown FS99', path: '/intern/ag/fragestellungen/FS99', expect: signedIn(404, 303) },
  ],
  'POST /intern/ag/fragestellungen/:id': [
    {
      object: 'FS01, no fields',
      method: 'POST',
      path: '/intern/ag/fragestellungen/FS01',
      expect: signedIn(400, 303),
    },
  ],
  'POST /intern/ag/fragestellungen/:id/entfernen': [
    {
      object: 'unknown FS99',
      method: 'POST',
      path: '/intern/ag/fragestellungen/FS99/entfernen',
      expect: signedIn(404, 303),
    },
  ],
  'POST /intern/ag/fragestellungen/:id/wiederherstellen': [
    {
      object: 'FS01, no version',
      method: 'POST',
      path: '/intern/ag/fragestellungen/FS01/wiederherstellen',
      expect: signedIn(400, 303),
    },
  ],
  'GET /intern/ag/handlungsfelder/neu': [
    { object: 'form', path: '/intern/ag/handlungsfelder/neu', expect: signedIn(200, 303) },
  ],
  'POST /intern/ag/handlungsfelder/neu': [
    {
      object: 'no fields',
      method: 'POST',
      path: '/intern/ag/handlungsfelder/neu',
      expect: signedIn(400, 303),
    },
  ],
  'GET /intern/ag/handlungsfelder/:id': [
    {
      object: 'hf-schulerfolg',
      path: '/intern/ag/handlungsfelder/hf-schulerfolg',
      expect: signedIn(200, 303),
    },
  ],
  'POST /intern/ag/handlungsfelder/:id': [
    {
      object: 'no fields',
      method: 'POST',
      path: '/intern/ag/handlungsfelder/hf-schulerfolg',
      expect: signedIn(400, 303),
    },
  ],
  'POST /intern/ag/handlungsfelder/:id/entfernen': [
    {
      object: 'with questions',
      method: 'POST',
      path: '/intern/ag/handlungsfelder/hf-schulerfolg/entfernen',
      expect: signedIn(409, 303),
    },
  ],
  'POST /intern/ag/handlungsfelder/:id/wiederherstellen': [
    {
      object: 'no version',
      method: 'POST',
      path: '/intern/ag/handlungsfelder/hf-schulerfolg/wiederherstellen',
      expect: signedIn(400, 303),
    },
  ],
  'GET /favicon.ico': [{ object: '-', path: '/favicon.ico', expect: all(200) }],
  'GET /indikatoren/:id/karte.svg': [
    { object: 'public D6', path: '/indikatoren/D6/karte.svg', expect: all(200) },
    { object: 'internal A2a', path: '/indikatoren/A2a/karte.svg', expect: signedIn(200, 404) },
  ],
  'GET /indikatoren/:id/karte.png': [
    { object: 'internal A2a', path: '/indikatoren/A2a/karte.png', expect: signedIn(200, 404) },
  ],
  'GET /indikatoren/:id/rangfolge.svg': [
    { object: 'public D6', path: '/indikatoren/D6/rangfolge.svg', expect: all(200) },
    { object: 'internal A2a', path: '/indikatoren/A2a/rangfolge.svg', expect: signedIn(200, 404) },
  ],
  'GET /': [{ object: 'home', path: '/', expect: all(200) }],
  'GET /indikatoren': [{ object: 'list', path: '/indikatoren', expect: all(200) }],
  'GET /indikatoren/:id': [
    { object: 'public D6', path: '/indikatoren/D6', expect: all(200) },
    { object: 'internal A2a', path: '/indikatoren/A2a', expect: signedIn(200, 404) },
  ],
  'GET /fragestellungen': [{ object: 'list', path: '/fragestellungen', expect: all(200) }],
  'GET /fragestellungen/:id': [
    { object: 'FS01', path: '/fragestellungen/FS01', expect: all(200) },
    { object: 'unknown FS99', path: '/fragestellungen/FS99', expect: all(404) },
  ],
  'GET /suche': [
    { object: 'regions', path: '/suche?q=D%C3%BCren', expect: all(200) },
    { object: 'internal title', path: '/suche?q=Familien', expect: all(200) },
  ],
};

/** The request headers of a role signed in one way (none for the public). */
async function headersOf(role: Role, via: Via, probe: Probe): Promise<Record<string, string>> {
  if (role === 'public') return {};
  if (via === 'token') return { Authorization: `Bearer ${creds[role].token}` };
  if (probe.freshSession) {
    const s = await sessions.createSession(users[role]);
    return { Cookie: `bimo_session=${s.sessionId}`, 'X-CSRF-Token': s.csrfToken };
  }
  return { Cookie: creds[role].cookie, 'X-CSRF-Token': creds[role].csrf };
}

async function run(probe: Probe, role: Role, via: Via): Promise<Response> {
  const path = typeof probe.path === 'string' ? probe.path : await probe.path(role);
  const headers = await headersOf(role, via, probe);
  const body = probe.body?.(role);
  const res = await app.request(path, {
    method: probe.method ?? 'GET',
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (role === 'public') {
    publicAnswers.push({
      label: `${probe.method ?? 'GET'} ${path}`,
      type: res.headers.get('content-type') ?? '',
      bytes: new Uint8Array(await res.clone().arrayBuffer()),
    });
  }
  return res;
}

describe('authorization matrix', () => {
  it('has an entry for every route of the app, and none for a route it does not have', () => {
    const routes = new Set(
      inspectRoutes(app)
        .filter((r) => !r.isMiddleware)
        .map((r) => `${r.method} ${r.path}`),
    );
    const missing = [...routes].filter((r) => !(r in MATRIX));
    expect(missing, 'routes without an entry in MATRIX').toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !routes.has(k))).toEqual([]);
    for (const [route, probes] of Object.entries(MATRIX)) {
      expect(probes.length, route).toBeGreaterThan(0);
      for (const p of probes) expect(p.method ?? 'GET', route).toBe(route.split(' ')[0]);
    }
  });

  describe.each(Object.entries(MATRIX))('%s', (_route, probes) => {
    it.each(probes.map((p) => [p.object, p] as const))('%s', async (_object, probe) => {
      const got: string[] = [];
      const want: string[] = [];
      for (const via of ['session', 'token'] as const) {
        for (const role of ROLES) {
          if (role === 'public' && via === 'token') continue;
          const res = await run(probe, role, via);
          const expected =
            (via === 'token' ? probe.token?.[role] : undefined) ?? probe.expect[role];
          got.push(`${role}/${via}: ${res.status}`);
          want.push(`${role}/${via}: ${expected}`);
        }
      }
      expect(got).toEqual(want);
    });
  });
});

/** Everything readable in an answer: text, or the XML parts of an XLSX workbook. */
function textOf(a: { type: string; bytes: Uint8Array }): string {
  if (a.type.includes('spreadsheetml')) {
    return Object.values(unzipSync(a.bytes))
      .map((part) => strFromU8(part))
      .join('\n');
  }
  return new TextDecoder().decode(a.bytes);
}

async function ask(
  path: string,
  role: Role,
  extra: Record<string, string> = {},
): Promise<{ res: Response; text: string }> {
  const res = await run({ object: 'leak', path, expect: all(200) }, role, 'session').then((r) =>
    Object.keys(extra).length === 0
      ? r
      : app.request(path, {
          headers: {
            ...(role === 'public' ? {} : { Cookie: creds[role].cookie }),
            ...extra,
          },
        }),
  );
  const type = res.headers.get('content-type') ?? '';
  const text = textOf({ type, bytes: new Uint8Array(await res.clone().arrayBuffer()) });
  return { res, text };
}

describe('leak check for the public', () => {
  it('gives the member the suppressed D2a value, and the public a blank, in JSON, CSV and XLSX', async () => {
    const q = '/api/v1/indicators/D2a/values?region=03455&period=2024';
    const member = await ask(q, 'member');
    const pub = await ask(q, 'public');
    expect(JSON.parse(member.text)).toMatchObject({
      data: [{ numerator: 1, denominator: 828 }],
    });
    expect(JSON.parse(pub.text)).toMatchObject({
      data: [{ value: null, numerator: null, denominator: null, flag: '.', suppressed: 'primary' }],
    });
    // JSON answers carry ETags too: the member's never revalidates the public's copy, and the
    // member's own revalidation is a 304 that stays private.
    const jsonTag = member.res.headers.get('etag') ?? '';
    expect(jsonTag).toMatch(/^"/);
    expect(jsonTag).not.toBe(pub.res.headers.get('etag'));
    const pubAgain = await ask(q, 'public', { 'If-None-Match': jsonTag });
    expect(pubAgain.res.status).toBe(200);
    expect(pubAgain.text).not.toMatch(/\b828\b/);
    const memberAgain = await ask(q, 'member', { 'If-None-Match': jsonTag });
    expect(memberAgain.res.status).toBe(304);
    expect(memberAgain.res.headers.get('cache-control')).toBe('private, no-cache');
    expect(memberAgain.text).toBe('');
    for (const format of ['csv', 'xlsx']) {
      const m = await ask(`${q}&format=${format}`, 'member');
      const p = await ask(`${q}&format=${format}`, 'public');
      expect(m.text, format).toMatch(/\b828\b/);
      expect(p.text, format).not.toMatch(/\b828\b/);
      // Different bytes, different ETags: the member's cached copy never answers the public.
      const etag = m.res.headers.get('etag') ?? '';
      expect(etag).not.toBe(p.res.headers.get('etag'));
      const revalidate = await ask(`${q}&format=${format}`, 'public', { 'If-None-Match': etag });
      expect(revalidate.res.status, format).toBe(200);
      expect(revalidate.text).not.toMatch(/\b828\b/);
    }
    const cmpMember = await ask(
      '/api/v1/indicators/D2a/compare?region=03455&period=2024',
      'member',
    );
    const cmpPublic = await ask(
      '/api/v1/indicators/D2a/compare?region=03455&period=2024',
      'public',
    );
    const own = (t: string) =>
      (JSON.parse(t) as { data: { value: number | null; flag: string } }).data;
    expect(own(cmpMember.text).value).not.toBeNull();
    expect(own(cmpPublic.text)).toMatchObject({ value: null, flag: '.' });
  });

  it('keeps the suppressed F1b value of Kreis Unna off the public indicator page', async () => {
    const label = (page: string) => /aria-label="Unna, Kreis: ([^"]*)"/.exec(page)?.[1];
    const member = await ask('/indikatoren/F1b?jahr=2023', 'member');
    const pub = await ask('/indikatoren/F1b?jahr=2023', 'public');
    const shown = label(member.text);
    expect(shown).toMatch(/^\d/);
    expect(label(pub.text)).toBe('keine Angabe (.)');
    expect(pub.text).not.toContain(`Unna, Kreis: ${shown ?? ''}`);
  });

  it('never names the internal indicator in any answer to the public', async () => {
    // Beyond the matrix: the portal pages and listings once more, and error answers.
    for (const path of [
      '/',
      '/indikatoren',
      '/api/v1/indicators',
      '/api/v1/indicators/A2a/values?level=kreis&format=csv',
      '/api/v1/indicators/A2a/values?level=planet',
      '/indikatoren/A2a?jahr=2019',
    ]) {
      await ask(path, 'public');
    }
    expect(publicAnswers.length).toBeGreaterThan(40);
    const leaks = publicAnswers
      .map((a) => ({ label: a.label, text: textOf(a) }))
      .filter(({ text }) =>
        [INTERNAL.id, INTERNAL.title_de, INTERNAL.title_en].some((s) => text.includes(s)),
      )
      .map((a) => a.label);
    expect(leaks).toEqual([]);
    // Nor any account's email (who imported a release is for signed-in eyes only).
    const emails = publicAnswers.filter((a) => textOf(a).includes('@kreis-dueren.de'));
    expect(emails.map((a) => a.label)).toEqual([]);
    // The member, for contrast, does see both.
    expect((await ask('/indikatoren', 'member')).text).toContain(INTERNAL.title_de);
    const draft = await ask(`/api/v1/releases/${draftId}`, 'member');
    expect(JSON.parse(draft.text)).toMatchObject({
      data: { status: 'draft', created_by: 'editor@kreis-dueren.de' },
    });
  });
});
