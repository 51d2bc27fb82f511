/**
 * `bimo report …` writes reports as HTML and PDF (Debian Chromium, one browser for a whole run):
 *
 * - `bimo report bildungsbericht [--group G] [--template FILE] [--release N] [--out DIR]`: the
 *   regional Bildungsbericht from reports/bildungsbericht.md.
 * - `bimo report profile (--group G | --region CODE) [--template FILE] [--release N] [--out DIR]`:
 *   the profile (reports/profil.md) of one region, or of every Kreis and Gemeinde of a group,
 *   with progress.
 * - `bimo report [--indicator D6] [--period 2023] [--out DIR]`: one indicator chapter (the
 *   portal's indicator section as a document).
 *
 * A report is pinned to a release: the latest published one, or `--release N`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BimoError } from '../../domain/index.ts';
import { closeBrowser } from '../../report/browser.ts';
import { renderChapterHtml } from '../../report/chapter.ts';
import { htmlToPdf } from '../../report/pdf.ts';
import { printReport } from '../../report/print.ts';
import { diffReports } from '../../report/diff.ts';
import { renderReportFile, type RenderedReport } from '../../report/template/render.ts';
import type { AppDeps } from '../../api/app.ts';
import type { RegionRegistry } from '../../regions/registry.ts';
import { catalog, loadRegistry, openContext, type GlobalOptions, type Io } from '../context.ts';

export const REPORTS_DIR = fileURLToPath(new URL('../../../reports/', import.meta.url));

export interface ReportArgs {
  sub: string | undefined;
  /** Positional arguments after the sub-command (`diff A B`). */
  rest?: string[];
  json?: boolean;
  indicator: string;
  region: string | undefined;
  group: string | undefined;
  template: string | undefined;
  release: string | undefined;
  period?: string | undefined;
  out: string;
}

function releaseOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `--release "${raw}" is not a release number`,
      'Use a published release id from `bimo releases`, e.g. --release 3.',
      { field: 'release' },
    );
  }
  return n;
}

