/**
 * Time per report of printReport (src/report/print.ts: print, read the TOC pages, fill them in,
 * print again) next to the reference: Chromium printing the same final HTML once
 * (setContent + page.pdf with the same settings, htmlToPdf), in the same browser. The ratio says
 * what the two-pass TOC costs over a single print; ~2× is the floor for two prints.
 * Run: npm run bench:report [dir]   (every *.html in dir; without one, a synthetic ~20-page report)
 *      npm run bench:report -- --profiles [group]   (the profiles of every Kreis and Gemeinde of a
 *      group, default rheinisches-revier, from reports/profil.md on the full demo data: time per
 *      report = render the template + printReport, against Chromium printing the same finished
 *      HTML once; BENCH_DATA_DIR=dir reuses a full demo store built there before)
 * BENCH_RUNS=n timed runs per report and way (default 3; the median is printed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { syntheticReport } from '../test/helpers/synthetic-report.ts';
import { launchBrowser } from '../src/report/browser.ts';
import { htmlToPdf } from '../src/report/pdf.ts';
import { fillTocPages, printReport } from '../src/report/print.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { profileRegions, REPORTS_DIR } from '../src/cli/commands/report.ts';
import { loadCatalogFull } from '../src/indicators/index.ts';
import { RegionRegistry } from '../src/regions/registry.ts';
import { renderReportFile } from '../src/report/template/render.ts';
import { openStore } from '../src/store/index.ts';
import { buildFullDemoStoreIn } from '../test/helpers/demo-store.ts';
import { treeMemoryMb } from './memory.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Memory sampling runs in this process; sparse enough not to slow the prints it watches. */
const SAMPLE_MS = 200;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  const dir = process.argv[2];
  const reports: { name: string; html: string }[] =
    dir === undefined
      ? [{ name: 'synthetic', html: syntheticReport({ chapters: 4, paragraphs: 4 }).html }]
      : readdirSync(resolve(dir))
          .filter((f) => f.endsWith('.html'))
          .sort()
          .map((f) => ({ name: basename(f, '.html'), html: readFileSync(join(dir, f), 'utf8') }));
  if (reports.length === 0) throw new Error(`No *.html files in ${dir ?? ''}.`);

  let peakMb = treeMemoryMb();
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, treeMemoryMb())), SAMPLE_MS);
  const browser = await launchBrowser();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`bench/report — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpu}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30)} GB RAM, ` +
      `${platform()} ${release()}`,
  );
  console.log(`node ${process.version}, Chromium ${browser.version()} (one browser for all)`);
  console.log(
    `${reports.length} report(s), median of ${RUNS} runs each after one warm-up; single = ` +
      'setContent + page.pdf of the final HTML (htmlToPdf)\n',
  );

  // Warm-up: Chromium's first print loads fonts and compiles its code paths.
  const first = reports[0];
  if (first !== undefined) await printReport(first.html, { browser });

  const header = ['report', 'pages', 'passes', 'KB', 'printReport ms', 'single ms', 'ratio'];
  const rows: string[][] = [];
  let total = 0;
  for (const { name, html } of reports) {
    const two: number[] = [];
    const one: number[] = [];
    let result = await printReport(html, { browser });
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      result = await printReport(html, { browser });
      two.push(performance.now() - t0);
    }
    const final = fillTocPages(html, result.pages);
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await htmlToPdf(final, { browser });
      one.push(performance.now() - t0);
    }
    const [t2, t1] = [median(two), median(one)];
    total += t2;
    rows.push([
      name,
      String(result.pageCount),
      String(result.passes),
      fmt(result.pdf.length / 1024),
      fmt(t2),
      fmt(t1),
      `${fmt(t2 / t1, 2)}×`,
    ]);
  }
  clearInterval(sampler);
  peakMb = Math.max(peakMb, treeMemoryMb());
  await browser.close();

  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    `\nmean printReport: ${fmt(total / rows.length)} ms per report; peak memory: ` +
      `${fmt(peakMb)} MB PSS of node + Chromium processes (sampled every ${SAMPLE_MS} ms); ` +
      `peak RSS of node alone ${fmt(process.resourceUsage().maxRSS / 1024)} MB`,
  );
}

/** The profiles of a group, rendered and printed as `bimo report profile --group` does. */
async function profiles(group: string): Promise<void> {
  const given = process.env.BENCH_DATA_DIR;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'bimo-bench-report-'));
  if (given === undefined) await (await buildFullDemoStoreIn(dir)).store.close();
  const store = await openStore({ dataDir: dir });
  const regions = new RegionRegistry(await store.loadRegions());
  const deps = { store, regions, catalog: loadCatalogFull().indicators };
  let peakMb = treeMemoryMb();
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, treeMemoryMb())), SAMPLE_MS);
  const browser = await launchBrowser();
  const template = join(REPORTS_DIR, 'profil.md');
  const list = profileRegions(regions, { group, region: undefined });
  console.log(`bench/report --profiles ${group} — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; Chromium ${browser.version()}`,
  );
  console.log(
    `${list.length} profiles from ${template}; one browser; chromium = htmlToPdf of the finished HTML\n`,
  );
  const header = ['region', 'pages', 'render ms', 'print ms', 'total ms', 'chromium ms', 'ratio'];
  const rows: string[][] = [];
  let [sumTotal, sumChromium, sumRender] = [0, 0, 0];
  const wall = performance.now();
  for (const r of list) {
    const t0 = performance.now();
    const report = await renderReportFile(deps, template, r.code);
    const t1 = performance.now();
    const printed = await printReport(report.html, { browser });
    const t2 = performance.now();
    await htmlToPdf(fillTocPages(report.html, printed.pages), { browser });
    const t3 = performance.now();
    sumRender += t1 - t0;
    sumTotal += t2 - t0;
    sumChromium += t3 - t2;
    rows.push([
      `${r.code} ${r.name}`,
      String(printed.pageCount),
      fmt(t1 - t0),
      fmt(t2 - t1),
      fmt(t2 - t0),
      fmt(t3 - t2),
      `${fmt((t2 - t0) / (t3 - t2), 2)}×`,
    ]);
  }
  const wallMs = performance.now() - wall;
  clearInterval(sampler);
  await browser.close();
  await store.close();
  if (given === undefined) rmSync(dir, { recursive: true, force: true });
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const n = list.length;
  console.log(
    `\n${n} profiles in ${fmt(wallMs / 1000, 1)} s: per report ${fmt(sumTotal / n)} ms (render ${fmt(sumRender / n)} ms), ` +
      `Chromium printing the finished HTML ${fmt(sumChromium / n)} ms; ratio ${fmt(sumTotal / sumChromium, 2)}×; ` +
      `peak memory ${fmt(peakMb)} MB PSS (node + Chromium)`,
  );
}

const profileArg = process.argv.indexOf('--profiles');
if (profileArg >= 0) await profiles(process.argv[profileArg + 1] ?? 'rheinisches-revier');
else await main();
