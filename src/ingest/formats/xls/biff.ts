/**
 * The BIFF workbook stream of Excel 5.0–2003 (BIFF5/7 and BIFF8) → Workbook. The stream opens
 * with the workbook globals (BOF … EOF: code page, encryption, one BOUNDSHEET per sheet with the
 * offset of its substream, the shared string table), followed by one BOF … EOF substream per
 * sheet holding its cell records. Only cell values are read: numbers (NUMBER, RK, MULRK), text
 * (LABELSST, LABEL, RSTRING), booleans and errors (BOOLERR), and the cached results of formulas
 * (FORMULA, with a STRING record for text results). Formats, styles and formulas are ignored.
 */
import { BimoError } from '../../../domain/index.ts';
import {
  WorkbookBuilder,
  cellPlace,
  type CellValue,
  type SheetBuilder,
  type Workbook,
} from '../workbook/index.ts';
import {
  OLD_BOF,
  RT,
  RecordReader,
  damaged,
  decodeRk,
  errorText,
  hex,
  need,
  view,
  type BiffRecord,
} from './records.ts';
import { SegmentReader, codepageDecoder } from './strings.ts';

interface SheetEntry {
  name: string;
  /** BIFF5/7: the name's bytes, decoded once the code page is known. */
  nameBytes: Uint8Array | null;
  offset: number;
  /** 0 worksheet, 1 macro sheet, 2 chart, 6 VBA module. */
  kind: number;
}

interface Globals {
  biff: 5 | 8;
  sheets: SheetEntry[];
  sst: string[];
  decode8: (bytes: Uint8Array) => string;
}

const OLD_FIX =
  'Open the file in Excel or LibreOffice and save it as .xlsx (or as Excel 97–2003 .xls).';

/** BIFF version from the first BOF record of the stream. */
function biffVersion(rec: BiffRecord | null, file: string): 5 | 8 {
  if (rec && OLD_BOF.has(rec.type)) {
    throw new BimoError(
      'BIMO_E_PARSE',
      `${file} is an Excel 2.x–4.0 worksheet (BIFF2–4), which bimo does not read`,
      OLD_FIX,
      { file, format: 'xls' },
    );
  }
  if (!rec || rec.type !== RT.BOF) {
    throw damaged(file, 'the workbook stream does not start with a BOF record');
  }
  const version = need(rec, 4, file).getUint16(0, true);
  if (version === 0x0600) return 8;
  if (version === 0x0500) return 5;
  throw new BimoError('BIMO_E_PARSE', `${file}: unknown BIFF version ${hex(version)}`, OLD_FIX, {
    file,
    format: 'xls',
  });
}

function readSst(parts: Uint8Array[], file: string): string[] {
  const r = new SegmentReader(parts, file, 'the shared string table (SST)');
  if (r.remaining() < 8) throw damaged(file, 'the shared string table (SST) is cut');
  r.u32(); // total number of string uses
  const unique = r.u32();
  const out: string[] = [];
  // The declared count is not trusted for allocation: the loop ends with the bytes.
  while (out.length < unique && r.remaining() > 0) out.push(r.unicodeString());
  return out;
}

function readGlobals(records: RecordReader, file: string): Globals {
  const biff = biffVersion(records.next(), file);
  const sheets: SheetEntry[] = [];
  let sst: string[] = [];
  let codepage = 1252;
  for (;;) {
    const rec = records.next();
    if (!rec)
      throw damaged(file, 'the workbook globals end without an EOF record (the file is cut)');
    if (rec.type === RT.EOF) break;
    if (rec.type === RT.FILEPASS) {
      throw new BimoError(
        'BIMO_E_PARSE',
        `${file} is encrypted (password-protected), so bimo cannot read it`,
        'Open it in Excel or LibreOffice with the password, remove the protection and save it again.',
        { file, format: 'xls' },
      );
    } else if (rec.type === RT.CODEPAGE) {
      codepage = need(rec, 2, file).getUint16(0, true);
    } else if (rec.type === RT.BOUNDSHEET) {
      const dv = need(rec, biff === 8 ? 8 : 7, file);
      const entry: SheetEntry = {
        name: '',
        nameBytes: null,
        offset: dv.getUint32(0, true),
        kind: dv.getUint8(5),
      };
      if (biff === 8) {
        entry.name = new SegmentReader([rec.data], file, 'a sheet name', 6).unicodeString(1);
      } else {
        const len = dv.getUint8(6);
        if (rec.data.length < 7 + len)
          throw damaged(file, `a sheet name at offset ${rec.offset} is cut`);
        entry.nameBytes = rec.data.subarray(7, 7 + len);
      }
      sheets.push(entry);
    } else if (rec.type === RT.SST && biff === 8) {
      sst = readSst(records.withContinues(rec), file);
    }
  }
  // BIFF5/7 strings are bytes in the code page; BIFF8 is Unicode throughout (its CODEPAGE is 1200).
  const decode8 = biff === 5 ? codepageDecoder(codepage, file) : () => '';
  for (const s of sheets) if (s.nameBytes) s.name = decode8(s.nameBytes);
  return { biff, sheets, sst, decode8 };
}

