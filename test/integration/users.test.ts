/**
 * `bimo users` and `bimo audit` in-process on a fresh DuckDB store: the first admin from
 * BIMO_PASSWORD, editors with regions, list, disable/enable, reset-password, a failed login in
 * the audit log, filters — and no password or hash in any output or error message.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../../src/auth/index.ts';
import { auditCommand } from '../../src/cli/commands/audit.ts';
import { promptHidden, usersCommand, type UsersOptions } from '../../src/cli/commands/users.ts';
import { buildRegionData } from '../../src/regions/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { SAMPLE_DIR } from '../helpers/sample.ts';

const PW = 'Erftkanal bei Bergheim';
const PW2 = 'Neues Passwort für Ada';
const ADMIN = 'ada@kreis-dueren.de';
let store: Store;
/** Everything any command printed or threw, for the leak check at the end. */
const seen: string[] = [];

async function run(
  rest: string[],
  opts: UsersOptions,
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  Object.assign(io.env, env);
  const code = await usersCommand(store, io, rest, opts);
  const out = io.stdout.join('\n');
  const err = io.stderr.join('\n');
  seen.push(out, err);
  return { code, out, err };
}

async function audit(opts: Parameters<typeof auditCommand>[2]): Promise<string> {
  const io = captureIo();
  expect(await auditCommand(store, io, opts)).toBe(0);
  const out = io.stdout.join('\n');
  seen.push(out, io.stderr.join('\n'));
  return out;
}

/** The error a command throws, recorded for the leak check. */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = (await p.then(
    () => expect.fail('the command should have failed'),
    (e: unknown) => e,
  )) as { code: string; message: string; fix: string };
  seen.push(err.message, err.fix);
  return err;
}

beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'bimo-users-')) });
  await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
});
afterAll(async () => {
  await store.close();
});

