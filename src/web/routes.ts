/**
 * Portal routes: the static stylesheet and icon, and every page module under src/web/pages/.
 * Pages are server-rendered HTML that works without scripts; every page is reachable by links;
 * what a page shows is the policy's decision for the viewer (src/api/policy.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../api/app.ts';
import { mountCompare } from './pages/compare.ts';
import { mountHome } from './pages/home.ts';
import { mountIndicatorPages } from './pages/indicator.ts';
import { mountInternal } from './pages/internal.ts';
import { mountQuestions } from './pages/questions.ts';
import { mountRegions } from './pages/regions.ts';
import { mountSearch } from './pages/search.ts';

const STATIC = new URL('./static/', import.meta.url);

/**
 * The one stylesheet: bimo.css, then the rules of each page kind (static/css/*.css, in name
 * order), so pages and reports share the base and each page module keeps its own rules.
 */
export const CSS = [
  readFileSync(new URL('bimo.css', STATIC), 'utf8'),
  ...readdirSync(new URL('css/', STATIC))
    .filter((f) => f.endsWith('.css'))
    .sort()
    .map((f) => readFileSync(new URL(`css/${f}`, STATIC), 'utf8')),
].join('\n');

export function mountWeb(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/static/bimo.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(CSS);
  });

  // A small mark in the portal colour; browsers also ask for /favicon.ico on their own.
  const favicon =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b4f8a"/><path d="M8 24V8h8a5 5 0 0 1 0 10H8m8 0a5 5 0 0 1 0 6H8" fill="none" stroke="#fff" stroke-width="3"/></svg>';
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(path, (c) => {
      c.header('Content-Type', 'image/svg+xml');
      c.header('Cache-Control', 'public, max-age=86400');
      return c.body(favicon);
    });
  }

  mountHome(app, deps);
  mountIndicatorPages(app, deps);
  mountQuestions(app, deps);
  mountRegions(app, deps);
  mountCompare(app, deps);
  mountSearch(app, deps);
  mountInternal(app, deps);
}
