/**
 * Regions, groups, geometry, sources and raw observations over HTTP, on the full demo store,
 * against values checked by hand: the hierarchy of Düren (05358008), the composition of the
 * Rheinisches Revier (domain.md §0 and §6: 7 Kreise, 65 Gemeinden), the Kreis map (VG250, 400
 * Kreise), the SHA-256 of 21111-02-06-4.csv (`sha256sum`) and the Düren row of that file (line
 * 108: 2023;05358;Düren, Kreis;2560;1275;150;…). A draft import of a revised file shows what the
 * public does not see.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import { importFile, loadRecipes } from '../../src/ingest/index.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';
import { LEAVERS_2023 } from '../helpers/sample.ts';

const PW = 'Indemann über dem Tagebau';
const MEMBER = 'lenkungskreis@kreis-dueren.de';
/** `sha256sum 21111-02-06-4.csv` in ../shared/data/genesis-samples/regionalstatistik-classic. */
const LEAVERS_SHA = '168d48f263d3a23e88347e5a5bb60306bfc36e717f809b2ec031c67bee810077';
const LEAVERS_ID = '21111-02-06-4@168d48f263d3';
const REVIER_KREISE = ['05116', '05162', '05334', '05358', '05362', '05366', '05370'];

let deps: AppDeps;
let app: ReturnType<typeof createApp>;
let cookie = '';
let draftSource = '';
let draftRelease = 0;

beforeAll(async () => {
  const base = await buildFullDemoStore();
  const accounts = new Accounts(base.store);
  const sessions = new Sessions(base.store);
  deps = { ...base, accounts, sessions };
  const member = await accounts.createAccount(
    { email: MEMBER, password: PW, role: 'member' },
    { actor: 'cli:test' },
  );
  cookie = `bimo_session=${(await sessions.createSession(member)).sessionId}`;
  // A revised leavers table as a draft: Düren 2023 ohne Hauptschulabschluss 150 → 155.
  const revised = join(mkdtempSync(join(tmpdir(), 'bimo-sources-')), '21111-02-06-4-rev.csv');
  const text = readFileSync(LEAVERS_2023, 'latin1');
  const row = '2023;05358;      Düren, Kreis;2560;1275;150;';
  expect(text).toContain(row);
  writeFileSync(revised, text.replace(row, row.replace(';150;', ';155;')), 'latin1');
  const [report] = await importFile(revised, {
    store: base.store,
    regions: base.regions,
    recipes: loadRecipes(),
    status: 'draft',
    user: MEMBER,
  });
  if (report?.status !== 'imported') throw new Error('draft import failed');
  const sources = await base.store.listSources();
  draftSource = sources.find((s) => s.fileName === '21111-02-06-4-rev.csv')?.id ?? '';
  draftRelease = (await base.store.listReleases()).find((r) => r.status === 'draft')?.id ?? 0;
  app = createApp(deps);
}, 180_000);

afterAll(async () => {
  await deps.store.close();
});

async function get<T = Record<string, unknown>>(
  path: string,
  as: 'public' | 'member' = 'public',
): Promise<{ res: Response; body: T }> {
  const res = await app.request(path, { headers: as === 'member' ? { Cookie: cookie } : {} });
  const type = res.headers.get('content-type') ?? '';
  const body = (type.includes('json') ? await res.clone().json() : {}) as T;
  return { res, body };
}

interface Ref {
  code: string;
  name: string;
  level: string;
}

