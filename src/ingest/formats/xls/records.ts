/**
 * BIFF records ([MS-XLS] 2.1.4): a workbook stream is a sequence of records, each a 16-bit type,
 * a 16-bit length and that many bytes. This module walks them with every length checked against
 * the stream and decodes the small value encodings (RK numbers, error codes).
 */
import { BimoError } from '../../../domain/index.ts';

/** Record types read by this reader (the rest is skipped). */
export const RT = {
  BOF: 0x0809,
  EOF: 0x000a,
  FILEPASS: 0x002f,
  CODEPAGE: 0x0042,
  BOUNDSHEET: 0x0085,
  SST: 0x00fc,
  CONTINUE: 0x003c,
  LABELSST: 0x00fd,
  LABEL: 0x0204,
  RSTRING: 0x00d6,
  NUMBER: 0x0203,
  RK: 0x027e,
  MULRK: 0x00bd,
  FORMULA: 0x0006,
  STRING: 0x0207,
  BOOLERR: 0x0205,
  BLANK: 0x0201,
  MULBLANK: 0x00be,
} as const;

/** BOF record types of Excel 2.x, 3.0 and 4.0 (BIFF2–4), which have no workbook globals. */
export const OLD_BOF = new Set([0x0009, 0x0209, 0x0409]);

export interface BiffRecord {
  type: number;
  data: Uint8Array;
  /** Offset of the record header in the stream. */
  offset: number;
}

export function damaged(file: string, what: string): BimoError {
  return new BimoError(
    'BIMO_E_PARSE',
    `${file}: ${what}`,
    'The workbook is damaged: download it again, or open it in Excel or LibreOffice and save it as .xlsx.',
    { file, format: 'xls' },
  );
}

export const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/** Sequential access to the records of a stream. */
export class RecordReader {
  pos = 0;

  constructor(
    readonly stream: Uint8Array,
    private readonly file: string,
  ) {}

  /** The next record, or null at the end of the stream. */
  next(): BiffRecord | null {
    const s = this.stream;
    if (this.pos >= s.length) return null;
    if (this.pos + 4 > s.length) {
      throw damaged(
        this.file,
        `the workbook stream is cut inside a record header at offset ${this.pos}`,
      );
    }
    const type = (s[this.pos] as number) | ((s[this.pos + 1] as number) << 8);
    const size = (s[this.pos + 2] as number) | ((s[this.pos + 3] as number) << 8);
    const offset = this.pos;
    if (offset + 4 + size > s.length) {
      throw damaged(
        this.file,
        `record ${hex(type)} at offset ${offset} claims ${size} bytes, but only ${s.length - offset - 4} remain`,
      );
    }
    this.pos = offset + 4 + size;
    return { type, data: s.subarray(offset + 4, offset + 4 + size), offset };
  }

  /** The type of the next record without consuming it (null at the end or a cut header). */
  peekType(): number | null {
    const s = this.stream;
    if (this.pos + 4 > s.length) return null;
    return (s[this.pos] as number) | ((s[this.pos + 1] as number) << 8);
  }

  /** A record's data followed by the data of the CONTINUE records right after it. */
  withContinues(first: BiffRecord): Uint8Array[] {
    const parts = [first.data];
    while (this.peekType() === RT.CONTINUE) parts.push((this.next() as BiffRecord).data);
    return parts;
  }
}

export function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** Refuses a record shorter than its fixed part. */
export function need(rec: BiffRecord, size: number, file: string): DataView {
  if (rec.data.length < size) {
    throw damaged(
      file,
      `record ${hex(rec.type)} at offset ${rec.offset} has ${rec.data.length} bytes, needs at least ${size}`,
    );
  }
  return view(rec.data);
}

/**
 * RK number ([MS-XLS] 2.5.217): bit 1 says a 30-bit signed integer, else the top 30 bits of an
 * IEEE double (the low 34 bits zero); bit 0 says the value is to be divided by 100.
 */
export function decodeRk(rk: number): number {
  let value: number;
  if (rk & 0x02) {
    value = rk >> 2;
  } else {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setUint32(4, (rk & 0xfffffffc) >>> 0, true);
    value = dv.getFloat64(0, true);
  }
  return rk & 0x01 ? value / 100 : value;
}

const ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

export function errorText(code: number): string {
  return ERRORS[code] ?? `#ERROR${code}`;
}
