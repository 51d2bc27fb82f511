// Test runner configuration: unit tests beside the code, cross-module tests under test/, one
// throwaway PostgreSQL cluster per run (test/helpers/global-setup.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    watch: false,
  },
});
