/**
 * `bimo fetch` against a replay of the GENESIS REST API on 127.0.0.1 (recorded answers, see
 * test/fixtures/genesis-api/README.md): the exact request (POST, form body, credential headers),
 * a direct ZIP download that is imported (Düren's value checked by hand in the source file), the
 * job workflow for large tables, and the failures a user meets — unknown table, wrong or missing
 * credentials, an unreachable host, an HTML page or a cut-off ZIP — each with a message that names
 * the fix, nothing kept, nothing written to the database, and the password never shown.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/context.ts';
import {
  checkZip,
  databaseOf,
  DEFAULT_LIMITS,
  fetchTable,
  jobIdOf,
  parseStatus,
  ZipCheckError,
} from '../../src/fetch/index.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { fixtureBytes, recording, startReplay, type Replay } from '../helpers/genesis-replay.ts';
import { SAMPLE_DIR } from '../helpers/sample.ts';

const FF = (name: string): string => join(SAMPLE_DIR, 'genesis-samples/ffcsv', name);
const STUDIERENDE = FF('21311-01-01-4-B_1773175045085_de_flat_NRW-only.csv');
const BEVOELKERUNG = FF('12411-01-01-4_1773175772751_de_flat.csv');

const USER = 'DE0123456X';
const PASSWORD = 'Zq7#replay-Pa55wort!';

let replay: Replay;
const dataDir = mkdtempSync(join(tmpdir(), 'bimo-fetch-'));
const downloads = join(dataDir, 'downloads');
/** Every line any command printed, to prove the password never appears. */
const printed: string[] = [];

function io(env: Record<string, string> = {}): Io & { stdout: string[]; stderr: string[] } {
  const c = captureIo();
  c.env = {
    ...c.env,
    BIMO_GENESIS_BASE_URL: replay.base,
    BIMO_GENESIS_USER: USER,
    BIMO_GENESIS_PASSWORD: PASSWORD,
    BIMO_GENESIS_POLL_SECONDS: '0.05',
    ...env,
  };
  return c;
}

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const c = io(env);
  const code = await main([...args, '--data-dir', dataDir], c);
  printed.push(...c.stdout, ...c.stderr);
  return { code, out: c.stdout.join('\n'), err: c.stderr.join('\n') };
}

const releases = async (): Promise<string> =>
  (await run(['releases', 'list', '--format', 'json'])).out;
const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

beforeAll(async () => {
  replay = await startReplay({
    user: USER,
    password: PASSWORD,
    tables: {
      '21311-01-01-4-B': { kind: 'zip', file: STUDIERENDE },
      '12411-01-01-4': { kind: 'job', file: BEVOELKERUNG, notReadyPolls: 1 },
      '12411-02-03-4': { kind: 'job', file: BEVOELKERUNG, notReadyPolls: 1_000_000 },
      '61111-0001': { kind: 'recorded-zip' },
      '21111-01-03-4': { kind: 'garbage' },
      '21121-01-05-4': { kind: 'truncated', file: STUDIERENDE },
    },
  });
  expect((await run(['init'])).code).toBe(0);
});

afterAll(async () => {
  await replay.close();
});

