/**
 * `bimo users add|list|update|disable|enable|reset-password`: accounts on the command line. A
 * fresh install has no account and no default password; `bimo users add --role admin` creates
 * the first admin. Passwords come from a hidden prompt or BIMO_PASSWORD, never from an argument:
 * arguments are visible to every user of the machine (`ps`, /proc) and stay in shell histories.
 */
import {
  Accounts,
  checkPasswordPolicy,
  checkScope,
  isRole,
  parseRegions,
} from '../../auth/index.ts';
import type { AuditContext, Role } from '../../auth/index.ts';
import { BimoError } from '../../domain/index.ts';
import type { Store, User } from '../../store/index.ts';
import { loadRegistry, type Io } from '../context.ts';

export interface UsersOptions {
  email?: string | undefined;
  role?: string | undefined;
  name?: string | undefined;
  regions?: string | undefined;
  json?: boolean;
  /** Only so it can be refused with the reason (main.ts defines `--password` for that). */
  password?: string | undefined;
  /** Asks for a secret without echo; default: the terminal, when stdin is one. */
  prompt?: (question: string) => Promise<string>;
  now?: () => Date;
}

const SUBCOMMANDS = 'add | list | update | disable | enable | reset-password';

/** Who acts in the audit log: the operating-system user at the terminal. */
export function cliActor(io: Io): AuditContext {
  const who = io.env.USER ?? io.env.LOGNAME;
  return { actor: who ? `cli:${who}` : 'cli', ip: null };
}

/** The password typed at a terminal, without echo; Enter ends it, Ctrl+C cancels. */
export function promptHidden(
  question: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    input.resume();
    let value = '';
    const finish = (err?: Error): void => {
      input.off('data', onData);
      input.setRawMode?.(wasRaw ?? false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') {
          return finish(
            new BimoError('BIMO_E_BAD_REQUEST', 'cancelled (Ctrl+C)', 'Nothing was changed.'),
          );
        }
        value = ch === '\u007f' || ch === '\b' ? [...value].slice(0, -1).join('') : value + ch;
      }
    };
    input.on('data', onData);
  });
}

async function readNewPassword(io: Io, opts: UsersOptions, email: string): Promise<string> {
  if (opts.password !== undefined) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'bimo does not take a password as an argument: other users of the machine can read it (ps, /proc) and it stays in the shell history',
      'Run the command in a terminal and type it when asked (nothing is shown), or for scripts set BIMO_PASSWORD, e.g. `read -rs BIMO_PASSWORD && export BIMO_PASSWORD`.',
      { field: 'password' },
    );
  }
  const fromEnv = io.env.BIMO_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const prompt = opts.prompt ?? (process.stdin.isTTY ? (q: string) => promptHidden(q) : null);
  if (!prompt) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'no password given: BIMO_PASSWORD is not set and there is no terminal to ask in',
      'Run the command in a terminal, or set BIMO_PASSWORD for scripts (`read -rs BIMO_PASSWORD && export BIMO_PASSWORD`; unset it afterwards).',
      { field: 'password' },
    );
  }
  const first = await prompt(`Neues Passwort für ${email} / New password for ${email}: `);
  // Checked before the repetition, so nobody types a refused password twice.
  const policy = checkPasswordPolicy(first, email);
  if (!policy.ok) {
    throw new BimoError('BIMO_E_PASSWORD_POLICY', policy.message, 'Run the command again.', {
      field: 'password',
      problem: policy.problem,
    });
  }
  if ((await prompt('Wiederholen / Repeat: ')) !== first) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'the two passwords differ',
      'Run the command again and type the same password twice.',
      { field: 'password' },
    );
  }
  return first;
}

function requireEmail(opts: UsersOptions, sub: string): string {
  if (!opts.email) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `users ${sub} needs --email`,
      `Name the account: bimo users ${sub} --email name@kreis-dueren.de`,
      { field: 'email' },
    );
  }
  return opts.email;
}

function requireRole(role: string | undefined, sub: string): Role {
  if (!isRole(role)) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      role === undefined ? `users ${sub} needs --role` : `unknown role "${role}"`,
      'Use --role admin, --role editor (with --regions) or --role member (docs/accounts.md).',
      { field: 'role' },
    );
  }
  return role;
}

