/**
 * The JSON API in-process (app.request): values checked by hand against 21111-02-06-4
 * (Schuljahr 2022/23), error envelopes, security headers and the indicator page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';

interface Row {
  region: string;
  name: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  flag: string | null;
}

let deps: AppDeps;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  deps = await buildDemoStore();
  app = createApp(deps, mountWeb);
});
afterAll(async () => {
  await deps.store.close();
});

async function values(query: string): Promise<{ indicator: string; data: Row[] }> {
  const res = await app.request(`/api/v1/indicators/D6/values?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { indicator: string; data: Row[] };
}

describe('GET /api/v1/indicators/D6/values', () => {
  it('lists every Kreis valid in 2023 with values equal to the source', async () => {
    const body = await values('level=kreis&period=2023');
    expect(body.indicator).toBe('D6');
    expect(body.data).toHaveLength(400);
    const dueren = body.data.find((r) => r.region === '05358');
    expect(dueren).toEqual({
      region: '05358',
      name: 'Düren, Kreis',
      level: 'kreis',
      period: '2023',
      value: 5.9,
      numerator: 150,
      denominator: 2560,
      flag: null,
      error_bound: expect.any(Number),
      method: 'published',
    });
    const nrw = body.data.filter((r) => r.region.startsWith('05'));
    expect(nrw).toHaveLength(53);
    expect(nrw.map((r) => r.region)).not.toContain('05334002');
    expect(nrw.map((r) => r.region)).not.toContain('05354');
  });

  it('answers for a group and for NRW', async () => {
    const body = await values('region=rheinisches-revier,05&period=2023');
    expect(body.data.map((r) => [r.region, r.numerator, r.denominator, r.value])).toEqual([
      ['rheinisches-revier', 1435, 24550, 5.8],
      ['05', 11835, 183830, 6.4],
    ]);
  });

  it('keeps special signs as flags with null values, never 0', async () => {
    // Hamburg: Abgänger ohne HSA are reported; pick a Land whose cells are `x` or `.` instead.
    const all = await values('level=kreis&period=2023');
    const flagged = all.data.filter((r) => r.flag !== null && r.flag !== '-');
    for (const r of flagged) expect(r.value).toBeNull();
  });

  it('offers the breakdown by sex', async () => {
    const body = await values('region=05358&period=2023&geschlecht=weiblich');
    expect(body.data[0]).toMatchObject({ numerator: 55, denominator: 1275 });
  });

  it('answers bad requests with the error envelope', async () => {
    const unknown = await app.request('/api/v1/indicators/Z9/values?level=kreis');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'BIMO_E_INDICATOR_UNKNOWN' } });
    const badRegion = await app.request('/api/v1/indicators/D6/values?region=99999');
    expect(badRegion.status).toBe(404);
    expect(await badRegion.json()).toMatchObject({ error: { code: 'BIMO_E_REGION_UNKNOWN' } });
    const badLevel = await app.request('/api/v1/indicators/D6/values?level=planet');
    expect(badLevel.status).toBe(400);
    // Refused by the request schema (a code has no spaces) before any query runs.
    const hostile = await app.request("/api/v1/indicators/D6/values?region=05'%20OR%201=1--");
    expect(hostile.status).toBe(400);
    expect(await hostile.json()).toMatchObject({
      error: { code: 'BIMO_E_BAD_REQUEST', details: { field: 'region', in: 'query' } },
    });
    const quoted = await app.request("/api/v1/indicators/D6/values?region=05'--");
    expect(quoted.status).toBe(404);
    expect(await quoted.json()).toMatchObject({ error: { code: 'BIMO_E_REGION_UNKNOWN' } });
  });
});

describe('portal', () => {
  it('renders the indicator page with map, chart, table and the German sentence', async () => {
    const res = await app.request('/indikatoren/D6');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await res.text();
    expect(page).toContain('<svg');
    expect(page).toContain('Düren, Kreis');
    expect(page).toMatch(/Im Rheinischen Revier lag der Anteil [^<]* bei 5,8 %/);
    expect(page).toContain('<table class="data"');
  });
});

describe('review findings', () => {
  it('answers 400/404 with the field for bad within and empty region lists', async () => {
    const within = await app.request('/api/v1/indicators/D6/values?level=kreis&within=nope');
    expect(within.status).toBe(404);
    expect(await within.json()).toMatchObject({ error: { details: { field: 'within' } } });
    const empty = await app.request('/api/v1/indicators/D6/values?region=,');
    expect(empty.status).toBe(400);
  });
});

describe('downloads of values (CSV, XLSX)', () => {
  it('gives German CSV by default, international on request, with an ETag that revalidates', async () => {
    const res = await app.request(
      '/api/v1/indicators/D6/values?region=05358,rheinisches-revier&period=2023&format=csv',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="bimo_D6_2023.csv"');
    const text = await res.text();
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(/^Regionalschlüssel;Region;Ebene;Zeitraum;Berichtsjahr;Wert;/);
    // 21111-02-06-4, Düren 150 of 2560 = 5,859… → one decimal.
    expect(lines[1]).toMatch(/^05358;Düren, Kreis;.*;5,9;%;150;2560;/);
    const etag = res.headers.get('etag') ?? '';
    const again = await app.request(
      '/api/v1/indicators/D6/values?region=05358,rheinisches-revier&period=2023&format=csv',
      { headers: { 'If-None-Match': etag } },
    );
    expect(again.status).toBe(304);
    const intl = await app.request(
      '/api/v1/indicators/D6/values?region=05358&period=2023&format=csv&numbers=international',
    );
    expect((await intl.text()).split('\r\n')[1]).toMatch(
      /^05358,"Düren, Kreis",Kreis,.*,5\.9,%,150,2560,/,
    );
  });

  it('gives an XLSX workbook, and refuses unknown formats with the accepted ones', async () => {
    const res = await app.request(
      '/api/v1/indicators/D6/values?level=kreis&period=2023&format=xlsx',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes[0]).toBe(0x50); // PK: a ZIP container
    const bad = await app.request('/api/v1/indicators/D6/values?level=kreis&format=pdf');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fix: string } }).error.fix).toMatch(/csv/);
  });
});

describe('GET /api/v1/indicators/D6/compare', () => {
  it('sets Düren against NRW, the RB, the Revier and Germany, rounded like the values', async () => {
    const res = await app.request('/api/v1/indicators/D6/compare?region=05358&period=2023');
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as {
      data: {
        value: number;
        error_bound: number;
        references: { region: string; kind: string; beyond_rounding: boolean }[];
        rank: { position: number; of: number; within: string };
      };
    };
    // 150 / 2560 = 5.86 → 5.9; the bound (±2 on both counts) rounded up.
    expect(data.value).toBe(5.9);
    expect(data.error_bound).toBe(0.1);
    const ref = (code: string) => data.references.find((r) => r.region === code);
    expect(ref('05')).toMatchObject({ kind: 'land', beyond_rounding: true });
    expect(ref('rheinisches-revier')).toMatchObject({ kind: 'group', beyond_rounding: false });
    expect(ref('053')?.kind).toBe('rb');
    expect(ref('DG')?.kind).toBe('bund');
    expect(data.rank).toMatchObject({ of: 53, within: '05' });
    const bad = await app.request('/api/v1/indicators/D6/compare?region=99999');
    expect(bad.status).toBe(404);
  });
});

describe('search and Fragestellungen', () => {
  it('finds regions by name or key prefix', async () => {
    const res = await app.request('/api/v1/regions?q=D%C3%BCren');
    const { data } = (await res.json()) as { data: { code: string; level: string }[] };
    expect(data.map((r) => r.code)).toEqual(expect.arrayContaining(['05358', '05358008']));
    const byKey = (await (await app.request('/api/v1/regions?q=05358&level=kreis')).json()) as {
      data: { code: string }[];
    };
    expect(byKey.data.map((r) => r.code)).toEqual(['05358']);
  });

  it('lists the Fragestellungen with the indicators the viewer may see', async () => {
    const res = await app.request('/api/v1/questions');
    const body = (await res.json()) as {
      handlungsfelder: { id: string }[];
      data: { id: string; indicators: string[] }[];
    };
    expect(body.handlungsfelder.length).toBeGreaterThanOrEqual(6);
    expect(body.data.find((q) => q.id === 'FS01')?.indicators).toContain('D6');
    const internal = deps.catalog.filter((i) => i.visibility === 'internal').map((i) => i.id);
    expect(body.data.flatMap((q) => q.indicators).filter((id) => internal.includes(id))).toEqual(
      [],
    );
  });
});