describe('bimo fetch (GENESIS REST API replay)', () => {
  it('downloads a ZIP with the exact request, keeps it and imports it (Düren: 3 569 students)', async () => {
    replay.received.length = 0;
    const r = await run([
      'fetch',
      '21311-01-01-4-B',
      '--db',
      'regionalstatistik',
      '--start-year',
      '2023',
      '--regional-key',
      '05358,05366',
    ]);
    expect(r.code, r.err).toBe(0);

    expect(replay.received).toHaveLength(1);
    const [req] = replay.received;
    expect(req).toMatchObject({
      method: 'POST',
      path: '/genesisws/rest/2020/data/tablefile',
      query: '',
      contentType: 'application/x-www-form-urlencoded',
      username: USER,
      password: PASSWORD,
    });
    expect(req?.params).toEqual({
      name: '21311-01-01-4-B',
      area: 'all',
      compress: 'false',
      format: 'ffcsv',
      language: 'de',
      quality: 'on',
      startyear: '2023',
      regionalkey: '05358,05366',
    });

    const kept = files(downloads);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^21311-01-01-4-B_\d{13}_de_flat\.zip$/);
    expect(r.out).toContain(join(downloads, kept[0] ?? ''));
    expect(r.out).toMatch(/imported .*21311-01-01-4-B/);

    const obs = await run([
      'observations',
      '--region',
      '05358',
      '--table',
      '21311-01-01-4-B',
      '--format',
      'json',
    ]);
    const items = JSON.parse(obs.out) as { dims: Record<string, string>; value: number | null }[];
    // Hand-checked in the source file: "…;05358;Düren, Kreis;GESINS;Geschlecht;INSGESAMT;Insgesamt;
    // NAT01;…;INSGESAMT;Insgesamt;HS-FG2;…;INSGESAMT;Insgesamt;3569;Anzahl;HS-W02;…"
    const total = items.filter((i) => Object.values(i.dims).every((v) => v === 'insgesamt'));
    expect(total.map((i) => i.value)).toEqual([3569]);
  });

  it('asks for a job when the table is too large, polls until it is listed, downloads the result', async () => {
    replay.received.length = 0;
    const r = await run(['fetch', '12411-01-01-4', '--db', 'regionalstatistik']);
    expect(r.code, r.err).toBe(0);

    const calls = replay.received.map((q) => [
      q.path.replace('/genesisws/rest/2020/', ''),
      q.params,
    ]);
    const job = '12411-01-01-4_673843136';
    expect(calls.map((c) => c[0])).toEqual([
      'data/tablefile',
      'data/tablefile',
      'catalogue/results',
      'catalogue/results',
      'data/resultfile',
    ]);
    expect(calls[0]?.[1]).not.toHaveProperty('job');
    expect(calls[1]?.[1]).toMatchObject({ name: '12411-01-01-4', job: 'true', format: 'ffcsv' });
    expect(calls[2]?.[1]).toEqual({ selection: job, area: 'user', pagelength: '1' });
    expect(calls[4]?.[1]).toMatchObject({ name: job, format: 'ffcsv' });
    expect(replay.received.every((q) => q.method === 'POST' && q.password === PASSWORD)).toBe(true);

    expect(r.err).toContain('too large for a direct download');
    expect(r.err).toContain(`Der Bearbeitungsauftrag wurde erstellt`);
    expect(r.err).toContain(`job ${job} not ready yet`);
    expect(r.out).toMatch(/12411-01-01-4_673843136_flat\.csv: imported \(ffcsv-v5/);

    const obs = await run([
      'observations',
      '--region',
      '05358',
      '--table',
      '12411-01-01-4',
      '--format',
      'json',
    ]);
    const items = JSON.parse(obs.out) as { dims: Record<string, string>; value: number | null }[];
    // Hand-checked: line 841 "…;05358;Düren, Kreis;GES;Geschlecht;;Insgesamt;279285;Anzahl;BEVSTD;…"
    // Mapped by recipe 12411-01-01-4.yaml (variable bevoelkerung, dimension geschlecht).
    expect(items.find((i) => i.dims.geschlecht === 'insgesamt')?.value).toBe(279285);

    // --job resumes an earlier job: no new table request, straight to polling and the result.
    replay.received.length = 0;
    const again = await run([
      'fetch',
      '12411-01-01-4',
      '--db',
      'regionalstatistik',
      '--job',
      job,
      '--no-import',
    ]);
    expect(again.code, again.err).toBe(0);
    expect(replay.received.map((q) => q.path.split('/').slice(-2).join('/'))).toEqual([
      'catalogue/results',
      'data/resultfile',
    ]);
  });

  it('gives up on a job after --job-timeout and says how to fetch it later', async () => {
    const before = await releases();
    const r = await run([
      'fetch',
      '12411-02-03-4',
      '--db',
      'regionalstatistik',
      '--job-timeout',
      '0.3',
    ]);
    expect(r.code).toBe(69);
    expect(r.err).toContain('BIMO_E_REMOTE');
    expect(r.err).toContain('job 12411-02-03-4_673843136 for 12411-02-03-4 was not ready');
    expect(r.err).toContain('--job 12411-02-03-4_673843136');
    expect(await releases()).toBe(before);
  });

  it('names table, database and where to check the code when the table does not exist (status 90)', async () => {
    const r = await run(['fetch', '99999-99-99-4', '--db', 'regionalstatistik']);
    expect(r.code).toBe(66);
    expect(r.err).toContain('BIMO_E_NOT_FOUND');
    expect(r.err).toContain(
      'table 99999-99-99-4 was not found in the Regionaldatenbank Deutschland',
    );
    expect(r.err).toContain('Die angeforderte Tabelle ist nicht vorhanden');
    expect(r.err).toContain('https://www.regionalstatistik.de/genesis/online');
  });

  it('names the credential variables when the login is refused (HTTP 401) or missing', async () => {
    const refused = await run(['fetch', '21311-01-01-4-B', '--db', 'regionalstatistik'], {
      BIMO_GENESIS_PASSWORD: 'wrong-password',
    });
    expect(refused.code).toBe(77);
    expect(refused.err).toContain('BIMO_E_REMOTE_AUTH');
    expect(refused.err).toContain('HTTP 401');
    expect(refused.err).toContain('BIMO_REGIONALSTATISTIK_USER');
    expect(refused.err).toContain('BIMO_GENESIS_PASSWORD');
    expect(refused.err + refused.out).not.toContain('wrong-password');

    const count = replay.received.length;
    const missing = await run(['fetch', '21311-01-01-4-B', '--db', 'landesdatenbank-nrw'], {
      BIMO_GENESIS_USER: '',
      BIMO_GENESIS_PASSWORD: '',
    });
    expect(missing.code).toBe(77);
    expect(missing.err).toContain('BIMO_LANDESDATENBANK_NRW_USER');
    expect(missing.err).toContain('BIMO_GENESIS_USER');
    expect(replay.received).toHaveLength(count); // nothing was sent
  });

  it('refuses an HTML page and a cut-off ZIP: clear error, nothing kept, nothing imported', async () => {
    const before = await releases();
    const kept = files(downloads);

    const html = await run(['fetch', '21111-01-03-4', '--db', 'regionalstatistik']);
    expect(html.code).toBe(69);
    expect(html.err).toContain('BIMO_E_REMOTE');
    expect(html.err).toContain(
      'an HTML page that is neither a table (ZIP, CSV) nor a status message',
    );
    expect(html.err).toContain('Content-Type text/html');

    const cut = await run(['fetch', '21121-01-05-4', '--db', 'regionalstatistik']);
    expect(cut.code).toBe(69);
    expect(cut.err).toContain('is incomplete: the end-of-archive record is missing');
    expect(cut.err).toContain('nothing was kept or imported');

    expect(files(downloads)).toEqual(kept); // no partial files left behind either
    expect(await releases()).toBe(before);
  });

  it('keeps the recorded GENESIS-Online ZIP unchanged with --no-import --out DIR', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bimo-fetch-out-'));
    const before = await releases();
    const r = await run(['fetch', '61111-0001', '--db', 'genesis', '--no-import', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const [name] = files(out);
    expect(name).toMatch(/^61111-0001_\d{13}_de_flat\.zip$/);
    expect(readFileSync(join(out, name ?? ''))).toEqual(
      fixtureBytes('tablefile-61111-0001-en.zip'),
    );
    expect(r.out).toContain('61111-0001_1780239718101_en_flat.csv');
    expect(await releases()).toBe(before);
  });

  it('stops at the size limit and keeps nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bimo-fetch-limit-'));
    const db = databaseOf('regionalstatistik');
    const credentials = {
      username: USER,
      password: PASSWORD,
      kind: 'password' as const,
      source: 'test',
    };
    await expect(
      fetchTable(
        { db, base: replay.base, credentials, timeoutMs: 10_000 },
        { table: '21311-01-01-4-B' },
        { dir, baseName: 'limit' },
        { ...DEFAULT_LIMITS, maxBytes: 20_000 },
        {
          fetch: globalThis.fetch,
          sleep: () => Promise.resolve(),
          now: Date.now,
          log: () => undefined,
        },
      ),
    ).rejects.toThrow(/exceeds the download limit of 20 KB/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names host and fix when the service cannot be reached', async () => {
    const port = await closedPort();
    const r = await run(['fetch', '21311-01-01-4-B', '--db', 'regionalstatistik'], {
      BIMO_GENESIS_BASE_URL: `http://127.0.0.1:${port}/genesisws/rest/2020/`,
    });
    expect(r.code).toBe(69);
    expect(r.err).toContain(`cannot reach 127.0.0.1:${port}: the connection was refused`);
    expect(r.err).toContain('fix: Check the internet connection');
  });

  it('never prints the password and never puts credentials into a URL', () => {
    expect(printed.length).toBeGreaterThan(10);
    for (const line of printed) expect(line).not.toContain(PASSWORD);
    expect(replay.received.every((q) => !q.query.includes('password'))).toBe(true);
  });
});

