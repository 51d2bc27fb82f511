/**
 * The report templates on the full demo data: the Bildungsbericht of the Rheinisches Revier has
 * every chapter with its Fragestellungen, uses every public indicator that has Revier data,
 * numbers its figures and tables and puts source and licence under each; profiles work for a
 * Kreis and a Gemeinde; template mistakes name file, line and column. Golden files pin the HTML
 * of one chapter and of one profile (dates normalised); `UPDATE_GOLDEN=1` rewrites them after a
 * change that was checked by eye.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/api/app.ts';
import { queryValues } from '../../src/api/values.ts';
import { BimoError } from '../../src/domain/index.ts';
import { loadCatalogFull } from '../../src/indicators/index.ts';
import { REPORTS_DIR } from '../../src/cli/commands/report.ts';
import {
  renderReport,
  renderReportFile,
  type RenderedReport,
} from '../../src/report/template/render.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';

const GOLDEN = 'test/golden';
const catalog = loadCatalogFull();
let deps: AppDeps;
let bericht: RenderedReport;

beforeAll(async () => {
  deps = await buildFullDemoStore();
  bericht = await renderReportFile(
    deps,
    join(REPORTS_DIR, 'bildungsbericht.md'),
    'rheinisches-revier',
  );
}, 180_000);
afterAll(async () => {
  await deps.store.close();
});

/** One element of the HTML (by its opening tag's id), with dates as dd.mm.yyyy. */
function section(doc: string, id: string): string {
  const start = doc.lastIndexOf('<section', doc.indexOf(`id="${id}"`));
  const end = doc.indexOf('</section>', start) + '</section>'.length;
  return normalise(doc.slice(start, end));
}
const normalise = (s: string) =>
  s
    .replace(/\d{1,2}\.\d{1,2}\.\d{4}/g, 'dd.mm.yyyy')
    .replace(/Release \d+/g, 'Release N')
    .replace(/[ \t]+\n/g, '\n');

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

