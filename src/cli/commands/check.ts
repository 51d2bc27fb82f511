/**
 * `bimo check`: data quality checks over one release (src/indicators/checks/, docs/checks.md).
 * Prints the findings grouped by check, each with what was found, why it matters and what to do;
 * `--format json` prints them as a JSON array. Exit code 0 when no finding is an error, 1 otherwise,
 * so a script can stop a publication on errors while warnings are only read.
 */
import { runChecks, type Finding } from '../../indicators/checks/index.ts';
import type { Store } from '../../store/index.ts';
import { catalogFull, loadRegistry, type Io } from '../context.ts';

/** Text output shows this many findings per check; JSON has them all. */
export const TEXT_LIMIT_PER_CHECK = 20;

const RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };
/** The order checks are documented in (docs/checks.md); unknown ids follow. */
const CHECK_ORDER = [
  'parts-vs-total',
  'published-rate',
  'jump',
  'share-range',
  'flags',
  'coverage',
  'small-counts',
];

export async function checkCommand(
  store: Store,
  io: Io,
  opts: { format: 'text' | 'json'; release?: number },
): Promise<number> {
  const regions = await loadRegistry(store);
  io.log(`check: release ${opts.release ?? 'latest published'} …`);
  const findings = await runChecks({
    store,
    regions,
    catalog: catalogFull(),
    ...(opts.release === undefined ? {} : { releaseId: opts.release }),
  });
  if (opts.format === 'json') io.out(JSON.stringify(findings, null, 2));
  else io.out(formatFindings(findings));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** Groups by check (groups with errors first), errors first within a group, capped per check. */
export function formatFindings(findings: readonly Finding[], limit = TEXT_LIMIT_PER_CHECK): string {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = groups.get(f.check) ?? [];
    list.push(f);
    groups.set(f.check, list);
  }
  const worst = (list: Finding[]): number => Math.min(...list.map((f) => RANK[f.severity]));
  const order = (id: string): number =>
    CHECK_ORDER.includes(id) ? CHECK_ORDER.indexOf(id) : CHECK_ORDER.length;
  const sorted = [...groups].sort(
    ([a, la], [b, lb]) => worst(la) - worst(lb) || order(a) - order(b),
  );
  const lines: string[] = [];
  for (const [check, list] of sorted) {
    // A stable sort keeps each check's own order (by table, region, period) within a severity.
    const ordered = [...list].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
    lines.push(`${check} (${list.length})`);
    for (const f of ordered.slice(0, limit)) {
      lines.push(
        `  ${f.severity} ${f.check} ${f.subject}: ${f.message_de} — ${f.explanation_de} — ${f.fix_de}`,
      );
    }
    if (list.length > limit) {
      lines.push(`  … and ${list.length - limit} more (use --format json)`);
    }
    lines.push('');
  }
  lines.push(summaryLine(findings));
  return lines.join('\n');
}

export function summaryLine(findings: readonly Finding[]): string {
  const n = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  return `${findings.length} findings: ${n('error')} errors, ${n('warning')} warnings, ${n('info')} infos`;
}