describe('GENESIS answers (recorded)', () => {
  it('reads the job name from the recorded status-99 texts', () => {
    const s = parseStatus(JSON.stringify(recording('tablefile-99-job-created.json').body));
    expect(s?.code).toBe(99);
    expect(jobIdOf(s?.content ?? '')).toBe('12531-0043_673843136');
    // pystatis tests/test_http_helper.py: a job message with a parameter adjustment appended.
    expect(
      jobIdOf(
        'Der Bearbeitungsauftrag wurde erstellt. Die Tabelle kann in Kürze als Ergebnis mit folgendem Namen abgerufen werden: 42153-0001_001597503 (Mindestens ein Parameter enthält ungültige Werte. Er wurde angepasst, um den Service starten zu können.: stand',
      ),
    ).toBe('42153-0001_001597503');
    expect(jobIdOf('Der Bearbeitungsauftrag wurde erstellt.')).toBeNull();
  });

  it('parses the recorded results list and refuses JSON that is no status', () => {
    const ready = parseStatus(JSON.stringify(recording('results-0-ready.json').body));
    expect(ready?.list.map((e) => e.code)).toEqual(['12531-0043_673843136']);
    expect(parseStatus(JSON.stringify(recording('results-104-not-ready.json').body))?.code).toBe(
      104,
    );
    expect(parseStatus('{"Status":"Ein Fehler ist aufgetreten"}')).toBeNull();
    expect(parseStatus('<html>')).toBeNull();
  });

  it('accepts the recorded API ZIP (data descriptor) and rejects a cut-off copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bimo-zipcheck-'));
    const whole = fixtureBytes('tablefile-61111-0001-en.zip');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'whole.zip'), whole);
    await writeFile(join(dir, 'cut.zip'), whole.subarray(0, 300));
    expect(await checkZip(join(dir, 'whole.zip'))).toEqual([
      '61111-0001_1780239718101_en_flat.csv',
    ]);
    await expect(checkZip(join(dir, 'cut.zip'))).rejects.toBeInstanceOf(ZipCheckError);
  });
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((ok) => srv.close(() => ok()));
  return port;
}
