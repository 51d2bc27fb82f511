/**
 * `bimo report bildungsbericht` and `bimo report profile` end to end, as a user runs them: HTML
 * and PDF are written, the PDF's table of contents names the page on which each chapter really
 * starts (checked with pdftotext page by page), every page carries "Seite N von M", and the
 * pages are rendered with pdftoppm into test-artifacts/ to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('bimo report diff', () => {
  it('shows the sentences and table rows a revised table changes', async () => {
    const dir = await fullDemoDataDir();
    const dd = ['--data-dir', dir];
    // The leavers table again, with Düren's leavers without a first qualification 150 → 155.
    const original = readFileSync(
      '../shared/data/genesis-samples/regionalstatistik-classic/21111-02-06-4.csv',
      'latin1',
    );
    const row = '2023;05358;      Düren, Kreis;2560;1275;150;';
    expect(original).toContain(row);
    const revised = join(dir, '21111-02-06-4-berichtigt.csv');
    writeFileSync(
      revised,
      Buffer.from(original.replace(row, row.replace(';150;', ';155;')), 'latin1'),
    );
    const run = async (...argv: string[]) => {
      const io = captureIo();
      const code = await main([...argv, ...dd], io);
      expect(code, io.stderr.join('\n')).toBe(0);
      return io;
    };
    const imported = (await run('import', revised, '--draft', '--format', 'json')).stdout.join('');
    const draft = Number(/"releaseId":\s*(\d+)/.exec(imported)?.[1]);
    expect(draft).toBeGreaterThan(0);
    await run('releases', 'approve', String(draft));
    await run('releases', 'publish', String(draft));
    const io = await run('report', 'diff', String(draft - 1), String(draft), '--region', '05358');
    const out = io.stdout.join('\n');
    expect(out).toMatch(
      /^Bildungsprofil \(05358\): Release \d+ → Release \d+, \d+ geänderte Stelle\(n\)/,
    );
    // D6 of Kreis Düren in 2022/23: 150 → 155 of 2 560 leavers (5,9 % → 6,1 %); the Revier
    // 5,8 % → 5,9 %; the change to 2023/24 (7,9 %) shrinks from +2,0 to +1,8 points.
    expect(out).toContain('- Düren, Kreis | 5,9 | 7,9\n');
    expect(out).toContain('+ Düren, Kreis | 6,1 | 7,9\n');
    expect(out).toContain('- Rheinisches Revier | 5,8 | 6,8\n');
    expect(out).toContain('+ Rheinisches Revier | 5,9 | 6,8');
    expect(out).toContain(
      '+ D6 Abgehende ohne Ersten Schulabschluss (%) | 2023/24 | 7,9 | 6,8 | 7,3 | +1,8 Pp. seit 2022/23',
    );
  }, 180_000);
});
