// Vitest global setup: one throwaway PostgreSQL cluster per test run, shared by every test file.
// Tests read its URL with `inject('databaseUrl')`. BIMO_TEST_DATABASE_URL skips the cluster and
// points the tests at an existing (disposable!) database instead.
import type { TestProject } from 'vitest/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFullDemoStoreIn } from './demo-store.ts';
import { startPgCluster } from './pg-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    /** A full demo store built once per run; test files copy it (test/helpers/demo-store.ts). */
    fullDemoDir: string;
  }
}

/** Builds the full demo store once, closed, so that every test file can copy it. */
async function buildSharedFullDemo(project: TestProject): Promise<() => void> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'bimo-full-shared-'));
  const deps = await buildFullDemoStoreIn(dir);
  await deps.store.close();
  project.provide('fullDemoDir', dir);
  console.log(
    `full demo store for the tests in ${dir} (${Math.round(performance.now() - started)} ms)`,
  );
  return () => rmSync(dir, { recursive: true, force: true });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const removeDemo = await buildSharedFullDemo(project);
  const external = process.env.BIMO_TEST_DATABASE_URL;
  if (external !== undefined && external !== '') {
    project.provide('databaseUrl', external);
    console.log('test PostgreSQL: using BIMO_TEST_DATABASE_URL');
    return async () => removeDemo();
  }
  const started = performance.now();
  const cluster = await startPgCluster({
    log: (line) => console.log(`${line} (${Math.round(performance.now() - started)} ms)`),
  });
  project.provide('databaseUrl', cluster.url);
  return async () => {
    await cluster.stop();
    removeDemo();
  };
}