describe('bimo users / bimo audit', () => {
  it('starts with no account and creates the first admin from BIMO_PASSWORD', async () => {
    const empty = await run(['list'], {});
    expect(empty.out).toBe('');
    expect(empty.err).toContain('bimo users add --email … --role admin');
    const add = await run(
      ['add'],
      { email: ADMIN, role: 'admin', name: 'Ada' },
      { BIMO_PASSWORD: PW },
    );
    expect(add.code).toBe(0);
    expect(add.out).toBe(`created: ${ADMIN} (admin, active)`);
  });

  it('refuses a password argument and stray arguments, explaining why, echoing neither', async () => {
    const flag = await failure(
      run(['add'], { email: 'x@example.org', role: 'member', password: PW }),
    );
    expect(flag.code).toBe('BIMO_E_BAD_REQUEST');
    expect(flag.message).toMatch(/ps, \/proc.*shell history/);
    const stray = await failure(run(['add', PW], { email: 'x@example.org', role: 'member' }));
    expect(stray.message).toContain('not shown');
    const slip = await failure(run([PW], {}));
    expect(slip.message).toBe('unknown users command (not shown)');
  });

  it.skipIf(process.stdin.isTTY)('asks for BIMO_PASSWORD when there is no terminal', async () => {
    const err = await failure(run(['add'], { email: 'x@example.org', role: 'member' }));
    expect(err.message).toMatch(/BIMO_PASSWORD is not set/);
  });

  it('prompts twice, checks the policy first, and refuses two different entries', async () => {
    const answers = (...a: string[]) => {
      const asked: string[] = [];
      return {
        asked,
        prompt: async (q: string) => {
          asked.push(q);
          return a.shift() ?? '';
        },
      };
    };
    const weak = answers('passwort1234');
    const e1 = await failure(run(['add'], { email: 'm@example.org', role: 'member', ...weak }));
    expect(e1.code).toBe('BIMO_E_PASSWORD_POLICY');
    expect(weak.asked).toHaveLength(1);
    const typo = answers(PW, `${PW}x`);
    const e2 = await failure(run(['add'], { email: 'm@example.org', role: 'member', ...typo }));
    expect(e2.message).toBe('the two passwords differ');
    const ok = answers(PW, PW);
    expect((await run(['add'], { email: 'm@example.org', role: 'member', ...ok })).code).toBe(0);
    expect(ok.asked[0]).toContain('m@example.org');
  });

  it('reads a hidden prompt from a terminal stream: backspace edits, Enter ends', async () => {
    const input = Object.assign(new PassThrough(), { isRaw: false, setRawMode: () => input });
    const output = new PassThrough();
    const answer = promptHidden('Passwort: ', input as unknown as NodeJS.ReadStream, output);
    input.write('geheimX\u007f!\r');
    expect(await answer).toBe('geheim!');
    expect(String(output.read())).toBe('Passwort: \n');
  });

  it('adds editors with known regions only', async () => {
    const env = { BIMO_PASSWORD: PW };
    const ed = await run(
      ['add'],
      { email: 'E@Kreis-Dueren.de', role: 'editor', regions: '05358, 05366' },
      env,
    );
    expect(ed.out).toBe('created: e@kreis-dueren.de (editor 05358,05366, active)');
    const bad = await failure(
      run(['add'], { email: 'f@example.org', role: 'editor', regions: '05358,0599' }, env),
    );
    expect(bad.code).toBe('BIMO_E_REGION_UNKNOWN');
    const noRegions = await failure(run(['add'], { email: 'f@example.org', role: 'editor' }, env));
    expect(noRegions.message).toContain('needs the regions');
    const dup = await failure(run(['add'], { email: ADMIN, role: 'member' }, env));
    expect(dup.code).toBe('BIMO_E_CONFLICT');
    const role = await failure(run(['add'], { email: 'g@example.org', role: 'root' }, env));
    expect(role.message).toBe('unknown role "root"');
  });

  it('lists accounts as text and JSON, and updates roles and regions', async () => {
    const text = await run(['list'], {});
    expect(text.out.split('\n')).toEqual([
      `${ADMIN}\tadmin\t-\tactive\tAda`,
      'e@kreis-dueren.de\teditor\t05358,05366\tactive\t',
      'm@example.org\tmember\t-\tactive\t',
    ]);
    const up = await run(['update'], {
      email: 'm@example.org',
      role: 'editor',
      regions: 'anrainer',
    });
    expect(up.out).toBe('updated: m@example.org (editor anrainer, active)');
    const json = JSON.parse((await run(['list'], { json: true })).out) as Record<string, unknown>[];
    expect(json).toHaveLength(3);
    expect(Object.keys(json[0] ?? {}).sort()).toEqual(
      ['createdAt', 'email', 'name', 'regions', 'role', 'status', 'updatedAt'].sort(),
    );
  });

  it('records a failed login in the audit log, disables, enables and resets the password', async () => {
    const accounts = new Accounts(store);
    expect(await accounts.authenticate(ADMIN, 'falsches Passwort', '192.0.2.44')).toMatchObject({
      ok: false,
      reason: 'wrong_password',
    });
    const failed = JSON.parse(await audit({ action: 'login.failed', json: true })) as {
      target: string;
      ip: string;
      outcome: string;
      details: { reason: string };
    }[];
    expect(failed).toEqual([
      expect.objectContaining({
        target: ADMIN,
        ip: '192.0.2.44',
        outcome: 'failed',
        details: { reason: 'wrong_password', failedLogins: 1 },
      }),
    ]);

    expect((await run(['disable'], { email: 'e@kreis-dueren.de' })).out).toBe(
      'disabled: e@kreis-dueren.de (editor 05358,05366, disabled)',
    );
    expect(await accounts.authenticate('e@kreis-dueren.de', PW, null)).toMatchObject({
      reason: 'disabled',
    });
    expect((await run(['list'], {})).out).toContain(
      'e@kreis-dueren.de\teditor\t05358,05366\tdisabled',
    );
    expect((await run(['enable'], { email: 'e@kreis-dueren.de' })).code).toBe(0);
    expect(await accounts.authenticate('e@kreis-dueren.de', PW, null)).toMatchObject({ ok: true });

    const reset = await run(['reset-password'], { email: ADMIN }, { BIMO_PASSWORD: PW2 });
    expect(reset.out).toBe(`password reset: ${ADMIN} (admin, active)`);
    expect(await accounts.authenticate(ADMIN, PW, null)).toMatchObject({ ok: false });
    expect(await accounts.authenticate(ADMIN, PW2, null)).toMatchObject({ ok: true });
    const missing = await failure(
      run(['reset-password'], { email: 'nobody@example.org' }, { BIMO_PASSWORD: PW2 }),
    );
    expect(missing.code).toBe('BIMO_E_NOT_FOUND');
  });

  it('filters the audit log by action, actor and time', async () => {
    const creates = (await audit({ action: 'user.create' })).split('\n');
    expect(creates).toHaveLength(3);
    expect(creates[0]).toMatch(
      /^\S+Z\tok\tuser\.create\tcli\te@kreis-dueren\.de\t-\t\{"role":"editor","regions":\["05358","05366"\]\}$/,
    );
    const byAdmin = await audit({ actor: ADMIN.toUpperCase() });
    expect(byAdmin.split('\n').map((l) => l.split('\t')[2])).toEqual([
      'login.ok',
      'login.failed',
      'login.failed',
    ]);
    const cli = await audit({ actor: 'cli', json: true });
    const actions = (JSON.parse(cli) as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual([
      'user.password_reset',
      'user.enable',
      'user.disable',
      'user.update',
      'user.create',
      'user.create',
      'user.create',
    ]);
    expect(await audit({ since: '2999-01-01' })).toBe('');
    expect((await audit({ limit: '2' })).split('\n')).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    expect((await audit({ since: today })).split('\n').length).toBeGreaterThan(10);
    const bad = await failure(auditCommand(store, captureIo(), { since: 'gestern' }));
    expect(bad.code).toBe('BIMO_E_BAD_REQUEST');
  });

  it('never shows a password or a hash', async () => {
    const hashes = await Promise.all(
      (await store.listUsers()).map(async (u) => (await store.getPasswordHash(u.id)) ?? ''),
    );
    const everything = [...seen, await audit({ limit: '10000', json: true })].join('\n');
    for (const secret of [PW, PW2, 'passwort1234', 'scrypt$']) {
      expect(everything).not.toContain(secret);
    }
    for (const h of hashes) {
      for (const part of h.split('$').slice(4)) expect(everything).not.toContain(part);
    }
  });
});
