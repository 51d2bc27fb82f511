/**
 * The GENESIS databases bimo can fetch from: all speak the same "2020" REST interface, differ in
 * base URL, web address (where a user checks a table code) and credentials.
 */
import { BimoError } from '../domain/index.ts';

export interface GenesisDatabase {
  id: 'regionalstatistik' | 'genesis' | 'landesdatenbank-nrw' | 'bildungsmonitoring';
  label: string;
  /** REST base, ending in `/` (domain.md §3.1). */
  restBase: string;
  /** Web interface where the table code can be looked up. */
  web: string;
  /** Prefix of the per-database credential variables, e.g. BIMO_REGIONALSTATISTIK. */
  envPrefix: string;
  /** Whether the database accepts an API token in place of user and password. */
  tokens: boolean;
}

export const DATABASES: readonly GenesisDatabase[] = [
  {
    id: 'regionalstatistik',
    label: 'Regionaldatenbank Deutschland',
    restBase: 'https://www.regionalstatistik.de/genesisws/rest/2020/',
    web: 'https://www.regionalstatistik.de/genesis/online',
    envPrefix: 'BIMO_REGIONALSTATISTIK',
    tokens: false,
  },
  {
    id: 'genesis',
    label: 'GENESIS-Online (Destatis)',
    restBase: 'https://www-genesis.destatis.de/genesisWS/rest/2020/',
    web: 'https://www-genesis.destatis.de/genesis/online',
    envPrefix: 'BIMO_DESTATIS',
    tokens: true,
  },
  {
    id: 'landesdatenbank-nrw',
    label: 'Landesdatenbank NRW (IT.NRW)',
    restBase: 'https://www.landesdatenbank.nrw.de/ldbnrwws/rest/2020/',
    web: 'https://www.landesdatenbank.nrw.de',
    envPrefix: 'BIMO_LANDESDATENBANK_NRW',
    tokens: false,
  },
  {
    id: 'bildungsmonitoring',
    label: 'Kommunale Bildungsdatenbank',
    restBase: 'https://www.bildungsmonitoring.de/bildungws/rest/2020/',
    web: 'https://www.bildungsmonitoring.de/bildung/online',
    envPrefix: 'BIMO_BILDUNGSMONITORING',
    tokens: false,
  },
];

export function databaseOf(id: string | undefined): GenesisDatabase {
  const ids = DATABASES.map((d) => d.id).join(', ');
  if (!id) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      '--db is required',
      `Name the database the table is in: --db ${ids.replaceAll(', ', '|')}.`,
      { field: 'db' },
    );
  }
  const db = DATABASES.find((d) => d.id === id);
  if (!db) {
    throw new BimoError('BIMO_E_BAD_REQUEST', `unknown database "${id}"`, `Use one of: ${ids}.`, {
      field: 'db',
    });
  }
  return db;
}

/**
 * The REST base to use: BIMO_GENESIS_BASE_URL (or --base-url) replaces the official one, e.g. for
 * a test server or a proxy. Only http(s) URLs without credentials are accepted.
 */
export function restBaseOf(db: GenesisDatabase, override: string | undefined): string {
  if (!override) return db.restBase;
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'the base URL (--base-url or BIMO_GENESIS_BASE_URL) is not a URL',
      `Give the REST base like ${db.restBase}`,
      { field: 'base-url' },
    );
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'the base URL must be http(s) and carry no credentials',
      'Credentials go into BIMO_GENESIS_USER / BIMO_GENESIS_PASSWORD, never into a URL.',
      { field: 'base-url' },
    );
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
