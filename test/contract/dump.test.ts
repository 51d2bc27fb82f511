/**
 * `bimo dump` / `bimo restore` (src/store/dump*.ts) on both engines: the full demo store with a
 * row in every table goes DuckDB → PostgreSQL → DuckDB, and all three dumps have byte-identical
 * content; values read back through the Store equal the original's. Broken, edited and
 * mismatched dumps, and non-empty targets, are refused with nothing written.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { BimoError } from '../../src/domain/index.ts';
import { openStore, type DumpSummary, type Store } from '../../src/store/index.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { buildFullDemoStore, fullDemoDataDir } from '../helpers/demo-store.ts';
import { freshDatabaseUrl } from '../helpers/pg-database.ts';

const at = '2026-03-01T10:00:00.000Z';
/** Text that breaks naive formats: quotes, tab, newline, backslash, umlauts, astral plane. */
const nasty = 'Zoë "Ärger"\tTab\nNeue Zeile \\ Backslash 😀 ﬀ';
const bytes = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), 0, 255, 10, 13]);

async function dumpOf(store: Store): Promise<{ gz: Buffer; summary: DumpSummary }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const summary = await store.dump(out);
  return { gz: Buffer.concat(chunks), summary };
}

function linesOf(gz: Buffer): string[] {
  return gunzipSync(gz).toString('utf8').split('\n');
}

/** Everything but the header line (its createdAt and engine differ by design). */
function contentOf(gz: Buffer): string {
  return linesOf(gz).slice(1).join('\n');
}

function restoreFrom(store: Store, gz: Buffer): Promise<DumpSummary> {
  return store.restore(Readable.from([gz]), { source: 'test.jsonl.gz' });
}

async function refusal(p: Promise<unknown>): Promise<BimoError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BimoError);
  return err as BimoError;
}

const freshDuck = (): Promise<Store> =>
  openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-restore-')) });
const freshPg = async (name: string): Promise<Store> =>
  openStore({
    dataDir: mkdtempSync(join(tmpdir(), 'bimo-unused-')),
    databaseUrl: await freshDatabaseUrl(inject('databaseUrl'), name),
  });

/** Adds a row to every table the demo leaves empty, through the Store API. */
async function fillEveryTable(store: Store): Promise<number> {
  const user = await store.createUser({
    id: 'u-dump',
    email: 'dump@example.org',
    name: nasty,
    role: 'editor',
    regions: ['05358', 'rheinisches-revier'],
    passwordHash: 'scrypt$x$y',
    createdAt: at,
  });
  await store.createSession({
    idHash: 'h'.repeat(64),
    userId: user.id,
    createdAt: at,
    expiresAt: '2026-03-02T10:00:00.000Z',
    csrfTokenHash: 'c'.repeat(64),
    lastSeenAt: at,
  });
  await store.createApiToken(
    {
      id: 't-dump',
      userId: user.id,
      name: 'Export',
      createdAt: at,
      lastUsedAt: null,
      revokedAt: null,
    },
    't'.repeat(64),
  );
  await store.appendAudit({
    at,
    actor: 'dump@example.org',
    action: 'user.create',
    target: user.id,
    outcome: 'ok',
    ip: null,
    details: { note: nasty },
  });
  const upload = await store.createUpload({
    fileName: 'Schulabgänger Düren.csv',
    sha256: 'a'.repeat(64),
    size: bytes.length,
    uploadedBy: user.email,
    uploadedAt: at,
    status: 'checked',
    report: { status: 'dry-run' },
    bytes,
  });
  await store.addWorkspaceRevisions([
    {
      revision: {
        kind: 'question',
        itemId: 'q-dump',
        body: { title_de: 'Übergänge in Ausbildung?' },
        deleted: false,
        author: user.email,
        at,
        note: nasty,
      },
      expectedLatest: 0,
    },
  ]);
  await store.saveLocalAreas(
    [
      {
        code: '05358008-01',
        name: 'Düren-Nord',
        parentCode: '05358008',
        validFrom: null,
        validTo: null,
        listName: 'sozialraeume.csv',
      },
    ],
    user.email,
  );
  return upload.id;
}

