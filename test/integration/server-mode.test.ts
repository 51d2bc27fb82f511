/**
 * Server mode on PostgreSQL, with real `bimo serve` processes on a PostgreSQL cluster of this
 * file's own (it is restarted here, which must not disturb other test files): migrations when
 * several processes start at once, two processes sharing one database (sessions, a publication),
 * structured JSON logs, `/readyz`, graceful shutdown, and a PostgreSQL restart while serving.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/index.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.ts';
import { LEAVERS_2023 } from '../helpers/sample.ts';
import { startServe, waitReady, type ServeProcess } from '../helpers/serve-process.ts';

const EMAIL = 'lenkung@example.org';
const PASSWORD = 'Kreis-Düren-2026!';
let cluster: PgCluster;
const running: ServeProcess[] = [];

async function createDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function d6Dueren(base: string): Promise<number | undefined> {
  const res = await fetch(`${base}/api/v1/indicators/D6/values?region=05358&period=2023`);
  const body = (await res.json()) as { data?: { numerator: number }[] };
  return body.data?.[0]?.numerator;
}

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what().catch(() => undefined as T);
    if (ok(v) || Date.now() > end) return v;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  cluster = await startPgCluster({ database: 'bimo_server' });
  const store = await openStore({
    dataDir: mkdtempSync(join(tmpdir(), 'bimo-srv-')),
    databaseUrl: cluster.url,
  });
  await buildDemoStore(store);
  await store.close();
  const io = captureIo();
  io.env = { ...io.env, DATABASE_URL: cluster.url, BIMO_PASSWORD: PASSWORD };
  expect(
    await main(
      ['users', 'add', '--email', EMAIL, '--role', 'member', '--name', 'Lenkungskreis'],
      io,
    ),
  ).toBe(0);
}, 180_000);

afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  await cluster?.stop();
});

describe('server mode on PostgreSQL', () => {
  it('migrates once when four processes open an empty database at the same moment', async () => {
    const url = await createDatabase('bimo_race');
    const stores = await Promise.all(
      [1, 2, 3, 4].map(() =>
        openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-race-')), databaseUrl: url }),
      ),
    );
    const versions = await Promise.all(stores.map((s) => s.schemaVersion()));
    expect(versions).toEqual(Array(4).fill(Math.max(...MIGRATIONS.map((m) => m.version))));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT version FROM schema_migration ORDER BY version');
    await client.end();
    expect(rows.map((r: { version: number }) => r.version)).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    await Promise.all(stores.map((s) => s.close()));
  });

  it('runs two processes on one database: a session from one works on the other, a publication reaches both, logs are JSON', async () => {
    const env = { DATABASE_URL: cluster.url, BIMO_VALUE_CACHE_TTL: '1' };
    const [a, b] = await Promise.all([startServe(env), startServe(env)]);
    running.push(a, b);
    const ready = (await (await fetch(`${a.url}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ status: 'ready', database: 'postgres', pendingRelease: null });

    // Sign in on A; the session (stored in the database) is valid on B.
    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'test-login-1' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('x-request-id')).toBe('test-login-1');
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const me = await fetch(`${b.url}/api/v1/auth/me`, { headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
    expect(
      ((await me.json()) as { email?: string; user?: { email: string } }).user?.email ?? '',
    ).toBe(EMAIL);

    // D6 Kreis Düren 2023: 150 of 2 560 leavers; a revised table (155) imported and published by
    // the command line while both serve reaches both (value cache trusted for 1 s here).
    expect(await d6Dueren(a.url)).toBe(150);
    expect(await d6Dueren(b.url)).toBe(150);
    const row = '2023;05358;      Düren, Kreis;2560;1275;150;';
    const original = readFileSync(LEAVERS_2023, 'latin1');
    expect(original).toContain(row);
    const revised = join(mkdtempSync(join(tmpdir(), 'bimo-rev-')), '21111-02-06-4-berichtigt.csv');
    writeFileSync(
      revised,
      Buffer.from(original.replace(row, row.replace(';150;', ';155;')), 'latin1'),
    );
    const io = captureIo();
    io.env = { ...io.env, DATABASE_URL: cluster.url };
    expect(await main(['import', revised], io)).toBe(0);
    expect(
      await until(
        () => d6Dueren(a.url),
        (v) => v === 155,
        10_000,
      ),
    ).toBe(155);
    expect(
      await until(
        () => d6Dueren(b.url),
        (v) => v === 155,
        10_000,
      ),
    ).toBe(155);

    // Structured logs: every line of A is one JSON object; the login is there with its id, the
    // password and the session cookie are not.
    const entries = a.lines
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.every((e) => typeof e.time === 'string' && typeof e.level === 'string')).toBe(
      true,
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        method: 'POST',
        path: '/api/v1/auth/login',
        status: 200,
        requestId: 'test-login-1',
      }),
    );
    const text = a.lines.join('\n');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(cookie.split('=')[1] ?? 'no cookie');

    // Graceful shutdown: SIGTERM ends A with exit code 0 after it logged both steps.
    expect(await a.stop('SIGTERM')).toBe(0);
    const msgs = a.lines.filter((l) => l.trim()).map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs).toContain('stopping: no new connections; running requests may finish');
    expect(msgs[msgs.length - 1]).toBe('stopped');
  }, 120_000);

  it('survives a PostgreSQL restart: 503 with Retry-After while it is down, answers again after', async () => {
    const b = running[1];
    if (!b) throw new Error('the previous test did not start B');
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
    const seen = new Set<number>();
    // Data reads and a write (a login: session and audit rows) while the server is down and
    // coming back: each is answered, 200 or 503 with Retry-After, never a 500 or a dead process.
    const answers: string[] = [];
    let polling = true;
    const pause = () => new Promise((resolve) => setTimeout(resolve, 100));
    const probe = (async () => {
      while (polling) {
        const res = await fetch(`${b.url}/readyz`).catch(() => null);
        if (res) {
          seen.add(res.status);
          if (res.status === 503) expect(res.headers.get('retry-after')).toBe('2');
        }
        await pause();
      }
    })();
    const traffic = (async () => {
      while (polling) {
        const data = await fetch(
          `${b.url}/api/v1/indicators/D6/values?region=05358&period=2023`,
        ).catch(() => null);
        const login = await fetch(`${b.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
        }).catch(() => null);
        for (const [what, r] of [
          ['values', data],
          ['login', login],
        ] as const) {
          answers.push(`${what} ${r?.status ?? 'no answer'}`);
          await r?.arrayBuffer();
        }
        await pause();
      }
    })();
    await cluster.restart(1500);
    await waitReady(b, 20_000);
    polling = false;
    await Promise.all([probe, traffic]);
    expect(seen.has(503)).toBe(true);
    expect(b.child.exitCode).toBeNull();
    expect(answers.filter((a) => !/ (200|503)$/.test(a))).toEqual([]);
    expect(answers.some((a) => a.startsWith('login'))).toBe(true);
    // Pooled connections died with the server; reads now run on new ones.
    expect(await d6Dueren(b.url)).toBe(155);
    const page = await fetch(`${b.url}/indikatoren/D6`);
    expect(page.status).toBe(200);
    expect(await b.stop('SIGTERM')).toBe(0);
  }, 60_000);
});
