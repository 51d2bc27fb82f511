/**
 * The ZIP package of an .xlsx workbook, opened member by member with the ZIP-bomb guard of
 * src/ingest/zip.ts: sizes come from the central directory and are checked before a member is
 * inflated (the declared size is also the most fflate will write), and only the members the
 * reader asks for are inflated, one at a time.
 */
import { unzipSync } from 'fflate';
import { BimoError } from '../../../domain/index.ts';

/** Largest uncompressed XML part we inflate (5 million cells of sheet XML fit well below). */
export const MAX_PART_BYTES = 512 * 1024 ** 2;
/** Largest sum of inflated parts per workbook. */
export const MAX_TOTAL_BYTES = 1024 ** 3;
/** Compression ratio above which a part larger than 1 MiB is taken for a bomb (XML: ~5–20×). */
export const MAX_RATIO = 200;
/** More members than this is no spreadsheet (and would make listing slow). */
const MAX_MEMBERS = 100_000;

export interface MemberInfo {
  name: string;
  size: number;
  originalSize: number;
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function unreadable(file: string, err: unknown): BimoError {
  if (err instanceof BimoError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new BimoError(
    'BIMO_E_PARSE',
    `${file} is not a readable .xlsx (ZIP) file: ${reason}`,
    'Download the workbook again, or open it in Excel or LibreOffice and save it again.',
    { file, format: 'xlsx' },
  );
}

/** The members listed in the central directory; nothing is inflated. */
export function listMembers(bytes: Uint8Array, file: string): MemberInfo[] {
  if (!isZip(bytes)) throw unreadable(file, new Error('no ZIP signature'));
  const members: MemberInfo[] = [];
  // A central directory entry has at least 46 bytes: more entries than that cannot be real.
  const cap = Math.min(MAX_MEMBERS, Math.floor(bytes.length / 46) + 1);
  try {
    unzipSync(bytes, {
      filter: (f) => {
        if (members.length >= cap) throw new Error(`more than ${cap} members listed`);
        members.push({ name: f.name, size: f.size, originalSize: f.originalSize });
        return false;
      },
    });
  } catch (err) {
    throw unreadable(file, err);
  }
  return members;
}

/** True for a ZIP file whose central directory lists `xl/workbook.xml`. */
export function isXlsx(bytes: Uint8Array): boolean {
  if (!isZip(bytes)) return false;
  try {
    return listMembers(bytes, 'file').some((m) => m.name === 'xl/workbook.xml');
  } catch {
    return false;
  }
}

/** Opens members on demand, charging their sizes against the per-workbook budget. */
export class Package {
  private inflated = 0;
  readonly members: Map<string, MemberInfo>;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    this.members = new Map();
    // With duplicate names the first entry counts, here and in read().
    for (const m of listMembers(bytes, file))
      if (!this.members.has(m.name)) this.members.set(m.name, m);
  }

  has(name: string): boolean {
    return this.members.has(name);
  }

  /** The bytes of one member (null when it is missing). */
  read(name: string): Uint8Array | null {
    const info = this.members.get(name);
    if (!info) return null;
    // The compressed size is bounded by the archive itself, so a central directory cannot claim
    // a modest ratio for a member that is not there (fflate allocates the declared size).
    const packed = Math.min(info.size, this.bytes.length);
    const ratio = info.originalSize / Math.max(packed, 1);
    this.inflated += info.originalSize;
    if (
      info.originalSize > MAX_PART_BYTES ||
      this.inflated > MAX_TOTAL_BYTES ||
      (info.originalSize > 1024 ** 2 && ratio > MAX_RATIO)
    ) {
      throw new BimoError(
        'BIMO_E_PARSE',
        `${this.file}: part ${name} would unpack to ${info.originalSize} bytes (ratio ${ratio.toFixed(0)}:1, ${this.inflated} bytes in total); refused as a possible ZIP bomb`,
        'Export the needed sheet as CSV, or split the workbook.',
        { file: this.file, member: name, format: 'xlsx' },
      );
    }
    let out: Record<string, Uint8Array>;
    try {
      let seen = false;
      out = unzipSync(this.bytes, {
        filter: (f) => {
          // Only the first member of that name, exactly the one that was checked above.
          const take = !seen && f.name === name;
          if (take) seen = true;
          return take;
        },
      });
    } catch (err) {
      throw unreadable(this.file, err);
    }
    const data = out[name];
    if (!data) throw unreadable(this.file, new Error(`member ${name} cannot be read`));
    if (data.length !== info.originalSize) {
      throw unreadable(
        this.file,
        new Error(`member ${name} unpacks to ${data.length} bytes, not ${info.originalSize}`),
      );
    }
    return data;
  }
}
