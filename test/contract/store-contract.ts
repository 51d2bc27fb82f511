/**
 * The Store contract: one suite, run against every backend (DuckDB file, PostgreSQL server).
 * It imports the real 2023 school-leaver and population tables, computes the indicators and
 * checks values by hand against the source file.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAll, loadCatalog } from '../../src/indicators/index.ts';
import { importBytes, importFile, loadRecipes } from '../../src/ingest/index.ts';
import { buildGeometries, buildRegionData, RegionRegistry } from '../../src/regions/index.ts';
import type { IndicatorValue, NewAuditEvent, Store } from '../../src/store/index.ts';
import { LEAVERS_2023, POPULATION_2023, SAMPLE_DIR } from '../helpers/sample.ts';
import { uploadContract } from './upload-contract.ts';
import { workspaceContract } from './workspace-contract.ts';

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let regions: RegionRegistry;
    const recipes = loadRecipes();

    beforeAll(async () => {
      store = await open();
      const data = await buildRegionData(SAMPLE_DIR);
      await store.replaceRegions(data);
      await store.replaceGeometries(await buildGeometries(SAMPLE_DIR));
      regions = new RegionRegistry(await store.loadRegions());
    });
    afterAll(async () => {
      await store.close();
    });

    it('migrates idempotently and round-trips the region registry', async () => {
      await store.migrate();
      const set = await store.loadRegions();
      expect(set.regions.filter((r) => r.level === 'kreis' && r.validTo === null)).toHaveLength(
        400,
      );
      expect(
        set.regions.filter((r) => r.level === 'gemeinde' && r.code.startsWith('05')),
      ).toHaveLength(396);
      const aachen = set.regions.find((r) => r.code === '05334002');
      expect(aachen?.additive).toBe(false);
      expect(regions.members('rheinisches-revier', 'kreis')).toHaveLength(7);
      expect((await store.getGeometry('kreise'))?.topojson.length).toBeGreaterThan(1000);
    });

    it('stores local areas apart from the registry: a rebuild keeps them', async () => {
      const area = {
        code: '05358008-N1',
        name: 'Nord',
        parentCode: '05358008',
        validFrom: '2020-01-01',
        validTo: null,
        listName: 'liste',
      };
      await store.saveLocalAreas([area, { ...area, code: '05358008-S1', name: 'Süd' }], 'test');
      await store.saveLocalAreas([{ ...area, name: 'Nord-Düren' }], 'test');
      await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
      expect(await store.listLocalAreas()).toEqual([
        { ...area, name: 'Nord-Düren' },
        { ...area, code: '05358008-S1', name: 'Süd' },
      ]);
      const set = await store.loadRegions();
      expect(set.regions.filter((r) => r.level === 'sozialraum').map((r) => r.code)).toEqual([
        '05358008-N1',
        '05358008-S1',
      ]);
    });

    it('keeps the computed peer groups when the registry is rebuilt', async () => {
      await store.replaceGroupsOfKind(
        'peer',
        [{ id: 'vergleichstyp-9', name: 'Vergleichstyp 9', kind: 'peer' }],
        [
          { groupId: 'vergleichstyp-9', regionCode: '05358', weight: 1 },
          { groupId: 'vergleichstyp-9', regionCode: '05366', weight: 1 },
        ],
      );
      await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
      await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
      const set = await store.loadRegions();
      expect(set.groups.filter((g) => g.kind === 'peer')).toEqual([
        { id: 'vergleichstyp-9', name: 'Vergleichstyp 9', kind: 'peer' },
      ]);
      expect(set.members.filter((m) => m.groupId === 'vergleichstyp-9')).toHaveLength(2);
      expect(set.groups.some((g) => g.id === 'rheinisches-revier')).toBe(true);
      await store.replaceGroupsOfKind('peer', [], []);
    });

    it('rejects a broken file whole: nothing is written', async () => {
      const good = readFileSync(LEAVERS_2023);
      const text = new TextDecoder('windows-1252')
        .decode(good)
        .replace('2023;05358;      Düren, Kreis;2560;', '2023;05358;      Düren, Kreis;25x0;');
      const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
      const report = await importBytes(bytes, 'broken.csv', { store, regions, recipes });
      expect(report.status).toBe('rejected');
      const issue = report.issues.find((i) => i.severity === 'error');
      expect(issue?.line).toBe(108);
      expect(issue?.column).toBe(31);
      expect(issue?.message).toContain('25x0');
      expect(await store.listReleases()).toHaveLength(0);
    });

    it('imports the real tables, keeps signs as flags with null values, and is idempotent', async () => {
      const [first] = await importFile(LEAVERS_2023, { store, regions, recipes });
      expect(first?.status).toBe('imported');
      expect(first?.rows.rejected).toBe(0);
      const [again] = await importFile(LEAVERS_2023, { store, regions, recipes });
      expect(again?.status).toBe('unchanged');
      const [pop] = await importFile(POPULATION_2023, { store, regions, recipes });
      expect(pop?.status).toBe('imported');
      expect(await store.listReleases()).toHaveLength(2);

      const dueren = await store.queryObservations({
        regionCodes: ['05358'],
        variableIds: ['schulabgaenge_ab'],
      });
      const cell = (dims: string) => dueren.find((o) => o.dimsKey === dims);
      expect(cell('abschluss=insgesamt;geschlecht=insgesamt')?.value).toBe(2560);
      expect(cell('abschluss=ohne_esa;geschlecht=insgesamt')?.value).toBe(150);
      expect(cell('abschluss=ohne_esa;geschlecht=insgesamt')?.roundingBase).toBe(5);
      // `2023;05358;…;-;-;1010;555`: dar. schulischer Teil der FHR is `-`.
      const dash = cell('abschluss=fhr;geschlecht=insgesamt');
      expect(dash?.value).toBeNull();
      expect(dash?.flag).toBe('-');
      expect(dash?.origin).toMatch(/^108:/);
    });

    it('computes D6 from summed counts at every level and for groups', async () => {
      const result = await computeAll(store, loadCatalog(), regions);
      expect(result?.counts.D6).toBeGreaterThan(400);
      const d6 = await store.queryIndicatorValues({
        indicatorId: 'D6',
        periods: ['2023'],
        dimsKey: '',
      });
      const at = (code: string): IndicatorValue | undefined =>
        d6.find((v) => v.regionCode === code);
      expect(at('05358')).toMatchObject({
        numerator: 150,
        denominator: 2560,
        method: 'published',
        flag: null,
      });
      expect(at('05358')?.value).toBeCloseTo(5.859375, 6);
      expect(at('rheinisches-revier')).toMatchObject({
        numerator: 1435,
        denominator: 24550,
        method: 'group',
      });
      expect(at('rheinisches-revier')?.value).toBeCloseTo(5.8452, 4);
      // NRW uses the published Land total, not a sum of rounded Kreis values.
      expect(at('05')).toMatchObject({
        numerator: 11835,
        denominator: 183830,
        method: 'published',
      });
      expect(at('05')?.value).toBeCloseTo(6.438, 3);
      // 05334002 (Aachen) is inside 05334 and never a Kreis of its own.
      expect(regions.atLevel('kreis', '05', 2023).map((r) => r.code)).not.toContain('05334002');
      expect(regions.atLevel('kreis', '05', 2023)).toHaveLength(53);
      // The Revier's error bound reflects 7 Kreise rounded to multiples of 5.
      expect(at('rheinisches-revier')?.errorBound).toBeGreaterThan(0.03);
      const girls = await store.queryIndicatorValues({
        indicatorId: 'D6',
        regionCodes: ['05358'],
        dimsKey: 'geschlecht=weiblich',
      });
      expect(girls[0]).toMatchObject({ numerator: 55, denominator: 1275 });
    });

    it('computes the population indicator A3 (NRW-only table)', async () => {
      const a3 = await store.queryIndicatorValues({
        indicatorId: 'A3',
        regionCodes: ['05358', '05'],
        dimsKey: '',
      });
      const dueren = a3.find((v) => v.regionCode === '05358');
      // 10900 + 12563 + 7914 + 5277 = 36654 of 278462
      expect(dueren).toMatchObject({ numerator: 36654, denominator: 278462 });
    });

    accountContract(() => store);
    uploadContract(() => store);
    workspaceContract(() => store);

    // Last: it revises a cell that the upload contract's release diff expects unrevised.
    it('serves a published release only once its indicator values are complete', async () => {
      // The leavers table again, Düren's leavers without a first qualification 150 → 155.
      const text = readFileSync(LEAVERS_2023, 'latin1');
      const row = '2023;05358;      Düren, Kreis;2560;1275;150;';
      expect(text).toContain(row);
      const revised = text.replace(row, row.replace(';150;', ';155;'));
      const served = await store.latestPublishedRelease();
      const report = await importBytes(
        new Uint8Array(Buffer.from(revised, 'latin1')),
        'revised.csv',
        { store, regions, recipes },
      );
      expect(report?.status).toBe('imported');
      const pending = await store.latestPublishedRelease({ includePending: true });
      expect(pending).toMatchObject({ status: 'published', computedAt: null });
      expect(pending?.id).toBeGreaterThan(served?.id ?? 0);
      // Until the values are complete, readers stay on the served release…
      expect((await store.latestPublishedRelease())?.id).toBe(served?.id);
      const d6 = async () =>
        (
          await store.queryIndicatorValues({
            indicatorId: 'D6',
            regionCodes: ['05358'],
            periods: ['2023'],
            dimsKey: '',
          })
        )[0];
      expect(await d6()).toMatchObject({ numerator: 150, releaseId: served?.id });
      // …also when a computation stopped halfway (one indicator written, then killed).
      await store.replaceIndicatorValues(pending?.id ?? 0, ['D6'], []);
      expect(await d6()).toMatchObject({ numerator: 150, releaseId: served?.id });
      // The observations, written in one transaction with the release, are read at once.
      const obs = await store.queryObservations({
        regionCodes: ['05358'],
        variableIds: ['schulabgaenge_ab'],
        periods: ['2023'],
      });
      expect(obs.find((o) => o.dimsKey === 'abschluss=ohne_esa;geschlecht=insgesamt')?.value).toBe(
        155,
      );
      await computeAll(store, loadCatalog(), regions);
      expect((await store.latestPublishedRelease())?.id).toBe(pending?.id);
      expect((await store.getRelease(pending?.id ?? 0))?.computedAt).not.toBeNull();
      expect(await d6()).toMatchObject({ numerator: 155, denominator: 2560 });
      expect(await store.markReleasesComputed(pending?.id ?? 0, new Date().toISOString())).toEqual(
        [],
      );
    });
  });
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'bimo-contract-'));
}

/**
 * Accounts, sessions, API tokens and the audit log (migration 5): the same behaviour on every
 * backend, with values that would break a statement if they were spliced in instead of bound.
 */
