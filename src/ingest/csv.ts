/**
 * CSV rows with their line numbers, read whole (small files) or streamed in batches with bounded
 * memory (large files). Both paths use csv-parse with the same options, so a format's row reader
 * sees the same rows either way.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseStream, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';

/** A CSV row with the line it starts on (1-based, in the whole file). */
export interface NumberedRow {
  row: string[];
  line: number;
}

interface InfoRecord {
  record: string[];
  info: { lines: number };
}

/** Start line of a record from the line it ends on (quoted fields may hold line breaks). */
function numbered({ record, info }: InfoRecord): NumberedRow {
  let breaks = 0;
  for (const field of record) if (field.includes('\n')) breaks += field.split('\n').length - 1;
  return { row: record, line: info.lines - breaks };
}

export function parseRows(text: string, options: Options): NumberedRow[] {
  const records = parseSync(text, { ...options, info: true }) as unknown as InfoRecord[];
  return records.map(numbered);
}

export interface StreamProgress {
  bytes: number;
  rows: number;
}

/**
 * Streams a file's rows in batches of about `batchSize`, decoding with `encoding` (a BOM is
 * dropped). `onProgress` is called once per batch. csv-parse errors are thrown with their line.
 */
export async function* streamRows(
  path: string,
  encoding: 'utf-8' | 'windows-1252',
  options: Options,
  batchSize = 10_000,
  onProgress?: (p: StreamProgress) => void,
): AsyncGenerator<NumberedRow[]> {
  let bytes = 0;
  async function* decoded(): AsyncGenerator<string> {
    const decoder = new TextDecoder(encoding);
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      bytes += (chunk as Buffer).length;
      yield decoder.decode(chunk as Buffer, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }
  const parser = parseStream({ ...options, info: true });
  // pipeline tears the file stream down when the parser fails or the consumer stops early; the
  // error itself surfaces through the iteration below.
  pipeline(Readable.from(decoded()), parser).catch(() => undefined);
  let batch: NumberedRow[] = [];
  let rows = 0;
  for await (const rec of parser as AsyncIterable<InfoRecord>) {
    batch.push(numbered(rec));
    if (batch.length >= batchSize) {
      rows += batch.length;
      onProgress?.({ bytes, rows });
      yield batch;
      batch = [];
    }
  }
  rows += batch.length;
  onProgress?.({ bytes, rows });
  if (batch.length > 0) yield batch;
}
