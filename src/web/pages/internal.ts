/**
 * The internal area after login (src/web/pages/internal/): the login and logout forms, the start
 * page, releases with their changes, imports with their check report, accounts, the audit
 * log and the AG's workspace of Handlungsfelder and Fragestellungen. The routes use the API
 * app's own services (the same login limit, sessions, policy and workflow), so the portal and
 * the API decide and record alike.
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { appServices } from '../../api/env.ts';
import { mountAdmin } from './internal/admin.ts';
import { mountImports } from './internal/imports.ts';
import { mountLogin } from './internal/login.ts';
import { mountReleases } from './internal/releases.ts';
import { mountWorkspace } from './internal/workspace.ts';

export function mountInternal(app: Hono<AppEnv>, deps: AppDeps): void {
  const s = appServices(deps);
  mountLogin(app, s);
  mountReleases(app, s);
  mountImports(app, s);
  mountAdmin(app, s);
  mountWorkspace(app, s);
}
