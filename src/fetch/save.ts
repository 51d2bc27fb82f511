/**
 * Receives an answer body: a small JSON status is read into memory; a table (ZIP or CSV) streams
 * into a temporary file beside its destination, is checked (size limit, completeness, ZIP
 * structure) and only then gets its final name — a hard link, so an existing download is never
 * overwritten and a half-written file never carries a table's name. Anything else is refused.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BimoError } from '../domain/index.ts';
import { checkZip, ZipCheckError } from './zip-check.ts';

export interface SaveOptions {
  dir: string;
  /** File name without extension, e.g. `21311-01-01-4-B_20250611T203040Z`. */
  baseName: string;
  maxBytes: number;
}

export interface SavedFile {
  path: string;
  bytes: number;
  format: 'zip' | 'csv';
  /** ZIP member names (empty for CSV). */
  members: string[];
}

export type Body = { kind: 'status'; text: string } | { kind: 'file'; file: SavedFile };

/** Thrown when the connection breaks while the body streams (mapped to a message by the caller). */
export class InterruptedError extends Error {
  constructor(
    readonly bytes: number,
    override readonly cause: unknown,
  ) {
    super('interrupted');
  }
}

interface Context {
  save: SaveOptions | null;
  maxStatusBytes: number;
  /** Restart the idle timeout (called for every piece of the body). */
  rearm: () => void;
  log: (text: string) => void;
  now: () => number;
  /** "the Regionaldatenbank Deutschland", for messages. */
  describe: string;
  web: string;
}

const mb = (n: number): string =>
  n < 1024 ** 2
    ? `${Math.ceil(n / 1024)} KB`
    : `${(n / 1024 ** 2).toFixed(n < 10 * 1024 ** 2 ? 1 : 0)} MB`;

export async function saveBody(res: Response, ctx: Context): Promise<Body> {
  const reader = res.body?.getReader();
  const contentType = res.headers.get('content-type') ?? '';
  if (!reader) throw garbage(ctx, contentType, Buffer.alloc(0));
  let received = 0;
  const next = async (): Promise<Buffer | null> => {
    let r: ReadableStreamReadResult<Uint8Array>;
    try {
      r = await reader.read();
    } catch (err) {
      throw new InterruptedError(received, err);
    }
    if (r.done) return null;
    ctx.rearm();
    received += r.value.length;
    return Buffer.from(r.value);
  };
  // Enough of the start to tell ZIP, JSON and CSV apart.
  const head: Buffer[] = [];
  let headLen = 0;
  for (let c = await next(); c; c = headLen < 512 ? await next() : null) {
    head.push(c);
    headLen += c.length;
  }
  const first = Buffer.concat(head);
  try {
    if (isZip(first)) return { kind: 'file', file: await toFile(first, 'zip') };
    const text = first
      .subarray(0, 4096)
      .toString('latin1')
      .replace(/^\u00ef\u00bb\u00bf/, '');
    if (/^\s*[{[]/.test(text)) {
      const parts: Buffer[] = [first];
      let n = first.length;
      for (let c = await next(); c; c = await next()) {
        n += c.length;
        if (n > ctx.maxStatusBytes) throw garbage(ctx, contentType, first);
        parts.push(c);
      }
      return { kind: 'status', text: Buffer.concat(parts).toString('utf8') };
    }
    if (looksLikeCsv(text, contentType)) return { kind: 'file', file: await toFile(first, 'csv') };
    throw garbage(ctx, contentType, first);
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err;
  }

  async function toFile(start: Buffer, format: 'zip' | 'csv'): Promise<SavedFile> {
    const save = ctx.save;
    if (!save) {
      throw new BimoError(
        'BIMO_E_REMOTE',
        `${ctx.describe} sent a file where a status message was expected`,
        'Check the REST base URL; if it is right, report it.',
      );
    }
    // fetch decodes gzip/br transparently; the announced length is then that of the encoded body.
    const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
    const declared = encoded ? NaN : Number(res.headers.get('content-length') ?? NaN);
    if (declared > save.maxBytes) throw tooLarge(ctx, save, declared);
    await mkdir(save.dir, { recursive: true });
    const tmp = join(save.dir, `.${save.baseName}.${randomUUID().slice(0, 8)}.part`);
    const fh = await open(tmp, 'wx');
    let ok = false;
    try {
      const started = ctx.now();
      let lastLog = started;
      let bytes = 0;
      for (let c: Buffer | null = start; c; c = await next()) {
        bytes += c.length;
        if (bytes > save.maxBytes) throw tooLarge(ctx, save, bytes);
        await fh.write(c);
        const now = ctx.now();
        if (now - lastLog >= 2000) {
          lastLog = now;
          const of = Number.isFinite(declared) ? ` of ${mb(declared)}` : '';
          ctx.log(`  downloading: ${mb(bytes)}${of} (${Math.round((now - started) / 1000)} s)`);
        }
      }
      await fh.close();
      if (Number.isFinite(declared) && bytes !== declared) {
        throw broken(ctx, `${mb(bytes)} arrived of the announced ${mb(declared)}`);
      }
      let members: string[] = [];
      if (format === 'zip') {
        try {
          members = await checkZip(tmp);
        } catch (err) {
          if (err instanceof ZipCheckError) throw broken(ctx, err.message);
          throw err;
        }
      }
      const path = await keep(tmp, save.dir, save.baseName, format);
      ok = true;
      return { path, bytes, format, members };
    } finally {
      await fh.close().catch(() => undefined);
      if (!ok) await rm(tmp, { force: true });
    }
  }
}

/** Gives the checked temporary file its final name without ever replacing an existing file. */
async function keep(tmp: string, dir: string, baseName: string, ext: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const path = join(dir, `${baseName}${n === 1 ? '' : `-${n}`}.${ext}`);
    try {
      await link(tmp, path);
      await rm(tmp, { force: true });
      return path;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // File systems without hard links: rename, after checking the name is free.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
        const exists = await stat(path).then(
          () => true,
          () => false,
        );
        if (exists) continue;
        await rename(tmp, path);
        return path;
      }
      throw err;
    }
  }
  throw new BimoError(
    'BIMO_E_REMOTE',
    `too many downloads named ${baseName} in ${dir}`,
    'Remove old downloads or use --out DIR.',
  );
}

