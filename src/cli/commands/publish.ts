/**
 * `bimo publish --out DIR [--base-path /p/] [--exclude PATTERN]…`: the public portal as static
 * files (src/publish/), for any web server or CDN. Not to be confused with
 * `bimo releases publish N`, which makes a release public inside the database; this command
 * exports what the public sees of the latest published release. Progress goes to stderr, the
 * summary to stdout.
 */
import { resolve } from 'node:path';
import { BimoError } from '../../domain/index.ts';
import { normaliseBasePath, publishSite } from '../../publish/index.ts';
import type { Store } from '../../store/index.ts';
import { catalog, loadRegistry, type Io } from '../context.ts';

export interface PublishArgs {
  out: string | undefined;
  basePath: string | undefined;
  exclude: readonly string[];
  json: boolean;
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

export async function publishCommand(store: Store, io: Io, args: PublishArgs): Promise<number> {
  if (args.out === undefined || args.out.trim() === '') {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'publish needs the folder to write to',
      'Use bimo publish --out DIR, e.g. --out site (to make a release public, use bimo releases publish N).',
      { field: 'out' },
    );
  }
  if (args.basePath !== undefined && !/^\/?[A-Za-z0-9._~/-]*$/.test(args.basePath)) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `--base-path "${args.basePath}" is not a URL path`,
      'Use the path the site is served under, e.g. --base-path /bildung/.',
      { field: 'base-path' },
    );
  }
  const out = resolve(io.cwd, args.out);
  if (out === resolve(io.cwd) || out === resolve('/')) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `--out ${args.out} would replace the current folder`,
      'Name a folder of its own for the export, e.g. --out site.',
      { field: 'out' },
    );
  }
  const basePath = normaliseBasePath(args.basePath);
  const regions = await loadRegistry(store);
  const summary = await publishSite({
    deps: { store, regions, catalog: catalog() },
    out,
    basePath,
    exclude: args.exclude,
    log: (line) => io.log(line),
  });
  if (args.json) {
    io.out(JSON.stringify({ out, basePath, ...summary }, null, 2));
  } else {
    io.out(
      `published ${summary.files} files (${summary.pages} pages, ${megabytes(summary.bytes)} MB) ` +
        `to ${out} in ${summary.seconds.toFixed(1)} s` +
        (summary.excluded > 0 ? `; ${summary.excluded} addresses left out by --exclude` : '') +
        `\nserve it under ${basePath} with any static web server (headers: ${out}/_headers, docs/operations.md)`,
    );
  }
  return 0;
}