describe('regions and groups', () => {
  it('gives a Gemeinde its ancestors from the Bund down, and its groups', async () => {
    const { res, body } = await get<{
      data: { type: string; ancestors: Ref[]; children: Ref[]; groups: { id: string }[] };
    }>('/api/v1/regions/05358008');
    expect(res.status).toBe(200);
    expect(body.data).toMatchObject({ type: 'region', code: '05358008', level: 'gemeinde' });
    expect(body.data.ancestors).toEqual([
      { code: 'DG', name: 'Deutschland', level: 'bund' },
      { code: '05', name: 'Nordrhein-Westfalen', level: 'land' },
      { code: '053', name: 'Köln, Regierungsbezirk', level: 'rb' },
      { code: '05358', name: 'Düren, Kreis', level: 'kreis' },
    ]);
    expect(body.data.children).toEqual([]);
    // Düren is one of the 19 Anrainerkommunen and, as a Gemeinde of Kreis Düren, in the Revier.
    expect(body.data.groups.map((g) => g.id)).toEqual(['anrainer', 'rheinisches-revier']);
  });

  it('gives a Kreis its 15 Gemeinden and its Revier and peer group', async () => {
    const { body } = await get<{ data: { children: Ref[]; groups: { id: string }[] } }>(
      '/api/v1/regions/05358',
    );
    expect(body.data.children).toHaveLength(15);
    expect(body.data.children[0]).toEqual({
      code: '05358004',
      name: 'Aldenhoven',
      level: 'gemeinde',
    });
    expect(body.data.children.map((c) => c.code)).toContain('05358008');
    // docs/peer-groups.md: Düren falls into Vergleichstyp 1.
    expect(body.data.groups.map((g) => g.id)).toEqual(['rheinisches-revier', 'vergleichstyp-1']);
  });

  it('answers a group id with its kind and its members with weights', async () => {
    const { body } = await get<{
      data: { type: string; kind: string; level: string; members: (Ref & { weight: number })[] };
    }>('/api/v1/regions/rheinisches-revier');
    expect(body.data).toMatchObject({ type: 'group', kind: 'revier', level: 'kreis' });
    // 7 Kreise and their 65 Gemeinden, every one counted fully.
    expect(body.data.members).toHaveLength(72);
    expect(body.data.members.filter((m) => m.level === 'kreis').map((m) => m.code)).toEqual(
      REVIER_KREISE,
    );
    expect(body.data.members.filter((m) => m.level === 'gemeinde')).toHaveLength(65);
    expect(new Set(body.data.members.map((m) => m.weight))).toEqual(new Set([1]));
    const groups = await get<{ data: unknown }>('/api/v1/groups/rheinisches-revier');
    expect(groups.body.data).toEqual(body.data);
  });

  it('lists the regions inside a region or group, at a level', async () => {
    const kreise = await get<{ data: Ref[] }>('/api/v1/regions/rheinisches-revier/children');
    expect(kreise.body.data.map((r) => r.code)).toEqual(REVIER_KREISE);
    const gemeinden = await get<{ data: Ref[]; page: { total: number } }>(
      '/api/v1/regions/rheinisches-revier/children?level=gemeinde',
    );
    expect(gemeinden.body.page.total).toBe(65);
    expect(gemeinden.body.data.every((r) => r.level === 'gemeinde')).toBe(true);
    const dueren = await get<{ data: Ref[] }>('/api/v1/regions/05358/children?level=gemeinde');
    expect(dueren.body.data).toHaveLength(15);
    const rb = await get<{ data: Ref[] }>('/api/v1/regions/05/children');
    expect(rb.body.data.map((r) => r.code)).toEqual(['051', '053', '055', '057', '059']);
  });

  it('lists the groups by kind, the peer groups covering all 400 Kreise', async () => {
    const { body } = await get<{
      data: { id: string; kind: string; level: string; members: number }[];
    }>('/api/v1/groups');
    expect(body.data.map((g) => g.id)).toEqual([
      'lausitzer-revier',
      'mitteldeutsches-revier',
      'rheinisches-revier',
      'anrainer',
      'ruhr',
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `vergleichstyp-${n}`),
    ]);
    expect(body.data.find((g) => g.id === 'rheinisches-revier')).toEqual({
      id: 'rheinisches-revier',
      name: 'Rheinisches Revier',
      kind: 'revier',
      level: 'kreis',
      members: 72,
    });
    expect(body.data.find((g) => g.id === 'anrainer')).toMatchObject({
      level: 'gemeinde',
      members: 19,
    });
    const peers = await get<{ data: { members: number }[] }>('/api/v1/groups?kind=peer');
    expect(peers.body.data).toHaveLength(8);
    expect(peers.body.data.reduce((n, g) => n + g.members, 0)).toBe(400);
    const typ1 = await get<{ data: { members: Ref[] } }>('/api/v1/groups/vergleichstyp-1');
    expect(typ1.body.data.members).toHaveLength(83);
    // docs/peer-groups.md: with Kleve, Euskirchen and Heinsberg.
    const codes = typ1.body.data.members.map((m) => m.code);
    expect(codes).toEqual(expect.arrayContaining(['05154', '05358', '05366', '05370']));
  });

  it('answers unknown regions and groups with 404', async () => {
    for (const path of [
      '/api/v1/regions/99999',
      '/api/v1/regions/99999/children',
      '/api/v1/groups/atlantis',
    ]) {
      const { res, body } = await get<{ error: { code: string } }>(path);
      expect(res.status, path).toBe(404);
      expect(body.error.code).toBe('BIMO_E_REGION_UNKNOWN');
    }
  });
});

interface Collection {
  type: string;
  features: {
    type: string;
    id: string;
    properties: { name: string };
    geometry: { type: string };
  }[];
}

