/**
 * Where the real boundary and statistics files live for tests: `BIMO_SAMPLE_DATA`, else the
 * shared data folder next to the repository (../shared/data), so tests read the official files
 * rather than fixtures that could drift from them.
 */
import { fileURLToPath } from 'node:url';

export function sampleDataDir(): string {
  return (
    process.env.BIMO_SAMPLE_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url))
  );
}