/** Text of a LABEL/RSTRING record (at offset 6) or a STRING record (at 0), by BIFF version. */
function recordText(
  parts: Uint8Array[],
  at: number,
  g: Globals,
  file: string,
  what: string,
): string {
  if (g.biff === 8) return new SegmentReader(parts, file, what, at).unicodeString(2);
  const data = parts[0] as Uint8Array;
  if (data.length < at + 2) throw damaged(file, `${what} is cut`);
  const len = view(data).getUint16(at, true);
  if (data.length < at + 2 + len) throw damaged(file, `${what} is cut`);
  return g.decode8(data.subarray(at + 2, at + 2 + len));
}

/** Reads one sheet substream from its BOF to the matching EOF; returns the offset after it. */
function readSheet(
  records: RecordReader,
  entry: SheetEntry,
  sheet: SheetBuilder,
  g: Globals,
  file: string,
): number {
  const where = `sheet "${entry.name}"`;
  records.pos = entry.offset;
  const bof = records.next();
  if (!bof || bof.type !== RT.BOF) {
    throw damaged(file, `${where}: its offset ${entry.offset} does not point to a BOF record`);
  }
  let depth = 1; // embedded charts bring their own BOF … EOF
  let pendingString: { row: number; col: number } | null = null;
  for (;;) {
    const rec = records.next();
    if (!rec) throw damaged(file, `${where} ends without an EOF record (the file is cut)`);
    if (rec.type === RT.BOF) depth++;
    else if (rec.type === RT.EOF && --depth === 0) return records.pos;
    if (depth !== 1) continue;
    const cell = (size: number) => {
      const dv = need(rec, size, file);
      return { dv, row: dv.getUint16(0, true), col: dv.getUint16(2, true) };
    };
    const put = (row: number, col: number, v: CellValue) => sheet.set(row, col, v);
    switch (rec.type) {
      case RT.NUMBER: {
        const { dv, row, col } = cell(14);
        put(row, col, dv.getFloat64(6, true));
        break;
      }
      case RT.RK: {
        const { dv, row, col } = cell(10);
        put(row, col, decodeRk(dv.getUint32(6, true)));
        break;
      }
      case RT.MULRK: {
        const { dv, row, col } = cell(12);
        const n = Math.floor((rec.data.length - 6) / 6);
        for (let i = 0; i < n; i++) put(row, col + i, decodeRk(dv.getUint32(6 + i * 6, true)));
        break;
      }
      case RT.LABELSST: {
        const { dv, row, col } = cell(10);
        const index = dv.getUint32(6, true);
        const text = g.sst[index];
        if (text === undefined) {
          throw damaged(
            file,
            `${cellPlace(entry.name, row + 1, col + 1)}: shared string ${index} does not exist (the table has ${g.sst.length})`,
          );
        }
        put(row, col, text);
        break;
      }
      case RT.LABEL:
      case RT.RSTRING: {
        const { row, col } = cell(8);
        put(row, col, recordText(records.withContinues(rec), 6, g, file, `${where}, a text cell`));
        break;
      }
      case RT.BOOLERR: {
        const { dv, row, col } = cell(8);
        const v = dv.getUint8(6);
        put(row, col, dv.getUint8(7) ? { error: errorText(v) } : v !== 0);
        break;
      }
      case RT.FORMULA: {
        const { dv, row, col } = cell(20);
        pendingString = null;
        if (dv.getUint16(12, true) !== 0xffff) {
          put(row, col, dv.getFloat64(6, true));
          break;
        }
        const kind = dv.getUint8(6);
        if (kind === 0) pendingString = { row, col };
        else if (kind === 1) put(row, col, dv.getUint8(8) !== 0);
        else if (kind === 2) put(row, col, { error: errorText(dv.getUint8(8)) });
        else if (kind === 3) put(row, col, '');
        break;
      }
      case RT.STRING: {
        const text = recordText(
          records.withContinues(rec),
          0,
          g,
          file,
          `${where}, a formula result`,
        );
        if (pendingString) put(pendingString.row, pendingString.col, text);
        pendingString = null;
        break;
      }
      default:
        break;
    }
  }
}

/** Reads the workbook stream ("Workbook" or, for Excel 5/95, "Book") of a compound file. */
export function readBiff(stream: Uint8Array, file: string): Workbook {
  const records = new RecordReader(stream, file);
  const g = readGlobals(records, file);
  const builder = new WorkbookBuilder(file);
  const worksheets = g.sheets
    .filter((s) => s.kind === 0)
    .map((entry) => ({ entry, sheet: builder.addSheet(entry.name) }));
  // Substreams must follow the globals and each other without overlapping: every byte of the
  // stream is read at most once, whatever offsets the file claims.
  let end = records.pos;
  for (const { entry, sheet } of [...worksheets].sort((a, b) => a.entry.offset - b.entry.offset)) {
    if (entry.offset < end) {
      throw damaged(
        file,
        `sheet "${entry.name}" starts at offset ${entry.offset}, inside the data before it (ends at ${end})`,
      );
    }
    end = readSheet(records, entry, sheet, g, file);
  }
  return builder.finish();
}