describe('geometry', () => {
  it('lists the geometries with their feature counts', async () => {
    const { body } = await get<{ data: unknown[] }>('/api/v1/geometry');
    expect(body.data).toEqual([
      expect.objectContaining({ id: 'kreise', level: 'kreis', features: 400 }),
      expect.objectContaining({ id: 'gemeinden-nrw', level: 'gemeinde', features: 396 }),
    ]);
  });

  it('serves the stored TopoJSON bytes unchanged and shared-cacheable', async () => {
    const { res } = await get('/api/v1/geometry/kreise');
    expect(await res.text()).toBe((await deps.store.getGeometry('kreise'))?.topojson);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(res.headers.get('vary')).toBeNull();
  });

  it('converts to GeoJSON, every feature with its AGS and name', async () => {
    const { res, body } = await get<Collection>('/api/v1/geometry/kreise?format=geojson');
    expect(res.headers.get('content-type')).toBe('application/geo+json');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toHaveLength(400);
    const dueren = body.features.find((f) => f.id === '05358');
    expect(dueren?.properties).toEqual({ name: 'Düren, Kreis' });
    expect(dueren?.geometry.type).toMatch(/Polygon/);
  });

  it('keeps only the features inside a group or region', async () => {
    const revier = await get<Collection>(
      '/api/v1/geometry/kreise?format=geojson&within=rheinisches-revier',
    );
    expect(revier.body.features.map((f) => f.id).sort()).toEqual(REVIER_KREISE);
    const topo = await get<{ objects: { kreise: { geometries: unknown[] } } }>(
      '/api/v1/geometry/kreise?within=rheinisches-revier',
    );
    expect(topo.body.objects.kreise.geometries).toHaveLength(7);
    const gemeinden = await get<Collection>(
      '/api/v1/geometry/gemeinden-nrw?format=geojson&within=05358',
    );
    expect(gemeinden.body.features).toHaveLength(15);
    const unknown = await get('/api/v1/geometry/kreise?within=atlantis');
    expect(unknown.res.status).toBe(404);
    expect((await get('/api/v1/geometry/planeten')).res.status).toBe(404);
  });
});

interface SourceRow {
  id: string;
  table: string;
  sha256: string;
  file: string;
  release: { id: number; status: string; imported_by: string | null } | null;
}

describe('sources', () => {
  it('lists every published source with its table, checksum and release', async () => {
    const { body } = await get<{ data: SourceRow[]; page: { total: number } }>(
      '/api/v1/sources?limit=1000',
    );
    // DEMO_FILES: 30 files, all published; the draft is not shown to the public.
    expect(body.page.total).toBe(30);
    expect(body.data.map((s) => s.id)).not.toContain(draftSource);
    expect(body.data[0]).toEqual({
      id: LEAVERS_ID,
      table: '21111-02-06-4',
      title:
        'Absolvierende/Abgehende allgemeinbildender Schulen nach Geschlecht und Abschlussarten',
      database: 'Regionaldatenbank Deutschland',
      stand: '2025-03-13',
      file: '21111-02-06-4.csv',
      sha256: LEAVERS_SHA,
      imported_at: expect.any(String) as string,
      licence: 'dl-de/by-2-0',
      release: { id: 1, status: 'published', imported_by: null },
    });
    // Every source paired with its own release.
    expect(new Set(body.data.map((s) => s.release?.id)).size).toBe(30);
    const member = await get<{ data: SourceRow[] }>('/api/v1/sources?limit=1000', 'member');
    expect(member.body.data.find((s) => s.id === draftSource)?.release).toEqual({
      id: draftRelease,
      status: 'draft',
      imported_by: MEMBER,
    });
    expect(member.body.data.find((s) => s.id === LEAVERS_ID)?.release?.imported_by).toBe('cli');
  });

  it('shows one source with its footnotes and variables; drafts only when signed in', async () => {
    const { body } = await get<{ data: SourceRow & { footnotes: string; variables: string[] } }>(
      `/api/v1/sources/${LEAVERS_ID}`,
    );
    expect(body.data).toMatchObject({ sha256: LEAVERS_SHA, variables: ['schulabgaenge_ab'] });
    expect(body.data.footnotes).toContain('Rundung');
    expect((await get(`/api/v1/sources/${draftSource}`)).res.status).toBe(404);
    expect((await get(`/api/v1/sources/${draftSource}`, 'member')).res.status).toBe(200);
    expect((await get('/api/v1/sources/nichts@000')).res.status).toBe(404);
  });

  it('names the sources that feed an indicator, hiding internal indicators', async () => {
    const { body } = await get<{ variables: string[]; tables: string[]; data: SourceRow[] }>(
      '/api/v1/indicators/D6/sources',
    );
    expect(body.variables).toEqual(['schulabgaenge_ab']);
    expect(body.tables).toEqual(['21111-02-06-4', '21111-02-06-4-B']);
    expect(body.data.map((s) => s.id)).toEqual([LEAVERS_ID, '21111-02-06-4-B@3fe4426639d5']);
    const member = await get<{ data: SourceRow[] }>('/api/v1/indicators/D6/sources', 'member');
    expect(member.body.data.map((s) => s.id)).toContain(draftSource);
    // A gap indicator reads the variables of the indicator it splits.
    const gap = await get<{ variables: string[] }>('/api/v1/indicators/D6-geschlecht/sources');
    expect(gap.body.variables).toEqual(['schulabgaenge_ab']);
    expect((await get('/api/v1/indicators/A2a/sources')).res.status).toBe(404);
    const internal = await get<{ data: SourceRow[] }>('/api/v1/indicators/A2a/sources', 'member');
    expect(internal.body.data.map((s) => s.table)).toEqual(['12211-Z-11']);
  });
});

