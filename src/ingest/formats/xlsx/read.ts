/**
 * Excel 2007+ workbooks (.xlsx, Office Open XML SpreadsheetML): a ZIP package of XML parts.
 * `xl/workbook.xml` lists the sheets with relationship ids, `xl/_rels/workbook.xml.rels` maps
 * them to their parts, `xl/sharedStrings.xml` holds the text of `t="s"` cells (plain `<t>` or
 * rich-text runs `<r><t>`), and each worksheet's `<sheetData>` has `<row>`s of `<c>` cells whose
 * `t` attribute says how to read `<v>` (number, shared string, formula string, boolean, error)
 * or the inline `<is>`. Formulas contribute their cached `<v>`; styles are ignored, so dates
 * stay serial numbers. `r` attributes of rows and cells may be missing (then the next one).
 */
import { BimoError } from '../../../domain/index.ts';
import {
  WorkbookBuilder,
  cellPlace,
  parseCellRef,
  type CellValue,
  type SheetBuilder,
  type Workbook,
} from '../workbook/index.ts';
import { Package } from './archive.ts';
import { attr, parseXml } from './xml.ts';

const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function malformed(file: string, what: string, details: Record<string, unknown> = {}): BimoError {
  return new BimoError(
    'BIMO_E_PARSE',
    `${file}: ${what}`,
    'The workbook is damaged: download it again, or open it in Excel or LibreOffice and save it again.',
    { file, format: 'xlsx', ...details },
  );
}

