/**
 * GENESIS flat file CSV ("ffcsv"), both generations:
 * v5 (API since 2024/25): UTF-8 with BOM, English snake_case header, one value per row
 *   (`value;value_unit;value_variable_code;value_variable_label[;value_q]`), ISO periods;
 * v4: German header (`Statistik_Code;…;1_Merkmal_Code;…`), one value column per value variable
 *   named `CODE__Label__Unit` (quality columns end in `_q`), German dates.
 * The regional Merkmal (KREISE, DLAND, GEMEIN, …) gives the region key; the other Merkmale
 * become dims with their attribute codes (an empty code is the total).
 *
 * `rowReader` works on a header and rows, so whole files (`parse`) and streamed ones share it.
 */
import { parseCell } from '../../../domain/index.ts';
import { csvIssue, parseRows, readRecords, type CsvOptions, type NumberedRow } from '../../csv.ts';
import {
  emptyParsed,
  type ParsedFile,
  type RawDim,
  type RawRecord,
  type RowReader,
} from '../../records.ts';
import type { ImportIssue } from '../../report.ts';

const V5_HEAD = /^\uFEFF?statistics_code;statistics_label;time_code;time_label;time;/;
const V4_HEAD = /^\uFEFF?Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;/;

/** Merkmale that carry the region (Deutschland, Länder, Bezirke, Kreise, Gemeinden, Zensus geo). */
const REGION_MERKMALE = /^(DINSG|DG|DLAND|REGBEZ|KREISE|GEMEIN|FAMTGEM|PGEMEIN|GEO[A-Z]+\d*)$/;

/** CSV options for flat files, shared by the whole-file and the streaming reader. */
export const CSV_OPTIONS: CsvOptions = {};

export function detect(text: string): boolean {
  return V5_HEAD.test(text) || V4_HEAD.test(text);
}

/**
 * Table code from an API member name, if given: `12411-01-01-4_1773175772751_de_flat.csv`, or a
 * job result `12531-0043_673843136_flat.csv` (table code, job number).
 */
export function tableCodeFromName(name: string): string | null {
  const m = /(?:^|[\\/!])([A-Za-z0-9-]+?)_\d{6,}(?:_(?:de|en))?_flat/.exec(name);
  return m?.[1] ?? null;
}

/**
 * Reads the header (and the first data row, which names the regional Merkmal) and returns the
 * reader for the data rows, or the issues that make the file unreadable.
 */