interface Item {
  region: string;
  period: string;
  dims: Record<string, string>;
  value: number | null;
  flag: string | null;
  rounding_base: number;
  source: { table: string; sha256: string; origin: string; imported_by: string | null };
  release: { id: number; status: string };
}

describe('observations', () => {
  const duerenLeavers =
    '/api/v1/observations?region=05358&variable=schulabgaenge_ab&period=2023&table=21111-02-06-4';

  it('refuses the public: raw cells hold counts that disclosure control suppresses', async () => {
    const { res, body } = await get<{ error: { code: string } }>(duerenLeavers);
    expect(res.status).toBe(401);
    expect(body.error.code).toBe('BIMO_E_UNAUTHENTICATED');
  });

  it('gives a signed-in viewer each value with its source table, file position and release', async () => {
    const { res, body } = await get<{ data: Item[] }>(duerenLeavers, 'member');
    expect(res.status).toBe(200);
    const cell = (abschluss: string, geschlecht = 'insgesamt') =>
      body.data.find((i) => i.dims.abschluss === abschluss && i.dims.geschlecht === geschlecht);
    // Line 108 of 21111-02-06-4.csv: 2023;05358;Düren, Kreis;2560;1275;150;55;…
    expect(cell('insgesamt')).toMatchObject({
      value: 2560,
      flag: null,
      rounding_base: 5,
      source: { table: '21111-02-06-4', sha256: LEAVERS_SHA, origin: '108:31', imported_by: 'cli' },
      release: { id: 1, status: 'published' },
    });
    expect(cell('insgesamt', 'weiblich')?.value).toBe(1275);
    expect(cell('ohne_esa')).toMatchObject({ value: 150, source: { origin: '108:41' } });
    expect(cell('fhr')).toMatchObject({ value: null, flag: '-' });
    // As of the draft release, the revised file's value.
    const draft = await get<{ data: Item[] }>(
      `${duerenLeavers.replace('&table=21111-02-06-4', '')}&release=${draftRelease}`,
      'member',
    );
    const revised = draft.body.data.find(
      (i) => i.dims.abschluss === 'ohne_esa' && i.dims.geschlecht === 'insgesamt',
    );
    expect(revised).toMatchObject({ value: 155, release: { id: draftRelease, status: 'draft' } });
  });

  it('expands a group to its members and matches a year against Stichtage', async () => {
    const revier = await get<{ data: Item[] }>(
      '/api/v1/observations?region=rheinisches-revier&variable=schulabgaenge_ab&period=2023&table=21111-02-06-4',
      'member',
    );
    expect([...new Set(revier.body.data.map((i) => i.region))].sort()).toEqual(REVIER_KREISE);
    const population = await get<{ data: Item[] }>(
      '/api/v1/observations?region=05358&variable=bevoelkerung&period=2023',
      'member',
    );
    expect(population.body.data.length).toBeGreaterThan(0);
    expect(new Set(population.body.data.map((i) => i.period))).toEqual(new Set(['2023-12-31']));
  });

  it('needs a region or a variable, and names unknown ones', async () => {
    const none = await get<{ error: { code: string } }>(
      '/api/v1/observations?period=2023',
      'member',
    );
    expect(none.res.status).toBe(400);
    const region = await get<{ error: { code: string } }>(
      '/api/v1/observations?region=99999',
      'member',
    );
    expect(region.body.error.code).toBe('BIMO_E_REGION_UNKNOWN');
    const variable = await get<{ error: { code: string; fix: string } }>(
      '/api/v1/observations?variable=einhorn',
      'member',
    );
    expect(variable.res.status).toBe(400);
    expect(variable.body.error.fix).toContain('schulabgaenge_ab');
  });
});
