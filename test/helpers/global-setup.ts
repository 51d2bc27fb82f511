// Vitest global setup: one throwaway PostgreSQL cluster per test run, shared by every test file.
// Tests read its URL with `inject('databaseUrl')`. BIMO_TEST_DATABASE_URL skips the cluster and
// points the tests at an existing (disposable!) database instead.
import type { TestProject } from 'vitest/node';
import { startPgCluster } from './pg-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.BIMO_TEST_DATABASE_URL;
  if (external !== undefined && external !== '') {
    project.provide('databaseUrl', external);
    console.log('test PostgreSQL: using BIMO_TEST_DATABASE_URL');
    return async () => {};
  }
  const started = performance.now();
  const cluster = await startPgCluster({
    log: (line) => console.log(`${line} (${Math.round(performance.now() - started)} ms)`),
  });
  project.provide('databaseUrl', cluster.url);
  return () => cluster.stop();
}