describe('Bildungsbericht Rheinisches Revier', () => {
  it('has every chapter, numbered, in the table of contents', () => {
    const chapters = bericht.toc.filter((e) => e.level === 1).map((e) => `${e.number} ${e.title}`);
    expect(chapters).toEqual([
      '1 Einleitung',
      '2 Rahmenbedingungen',
      '3 Frühe Bildung',
      '4 Allgemeinbildende Schulen',
      '5 Berufliche Bildung',
      '6 Hochschule',
      '7 Weiterbildung',
      '8 Die Kreise und kreisfreien Städte im Überblick',
      '9 Zusammenfassung',
    ]);
    for (const e of bericht.toc) {
      expect(bericht.html).toContain(`id="${e.id}"`);
      expect(bericht.html).toContain(`<span class="toc-page" data-target="${e.id}"></span`);
    }
    // The loop: one section per Kreis of the Revier.
    expect(bericht.toc.filter((e) => e.number.startsWith('8.')).map((e) => e.title)).toContain(
      'Düren, Kreis',
    );
    expect(bericht.toc.filter((e) => e.number.startsWith('8.'))).toHaveLength(7);
    // Each Kreis with its own figures against the Revier and NRW (A1: 279 285 in Düren).
    const kreise = text(section(bericht.html, 'kapitel-8'));
    expect(kreise).toContain('Kennzahlen: Düren, Kreis im Vergleich');
    expect(kreise).toMatch(
      /Einwohnerinnen und Einwohner \(Fortschreibung des Bevölkerungsstandes\), 2024 279\.285 2\.530\.263 18\.034\.454/,
    );
  });

  it('uses every public indicator that has a value for the Revier', async () => {
    const withData: string[] = [];
    for (const ind of catalog.indicators) {
      if (ind.visibility !== 'public' || ind.status !== 'active' || ind.kind === 'gap') continue;
      if (!['A', 'C', 'D', 'E', 'F', 'G'].includes(ind.area)) continue;
      const rows = await queryValues(deps.store, deps.regions, {
        indicator: ind,
        regions: ['rheinisches-revier'],
        audience: 'public',
      });
      if (rows.some((r) => r.value !== null)) withData.push(ind.id);
    }
    expect(withData.length).toBeGreaterThan(30);
    expect(withData.filter((id) => !bericht.indicators.includes(id))).toEqual([]);
    expect(bericht.html).toContain('<dl class="glossary">');
  });

  it('states the Fragestellungen of each chapter and says where data are missing', () => {
    const schools = section(bericht.html, 'kapitel-4');
    expect(schools).toContain('Fragestellungen der AG Bildungsmonitoring zu diesem Kapitel');
    expect(text(schools)).toContain('(FS01)');
    expect(text(section(bericht.html, 'kapitel-3'))).toContain(
      'Für diesen Bereich liegen für das Rheinische Revier noch keine Werte vor. Vorgesehen sind: C1 Betreuungsquote der Kinder unter 3 Jahren; C2',
    );
  });

  it('numbers figures and tables in order, each with source and licence', () => {
    const figures = [...bericht.html.matchAll(/"figure-number">Abbildung (\d+):/g)].map((m) =>
      Number(m[1]),
    );
    const tables = [...bericht.html.matchAll(/"figure-number">Tabelle (\d+):/g)].map((m) =>
      Number(m[1]),
    );
    expect(figures).toEqual(figures.map((_, i) => i + 1));
    expect(tables).toEqual(tables.map((_, i) => i + 1));
    expect(figures.length).toBe(bericht.figures);
    const blocks = bericht.html.split('<figure').slice(1);
    expect(blocks.length).toBe(bericht.figures + bericht.tables);
    for (const b of blocks) {
      expect(b.slice(0, b.indexOf('</figure>'))).toMatch(
        /<p class="figure-source">\s*Quelle: .*Datenlizenz Deutschland – Namensnennung – Version 2\.0/s,
      );
    }
    // Charts are inline SVG with a title for screen readers; no scripts, no images.
    expect(bericht.html).toMatch(/<svg[^>]*role="img"/);
    expect(bericht.html).not.toMatch(/<script|<img /i);
  });

  it('footnotes every sign of a chapter once, with its meaning', () => {
    const refs = [...bericht.html.matchAll(/href="#(fn-\d+-\d+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const id of new Set(refs)) expect(bericht.html).toContain(`<li id="${id}">`);
  });

  it('pins the HTML of the chapter on higher education', () => {
    golden('bildungsbericht-kapitel-6.html', section(bericht.html, 'kapitel-6'));
  });
});

describe('profiles', () => {
  it('makes the profile of Kreis Düren with all its data', async () => {
    const r = await renderReportFile(deps, join(REPORTS_DIR, 'profil.md'), '05358');
    expect(text(r.html)).toContain('Kennzahlen: Düren, Kreis im Vergleich');
    expect(text(r.html)).toContain('Tabelle 2: Rahmenbedingungen: Düren, Kreis im Vergleich');
    // A7 has Gemeinde values: ranked among the 15 Gemeinden of the Kreis.
    expect(text(r.html)).toMatch(
      /Abbildung 1: Mindestsicherungsquote im Jahr 2024: Gemeinden im Vergleich/,
    );
    expect(text(r.html)).toContain(
      'Im Kreis Düren lag die Arbeitslosenquote bezogen auf alle zivilen Erwerbspersonen im Jahresdurchschnitt (Bundesagentur für Arbeit) im Jahr 2025 bei 7,6 % und damit 0,2 Prozentpunkte unter dem Landeswert (7,8 %).',
    );
    expect(r.indicators.length).toBeGreaterThan(35);
  });

  it('compares a Gemeinde with its Kreis, the Revier and NRW (golden)', async () => {
    const r = await renderReportFile(deps, join(REPORTS_DIR, 'profil.md'), '05358008');
    const main = normalise(r.html.slice(r.html.indexOf('<main>'), r.html.indexOf('</main>') + 7));
    golden('profil-05358008.html', main);
    expect(r.html).toContain('<p class="region">Düren, Stadt</p>');
    expect(r.html).toMatch(
      /<th scope="col" class="num">Düren, Kreis<\/th>\s*<th scope="col" class="num">Rheinisches Revier<\/th>\s*<th scope="col" class="num">Nordrhein-Westfalen<\/th>/,
    );
    expect(r.indicators).toContain('A7');
  });

  it('names file, line and fix of a mistake in a template', async () => {
    const bad = async (body: string) => {
      try {
        await renderReport(deps, `---\ntitle: T\n---\n${body}`, 'reports/eigener.md', '05358');
      } catch (err) {
        if (err instanceof BimoError) return `${err.message} | ${err.fix}`;
        throw err;
      }
      return 'no error';
    };
    expect(await bad('# A\n\n::diagramm indikator=D6')).toMatch(
      /^reports\/eigener.md:6:3: unknown directive ::diagramm \| Use one of: ::text, ::karte/,
    );
    expect(await bad('::karte indikator=ZZ1')).toMatch(
      /^reports\/eigener.md:4:1: unknown indicator ZZ1/,
    );
    // After a ::bereich (which becomes many lines) the line is still the template's.
    expect(await bad('::bereich bereich=D\n\n::karte indikator=ZZ1')).toMatch(
      /^reports\/eigener.md:6:1: unknown indicator ZZ1/,
    );
    expect(await bad('::tabelle indikator=A2a')).toMatch(/indicator A2a is not public/);
  });
});
