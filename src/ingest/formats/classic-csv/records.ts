/**
 * Classic table → RawRecords: each value column's stacked header labels become dims `H1`, `H2`, …
 * (header row number), text columns of the rows become dims `Z4`, … (field number).
 */
import type { ParsedFile, RawRecord } from '../../records.ts';
import type { ImportIssue } from '../../report.ts';
import type { ClassicTable } from './parse.ts';

/** `Absolvierende/Abgehende (Anzahl)` → unit `Anzahl`. */
function unitOf(table: ClassicTable): string {
  for (const line of [...table.titleLines].reverse()) {
    const m = /\(([^()]+)\)\s*$/.exec(line);
    if (m?.[1]) return m[1];
  }
  return '';
}

export function classicToParsed(table: ClassicTable, issues: ImportIssue[]): ParsedFile {
  const unit = unitOf(table);
  const variableLabel =
    table.titleLines[table.titleLines.length - 1]?.replace(/\s*\([^()]*\)\s*$/, '') ??
    table.tableCode;
  // Some IT.NRW tables repeat a column with the same header (22811-05i repeats the SGB II
  // column); the repeat gets its field number so that both values keep distinct cells.
  const seenPaths = new Set<string>();
  const paths = table.valueColumns.map((col) => {
    const key = col.path.map((p) => p.label).join('|') + (col.period ?? '');
    const repeated = seenPaths.has(key);
    seenPaths.add(key);
    if (!repeated || col.path.length === 0) return col.path;
    const last = col.path[col.path.length - 1];
    return [
      ...col.path.slice(0, -1),
      {
        row: last?.row ?? 1,
        label: `${last?.label ?? ''} (Wiederholung, Spalte ${col.index + 1})`,
      },
    ];
  });
  const records: RawRecord[] = [];
  for (const row of table.rows) {
    table.valueColumns.forEach((col, k) => {
      const cell = row.cells[k];
      if (!cell) return;
      records.push({
        line: row.line,
        column: cell.column,
        period: row.period || col.period || '',
        regionKey: row.key,
        regionName: row.name,
        variable: { code: table.tableCode, label: variableLabel, unit },
        dims: [
          ...(paths[k] ?? col.path).map((p) => ({
            code: `H${p.row}`,
            label: `Kopfzeile ${p.row}`,
            itemCode: '',
            itemLabel: p.label,
          })),
          ...row.rowDims.map((d) => ({
            code: `Z${d.index + 1}`,
            label: `Spalte ${d.index + 1}`,
            itemCode: '',
            itemLabel: d.label,
          })),
        ],
        cell: { value: cell.value, flag: cell.flag },
        raw: cell.raw,
      });
    });
  }
  return {
    format: 'classic-csv',
    tableCode: table.tableCode,
    title: table.titleLines.slice(0, -1).join(' ').replace(/\s+/g, ' ').trim() || table.tableCode,
    statistic: table.tableCode.slice(0, 5),
    stand: table.stand,
    // IT.NRW codes end in `i` (22811-01i); the copyright line names the publisher as well.
    database:
      /i$/.test(table.tableCode) || table.copyright.includes('IT.NRW')
        ? 'Landesdatenbank NRW (IT.NRW)'
        : 'Regionaldatenbank Deutschland / GENESIS',
    footnotes: table.footnotes,
    copyright: table.copyright,
    rowCount: table.rows.length,
    records,
    issues,
  };
}
