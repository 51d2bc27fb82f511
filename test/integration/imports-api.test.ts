/**
 * Imports and the release workflow over HTTP, in-process on the demo store (the 2023 leavers and
 * population tables) with an admin, an editor for Kreis Düren (05358) and a member. The files are
 * the real leavers table cut down to one Kreis in a temp dir, as a Kommune would send a
 * correction: Düren's leavers without a first qualification revised from 150 to 155 (line 108
 * of 21111-02-06-4.csv: `2023;05358;      Düren, Kreis;2560;1275;150;…`). D6 for Düren 2023 is
 * 150 / 2560 = 5.86 % before and 155 / 2560 = 6.05 % after publication.
 */
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { uploadLimitBytes } from '../../src/api/routes/import-schemas.ts';
import { Accounts, AUDIT_ACTIONS, Sessions } from '../../src/auth/index.ts';
import type { User } from '../../src/store/index.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';
import { LEAVERS_2023 } from '../helpers/sample.ts';

const PW = 'Indemann über dem Tagebau';
type Role = 'admin' | 'editor' | 'member';

let deps: AppDeps;
let app: ReturnType<typeof createApp>;
let sessions: Sessions;
const users = {} as Record<Role, User>;
const tokens = {} as Record<Role, string>;

/** The leavers table with the data rows of one Kreis only (header and footnotes kept). */
function kreisOnly(code: string): string {
  return readFileSync(LEAVERS_2023, 'latin1')
    .split(/(?<=\n)/)
    .filter((line) => !/^\d{4};/.test(line) || line.startsWith(`2023;${code};`))
    .join('');
}
const DUEREN_ROW = '2023;05358;      Düren, Kreis;2560;1275;150;';
const dueren = kreisOnly('05358').replace(
  DUEREN_ROW,
  '2023;05358;      Düren, Kreis;2560;1275;155;',
);
const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

beforeAll(async () => {
  const base = await buildDemoStore();
  const accounts = new Accounts(base.store);
  sessions = new Sessions(base.store);
  deps = { ...base, accounts, sessions };
  const make = (email: string, role: Role, regions?: string[]) =>
    accounts.createAccount(
      { email, password: PW, role, regions },
      { actor: 'cli:test' },
      base.regions,
    );
  users.admin = await make('monitoring@kreis-dueren.de', 'admin');
  users.editor = await make('statistik@kreis-dueren.de', 'editor', ['05358']);
  users.member = await make('lenkungskreis@kreis-dueren.de', 'member');
  for (const role of ['admin', 'editor', 'member'] as const) {
    tokens[role] = (await sessions.issueApiToken(users[role], 'test', { actor: 'cli:test' })).token;
  }
  app = createApp(deps);
}, 120_000);
afterAll(async () => {
  await deps.store.close();
});

const auth = (role: Role | 'public'): Record<string, string> =>
  role === 'public' ? {} : { Authorization: `Bearer ${tokens[role]}` };

function upload(role: Role | 'public', bytes: Uint8Array, name: string, headers = auth(role)) {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(bytes)], name));
  return app.request('/api/v1/imports', { method: 'POST', headers, body: form });
}
const call = (role: Role | 'public', method: string, path: string) =>
  app.request(path, { method, headers: auth(role) });

interface UploadAnswer {
  id: number;
  status: string;
  file_name: string;
  uploaded_by: string;
  release_id: number | null;
  report: {
    status: string;
    file: string;
    format: string;
    table_code: string | null;
    regions: string[];
    observations: number;
    rows: { total: number };
    release_id: number | null;
    issues: { severity: string; line: number; column: number; code: string; message: string }[];
  };
}
const dataOf = async (res: Response) => ((await res.json()) as { data: UploadAnswer }).data;
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; fix: string } }).error;
const stored = async () => (await deps.store.listUploads()).length;

