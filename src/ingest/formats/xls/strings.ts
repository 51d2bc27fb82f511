/**
 * Strings in BIFF records. BIFF8 stores Unicode strings either "compressed" (one byte per
 * character, the high byte of UTF-16 left out, i.e. U+0000–U+00FF) or as UTF-16LE, switched by a
 * flag byte; rich-text runs and East Asian phonetic data may follow the characters. A long string
 * (the shared string table, a formula's string result) is split over CONTINUE records, and where
 * the split falls inside the characters the next record starts with a fresh flag byte, so the
 * encoding may change mid-string. BIFF5/7 strings are plain bytes in the workbook's CODEPAGE.
 */
import { windows1252 } from '../../decode.ts';
import { BimoError } from '../../../domain/index.ts';
import { damaged } from './records.ts';

/** Characters U+0000–U+00FF from one byte each (not windows-1252: BIFF8 drops the high byte). */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

const utf16 = new TextDecoder('utf-16le');

/**
 * Reads across a record and its CONTINUE records as one byte sequence, except for string
 * characters, where each new record begins with a flag byte (see the module header).
 */
export class SegmentReader {
  private seg = 0;
  private pos: number;

  constructor(
    private readonly segments: Uint8Array[],
    private readonly file: string,
    private readonly what: string,
    start = 0,
  ) {
    this.pos = start;
  }

  /** Bytes left in all segments. */
  remaining(): number {
    let n = (this.segments[this.seg]?.length ?? 0) - this.pos;
    for (let i = this.seg + 1; i < this.segments.length; i++) n += this.segments[i]?.length ?? 0;
    return n;
  }

  private current(): Uint8Array {
    for (;;) {
      const s = this.segments[this.seg];
      if (!s) throw damaged(this.file, `${this.what} ends in the middle of a string`);
      if (this.pos < s.length) return s;
      this.seg++;
      this.pos = 0;
    }
  }

  u8(): number {
    const s = this.current();
    return s[this.pos++] as number;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() + this.u16() * 0x10000) >>> 0;
  }

  /** Skips n bytes (rich-text runs, phonetic data) across record boundaries. */
  skip(n: number): void {
    if (n > this.remaining()) throw damaged(this.file, `${this.what} is cut inside a string`);
    let left = n;
    while (left > 0) {
      const s = this.current();
      const step = Math.min(left, s.length - this.pos);
      this.pos += step;
      left -= step;
    }
  }

  /** `count` characters, starting compressed or not; new records bring a new flag byte. */
  chars(count: number, highByte: boolean): string {
    let out = '';
    let left = count;
    let wide = highByte;
    for (;;) {
      const s = this.segments[this.seg];
      if (!s) throw damaged(this.file, `${this.what} is cut inside a string`);
      const avail = Math.min(wide ? (s.length - this.pos) >> 1 : s.length - this.pos, left);
      const bytes = s.subarray(this.pos, this.pos + (wide ? avail * 2 : avail));
      out += wide ? utf16.decode(bytes) : latin1(bytes);
      this.pos += bytes.length;
      left -= avail;
      if (left === 0) return out;
      // The characters go on in the next CONTINUE record, which starts with its own flag byte.
      this.seg++;
      this.pos = 0;
      const next = this.segments[this.seg];
      if (!next || next.length === 0)
        throw damaged(this.file, `${this.what} is cut inside a string`);
      wide = ((next[0] as number) & 0x01) !== 0;
      this.pos = 1;
    }
  }

  /**
   * A BIFF8 XLUnicodeRichExtendedString (shared strings) or XLUnicodeString (cch of 16 bits)
   * or ShortXLUnicodeString (cch of 8 bits): the characters; rich runs and phonetic data skipped.
   */
  unicodeString(cchBytes: 1 | 2 = 2): string {
    const cch = cchBytes === 1 ? this.u8() : this.u16();
    const flags = this.u8();
    const runs = flags & 0x08 ? this.u16() : 0;
    const ext = flags & 0x04 ? this.u32() : 0;
    const text = this.chars(cch, (flags & 0x01) !== 0);
    if (runs > 0) this.skip(runs * 4);
    if (ext > 0) this.skip(ext);
    return text;
  }
}

/** TextDecoder labels for the Windows code pages of BIFF5/7 workbooks (CODEPAGE record). */
const CODEPAGES: Record<number, string> = {
  866: 'ibm866',
  874: 'windows-874',
  932: 'shift_jis',
  936: 'gbk',
  949: 'euc-kr',
  950: 'big5',
  1250: 'windows-1250',
  1251: 'windows-1251',
  1253: 'windows-1253',
  1254: 'windows-1254',
  1255: 'windows-1255',
  1256: 'windows-1256',
  1257: 'windows-1257',
  1258: 'windows-1258',
  10000: 'macintosh',
  10007: 'x-mac-cyrillic',
  32768: 'macintosh',
};

/** A decoder for 8-bit strings in the given code page; throws for code pages we cannot decode. */
export function codepageDecoder(codepage: number, file: string): (bytes: Uint8Array) => string {
  if (codepage === 1252 || codepage === 367 || codepage === 32769) return windows1252;
  const label = CODEPAGES[codepage];
  if (label === undefined) {
    throw new BimoError(
      'BIMO_E_PARSE',
      `${file}: the workbook's text is in code page ${codepage}, which bimo cannot decode`,
      'Open the workbook in Excel or LibreOffice and save it as .xlsx (Unicode).',
      { file, format: 'xls', codepage },
    );
  }
  const decoder = new TextDecoder(label);
  return (bytes) => decoder.decode(bytes);
}