/** The file name of a region's report: `profil-05358-dueren-kreis.pdf`. */
export function fileStem(kind: string, code: string, name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${kind}-${code}-${slug}`;
}

/** The regions a profile run covers: one region, or the Kreise and Gemeinden of a group. */
export function profileRegions(
  regions: RegionRegistry,
  args: Pick<ReportArgs, 'group' | 'region'>,
): { code: string; name: string }[] {
  if (args.region !== undefined) {
    const r = regions.get(args.region);
    if (!r) {
      throw new BimoError(
        'BIMO_E_REGION_UNKNOWN',
        `region "${args.region}" is not a region code`,
        'Use a Kreis key such as 05358 or a Gemeinde key such as 05358008.',
        { field: 'region' },
      );
    }
    return [{ code: r.code, name: r.name }];
  }
  const group = args.group ?? 'rheinisches-revier';
  if (!regions.group(group)) {
    throw new BimoError(
      'BIMO_E_REGION_UNKNOWN',
      `group "${group}" is not a region group`,
      'Use a group such as rheinisches-revier (`bimo observations` and the API list the groups).',
      { field: 'group' },
    );
  }
  const kreise = regions.members(group, 'kreis');
  const gemeinden = regions.members(group, 'gemeinde');
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'de');
  return [...kreise.sort(byName), ...gemeinden.sort(byName)].map((r) => ({
    code: r.code,
    name: r.name,
  }));
}

export async function reportCommand(
  opts: GlobalOptions,
  io: Io,
  args: ReportArgs,
): Promise<number> {
  if (args.sub !== undefined && !['bildungsbericht', 'profile', 'diff'].includes(args.sub)) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `unknown report "${args.sub}"`,
      'Use `bimo report bildungsbericht`, `bimo report profile`, `bimo report diff A B` or `bimo report --indicator D6`.',
    );
  }
  const { store } = await openContext(opts, io);
  try {
    const regions = await loadRegistry(store);
    const deps = { store, regions, catalog: catalog() };
    if (args.sub === 'diff') return await diffCommand(deps, io, args);
    const outDir = resolve(io.cwd, args.out);
    await mkdir(outDir, { recursive: true });
    const releaseId = releaseOf(args.release);
    if (args.sub === undefined) {
      io.log(`report: rendering chapter ${args.indicator} …`);
      const htmlText = await renderChapterHtml(deps, args.indicator, args.period);
      const base = join(outDir, `kapitel-${args.indicator}`);
      await writeFile(`${base}.html`, htmlText);
      io.log('report: printing PDF with Chromium …');
      await writeFile(`${base}.pdf`, await htmlToPdf(htmlText));
      io.out(`${base}.html\n${base}.pdf`);
      return 0;
    }
    const write = async (kind: string, code: string, name: string, report: RenderedReport) => {
      const base = join(outDir, fileStem(kind, code, name));
      await writeFile(`${base}.html`, report.html);
      const printed = await printReport(report.html);
      await writeFile(`${base}.pdf`, printed.pdf);
      return { base, pages: printed.pageCount };
    };
    if (args.sub === 'bildungsbericht') {
      const group = args.group ?? args.region ?? 'rheinisches-revier';
      const template = resolve(io.cwd, args.template ?? join(REPORTS_DIR, 'bildungsbericht.md'));
      io.log(`report: Bildungsbericht for ${group} from ${template} …`);
      const t0 = performance.now();
      const report = await renderReportFile(deps, template, group, { releaseId });
      io.log(
        `report: ${report.toc.length} headings, ${report.figures} figures, ${report.tables} tables, ${report.indicators.length} indicators; printing PDF …`,
      );
      const { base, pages } = await write(
        'bildungsbericht',
        group,
        regions.group(group)?.name ?? group,
        report,
      );
      io.log(
        `report: ${pages} pages, done in ${((performance.now() - t0) / 1000).toFixed(1)} s (release ${report.releaseId ?? '–'})`,
      );
      io.out(`${base}.html\n${base}.pdf`);
      return 0;
    }
    const list = profileRegions(regions, args);
    const template = resolve(io.cwd, args.template ?? join(REPORTS_DIR, 'profil.md'));
    io.log(`report: ${list.length} profile(s) from ${template} into ${outDir}`);
    const t0 = performance.now();
    for (const [i, r] of list.entries()) {
      const t = performance.now();
      const report = await renderReportFile(deps, template, r.code, { releaseId });
      const { base, pages } = await write('profil', r.code, r.name, report);
      io.log(
        `report: ${i + 1}/${list.length} ${r.name} (${r.code}), ${pages} pages, ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      io.out(`${base}.pdf`);
    }
    io.log(
      `report: ${list.length} profile(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await closeBrowser();
    await store.close();
  }
}

/**
 * `bimo report diff A B [--group G | --region CODE] [--template FILE]`: the report rendered on
 * release A and on release B, and the lines that changed, under their headings.
 */
async function diffCommand(deps: AppDeps, io: Io, args: ReportArgs): Promise<number> {
  const [a, b, ...extra] = args.rest ?? [];
  const from = releaseOf(a);
  const to = releaseOf(b);
  if (from === undefined || to === undefined || extra.length > 0) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'report diff needs two release numbers',
      'e.g. `bimo report diff 3 4` (the Bildungsbericht) or `bimo report diff 3 4 --region 05358` (a profile); `bimo releases` lists them.',
    );
  }
  const region = args.region ?? args.group ?? 'rheinisches-revier';
  const kind = args.region === undefined ? 'bildungsbericht.md' : 'profil.md';
  const template = resolve(io.cwd, args.template ?? join(REPORTS_DIR, kind));
  io.log(`report: ${template} for ${region}, release ${from} against ${to} …`);
  const before = await renderReportFile(deps, template, region, { releaseId: from });
  const after = await renderReportFile(deps, template, region, { releaseId: to });
  const changes = diffReports(before.html, after.html);
  if (args.json) {
    io.out(JSON.stringify({ template, region, from, to, changes }, null, 2));
    return 0;
  }
  io.out(
    `${after.title} (${region}): Release ${from} → Release ${to}, ${changes.length === 0 ? 'keine Änderung' : `${changes.length} geänderte Stelle(n)`}`,
  );
  for (const c of changes) {
    io.out(`\n== ${c.section || '(Anfang)'}`);
    for (const line of c.removed) io.out(`- ${line}`);
    for (const line of c.added) io.out(`+ ${line}`);
  }
  return 0;
}