/** OOXML escapes characters that XML cannot carry as `_xHHHH_` (e.g. `_x000D_` for CR). */
function unescapeXstring(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Part name of a relationship target, relative to the folder of `xl/workbook.xml`. */
function resolveTarget(target: string): string {
  const parts = target.startsWith('/') ? [] : ['xl'];
  for (const seg of target.replace(/^\/+/, '').split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

function readRels(pkg: Package, file: string): Map<string, { type: string; part: string }> {
  const rels = new Map<string, { type: string; part: string }>();
  const bytes = pkg.read('xl/_rels/workbook.xml.rels');
  if (!bytes) return rels;
  parseXml(bytes, file, 'xl/_rels/workbook.xml.rels', {
    open(name, a) {
      if (name !== 'Relationship' || attr(a, 'TargetMode') === 'External') return;
      const id = attr(a, 'Id');
      const target = attr(a, 'Target');
      if (id && target) rels.set(id, { type: attr(a, 'Type') ?? '', part: resolveTarget(target) });
    },
  });
  return rels;
}

/** Text of each `<si>`: its `<t>`s in order, phonetic guides (`<rPh>`) left out. */
function readSharedStrings(bytes: Uint8Array, file: string, part: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inT = false;
  let phonetic = 0;
  parseXml(bytes, file, part, {
    open(name) {
      if (name === 'si') cur = '';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inT = true;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') out.push(unescapeXstring(cur));
    },
    text(t) {
      if (inT) cur += t;
    },
  });
  return out;
}

function readSheet(
  bytes: Uint8Array,
  file: string,
  part: string,
  sheet: SheetBuilder,
  sst: string[],
): void {
  const name = sheet.sheet.name;
  let row = -1;
  let col = -1;
  let cell: { row: number; col: number; type: string } | null = null;
  let value = '';
  let hasValue = false;
  let capture = false;
  let phonetic = 0;
  const bad = (what: string) =>
    malformed(file, `${cellPlace(name, (cell?.row ?? row) + 1, (cell?.col ?? col) + 1)}: ${what}`, {
      sheet: name,
    });
  const convert = (type: string, text: string): CellValue => {
    switch (type) {
      case 's': {
        const i = /^\d+$/.test(text.trim()) ? Number(text.trim()) : -1;
        const s = sst[i];
        if (s === undefined)
          throw bad(
            `shared string "${text.slice(0, 20)}" does not exist (the table has ${sst.length})`,
          );
        return s;
      }
      case 'str':
      case 'inlineStr':
      case 'd':
        return unescapeXstring(text);
      case 'b':
        if (text.trim() === '1' || text.trim() === '0') return text.trim() === '1';
        throw bad(`"${text.slice(0, 20)}" is not a boolean`);
      case 'e':
        return { error: text.trim() };
      case 'n':
      case '': {
        const t = text.trim();
        const n = Number(t);
        if (!NUMBER_RE.test(t) || !Number.isFinite(n))
          throw bad(`"${t.slice(0, 30)}" is not a number`);
        return n;
      }
      default:
        throw bad(`unknown cell type t="${type.slice(0, 20)}"`);
    }
  };
  parseXml(bytes, file, part, {
    open(tag, a) {
      if (tag === 'row') {
        const r = attr(a, 'r');
        row = r === undefined ? row + 1 : /^\d{1,7}$/.test(r) ? Number(r) - 1 : -2;
        if (row < 0 || row >= MAX_ROWS) throw bad(`row number "${r}" is outside 1–${MAX_ROWS}`);
        col = -1;
      } else if (tag === 'c') {
        const r = attr(a, 'r');
        if (r !== undefined) {
          const ref = parseCellRef(r);
          if (!ref || ref.row > MAX_ROWS || ref.column > MAX_COLUMNS)
            throw bad(`"${r.slice(0, 20)}" is not a cell reference`);
          row = ref.row - 1;
          col = ref.column - 1;
        } else {
          row = Math.max(row, 0);
          col++;
          if (col >= MAX_COLUMNS) throw bad(`more than ${MAX_COLUMNS} columns`);
        }
        cell = { row, col, type: attr(a, 't') ?? '' };
        value = '';
        hasValue = false;
      } else if (cell && tag === 'v') {
        capture = true;
        hasValue = true;
      } else if (cell && tag === 'rPh') {
        phonetic++;
      } else if (cell && tag === 't' && phonetic === 0 && cell.type === 'inlineStr') {
        capture = true;
        hasValue = true;
      }
    },
    close(tag) {
      if (tag === 'v' || tag === 't') capture = false;
      else if (tag === 'rPh') phonetic--;
      else if (tag === 'c' && cell) {
        const text = cell.type === 'str' || cell.type === 'inlineStr' || value.trim() !== '';
        if (hasValue) sheet.set(cell.row, cell.col, text ? convert(cell.type, value) : null);
        cell = null;
      }
    },
    text(t) {
      if (capture) value += t;
    },
  });
}

/** Reads the cell values of every worksheet (chart sheets and dialog sheets are skipped). */
export function readXlsx(bytes: Uint8Array, fileName: string): Workbook {
  const pkg = new Package(bytes, fileName);
  const wbBytes = pkg.read('xl/workbook.xml');
  if (!wbBytes) {
    throw new BimoError(
      'BIMO_E_PARSE',
      `${fileName} is a ZIP file without xl/workbook.xml, so it is no Excel workbook`,
      'Import Excel workbooks (.xlsx) as saved by Excel or LibreOffice; .xlsb and .ods are not read.',
      { file: fileName, format: 'xlsx' },
    );
  }
  const sheets: { name: string; rid: string }[] = [];
  parseXml(wbBytes, fileName, 'xl/workbook.xml', {
    open(name, a) {
      if (name === 'sheet')
        sheets.push({ name: attr(a, 'name') ?? '', rid: attr(a, 'id', true) ?? '' });
    },
  });
  const rels = readRels(pkg, fileName);
  const rel = [...rels.values()];
  const sstPart =
    rel.find((r) => r.type.endsWith('/sharedStrings'))?.part ?? 'xl/sharedStrings.xml';
  const sstBytes = pkg.read(sstPart);
  const sst = sstBytes ? readSharedStrings(sstBytes, fileName, sstPart) : [];
  const builder = new WorkbookBuilder(fileName);
  for (const s of sheets) {
    const target = rels.get(s.rid);
    if (target && !target.type.endsWith('/worksheet')) continue; // chart or dialog sheet
    const data = target ? pkg.read(target.part) : null;
    if (!data) {
      throw malformed(
        fileName,
        `sheet "${s.name}" has no worksheet part (relationship "${s.rid}")`,
        {
          sheet: s.name,
        },
      );
    }
    readSheet(data, fileName, target?.part ?? '', builder.addSheet(s.name), sst);
  }
  return builder.finish();
}
