/** Fetching tables from the GENESIS REST API ("2020" interface): databases, credentials, jobs. */
export { DATABASES, databaseOf, restBaseOf, type GenesisDatabase } from './databases.ts';
export { credentialsOf, credentialVariables, type Credentials } from './credentials.ts';
export {
  DEFAULT_LIMITS,
  fetchTable,
  tableParams,
  type FetchDeps,
  type FetchLimits,
  type FetchResult,
  type TableRequest,
} from './table.ts';
export type { Endpoint } from './http.ts';
export type { SavedFile } from './save.ts';
export { parseStatus, jobIdOf, STATUS, type GenesisStatus } from './status.ts';
export { checkZip, ZipCheckError } from './zip-check.ts';
