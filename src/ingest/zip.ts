/**
 * ZIP archives as the GENESIS API delivers them (one CSV per archive). Sizes are checked from the
 * central directory before anything is inflated, so a ZIP bomb is refused, not unpacked.
 */
import { openSync, closeSync, writeSync } from 'node:fs';
import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { BimoError } from '../domain/index.ts';

/** Largest uncompressed member and total we unpack (the biggest GENESIS tables are far below). */
export const MAX_MEMBER_BYTES = 2 * 1024 ** 3 - 1;
export const MAX_TOTAL_BYTES = 2 * 1024 ** 3 - 1;
/** A compression ratio above this is treated as a bomb (CSV compresses ~10–30×). */
export const MAX_RATIO = 200;

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export interface ZipMember {
  name: string;
  /** Uncompressed size. */
  size: number;
  /** The unpacked bytes, or null for a member above `maxInMemory` (unpack it with extractMember). */
  bytes: Uint8Array | null;
}

/**
 * Members of an archive, sorted by name; members above `maxInMemory` are listed but left packed.
 */
export function unzipMembers(
  bytes: Uint8Array,
  file: string,
  maxInMemory: number = MAX_MEMBER_BYTES,
): ZipMember[] {
  let total = 0;
  const sizes = new Map<string, number>();
  let out: Record<string, Uint8Array>;
  try {
    out = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
        total += f.originalSize;
        const ratio = f.size > 0 ? f.originalSize / f.size : 0;
        if (f.originalSize > MAX_MEMBER_BYTES || total > MAX_TOTAL_BYTES || ratio > MAX_RATIO) {
          throw new BimoError(
            'BIMO_E_PARSE',
            `${file}: member ${f.name} would unpack to ${f.originalSize} bytes (ratio ${ratio.toFixed(0)}:1); refused as a possible ZIP bomb`,
            'Unpack the archive yourself and import the CSV inside, if you trust it.',
            { file, member: f.name },
          );
        }
        sizes.set(f.name, f.originalSize);
        return f.originalSize <= maxInMemory;
      },
    });
  } catch (err) {
    if (err instanceof BimoError) throw err;
    throw new BimoError(
      'BIMO_E_PARSE',
      `${file} is not a readable ZIP archive: ${(err as Error).message}`,
      'Download the file again; it may be truncated.',
      { file },
    );
  }
  const members = [...sizes].map(([name, size]) => ({ name, size, bytes: out[name] ?? null }));
  if (members.length === 0) {
    throw new BimoError(
      'BIMO_E_PARSE',
      `${file} is an empty ZIP archive`,
      'Download the table again.',
      { file },
    );
  }
  return members.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Unpacks one member to a file chunk by chunk (for members too large to hold in memory). The
 * sizes were checked by unzipMembers; the written total is checked again against the header.
 */
export async function extractMember(bytes: Uint8Array, name: string, dest: string): Promise<void> {
  const fd = openSync(dest, 'w');
  let written = 0;
  let failure: Error | null = null;
  try {
    const unzip = new Unzip((f) => {
      if (f.name !== name) return;
      f.ondata = (err, chunk) => {
        if (err) {
          failure = err;
          return;
        }
        written += chunk.length;
        if (written > MAX_MEMBER_BYTES) {
          failure = new Error(`member ${name} unpacks to more than its header says`);
          f.terminate();
          return;
        }
        writeSync(fd, chunk);
      };
      f.start();
    });
    unzip.register(UnzipInflate);
    const step = 1 << 20;
    for (let i = 0; i < bytes.length && !failure; i += step) {
      unzip.push(bytes.subarray(i, i + step), i + step >= bytes.length);
    }
  } catch (err) {
    failure = err as Error;
  } finally {
    closeSync(fd);
  }
  if (failure) {
    throw new BimoError(
      'BIMO_E_PARSE',
      `${name} in the ZIP archive cannot be unpacked: ${(failure as Error).message}`,
      'Download the file again; it may be truncated.',
      { member: name },
    );
  }
}