export function rowReader(
  header: string[],
  first: string[] | undefined,
  fileName: string,
): { reader: RowReader | null; issues: ImportIssue[] } {
  const v5 = V5_HEAD.test(header.join(';'));
  const col = (name: string): number => header.indexOf(name);
  const blocks: { code: number; label: number; attr: number; attrLabel: number }[] = [];
  for (let n = 1; ; n++) {
    const code = v5 ? col(`${n}_variable_code`) : col(`${n}_Merkmal_Code`);
    if (code < 0) break;
    blocks.push({ code, label: code + 1, attr: code + 2, attrLabel: code + 3 });
  }
  const timeCol = v5 ? col('time') : col('Zeit');
  const statCode = v5 ? col('statistics_code') : col('Statistik_Code');
  const statLabel = v5 ? col('statistics_label') : col('Statistik_Label');
  // v5: one value per row; v4: one column per value variable.
  const valueCols: { index: number; q: number; code: string; label: string; unit: string }[] = [];
  if (v5) {
    valueCols.push({ index: col('value'), q: col('value_q'), code: '', label: '', unit: '' });
  } else {
    header.forEach((h, i) => {
      const m = /^([^_]+(?:_[^_]+)*?)__(.+?)__(.*)$/.exec(h);
      if (m && !h.endsWith('_q')) {
        valueCols.push({
          index: i,
          q: header.indexOf(`${h}_q`),
          code: m[1] ?? h,
          label: (m[2] ?? '').replace(/_/g, ' '),
          unit: m[3] ?? '',
        });
      }
    });
  }
  if (
    timeCol < 0 ||
    blocks.length === 0 ||
    valueCols.some((v) => v.index < 0) ||
    valueCols.length === 0
  ) {
    return {
      reader: null,
      issues: [
        {
          severity: 'error',
          line: 1,
          column: 1,
          code: 'BIMO_E_PARSE',
          message: 'the header of the flat file lacks the time, Merkmal or value columns',
          fix: 'Download the table again as ffcsv without removing columns.',
        },
      ],
    };
  }
  const regionBlock = blocks.find((b) => REGION_MERKMALE.test(first?.[b.code] ?? ''));
  if (!regionBlock) {
    return {
      reader: null,
      issues: [
        {
          severity: 'error',
          line: 2,
          column: 1,
          code: 'BIMO_E_PARSE',
          message: 'no regional Merkmal (KREISE, DLAND, GEMEIN, DINSG, …) in this flat file',
          fix: 'bimo stores regional data; download the table with a regional breakdown.',
        },
      ],
    };
  }
  const dimBlocks = blocks.filter((b) => b !== regionBlock);
  const varCode = col('value_variable_code');
  const varLabel = col('value_variable_label');
  const varUnit = col('value_unit');
  return {
    issues: [],
    reader: {
      meta: {
        format: v5 ? 'ffcsv-v5' : 'ffcsv-v4',
        tableCode: tableCodeFromName(fileName) ?? first?.[statCode] ?? 'unbekannt',
        title: first?.[statLabel] ?? '',
        statistic: first?.[statCode] ?? null,
        stand: null,
        footnotes: '',
        copyright: '',
      },
      records(row, line, issues) {
        if (row.length < header.length) {
          issues.push({
            severity: 'error',
            line,
            column: 1,
            code: 'BIMO_E_PARSE',
            message: `the row has ${row.length} fields, the header has ${header.length} (cut or broken file?)`,
            fix: 'Download the file again; it seems truncated or edited.',
          });
          return [];
        }
        const dims: RawDim[] = dimBlocks.map((b) => ({
          code: row[b.code] ?? '',
          label: row[b.label] ?? '',
          itemCode: row[b.attr] ?? '',
          itemLabel: row[b.attrLabel] ?? '',
        }));
        const out: RawRecord[] = [];
        for (const vc of valueCols) {
          const raw = (row[vc.index] ?? '').trim();
          const cell = parseCell(raw);
          const column = columnOf(row, vc.index);
          if (cell === null) {
            issues.push({
              severity: 'error',
              line,
              column,
              code: 'BIMO_E_PARSE',
              message: `"${raw}" is neither a number nor a special sign`,
              fix: 'Correct the value or download the file again.',
            });
            continue;
          }
          const q = vc.q >= 0 ? (row[vc.q] ?? '').trim() : '';
          out.push({
            line,
            column,
            period: (row[timeCol] ?? '').trim(),
            regionKey: (row[regionBlock.attr] ?? '').trim(),
            regionName: (row[regionBlock.attrLabel] ?? '').trim(),
            variable: v5
              ? { code: row[varCode] ?? '', label: row[varLabel] ?? '', unit: row[varUnit] ?? '' }
              : { code: vc.code, label: vc.label, unit: vc.unit },
            dims,
            cell: q === '()' && cell.value !== null ? { value: cell.value, flag: '()' } : cell,
            raw,
            ...(q !== '' ? { quality: q } : {}),
          });
        }
        return out;
      },
    },
  };
}

export function parse(text: string, fileName: string): ParsedFile {
  let rows: NumberedRow[];
  try {
    rows = parseRows(text, CSV_OPTIONS);
  } catch (err) {
    return empty(fileName, [csvError(err)]);
  }
  const { reader, issues } = rowReader(rows[0]?.row ?? [], rows[1]?.row, fileName);
  if (!reader) return empty(fileName, issues);
  const records = readRecords(rows, reader, issues);
  return { ...reader.meta, rowCount: rows.length - 1, records, issues };
}

/** The issue for a CSV that cannot be split into records (an unclosed quote), with its line. */
export function csvError(err: unknown): ImportIssue {
  return csvIssue(
    err,
    'the flat file',
    'Download the table again (format ffcsv); do not edit it in Excel.',
  );
}

/** 1-based character column of field `index` when the row is written back with `;`. */
function columnOf(row: string[], index: number): number {
  let c = 1;
  for (let i = 0; i < index; i++) c += (row[i] ?? '').length + 1;
  return c;
}

function empty(fileName: string, issues: ImportIssue[]): ParsedFile {
  return emptyParsed('ffcsv', tableCodeFromName(fileName) ?? 'unbekannt', issues);
}
