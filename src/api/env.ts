/**
 * What every part of the HTTP application shares: its dependencies (`AppDeps`), the context
 * variables (`AppEnv`) and the router type. Routes are declared with @hono/zod-openapi, so the
 * zod schema that validates a request is also its entry in /api/v1/openapi.json.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { Accounts, Sessions } from '../auth/index.ts';
import type { Indicator } from '../indicators/index.ts';
import type { RegionRegistry } from '../regions/index.ts';
import type { Store } from '../store/index.ts';
import type { Lifecycle } from './health.ts';
import type { Logger } from './log.ts';
import { validationHook } from './openapi/validation.ts';
import { Policy } from './policy-enforce.ts';
import type { Viewer } from './policy.ts';
import type { SessionRecord } from '../store/index.ts';

export interface AppDeps {
  store: Store;
  /**
   * The region registry. Replaced in this object when the regions change while the app runs
   * (peer groups rebuilt by a publication, Sozialräume added by an upload), so that the portal
   * routes mounted with the same `deps` see the new one too.
   */
  regions: RegionRegistry;
  catalog: Indicator[];
  /**
   * Logins and accounts, one instance per app: it holds the per-IP login limit. Built from
   * `store` when absent.
   */
  accounts?: Accounts;
  /** Sessions and API tokens; built from `store` when absent. */
  sessions?: Sessions;
  /**
   * Behind a reverse proxy: take the client address from X-Forwarded-For and https from
   * X-Forwarded-Proto. Default: the environment variable BIMO_TRUST_PROXY=1.
   */
  trustProxy?: boolean;
  /** Structured logs (src/api/log.ts): every request and every internal error. None in tests. */
  logger?: Logger;
  /** Shared with `bimo serve`: `/readyz` answers 503 once it starts draining (src/api/health.ts). */
  lifecycle?: Lifecycle;
}

/** Context variables the middleware sets for every later handler. */
export interface ViewerVariables {
  viewer: Viewer;
  /** The session behind the cookie of this request, when it is valid. */
  session: { id: string; record: SessionRecord } | undefined;
}

export type AppEnv = { Variables: ViewerVariables };

/** A router of API routes: each one validated by, and documented from, its zod schemas. */
export type Api = OpenAPIHono<AppEnv>;

export function newApi(): Api {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/** Everything a route works with: the app's dependencies and its auth services, one set per app. */
export interface Services {
  store: Store;
  regions: RegionRegistry;
  catalog: Indicator[];
  accounts: Accounts;
  sessions: Sessions;
  policy: Policy;
  /** Trust X-Forwarded-For / X-Forwarded-Proto (only behind a reverse proxy that sets them). */
  trustProxy: boolean;
  /**
   * Puts a new region registry in place for every later request, of the API and of the portal
   * (after a publication rebuilt the peer groups, or a Sozialraumliste added units).
   */
  setRegions(regions: RegionRegistry): void;
}

/** The services built for each app's deps, so that its portal routes share them (login limit). */
const SERVICES = new WeakMap<AppDeps, Services>();

/**
 * The services of the app mounted with `deps` (the portal's routes get the deps object that
 * `createApp` built its services from): the same login limit, sessions and region registry as the
 * API. Built afresh for deps no app was made from.
 */
export function appServices(deps: AppDeps): Services {
  return SERVICES.get(deps) ?? servicesOf(deps);
}

/** The services of one app (accounts and sessions built from the store unless given). */
export function servicesOf(deps: AppDeps): Services {
  const accounts = deps.accounts ?? new Accounts(deps.store);
  const sessions = deps.sessions ?? new Sessions(deps.store, { now: accounts.config.now });
  const services: Services = {
    store: deps.store,
    regions: deps.regions,
    catalog: deps.catalog,
    accounts,
    sessions,
    policy: new Policy(deps.store, sessions.config.now),
    trustProxy: deps.trustProxy ?? process.env.BIMO_TRUST_PROXY === '1',
    setRegions(regions) {
      services.regions = regions;
      deps.regions = regions;
    },
  };
  SERVICES.set(deps, services);
  return services;
}