function status(u: User, now: Date): string {
  if (u.disabled) return 'disabled';
  if (u.lockedUntil !== null && Date.parse(u.lockedUntil) > now.getTime()) {
    return `locked until ${u.lockedUntil}`;
  }
  return 'active';
}

/** What is printed of an account: never its hash (a User has none), nor internal counters. */
interface UserView {
  email: string;
  name: string;
  role: Role;
  regions: string[];
  status: string;
  createdAt: string;
  updatedAt: string;
}

function view(u: User, now: Date): UserView {
  return {
    email: u.email,
    name: u.name,
    role: u.role,
    regions: u.regions,
    status: status(u, now),
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

export async function usersCommand(
  store: Store,
  io: Io,
  rest: string[],
  opts: UsersOptions,
): Promise<number> {
  const [sub = 'list', ...extra] = rest;
  if (extra.length > 0) {
    // Not echoed: a stray argument may well be a password typed on the command line.
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `users ${sub} takes no further arguments (got ${extra.length}, not shown)`,
      'Give values with their options (--email, --role, --name, --regions); passwords are asked for or read from BIMO_PASSWORD.',
    );
  }
  const now = opts.now ?? (() => new Date());
  const accounts = new Accounts(store, { now });
  const ctx = cliActor(io);
  const print = (u: User, what: string): void => {
    if (opts.json) io.out(JSON.stringify(view(u, now()), null, 2));
    else
      io.out(
        `${what}: ${u.email} (${u.role}${u.regions.length ? ` ${u.regions.join(',')}` : ''}, ${status(u, now())})`,
      );
  };
  switch (sub) {
    case 'list': {
      const users = await store.listUsers();
      if (opts.json)
        io.out(
          JSON.stringify(
            users.map((u) => view(u, now())),
            null,
            2,
          ),
        );
      else {
        for (const u of users) {
          io.out(
            `${u.email}\t${u.role}\t${u.regions.join(',') || '-'}\t${status(u, now())}\t${u.name}`,
          );
        }
        if (users.length === 0) io.log('no accounts yet: bimo users add --email … --role admin');
      }
      return 0;
    }
    case 'add': {
      const email = requireEmail(opts, sub);
      const role = requireRole(opts.role, sub);
      const regions = parseRegions(opts.regions);
      const registry = role === 'editor' ? await loadRegistry(store) : undefined;
      // Everything that can be checked is checked before anyone types a password.
      checkScope(role, regions, registry);
      if (await accounts.findByEmail(email)) {
        throw new BimoError(
          'BIMO_E_CONFLICT',
          `an account with the email ${email} exists already`,
          'Change it with `bimo users update` or `bimo users reset-password`.',
          { field: 'email' },
        );
      }
      const password = await readNewPassword(io, opts, email);
      const input = { email, password, role, regions, name: opts.name ?? '' };
      print(await accounts.createAccount(input, ctx, registry), 'created');
      return 0;
    }
    case 'update': {
      const email = requireEmail(opts, sub);
      const role = opts.role === undefined ? undefined : requireRole(opts.role, sub);
      if (role === undefined && opts.regions === undefined && opts.name === undefined) {
        throw new BimoError(
          'BIMO_E_BAD_REQUEST',
          'users update needs --role, --regions or --name',
          'e.g. bimo users update --email … --role editor --regions 05358',
        );
      }
      const current = await accounts.findByEmail(email);
      const editor = (role ?? current?.role) === 'editor';
      const registry = editor ? await loadRegistry(store) : undefined;
      const change = {
        ...(role !== undefined ? { role } : {}),
        ...(opts.regions !== undefined ? { regions: parseRegions(opts.regions) } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
      };
      print(await accounts.updateAccount(email, change, ctx, registry), 'updated');
      return 0;
    }
    case 'disable':
    case 'enable':
      print(await accounts.setDisabled(requireEmail(opts, sub), sub === 'disable', ctx), `${sub}d`);
      return 0;
    case 'reset-password': {
      const email = requireEmail(opts, sub);
      // Known before the password is typed, as in `add`.
      const user = await accounts.mustFind(email);
      const password = await readNewPassword(io, opts, user.email);
      print(await accounts.resetPassword(email, password, ctx), 'password reset');
      return 0;
    }
    default:
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        // Not echoed either: `bimo users <password>` is an easy slip.
        'unknown users command (not shown)',
        `Use: bimo users [${SUBCOMMANDS}]`,
      );
  }
}