function accountContract(get: () => Store): void {
  const t0 = '2026-03-02T08:00:00.000Z';
  const event = (over: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
    at: t0,
    actor: 'cli',
    action: 'user.create',
    target: 'x@example.org',
    outcome: 'ok',
    ip: null,
    details: {},
    ...over,
  });

  describe('accounts', () => {
    it('creates, finds, lists and updates users; the hash stays out of User', async () => {
      const store = get();
      const email = "o'brien@example.org";
      const created = await store.createUser(
        {
          id: 'u-1',
          email,
          name: "Ann O'Brien",
          role: 'editor',
          regions: ['05358', 'rheinisches-revier'],
          passwordHash: 'scrypt$32768$8$1$c2FsdA$aGFzaA',
          createdAt: t0,
        },
        event({ target: email }),
      );
      expect(created).toEqual({
        id: 'u-1',
        email,
        name: "Ann O'Brien",
        role: 'editor',
        regions: ['05358', 'rheinisches-revier'],
        disabled: false,
        failedLogins: 0,
        lockedUntil: null,
        createdAt: t0,
        updatedAt: t0,
      });
      expect(JSON.stringify(created)).not.toContain('scrypt');
      expect(await store.getUserByEmail(email)).toEqual(created);
      expect(await store.getUser('u-1')).toEqual(created);
      expect(await store.getUser('nobody')).toBeNull();
      expect(await store.getUserByEmail("' OR '1'='1")).toBeNull();
      expect(await store.getPasswordHash('u-1')).toBe('scrypt$32768$8$1$c2FsdA$aGFzaA');
      await expect(
        store.createUser({ ...created, id: 'u-2', passwordHash: 'h', createdAt: t0 }),
      ).rejects.toMatchObject({ code: 'BIMO_E_CONFLICT' });

      await store.createUser({
        id: 'u-0',
        email: 'admin@example.org',
        name: '',
        role: 'admin',
        regions: [],
        passwordHash: 'h0',
        createdAt: t0,
      });
      expect((await store.listUsers()).map((u) => u.email)).toEqual(['admin@example.org', email]);

      const t1 = '2026-03-02T09:00:00.000Z';
      const updated = await store.updateUser(
        'u-1',
        { role: 'member', regions: [], disabled: true, passwordHash: 'h2', lockedUntil: t1 },
        t1,
        event({ at: t1, action: 'user.update', target: email }),
      );
      expect(updated).toMatchObject({
        role: 'member',
        regions: [],
        disabled: true,
        lockedUntil: t1,
        updatedAt: t1,
        name: "Ann O'Brien",
      });
      expect(await store.getPasswordHash('u-1')).toBe('h2');
      expect(await store.updateUser('nobody', { disabled: true }, t1)).toBeNull();
      const audit = await store.listAudit({ actor: 'cli', limit: 10 });
      expect(audit.map((a) => [a.action, a.target])).toEqual([
        ['user.update', email],
        ['user.create', email],
      ]);
    });

    it('counts failed logins atomically and locks at the threshold', async () => {
      const store = get();
      await store.updateUser('u-0', { failedLogins: 0, lockedUntil: null }, t0);
      const until = '2026-03-02T08:15:00.000Z';
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => store.recordLoginFailure('u-0', t0, 5, until)),
      );
      expect(results.map((u) => u.failedLogins).sort()).toEqual([1, 2, 3, 4]);
      expect((await store.getUser('u-0'))?.lockedUntil).toBeNull();
      const fifth = await store.recordLoginFailure('u-0', t0, 5, until);
      expect(fifth).toMatchObject({ failedLogins: 5, lockedUntil: until });
    });

    it('keeps sessions by hash, slides, ends one, all of a user, and the expired', async () => {
      const store = get();
      const session = (idHash: string, userId: string, expiresAt: string) => ({
        idHash,
        userId,
        createdAt: t0,
        expiresAt,
        csrfTokenHash: `csrf-${idHash}`,
        lastSeenAt: t0,
      });
      await store.createSession(session('a', 'u-0', '2026-03-02T16:00:00.000Z'));
      await store.createSession(session('b', 'u-0', '2026-03-02T16:00:00.000Z'));
      await store.createSession(session('c', 'u-1', '2026-03-02T07:00:00.000Z'));
      expect(await store.getSession('a')).toEqual(session('a', 'u-0', '2026-03-02T16:00:00.000Z'));
      await store.touchSession('a', '2026-03-02T10:00:00.000Z', '2026-03-02T18:00:00.000Z');
      expect(await store.getSession('a')).toMatchObject({
        lastSeenAt: '2026-03-02T10:00:00.000Z',
        expiresAt: '2026-03-02T18:00:00.000Z',
      });
      expect(await store.deleteExpiredSessions('2026-03-02T08:00:00.000Z')).toBe(1);
      expect(await store.getSession('c')).toBeNull();
      expect(await store.deleteSession('b')).toBe(true);
      expect(await store.deleteSession('b')).toBe(false);
      await store.createSession(session('d', 'u-0', '2026-03-02T16:00:00.000Z'));
      expect(await store.deleteUserSessions('u-0')).toBe(2);
      expect(await store.getSession('a')).toBeNull();
    });

    it('stores API tokens by hash, touches, revokes once and lists newest first', async () => {
      const store = get();
      const token = (id: string, createdAt: string) => ({
        id,
        userId: 'u-0',
        name: `export ${id}`,
        createdAt,
        lastUsedAt: null,
        revokedAt: null,
      });
      await store.createApiToken(token('t1', t0), 'hash-1', event({ action: 'token.create' }));
      await store.createApiToken(token('t2', '2026-03-02T09:00:00.000Z'), 'hash-2');
      await expect(
        store.createApiToken(token('t3', t0), 'hash-1'),
        'token hashes are unique',
      ).rejects.toThrow();
      expect(await store.getApiTokenByHash('hash-1')).toEqual(token('t1', t0));
      expect(await store.getApiTokenByHash('hash-x')).toBeNull();
      await store.touchApiToken('t1', '2026-03-02T10:00:00.000Z');
      expect((await store.getApiTokenByHash('hash-1'))?.lastUsedAt).toBe(
        '2026-03-02T10:00:00.000Z',
      );
      expect(await store.revokeApiToken('t1', '2026-03-02T11:00:00.000Z')).toBe(true);
      expect(await store.revokeApiToken('t1', '2026-03-02T12:00:00.000Z')).toBe(false);
      expect(await store.revokeApiToken('nope', t0)).toBe(false);
      expect((await store.getApiTokenByHash('hash-1'))?.revokedAt).toBe('2026-03-02T11:00:00.000Z');
      expect((await store.listApiTokens('u-0')).map((t) => t.id)).toEqual(['t2', 't1']);
      expect(await store.listApiTokens('u-1')).toEqual([]);
      expect((await store.listApiTokens()).length).toBe(2);
    });

    it('appends audit events with unique ids under concurrency and filters them', async () => {
      const store = get();
      const appended = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.appendAudit(
            event({
              at: `2026-04-0${1 + (i % 3)}T10:00:00.000Z`,
              actor: i % 2 === 0 ? 'a@example.org' : "b'; DROP TABLE audit_event; --",
              action: i % 4 === 0 ? 'login.failed' : 'login.ok',
              outcome: i % 4 === 0 ? 'failed' : 'ok',
              ip: '192.0.2.7',
              details: { n: i, reason: 'wrong_password' },
            }),
          ),
        ),
      );
      expect(new Set(appended.map((e) => e.id)).size).toBe(12);
      const all = await store.listAudit({ since: '2026-04-01', limit: 100 });
      expect(all).toHaveLength(12);
      expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((x, y) => y - x));
      expect(all[0]?.details).toMatchObject({ reason: 'wrong_password' });
      const failed = await store.listAudit({ action: 'login.failed', limit: 100 });
      expect(failed.map((e) => e.details.n).sort()).toEqual([0, 4, 8]);
      const b = await store.listAudit({ actor: "b'; DROP TABLE audit_event; --", limit: 100 });
      expect(b).toHaveLength(6);
      expect(await store.listAudit({ since: '2026-04-03', limit: 100 })).toHaveLength(4);
      const page = await store.listAudit({ since: '2026-04-01', limit: 5, offset: 10 });
      expect(page.map((e) => e.id)).toEqual(all.slice(10).map((e) => e.id));
    });
  });
}