describe('bimo dump / restore: DuckDB → PostgreSQL → DuckDB', () => {
  let source: Store;
  let pg: Store;
  let duck: Store;
  let uploadId: number;
  const dumps: { gz: Buffer; summary: DumpSummary }[] = [];

  beforeAll(async () => {
    source = (await buildFullDemoStore()).store;
    uploadId = await fillEveryTable(source);
    dumps.push(await dumpOf(source));
    pg = await freshPg('bimo_dump_pg');
    await restoreFrom(pg, dumps[0]!.gz);
    dumps.push(await dumpOf(pg));
    duck = await freshDuck();
    await restoreFrom(duck, dumps[1]!.gz);
    dumps.push(await dumpOf(duck));
  }, 240_000);

  afterAll(async () => {
    await Promise.all([source, pg, duck].map((s) => s?.close()));
  });

  it('writes every table with rows, and the same content from both engines', () => {
    const lines = linesOf(dumps[0]!.gz);
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({ format: 'bimo-dump', version: 1, engine: 'duckdb' });
    const tables = lines
      .map((l) =>
        l.startsWith('{"table"') ? (JSON.parse(l) as { table: string; rows: number }) : null,
      )
      .filter((t) => t !== null);
    expect(tables.map((t) => t.table)).toContain('import_upload');
    expect(tables.filter((t) => t.rows === 0)).toEqual([]);
    expect(tables.find((t) => t.table === 'observation')!.rows).toBeGreaterThan(100_000);
    expect(tables.map((t) => t.table)).not.toContain('schema_migration');
    expect(JSON.parse(linesOf(dumps[1]!.gz)[0]!)).toMatchObject({ engine: 'postgres' });

    const [a, b, c] = dumps.map((d) => contentOf(d.gz));
    expect(b === a).toBe(true);
    expect(c === a).toBe(true);
    expect(dumps[1]!.summary.sha256).toBe(dumps[0]!.summary.sha256);
    expect(dumps[2]!.summary).toEqual({ ...dumps[0]!.summary, bytes: dumps[2]!.summary.bytes });
  });

  it('reads back the same values on both engines', async () => {
    for (const target of [pg, duck]) {
      const d6 = { indicatorId: 'D6' };
      const values = await target.queryIndicatorValues(d6);
      expect(values.length).toBeGreaterThan(100);
      expect(values).toEqual(await source.queryIndicatorValues(d6));
      expect(await target.listReleases()).toEqual(await source.listReleases());
      const user = await target.getUserByEmail('dump@example.org');
      expect(user?.name).toBe(nasty);
      expect(user?.regions).toEqual(['05358', 'rheinisches-revier']);
      expect(await target.getPasswordHash('u-dump')).toBe('scrypt$x$y');
      // Ids are kept: the upload under its id, the audit log with its ids.
      expect(Buffer.from((await target.getUploadBytes(uploadId))!)).toEqual(Buffer.from(bytes));
      expect(await target.listAudit({ limit: 10 })).toEqual(await source.listAudit({ limit: 10 }));
      expect(await target.listWorkspaceRevisions()).toEqual(await source.listWorkspaceRevisions());
      expect(await target.listLocalAreas()).toEqual(await source.listLocalAreas());
    }
  });

  it('refuses to restore into a database that has rows', async () => {
    const err = await refusal(restoreFrom(pg, dumps[0]!.gz));
    expect(err.code).toBe('BIMO_E_CONFLICT');
    expect(err.message).toMatch(/not empty \(rows in .*observation/);
    expect(err.fix).toMatch(/fresh --data-dir or an empty PostgreSQL database/);
  });

  it('refuses a truncated dump at the line where it breaks, and writes nothing', async () => {
    const gz = dumps[0]!.gz;
    const target = await freshDuck();
    try {
      const err = await refusal(restoreFrom(target, gz.subarray(0, Math.floor(gz.length / 2))));
      expect(err.code).toBe('BIMO_E_PARSE');
      expect(err.message).toMatch(/^test\.jsonl\.gz, line \d+: the gzip data is cut off/);
      expect((await dumpOf(target)).summary.rows).toBe(0);
      // Cut at a line end and compressed again: the missing trailer is noticed.
      const lines = linesOf(gz);
      const cut = gzipSync(`${lines.slice(0, 1000).join('\n')}\n`);
      const err2 = await refusal(restoreFrom(target, cut));
      expect(err2.message).toMatch(
        /line 1001: the file ends here, expected row .* it is truncated/,
      );
      expect((await dumpOf(target)).summary.rows).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('refuses an edited row by its table and lines, a broken one by its line', async () => {
    const lines = linesOf(dumps[0]!.gz);
    const start = lines.findIndex((l) => l.startsWith('{"table":"observation"'));
    const rows = (JSON.parse(lines[start]!) as { rows: number }).rows;
    const i = start + 500; // a row of observation
    const row = JSON.parse(lines[i]!) as unknown[];
    const valueAt = 4; // variable_id, region_code, period, dims_key, value, …
    row[valueAt] = typeof row[valueAt] === 'number' ? (row[valueAt] as number) + 1 : 1;
    const edited = [...lines];
    edited[i] = JSON.stringify(row);
    const target = await freshPg('bimo_dump_edit');
    try {
      const err = await refusal(restoreFrom(target, gzipSync(edited.join('\n'))));
      expect(err.code).toBe('BIMO_E_PARSE');
      expect(err.message).toContain(
        `table observation (lines ${start + 1}–${start + 1 + rows}) does not match its SHA-256`,
      );
      const broken = [...lines];
      broken[i] = lines[i]!.slice(0, -3);
      const err2 = await refusal(restoreFrom(target, gzipSync(broken.join('\n'))));
      expect(err2.message).toMatch(new RegExp(`^test\\.jsonl\\.gz, line ${i + 1}: not valid JSON`));
      expect((await dumpOf(target)).summary.rows).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('refuses a dump of another schema version, with the fix', async () => {
    const lines = linesOf(dumps[0]!.gz);
    const header = JSON.parse(lines[0]!) as { schemaVersion: number };
    const own = header.schemaVersion;
    lines[0] = JSON.stringify({ ...header, schemaVersion: own - 1 });
    const target = await freshDuck();
    try {
      const err = await refusal(restoreFrom(target, gzipSync(lines.join('\n'))));
      expect(err.code).toBe('BIMO_E_CONFLICT');
      expect(err.message).toContain(`schema version ${own - 1}, this database ${own}`);
      expect(err.fix).toMatch(/bimo version that wrote it/);
      expect((await dumpOf(target)).summary.rows).toBe(0);
    } finally {
      await target.close();
    }
  });
});

describe('bimo dump / restore: exact values', () => {
  it('round-trips doubles (NaN, ±Infinity, subnormal, 0.1 + 0.2) and big values through PostgreSQL', async () => {
    const doubles = [
      Number.NaN,
      Infinity,
      -Infinity,
      5e-324,
      0.1 + 0.2,
      1e300,
      -123.456,
      2 ** 53 + 2,
    ];
    const duck = await freshDuck();
    const pg = await freshPg('bimo_dump_values');
    const back = await freshDuck();
    try {
      await duck.replaceIndicatorValues(
        1,
        ['X'],
        doubles.map((v, i) => ({
          indicatorId: 'X',
          regionCode: `r${i}`,
          period: '2023',
          dimsKey: '',
          value: v,
          numerator: null,
          denominator: null,
          flag: null,
          errorBound: 0,
          method: 'aggregated',
          releaseId: 1,
        })),
      );
      const a = await dumpOf(duck);
      await restoreFrom(pg, a.gz);
      const b = await dumpOf(pg);
      await restoreFrom(back, b.gz);
      expect(contentOf(b.gz)).toBe(contentOf(a.gz));
      expect(contentOf(a.gz)).toContain('{"$double":"NaN"}');
      for (const s of [pg, back]) {
        const got = await s.queryIndicatorValues({ indicatorId: 'X', releaseId: 1 });
        expect(got.map((v) => v.value)).toEqual(doubles);
      }
    } finally {
      await Promise.all([duck.close(), pg.close(), back.close()]);
    }
  });
});

describe('bimo dump / bimo restore (CLI)', () => {
  it('dumps a DuckDB data dir and restores it into PostgreSQL', async () => {
    const dir = await fullDemoDataDir();
    const work = mkdtempSync(join(tmpdir(), 'bimo-dump-cli-'));
    const file = join(work, 'backup.jsonl.gz');
    const a = captureIo();
    expect(await main(['dump', '--out', file, '--data-dir', dir], a)).toBe(0);
    const sha = /sha256 of the content: ([0-9a-f]{64})/.exec(a.stdout.join('\n'))?.[1];
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(a.stdout.join('\n')).toMatch(/\d+ tables, [\d,]+ rows, schema version \d+/);
    expect(a.stderr.join('\n')).toMatch(/observation: [\d,]+ rows/);
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    // Never overwrites.
    const again = captureIo();
    expect(await main(['dump', '--out', file, '--data-dir', dir], again)).toBe(73);
    expect(again.stderr.join('\n')).toContain('exists already');

    const url = await freshDatabaseUrl(inject('databaseUrl'), 'bimo_dump_cli');
    const b = captureIo();
    b.env.DATABASE_URL = url;
    expect(await main(['restore', file], b)).toBe(0);
    expect(b.stdout.join('\n')).toContain(`into PostgreSQL (DATABASE_URL)`);
    expect(b.stdout.join('\n')).toContain(`${sha} (checked)`);

    const c = captureIo();
    c.env.DATABASE_URL = url;
    expect(await main(['restore', file], c)).toBe(73);
    expect(c.stderr.join('\n')).toMatch(/BIMO_E_CONFLICT: The target database is not empty/);

    const d = captureIo();
    expect(await main(['restore', join(work, 'missing.gz'), '--data-dir', work], d)).toBe(66);
  });
});
