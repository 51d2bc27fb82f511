/**
 * `bimo report bildungsbericht` and `bimo report profile` end to end, as a user runs them: HTML
 * and PDF are written, the PDF's table of contents names the page on which each chapter really
 * starts (checked with pdftotext page by page), every page carries "Seite N von M", and the
 * pages are rendered with pdftoppm into test-artifacts/ to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { fullDemoDataDir } from '../helpers/demo-store.ts';

const ARTIFACTS = 'test-artifacts';
let dataDir: string;
let out: string;

beforeAll(async () => {
  dataDir = await fullDemoDataDir();
  out = mkdtempSync(join(tmpdir(), 'bimo-reports-'));
}, 180_000);

const pageText = (pdf: string, page: number) =>
  execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdf, '-'], {
    encoding: 'utf8',
  });
const pageCount = (pdf: string) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);

describe('bimo report', () => {
  it('writes the Bildungsbericht with a table of contents whose page numbers are right', async () => {
    const io = captureIo();
    const code = await main(
      [
        'report',
        'bildungsbericht',
        '--group',
        'rheinisches-revier',
        '--out',
        out,
        '--data-dir',
        dataDir,
      ],
      io,
    );
    expect(code, io.stderr.join('\n')).toBe(0);
    const [html, pdf] = io.stdout.join('\n').split('\n');
    expect(html).toMatch(/bildungsbericht-rheinisches-revier-rheinisches-revier\.html$/);
    expect(existsSync(html ?? '')).toBe(true);
    expect(readFileSync(html ?? '', 'utf8')).toContain(
      '<h1 class="title">Bildungsbericht Rheinisches Revier</h1>',
    );
    const file = pdf ?? '';
    const pages = pageCount(file);
    expect(pages).toBeGreaterThan(30);
    expect(io.stderr.join('\n')).toContain(`report: ${pages} pages`);

    // The contents (pages 2–3) list each chapter with a page number …
    const toc = `${pageText(file, 2)}\n${pageText(file, 3)}`;
    const chapters = [
      'Einleitung',
      'Rahmenbedingungen',
      'Frühe Bildung',
      'Allgemeinbildende Schulen',
      'Berufliche Bildung',
      'Hochschule',
      'Weiterbildung',
      'Die Kreise und kreisfreien Städte im Überblick',
      'Zusammenfassung',
    ];
    let previous = 2;
    for (const [i, title] of chapters.entries()) {
      const line = new RegExp(`^\\s*${i + 1}\\s+${title}[ .]*?(\\d+)\\s*$`, 'm').exec(toc);
      expect(line, `${title} in the contents`).not.toBeNull();
      const page = Number(line?.[1]);
      expect(page).toBeGreaterThan(previous);
      previous = page;
      // … and that page starts the chapter, with its footer.
      const text = pageText(file, page);
      expect(text, `${title} on page ${page}`).toMatch(
        new RegExp(`^\\s*${i + 1}\\s+${title}`, 'm'),
      );
      expect(text).toContain(`Seite ${page} von ${pages}`);
    }
    expect(toc).toMatch(/Glossar der Indikatoren[ .]*\d+/);

    // Pages to look at: cover, contents, the first chapter pages, a chart page.
    mkdirSync(ARTIFACTS, { recursive: true });
    execFileSync('pdftoppm', [
      '-r',
      '60',
      '-png',
      '-f',
      '1',
      '-l',
      '6',
      file,
      join(ARTIFACTS, 'report-bildungsbericht'),
    ]);
    expect(
      existsSync(join(ARTIFACTS, 'report-bildungsbericht-1.png')) ||
        existsSync(join(ARTIFACTS, 'report-bildungsbericht-01.png')),
    ).toBe(true);
  }, 180_000);

  it('writes the profile of a Kreis', async () => {
    const io = captureIo();
    const code = await main(
      ['report', 'profile', '--region', '05358', '--out', out, '--data-dir', dataDir],
      io,
    );
    expect(code, io.stderr.join('\n')).toBe(0);
    const pdf = io.stdout.at(-1) ?? '';
    expect(pdf).toMatch(/profil-05358-dueren-kreis\.pdf$/);
    expect(io.stderr.join('\n')).toMatch(/report: 1\/1 Düren, Kreis \(05358\), \d+ pages/);
    expect(pageText(pdf, 1)).toContain('Düren, Kreis');
    execFileSync('pdftoppm', [
      '-r',
      '60',
      '-png',
      '-f',
      '1',
      '-l',
      '3',
      pdf,
      join(ARTIFACTS, 'report-profil-05358'),
    ]);
  }, 120_000);

  it('says what is wrong with an unknown group or release', async () => {
    const io = captureIo();
    expect(
      await main(
        ['report', 'profile', '--group', 'ruhrgebiet', '--out', out, '--data-dir', dataDir],
        io,
      ),
    ).not.toBe(0);
    expect(io.stderr.join('\n')).toContain('group "ruhrgebiet" is not a region group');
    const io2 = captureIo();
    expect(
      await main(
        ['report', 'bildungsbericht', '--release', '999', '--out', out, '--data-dir', dataDir],
        io2,
      ),
    ).not.toBe(0);
    expect(io2.stderr.join('\n')).toContain('release 999 is not a published release');
  });
});