function isZip(b: Buffer): boolean {
  return b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;
}

/** Text with `;`-separated fields in its first line and no binary bytes. */
function looksLikeCsv(text: string, contentType: string): boolean {
  if (text.includes('\u0000') || /^\s*</.test(text)) return false;
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return firstLine.includes(';') || (/text\/csv/i.test(contentType) && firstLine.length > 0);
}

function garbage(ctx: Context, contentType: string, start: Buffer): BimoError {
  const text = start.subarray(0, 200).toString('latin1');
  const html = /^\s*<(!doctype html|html)/i.test(text);
  const shown = text
    .replace(/[^\x20-\x7e\u00a0-\u00ff]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return new BimoError(
    'BIMO_E_REMOTE',
    `${ctx.describe} answered with ${html ? 'an HTML page' : 'something'} that is neither a table (ZIP, CSV) nor a status message ` +
      `(Content-Type ${contentType || 'none'}, ${start.length === 0 ? 'empty' : `starting "${shown.slice(0, 60)}"`})`,
    `The service may be in maintenance or a proxy answered instead: try again later, or download the table at ${ctx.web} and import it with \`bimo import FILE\`.`,
  );
}

function broken(ctx: Context, why: string): BimoError {
  return new BimoError(
    'BIMO_E_REMOTE',
    `the file from ${ctx.describe} is incomplete: ${why}; nothing was kept or imported`,
    `Run the command again; if it keeps failing, download the table at ${ctx.web} and import it with \`bimo import FILE\`.`,
  );
}

function tooLarge(ctx: Context, save: SaveOptions, bytes: number): BimoError {
  return new BimoError(
    'BIMO_E_REMOTE',
    `the table from ${ctx.describe} exceeds the download limit of ${mb(save.maxBytes)} (${mb(bytes)})`,
    'Request less at once: --regional-key (e.g. 05358,05366), --start-year/--end-year.',
  );
}
