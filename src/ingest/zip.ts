/**
 * ZIP archives as the GENESIS API delivers them (one CSV per archive). Sizes are checked from the
 * central directory before anything is inflated, so a ZIP bomb is refused, not unpacked.
 */
import { unzipSync } from 'fflate';
import { BimoError } from '../domain/index.ts';

/** Largest uncompressed member and total we unpack (the biggest GENESIS tables are far below). */
export const MAX_MEMBER_BYTES = 2 * 1024 ** 3 - 1;
export const MAX_TOTAL_BYTES = 2 * 1024 ** 3 - 1;
/** A compression ratio above this is treated as a bomb (CSV compresses ~10–30×). */
export const MAX_RATIO = 200;

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function unzipMembers(
  bytes: Uint8Array,
  file: string,
): { name: string; bytes: Uint8Array }[] {
  let total = 0;
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
        return true;
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
  const members = Object.entries(out).map(([name, data]) => ({ name, bytes: data }));
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
