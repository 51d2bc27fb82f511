/**
 * The ImportReport: what an import accepted, skipped and rejected, each finding with its place
 * in the file (line and column, 1-based) and a fix a non-programmer can act on.
 */
import type { Flag } from '../domain/index.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface ImportIssue {
  severity: Severity;
  line: number;
  column: number;
  /** For a workbook: the cell as Excel shows it (`Sheet "Daten", B12`); line/column are its row and column. */
  cell?: string;
  code: string;
  message: string;
  fix: string;
}

export interface ImportReport {
  file: string;
  format: string;
  tableCode: string | null;
  encoding: string | null;
  sha256: string;
  /** imported: written; unchanged: the same bytes were imported before; dry-run: not written; rejected: errors, nothing written. */
  status: 'imported' | 'unchanged' | 'dry-run' | 'rejected';
  releaseId: number | null;
  /** `recipe <file>` or `generic (no recipe …)`. */
  mapping: string | null;
  rows: { total: number; accepted: number; skipped: number; rejected: number };
  observations: number;
  /**
   * The region codes the file writes (distinct, sorted): the regions of its values, or for a
   * Sozialraumliste the Gemeinden its units belong to. The policy decides by them who may
   * import the file (an editor: own regions only). Empty when nothing could be mapped.
   */
  regions: string[];
  flags: Partial<Record<Flag, number>>;
  /** For a Sozialraumliste: how many units it adds, changes and repeats unchanged. */
  areas?: { added: number; changed: number; unchanged: number };
  issues: ImportIssue[];
}

/** Distinct region codes, sorted: the `regions` of a report. */
export function regionList(codes: Iterable<string>): string[] {
  return [...new Set(codes)].sort();
}

/** One-paragraph German/English summary for the CLI. */
export function formatReport(r: ImportReport): string {
  const lines = [
    `${r.file}: ${r.status} (${r.format}${r.tableCode ? `, Tabelle ${r.tableCode}` : ''}${r.encoding ? `, ${r.encoding}` : ''}${r.mapping ? `; ${r.mapping}` : ''})`,
    `  rows: ${r.rows.total} total, ${r.rows.accepted} accepted, ${r.rows.skipped} skipped, ${r.rows.rejected} rejected; ${r.observations} values` +
      (r.releaseId !== null ? `; release ${r.releaseId}` : ''),
  ];
  if (r.areas) {
    lines[1] = `  Sozialräume: ${r.areas.added} new, ${r.areas.changed} changed, ${r.areas.unchanged} unchanged`;
  }
  const flagText = Object.entries(r.flags)
    .map(([f, n]) => `'${f}' ×${n}`)
    .join(', ');
  if (flagText) lines.push(`  special signs kept as flags: ${flagText}`);
  const shown = r.issues.filter((i) => i.severity !== 'info').slice(0, 20);
  for (const i of shown) {
    lines.push(
      `  ${i.severity} ${r.file}${i.cell ? ` (${i.cell})` : `:${i.line}:${i.column}`} ${i.code}: ${i.message} — ${i.fix}`,
    );
  }
  const hidden = r.issues.filter((i) => i.severity !== 'info').length - shown.length;
  if (hidden > 0) lines.push(`  … and ${hidden} more (use --format json for all)`);
  return lines.join('\n');
}
