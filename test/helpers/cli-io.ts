/** An Io for in-process CLI tests: captures stdout and stderr, points at the sample data. */
import type { Io } from '../../src/cli/context.ts';
import { SAMPLE_DIR } from './sample.ts';

export function captureIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    log: (t) => stderr.push(t),
    env: { BIMO_SAMPLE_DATA: SAMPLE_DIR },
    cwd: process.cwd(),
  };
}