describe('uploading', () => {
  it('checks an editor’s file of their own Kreis and keeps it with the dry-run report', async () => {
    const res = await upload('editor', latin1(dueren), 'C:\\Daten\\21111-02-06-4-dueren.csv');
    expect(res.status).toBe(200);
    const data = await dataOf(res);
    expect(data).toMatchObject({
      status: 'checked',
      file_name: '21111-02-06-4-dueren.csv',
      uploaded_by: users.editor.email,
      release_id: null,
    });
    expect(data.report).toMatchObject({
      status: 'dry-run',
      format: 'classic-csv',
      table_code: '21111-02-06-4',
      regions: ['05358'],
      observations: 14,
      rows: { total: 1 },
      release_id: null,
    });
    // Nothing imported yet: the published value is still 150.
    const [obs] = await deps.store
      .queryObservations({
        variableIds: ['schulabgaenge_ab'],
        regionCodes: ['05358'],
      })
      .then((rows) => rows.filter((r) => r.dimsKey === 'abschluss=ohne_esa;geschlecht=insgesamt'));
    expect(obs?.value).toBe(150);
  });

  it('refuses another Kreis’s data (403), members (403) and the public (401); nothing is kept', async () => {
    const before = await stored();
    const euskirchen = latin1(kreisOnly('05366'));
    const foreign = await upload('editor', euskirchen, 'euskirchen.csv');
    expect(foreign.status).toBe(403);
    expect((await errorOf(foreign)).message).toContain('regions');
    expect((await upload('member', euskirchen, 'x.csv')).status).toBe(403);
    const anonymous = await upload('public', euskirchen, 'x.csv');
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe('BIMO_E_UNAUTHENTICATED');
    expect(await stored()).toBe(before);
    const denied = await deps.store.listAudit({ action: 'access.denied', limit: 10 });
    expect(denied.find((e) => e.details.decision === 'import')).toMatchObject({
      actor: users.editor.email,
      target: '05366',
    });
  });

  it('needs the CSRF header with a session cookie', async () => {
    const { sessionId, csrfToken } = await sessions.createSession(users.editor);
    const cookie = { Cookie: `bimo_session=${sessionId}` };
    const before = await stored();
    const without = await upload('editor', latin1(dueren), 'a.csv', cookie);
    expect(without.status).toBe(403);
    expect((await errorOf(without)).message).toContain('X-CSRF-Token');
    expect(await stored()).toBe(before);
    const withCsrf = await upload('editor', latin1(dueren), 'a.csv', {
      ...cookie,
      'X-CSRF-Token': csrfToken,
    });
    expect(withCsrf.status).toBe(200);
  });

  it('asks for the form field `file` by name', async () => {
    const form = new FormData();
    form.append('datei', new File([latin1(dueren)], 'a.csv'));
    const res = await app.request('/api/v1/imports', {
      method: 'POST',
      headers: auth('editor'),
      body: form,
    });
    expect(res.status).toBe(400);
    const error = (await res.json()) as { error: { details: unknown; fix: string } };
    expect(error.error.details).toEqual({ field: 'file', in: 'form' });
    expect(error.error.fix).toContain('curl -F file=@');
  });

  it('refuses an oversize upload with 413 and the error envelope', async () => {
    process.env.BIMO_UPLOAD_LIMIT_MB = '1';
    const small = createApp(deps);
    delete process.env.BIMO_UPLOAD_LIMIT_MB;
    const before = await stored();
    const form = new FormData();
    form.append('file', new File([new Uint8Array(1536 * 1024).fill(59)], 'gross.csv'));
    const res = await small.request('/api/v1/imports', {
      method: 'POST',
      headers: auth('editor'),
      body: form,
    });
    expect(res.status).toBe(413);
    const error = await errorOf(res);
    expect(error.code).toBe('BIMO_E_TOO_LARGE');
    expect(error.message).toContain('1 MB');
    expect(error.fix).toContain('BIMO_UPLOAD_LIMIT_MB');
    expect(await stored()).toBe(before);
    expect(uploadLimitBytes({})).toBe(100 * 1024 * 1024);
    expect(() => uploadLimitBytes({ BIMO_UPLOAD_LIMIT_MB: 'viel' })).toThrow(/positive number/);
  });

  it('refuses a ZIP bomb with a clear error and keeps nothing; a ZIP of one table is read', async () => {
    const before = await stored();
    const bomb = zipSync({ 'tabelle.csv': new Uint8Array(32 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    const res = await upload('editor', bomb, 'bombe.zip');
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('BIMO_E_PARSE');
    expect(error.message).toMatch(
      /^bombe\.zip: member tabelle\.csv would unpack to 33554432 bytes \(ratio \d+:1\); refused as a possible ZIP bomb$/,
    );
    expect(error.fix).toContain('Unpack the archive yourself');
    expect(await stored()).toBe(before + 0);
    const zipped = await upload('editor', zipSync({ 'dueren.csv': latin1(dueren) }), 'd.zip');
    expect((await dataOf(zipped)).report).toMatchObject({
      file: 'd.zip!dueren.csv',
      status: 'dry-run',
      regions: ['05358'],
    });
    const two = zipSync({ 'a.csv': latin1(dueren), 'b.csv': latin1(dueren) });
    expect((await dataOf(await upload('editor', two, 'zwei.zip'))).report.issues[0]?.message).toBe(
      'the ZIP archive holds 2 files; an upload is one table',
    );
  });

  it('keeps a broken file as rejected, with the issue at line and column; it cannot be committed', async () => {
    const broken = dueren.replace('Düren, Kreis;2560;', 'Düren, Kreis;25x0;');
    const res = await upload('editor', latin1(broken), 'kaputt.csv');
    expect(res.status).toBe(200);
    const data = await dataOf(res);
    expect(data.status).toBe('rejected');
    expect(data.report.status).toBe('rejected');
    expect(data.report.issues.find((i) => i.severity === 'error')).toMatchObject({
      line: 10,
      column: 31,
      code: 'BIMO_E_PARSE',
      message: expect.stringContaining('"25x0"') as string,
    });
    const commit = await call('editor', 'POST', `/api/v1/imports/${data.id}/commit`);
    expect(commit.status).toBe(409);
    expect((await errorOf(commit)).code).toBe('BIMO_E_CONFLICT');
    expect((await call('editor', 'DELETE', `/api/v1/imports/${data.id}`)).status).toBe(204);
  });
});

describe('commit, review and publication', () => {
  let uploadId = 0;
  let releaseId = 0;
  const d6 = async (role: Role | 'public') => {
    const res = await call(role, 'GET', '/api/v1/indicators/D6/values?region=05358&period=2023');
    const body = (await res.json()) as {
      data: { value: number; numerator: number; denominator: number }[];
    };
    return body.data[0];
  };

  it('commits a checked upload as a draft release that members see and the public does not', async () => {
    uploadId = (await dataOf(await upload('editor', latin1(dueren), 'dueren-revidiert.csv'))).id;
    const res = await call('editor', 'POST', `/api/v1/imports/${uploadId}/commit`);
    expect(res.status).toBe(200);
    const data = await dataOf(res);
    releaseId = data.release_id ?? 0;
    expect(releaseId).toBeGreaterThan(0);
    expect(data).toMatchObject({ status: 'committed' });
    expect(data.report).toMatchObject({ status: 'imported', release_id: releaseId });
    expect(await deps.store.getUploadBytes(uploadId)).toBeNull();

    expect((await call('public', 'GET', `/api/v1/releases/${releaseId}`)).status).toBe(404);
    const seen = await call('member', 'GET', `/api/v1/releases/${releaseId}`);
    expect(await seen.json()).toMatchObject({
      data: { id: releaseId, status: 'draft', created_by: users.editor.email },
    });
    // Readers still see the published 150: D6 = 150 / 2560.
    expect(await d6('public')).toMatchObject({ value: 5.9, numerator: 150, denominator: 2560 });

    const twice = await call('editor', 'POST', `/api/v1/imports/${uploadId}/commit`);
    expect(twice.status).toBe(409);
    expect((await call('admin', 'DELETE', `/api/v1/imports/${uploadId}`)).status).toBe(409);
  });

  it('lists the one changed cell to signed-in viewers only', async () => {
    const path = `/api/v1/releases/${releaseId}/diff`;
    expect((await call('public', 'GET', path)).status).toBe(401);
    const res = await call('member', 'GET', path);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      release: releaseId,
      against: releaseId - 1,
      data: [
        {
          variable: 'schulabgaenge_ab',
          region: '05358',
          period: '2023',
          dims: 'abschluss=ohne_esa;geschlecht=insgesamt',
          change: 'changed',
          before: { value: 150, flag: null },
          after: { value: 155, flag: null },
        },
      ],
      page: { limit: 1000, offset: 0, total: 1, next: null },
    });
    // Against no data at all (the first release): every cell of the table is new.
    const first = await call('member', 'GET', `/api/v1/releases/1/diff?limit=2`);
    const body = (await first.json()) as {
      against: null;
      data: unknown[];
      page: { total: number };
    };
    expect(body.against).toBeNull();
    expect(body.page.total).toBeGreaterThan(1000);
    expect(first.headers.get('link')).toContain('offset=2');
  });

  it('lets only admins approve and publish; publishing recomputes the indicators', async () => {
    const base = `/api/v1/releases/${releaseId}`;
    expect((await call('public', 'POST', `${base}/approve`)).status).toBe(401);
    expect((await call('member', 'POST', `${base}/approve`)).status).toBe(403);
    expect((await call('editor', 'POST', `${base}/approve`)).status).toBe(403);
    const early = await call('admin', 'POST', `${base}/publish`);
    expect(early.status).toBe(409);
    expect((await errorOf(early)).message).toContain('draft');

    const approved = await call('admin', 'POST', `${base}/approve`);
    expect(await approved.json()).toMatchObject({ data: { id: releaseId, status: 'approved' } });
    expect((await call('editor', 'POST', `${base}/publish`)).status).toBe(403);
    const published = await call('admin', 'POST', `${base}/publish`);
    expect(published.status).toBe(200);
    const body = (await published.json()) as {
      data: { status: string };
      computed: { release: number; indicators: number; values: number };
    };
    expect(body.data.status).toBe('published');
    expect(body.computed.release).toBe(releaseId);
    expect(body.computed.indicators).toBeGreaterThan(0);
    // The portal's numbers now: D6 = 155 / 2560 = 6.05 %.
    expect(await d6('public')).toMatchObject({ value: 6.1, numerator: 155, denominator: 2560 });
    const again = await call('admin', 'POST', `${base}/publish`);
    expect(await again.json()).toMatchObject({ data: { status: 'published' }, computed: null });
    expect((await call('admin', 'POST', `${base}/approve`)).status).toBe(409);
  });

  it('writes an audit event for every upload, commit, discard, approval and publication', async () => {
    const events = await deps.store.listAudit({ limit: 1000 });
    const of = (action: string) => events.filter((e) => e.action === action);
    expect(of('import.commit')).toEqual([
      expect.objectContaining({
        actor: users.editor.email,
        target: `import ${uploadId}`,
        details: expect.objectContaining({ releaseId }) as unknown,
      }),
    ]);
    expect(of('import.upload').find((e) => e.target === `import ${uploadId}`)).toMatchObject({
      actor: users.editor.email,
      details: { file: 'dueren-revidiert.csv', status: 'dry-run', observations: 14 },
    });
    expect(of('import.discard').length).toBeGreaterThan(0);
    expect(of('release.approve')).toEqual([
      expect.objectContaining({ actor: users.admin.email, target: `release ${releaseId}` }),
    ]);
    expect(of('release.publish')).toEqual([
      expect.objectContaining({
        actor: users.admin.email,
        target: `release ${releaseId}`,
        details: { from: 'approved' },
      }),
    ]);
    // docs/accounts.md lists every action the log knows.
    const doc = readFileSync(new URL('../../docs/accounts.md', import.meta.url), 'utf8');
    expect(AUDIT_ACTIONS.filter((a) => !doc.includes(`\`${a}\``))).toEqual([]);
  });
});

describe('whose uploads', () => {
  it('shows editors their own uploads only and admins all; others’ answer 404', async () => {
    const mine = await dataOf(await upload('admin', latin1(kreisOnly('05366')), 'eus.csv'));
    expect(mine.report.regions).toEqual(['05366']);
    const list = async (role: Role) => {
      const res = await call(role, 'GET', '/api/v1/imports?limit=1000');
      return ((await res.json()) as { data: UploadAnswer[] }).data;
    };
    const editors = await list('editor');
    expect(editors.length).toBeGreaterThan(3);
    expect(editors.every((u) => u.uploaded_by === users.editor.email)).toBe(true);
    const admins = await list('admin');
    expect(admins[0]?.id).toBe(mine.id);
    expect(admins.map((u) => u.id)).toEqual([...admins.map((u) => u.id)].sort((a, b) => b - a));
    expect((await call('member', 'GET', '/api/v1/imports')).status).toBe(403);
    expect((await call('editor', 'GET', `/api/v1/imports/${mine.id}`)).status).toBe(404);
    expect((await call('editor', 'DELETE', `/api/v1/imports/${mine.id}`)).status).toBe(404);
    const one = await call('admin', 'GET', `/api/v1/imports/${mine.id}`);
    expect((await dataOf(one)).report.table_code).toBe('21111-02-06-4');
    expect((await call('admin', 'DELETE', `/api/v1/imports/${mine.id}`)).status).toBe(204);
    expect(await deps.store.getUpload(mine.id)).toMatchObject({ status: 'discarded' });
  });

  it('takes a Sozialraumliste, checked by the Gemeinden its units belong to', async () => {
    const list = readFileSync(
      new URL('../../docs/templates/sozialraeume-beispiel.csv', import.meta.url),
    );
    const res = await upload('editor', new Uint8Array(list), 'sozialraeume.csv');
    const data = await dataOf(res);
    expect(data.report).toMatchObject({ format: 'sozialraumliste', regions: ['05358008'] });
    const commit = await dataOf(await call('editor', 'POST', `/api/v1/imports/${data.id}/commit`));
    expect(commit).toMatchObject({ status: 'committed', release_id: null });
    const areas = await deps.store.listLocalAreas();
    expect(areas.map((a) => a.code)).toContain('05358008-02');
  });

  it('documents the upload as a multipart form with a binary file', async () => {
    const doc = (await (await call('public', 'GET', '/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(doc.paths['/imports']?.post?.requestBody).toMatchObject({
      content: {
        'multipart/form-data': {
          schema: { properties: { file: { type: 'string', format: 'binary' } } },
        },
      },
    });
    for (const p of ['/imports/{id}/commit', '/releases/{id}/diff', '/releases/{id}/publish']) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});
