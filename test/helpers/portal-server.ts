/**
 * A running portal for browser tests: the demo store (or the full one), the real app with the
 * portal mounted, listening on a free port on 127.0.0.1, accounts per role, and Chromium pages
 * under the real CSP (bypassCSP only where a test injects axe-core).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type AppDeps } from '../../src/api/app.ts';
import { Accounts, Sessions } from '../../src/auth/index.ts';
import { closeBrowser, getBrowser } from '../../src/report/browser.ts';
import type { User } from '../../src/store/index.ts';
import { mountWeb } from '../../src/web/routes.ts';
import { buildDemoStore, buildFullDemoStore } from './demo-store.ts';

export const ARTIFACTS = 'test-artifacts';
export const PASSWORD = 'Tagebau Hambach im Nebel';

export interface Portal {
  deps: AppDeps;
  base: string;
  users: Record<'admin' | 'editor' | 'member', User>;
  close(): Promise<void>;
}

/** Starts the portal; `full` imports every demo file (slower, all indicators). */
export async function startPortal(opts: { full?: boolean } = {}): Promise<Portal> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const deps = opts.full ? await buildFullDemoStore() : await buildDemoStore();
  const accounts = new Accounts(deps.store);
  const ctx = { actor: 'cli:test' };
  const make = (email: string, role: User['role'], regions?: string[]) =>
    accounts.createAccount({ email, password: PASSWORD, role, regions }, ctx, deps.regions);
  const users = {
    admin: await make('admin@kommune.example', 'admin'),
    editor: await make('editor@kommune.example', 'editor', ['05358']),
    member: await make('member@kommune.example', 'member'),
  };
  const app = createApp({ ...deps, accounts, sessions: new Sessions(deps.store) }, mountWeb);
  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    deps,
    base,
    users,
    async close() {
      await closeBrowser();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.store.close();
    },
  };
}

/** A new browser page; collects page errors and console errors (CSP violations among them). */
export async function newPage(
  opts: { bypassCSP?: boolean; width?: number; height?: number } = {},
): Promise<{ page: Page; errors: string[] }> {
  const browser = await getBrowser();
  const page = await browser.newPage({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    bypassCSP: opts.bypassCSP ?? false,
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
  });
  return { page, errors };
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** axe-core (WCAG 2.1 AA) on the page: the serious and critical violations, as `id: n nodes`. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe;
    return axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
  });
  return (
    result as { violations: { id: string; impact: string | null; nodes: unknown[] }[] }
  ).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.length} nodes`);
}

/** Screenshot into test-artifacts/ (kept by CI as an artifact). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

/**
 * The portal of one test file: started before its tests, closed after them. Call at the top of
 * the file; the returned function gives the running portal inside the tests.
 */
export function usePortal(opts: { full?: boolean } = {}): () => Portal {
  let portal: Portal | undefined;
  beforeAll(async () => {
    portal = await startPortal(opts);
  }, 180_000);
  afterAll(async () => {
    await portal?.close();
  });
  return () => {
    if (!portal) throw new Error('the portal of this test file did not start');
    return portal;
  };
}
