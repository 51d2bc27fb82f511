/**
 * `report` writes one chapter (an indicator for the Revier against NRW) as HTML and as PDF,
 * rendered by Debian Chromium from the same HTML the portal shows.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderChapterHtml } from '../../report/chapter.ts';
import { closeBrowser } from '../../report/browser.ts';
import { htmlToPdf } from '../../report/pdf.ts';
import { catalog, loadRegistry, openContext, type GlobalOptions, type Io } from '../context.ts';

export async function reportCommand(
  opts: GlobalOptions,
  io: Io,
  args: { indicator: string; region: string; period?: string | undefined; out: string },
): Promise<number> {
  const { store } = await openContext(opts, io);
  try {
    const regions = await loadRegistry(store);
    const deps = { store, regions, catalog: catalog() };
    io.log(`report: rendering chapter ${args.indicator} …`);
    const htmlText = await renderChapterHtml(deps, args.indicator, args.period);
    const outDir = resolve(io.cwd, args.out);
    await mkdir(outDir, { recursive: true });
    const base = join(outDir, `kapitel-${args.indicator}`);
    await writeFile(`${base}.html`, htmlText);
    io.log('report: printing PDF with Chromium …');
    const pdf = await htmlToPdf(htmlText);
    await writeFile(`${base}.pdf`, pdf);
    io.out(`${base}.html\n${base}.pdf`);
    return 0;
  } finally {
    await closeBrowser();
    await store.close();
  }
}
