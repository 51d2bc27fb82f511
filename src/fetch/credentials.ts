/**
 * Credentials for the GENESIS REST API, read from the environment only (never from flags, which
 * end up in shell histories and process lists). They travel as the HTTP headers `username` and
 * `password`, never in a URL, and are never printed.
 */
import { BimoError } from '../domain/index.ts';
import type { GenesisDatabase } from './databases.ts';

export interface Credentials {
  username: string;
  /** Empty for an API token (the token goes into `username`). */
  password: string;
  kind: 'password' | 'token';
  /** Names of the variables the values came from (for messages; never the values). */
  source: string;
}

/** The variables a user can set for this database, most specific first. */
export function credentialVariables(db: GenesisDatabase): string[] {
  const vars = [
    `${db.envPrefix}_USER`,
    `${db.envPrefix}_PASSWORD`,
    'BIMO_GENESIS_USER',
    'BIMO_GENESIS_PASSWORD',
  ];
  if (db.tokens) vars.push(`${db.envPrefix}_TOKEN`, 'BIMO_GENESIS_TOKEN');
  return vars;
}

/** How to set credentials for this database, as a fix text. */
export function credentialHelp(db: GenesisDatabase): string {
  const token = db.tokens
    ? ` or an API token in ${db.envPrefix}_TOKEN / BIMO_GENESIS_TOKEN (jobs for large tables need user and password)`
    : '';
  return (
    `Set ${db.envPrefix}_USER and ${db.envPrefix}_PASSWORD (or BIMO_GENESIS_USER and ` +
    `BIMO_GENESIS_PASSWORD for every database)${token}; register at ${db.web} if you have no account.`
  );
}

/**
 * Most specific first: the database's own pair, its own token, the shared pair, the shared token.
 * Half a pair is an error (mixing accounts would fail obscurely at the server).
 */
export function credentialsOf(
  db: GenesisDatabase,
  env: Record<string, string | undefined>,
): Credentials {
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const pair = (prefix: string): Credentials | null => {
    const username = get(`${prefix}_USER`);
    const password = get(`${prefix}_PASSWORD`);
    if (!username && !password) return null;
    if (username && password) {
      return { username, password, kind: 'password', source: `${prefix}_USER/${prefix}_PASSWORD` };
    }
    throw new BimoError(
      'BIMO_E_REMOTE_AUTH',
      `${username ? `${prefix}_PASSWORD` : `${prefix}_USER`} is not set (${username ? `${prefix}_USER` : `${prefix}_PASSWORD`} is)`,
      credentialHelp(db),
      { database: db.id, variables: credentialVariables(db) },
    );
  };
  const token = (name: string): Credentials | null => {
    const t = db.tokens ? get(name) : undefined;
    return t ? { username: t, password: '', kind: 'token', source: name } : null;
  };
  const found =
    pair(db.envPrefix) ??
    token(`${db.envPrefix}_TOKEN`) ??
    pair('BIMO_GENESIS') ??
    token('BIMO_GENESIS_TOKEN');
  if (found) return found;
  throw new BimoError(
    'BIMO_E_REMOTE_AUTH',
    `no credentials for the ${db.label}`,
    credentialHelp(db),
    { database: db.id, variables: credentialVariables(db) },
  );
}
