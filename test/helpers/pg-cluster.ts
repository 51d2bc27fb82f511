// Throwaway PostgreSQL cluster for tests: initdb in a temp dir, start on a free port on 127.0.0.1,
// create one database, stop and delete everything afterwards. Never touches a server that may
// already run on 5432. initdb refuses to run as root, so as root every server binary runs as the
// `postgres` system user (created by Debian's postgresql package).
import { execFile } from 'node:child_process';
import { chown, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

const PG_ROOT = '/usr/lib/postgresql';
const INSTALL_HINT =
  'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; ' +
  'run `bash scripts/ensure-system-deps.sh` (or `apt-get install postgresql`), ' +
  'or set BIMO_TEST_DATABASE_URL to an existing test database.';

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/<database> */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  /**
   * Stops the server (fast: open connections are terminated, as on a real restart), waits
   * `downMs`, and starts it again on the same port.
   */
  restart(downMs?: number): Promise<void>;
}

export interface StartPgClusterOptions {
  database?: string;
  log?: (line: string) => void;
}

/** Bin directory of the highest installed PostgreSQL major version. */
export async function findPgBinDir(root = PG_ROOT): Promise<string> {
  let versions: string[];
  try {
    versions = await readdir(root);
  } catch {
    throw new Error(INSTALL_HINT);
  }
  const sorted = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of sorted) {
    const bin = join(root, version, 'bin');
    const entries = await readdir(bin).catch(() => [] as string[]);
    if (entries.includes('initdb') && entries.includes('pg_ctl')) return bin;
  }
  throw new Error(INSTALL_HINT);
}

/** A TCP port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
async function runPg(bin: string, args: string[]): Promise<void> {
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    await run(file, argv, { env: { ...process.env, LC_ALL: 'C' } });
  } catch (error) {
    const e = error as Error & { stderr?: string; stdout?: string };
    throw new Error(
      `${[file, ...argv].join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root, but there is no `postgres` system user to run initdb as; ' +
        "install Debian's `postgresql` package (it creates the user) or run the tests as a normal user.",
    );
  }
}

export async function startPgCluster(options: StartPgClusterOptions = {}): Promise<PgCluster> {
  const database = options.database ?? 'bimo_test';
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`invalid database name: ${database}`);
  const bin = await findPgBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'bimo-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  let started = false;

  // Loopback only, socket in the temp dir, no durability: a throwaway cluster for tests.
  const optionsFor = (port: number) =>
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ` +
    '-c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const pgCtlStart = (port: number) =>
    runPg(join(bin, 'pg_ctl'), [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-o',
      optionsFor(port),
      '-w',
      'start',
    ]);
  const pgCtlStop = () =>
    runPg(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
  const cleanup = async () => {
    if (started) await pgCtlStop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await mkdir(dataDir, { mode: 0o700 });
    if (isRoot()) {
      const { uid, gid } = await postgresIds();
      await chown(dir, uid, gid);
      await chown(dataDir, uid, gid);
    }
    await runPg(join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);

    // The port can be taken between freePort() and the server's bind; try a few times.
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await pgCtlStart(port);
        started = true;
        break;
      } catch (error) {
        const log = await readFile(logFile, 'utf8').catch(() => '');
        if (attempt < 3 && /could not bind|address already in use/i.test(log)) continue;
        throw new Error(`${(error as Error).message}\nserver log:\n${log}`);
      }
    }

    const admin = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
    });
    await admin.connect();
    try {
      await admin.query(`create database ${database}`);
    } finally {
      await admin.end();
    }

    options.log?.(`test PostgreSQL (${bin}) on 127.0.0.1:${port}, data in ${dir}`);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/${database}`,
      port,
      dir,
      stop: async () => {
        await cleanup();
        started = false;
      },
      restart: async (downMs = 0) => {
        await runPg(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
        await new Promise((resolve) => setTimeout(resolve, downMs));
        await pgCtlStart(port);
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
