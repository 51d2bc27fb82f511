/**
 * `bimo dump [--out FILE]` and `bimo restore FILE`: a whole database as one portable gzip file
 * (src/store/dump-format.ts) and back, on either engine, so a DuckDB data dir moves to
 * PostgreSQL (and back) with `bimo dump --out x.jsonl.gz` and `DATABASE_URL=… bimo restore
 * x.jsonl.gz`. The dump goes to FILE.partial first and is renamed when complete, so a file with
 * the final name is always a whole dump.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { resolve } from 'node:path';
import { BimoError } from '../../domain/index.ts';
import type { DumpProgress, DumpSummary, Store } from '../../store/index.ts';
import type { Io } from '../context.ts';

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${(bytes / 1024).toFixed(1)} KB`;
}

function progress(io: Io): (p: DumpProgress) => void {
  return (p) =>
    io.log(
      p.done
        ? `  ${p.table}: ${n(p.rows)} rows`
        : `  ${p.table}: ${n(p.rows)} of ${n(p.of)} rows …`,
    );
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

function summaryJson(file: string, s: DumpSummary, ms: number): string {
  return JSON.stringify({ file, ...s, ms: Math.round(ms) }, null, 2);
}

export async function dumpCommand(
  store: Store,
  io: Io,
  opts: { out?: string | undefined; json: boolean },
): Promise<number> {
  const file = resolve(
    io.cwd,
    opts.out ?? `bimo-dump-${new Date().toISOString().slice(0, 10)}.jsonl.gz`,
  );
  if (existsSync(file)) {
    throw new BimoError(
      'BIMO_E_CONFLICT',
      `${file} exists already; bimo dump never overwrites a file.`,
      'Choose another name with --out FILE, or move the old dump away first.',
      { field: 'out' },
    );
  }
  const partial = `${file}.partial`;
  const started = performance.now();
  io.log(`dump: ${store.kind === 'postgres' ? 'PostgreSQL' : 'DuckDB'} → ${file}`);
  let summary: DumpSummary;
  try {
    summary = await store.dump(createWriteStream(partial, { mode: 0o600 }), {
      onProgress: progress(io),
    });
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  renameSync(partial, file);
  if (opts.json) {
    io.out(summaryJson(file, summary, performance.now() - started));
    return 0;
  }
  io.out(
    [
      `dump written: ${file}`,
      `  ${summary.tables} tables, ${n(summary.rows)} rows, schema version ${summary.schemaVersion}, ${size(summary.bytes)} (${n(summary.bytes)} bytes) in ${seconds(started)}`,
      `  sha256 of the content: ${summary.sha256}`,
    ].join('\n'),
  );
  return 0;
}

export async function restoreCommand(
  store: Store,
  io: Io,
  args: string[],
  opts: { target: string; json: boolean },
): Promise<number> {
  if (args.length !== 1) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `restore takes one dump file, got ${args.length}`,
      'Run e.g. `bimo restore bimo-dump-2026-01-31.jsonl.gz` with a fresh --data-dir or an empty DATABASE_URL.',
    );
  }
  const file = resolve(io.cwd, args[0]!);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new BimoError(
      'BIMO_E_FILE_NOT_FOUND',
      `The dump ${file} does not exist.`,
      'Check the path; `bimo dump` printed the name it wrote.',
      { path: file },
    );
  }
  const started = performance.now();
  io.log(`restore: ${file} → ${opts.target}`);
  const summary = await store.restore(createReadStream(file), {
    source: file,
    onProgress: progress(io),
  });
  if (opts.json) {
    io.out(summaryJson(file, summary, performance.now() - started));
    return 0;
  }
  io.out(
    [
      `restored: ${file} into ${opts.target}`,
      `  ${summary.tables} tables, ${n(summary.rows)} rows, schema version ${summary.schemaVersion}, in ${seconds(started)}`,
      `  sha256 of the content: ${summary.sha256} (checked)`,
    ].join('\n'),
  );
  return 0;
}
