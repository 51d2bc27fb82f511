/**
 * Reading a `bimo dump` file for restore: gunzip, split into numbered lines, and name the line
 * in every complaint (cut-off gzip, a line without its end, invalid JSON, a missing line).
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { BimoError } from '../domain/index.ts';
import { dumpError } from './dump-format.ts';

export interface Line {
  n: number;
  text: string;
}

/**
 * The decompressed lines, numbered from 1. Only the new part of each chunk is searched, so a
 * line of many megabytes (a map geometry, an upload's bytes) costs linear time.
 */
export async function* readLines(input: Readable, source: string): AsyncGenerator<Line> {
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let n = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const text = decoder.write(chunk);
      let start = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
        yield { n: ++n, text: pending + text.slice(start, i) };
        pending = '';
        start = i + 1;
      }
      pending += text.slice(start);
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('Z_')) throw err;
    if (n === 0 && pending === '') {
      throw new BimoError(
        'BIMO_E_FORMAT_UNKNOWN',
        `${source} is not a gzip file (${(err as Error).message}).`,
        'Pass a file written by `bimo dump` (…jsonl.gz), unchanged.',
      );
    }
    throw dumpError(
      source,
      n + 1,
      `the gzip data is cut off or damaged (${(err as Error).message})`,
    );
  } finally {
    input.unpipe(gunzip);
    input.destroy();
    gunzip.destroy();
  }
  pending += decoder.end();
  if (pending !== '')
    throw dumpError(source, n + 1, 'the line is cut off (no line end): the file is truncated');
}

/** Pulls lines one by one, so that the parser can say which line it expected. */
export class LineSource {
  private last = 0;
  constructor(
    private readonly it: AsyncGenerator<Line>,
    readonly source: string,
  ) {}

  /** Stops reading (ends the gunzip stream) when the restore stops early. */
  async close(): Promise<void> {
    await this.it.return(undefined);
  }

  /** The next line, or null at the end of the file. */
  async next(): Promise<Line | null> {
    const r = await this.it.next();
    if (r.done) return null;
    this.last = r.value.n;
    return r.value;
  }

  /** The next line, which must exist. */
  async expect(what: string): Promise<Line> {
    const line = await this.next();
    if (!line)
      throw dumpError(
        this.source,
        this.last + 1,
        `the file ends here, expected ${what}: it is truncated`,
      );
    return line;
  }

  json(line: Line): unknown {
    try {
      return JSON.parse(line.text) as unknown;
    } catch (err) {
      throw dumpError(this.source, line.n, `not valid JSON (${(err as Error).message})`);
    }
  }

  fail(line: Line, what: string): BimoError {
    return dumpError(this.source, line.n, what);
  }
}
